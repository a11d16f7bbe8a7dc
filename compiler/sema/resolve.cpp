// Modules, imports, declarations and types: everything above function bodies.
#include <algorithm>
#include <functional>
#include <optional>
#include <regex>

#include "sema/checker.h"

namespace pt {

void FlowState::merge(const FlowState& other) {
  if (other.dead) return;
  if (dead) {
    *this = other;
    return;
  }
  unassigned.insert(other.unassigned.begin(), other.unassigned.end());
}

namespace {
// The name a module is known by in an importer: the last part (`std.strings` -> `strings`).
std::string alias_of(const std::vector<std::string>& name) {
  return name.empty() ? "" : name.back();
}
}  // namespace

bool Checker::order_modules() {
  for (auto& m : program_.modules) {
    auto [it, inserted] = modules_by_name_.emplace(m->name, m.get());
    if (!inserted) {
      Diagnostic d = diag::DuplicateModule(
          m->name_range.valid() ? m->name_range : SourceRange{m->file, 1, 1, 1, 2}, m->name);
      if (it->second->name_range.valid()) d.note(it->second->name_range, "the other file");
      sink_.report(std::move(d));
    }
    if (!m->is_stdlib && m->name.rfind("std.", 0) == 0) {
      sink_.report(diag::ModuleNameMismatch(m->name_range, m->name));
    }
  }
  // Imports must name a module; then order by depth-first search, reporting cycles.
  for (auto& m : program_.modules) {
    for (Import& imp : m->imports) {
      auto it = modules_by_name_.find(join_name(imp.name));
      if (it == modules_by_name_.end()) {
        sink_.report(diag::UnknownModule(imp.range, join_name(imp.name)));
      } else {
        imp.target = it->second;
      }
    }
  }
  std::map<const Module*, int> state;  // 0 new, 1 on stack, 2 done
  std::vector<std::unique_ptr<Module>> ordered;
  std::map<const Module*, std::unique_ptr<Module>*> owner;
  for (auto& m : program_.modules) owner[m.get()] = &m;
  std::vector<const Module*> stack;
  bool ok = true;
  std::function<void(const Module*)> visit = [&](const Module* m) {
    state[m] = 1;
    stack.push_back(m);
    for (const Import& imp : m->imports) {
      if (imp.target == nullptr) continue;
      if (state[imp.target] == 1) {
        auto from = std::find(stack.begin(), stack.end(), imp.target);
        std::string cycle;
        for (auto p = from; p != stack.end(); ++p) cycle += (*p)->name + " -> ";
        cycle += imp.target->name;
        sink_.report(diag::ImportCycle(imp.range, cycle));
        ok = false;
        continue;
      }
      if (state[imp.target] == 0) visit(imp.target);
    }
    stack.pop_back();
    state[m] = 2;
    if (owner[m]->get() != nullptr) ordered.push_back(std::move(*owner[m]));
  };
  for (auto& m : program_.modules) {
    if (m != nullptr && state[m.get()] == 0) visit(m.get());
  }
  program_.modules = std::move(ordered);
  return ok;
}

void Checker::collect_declarations(Module& m) {
  ModuleScope& scope = scopes_[m.name];
  scope.module = &m;
  for (auto& d : m.decls) {
    if (d->kind == DeclKind::kDialect) continue;
    if (d->kind == DeclKind::kProgram && program_.entry == nullptr) program_.entry = d.get();
    auto [it, inserted] = scope.own.emplace(d->name, d.get());
    if (!inserted) {
      sink_.report(diag::DuplicateDeclaration(d->name_range, d->name)
                       .note(it->second->name_range, "the first declaration"));
    }
  }
}

void Checker::resolve_imports(Module& m) {
  ModuleScope& scope = scopes_[m.name];
  for (Import& imp : m.imports) {
    if (imp.target == nullptr) continue;
    scope.aliases[alias_of(imp.name)] = &imp;
    scope.imports.push_back({&imp, &scopes_[imp.target->name]});
  }
}

const ModuleScope* Checker::lookup_module(const std::string& alias) {
  auto it = scope_->aliases.find(alias);
  if (it == scope_->aliases.end()) return nullptr;
  it->second->used = true;
  return &scopes_[it->second->target->name];
}

const Decl* Checker::lookup_decl(const std::string& name, SourceRange where, bool report) {
  last_lookup_ambiguous_ = false;
  auto own = scope_->own.find(name);
  if (own != scope_->own.end()) return own->second;
  const Decl* found = nullptr;
  Import* found_in = nullptr;
  for (auto& [imp, scope] : scope_->imports) {
    auto it = scope->own.find(name);
    if (it == scope->own.end() || it->second->kind == DeclKind::kProgram) continue;
    if (found != nullptr && found != it->second) {
      last_lookup_ambiguous_ = true;
      found_in->used = true;  // the user meant one of them: neither import is unused
      imp->used = true;
      if (report) {
        sink_.report(diag::AmbiguousName(where, name)
                         .note(fmt::format("write {}.{} or {}.{}", alias_of(found_in->name), name,
                                           alias_of(imp->name), name)));
      }
      return nullptr;
    }
    found = it->second;
    found_in = imp;
  }
  if (found_in != nullptr) found_in->used = true;
  return found;
}

const Type* Checker::resolve_type(TypeRef& ref) {
  const Type* t = types_.error();
  switch (ref.kind) {
    case TypeRef::Kind::kList:
      t = types_.list(resolve_type(ref.args[0]));
      break;
    case TypeRef::Kind::kOptional:
      t = types_.optional(resolve_type(ref.args[0]));
      break;
    case TypeRef::Kind::kMap: {
      const Type* key = resolve_type(ref.args[0]);
      const Type* value = resolve_type(ref.args[1]);
      if (!key->is_error() && !key->is(Type::Kind::kString)) {
        sink_.report(diag::MapKeyNotString(ref.args[0].range, type_name(key))
                         .fix("use string keys", ref.args[0].range, "string"));
      }
      t = types_.map(value);
      break;
    }
    case TypeRef::Kind::kNamed: {
      if (ref.name.empty()) {  // the parser could not read a type here and said so
        ref.resolved = types_.error();
        return types_.error();
      }
      const Decl* d = nullptr;
      if (ref.name.size() == 1) {
        if (const Type* b = types_.builtin(ref.name[0])) {
          ref.resolved = b;
          return b;
        }
        d = lookup_decl(ref.name[0], ref.range, true);
        if (d == nullptr && last_lookup_ambiguous_) {  // already reported
          ref.resolved = types_.error();
          return types_.error();
        }
      } else if (ref.name.size() == 2) {
        if (const ModuleScope* ms = lookup_module(ref.name[0])) {
          auto it = ms->own.find(ref.name[1]);
          if (it != ms->own.end()) d = it->second;
        }
      }
      if (d != nullptr && (d->kind == DeclKind::kSchema || d->kind == DeclKind::kEnum)) {
        const_cast<Decl*>(d)->used = true;
        t = types_.named(d);
      } else {
        static const std::map<std::string, std::string> kCommon = {
            {"int", "i64"},     {"integer", "i64"}, {"long", "i64"},      {"float", "f64"},
            {"double", "f64"},  {"str", "string"},  {"String", "string"}, {"boolean", "bool"},
            {"vector", "list"}, {"array", "list"}};
        Diagnostic diag = diag::UnknownType(ref.range, join_name(ref.name));
        auto common = kCommon.find(join_name(ref.name));
        if (common != kCommon.end()) diag.fix("write " + common->second, ref.range, common->second);
        sink_.report(std::move(diag));
      }
      break;
    }
  }
  ref.resolved = t;
  return t;
}

void Checker::check_signature(Decl& d) {
  std::set<std::string> names;
  for (Param& p : d.params) {
    p.binding->type = resolve_type(p.type);
    if (!names.insert(p.binding->name).second) {
      sink_.report(diag::DuplicateBinding(p.binding->range, p.binding->name));
    }
  }
  d.type = d.return_type ? resolve_type(*d.return_type) : types_.void_type();
}

void Checker::check_recursion(const Decl& schema) {
  // A schema may not hold itself by value: directly, or through optional<...>.
  std::set<const Decl*> visiting;
  std::function<bool(const Decl*, std::string&)> holds = [&](const Decl* d, std::string& path) {
    if (!visiting.insert(d).second) return false;
    for (const FieldDecl& f : d->fields) {
      const Type* t = f.type.resolved;
      while (t != nullptr && t->is(Type::Kind::kOptional)) t = t->element;
      if (t == nullptr || !t->is(Type::Kind::kSchema)) continue;
      std::string here = path.empty() ? f.name : path + "." + f.name;
      if (t->decl == &schema) {
        path = here;
        return true;
      }
      if (holds(t->decl, here)) {
        path = here;
        return true;
      }
    }
    return false;
  };
  std::string path;
  if (holds(&schema, path)) {
    sink_.report(diag::RecursiveSchema(schema.name_range, schema.name, "field " + path)
                     .note("hold the nested values in a list<" + schema.name + ">"));
  }
}

void Checker::check_schema(Decl& d) {
  std::map<std::string, const FieldDecl*> seen;
  for (FieldDecl& f : d.fields) {
    auto [it, inserted] = seen.emplace(f.name, &f);
    if (!inserted) {
      sink_.report(diag::DuplicateField(f.range, d.name, f.name)
                       .note(it->second->range, "the first field with that name"));
    }
  }
}

namespace {

enum class Rule { kBounds, kLength, kPattern, kOneOf };

// The numeric value of a literal argument (ints, floats, durations, negated), or nothing.
std::optional<double> literal_number(const Expr& e) {
  if (e.kind == ExprKind::kIntLit || e.kind == ExprKind::kDurationLit) {
    return static_cast<double>(e.int_value);
  }
  if (e.kind == ExprKind::kFloatLit) return e.float_value;
  if (e.kind == ExprKind::kUnary && e.unary_op == UnaryOp::kNeg) {
    if (auto v = literal_number(*e.children[0])) return -*v;
  }
  return std::nullopt;
}

bool is_literal(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kIntLit:
    case ExprKind::kFloatLit:
    case ExprKind::kDurationLit:
    case ExprKind::kBoolLit:
    case ExprKind::kNoneLit:
      return true;
    case ExprKind::kStringLit:
      return e.children.empty();
    case ExprKind::kUnary:
      return e.unary_op == UnaryOp::kNeg && literal_number(*e.children[0]);
    case ExprKind::kField:
      return e.children[0]->kind == ExprKind::kName;  // Enum.member
    case ExprKind::kListLit:
      return e.children.empty();
    case ExprKind::kSomeLit:
      return is_literal(*e.children[0]);
    default:
      return false;
  }
}

}  // namespace

void Checker::check_validator(const Decl& schema, FieldDecl& field, Validator& v) {
  (void)schema;
  const Type* t = field.type.resolved;
  if (t == nullptr || t->is_error()) return;
  while (t->is(Type::Kind::kOptional)) t = t->element;
  using K = Type::Kind;
  struct Spec {
    const char* name;
    Rule rule;
    std::size_t args;  // 0: any number >= 1
  };
  static const Spec kSpecs[] = {
      {"between", Rule::kBounds, 2},   {"at_least", Rule::kBounds, 1},
      {"at_most", Rule::kBounds, 1},   {"length_between", Rule::kLength, 2},
      {"non_empty", Rule::kLength, 0}, {"matches", Rule::kPattern, 1},
      {"one_of", Rule::kOneOf, 99},
  };
  const Spec* spec = nullptr;
  for (const Spec& s : kSpecs) {
    if (v.name == s.name) spec = &s;
  }
  if (spec == nullptr) {
    Diagnostic d = diag::UnknownValidator(v.range, v.name);
    static const std::map<std::string, std::string> kLike = {{"range", "between"},
                                                             {"min", "at_least"},
                                                             {"max", "at_most"},
                                                             {"length", "length_between"},
                                                             {"min_length", "length_between"},
                                                             {"not_empty", "non_empty"},
                                                             {"pattern", "matches"},
                                                             {"regex", "matches"},
                                                             {"in", "one_of"}};
    auto like = kLike.find(v.name);
    if (like != kLike.end()) d.note("did you mean `" + like->second + "`?");
    sink_.report(std::move(d));
    return;
  }
  bool type_ok = false;
  const Type* arg_type = types_.i64();
  switch (spec->rule) {
    case Rule::kBounds:
      type_ok = t->is(K::kI64) || t->is(K::kF64) || t->is(K::kDuration) || t->is(K::kTimestamp);
      arg_type = t->is(K::kTimestamp) ? types_.i64() : t;
      break;
    case Rule::kLength:
      type_ok = t->is(K::kString) || t->is(K::kBytes) || t->is(K::kList) || t->is(K::kMap);
      break;
    case Rule::kPattern:
      type_ok = t->is(K::kString);
      arg_type = types_.string();
      break;
    case Rule::kOneOf:
      type_ok = t->is(K::kI64) || t->is(K::kString);
      arg_type = t;
      break;
  }
  if (!type_ok) {
    sink_.report(diag::ValidatorType(v.range, v.name, type_name(t)).note(field.range, "the field"));
    return;
  }
  std::size_t want = spec->args;
  bool count_ok = want == 99 ? !v.args.empty() : v.args.size() == want;
  std::string shape = want == 99  ? "one or more values"
                      : want == 0 ? "no arguments: non_empty()"
                      : want == 1 ? "one " + type_name(arg_type)
                                  : "two " + type_name(arg_type) + " values (low, high)";
  if (!count_ok) {
    sink_.report(diag::ValidatorArguments(v.range, v.name, shape));
    return;
  }
  for (auto& a : v.args) {
    const Type* at = check_expr(*a, arg_type);
    if (!assignable(arg_type, at) || !is_literal(*a)) {
      sink_.report(diag::ValidatorArguments(a->range, v.name, shape + " literal(s)"));
      return;
    }
  }
  if (want == 2) {
    auto lo = literal_number(*v.args[0]);
    auto hi = literal_number(*v.args[1]);
    if (lo && hi && *lo > *hi) {
      sink_.report(diag::ValidatorBounds(
          v.range, v.args[0]->text.empty() ? fmt::format("{}", *lo) : v.args[0]->text,
          v.args[1]->text.empty() ? fmt::format("{}", *hi) : v.args[1]->text));
    }
  }
  if (spec->rule == Rule::kPattern && v.args[0]->kind == ExprKind::kStringLit) {
    try {
      std::regex re(v.args[0]->pieces[0], std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      sink_.report(
          diag::BadPattern(v.args[0]->range, "\"" + v.args[0]->pieces[0] + "\"", e.what()));
    }
  }
  // A default must pass its own numeric rules.
  if (field.default_value && spec->rule == Rule::kBounds) {
    auto value = literal_number(*field.default_value);
    auto a = literal_number(*v.args[0]);
    bool bad = false;
    if (value && a) {
      if (v.name == "at_least" || v.name == "between") bad = *value < *a;
      if (v.name == "at_most") bad = *value > *a;
      if (v.name == "between" && want == 2) {
        if (auto b = literal_number(*v.args[1])) bad = bad || *value > *b;
      }
    }
    if (bad) {
      sink_.report(
          diag::DefaultFailsValidation(field.default_value->range, field.name, v.name + "(...)"));
    }
  }
}

void Checker::report_unused_imports(Module& m) {
  for (Import& imp : m.imports) {
    if (imp.target != nullptr && !imp.used) {
      SourceRange line = imp.range;
      line.column = 1;
      sink_.report(diag::UnusedImport(imp.range, join_name(imp.name))
                       .fix("remove the import",
                            SourceRange{line.file, line.line, 1, line.line + 1, 1}, ""));
    }
  }
}

bool Checker::run(const CheckOptions& options) {
  if (!order_modules()) return false;
  for (auto& m : program_.modules) collect_declarations(*m);
  for (auto& m : program_.modules) resolve_imports(*m);
  // Dialect constructs are reserved.
  for (auto& m : program_.modules) {
    for (auto& d : m->decls) {
      if (d->kind != DeclKind::kDialect) continue;
      static const std::map<std::string, std::string> kWhen = {
          {"oltp_table", "tables arrive with the OLTP store"},
          {"olap_table", "tables arrive with the OLAP store"},
          {"nagini_component", "components arrive with the Nagini dialect"}};
      auto it = kWhen.find(d->dialect_keyword);
      sink_.report(diag::NotYetSupported(d->name_range, d->dialect_keyword,
                                         it == kWhen.end() ? "" : it->second));
    }
  }
  // Types of fields and signatures, module by module (imports first).
  for (auto& m : program_.modules) {
    scope_ = &scopes_[m->name];
    for (auto& d : m->decls) {
      if (d->kind == DeclKind::kSchema || d->kind == DeclKind::kEnum)
        d->type = types_.named(d.get());
    }
  }
  for (auto& m : program_.modules) {
    scope_ = &scopes_[m->name];
    for (auto& d : m->decls) {
      switch (d->kind) {
        case DeclKind::kSchema:
          for (FieldDecl& f : d->fields) resolve_type(f.type);
          break;
        case DeclKind::kEnum: {
          std::map<std::string, SourceRange> seen;
          for (std::size_t i = 0; i < d->members.size(); ++i) {
            if (!seen.emplace(d->members[i], d->member_ranges[i]).second) {
              sink_.report(diag::DuplicateEnumMember(d->member_ranges[i], d->name, d->members[i]));
            }
          }
          break;
        }
        case DeclKind::kFunction:
        case DeclKind::kRuntimeFunction:
          check_signature(*d);
          break;
        case DeclKind::kProgram:
        case DeclKind::kPartition:
          d->type = types_.void_type();
          break;
        case DeclKind::kChannel:
        case DeclKind::kTask:
        case DeclKind::kReceiver:
        case DeclKind::kTopic:
        case DeclKind::kConsumer:
          check_system_signature(*d);
          break;
        case DeclKind::kService:
          check_service_signature(*d);
          break;
        case DeclKind::kRoute:  // only inside a service
        case DeclKind::kDialect:
          break;
      }
    }
  }
  for (auto& m : program_.modules) {
    scope_ = &scopes_[m->name];
    for (auto& d : m->decls) {
      if (d->kind != DeclKind::kSchema) continue;
      check_schema(*d);
      check_recursion(*d);
      for (FieldDecl& f : d->fields) {
        if (f.default_value) {
          const Type* t = check_expr(*f.default_value, f.type.resolved);
          if (!is_literal(*f.default_value)) {
            sink_.report(diag::DefaultNotConstant(f.default_value->range, "a computed value"));
          } else if (!assignable(f.type.resolved, t)) {
            sink_.report(diag::TypeMismatch(f.default_value->range, type_name(f.type.resolved),
                                            type_name(t)));
          }
        }
        for (Validator& v : f.validators) check_validator(*d, f, v);
      }
    }
  }
  // Programs: at most one in the project.
  const Decl* first_program = nullptr;
  for (auto& m : program_.modules) {
    for (auto& d : m->decls) {
      if (d->kind != DeclKind::kProgram) continue;
      if (first_program == nullptr) {
        first_program = d.get();
      } else {
        sink_.report(diag::MultiplePrograms(d->name_range, d->name)
                         .note(first_program->name_range, "the first program"));
      }
    }
  }
  program_.entry = first_program;
  // A program that serves HTTP needs no `program` block: its services are what it runs.
  bool serves = false;
  for (auto& m : program_.modules) {
    for (auto& d : m->decls) serves = serves || d->kind == DeclKind::kService;
  }
  if (options.require_entry && first_program == nullptr && !serves) {
    SourceRange where;
    for (auto& m : program_.modules) {
      if (!m->is_stdlib) where = SourceRange{m->file, 1, 1, 1, 2};
    }
    sink_.report(diag::NoProgram(where).note("add `program main { ... }` to one module"));
  }
  // Bodies.
  for (auto& m : program_.modules) {
    scope_ = &scopes_[m->name];
    for (auto& d : m->decls) {
      if (d->kind == DeclKind::kFunction || d->kind == DeclKind::kProgram ||
          d->kind == DeclKind::kTask) {
        check_body(*d);
      }
      if (d->kind == DeclKind::kReceiver || d->kind == DeclKind::kConsumer) check_receiver(*d);
      if (d->kind == DeclKind::kService) check_service(*d);
    }
  }
  for (auto& m : program_.modules) {
    if (!m->is_stdlib) report_unused_imports(*m);
  }
  return !sink_.has_errors();
}

bool check_program(Program& program, DiagnosticSink& sink, const CheckOptions& options) {
  Checker checker(program, sink);
  return checker.run(options);
}

}  // namespace pt
