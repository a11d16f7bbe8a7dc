// Function bodies: statements, scopes, definite assignment, reachability, unused bindings.
#include <algorithm>

#include "sema/checker.h"
#include "syntax/literals.h"

namespace pt {

void Checker::push_scope() {
  locals_.emplace_back();
}
void Checker::pop_scope() {
  locals_.pop_back();
}

Binding* Checker::lookup_binding(const std::string& name) {
  for (auto scope = locals_.rbegin(); scope != locals_.rend(); ++scope) {
    for (Binding* b : *scope) {
      if (b->name == name) return b;
    }
  }
  return nullptr;
}

void Checker::declare(Binding& b) {
  if (Binding* old = lookup_binding(b.name)) {
    sink_.report(diag::DuplicateBinding(b.range, b.name).note(old->range, "the visible one"));
  }
  locals_.back().push_back(&b);
  all_locals_.push_back(&b);
  let_of_.push_back(nullptr);
}

void Checker::begin_body(Decl& d) {
  function_ = &d;
  locals_.clear();
  all_locals_.clear();
  let_of_.clear();
  flow_ = FlowState{};
  loop_depth_ = 0;
  walked_.clear();
  loop_broken_.clear();
  push_scope();
}

void Checker::declare_params(Decl& d) {
  for (Param& p : d.params) {
    locals_.back().push_back(p.binding.get());
    all_locals_.push_back(p.binding.get());
    let_of_.push_back(nullptr);
  }
}

void Checker::check_body(Decl& d) {
  begin_body(d);
  declare_params(d);
  bool jumps = check_block(d.body);
  const Type* ret = d.type;
  if (!jumps && ret != nullptr && !ret->is(Type::Kind::kVoid) && !ret->is_error()) {
    sink_.report(diag::MissingReturn(d.name_range, d.name, type_name(ret))
                     .note("add a `return` at the end of the body"));
  }
  pop_scope();
  finish_bindings();
  function_ = nullptr;
}

void Checker::finish_bindings() {
  for (std::size_t i = 0; i < all_locals_.size(); ++i) {
    Binding& b = *all_locals_[i];
    if (b.name.empty() || b.name[0] == '_') continue;
    if (!b.used) {
      sink_.report(diag::UnusedBinding(b.range, b.name)
                       .fix("rename it to _" + b.name + " to mark it unused on purpose", b.range,
                            "_" + b.name));
      continue;
    }
    // A binding whose type is unknown (already reported) is not checked further: the calls that
    // would change it were not checked either.
    if (b.kind == BindingKind::kMut && !b.mutated && let_of_[i] != nullptr &&
        !(b.type != nullptr && b.type->is_error())) {
      SourceRange kw = let_of_[i]->range;
      kw.end_line = kw.line;
      kw.end_column = kw.column + 11;  // `let_mut_var`
      sink_.report(diag::NeverMutated(b.range, b.name)
                       .fix("declare it with let_immutable_var", kw, "let_immutable_var"));
    }
  }
}

namespace {

// The integer literal `s` ends with (`5` in `let_immutable_var t = base + 5`), or null.
Expr* trailing_int(Stmt& s) {
  Expr* e = s.value.get();
  while (e != nullptr && (e->kind == ExprKind::kBinary || e->kind == ExprKind::kUnary) &&
         !e->children.empty()) {
    e = e->children.back().get();
  }
  return e != nullptr && e->kind == ExprKind::kIntLit ? e : nullptr;
}

// `s` is the name statement `s` just after `previous` on the same line, and `previous` ends with
// an integer: `5 s` was meant as a duration. Returns the integer, or null.
Expr* abbreviated_duration_number(Stmt* previous, const Stmt& s) {
  if (previous == nullptr || s.kind != StmtKind::kExpr || s.value->kind != ExprKind::kName ||
      duration_unit_for_abbreviation(s.value->text) == nullptr) {
    return nullptr;
  }
  Expr* number = trailing_int(*previous);
  if (number == nullptr || number->range.end_line != s.range.line ||
      number->range.file != s.range.file) {
    return nullptr;
  }
  return number;
}

}  // namespace

// `5 s` in an expression parses as `... 5` and then the statement `s`. It is reported as the
// abbreviated duration it is (PT1001 with the fix, as in a setting), and checking goes on as if
// the fix were applied: the number becomes the duration and `s` is dropped, so no unknown-name or
// type errors follow from it.
bool Checker::abbreviated_duration(Block& block, std::size_t i) {
  if (i + 1 >= block.size()) return false;
  Expr* number = abbreviated_duration_number(block[i].get(), *block[i + 1]);
  if (number == nullptr) return false;
  const Expr& word = *block[i + 1]->value;
  SourceRange r = number->range;
  r.end_line = word.range.end_line;
  r.end_column = word.range.end_column;
  std::string digits = std::to_string(number->int_value);
  sink_.report(abbreviated_duration_error(r, digits, word.text));
  std::int64_t nanoseconds = 0;
  if (decode_duration(digits + " " + duration_unit_for_abbreviation(word.text) + "s",
                      nanoseconds)) {
    number->kind = ExprKind::kDurationLit;
    number->int_value = nanoseconds;
    number->range = r;
  }
  return true;
}

bool Checker::check_block(Block& block) {
  push_scope();
  bool jumped = false;
  bool warned = false;
  for (std::size_t i = 0; i < block.size(); ++i) {
    Stmt& s = *block[i];
    if (jumped && !warned) {
      sink_.report(diag::UnreachableCode(s.range));
      warned = true;
    }
    bool skip_next = abbreviated_duration(block, i);
    if (check_stmt(s)) jumped = true;
    if (skip_next) ++i;
  }
  pop_scope();
  return jumped;
}

void Checker::mark_read(Binding& b, SourceRange where) {
  b.used = true;
  if (!flow_.dead && flow_.unassigned.count(&b)) {
    sink_.report(
        diag::UseBeforeAssign(where, b.name).note(b.range, "declared here without a value"));
    flow_.unassigned.erase(&b);  // report once
  }
}

bool Checker::check_stmt(Stmt& s) {
  switch (s.kind) {
    case StmtKind::kLet:
      check_let(s);
      return false;
    case StmtKind::kSet:
      check_set(s);
      return false;
    case StmtKind::kIf:
      return check_if(s);
    case StmtKind::kWhile: {
      const Type* c = check_expr(*s.value, types_.boolean());
      if (!c->is_error() && !c->is(Type::Kind::kBool)) {
        sink_.report(diag::ConditionNotBool(s.value->range, "while", type_name(c)));
      }
      FlowState before = flow_;
      ++loop_depth_;
      loop_broken_.push_back(false);
      check_block(s.body);
      bool broken = loop_broken_.back();
      loop_broken_.pop_back();
      --loop_depth_;
      flow_ = before;  // the body may run zero times
      // `while true` without a `break` never finishes: only its returns leave it.
      bool forever = s.value->kind == ExprKind::kBoolLit && s.value->int_value == 1 &&
                     s.value->text.empty() && !broken;
      if (forever) flow_.dead = true;
      return forever;
    }
    case StmtKind::kForEach:
      check_for_each(s);
      return false;
    case StmtKind::kMatch:
      return check_match(s);
    case StmtKind::kReturn: {
      if (function_->kind == DeclKind::kRoute) {
        if (s.value) check_expr(*s.value);
        sink_.report(diag::ReturnInRoute(s.range).note(
            function_->type->is(Type::Kind::kVoid) || function_->type->is_error()
                ? "answer with return_no_content(), or a message: return_not_found(\"...\")"
                : "answer with return_ok(value) or return_created(value)"));
        flow_.dead = true;
        return true;
      }
      const Type* want = function_->type;
      if (s.value) {
        const Type* got = check_expr(*s.value, want);
        if (want->is(Type::Kind::kVoid)) {
          sink_.report(diag::UnexpectedReturnValue(s.value->range, function_->name));
        } else if (!assignable(want, got)) {
          sink_.report(diag::ReturnTypeMismatch(s.value->range, type_name(want), type_name(got))
                           .note(function_->return_type ? function_->return_type->range
                                                        : function_->name_range,
                                 "the declared return type"));
        }
      } else if (!want->is(Type::Kind::kVoid) && !want->is_error()) {
        sink_.report(diag::MissingReturnValue(s.range, type_name(want)));
      }
      flow_.dead = true;
      return true;
    }
    case StmtKind::kBreak:
    case StmtKind::kContinue:
      if (loop_depth_ == 0) {
        sink_.report(diag::LoopControlOutsideLoop(
            s.range, s.kind == StmtKind::kBreak ? "break" : "continue"));
        return false;
      }
      if (s.kind == StmtKind::kBreak && !loop_broken_.empty()) loop_broken_.back() = true;
      flow_.dead = true;
      return true;
    case StmtKind::kUnsafeCpp:
      check_unsafe_cpp(s);
      return false;
    case StmtKind::kExpr: {
      Expr& e = *s.value;
      if (e.kind != ExprKind::kCall) {
        check_expr(e);
        const char* what = e.kind == ExprKind::kBinary ? "expression"
                           : e.kind == ExprKind::kName ? "name"
                                                       : "value";
        sink_.report(diag::UnusedValue(e.range, what)
                         .note("only calls can stand alone; bind the value with "
                               "let_immutable_var or change a binding with set_var"));
        return false;
      }
      check_expr(e, types_.void_type());
      // stop_program and the answer statements of a route end the body.
      bool stops = e.builtin == static_cast<int>(Builtin::kStopProgram) ||
                   (e.builtin >= 0 && is_answer(static_cast<Builtin>(e.builtin)));
      if (stops) flow_.dead = true;
      return stops;
    }
  }
  return false;
}

void Checker::check_let(Stmt& s) {
  Binding& b = *s.binding;
  const Type* declared = s.declared_type ? resolve_type(*s.declared_type) : nullptr;
  const Type* t = declared;
  if (s.value) {
    const Type* v = check_expr(*s.value, declared);
    if (declared != nullptr) {
      if (!assignable(declared, v)) {
        sink_.report(diag::TypeMismatch(s.value->range, type_name(declared), type_name(v))
                         .note(s.declared_type->range, "the declared type"));
      }
    } else if (v->is(Type::Kind::kNone) || v->is(Type::Kind::kEmptyList) ||
               v->is(Type::Kind::kEmptyMap) ||
               (v->is(Type::Kind::kList) && v->element->is(Type::Kind::kEmptyList))) {
      sink_.report(diag::CannotInferType(b.range, b.name,
                                         v->is(Type::Kind::kNone)       ? "`none`"
                                         : v->is(Type::Kind::kEmptyMap) ? "`[:]`"
                                                                        : "`[]`")
                       .note("write the type: " + std::string(keyword(b.kind)) + " " + b.name +
                             ": TYPE = ..."));
      t = types_.error();
    } else if (v->is(Type::Kind::kVoid)) {
      t = types_.error();  // already reported by the call
    } else {
      t = v;
    }
  } else {
    if (b.kind != BindingKind::kMut) {
      sink_.report(diag::MissingInitializer(
          b.range, b.name,
          std::string("a value: ") + keyword(b.kind) + " bindings are set once, here"));
    } else if (declared == nullptr) {
      sink_.report(diag::MissingInitializer(b.range, b.name, "a type or a value"));
    }
    if (declared == nullptr) t = types_.error();
  }
  b.type = t ? t : types_.error();
  declare(b);
  let_of_.back() = &s;
  if (!s.value && b.kind == BindingKind::kMut) flow_.unassigned.insert(&b);
}

void Checker::check_set(Stmt& s) {
  Expr& target = *s.target;
  Binding* root = root_binding(target);
  // Assigning a whole binding does not read it; assigning into one does.
  const Type* t = types_.error();
  if (target.kind == ExprKind::kName) {
    if (root == nullptr) {
      check_expr(target);
    } else {
      target.binding = root;
      target.type = root->type;
      t = root->type;
    }
  } else {
    t = check_expr(target);
  }
  const Type* v = check_expr(*s.value, t);
  if (!assignable(t, v)) {
    sink_.report(diag::TypeMismatch(s.value->range, type_name(t), type_name(v)));
  }
  if (root != nullptr) {
    require_mutable(target, s.range);
    if (target.kind == ExprKind::kName && !flow_.dead) flow_.unassigned.erase(root);
  } else if (target.kind != ExprKind::kName) {
    sink_.report(diag::NotAssignable(target.range, "this"));
  }
}

bool Checker::check_if(Stmt& s) {
  const Type* c = check_expr(*s.value, types_.boolean());
  if (!c->is_error() && !c->is(Type::Kind::kBool)) {
    sink_.report(diag::ConditionNotBool(s.value->range, "if", type_name(c))
                     .note(c->is(Type::Kind::kOptional)
                               ? "use `match` with `when some(x)` / `when none` for optionals"
                               : "compare explicitly, for example `value != 0`"));
  }
  FlowState before = flow_;
  bool then_jumps = check_block(s.body);
  FlowState after_then = flow_;
  flow_ = before;
  bool else_jumps = false;
  if (s.has_else) else_jumps = check_block(s.else_body);
  flow_.merge(after_then);
  if (then_jumps && else_jumps) flow_.dead = true;
  return then_jumps && else_jumps;
}

bool Checker::check_match(Stmt& s) {
  const Type* t = check_expr(*s.value);
  bool is_enum = t->is(Type::Kind::kEnum);
  bool is_optional = t->is(Type::Kind::kOptional);
  if (!t->is_error() && !is_enum && !is_optional) {
    sink_.report(diag::BadMatchArm(s.value->range,
                                   "`match` works on enums and optionals, not on " + type_name(t))
                     .note("use if / else for other values"));
  }
  FlowState before = flow_;
  FlowState joined;
  joined.dead = true;
  bool all_jump = true;
  std::set<int> covered;
  bool has_some = false, has_none = false, has_otherwise = false;
  Binding* walked = root_binding(*s.value);
  if (walked != nullptr) walked_.push_back({walked, "match"});
  for (MatchArm& arm : s.arms) {
    if (has_otherwise) {
      sink_.report(diag::BadMatchArm(arm.range, "this arm comes after `otherwise` and never runs"));
    }
    flow_ = before;
    push_scope();
    switch (arm.kind) {
      case MatchArm::Kind::kEnum:
        if (!is_enum) {
          if (!t->is_error() && !arm.members.empty()) {  // no members: a syntax error
            sink_.report(diag::BadMatchArm(arm.range, "`when " + arm.members[0] +
                                                          "` matches an enum member, but this is " +
                                                          type_name(t)));
          }
          break;
        }
        for (std::size_t i = 0; i < arm.members.size(); ++i) {
          const auto& members = t->decl->members;
          auto it = std::find(members.begin(), members.end(), arm.members[i]);
          if (it == members.end()) {
            sink_.report(
                diag::UnknownEnumMember(arm.member_ranges[i], t->decl->name, arm.members[i]));
            continue;
          }
          int index = static_cast<int>(it - members.begin());
          if (!covered.insert(index).second) {
            sink_.report(diag::BadMatchArm(arm.member_ranges[i],
                                           "`" + arm.members[i] + "` is already handled above"));
          }
          arm.member_indexes.push_back(index);
        }
        break;
      case MatchArm::Kind::kSome:
      case MatchArm::Kind::kNone:
        if (!is_optional) {
          if (!t->is_error()) {
            sink_.report(diag::BadMatchArm(arm.range,
                                           "`when some` / `when none` match optionals, "
                                           "but this is " +
                                               type_name(t)));
          }
          if (arm.capture) {
            arm.capture->type = types_.error();
            declare(*arm.capture);
          }
          break;
        }
        if (arm.kind == MatchArm::Kind::kSome) {
          if (has_some) sink_.report(diag::BadMatchArm(arm.range, "`when some` appears twice"));
          has_some = true;
          arm.capture->type = t->element;
          declare(*arm.capture);
        } else {
          if (has_none) sink_.report(diag::BadMatchArm(arm.range, "`when none` appears twice"));
          has_none = true;
        }
        break;
      case MatchArm::Kind::kOtherwise:
        has_otherwise = true;
        break;
    }
    bool jumps = check_block(arm.body);
    pop_scope();
    all_jump = all_jump && jumps;
    joined.merge(flow_);
  }
  if (walked != nullptr) walked_.pop_back();
  bool exhaustive = has_otherwise || t->is_error();
  if (is_enum && !has_otherwise) {
    std::string missing;
    for (std::size_t i = 0; i < t->decl->members.size(); ++i) {
      if (covered.count(static_cast<int>(i))) continue;
      missing += (missing.empty() ? "" : ", ") + t->decl->members[i];
    }
    exhaustive = missing.empty();
    if (!exhaustive) {
      SourceRange end = s.range;
      end.line = end.end_line;
      end.column = end.end_column - 1;
      sink_.report(diag::NonExhaustiveMatch(s.value->range, missing)
                       .fix("add an otherwise arm", end, "    otherwise { }\n}"));
    }
  }
  if (is_optional && !has_otherwise) {
    exhaustive = has_some && has_none;
    if (!exhaustive) {
      sink_.report(diag::NonExhaustiveMatch(s.value->range, has_some ? "`none`" : "`some(...)`"));
    }
  }
  if (!exhaustive) {
    joined.merge(before);
    all_jump = false;
  }
  if (!is_enum && !is_optional) all_jump = false;
  flow_ = joined;
  if (all_jump) flow_.dead = true;
  return all_jump;
}

void Checker::check_for_each(Stmt& s) {
  const Type* t = check_expr(*s.value);
  const Type* first = types_.error();
  const Type* second = nullptr;
  if (t->is(Type::Kind::kList)) {
    first = t->element;
    if (s.binding2) {
      sink_.report(diag::NotIterable(s.binding2->range, type_name(t) + " with two names")
                       .note("a list gives one value per round: for_each item in items"));
    }
  } else if (t->is(Type::Kind::kMap)) {
    if (s.binding2) {
      first = types_.string();
      second = t->element;
    } else {
      sink_.report(diag::NotIterable(s.binding->range, type_name(t) + " with one name")
                       .note("a map gives a key and a value: for_each key, value in entries"));
    }
  } else if (!t->is_error()) {
    sink_.report(diag::NotIterable(s.value->range, type_name(t)));
  }
  FlowState before = flow_;
  push_scope();
  s.binding->type = first;
  declare(*s.binding);
  if (s.binding2) {
    s.binding2->type = second ? second : types_.error();
    declare(*s.binding2);
  }
  Binding* walked = root_binding(*s.value);
  if (walked != nullptr) walked_.push_back({walked, "for_each"});
  ++loop_depth_;
  loop_broken_.push_back(false);
  check_block(s.body);
  loop_broken_.pop_back();
  --loop_depth_;
  if (walked != nullptr) walked_.pop_back();
  pop_scope();
  flow_ = before;
}

void Checker::check_unsafe_cpp(Stmt& s) {
  for (std::size_t i = 0; i < s.inputs.size(); ++i) {
    Binding* b = lookup_binding(s.inputs[i]);
    if (b == nullptr) {
      sink_.report(diag::UnknownName(s.input_ranges[i], s.inputs[i])
                       .note("unsafe_cpp inputs are local bindings or parameters"));
      continue;
    }
    mark_read(*b, s.input_ranges[i]);
    s.input_bindings.push_back(b);
  }
  for (std::size_t i = 0; i < s.outputs.size(); ++i) {
    Binding& out = *s.outputs[i];
    out.type = resolve_type(s.output_types[i]);
    if (lookup_binding(out.name) != nullptr) {
      sink_.report(diag::BadUnsafeCppOutput(out.range, out.name,
                                            "is already a binding; outputs "
                                            "are new names"));
      continue;
    }
    declare(out);
  }
}

}  // namespace pt
