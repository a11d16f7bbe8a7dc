// Function bodies: statements and expressions.
#include "emit/emitter.h"
#include "sema/builtins.h"

namespace pt {

std::string ModuleEmitter::fresh(const std::string& base) {
  return base + "_" + std::to_string(++fresh_counter_);
}

void ModuleEmitter::emit_function(CodeWriter& w, const Decl& d) {
  fresh_counter_ = 0;
  if (d.kind == DeclKind::kProgram) {
    w.line("void run_" + d.name + "() {");
  } else {
    w.line(signature(d) + " {");
  }
  w.indent();
  emit_block(w, d.body);
  // The checker proved that every path returns; C++ compilers cannot always see it (a match
  // that covers every enum member), so the end of the body says what it would mean.
  bool returns_value = d.type != nullptr && !d.type->is(Type::Kind::kVoid);
  if (returns_value && (d.body.empty() || d.body.back()->kind != StmtKind::kReturn)) {
    w.line("hallows::panic(\"" + d.name + " reached its end without returning\");");
  }
  w.dedent();
  w.line("}");
  w.line();
}

void ModuleEmitter::emit_block(CodeWriter& w, const Block& b) {
  for (const auto& s : b) emit_stmt(w, *s);
}

bool ModuleEmitter::is_binding_place(const Expr& e) {
  const Expr* x = &e;
  while (x->kind == ExprKind::kField && x->binding == nullptr && x->children[0]->type != nullptr &&
         x->children[0]->type->is(Type::Kind::kSchema)) {
    x = x->children[0].get();
  }
  return x->kind == ExprKind::kName && x->binding != nullptr &&
         x->binding->kind != BindingKind::kMutShared;
}

std::string ModuleEmitter::binding_ref(const Binding& b) const {
  std::string name = cpp_ident(b.name);
  if (b.kind == BindingKind::kCow || b.kind == BindingKind::kMutShared) return name + ".get()";
  return name;
}

void ModuleEmitter::emit_stmt(CodeWriter& w, const Stmt& s) {
  emit_location(w, s);
  bool in_task = system_owner_ != nullptr && system_owner_->kind == DeclKind::kTask;
  switch (s.kind) {
    case StmtKind::kLet:
      emit_let(w, s);
      return;
    case StmtKind::kSet:
      emit_set(w, s);
      return;
    case StmtKind::kIf:
      emit_if(w, s);
      return;
    case StmtKind::kWhile:
      w.line("while (" + expr(*s.value) + ") {");
      w.indent();
      // A task's loop lets the partition's other work run once its time slice is used up.
      if (in_task) w.line("co_await hallows::sched::maybe_yield();");
      emit_block(w, s.body);
      w.dedent();
      w.line("}");
      return;
    case StmtKind::kForEach:
      emit_for_each(w, s);
      return;
    case StmtKind::kMatch:
      emit_match(w, s);
      return;
    case StmtKind::kReturn:
      if (in_task) {
        emit_senders_finished(w, *system_owner_);
        w.line("co_return;");
        return;
      }
      w.line(s.value ? "return " + expr(*s.value) + ";" : "return;");
      return;
    case StmtKind::kBreak:
      w.line("break;");
      return;
    case StmtKind::kContinue:
      w.line("continue;");
      return;
    case StmtKind::kUnsafeCpp:
      emit_unsafe_cpp(w, s);
      return;
    case StmtKind::kExpr: {
      const Expr& e = *s.value;
      auto b = static_cast<Builtin>(e.builtin);
      bool mutating = e.builtin >= 0 && (b == Builtin::kListAppend || b == Builtin::kMapPut ||
                                         b == Builtin::kMapRemove);
      if (mutating) {
        emit_mutating_call(w, e);
      } else if (e.builtin >= 0 && b == Builtin::kSendMessage) {
        emit_send(w, e);
      } else if (e.builtin >= 0 && is_answer(b)) {
        emit_answer(w, e);
      } else {
        w.line(expr(e) + ";");
      }
      return;
    }
  }
}

void ModuleEmitter::emit_let(CodeWriter& w, const Stmt& s) {
  const Binding& b = *s.binding;
  std::string t = type(b.type);
  std::string name = cpp_ident(b.name);
  std::string value = s.value ? expr(*s.value) : "";
  switch (b.kind) {
    case BindingKind::kImmutable:
      w.line("const " + t + " " + name + " = " + value + ";");
      return;
    case BindingKind::kMut:
      w.line(t + " " + name + (s.value ? " = " + value : "{}") + ";");
      return;
    case BindingKind::kCow:
      w.line("hallows::Cow<" + t + "> " + name + "{" + value + "};");
      return;
    case BindingKind::kMutShared:
      w.line("hallows::Shared<" + t + "> " + name + "{" + value + "};");
      return;
    default:
      w.line("const " + t + " " + name + " = " + value + ";");
      return;
  }
}

std::string ModuleEmitter::place(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kName: {
      std::string name = cpp_ident(e.text);
      if (e.binding != nullptr && e.binding->kind == BindingKind::kCow) return name + ".mut()";
      return name;
    }
    case ExprKind::kField:
      return place(*e.children[0]) + "." + cpp_ident(e.text);
    case ExprKind::kIndex:
      return "hallows::element_mut(" + place(*e.children[0]) + ", " + expr(*e.children[1]) + ")";
    default:
      return expr(e);
  }
}

namespace {
const Binding* root_of(const Expr& e) {
  const Expr* x = &e;
  while (x->kind == ExprKind::kField || x->kind == ExprKind::kIndex) x = x->children[0].get();
  return x->kind == ExprKind::kName ? x->binding : nullptr;
}
}  // namespace

void ModuleEmitter::emit_set(CodeWriter& w, const Stmt& s) {
  const Expr& target = *s.target;
  const Binding* root = root_of(target);
  std::string value = expr(*s.value);
  if (root != nullptr && root->kind == BindingKind::kMutShared) {
    // Evaluate the value before taking the lock: it may read the shared value itself.
    if (target.kind == ExprKind::kName) {
      w.line(cpp_ident(root->name) + ".set(" + value + ");");
      return;
    }
    std::string tmp = fresh("value");
    std::string inner = fresh("shared");
    w.line("{");
    w.indent();
    w.line("auto " + tmp + " = " + value + ";");
    std::string path = place(target);
    path = inner + path.substr(cpp_ident(root->name).size());
    w.line(cpp_ident(root->name) + ".with([&](auto& " + inner + ") { " + path + " = std::move(" +
           tmp + "); });");
    w.dedent();
    w.line("}");
    return;
  }
  if (root != nullptr && root->kind == BindingKind::kCow && target.kind == ExprKind::kName) {
    w.line(cpp_ident(root->name) + " = hallows::Cow<" + type(root->type) + ">{" + value + "};");
    return;
  }
  w.line(place(target) + " = " + value + ";");
}

void ModuleEmitter::emit_mutating_call(CodeWriter& w, const Expr& e) {
  const Expr& target = *e.children[1];
  const Binding* root = root_of(target);
  std::string fn = e.builtin == static_cast<int>(Builtin::kListAppend) ? "hallows::list_append"
                   : e.builtin == static_cast<int>(Builtin::kMapPut)   ? "hallows::map_put"
                                                                       : "hallows::map_remove";
  std::vector<std::string> args;
  for (std::size_t i = 2; i < e.children.size(); ++i) args.push_back(expr(*e.children[i]));
  if (root != nullptr && root->kind == BindingKind::kMutShared) {
    w.line("{");
    w.indent();
    std::string call_args;
    for (std::size_t i = 0; i < args.size(); ++i) {
      std::string tmp = fresh("arg");
      w.line("auto " + tmp + " = " + args[i] + ";");
      call_args += ", std::move(" + tmp + ")";
    }
    std::string inner = fresh("shared");
    std::string path = place(target);
    path = inner + path.substr(cpp_ident(root->name).size());
    w.line(cpp_ident(root->name) + ".with([&](auto& " + inner + ") { " + fn + "(" + path +
           call_args + "); });");
    w.dedent();
    w.line("}");
    return;
  }
  std::string call_args;
  for (const auto& a : args) call_args += ", " + a;
  w.line(fn + "(" + place(target) + call_args + ");");
}

void ModuleEmitter::emit_if(CodeWriter& w, const Stmt& s) {
  w.line("if (" + expr(*s.value) + ") {");
  w.indent();
  emit_block(w, s.body);
  w.dedent();
  if (!s.has_else) {
    w.line("}");
    return;
  }
  if (s.else_body.size() == 1 && s.else_body[0]->kind == StmtKind::kIf) {
    // `else if`: written as a nested block to keep the emitter simple and the output plain.
    w.line("} else {");
    w.indent();
    emit_if(w, *s.else_body[0]);
    w.dedent();
    w.line("}");
    return;
  }
  w.line("} else {");
  w.indent();
  emit_block(w, s.else_body);
  w.dedent();
  w.line("}");
}

void ModuleEmitter::emit_match(CodeWriter& w, const Stmt& s) {
  const Type* t = s.value->type;
  std::string subject = fresh("matched");
  bool by_ref = is_binding_place(*s.value);
  w.line("{");
  w.indent();
  w.line(std::string(by_ref ? "const auto& " : "const auto ") + subject + " = " + expr(*s.value) +
         ";");
  bool first = true;
  for (const MatchArm& arm : s.arms) {
    std::string cond;
    switch (arm.kind) {
      case MatchArm::Kind::kEnum:
        for (int index : arm.member_indexes) {
          if (!cond.empty()) cond += " || ";
          cond += subject + " == " + decl_name(t->decl) +
                  "::" + cpp_ident(t->decl->members[static_cast<std::size_t>(index)]);
        }
        break;
      case MatchArm::Kind::kSome:
        cond = subject + ".has_value()";
        break;
      case MatchArm::Kind::kNone:
        cond = "!" + subject + ".has_value()";
        break;
      case MatchArm::Kind::kOtherwise:
        break;
    }
    if (arm.kind == MatchArm::Kind::kOtherwise) {
      w.line(first ? "{" : "} else {");
    } else {
      w.line((first ? "if (" : "} else if (") + cond + ") {");
    }
    first = false;
    w.indent();
    if (arm.kind == MatchArm::Kind::kSome) {
      w.line("const " + type(t->element) + "& " + cpp_ident(arm.capture->name) + " = *" + subject +
             ";");
    }
    emit_block(w, arm.body);
    w.dedent();
  }
  if (!first) w.line("}");
  w.dedent();
  w.line("}");
}

void ModuleEmitter::emit_for_each(CodeWriter& w, const Stmt& s) {
  const Type* t = s.value->type;
  std::string source = expr(*s.value);
  bool by_ref = is_binding_place(*s.value);
  w.line("{");
  w.indent();
  std::string range = fresh("items");
  w.line(std::string(by_ref ? "const auto& " : "const auto ") + range + " = " + source + ";");
  if (t->is(Type::Kind::kMap)) {
    w.line("for (const auto& [" + cpp_ident(s.binding->name) + ", " + cpp_ident(s.binding2->name) +
           "] : " + range + ") {");
  } else {
    w.line("for (const " + type(t->element) + "& " + cpp_ident(s.binding->name) + " : " + range +
           ") {");
  }
  w.indent();
  if (system_owner_ != nullptr && system_owner_->kind == DeclKind::kTask) {
    w.line("co_await hallows::sched::maybe_yield();");
  }
  emit_block(w, s.body);
  w.dedent();
  w.line("}");
  w.dedent();
  w.line("}");
}

void ModuleEmitter::emit_unsafe_cpp(CodeWriter& w, const Stmt& s) {
  for (const auto& out : s.outputs) {
    w.line(type(out->type) + " " + cpp_ident(out->name) + "{};");
  }
  std::string captures;
  for (const auto& out : s.outputs) {
    captures += (captures.empty() ? "&" : ", &") + cpp_ident(out->name);
  }
  for (const Binding* in : s.input_bindings) {
    // Inputs are read-only: const references, or a copy taken under the lock for shared values.
    std::string name = cpp_ident(in->name);
    std::string capture = in->kind == BindingKind::kMutShared ? name + " = " + name + ".get()"
                          : in->kind == BindingKind::kCow
                              ? "&" + name + " = " + name + ".get()"
                              : "&" + name + " = std::as_const(" + name + ")";
    captures += (captures.empty() ? "" : ", ") + capture;
  }
  w.line("// unsafe_cpp: raw C++ from " + options_.display_paths.at(s.cpp_range.file) + ":" +
         std::to_string(s.cpp_range.line));
  w.line("[" + captures + "]() {");
  w.raw("#line " + std::to_string(s.cpp_range.line) + " " +
        cpp_string_literal(options_.display_paths.at(s.cpp_range.file)) + "\n");
  // The code starts on the line of its `{`, so line numbers match the .pt file.
  std::string code = s.cpp_code;
  w.raw(std::string(s.cpp_range.column, ' ') + code + "\n");
  w.raw("#line " + std::to_string(w.next_line() + 1) + " " +
        cpp_string_literal("gen/" + module_file_stem(module_) + ".cpp") + "\n");
  w.line("}();");
}

std::string ModuleEmitter::expr(const Expr& e) {
  using K = Type::Kind;
  switch (e.kind) {
    case ExprKind::kIntLit:
      if (e.int_value == INT64_MIN) return "(-9223372036854775807L - 1)";
      return std::to_string(e.int_value) + "L";
    case ExprKind::kFloatLit: {
      std::string text = e.text;
      if (text.find_first_of(".eE") == std::string::npos) text += ".0";
      return text;
    }
    case ExprKind::kDurationLit:
      return "hallows::Duration{" + std::to_string(e.int_value) + "} /* " + e.text + " */";
    case ExprKind::kStringLit: {
      if (e.children.empty()) return "std::string(" + cpp_string_literal(e.pieces[0]) + ")";
      std::string out = "hallows::interpolate(";
      bool first = true;
      for (std::size_t i = 0; i < e.pieces.size(); ++i) {
        if (!e.pieces[i].empty()) {
          out += (first ? "" : ", ") + cpp_string_literal(e.pieces[i]);
          first = false;
        }
        if (i < e.children.size()) {
          out += (first ? "" : ", ") + expr(*e.children[i]);
          first = false;
        }
      }
      return out + ")";
    }
    case ExprKind::kBoolLit:
      return e.int_value ? "true" : "false";
    case ExprKind::kNoneLit:
      return "std::nullopt";
    case ExprKind::kSomeLit:
      return type(e.type) + "{" + expr(*e.children[0]) + "}";
    case ExprKind::kListLit: {
      std::string out = type(e.type) + "{";
      for (std::size_t i = 0; i < e.children.size(); ++i) {
        out += (i ? ", " : "") + expr(*e.children[i]);
      }
      return out + "}";
    }
    case ExprKind::kMapLit: {
      std::string out = type(e.type) + "{";
      for (std::size_t i = 0; i + 1 < e.children.size(); i += 2) {
        out += (i ? ", {" : "{") + expr(*e.children[i]) + ", " + expr(*e.children[i + 1]) + "}";
      }
      return out + "}";
    }
    case ExprKind::kSchemaLit: {
      // Designated initializers in the schema's field order (C++ requires it).
      std::string out = decl_name(e.decl) + "{";
      bool first = true;
      for (const FieldDecl& f : e.decl->fields) {
        for (std::size_t i = 0; i < e.names.size(); ++i) {
          if (e.names[i] != f.name) continue;
          out += (first ? "" : ", ") + std::string(".") + cpp_ident(f.name) + " = " +
                 expr(*e.children[i]);
          first = false;
          break;
        }
      }
      return out + "}";
    }
    case ExprKind::kName:
      if (e.binding != nullptr) return binding_ref(*e.binding);
      return cpp_ident(e.text);
    case ExprKind::kField:
      if (e.decl != nullptr && e.decl->kind == DeclKind::kEnum) {
        return decl_name(e.decl) +
               "::" + cpp_ident(e.decl->members[static_cast<std::size_t>(e.member_index)]);
      }
      return expr(*e.children[0]) + "." + cpp_ident(e.text);
    case ExprKind::kCall:
      return call(e);
    case ExprKind::kIndex:
      return "hallows::element(" + expr(*e.children[0]) + ", " + expr(*e.children[1]) + ")";
    case ExprKind::kUnary: {
      const Type* t = e.children[0]->type;
      if (e.unary_op == UnaryOp::kNot) return "!" + expr(*e.children[0]);
      if (t->is(K::kI64)) return "hallows::neg(" + expr(*e.children[0]) + ")";
      return "(-" + expr(*e.children[0]) + ")";
    }
    case ExprKind::kBinary:
      return binary(e);
  }
  return "/* unreachable */";
}

std::string ModuleEmitter::binary(const Expr& e) {
  using K = Type::Kind;
  const Type* a = e.children[0]->type;
  const Type* b = e.children[1]->type;
  std::string lhs = expr(*e.children[0]);
  std::string rhs = expr(*e.children[1]);
  BinaryOp op = e.binary_op;
  if (a->is(K::kI64) && b->is(K::kI64)) {
    switch (op) {
      case BinaryOp::kAdd:
        return "hallows::add(" + lhs + ", " + rhs + ")";
      case BinaryOp::kSub:
        return "hallows::sub(" + lhs + ", " + rhs + ")";
      case BinaryOp::kMul:
        return "hallows::mul(" + lhs + ", " + rhs + ")";
      case BinaryOp::kDiv:
        return "hallows::div(" + lhs + ", " + rhs + ")";
      case BinaryOp::kRem:
        return "hallows::rem(" + lhs + ", " + rhs + ")";
      default:
        break;
    }
  }
  if (a->is(K::kDuration) && b->is(K::kI64)) {
    if (op == BinaryOp::kMul) return "hallows::scale(" + lhs + ", " + rhs + ")";
    if (op == BinaryOp::kDiv)
      return "hallows::Duration{hallows::div(" + lhs + ".nanos, " + rhs + ")}";
  }
  std::string symbol = spelling(op);
  if (op == BinaryOp::kAnd) symbol = "&&";
  if (op == BinaryOp::kOr) symbol = "||";
  return "(" + lhs + " " + symbol + " " + rhs + ")";
}

std::string ModuleEmitter::call(const Expr& e) {
  if (e.builtin >= 0) return builtin(e);
  std::string out = decl_name(e.decl) + "(";
  for (std::size_t i = 1; i < e.children.size(); ++i) {
    out += (i > 1 ? ", " : "") + expr(*e.children[i]);
  }
  return out + ")";
}

std::string ModuleEmitter::builtin(const Expr& e) {
  auto arg = [&](std::size_t i) { return expr(*e.children[i + 1]); };
  switch (static_cast<Builtin>(e.builtin)) {
    case Builtin::kPrintLine:
      return "hallows::print_line(" + arg(0) + ")";
    case Builtin::kToString:
      return "hallows::interpolate(" + arg(0) + ")";
    case Builtin::kToF64:
      return "hallows::to_f64(" + arg(0) + ")";
    case Builtin::kToI64:
      return "hallows::to_i64(" + arg(0) + ")";
    case Builtin::kLength:
      return "hallows::length(" + arg(0) + ")";
    case Builtin::kListContains:
      return "hallows::list_contains(" + arg(0) + ", " + arg(1) + ")";
    case Builtin::kRange:
      return "hallows::range(" + arg(0) + ", " + arg(1) + ")";
    case Builtin::kMapGet:
      return "hallows::map_get(" + arg(0) + ", " + arg(1) + ")";
    case Builtin::kMapHas:
      return "hallows::map_has(" + arg(0) + ", " + arg(1) + ")";
    case Builtin::kMapKeys:
      return "hallows::map_keys(" + arg(0) + ")";
    case Builtin::kMapValues:
      return "hallows::map_values(" + arg(0) + ")";
    case Builtin::kToJson:
      return "hallows::to_json(" + arg(0) + ")";
    case Builtin::kDecodeJson:
      return "hallows::decode_json<" + decl_name(e.children[2]->decl) + ">(" + arg(0) + ")";
    case Builtin::kDecodeJsonError:
      return "hallows::decode_json_error<" + decl_name(e.children[2]->decl) + ">(" + arg(0) + ")";
    case Builtin::kValidationError:
      return "hallows::validation_message(" + arg(0) + ")";
    case Builtin::kStopProgram:
      return "hallows::panic(" + arg(0) + ")";
    case Builtin::kTrySendMessage:
      return try_send(e);
    case Builtin::kPublishMessage:
      return publish(e);
    case Builtin::kSendMessage:  // a statement (it gives no value): emit_send
      return "/* send_message is a statement */";
    case Builtin::kReturnOk:  // answers are statements: emit_answer
    case Builtin::kReturnCreated:
    case Builtin::kReturnNoContent:
    case Builtin::kReturnNotFound:
    case Builtin::kReturnBadRequest:
    case Builtin::kReturnError:
      return "/* an answer is a statement */";
    case Builtin::kListAppend:
    case Builtin::kMapPut:
    case Builtin::kMapRemove: {
      // In expression position (map_remove's result is used): mutate through a plain place.
      const Binding* root = root_of(*e.children[1]);
      std::string fn = e.builtin == static_cast<int>(Builtin::kListAppend) ? "hallows::list_append"
                       : e.builtin == static_cast<int>(Builtin::kMapPut)   ? "hallows::map_put"
                                                                           : "hallows::map_remove";
      std::string rest;
      for (std::size_t i = 2; i < e.children.size(); ++i) rest += ", " + expr(*e.children[i]);
      if (root != nullptr && root->kind == BindingKind::kMutShared) {
        std::string inner = fresh("shared");
        std::string path = place(*e.children[1]);
        path = inner + path.substr(cpp_ident(root->name).size());
        return cpp_ident(root->name) + ".with([&](auto& " + inner + ") { return " + fn + "(" +
               path + rest + "); })";
      }
      return fn + "(" + place(*e.children[1]) + rest + ")";
    }
  }
  return "/* unknown builtin */";
}

}  // namespace pt
