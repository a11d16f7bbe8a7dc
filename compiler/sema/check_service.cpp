// Basilisk's names and types: what a service runs on, each route's method, parameters, body and
// answer types, the service's state, and the answer statements (return_ok, ...) that end a
// route's handler. Limits, ports and overlapping routes are the plan's (plan/services.cpp).
#include <algorithm>
#include <cctype>

#include "sema/checker.h"

namespace pt {

namespace {

const std::vector<std::string>& http_methods() {
  static const std::vector<std::string> methods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  return methods;
}

// Types a path segment or a query value can hold: one scalar, read from text.
bool scalar_param_type(const Type* t) {
  using K = Type::Kind;
  return t->is(K::kI64) || t->is(K::kF64) || t->is(K::kBool) || t->is(K::kString) ||
         t->is(K::kEnum);
}

// A literal default: a number, string without holes, bool, `Enum.member`, negated number.
bool literal_default(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kIntLit:
    case ExprKind::kFloatLit:
    case ExprKind::kBoolLit:
      return true;
    case ExprKind::kStringLit:
      return e.children.empty();
    case ExprKind::kUnary:
      return e.unary_op == UnaryOp::kNeg && (e.children[0]->kind == ExprKind::kIntLit ||
                                             e.children[0]->kind == ExprKind::kFloatLit);
    case ExprKind::kField:
      return e.children[0]->kind == ExprKind::kName;
    default:
      return false;
  }
}

// The value of a literal whole number (`404`, `-1`), if it is one.
bool literal_int(const Expr& e, std::int64_t& out) {
  if (e.kind == ExprKind::kIntLit) {
    out = e.int_value;
    return true;
  }
  if (e.kind == ExprKind::kUnary && e.unary_op == UnaryOp::kNeg &&
      e.children[0]->kind == ExprKind::kIntLit) {
    out = -e.children[0]->int_value;
    return true;
  }
  return false;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

void Checker::check_service_signature(Decl& d) {
  d.type = types_.void_type();
  resolve_runs_on(d);
  for (auto& route : d.routes) {
    route->partition = d.partition;
    check_route_signature(*route);
  }
}

void Checker::check_route_signature(Decl& r) {
  RouteInfo& info = *r.route;
  const auto& methods = http_methods();
  if (!info.method.empty() &&
      std::find(methods.begin(), methods.end(), info.method) == methods.end()) {
    Diagnostic diag = diag::UnknownHttpMethod(info.method_range, info.method);
    std::string up = upper(info.method);
    if (std::find(methods.begin(), methods.end(), up) != methods.end()) {
      diag.fix("write " + up, info.method_range, up);
    } else if (up == "HEAD") {
      diag.note("every GET route answers HEAD requests too: declare the GET route");
    } else if (up == "OPTIONS") {
      diag.note("the runtime answers OPTIONS and other methods itself (405, with Allow)");
    }
    sink_.report(std::move(diag));
  }
  // Every parameter and request_body is one name in the handler.
  std::map<std::string, SourceRange> names;
  auto name_once = [&](const Binding& b) {
    auto [it, inserted] = names.emplace(b.name, b.range);
    if (!inserted) {
      sink_.report(diag::DuplicateRouteParam(b.range, b.name).note(it->second, "the first one"));
    }
  };
  for (std::size_t i = 0; i < r.params.size(); ++i) {
    Param& p = r.params[i];
    const Type* t = resolve_type(p.type);
    p.binding->type = t;
    p.binding->used = true;  // a parameter is part of the route's contract, used or not
    name_once(*p.binding);
    if (t->is_error()) continue;
    bool in_path = i < info.path_params;
    if (in_path) {
      if (!scalar_param_type(t)) {
        sink_.report(diag::PathParamType(p.type.range, p.binding->name, type_name(t))
                         .note("a path parameter is i64, f64, bool, string or an enum; an "
                               "optional part of a path is a second route"));
      }
      continue;
    }
    bool optional = t->is(Type::Kind::kOptional);
    if (!scalar_param_type(optional ? t->element : t)) {
      sink_.report(diag::QueryParamType(p.type.range, p.binding->name, type_name(t))
                       .note("a query parameter is i64, f64, bool, string or an enum, or an "
                             "optional<...> of one; lists and schemas belong in the body "
                             "(`accepts`)"));
      continue;
    }
    Expr* def = info.query_defaults[i - info.path_params].get();
    if (def == nullptr) continue;
    if (optional) {
      sink_.report(diag::QueryParamDefault(def->range, p.binding->name,
                                           "is not allowed: an optional query parameter is "
                                           "none when the request leaves it out")
                       .note("drop `optional<...>` to give it a default, or drop the default"));
      continue;
    }
    const Type* got = check_expr(*def, t);
    if (!literal_default(*def) || (!either_error(t, got) && !assignable(t, got))) {
      sink_.report(diag::QueryParamDefault(def->range, p.binding->name,
                                           "must be a literal " + type_name(t)));
    }
  }
  if (info.accepts) {
    const Type* t = resolve_type(*info.accepts);
    if (!t->is_error() && !t->is(Type::Kind::kSchema)) {
      sink_.report(diag::AcceptsNotSchema(info.accepts->range, type_name(t))
                       .note("a request body is a JSON object decoded into a schema: declare "
                             "one (`schema NewOrder { field ... }`) and write `accepts NewOrder`"));
      t = types_.error();
    }
    info.request_body->type = t;
    info.request_body->used = true;
    name_once(*info.request_body);
  }
  r.type = r.return_type ? resolve_type(*r.return_type) : types_.void_type();
}

void Checker::check_service(Decl& d) {
  begin_body(d);
  for (StmtPtr& s : d.state) {
    Binding& b = *s->binding;
    bool kind_ok = b.kind == BindingKind::kMut || b.kind == BindingKind::kImmutable ||
                   b.kind == BindingKind::kMutShared;
    if (!kind_ok || !s->value) sink_.report(diag::BadServiceState(b.range, b.name));
    if (!s->value) {
      // Declared, so that the routes using it are checked, and reported once (here).
      b.type = s->declared_type ? resolve_type(*s->declared_type) : types_.error();
      b.used = true;
      declare(b);
      continue;
    }
    check_stmt(*s);
  }
  FlowState after_state = flow_;
  for (auto& route : d.routes) {
    Decl& r = *route;
    function_ = &r;
    flow_ = after_state;
    loop_depth_ = 0;
    loop_broken_.clear();
    walked_.clear();
    push_scope();
    declare_params(r);
    if (Binding* body = r.route->request_body.get()) {
      // Declared like a parameter: a clash with one was reported as PT8011.
      locals_.back().push_back(body);
      all_locals_.push_back(body);
      let_of_.push_back(nullptr);
    }
    bool answers = check_block(r.body);
    if (!answers) {
      Diagnostic diag = diag::RouteWithoutAnswer(r.name_range, r.name);
      diag.note(r.type->is(Type::Kind::kVoid) || r.type->is_error()
                    ? "end every path with return_no_content() or a message answer "
                      "(return_not_found, return_bad_request, return_error)"
                    : "end every path with return_ok(...) or another answer");
      sink_.report(std::move(diag));
    }
    pop_scope();
    // The service sends from its routes: the plan counts it once per core.
    for (const Decl::Send& s : r.sends) d.sends.push_back(s);
  }
  function_ = &d;
  pop_scope();
  finish_bindings();
  function_ = nullptr;
}

void Checker::report_request_body(Expr& e) {
  Diagnostic diag = diag::RequestBodyWithoutAccepts(e.range);
  if (function_ != nullptr && function_->kind == DeclKind::kRoute) {
    diag.note(function_->name_range,
              "this route has no `accepts`: write `accepts SchemaName` after its path");
  } else {
    diag.note("only a route's handler has request_body; pass it to functions as an argument");
  }
  sink_.report(std::move(diag));
}

// return_ok, return_created, return_no_content, return_not_found, return_bad_request,
// return_error: each answers the request of the route being checked.
const Type* Checker::check_answer(Expr& e, Builtin b) {
  auto arg = [&](std::size_t i) -> Expr& { return *e.children[i + 1]; };
  std::string name(builtin_info(b).name);
  Decl* route = function_ != nullptr && function_->kind == DeclKind::kRoute ? function_ : nullptr;
  if (route == nullptr) {
    sink_.report(diag::AnswerOutsideRoute(e.children[0]->range, name)
                     .note(std::string(builtin_info(b).doc)));
  }
  std::int64_t status = 0;
  switch (b) {
    case Builtin::kReturnOk:
    case Builtin::kReturnCreated: {
      status = b == Builtin::kReturnOk ? 200 : 201;
      const Type* want = route != nullptr ? route->type : nullptr;
      bool has_returns = want != nullptr && !want->is(Type::Kind::kVoid);
      const Type* got = check_expr(arg(0), has_returns ? want : nullptr);
      if (route == nullptr || want->is_error() || got->is_error()) break;
      if (!has_returns) {
        Diagnostic diag = diag::AnswerWithoutReturns(e.children[0]->range, name);
        if (!got->is(Type::Kind::kVoid) && !got->is(Type::Kind::kNone) &&
            !got->is(Type::Kind::kEmptyList) && !got->is(Type::Kind::kEmptyMap)) {
          diag.note(route->name_range,
                    "declare what it answers after the path: `returns " + type_name(got) + "`");
        }
        sink_.report(std::move(diag));
      } else if (!assignable(want, got)) {
        sink_.report(diag::AnswerTypeMismatch(arg(0).range, type_name(want), type_name(got))
                         .note(route->return_type->range, "the route's `returns`"));
      }
      break;
    }
    case Builtin::kReturnNoContent:
      status = 204;
      break;
    case Builtin::kReturnNotFound:
    case Builtin::kReturnBadRequest:
      status = b == Builtin::kReturnNotFound ? 404 : 400;
      check_expect(arg(0), types_.string(), "the message: the problem's `detail`");
      break;
    case Builtin::kReturnError: {
      check_expect(arg(0), types_.i64(), "the HTTP status, from 400 to 599");
      check_expect(arg(1), types_.string(), "the message: the problem's `detail`");
      if (literal_int(arg(0), status) && (status < 400 || status > 599)) {
        Diagnostic diag = diag::ErrorStatusRange(arg(0).range, status);
        if (status == 200 || status == 201 || status == 204) {
          diag.note(
              "a success has its own answer: return_ok, return_created or "
              "return_no_content");
        }
        sink_.report(std::move(diag));
      } else if (!literal_int(arg(0), status)) {
        status = 0;  // computed: 400 to 599 at run time, else 500
      }
      break;
    }
    default:
      break;
  }
  if (route != nullptr) route->route->answer_statuses.push_back(status);
  return types_.void_type();
}

}  // namespace pt
