// Expressions: names, fields, literals, operators.
#include <algorithm>

#include "sema/checker.h"

namespace pt {

namespace {

// Edit distance where swapping two neighbouring characters counts as one edit (a common typo).
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] != b[j - 1];
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

// The candidate closest to `name`, if it is close enough to be a typo.
std::string closest(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance =
      std::max<std::size_t>(1, std::min<std::size_t>(3, name.size() / 3)) + 1;
  // The first closest candidate wins: callers list the nearest scopes first.
  for (const std::string& c : candidates) {
    if (c.size() > name.size() + 3 || name.size() > c.size() + 3) continue;
    std::size_t d = edit_distance(name, c);
    if (d < best_distance && c != name) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

namespace {

// Types that can stand in a string hole or be given to to_string.
bool textual(const Type* t) {
  using K = Type::Kind;
  return t->is(K::kI64) || t->is(K::kF64) || t->is(K::kBool) || t->is(K::kString) ||
         t->is(K::kDuration) || t->is(K::kTimestamp) || t->is(K::kEnum) || t->is_error();
}

}  // namespace

std::string Checker::closest_name(const std::string& name) {
  std::vector<std::string> candidates;
  for (auto& scope : locals_) {
    for (Binding* b : scope) candidates.push_back(b->name);
  }
  for (auto& [n, d] : scope_->own) candidates.push_back(n);
  for (auto& [imp, s] : scope_->imports) {
    for (auto& [n, d] : s->own) candidates.push_back(n);
  }
  for (int i = 0; i <= static_cast<int>(Builtin::kReturnError); ++i) {
    candidates.emplace_back(builtin_info(static_cast<Builtin>(i)).name);
  }
  return closest(name, candidates);
}

const Type* Checker::check_expect(Expr& e, const Type* expected, const char* what) {
  const Type* t = check_expr(e, expected);
  if (!assignable(expected, t)) {
    sink_.report(diag::TypeMismatch(e.range, type_name(expected), type_name(t)).note(what));
  }
  return t;
}

const Type* Checker::check_expr(Expr& e, const Type* expected) {
  const Type* t = types_.error();
  switch (e.kind) {
    case ExprKind::kIntLit:
      t = types_.i64();
      break;
    case ExprKind::kFloatLit:
      t = types_.f64();
      break;
    case ExprKind::kDurationLit:
      t = types_.duration();
      break;
    case ExprKind::kBoolLit:
      t = e.text == "<error>" ? types_.error() : types_.boolean();
      break;
    case ExprKind::kStringLit:
      t = check_string(e);
      break;
    case ExprKind::kNoneLit:
      t = expected != nullptr && expected->is(Type::Kind::kOptional) ? expected : types_.none();
      break;
    case ExprKind::kSomeLit: {
      const Type* want =
          expected != nullptr && expected->is(Type::Kind::kOptional) ? expected->element : nullptr;
      const Type* inner = check_expr(*e.children[0], want);
      if (inner->is(Type::Kind::kNone) || inner->is(Type::Kind::kEmptyList)) {
        t = types_.error();
        sink_.report(diag::CannotInferType(e.range, "some(...)", "its value"));
      } else if (inner->is(Type::Kind::kVoid)) {
        t = types_.error();
      } else {
        t = types_.optional(inner);
      }
      break;
    }
    case ExprKind::kListLit:
      t = check_list_literal(e, expected);
      break;
    case ExprKind::kMapLit:
      t = check_map_literal(e, expected);
      break;
    case ExprKind::kSchemaLit:
      t = check_schema_literal(e);
      break;
    case ExprKind::kName:
      t = check_name(e);
      break;
    case ExprKind::kField:
      t = check_field(e);
      break;
    case ExprKind::kCall:
      t = check_call(e, expected);
      break;
    case ExprKind::kIndex: {
      const Type* base = check_expr(*e.children[0]);
      if (base->is(Type::Kind::kList) || base->is_error()) {
        check_expect(*e.children[1], types_.i64(), "list indexes are i64");
      } else {
        check_expr(*e.children[1]);  // not a list: only the one error below, not a second
      }
      if (base->is(Type::Kind::kList)) {
        t = base->element;
      } else if (!base->is_error()) {
        Diagnostic d = diag::NotIndexable(e.children[0]->range, type_name(base));
        if (base->is(Type::Kind::kMap)) d.note("read a map with map_get(entries, key)");
        sink_.report(std::move(d));
      }
      break;
    }
    case ExprKind::kUnary:
      t = check_unary(e);
      break;
    case ExprKind::kBinary:
      t = check_binary(e);
      break;
  }
  e.type = t;
  return t;
}

const Type* Checker::check_string(Expr& e) {
  for (auto& hole : e.children) {
    const Type* t = check_expr(*hole);
    if (!textual(t)) {
      Diagnostic d =
          diag::TypeMismatch(hole->range, "a value that can be shown as text", type_name(t));
      if (t->is(Type::Kind::kSchema) || t->is(Type::Kind::kList) || t->is(Type::Kind::kMap)) {
        d.note("show it as JSON with {to_json(...)} or pick a field");
      } else if (t->is(Type::Kind::kOptional)) {
        d.note("use match with `when some(x)` to get at the value");
      }
      sink_.report(std::move(d));
    }
  }
  return types_.string();
}

// Checks one element (or map value) of a literal against the type the earlier ones settled on,
// and returns the settled type. `none`, `[]` and `[:]` settle nothing until a typed value comes.
const Type* Checker::check_element(Expr& value, const Type* settled, const char* rule) {
  const Type* t = check_expr(value, settled);
  if (settled == nullptr || settled->is(Type::Kind::kNone) || settled->is(Type::Kind::kEmptyList) ||
      settled->is(Type::Kind::kEmptyMap)) {
    return t;
  }
  if (!assignable(settled, t)) {
    sink_.report(diag::TypeMismatch(value.range, type_name(settled), type_name(t)).note(rule));
  }
  return settled;
}

const Type* Checker::check_list_literal(Expr& e, const Type* expected) {
  const Type* want =
      expected != nullptr && expected->is(Type::Kind::kList) ? expected->element : nullptr;
  if (e.children.empty()) return want != nullptr ? expected : types_.empty_list();
  const Type* element = want;
  for (auto& c : e.children) {
    element = check_element(*c, element, "all elements of a list have one type");
  }
  if (element->is(Type::Kind::kVoid)) return types_.error();
  return types_.list(element);
}

const Type* Checker::check_map_literal(Expr& e, const Type* expected) {
  const Type* want =
      expected != nullptr && expected->is(Type::Kind::kMap) ? expected->element : nullptr;
  if (e.children.empty()) return want != nullptr ? expected : types_.empty_map();
  const Type* value = want;
  for (std::size_t i = 0; i + 1 < e.children.size(); i += 2) {
    check_expect(*e.children[i], types_.string(), "map keys are strings");
    value = check_element(*e.children[i + 1], value, "all values of a map have one type");
  }
  if (value->is(Type::Kind::kVoid)) return types_.error();
  return types_.map(value);
}

const Type* Checker::check_schema_literal(Expr& e) {
  const Decl* d = lookup_decl(e.text, e.range, true);
  if (d == nullptr || d->kind != DeclKind::kSchema) {
    bool ambiguous = last_lookup_ambiguous_;  // already reported
    for (auto& c : e.children) check_expr(*c);
    if (ambiguous) return types_.error();
    if (d == nullptr) {
      Diagnostic diag = diag::UnknownType(e.range, e.text);
      sink_.report(std::move(diag));
    } else {
      sink_.report(diag::TypeMismatch(e.range, "a schema name before '{'", "'" + e.text + "'"));
    }
    return types_.error();
  }
  const_cast<Decl*>(d)->used = true;
  e.decl = d;
  std::set<std::string> given;
  for (std::size_t i = 0; i < e.children.size(); ++i) {
    const std::string& name = e.names[i];
    auto field = std::find_if(d->fields.begin(), d->fields.end(),
                              [&](const FieldDecl& f) { return f.name == name; });
    if (field == d->fields.end()) {
      check_expr(*e.children[i]);
      std::vector<std::string> names;
      for (const FieldDecl& f : d->fields) names.push_back(f.name);
      Diagnostic diag = diag::UnknownField(e.name_ranges[i], d->name, name);
      std::string guess = closest(name, names);
      if (!guess.empty()) diag.fix("write " + guess, e.name_ranges[i], guess);
      sink_.report(std::move(diag));
      continue;
    }
    if (!given.insert(name).second) {
      sink_.report(diag::DuplicateFieldInit(e.name_ranges[i], name));
    }
    const Type* want = field->type.resolved ? field->type.resolved : types_.error();
    const Type* t = check_expr(*e.children[i], want);
    if (!assignable(want, t)) {
      sink_.report(diag::TypeMismatch(e.children[i]->range, type_name(want), type_name(t))
                       .note(field->range, "the field's declared type"));
    }
  }
  for (const FieldDecl& f : d->fields) {
    if (given.count(f.name) || f.default_value) continue;
    const Type* ft = f.type.resolved;
    if (ft != nullptr &&
        (ft->is(Type::Kind::kOptional) || ft->is(Type::Kind::kList) || ft->is(Type::Kind::kMap))) {
      continue;  // none / empty by default
    }
    sink_.report(diag::MissingFieldInit(e.range, d->name, f.name).note(f.range, "the field"));
  }
  return d->type;
}

const Type* Checker::check_name(Expr& e) {
  if (Binding* b = lookup_binding(e.text)) {
    e.binding = b;
    mark_read(*b, e.range);
    return b->type ? b->type : types_.error();
  }
  const Decl* found = lookup_decl(e.text, e.range, true);
  if (found == nullptr && last_lookup_ambiguous_) return types_.error();  // already reported
  if (const Decl* d = found) {
    const char* what = d->kind == DeclKind::kSchema ? "a schema (a type)"
                       : d->kind == DeclKind::kEnum ? "an enum (a type); pick a member with ."
                                                    : "a function; call it with ( )";
    sink_.report(diag::NotAValue(e.range, e.text, what));
    return types_.error();
  }
  if (scope_->aliases.count(e.text)) {
    sink_.report(diag::NotAValue(e.range, e.text, "a module; use its members with ."));
    return types_.error();
  }
  if (find_builtin(e.text) != nullptr) {
    sink_.report(diag::NotAValue(e.range, e.text, "a built-in function; call it with ( )"));
    return types_.error();
  }
  if (e.text == "request_body") {
    // A route without `accepts`, or code outside a route (check_service.cpp).
    report_request_body(e);
    return types_.error();
  }
  Diagnostic d = diag::UnknownName(e.range, e.text);
  std::string guess = closest_name(e.text);
  if (!guess.empty()) d.fix("did you mean '" + guess + "'?", e.range, guess);
  sink_.report(std::move(d));
  return types_.error();
}

const Type* Checker::check_field(Expr& e) {
  Expr& base = *e.children[0];
  SourceRange name_range = e.name_ranges.empty() ? e.range : e.name_ranges[0];
  // `Color.red` and `module.name` are not values on the left.
  if (base.kind == ExprKind::kName && lookup_binding(base.text) == nullptr) {
    const Decl* d = lookup_decl(base.text, base.range, false);
    if (d != nullptr && d->kind == DeclKind::kEnum) {
      const_cast<Decl*>(d)->used = true;
      base.decl = d;
      base.type = d->type;
      auto it = std::find(d->members.begin(), d->members.end(), e.text);
      if (it == d->members.end()) {
        Diagnostic diag = diag::UnknownEnumMember(name_range, d->name, e.text);
        std::string guess = closest(e.text, d->members);
        if (!guess.empty()) diag.fix("write " + guess, name_range, guess);
        sink_.report(std::move(diag));
        return types_.error();
      }
      e.decl = d;
      e.member_index = static_cast<int>(it - d->members.begin());
      return d->type;
    }
    if (d == nullptr) {
      if (const ModuleScope* ms = lookup_module(base.text)) {
        auto it = ms->own.find(e.text);
        if (it == ms->own.end() || it->second->kind == DeclKind::kProgram) {
          sink_.report(diag::NoSuchMember(name_range, "module " + ms->module->name, e.text));
          return types_.error();
        }
        // A qualified enum member: `colors.Color.red` is checked by the outer Field.
        e.decl = it->second;
        if (it->second->kind == DeclKind::kEnum) return types_.error();
        sink_.report(diag::NotAValue(e.range, e.text, "a declaration of another module"));
        return types_.error();
      }
    }
  }
  // A qualified enum member: module.Enum.member
  if (base.kind == ExprKind::kField && base.children[0]->kind == ExprKind::kName &&
      scope_->aliases.count(base.children[0]->text) && !lookup_binding(base.children[0]->text)) {
    if (const ModuleScope* ms = lookup_module(base.children[0]->text)) {
      auto it = ms->own.find(base.text);
      if (it != ms->own.end() && it->second->kind == DeclKind::kEnum) {
        const Decl* d = it->second;
        auto m = std::find(d->members.begin(), d->members.end(), e.text);
        if (m == d->members.end()) {
          sink_.report(diag::UnknownEnumMember(name_range, d->name, e.text));
          return types_.error();
        }
        base.decl = d;
        e.decl = d;
        e.member_index = static_cast<int>(m - d->members.begin());
        return d->type;
      }
    }
  }
  const Type* t = check_expr(base);
  if (t->is_error()) return t;
  if (t->is(Type::Kind::kSchema)) {
    const Decl* d = t->decl;
    for (std::size_t i = 0; i < d->fields.size(); ++i) {
      if (d->fields[i].name == e.text) {
        e.member_index = static_cast<int>(i);
        e.decl = d;
        return d->fields[i].type.resolved ? d->fields[i].type.resolved : types_.error();
      }
    }
    std::vector<std::string> names;
    for (const FieldDecl& f : d->fields) names.push_back(f.name);
    Diagnostic diag = diag::UnknownField(name_range, d->name, e.text);
    std::string guess = closest(e.text, names);
    if (!guess.empty()) diag.fix("write " + guess, name_range, guess);
    sink_.report(std::move(diag));
    return types_.error();
  }
  Diagnostic diag = diag::NoSuchMember(name_range, type_name(t), e.text);
  if (t->is(Type::Kind::kOptional)) {
    diag.note("the value may be missing: match it first (when some(x) { ... x." + e.text + " })");
  } else if (e.text == "length" || e.text == "size" || e.text == "len" || e.text == "count") {
    diag.note("write length(...)");
  }
  sink_.report(std::move(diag));
  return types_.error();
}

const Type* Checker::check_unary(Expr& e) {
  const Type* t = check_expr(*e.children[0]);
  if (t->is_error()) return t;
  if (e.unary_op == UnaryOp::kNot) {
    if (t->is(Type::Kind::kBool)) return t;
  } else if (t->is(Type::Kind::kI64) || t->is(Type::Kind::kF64) || t->is(Type::Kind::kDuration)) {
    return t;
  }
  sink_.report(diag::BadUnaryOperand(e.range, spelling(e.unary_op), type_name(t)));
  return types_.error();
}

const Type* Checker::check_binary(Expr& e) {
  Expr& lhs_expr = *e.children[0];
  Expr& rhs_expr = *e.children[1];
  const Type* a = check_expr(lhs_expr);
  const Type* b = check_expr(rhs_expr, a->is(Type::Kind::kNone) ? nullptr : a);
  if (a->is(Type::Kind::kNone) && b->is(Type::Kind::kOptional)) a = b;
  if (either_error(a, b)) return types_.error();
  using K = Type::Kind;
  BinaryOp op = e.binary_op;
  auto both = [&](K k) { return a->is(k) && b->is(k); };
  switch (op) {
    case BinaryOp::kAnd:
    case BinaryOp::kOr:
      if (both(K::kBool)) return a;
      break;
    case BinaryOp::kEq:
    case BinaryOp::kNe:
      if (a == b && !a->is(K::kVoid)) return types_.boolean();
      if (a->is(K::kOptional) && b->is(K::kNone)) return types_.boolean();
      break;
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe:
      if (a == b &&
          (a->is_numeric() || a->is(K::kString) || a->is(K::kDuration) || a->is(K::kTimestamp))) {
        return types_.boolean();
      }
      break;
    case BinaryOp::kAdd:
      if (a == b && (a->is_numeric() || a->is(K::kString) || a->is(K::kDuration))) return a;
      if (a->is(K::kTimestamp) && b->is(K::kDuration)) return a;
      break;
    case BinaryOp::kSub:
      if (a == b && (a->is_numeric() || a->is(K::kDuration))) return a;
      if (both(K::kTimestamp)) return types_.duration();
      if (a->is(K::kTimestamp) && b->is(K::kDuration)) return a;
      break;
    case BinaryOp::kMul:
      if (a == b && a->is_numeric()) return a;
      if (a->is(K::kDuration) && b->is(K::kI64)) return a;
      break;
    case BinaryOp::kDiv:
      if (a == b && a->is_numeric()) return a;
      if (a->is(K::kDuration) && b->is(K::kI64)) return a;
      break;
    case BinaryOp::kRem:
      if (both(K::kI64)) return a;
      break;
  }
  Diagnostic d = diag::BadOperands(e.range, spelling(op), type_name(a), type_name(b));
  // i64 mixed with f64: offer the conversion.
  bool arithmetic = op == BinaryOp::kAdd || op == BinaryOp::kSub || op == BinaryOp::kMul ||
                    op == BinaryOp::kDiv || (op >= BinaryOp::kEq && op <= BinaryOp::kGe);
  if (arithmetic && a->is(K::kI64) && b->is(K::kF64)) {
    d.wrap_fix("convert the left side with to_f64", lhs_expr.range, "to_f64(", ")");
  } else if (arithmetic && a->is(K::kF64) && b->is(K::kI64)) {
    d.wrap_fix("convert the right side with to_f64", rhs_expr.range, "to_f64(", ")");
  } else if (op == BinaryOp::kAdd && (a->is(K::kString) || b->is(K::kString))) {
    d.note("build text with interpolation: \"{a}{b}\"");
  }
  sink_.report(std::move(d));
  return types_.error();
}

Binding* Checker::root_binding(Expr& place) {
  Expr* e = &place;
  while (e->kind == ExprKind::kField || e->kind == ExprKind::kIndex) e = e->children[0].get();
  if (e->kind != ExprKind::kName) return nullptr;
  return lookup_binding(e->text);
}

void Checker::require_mutable(Expr& place, SourceRange where) {
  Binding* b = root_binding(place);
  if (b == nullptr) {
    sink_.report(diag::NotAssignable(place.range, "this expression"));
    return;
  }
  b->mutated = true;
  for (const auto& [walked, by] : walked_) {
    if (walked == b) {
      sink_.report(diag::ChangedWhileWalked(where, b->name, by));
      return;
    }
  }
  if (b->kind == BindingKind::kMut || b->kind == BindingKind::kCow ||
      b->kind == BindingKind::kMutShared) {
    return;
  }
  Diagnostic d = diag::AssignToImmutable(where, b->name, std::string("it is ") + keyword(b->kind));
  d.note(b->range, "declared here");
  for (std::size_t i = 0; i < all_locals_.size(); ++i) {
    if (all_locals_[i] == b && let_of_[i] != nullptr && b->kind == BindingKind::kImmutable) {
      SourceRange kw = let_of_[i]->range;
      kw.end_line = kw.line;
      kw.end_column = kw.column + 17;  // `let_immutable_var`
      d.fix("declare it with let_mut_var", kw, "let_mut_var");
    }
  }
  sink_.report(std::move(d));
}

}  // namespace pt
