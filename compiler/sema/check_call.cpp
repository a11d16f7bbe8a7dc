// Calls: user functions, runtime functions, module-qualified functions and builtins.
#include "sema/checker.h"

namespace pt {

bool Checker::check_args_count(Expr& e, const std::string& name, std::size_t min, std::size_t max) {
  std::size_t given = e.children.size() - 1;
  if (given >= min && given <= max) return true;
  std::string want = min == max ? std::to_string(min) : fmt::format("{} to {}", min, max);
  sink_.report(diag::ArgumentCount(e.range, name, want, given));
  for (std::size_t i = 1; i < e.children.size(); ++i) check_expr(*e.children[i]);
  return false;
}

const Type* Checker::check_call(Expr& e, const Type* expected) {
  Expr& callee = *e.children[0];
  const Decl* fn = nullptr;
  std::string name = callee.text;
  if (callee.kind == ExprKind::kName) {
    if (Binding* b = lookup_binding(callee.text)) {
      b->used = true;
      sink_.report(diag::NotCallable(callee.range, callee.text).note(b->range, "a binding"));
      for (std::size_t i = 1; i < e.children.size(); ++i) check_expr(*e.children[i]);
      return types_.error();
    }
    fn = lookup_decl(callee.text, callee.range, true);
    if (fn == nullptr && last_lookup_ambiguous_) {  // already reported
      for (std::size_t i = 1; i < e.children.size(); ++i) check_expr(*e.children[i]);
      return types_.error();
    }
    if (fn == nullptr) {
      if (const BuiltinInfo* b = find_builtin(callee.text)) {
        e.builtin = static_cast<int>(b->id);
        if (!check_args_count(e, b->name.data(), b->min_args, b->max_args)) return types_.error();
        const Type* t = check_builtin(e, b->id, expected);
        if (t->is(Type::Kind::kVoid) && expected != types_.void_type()) {
          sink_.report(diag::VoidValueUsed(e.range, callee.text));
          return types_.error();
        }
        return t;
      }
      check_name(callee);  // reports the unknown name with a suggestion
      for (std::size_t i = 1; i < e.children.size(); ++i) check_expr(*e.children[i]);
      return types_.error();
    }
  } else if (callee.kind == ExprKind::kField && callee.children[0]->kind == ExprKind::kName &&
             lookup_binding(callee.children[0]->text) == nullptr &&
             scope_->aliases.count(callee.children[0]->text)) {
    const ModuleScope* ms = lookup_module(callee.children[0]->text);
    auto it = ms->own.find(callee.text);
    if (it == ms->own.end()) {
      sink_.report(diag::NoSuchMember(callee.range, "module " + ms->module->name, callee.text));
      for (std::size_t i = 1; i < e.children.size(); ++i) check_expr(*e.children[i]);
      return types_.error();
    }
    fn = it->second;
    name = ms->module->name + "." + callee.text;
  } else {
    const Type* t = check_expr(callee);
    if (!t->is_error()) sink_.report(diag::NotCallable(callee.range, "this " + type_name(t)));
    for (std::size_t i = 1; i < e.children.size(); ++i) check_expr(*e.children[i]);
    return types_.error();
  }
  if (fn->kind != DeclKind::kFunction && fn->kind != DeclKind::kRuntimeFunction) {
    sink_.report(
        diag::NotCallable(callee.range, name)
            .note(fn->name_range, fn->kind == DeclKind::kSchema
                                      ? "a schema: build a value with " + fn->name + " { ... }"
                                      : "declared here"));
    for (std::size_t i = 1; i < e.children.size(); ++i) check_expr(*e.children[i]);
    return types_.error();
  }
  const_cast<Decl*>(fn)->used = true;
  e.decl = fn;
  callee.decl = fn;
  if (!check_args_count(e, name, fn->params.size(), fn->params.size())) {
    e.type = fn->type;
    return fn->type ? fn->type : types_.error();
  }
  for (std::size_t i = 0; i < fn->params.size(); ++i) {
    Expr& arg = *e.children[i + 1];
    const Type* want = fn->params[i].binding->type;
    const Type* got = check_expr(arg, want);
    if (want != nullptr && !assignable(want, got)) {
      sink_.report(diag::TypeMismatch(arg.range, type_name(want), type_name(got))
                       .note(fn->params[i].binding->range,
                             "parameter '" + fn->params[i].binding->name + "' of " + name));
    }
  }
  const Type* result = fn->type ? fn->type : types_.error();
  if (result->is(Type::Kind::kVoid) && expected != types_.void_type()) {
    sink_.report(diag::VoidValueUsed(e.range, name));
    return types_.error();
  }
  return result;
}

const Type* Checker::check_builtin(Expr& e, Builtin b, const Type* expected) {
  (void)expected;
  using K = Type::Kind;
  auto arg = [&](std::size_t i) -> Expr& { return *e.children[i + 1]; };
  auto name = std::string(builtin_info(b).name);
  auto mismatch = [&](std::size_t i, const std::string& want, const Type* got) {
    if (got->is_error()) return;
    sink_.report(diag::TypeMismatch(arg(i).range, want, type_name(got))
                     .note(std::string(builtin_info(b).doc)));
  };
  switch (b) {
    case Builtin::kPrintLine:
    case Builtin::kStopProgram: {
      const Type* t = check_expr(arg(0), types_.string());
      if (!t->is(K::kString) && !t->is_error()) {
        Diagnostic d = diag::TypeMismatch(arg(0).range, "string", type_name(t));
        d.note(std::string(builtin_info(b).doc));
        if (t->is(K::kI64) || t->is(K::kF64) || t->is(K::kBool) || t->is(K::kEnum) ||
            t->is(K::kDuration) || t->is(K::kTimestamp)) {
          d.wrap_fix("convert it with to_string", arg(0).range, "to_string(", ")");
        }
        sink_.report(std::move(d));
      }
      return types_.void_type();
    }
    case Builtin::kToString: {
      const Type* t = check_expr(arg(0));
      using K2 = Type::Kind;
      if (!(t->is(K2::kI64) || t->is(K2::kF64) || t->is(K2::kBool) || t->is(K2::kString) ||
            t->is(K2::kDuration) || t->is(K2::kTimestamp) || t->is(K2::kEnum) || t->is_error())) {
        mismatch(0, "an i64, f64, bool, string, duration, timestamp or enum", t);
      }
      return types_.string();
    }
    case Builtin::kToF64: {
      const Type* t = check_expr(arg(0), types_.i64());
      if (!t->is(K::kI64)) mismatch(0, "i64", t);
      return types_.f64();
    }
    case Builtin::kToI64: {
      const Type* t = check_expr(arg(0), types_.f64());
      if (!t->is(K::kF64)) mismatch(0, "f64", t);
      return types_.i64();
    }
    case Builtin::kLength: {
      const Type* t = check_expr(arg(0));
      if (!t->is(K::kList) && !t->is(K::kMap) && !t->is(K::kString) && !t->is(K::kBytes)) {
        mismatch(0, "a list, map, string or bytes", t);
      }
      return types_.i64();
    }
    case Builtin::kListAppend:
    case Builtin::kListContains: {
      const Type* t = check_expr(arg(0));
      if (!t->is(K::kList)) {
        mismatch(0, "a list", t);
        check_expr(arg(1));
        return b == Builtin::kListAppend ? types_.void_type() : types_.boolean();
      }
      check_expect(arg(1), t->element, "the list's element type");
      if (b == Builtin::kListAppend) {
        require_mutable(arg(0), arg(0).range);
        return types_.void_type();
      }
      return types_.boolean();
    }
    case Builtin::kRange:
      check_expect(arg(0), types_.i64(), "range(start: i64, end: i64)");
      check_expect(arg(1), types_.i64(), "range(start: i64, end: i64)");
      return types_.list(types_.i64());
    case Builtin::kMapGet:
    case Builtin::kMapPut:
    case Builtin::kMapHas:
    case Builtin::kMapRemove:
    case Builtin::kMapKeys:
    case Builtin::kMapValues: {
      const Type* t = check_expr(arg(0));
      if (!t->is(K::kMap)) {
        mismatch(0, "a map<string, T>", t);
        for (std::size_t i = 1; i + 1 < e.children.size(); ++i) check_expr(arg(i));
        return types_.error();
      }
      if (e.children.size() > 2) check_expect(arg(1), types_.string(), "map keys are strings");
      switch (b) {
        case Builtin::kMapGet:
          return types_.optional(t->element);
        case Builtin::kMapPut:
          check_expect(arg(2), t->element, "the map's value type");
          require_mutable(arg(0), arg(0).range);
          return types_.void_type();
        case Builtin::kMapHas:
          return types_.boolean();
        case Builtin::kMapRemove:
          require_mutable(arg(0), arg(0).range);
          return types_.boolean();
        case Builtin::kMapKeys:
          return types_.list(types_.string());
        default:
          return types_.list(t->element);
      }
    }
    case Builtin::kToJson: {
      const Type* t = check_expr(arg(0));
      if (t->is(K::kNone) || t->is(K::kEmptyList)) {
        sink_.report(diag::CannotInferType(arg(0).range, "to_json's value", "it"));
      }
      return types_.string();
    }
    case Builtin::kDecodeJson:
    case Builtin::kDecodeJsonError: {
      check_expect(arg(0), types_.string(), "the JSON text");
      Expr& target = arg(1);
      const Decl* d = nullptr;
      if (target.kind == ExprKind::kName && !lookup_binding(target.text)) {
        d = lookup_decl(target.text, target.range, true);
        if (d == nullptr && last_lookup_ambiguous_) return types_.error();  // already reported
      }
      if (d == nullptr || d->kind != DeclKind::kSchema) {
        sink_.report(diag::TypeMismatch(target.range, "a schema name", "this")
                         .note(std::string(builtin_info(b).doc)));
        return types_.error();
      }
      const_cast<Decl*>(d)->used = true;
      target.decl = d;
      target.type = d->type;
      return b == Builtin::kDecodeJson ? types_.optional(d->type) : types_.string();
    }
    case Builtin::kSendMessage:
    case Builtin::kTrySendMessage:
      return check_send(e, b);
    case Builtin::kPublishMessage:
      return check_publish(e);
    case Builtin::kReturnOk:
    case Builtin::kReturnCreated:
    case Builtin::kReturnNoContent:
    case Builtin::kReturnNotFound:
    case Builtin::kReturnBadRequest:
    case Builtin::kReturnError:
      return check_answer(e, b);
    case Builtin::kValidationError: {
      const Type* t = check_expr(arg(0));
      if (!t->is(K::kSchema)) mismatch(0, "a schema value", t);
      return types_.string();
    }
  }
  return types_.error();
}

}  // namespace pt
