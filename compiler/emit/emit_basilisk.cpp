// C++ for Basilisk's services in a module (hallows/http): each service is a namespace holding
// its state (thread_local: one copy per core of its partition; hallows::Shared for
// let_mut_shared_var), one `void route_N(hallows::http::Exchange& ex)` per route, the routing
// table and the limits. A handler reads its parameters and body, answering 400 with an RFC 9457
// problem when one does not parse, then runs the route's body; its answer statements reply and
// return.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "emit/emitter.h"
#include "sema/builtins.h"

namespace pt {

namespace {

const char* method_enum(const std::string& method) {
  if (method == "GET") return "hallows::http::Method::kGet";
  if (method == "POST") return "hallows::http::Method::kPost";
  if (method == "PUT") return "hallows::http::Method::kPut";
  if (method == "PATCH") return "hallows::http::Method::kPatch";
  return "hallows::http::Method::kDelete";
}

// The pattern as the runtime's router reads it: `{name: type}` with type i64, f64, bool or
// string (an enum is matched as a string; the handler reads the member's name).
std::string runtime_pattern(const Decl& route) {
  const RouteInfo& info = *route.route;
  if (info.segments.empty()) return "/";
  std::string out;
  for (const PathSegment& s : info.segments) {
    out += "/";
    if (s.param < 0) {
      out += s.text;
      continue;
    }
    const Param& p = route.params[static_cast<std::size_t>(s.param)];
    const Type* t = p.binding->type;
    const char* kind = t->is(Type::Kind::kI64)    ? "i64"
                       : t->is(Type::Kind::kF64)  ? "f64"
                       : t->is(Type::Kind::kBool) ? "bool"
                                                  : "string";
    out += "{" + p.binding->name + ": " + kind + "}";
  }
  return out;
}

// "an i64 (a whole number)": what a parameter must hold, for its problem's detail.
std::string expected_text(const Type* t) {
  using K = Type::Kind;
  if (t->is(K::kI64)) return "an i64 (a whole number)";
  if (t->is(K::kF64)) return "an f64 (a decimal number)";
  if (t->is(K::kBool)) return "a bool (true or false)";
  if (t->is(K::kEnum)) {
    std::string members;
    for (std::size_t i = 0; i < t->decl->members.size(); ++i) {
      members += (i ? ", " : "") + t->decl->members[i];
    }
    return "one of " + members;
  }
  return "a string";
}

// The route's declaration as written (defaults as JSON), for comments.
std::string route_header(const Decl& r, const RoutePlan* plan) {
  std::string out = "route " + r.route->method + " \"" + r.route->path + "\"";
  if (r.route->has_query && plan != nullptr) {
    out += " query(";
    for (std::size_t i = 0; i < plan->query_params.size(); ++i) {
      const RouteParamPlan& q = plan->query_params[i];
      out += (i > 0 ? ", " : "") + q.name + ": " + type_name(q.type);
      if (!q.default_json.empty()) out += " = " + q.default_json;
    }
    out += ")";
  }
  if (r.route->accepts) out += " accepts " + type_name(r.route->request_body->type);
  if (r.return_type) out += " returns " + type_name(r.type);
  return out;
}

}  // namespace

std::string ModuleEmitter::enum_parser(const Decl& e) const {
  return "parse_" + module_file_stem(*e.module) + "_" + e.name;
}

void ModuleEmitter::emit_service_header(CodeWriter& w, const Decl& d) {
  emit_doc(w, d.doc);
  w.line("// basilisk_service " + d.name + " runs_on " + join_name(d.runs_on) +
         fmt::format(" listens_on port {}", d.port));
  w.line("namespace " + cpp_ident(d.name) + " {");
  w.line("std::vector<hallows::http::RouteSpec> routes();");
  w.line("hallows::http::Limits limits();");
  w.line("}  // namespace " + cpp_ident(d.name));
}

void ModuleEmitter::emit_service(CodeWriter& w, const Decl& d) {
  const ServicePlan* sp = plan_.service(&d);
  if (sp == nullptr) return;
  w.line("// basilisk_service " + d.name + " runs_on " + join_name(d.runs_on) +
         fmt::format(" listens_on port {}", d.port));
  w.line("namespace " + cpp_ident(d.name) + " {");
  w.line();
  if (!d.state.empty()) {
    w.line(
        fmt::format("// The service's state: let_mut_var and let_immutable_var have one copy per "
                    "core of partition {} ({} core{}), let_mut_shared_var one for all.",
                    join_name(d.runs_on), sp->cores, sp->cores == 1 ? "" : "s"));
    for (const StmtPtr& s : d.state) {
      const Binding& b = *s->binding;
      std::string init = s->value ? expr(*s->value) : "";
      if (b.kind == BindingKind::kMutShared) {
        w.line("hallows::Shared<" + type(b.type) + "> " + cpp_ident(b.name) + "{" + init + "};");
      } else {
        w.line(std::string("thread_local ") + (b.kind == BindingKind::kImmutable ? "const " : "") +
               type(b.type) + " " + cpp_ident(b.name) + " = " + init + ";");
      }
    }
    w.line();
  }
  bool mpsc = false;
  for (const ChannelPlan& c : plan_.channels) {
    bool sends = std::find(c.senders.begin(), c.senders.end(), &d) != c.senders.end();
    mpsc = mpsc || (sends && c.kind == ChannelKind::kMpsc);
  }
  if (mpsc) {
    w.line(
        "// This core's lane in the mpsc channels the service sends on: each core's worker takes");
    w.line("// the next index the first time it sends (a partition runs one worker per core).");
    w.line("std::size_t core_lane() {");
    w.line("  static std::atomic<std::size_t> next{0};");
    w.line(
        fmt::format("  thread_local const std::size_t lane = next.fetch_add(1) % {};", sp->cores));
    w.line("  return lane;");
    w.line("}");
    w.line();
  }
  // Readers of the enums that path and query parameters hold, by member name.
  std::set<const Decl*> enums;
  for (const auto& r : d.routes) {
    for (const Param& p : r->params) {
      const Type* t = p.binding->type;
      if (t != nullptr && t->is(Type::Kind::kOptional)) t = t->element;
      if (t != nullptr && t->is(Type::Kind::kEnum)) enums.insert(t->decl);
    }
  }
  for (const Decl* e : enums) {
    w.line("bool " + enum_parser(*e) + "(std::string_view text, " + decl_name(e) + "& out) {");
    w.indent();
    for (const std::string& m : e->members) {
      w.line("if (text == " + cpp_string_literal(m) + ") {");
      w.line("  out = " + decl_name(e) + "::" + cpp_ident(m) + ";");
      w.line("  return true;");
      w.line("}");
    }
    w.line("return false;");
    w.dedent();
    w.line("}");
    w.line();
  }
  for (std::size_t i = 0; i < d.routes.size(); ++i) emit_route(w, *d.routes[i], i);
  w.line("std::vector<hallows::http::RouteSpec> routes() {");
  w.indent();
  w.line("return {");
  w.indent();
  for (std::size_t i = 0; i < d.routes.size(); ++i) {
    const Decl& r = *d.routes[i];
    w.line(fmt::format("{{{}, {}, &route_{}}},", method_enum(r.route->method),
                       cpp_string_literal(runtime_pattern(r)), i));
  }
  w.dedent();
  w.line("};");
  w.dedent();
  w.line("}");
  w.line();
  const ServiceLimits& l = sp->limits;
  w.line("hallows::http::Limits limits() {");
  w.indent();
  w.line("hallows::http::Limits limits;");
  w.line(fmt::format("limits.max_request_line_bytes = {};", l.max_request_line_bytes));
  w.line(fmt::format("limits.max_header_bytes = {};", l.max_header_bytes));
  w.line(fmt::format("limits.max_headers = {};", l.max_headers));
  w.line(fmt::format("limits.max_body_bytes = {};", l.max_body_bytes));
  w.line(
      fmt::format("limits.request_timeout = std::chrono::milliseconds({});", l.request_timeout_ms));
  w.line(fmt::format("limits.idle_timeout = std::chrono::milliseconds({});", l.idle_timeout_ms));
  w.line(fmt::format("limits.max_connections = {};  // per core", l.max_connections));
  w.line(fmt::format("limits.max_requests_per_connection = {};  // 0: no bound",
                     l.max_requests_per_connection));
  w.line("return limits;");
  w.dedent();
  w.line("}");
  w.line();
  w.line("}  // namespace " + cpp_ident(d.name));
  w.line();
}

// Reads `text` (a std::string_view or std::string expression) into `target` of type `t`, or
// answers 400 naming the parameter and returns.
void ModuleEmitter::emit_param_read(CodeWriter& w, const Type* t, const std::string& text,
                                    const std::string& target, const std::string& what,
                                    const std::string& name) {
  using K = Type::Kind;
  if (t->is(K::kString)) {
    w.line(target + " = std::string(" + text + ");");
    return;
  }
  std::string parse = t->is(K::kI64)    ? "hallows::http::parse_i64"
                      : t->is(K::kF64)  ? "hallows::http::parse_f64"
                      : t->is(K::kBool) ? "hallows::http::parse_bool"
                                        : enum_parser(*t->decl);
  w.line("if (!" + parse + "(" + text + ", " + target + ")) {");
  w.indent();
  w.line("ex.reply_problem(400, " +
         cpp_string_literal(what + " " + name + " must be " + expected_text(t) + ", not \"") +
         " + std::string(" + text + ") + \"\\\"\", " + cpp_string_literal(name) + ", " +
         cpp_string_literal(type_name(t)) + ");");
  w.line("return;");
  w.dedent();
  w.line("}");
}

void ModuleEmitter::emit_route(CodeWriter& w, const Decl& r, std::size_t index) {
  fresh_counter_ = 0;
  system_owner_ = &r;
  const RouteInfo& info = *r.route;
  const ServicePlan* sp = plan_.service(r.service);
  const RoutePlan* rp = sp != nullptr && index < sp->routes.size() ? &sp->routes[index] : nullptr;
  emit_doc(w, r.doc);
  w.line("// " + route_header(r, rp));
  w.line(fmt::format("void route_{}(hallows::http::Exchange& ex) {{", index));
  w.indent();
  w.line(fmt::format("HALLOWS_AT({}, {}, {});",
                     cpp_string_literal(options_.display_paths.at(r.name_range.file)),
                     r.name_range.line, r.name_range.column));
  for (std::size_t i = 0; i < r.params.size(); ++i) {
    const Binding& b = *r.params[i].binding;
    const Type* t = b.type;
    std::string name = cpp_ident(b.name);
    if (i < info.path_params) {
      w.line(type(t) + " " + name + "{};");
      emit_param_read(w, t, fmt::format("ex.path_param({})", i), name, "path parameter", b.name);
      continue;
    }
    const Expr* def = info.query_defaults[i - info.path_params].get();
    bool optional = t->is(Type::Kind::kOptional);
    std::string text = fresh(b.name + "_text");
    w.line(type(t) + " " + name + (def != nullptr ? " = " + expr(*def) : "{}") + ";");
    w.line("if (std::optional<std::string> " + text + " = ex.query_param(" +
           cpp_string_literal(b.name) + ")) {");
    w.indent();
    if (optional && t->element->is(Type::Kind::kString)) {
      w.line(name + " = std::move(*" + text + ");");
    } else if (optional) {
      std::string value = fresh("value");
      w.line(type(t->element) + " " + value + "{};");
      emit_param_read(w, t->element, "*" + text, value, "query parameter", b.name);
      w.line(name + " = std::move(" + value + ");");
    } else {
      emit_param_read(w, t, "*" + text, name, "query parameter", b.name);
    }
    w.dedent();
    if (def == nullptr && !optional) {
      w.line("} else {");
      w.indent();
      w.line("ex.reply_problem(400, " + cpp_string_literal("missing query parameter " + b.name) +
             ", " + cpp_string_literal(b.name) + ", \"required\");");
      w.line("return;");
      w.dedent();
    }
    w.line("}");
  }
  if (info.accepts) {
    std::string schema = type(info.request_body->type);
    w.line("// The body: strict JSON decoding of " + type_name(info.request_body->type) +
           ", then its validate rules.");
    w.line("hallows::BodyError why;");
    w.line("std::optional<" + schema + "> decoded = hallows::decode_request_body<" + schema +
           ">(ex.body(), why);");
    w.line("if (!decoded) {");
    w.line("  ex.reply_problem(400, why.message, why.field, why.rule);");
    w.line("  return;");
    w.line("}");
    w.line("const " + schema + "& request_body = *decoded;");
  }
  emit_block(w, r.body);
  w.dedent();
  w.line("}");
  w.line();
  system_owner_ = nullptr;
}

void ModuleEmitter::emit_answer(CodeWriter& w, const Expr& call) {
  auto arg = [&](std::size_t i) { return expr(*call.children[i + 1]); };
  // The value's JSON, written into the answer's reused buffer, encoded as the route's `returns`
  // type (so that `none` is that optional's).
  auto reply = [&](int status) {
    const Type* want = system_owner_ != nullptr ? system_owner_->type : nullptr;
    bool typed = want != nullptr && !want->is(Type::Kind::kVoid) && !want->is_error();
    return "hallows::http::reply_json_value" + (typed ? "<" + type(want) + ">" : std::string()) +
           "(ex, " + std::to_string(status) + ", " + arg(0) + ");";
  };
  switch (static_cast<Builtin>(call.builtin)) {
    case Builtin::kReturnOk:
      w.line(reply(200));
      break;
    case Builtin::kReturnCreated:
      w.line(reply(201));
      break;
    case Builtin::kReturnNoContent:
      w.line("ex.reply_empty(204);");
      break;
    case Builtin::kReturnNotFound:
      w.line("ex.reply_problem(404, " + arg(0) + ");");
      break;
    case Builtin::kReturnBadRequest:
      w.line("ex.reply_problem(400, " + arg(0) + ");");
      break;
    case Builtin::kReturnError: {
      const Expr& status = *call.children[1];
      if (status.kind == ExprKind::kIntLit) {
        w.line(fmt::format("ex.reply_problem({}, {});", status.int_value, arg(1)));
        break;
      }
      // A computed status outside 400-599 is the program's own failure: 500.
      std::string s = fresh("status");
      w.line("{");
      w.indent();
      w.line("const std::int64_t " + s + " = " + arg(0) + ";");
      w.line("ex.reply_problem(" + s + " >= 400 && " + s + " <= 599 ? static_cast<int>(" + s +
             ") : 500, " + arg(1) + ");");
      w.dedent();
      w.line("}");
      break;
    }
    default:
      break;
  }
  w.line("return;");
}

}  // namespace pt
