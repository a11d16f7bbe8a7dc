// Basilisk's part of the system plan: each service's limits with their defaults, its port, and
// its routes with their checked types (plan/services.h); the checks that need every route or
// every service at once (overlapping routes, shared ports). Every refusal says what to write.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "plan/plan.h"

namespace pt {

namespace {

constexpr std::int64_t kMs = 1'000'000;

struct LimitSpec {
  const char* name;
  bool duration;     // a duration (stored in ms), else a whole number
  std::int64_t low;  // whole numbers: the value; durations: nanoseconds
  std::int64_t high;
  const char* shown;  // the range in words
  std::int64_t ServiceLimits::*field;
};

const std::vector<LimitSpec>& limit_specs() {
  static const std::vector<LimitSpec> specs = {
      {"max_body_bytes", false, 1, 1LL << 30, "a whole number from 1 to 1073741824",
       &ServiceLimits::max_body_bytes},
      {"max_header_bytes", false, 256, 1 << 20, "a whole number from 256 to 1048576",
       &ServiceLimits::max_header_bytes},
      {"max_headers", false, 1, 1000, "a whole number from 1 to 1000", &ServiceLimits::max_headers},
      {"max_request_line_bytes", false, 64, 1 << 20, "a whole number from 64 to 1048576",
       &ServiceLimits::max_request_line_bytes},
      {"request_timeout", true, kMs, 3600 * 1000 * kMs, "a duration from 1 ms to 1 hour",
       &ServiceLimits::request_timeout_ms},
      {"idle_timeout", true, kMs, 24 * 3600 * 1000 * kMs, "a duration from 1 ms to 1 day",
       &ServiceLimits::idle_timeout_ms},
      {"max_connections", false, 1, 1'000'000, "a whole number from 1 to 1000000 (per core)",
       &ServiceLimits::max_connections},
      {"max_requests_per_connection", false, 0, 1'000'000'000,
       "a whole number from 0 (no bound) to 1000000000",
       &ServiceLimits::max_requests_per_connection},
  };
  return specs;
}

ServiceLimits plan_limits(const Decl& d, DiagnosticSink& sink) {
  ServiceLimits limits;
  std::vector<std::string> names;
  for (const LimitSpec& spec : limit_specs()) names.push_back(spec.name);
  std::map<std::string, SourceRange> seen;
  for (const Setting& s : d.settings) {
    auto spec = std::find_if(limit_specs().begin(), limit_specs().end(),
                             [&](const LimitSpec& l) { return s.name == l.name; });
    if (spec == limit_specs().end()) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      Diagnostic diag = diag::ServiceUnknownLimit(s.range, s.name, list);
      std::string guess = closest(s.name, names);
      if (!guess.empty()) diag.fix("did you mean '" + guess + "'?", s.range, guess);
      sink.report(std::move(diag));
      continue;
    }
    auto [it, inserted] = seen.emplace(s.name, s.range);
    if (!inserted) {
      sink.report(diag::ServiceDuplicateLimit(s.range, s.name).note(it->second, "the first one"));
      continue;
    }
    if (!s.value) continue;  // a syntax error, already reported
    const Expr& v = *s.value;
    ExprKind want = spec->duration ? ExprKind::kDurationLit : ExprKind::kIntLit;
    if (v.kind != want || v.int_value < spec->low || v.int_value > spec->high) {
      Diagnostic diag = diag::ServiceLimitValue(v.range, s.name, spec->shown);
      if (spec->duration && v.kind == ExprKind::kIntLit) {
        diag.note("a timeout is a duration: write the unit, for example `" +
                  std::to_string(v.int_value) + " seconds`");
      }
      sink.report(std::move(diag));
      continue;
    }
    limits.*(spec->field) = spec->duration ? v.int_value / kMs : v.int_value;
  }
  return limits;
}

// The JSON text of a literal default (for the OpenAPI document): 100, -1.5, true, "new".
std::string default_json(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kIntLit:
      return std::to_string(e.int_value);
    case ExprKind::kFloatLit:
      return e.text;
    case ExprKind::kBoolLit:
      return e.int_value ? "true" : "false";
    case ExprKind::kUnary:
      return "-" + default_json(*e.children[0]);
    case ExprKind::kStringLit:
    case ExprKind::kField: {
      std::string text = e.kind == ExprKind::kField ? e.text : e.pieces[0];
      std::string out = "\"";
      for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
          out += '\\';
          out += static_cast<char>(c);
        } else if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
      }
      return out + "\"";
    }
    default:
      return "";
  }
}

RoutePlan plan_route(const Decl& r) {
  RoutePlan rp;
  const RouteInfo& info = *r.route;
  rp.decl = &r;
  rp.method = info.method;
  rp.pattern = info.path;
  rp.doc = r.doc;
  for (std::size_t i = 0; i < r.params.size(); ++i) {
    const Param& p = r.params[i];
    RouteParamPlan param;
    param.name = p.binding->name;
    param.type = p.binding->type;
    param.binding = p.binding.get();
    param.in_path = i < info.path_params;
    if (param.in_path) {
      param.required = true;
      rp.path_params.push_back(param);
      continue;
    }
    const Expr* def = info.query_defaults[i - info.path_params].get();
    param.default_value = def;
    if (def != nullptr) param.default_json = default_json(*def);
    param.required =
        def == nullptr && param.type != nullptr && !param.type->is(Type::Kind::kOptional);
    rp.query_params.push_back(param);
  }
  rp.accepts = info.accepts ? info.request_body->type : nullptr;
  rp.returns = r.type != nullptr && !r.type->is(Type::Kind::kVoid) ? r.type : nullptr;
  rp.statuses = info.answer_statuses;
  std::sort(rp.statuses.begin(), rp.statuses.end());
  rp.statuses.erase(std::unique(rp.statuses.begin(), rp.statuses.end()), rp.statuses.end());
  return rp;
}

// What requests a route answers: its method and its segments, every parameter alike.
std::string route_shape(const Decl& r) {
  std::string shape = r.route->method;
  for (const PathSegment& s : r.route->segments) shape += "/" + (s.param >= 0 ? "{}" : s.text);
  return shape;
}

}  // namespace

const ServicePlan* SystemPlan::service(const Decl* d) const {
  for (const ServicePlan& s : services) {
    if (s.decl == d) return &s;
  }
  return nullptr;
}

ServicePlan plan_service(const Decl& d, const SystemPlan& plan, DiagnosticSink& sink) {
  ServicePlan sp;
  sp.decl = &d;
  sp.partition = d.partition;
  sp.doc = d.doc;
  if (const PartitionPlan* p = plan.partition(d.partition)) sp.cores = p->cores;
  if (d.port_range.valid() && (d.port < 1 || d.port > 65535)) {
    sink.report(diag::ServicePort(d.port_range, d.name, d.port)
                    .note("for a port the system picks, run the program with "
                          "PT_BASILISK_PORT_" +
                          d.name + "=0"));
  } else {
    sp.port = static_cast<int>(d.port);
  }
  sp.limits = plan_limits(d, sink);
  std::map<std::string, const Decl*> shapes;
  for (const auto& route : d.routes) {
    sp.routes.push_back(plan_route(*route));
    auto [it, inserted] = shapes.emplace(route_shape(*route), route.get());
    if (inserted) continue;
    const Decl& first = *it->second;
    sink.report(diag::DuplicateRoute(route->name_range, route->name, first.name)
                    .note(first.name_range, "the first route")
                    .note("parameters at the same position match the same segments, whatever "
                          "their names and types; give one route a literal segment of its own"));
  }
  return sp;
}

void check_service_ports(const SystemPlan& plan, DiagnosticSink& sink) {
  std::map<int, const Decl*> first;
  for (const ServicePlan& s : plan.services) {
    if (s.port == 0) continue;  // PT8004 said it
    auto [it, inserted] = first.emplace(s.port, s.decl);
    if (inserted) continue;
    sink.report(diag::DuplicatePort(s.decl->port_range, it->second->name, s.decl->name, s.port)
                    .note(it->second->port_range, "'" + it->second->name + "' listens here"));
  }
}

}  // namespace pt
