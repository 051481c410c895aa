// The web application's files, served beside the API: GET and HEAD of any path that
// is not the API's are answered from the built app (web/dist), and every other request
// goes to the API handler. Paths the app does not have get index.html, so that a
// bookmarked or reloaded screen opens the app; paths under /assets/ (the build's
// hashed files) that do not exist are 404, so that a stale page fails loudly instead of
// running HTML as a script.
//
// The files are read once, when the site is loaded, and served from memory: only the
// files found then exist for the server, so no request path can reach anything else on
// disk (no `..`, no symbolic link out of the root). Rebuilding the app needs a restart.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/message.h"

namespace medvault::http {

struct StaticFile {
  std::string content_type;
  std::string cache_control;
  std::string body;
};

// The built app's files, by request path ("/index.html", "/assets/index-x1y2.js").
class StaticFiles {
 public:
  // Reads every regular file under `root` (symbolic links are not followed; files over
  // 8 MiB and names with characters outside [A-Za-z0-9._-] are skipped: the build makes
  // none). Errors: kNotFound when `root` has no index.html (the app was not built),
  // kUnavailable when a file cannot be read.
  static Result<StaticFiles> Load(const std::string& root);

  // The answer for a GET or HEAD of `path` (the raw request path, still percent-encoded).
  Response Serve(std::string_view path) const;

  size_t size() const { return files_.size(); }

 private:
  std::map<std::string, StaticFile, std::less<>> files_;
};

// A Handler that answers the app's paths from `files` and hands the rest to `api`.
// `api_prefixes` are the first path segments the API owns ("fhir", "auth", …): a
// request under one of them always goes to the API, whatever its method, so an API
// path can never be shadowed by a file. `files` may be null (no app installed): the
// app's paths then get 404 with a hint to build it.
class StaticSite : public Handler {
 public:
  StaticSite(Handler& api, std::shared_ptr<const StaticFiles> files,
             std::vector<std::string> api_prefixes);

  void Handle(Request request, Responder respond) override;
  Response ProtocolError(int status, std::string_view message, std::string_view path) override;

 private:
  bool IsApiPath(std::string_view path) const;

  Handler& api_;
  std::shared_ptr<const StaticFiles> files_;
  std::vector<std::string> api_prefixes_;
};

// The MIME type the app's files are served as, by extension ("" when unknown: such
// files are not served).
std::string_view ContentTypeOf(std::string_view file_name);

}  // namespace medvault::http
