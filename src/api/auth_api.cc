#include "api/auth_api.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "api/responses.h"

namespace medvault::api {
namespace {

constexpr size_t kMaxLoginBody = 4096;

struct Credentials {
  std::string username;
  std::string password;
};

Result<Credentials> ParseCredentials(std::string_view body) {
  if (body.size() > kMaxLoginBody) return Fail(ErrorCode::kPayloadTooLarge, "login body too large");
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(body.data(),
                                                                                    body.size());
  if (doc.HasParseError() || !doc.IsObject())
    return Fail(ErrorCode::kInvalid, "send {\"username\": …, \"password\": …} as JSON");
  Credentials c;
  for (auto& m : doc.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (!m.value.IsString())
      return Fail(ErrorCode::kInvalid, "username and password must be strings");
    std::string value(m.value.GetString(), m.value.GetStringLength());
    if (name == "username")
      c.username = std::move(value);
    else if (name == "password")
      c.password = std::move(value);
    else
      return Fail(ErrorCode::kInvalid, "unexpected field in the login body");
  }
  if (c.username.empty() || c.password.empty())
    return Fail(ErrorCode::kInvalid, "username and password are required");
  return c;
}

template <typename Fn>
std::string WriteJson(Fn fn) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  fn(w);
  return {buffer.GetString(), buffer.GetSize()};
}

void Str(rapidjson::Writer<rapidjson::StringBuffer>& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace

Outcome AuthApi::Login(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "login";
  if (!IsJsonContentType(ctx.request->HeaderValue("Content-Type")))
    return JsonErrorOutcome({ErrorCode::kUnsupportedMediaType, "send the login as JSON", {}},
                            facts);
  auto credentials = ParseCredentials(ctx.request->body);
  if (!credentials) return JsonErrorOutcome(credentials.error(), facts);
  facts.username = credentials->username.substr(0, 64);
  auto account = s_.authenticator.CheckPassword(credentials->username, credentials->password);
  if (!account) return JsonErrorOutcome(account.error(), facts);

  auto issued = s_.authenticator.NewSession(*account, ctx.request->client_address,
                                            ctx.request->HeaderValue("User-Agent"));
  auto expires_in =
      std::chrono::duration_cast<std::chrono::seconds>(s_.authenticator.policy().idle_timeout)
          .count();
  std::string body = WriteJson([&](auto& w) {
    w.StartObject();
    w.Key("access_token");
    Str(w, issued.token);
    w.Key("token_type");
    w.String("Bearer");
    w.Key("expires_in");
    w.Int64(expires_in);
    w.EndObject();
  });
  facts.detail = "session " + issued.row.id;
  Outcome out{JsonBody(200, std::move(body)), std::move(facts), nullptr};
  out.audit.account_id = account->id;
  out.write = [row = std::move(issued.row)](store::Transaction& txn) {
    return txn.InsertSession(row);
  };
  return out;
}

Outcome AuthApi::Logout(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "logout";
  http::Response r;
  r.status = 204;
  Outcome out{std::move(r), std::move(facts), nullptr};
  out.write = [session = ctx.principal->session_id(), now = ToUnixMillis(s_.clock.Now())](
                  store::Transaction& txn) { return txn.RevokeSession(session, now); };
  return out;
}

Outcome AuthApi::Me(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "me";
  const identity::Principal& p = *ctx.principal;
  std::string body = WriteJson([&](auto& w) {
    w.StartObject();
    w.Key("id");
    Str(w, p.account_id());
    w.Key("username");
    Str(w, p.username());
    w.Key("role");
    Str(w, identity::NameOf(p.role()));
    w.Key("organization");
    Str(w, p.organization_id());
    w.Key("practitioner");
    Str(w, p.practitioner_id());
    w.EndObject();
  });
  return Outcome{JsonBody(200, std::move(body)), std::move(facts), nullptr};
}

}  // namespace medvault::api
