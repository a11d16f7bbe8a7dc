#include "lsp/index.h"

#include <algorithm>
#include <tuple>

namespace pt::lsp {

SourceRange tail_range(SourceRange r, const std::string& name) {
  std::uint32_t n = code_points(name);
  if (r.end_column > n) {
    r.line = r.end_line;
    r.column = r.end_column - n;
  }
  return r;
}

SourceRange declaration_range(const Target& t) {
  switch (t.kind) {
    case Target::Kind::kDecl:
      return t.decl()->name_range;
    case Target::Kind::kField:
      return t.decl()->fields[static_cast<std::size_t>(t.index)].range;
    case Target::Kind::kMember:
      return t.decl()->member_ranges[static_cast<std::size_t>(t.index)];
    case Target::Kind::kBinding:
      return t.binding()->range;
    case Target::Kind::kModule: {
      const Module* m = t.module();
      if (m->name_range.valid()) return m->name_range;
      return SourceRange{m->file, 1, 1, 1, 1};
    }
    case Target::Kind::kBuiltin:
      return {};
  }
  return {};
}

namespace {

// Walks one module, adding an Occurrence for every name that sema resolved.
class Walker {
 public:
  Walker(std::vector<std::vector<Occurrence>>& out, const Module& m) : out_(out), module_(m) {}

  void module() {
    if (module_.name_range.valid()) {
      add(module_.name_range, {Target::Kind::kModule, &module_, -1}, true);
    }
    for (const Import& imp : module_.imports) {
      if (imp.target != nullptr) add(imp.range, {Target::Kind::kModule, imp.target, -1}, false);
    }
    for (const auto& d : module_.decls) decl(*d);
  }

 private:
  void add(SourceRange r, Target t, bool declaration) {
    if (!r.valid() || t.ptr == nullptr) return;
    if (r.file >= out_.size()) out_.resize(r.file + 1);
    out_[r.file].push_back({r, t, declaration});
  }

  void decl(const Decl& d) {
    Target self{Target::Kind::kDecl, &d, -1};
    add(d.name_range, self, true);
    for (std::size_t i = 0; i < d.fields.size(); ++i) {
      const FieldDecl& f = d.fields[i];
      add(f.range, {Target::Kind::kField, &d, static_cast<int>(i)}, true);
      type(f.type);
      if (f.default_value) expr(*f.default_value);
      for (const Validator& v : f.validators) {
        for (const auto& a : v.args) expr(*a);
      }
    }
    for (std::size_t i = 0; i < d.member_ranges.size(); ++i) {
      add(d.member_ranges[i], {Target::Kind::kMember, &d, static_cast<int>(i)}, true);
    }
    for (const Param& p : d.params) {
      if (p.binding) binding(*p.binding);
      type(p.type);
    }
    if (d.return_type) type(*d.return_type);
    if (d.carried) type(*d.carried);
    for (const Setting& s : d.settings) setting(s);
    if (d.partition != nullptr) add(d.runs_on_range, {Target::Kind::kDecl, d.partition, -1}, false);
    const Decl* read = d.channel != nullptr ? d.channel : d.topic;
    if (read != nullptr) add(d.reads_range, {Target::Kind::kDecl, read, -1}, false);
    block(d.state);
    block(d.body);
    block(d.closed_body);
    if (d.route) {
      for (const auto& q : d.route->query_defaults) {
        if (q) expr(*q);
      }
      if (d.route->accepts) type(*d.route->accepts);
    }
    for (const auto& r : d.routes) decl(*r);
  }

  void setting(const Setting& s) {
    if (s.value) expr(*s.value);
    for (const Setting& a : s.args) setting(a);
  }

  void binding(const Binding& b) { add(b.range, {Target::Kind::kBinding, &b, -1}, true); }

  void type(const TypeRef& t) {
    if (t.kind == TypeRef::Kind::kNamed) {
      if (t.resolved != nullptr && t.resolved->decl != nullptr && !t.name.empty()) {
        add(tail_range(t.range, t.name.back()), {Target::Kind::kDecl, t.resolved->decl, -1}, false);
      }
      if (t.name.size() == 2) module_alias(t.name[0], t.range);
      return;
    }
    for (const TypeRef& a : t.args) type(a);
  }

  // `alias` written at the start of `r` (the `shop` of `shop.Order`): the module it names.
  void module_alias(const std::string& alias, SourceRange r) {
    for (const Import& imp : module_.imports) {
      if (imp.target != nullptr && !imp.name.empty() && imp.name.back() == alias) {
        SourceRange head{r.file, r.line, r.column, r.line, r.column + code_points(alias)};
        add(head, {Target::Kind::kModule, imp.target, -1}, false);
        return;
      }
    }
  }

  void block(const Block& b) {
    for (const auto& s : b) stmt(*s);
  }

  void stmt(const Stmt& s) {
    if (s.binding) binding(*s.binding);
    if (s.binding2) binding(*s.binding2);
    if (s.declared_type) type(*s.declared_type);
    if (s.target) expr(*s.target);
    if (s.value) expr(*s.value);
    block(s.body);
    block(s.else_body);
    const Decl* matched = s.kind == StmtKind::kMatch && s.value && s.value->type != nullptr &&
                                  s.value->type->is(Type::Kind::kEnum)
                              ? s.value->type->decl
                              : nullptr;
    for (const MatchArm& arm : s.arms) {
      if (matched != nullptr) {
        for (std::size_t k = 0; k < arm.member_ranges.size() && k < arm.member_indexes.size();
             ++k) {
          if (arm.member_indexes[k] >= 0) {
            add(arm.member_ranges[k], {Target::Kind::kMember, matched, arm.member_indexes[k]},
                false);
          }
        }
      }
      if (arm.capture) binding(*arm.capture);
      block(arm.body);
    }
    for (std::size_t k = 0; k < s.input_ranges.size() && k < s.input_bindings.size(); ++k) {
      add(s.input_ranges[k], {Target::Kind::kBinding, s.input_bindings[k], -1}, false);
    }
    for (const auto& o : s.outputs) {
      if (o) binding(*o);
    }
    for (const TypeRef& t : s.output_types) type(t);
  }

  void expr(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kName:
        if (e.binding != nullptr) {
          add(e.range, {Target::Kind::kBinding, e.binding, -1}, false);
        } else if (e.decl != nullptr) {
          add(e.range, {Target::Kind::kDecl, e.decl, -1}, false);
        } else {
          module_alias(e.text, e.range);
        }
        return;
      case ExprKind::kField: {
        expr(*e.children[0]);
        SourceRange name = e.name_ranges.empty() ? tail_range(e.range, e.text) : e.name_ranges[0];
        if (e.decl == nullptr) return;
        if (e.member_index < 0) {
          add(name, {Target::Kind::kDecl, e.decl, -1}, false);
        } else if (e.decl->kind == DeclKind::kSchema) {
          add(name, {Target::Kind::kField, e.decl, e.member_index}, false);
        } else if (e.decl->kind == DeclKind::kEnum) {
          add(name, {Target::Kind::kMember, e.decl, e.member_index}, false);
        }
        return;
      }
      case ExprKind::kSchemaLit:
        if (e.decl != nullptr) {
          SourceRange name{e.range.file, e.range.line, e.range.column, e.range.line,
                           e.range.column + code_points(e.text)};
          add(name, {Target::Kind::kDecl, e.decl, -1}, false);
          for (std::size_t i = 0; i < e.names.size() && i < e.name_ranges.size(); ++i) {
            for (std::size_t f = 0; f < e.decl->fields.size(); ++f) {
              if (e.decl->fields[f].name == e.names[i]) {
                add(e.name_ranges[i], {Target::Kind::kField, e.decl, static_cast<int>(f)}, false);
              }
            }
          }
        }
        break;
      case ExprKind::kCall:
        if (e.builtin >= 0 && e.children[0]->kind == ExprKind::kName) {
          add(e.children[0]->range,
              {Target::Kind::kBuiltin, &builtin_info(static_cast<Builtin>(e.builtin)), e.builtin},
              false);
        }
        break;
      default:
        break;
    }
    for (const auto& c : e.children) {
      if (c) expr(*c);
    }
  }

  std::vector<std::vector<Occurrence>>& out_;
  const Module& module_;
};

}  // namespace

Index::Index(const Program& program, std::size_t files) : by_file_(files) {
  for (const auto& m : program.modules) {
    if (m) Walker(by_file_, *m).module();
  }
  for (auto& list : by_file_) {
    std::stable_sort(list.begin(), list.end(), [](const Occurrence& a, const Occurrence& b) {
      return std::tie(a.range.line, a.range.column) < std::tie(b.range.line, b.range.column);
    });
  }
}

const Occurrence* Index::at(std::uint32_t file, std::uint32_t line, std::uint32_t column) const {
  if (file >= by_file_.size()) return nullptr;
  const Occurrence* touching = nullptr;
  for (const Occurrence& o : by_file_[file]) {
    const SourceRange& r = o.range;
    if (r.line > line) break;
    if (r.line != line || r.end_line != line) continue;
    if (r.column <= column && column < r.end_column) return &o;
    if (column == r.end_column) touching = &o;  // the cursor just after the name
  }
  return touching;
}

std::vector<const Occurrence*> Index::references(const Target& target) const {
  std::vector<const Occurrence*> out;
  for (const auto& list : by_file_) {
    for (const Occurrence& o : list) {
      if (o.target == target) out.push_back(&o);
    }
  }
  return out;
}

const std::vector<Occurrence>& Index::in_file(std::uint32_t file) const {
  static const std::vector<Occurrence> kNone;
  return file < by_file_.size() ? by_file_[file] : kNone;
}

}  // namespace pt::lsp
