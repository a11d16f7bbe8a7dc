#include "dispatch.h"

#include <chrono>
#include <exception>

#include <fmt/format.h>

#include "hallows/core/location.h"
#include "hallows/http/response.h"

namespace hallows::http::detail {
namespace {

constexpr std::string_view kProblemType = "application/problem+json";
constexpr std::string_view kBuiltinAllow = "Allow: GET, HEAD\r\n";

const char* kind_name(ParamKind kind) {
  switch (kind) {
    case ParamKind::kI64:
      return "an integer (i64)";
    case ParamKind::kF64:
      return "a number (f64)";
    case ParamKind::kBool:
      return "true or false";
    case ParamKind::kString:
      break;
  }
  return "a string";
}

}  // namespace

void Dispatcher::problem(std::string& out, const Request& request, int status,
                         std::string_view detail, bool keep_alive, std::string_view extra_headers) {
  text_ = problem_json(status, detail, request.path);
  append_response(out, status, kProblemType, text_, keep_alive, request.method == Method::kHead,
                  extra_headers);
}

Answered Dispatcher::answer(const Request& request, bool keep_alive, std::string& out) {
  const ServiceMetrics& metrics = shared_.metrics;
  const bool head = request.method == Method::kHead;
  // An HTTP/1.0 client keeps the connection only when the response says so.
  std::string_view keep_header =
      keep_alive && request.version_minor == 0 ? "Connection: keep-alive\r\n" : "";

  // Built-ins first: they answer whatever routes the service declares.
  if (request.path == "/healthz" || request.path == "/metrics") {
    bool health = request.path == "/healthz";
    std::size_t slot = health ? metrics.healthz_slot() : metrics.metrics_slot();
    if (request.method != Method::kGet && !head) {
      std::string allow = std::string(kBuiltinAllow) + std::string(keep_header);
      problem(out, request, 405, "use GET or HEAD", keep_alive, allow);
      return {405, slot};
    }
    if (health) {
      append_response(out, 200, "application/json", R"({"status":"ok"})", keep_alive, head,
                      keep_header);
    } else {
      text_ = obs::Registry::global().render_prometheus();
      append_response(out, 200, "text/plain; version=0.0.4; charset=utf-8", text_, keep_alive, head,
                      keep_header);
    }
    return {200, slot};
  }

  RouteMatch match = shared_.router.match(request.method, request.path, params_, scratch_);
  switch (match.kind) {
    case RouteMatch::kFound:
      break;
    case RouteMatch::kNotFound:
      problem(out, request, 404, "no route matches this path", keep_alive, keep_header);
      return {404, metrics.none_slot()};
    case RouteMatch::kMethodNotAllowed: {
      std::string allow = fmt::format("Allow: {}\r\n{}", match.allow, keep_header);
      problem(out, request, 405,
              fmt::format("method {} is not allowed here; allowed: {}", to_string(request.method),
                          match.allow),
              keep_alive, allow);
      return {405, metrics.none_slot()};
    }
    case RouteMatch::kBadParameter:
      problem(out, request, 400,
              fmt::format("path parameter '{}' must be {}", match.bad_parameter,
                          kind_name(match.bad_kind)),
              keep_alive, keep_header);
      return {400, metrics.none_slot()};
  }

  run_handler(match.route, request);
  if (!exchange_.replied()) {
    report_failure(match.route, "returned without answering");
    problem(out, request, 500, "the handler did not answer", keep_alive, keep_header);
    return {500, match.route};
  }
  const Exchange::Answer& answer = exchange_.answer();
  append_response(out, answer.status, answer.content_type, answer.body, keep_alive, head,
                  keep_header);
  return {answer.status, match.route};
}

void Dispatcher::run_handler(std::size_t route, const Request& request) {
  exchange_.begin(&request, &params_);
  core::set_location(nullptr);  // a report names this handler's statement, not an older one
  try {
    shared_.router.routes()[route].handler(exchange_);
    return;
  } catch (const std::exception& e) {
    report_failure(route, std::string("threw: ") + e.what());
  } catch (...) {
    report_failure(route, "threw an exception that is not a std::exception");
  }
  // A failed handler's partial answer is replaced: the client gets a 500.
  exchange_.begin(&request, &params_);
  exchange_.reply_problem(500, "the handler failed");
}

void Dispatcher::report_failure(std::size_t route, std::string_view what) {
  const std::int64_t second = std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::steady_clock::now().time_since_epoch())
                                  .count();
  if (second != report_second_) {
    report_second_ = second;
    reports_this_second_ = 0;
  }
  if (++reports_this_second_ > kReportsPerSecond) {
    ++suppressed_reports_;
    return;
  }
  std::string suppressed;
  if (suppressed_reports_ > 0) {
    suppressed = fmt::format(" ({} more failures were not reported)", suppressed_reports_);
    suppressed_reports_ = 0;
  }
  const RouteSpec& spec = shared_.router.routes()[route];
  // The .pt statement that was running: generated handlers set it before each statement.
  const core::SourceLoc* where = core::current_location();
  shared_.spec.report(fmt::format("basilisk: {}: route {} {} {} at {}; answered 500{}",
                                  shared_.spec.name, to_string(spec.method), spec.pattern, what,
                                  core::describe(where), suppressed));
}

}  // namespace hallows::http::detail
