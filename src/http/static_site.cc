#include "http/static_site.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace medvault::http {
namespace {

namespace fs = std::filesystem;

constexpr uintmax_t kMaxFileBytes = 8u << 20;

// Vite names what it builds under assets/ after a hash of the content: such a file never
// changes, so browsers may keep it. Everything else (index.html) is checked each time.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

bool IsPlainName(std::string_view name) {
  if (name.empty() || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

Result<std::string> ReadWhole(const fs::path& file, uintmax_t size) {
  std::ifstream in(file, std::ios::binary);
  std::string body(size, '\0');
  if (!in.read(body.data(), static_cast<std::streamsize>(size)) || in.peek() != EOF)
    return Fail(ErrorCode::kUnavailable, "cannot read " + file.string());
  return body;
}

Response FileResponse(const StaticFile& file) {
  Response r;
  r.no_store = false;
  r.app_page = true;
  r.body = file.body;
  r.headers.push_back({"Content-Type", file.content_type});
  r.headers.push_back({"Cache-Control", file.cache_control});
  return r;
}

Response NotFound(std::string_view message) {
  Response r;
  r.status = 404;
  r.no_store = false;
  r.body = std::string(message) + "\n";
  r.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
  r.headers.push_back({"Cache-Control", std::string(kRevalidate)});
  return r;
}

std::string_view LastSegment(std::string_view path) { return path.substr(path.rfind('/') + 1); }

}  // namespace

std::string_view ContentTypeOf(std::string_view file_name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [extension, type] : kTypes)
    if (file_name.ends_with(extension)) return type;
  return "";
}

Result<StaticFiles> StaticFiles::Load(const std::string& root) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::path(root) / "index.html", ec))
    return Fail(ErrorCode::kNotFound, "no index.html in " + root);
  StaticFiles site;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) return Fail(ErrorCode::kUnavailable, "cannot list " + root + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return Fail(ErrorCode::kUnavailable, "cannot list " + root + ": " + ec.message());
    const fs::directory_entry& entry = *it;
    fs::path relative = entry.path().lexically_relative(root);
    bool plain = std::all_of(relative.begin(), relative.end(),
                             [](const fs::path& part) { return IsPlainName(part.string()); });
    if (!plain) {
      if (entry.is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    // symlink_status: a link is neither a regular file nor a directory here, so the
    // site holds only what really lies under the root.
    fs::file_status status = entry.symlink_status(ec);
    if (ec || !fs::is_regular_file(status)) continue;
    std::string name = relative.generic_string();
    std::string_view type = ContentTypeOf(name);
    uintmax_t size = entry.file_size(ec);
    if (type.empty() || ec || size > kMaxFileBytes) continue;
    ASSIGN_OR_RETURN(std::string body, ReadWhole(entry.path(), size));
    bool hashed = name.starts_with("assets/");
    site.files_.emplace(
        "/" + name, StaticFile{std::string(type), std::string(hashed ? kImmutable : kRevalidate),
                               std::move(body)});
  }
  return site;
}

Response StaticFiles::Serve(std::string_view path) const {
  if (path == "/") path = "/index.html";
  if (auto it = files_.find(path); it != files_.end()) return FileResponse(it->second);
  // A screen of the app (the router's paths have no extension) opens the app; a missing
  // file is missing.
  if (path.starts_with("/assets/") || LastSegment(path).find('.') != std::string_view::npos)
    return NotFound("not found");
  return FileResponse(files_.find("/index.html")->second);
}

StaticSite::StaticSite(Handler& api, std::shared_ptr<const StaticFiles> files,
                       std::vector<std::string> api_prefixes)
    : api_(api), files_(std::move(files)), api_prefixes_(std::move(api_prefixes)) {}

bool StaticSite::IsApiPath(std::string_view path) const {
  std::string_view first = path.substr(1, path.find('/', 1) - 1);
  return std::any_of(api_prefixes_.begin(), api_prefixes_.end(),
                     [&](const std::string& prefix) { return first == prefix; });
}

void StaticSite::Handle(Request request, Responder respond) {
  bool read = request.method == "GET" || request.method == "HEAD";
  if (!read || !request.path.starts_with('/') || IsApiPath(request.path))
    return api_.Handle(std::move(request), std::move(respond));
  if (!files_)
    return respond(NotFound(
        "the web application is not installed: build it (make demo, or npm run build in web/) "
        "or set [web] root in the configuration"));
  respond(files_->Serve(request.path));
}

Response StaticSite::ProtocolError(int status, std::string_view message, std::string_view path) {
  return api_.ProtocolError(status, message, path);
}

}  // namespace medvault::http
