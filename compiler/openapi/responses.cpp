#include "openapi/responses.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace pt {

namespace {

// The reason phrases of hallows::http::reason_phrase for the statuses a route can answer.
std::string reason(std::int64_t status) {
  static const std::map<std::int64_t, const char*> kReasons = {
      {200, "OK"},
      {201, "Created"},
      {204, "No Content"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {402, "Payment Required"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {406, "Not Acceptable"},
      {408, "Request Timeout"},
      {409, "Conflict"},
      {410, "Gone"},
      {411, "Length Required"},
      {412, "Precondition Failed"},
      {413, "Content Too Large"},
      {414, "URI Too Long"},
      {415, "Unsupported Media Type"},
      {416, "Range Not Satisfiable"},
      {417, "Expectation Failed"},
      {421, "Misdirected Request"},
      {422, "Unprocessable Content"},
      {423, "Locked"},
      {424, "Failed Dependency"},
      {425, "Too Early"},
      {426, "Upgrade Required"},
      {428, "Precondition Required"},
      {429, "Too Many Requests"},
      {431, "Request Header Fields Too Large"},
      {451, "Unavailable For Legal Reasons"},
      {500, "Internal Server Error"},
      {501, "Not Implemented"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Gateway Timeout"},
      {505, "HTTP Version Not Supported"},
      {507, "Insufficient Storage"},
      {508, "Loop Detected"},
      {511, "Network Authentication Required"},
  };
  auto it = kReasons.find(status);
  return it != kReasons.end() ? it->second : "Error " + std::to_string(status);
}

Json string_property(const char* description) {
  Json s = Json::object();
  s.set("type", Json::string("string"));
  s.set("description", Json::string(description));
  return s;
}

Json problem_response(const std::string& description) {
  Json ref = Json::object();
  ref.set("$ref", Json::string("#/components/schemas/Problem"));
  Json media = Json::object();
  media.set("schema", std::move(ref));
  Json content = Json::object();
  content.set("application/problem+json", std::move(media));
  Json out = Json::object();
  out.set("description", Json::string(description));
  out.set("content", std::move(content));
  return out;
}

// "Bad Request: a; b; or c."
std::string sentence(std::int64_t status, const std::vector<std::string>& causes) {
  std::string out = reason(status) + ": ";
  for (std::size_t i = 0; i < causes.size(); ++i) {
    if (i > 0) out += i + 1 == causes.size() ? "; or " : "; ";
    out += causes[i];
  }
  return out + ".";
}

// How a parameter's text must read, or null for a string (any text reads as one).
const char* param_kind(const Type* t) {
  while (t->is(Type::Kind::kOptional)) t = t->element;
  switch (t->kind) {
    case Type::Kind::kI64:
      return "an integer (i64)";
    case Type::Kind::kF64:
      return "a number (f64)";
    case Type::Kind::kBool:
      return "true or false";
    case Type::Kind::kEnum:
      return "a member of its enum";
    default:
      return nullptr;
  }
}

// Why the runtime refuses a parameter, or "" when it cannot.
std::string param_cause(const RouteParamPlan& p) {
  const char* kind = param_kind(p.type);
  std::string where = p.in_path ? "path parameter " : "query parameter ";
  if (kind == nullptr) return p.required && !p.in_path ? where + p.name + " is missing" : "";
  return where + p.name + " is " + (p.required && !p.in_path ? "missing or " : "") + "not " + kind;
}

}  // namespace

Json problem_schema() {
  Json status = Json::object();
  status.set("type", Json::string("integer"));
  status.set("minimum", Json::number(std::int64_t{400}));
  status.set("maximum", Json::number(std::int64_t{599}));
  status.set("description", Json::string("The HTTP status of the response."));
  Json type = string_property(
      "A URI reference naming the kind of problem; Basilisk writes about:blank (the status says "
      "it).");
  type.set("format", Json::string("uri-reference"));
  type.set("default", Json::string("about:blank"));
  Json properties = Json::object();
  properties.set("type", std::move(type));
  properties.set("title", string_property("The status's reason phrase (\"Bad Request\")."));
  properties.set("status", std::move(status));
  properties.set("detail", string_property("What went wrong, in a sentence."));
  properties.set("instance", string_property("The request's path (left out when unknown)."));
  properties.set("field",
                 string_property("Extension: the body's field (\"$.quantity\") or the parameter "
                                 "that was refused (left out when none)."));
  properties.set(
      "rule",
      string_property("Extension: the rule that was broken: a validate rule as written "
                      "(\"between(1, 100)\"), or json, type, required, unknown_field, "
                      "duplicate_field, decode, or a parameter's type (left out when none)."));
  Json required = Json::array();
  for (const char* name : {"type", "title", "status", "detail"}) required.push(Json::string(name));
  Json s = Json::object();
  s.set("description", Json::string("An RFC 9457 problem (application/problem+json)."));
  s.set("type", Json::string("object"));
  s.set("properties", std::move(properties));
  s.set("required", std::move(required));
  return s;
}

Json SharedResponses::ref(const std::string& name, const std::string& description) {
  bool known = false;
  for (const auto& [n, r] : entries_) known = known || n == name;
  if (!known) entries_.emplace_back(name, problem_response(description));
  Json out = Json::object();
  out.set("$ref", Json::string("#/components/responses/" + name));
  return out;
}

Json SharedResponses::components() const {
  Json out = Json::object();
  for (const auto& [name, response] : entries_) out.set(name, response);
  return out;
}

Json route_responses(const ServicePlan& service, const std::string& tag, const RoutePlan& r,
                     const SchemaSet& schemas, SharedResponses& shared) {
  const ServiceLimits& l = service.limits;
  std::map<std::int64_t, Json> answers;
  std::map<std::int64_t, std::vector<std::string>> problems;
  bool computed = false;
  // What the runtime refuses before the handler runs, for this route.
  std::vector<std::string>& bad = problems[400];
  bad.push_back("a malformed request");
  for (const auto* params : {&r.path_params, &r.query_params}) {
    for (const RouteParamPlan& p : *params) {
      std::string cause = param_cause(p);
      if (!cause.empty()) bad.push_back(cause);
    }
  }
  if (r.accepts != nullptr) {
    bad.push_back(fmt::format(
        "the body is not JSON of {}, or breaks one of its validate rules (the problem's field and "
        "rule say which)",
        type_name(r.accepts)));
  }
  // What the runtime answers for any route of the service: shared components, one per service
  // (its limits are in the text).
  struct Runtime {
    std::int64_t status;
    const char* name;
    std::string cause;
  };
  std::vector<Runtime> runtime = {
      {408, "RequestTimeout",
       fmt::format("the request did not arrive within request_timeout ({} ms); the connection is "
                   "closed",
                   l.request_timeout_ms)},
      {414, "UriTooLong",
       fmt::format("the request line is over max_request_line_bytes ({} bytes)",
                   l.max_request_line_bytes)},
      {431, "HeaderTooLarge",
       fmt::format(
           "the header is over max_header_bytes ({} bytes) or has more than max_headers ({}) "
           "fields",
           l.max_header_bytes, l.max_headers)},
      {500, "HandlerFailed", "the handler failed (the service reports the .pt line)"},
      {503, "TooManyConnections",
       fmt::format("the service has max_connections ({} per core) open; the connection is closed",
                   l.max_connections)},
  };
  if (r.accepts != nullptr) {
    runtime.push_back({413, "BodyTooLarge",
                       fmt::format("the body is over the service's max_body_bytes ({} bytes)",
                                   l.max_body_bytes)});
  }
  for (const Runtime& rt : runtime) problems[rt.status].push_back(rt.cause);
  // What the handler answers.
  for (std::int64_t status : r.statuses) {
    if (status == 200 || status == 201 || status == 204) {
      Json a = Json::object();
      a.set("description", Json::string(reason(status)));
      if (status != 204 && r.returns != nullptr) {
        Json media = Json::object();
        media.set("schema", schemas.use(r.returns));
        Json content = Json::object();
        content.set("application/json", std::move(media));
        a.set("content", std::move(content));
      }
      answers[status] = std::move(a);
    } else if (status == 0) {
      computed = true;
    } else if (status == 400) {
      problems[400].push_back("the handler's return_bad_request");
    } else if (status == 404) {
      problems[404].push_back("the handler's return_not_found");
    } else {
      problems[status].push_back(fmt::format("the handler's return_error({}, ...)", status));
    }
  }
  for (const auto& [status, causes] : problems) {
    auto code = status;  // clang 14 cannot capture a structured binding
    auto rt = std::find_if(runtime.begin(), runtime.end(),
                           [code](const Runtime& x) { return x.status == code; });
    if (rt != runtime.end() && causes.size() == 1) {
      answers[status] = shared.ref(tag + "." + rt->name, sentence(status, causes));
    } else {
      answers[status] = problem_response(sentence(status, causes));
    }
  }
  Json out = Json::object();
  for (auto& [status, answer] : answers) out.set(std::to_string(status), std::move(answer));
  if (computed) {
    out.set("default",
            problem_response("An error status the handler computes (return_error; 400 to 599, "
                             "else 500), with a problem body."));
  }
  return out;
}

}  // namespace pt
