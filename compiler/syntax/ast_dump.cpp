#include "syntax/ast_dump.h"

#include <fmt/format.h>

namespace pt {

namespace {

class Dumper {
 public:
  std::string out;

  void module(const Module& m) {
    line("module");
    field("name", quote(m.name));
    field("name_range", range(m.name_range));
    field("file", std::to_string(m.file));
    field("has_module_decl", flag(m.has_module_decl));
    field("is_stdlib", flag(m.is_stdlib));
    for (const Import& i : m.imports) {
      line("import " + quote(join_name(i.name)) + " " + std::to_string(i.name.size()) + " parts " +
           range(i.range));
    }
    for (const auto& d : m.decls) decl(*d);
  }

 private:
  int depth_ = 0;

  static std::string quote(const std::string& s) {
    std::string q = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') {
        q += '\\';
        q += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        q += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
      } else {
        q += c;
      }
    }
    return q + "\"";
  }
  static std::string range(const SourceRange& r) {
    return fmt::format("{}:{}:{}-{}:{}", r.file, r.line, r.column, r.end_line, r.end_column);
  }
  static std::string flag(bool b) { return b ? "true" : "false"; }

  void line(const std::string& s) {
    out.append(static_cast<std::size_t>(depth_) * 2, ' ');
    out += s;
    out += '\n';
  }
  void field(const char* name, const std::string& value) { line(std::string(name) + ": " + value); }
  struct Indent {
    explicit Indent(Dumper& d) : d(d) { ++d.depth_; }
    ~Indent() { --d.depth_; }
    Dumper& d;
  };

  void type_ref(const char* name, const TypeRef& t) {
    line(fmt::format("{}: type kind {} {} name {}", name, static_cast<int>(t.kind), range(t.range),
                     quote(join_name(t.name))));
    Indent in(*this);
    field("name parts", std::to_string(t.name.size()));
    for (const TypeRef& a : t.args) type_ref("arg", a);
  }

  void binding(const char* name, const Binding* b) {
    if (b == nullptr) {
      field(name, "null");
      return;
    }
    line(fmt::format("{}: binding {} kind {} {}", name, quote(b->name), static_cast<int>(b->kind),
                     range(b->range)));
  }

  void expr(const char* name, const Expr* e) {
    if (e == nullptr) {
      field(name, "null");
      return;
    }
    line(fmt::format("{}: expr kind {} {} text {} int {} float {} binary {} unary {}", name,
                     static_cast<int>(e->kind), range(e->range), quote(e->text), e->int_value,
                     fmt::format("{:a}", e->float_value), static_cast<int>(e->binary_op),
                     static_cast<int>(e->unary_op)));
    Indent in(*this);
    for (const std::string& n : e->names) field("name", quote(n));
    for (const SourceRange& r : e->name_ranges) field("name_range", range(r));
    for (const std::string& p : e->pieces) field("piece", quote(p));
    for (const auto& c : e->children) expr("child", c.get());
  }

  void block(const char* name, const Block& b) {
    line(fmt::format("{}: {} statements", name, b.size()));
    Indent in(*this);
    for (const auto& s : b) stmt(*s);
  }

  void stmt(const Stmt& s) {
    line(fmt::format("stmt kind {} {} has_else {}", static_cast<int>(s.kind), range(s.range),
                     flag(s.has_else)));
    Indent in(*this);
    binding("binding", s.binding.get());
    binding("binding2", s.binding2.get());
    if (s.declared_type) {
      type_ref("declared_type", *s.declared_type);
    } else {
      field("declared_type", "null");
    }
    expr("target", s.target.get());
    expr("value", s.value.get());
    block("body", s.body);
    block("else_body", s.else_body);
    for (const MatchArm& a : s.arms) {
      line(fmt::format("arm kind {} {}", static_cast<int>(a.kind), range(a.range)));
      Indent arm(*this);
      for (const std::string& m : a.members) field("member", quote(m));
      for (const SourceRange& r : a.member_ranges) field("member_range", range(r));
      binding("capture", a.capture.get());
      block("body", a.body);
    }
    for (const std::string& i : s.inputs) field("input", quote(i));
    for (const SourceRange& r : s.input_ranges) field("input_range", range(r));
    for (const auto& o : s.outputs) binding("output", o.get());
    for (const TypeRef& t : s.output_types) type_ref("output_type", t);
    field("cpp_code", quote(s.cpp_code));
    field("cpp_range", range(s.cpp_range));
  }

  void setting(const Setting& st) {
    line(fmt::format("setting {} {} value_range {}", quote(st.name), range(st.range),
                     range(st.value_range)));
    Indent si(*this);
    for (std::size_t i = 0; i < st.words.size(); ++i) {
      field("word", quote(st.words[i]) + " " + range(st.word_ranges[i]));
    }
    field("has_args", flag(st.has_args));
    for (const Setting& a : st.args) setting(a);
    expr("value", st.value.get());
  }

  void decl(const Decl& d) {
    line(fmt::format("decl kind {} {} {} name_range {}", static_cast<int>(d.kind), quote(d.name),
                     range(d.range), range(d.name_range)));
    Indent in(*this);
    field("doc", quote(d.doc));
    field("module", d.module != nullptr ? "set" : "null");
    for (const FieldDecl& f : d.fields) {
      line(fmt::format("field {} {}", quote(f.name), range(f.range)));
      Indent fi(*this);
      field("doc", quote(f.doc));
      type_ref("type", f.type);
      expr("default", f.default_value.get());
      for (const Validator& v : f.validators) {
        line(fmt::format("validator {} {}", quote(v.name), range(v.range)));
        Indent vi(*this);
        for (const auto& a : v.args) expr("arg", a.get());
      }
    }
    for (const std::string& m : d.members) field("member", quote(m));
    for (const SourceRange& r : d.member_ranges) field("member_range", range(r));
    for (const Param& p : d.params) {
      binding("param", p.binding.get());
      Indent pi(*this);
      type_ref("type", p.type);
    }
    if (d.return_type) {
      type_ref("return_type", *d.return_type);
    } else {
      field("return_type", "null");
    }
    block("body", d.body);
    field("runtime_symbol", quote(d.runtime_symbol));
    for (const Setting& st : d.settings) setting(st);
    if (d.carried) {
      type_ref("carried", *d.carried);
    } else {
      field("carried", "null");
    }
    field("runs_on", quote(join_name(d.runs_on)) + " " + std::to_string(d.runs_on.size()) +
                         " parts " + range(d.runs_on_range));
    field("reads", quote(join_name(d.reads)) + " " + std::to_string(d.reads.size()) + " parts " +
                       range(d.reads_range));
    block("state", d.state);
    block("closed_body", d.closed_body);
    field("has_closed", flag(d.has_closed));
    field("handler_range", range(d.handler_range));
    field("group", quote(d.group) + " " + range(d.group_range));
    field("group_members", std::to_string(d.group_members) + " " + range(d.members_range) + " " +
                               flag(d.has_members));
    field("has_handler", flag(d.has_handler));
    field("dialect_keyword", quote(d.dialect_keyword));
    field("port", std::to_string(d.port) + " " + range(d.port_range));
    field("has_limits", flag(d.has_limits) + " " + range(d.limits_range));
    for (const auto& r : d.routes) {
      Indent ri(*this);
      decl(*r);
    }
    if (d.route) route(*d.route);
  }

  void route(const RouteInfo& r) {
    field("method", quote(r.method) + " " + range(r.method_range));
    field("path", quote(r.path) + " " + range(r.path_range));
    for (const PathSegment& s : r.segments) {
      field("segment", quote(s.text) + " " + std::to_string(s.param) + " " + range(s.range));
    }
    field("path_params", std::to_string(r.path_params));
    field("has_query", flag(r.has_query) + " " + range(r.query_range));
    for (const auto& e : r.query_defaults) expr("query_default", e.get());
    if (r.accepts) {
      type_ref("accepts", *r.accepts);
    } else {
      field("accepts", "null");
    }
    binding("request_body", r.request_body.get());
  }
};

}  // namespace

std::string dump_ast(const Module& module) {
  Dumper d;
  d.module(module);
  return d.out;
}

}  // namespace pt
