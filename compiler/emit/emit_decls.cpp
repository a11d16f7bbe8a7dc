// Module headers and sources: enums, schemas (struct, validation, JSON), function signatures.
#include <functional>
#include <set>

#include "emit/emitter.h"

namespace pt {

namespace {

const std::set<std::string>& cpp_keywords() {
  static const std::set<std::string> words = {
      "alignas", "alignof", "asm", "auto", "bool", "case", "catch", "char", "char8_t", "char16_t",
      "char32_t", "class", "co_await", "co_return", "co_yield", "concept", "const", "consteval",
      "constexpr", "constinit", "const_cast", "decltype", "default", "delete", "do", "double",
      "dynamic_cast", "explicit", "export", "extern", "float", "friend", "goto", "inline", "int",
      "long", "mutable", "namespace", "new", "noexcept", "nullptr", "operator", "private",
      "protected", "public", "register", "reinterpret_cast", "requires", "short", "signed",
      "sizeof", "static", "static_assert", "static_cast", "struct", "switch", "template", "this",
      "thread_local", "throw", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
      "virtual", "void", "volatile", "wchar_t", "xor", "xor_eq", "bitand", "bitor", "compl",
      "not_eq", "or_eq", "and_eq",
      // names the generated code itself uses
      "validate", "read_json", "write_json", "read_binary", "write_binary", "to_text", "main",
      "std", "hallows", "fmt", "simdjson", "errno", "assert", "NULL", "EOF", "stdin", "stdout",
      "stderr",
      // a route handler's hallows::http::Exchange, its decoded body and its routing table
      "ex", "decoded", "why", "routes", "limits"};
  return words;
}

}  // namespace

std::string cpp_ident(const std::string& name) {
  if (cpp_keywords().count(name)) return name + "_";
  // Identifiers with a double underscore or `_Capital` are reserved in C++.
  if (name.find("__") != std::string::npos ||
      (name.size() > 1 && name[0] == '_' && std::isupper(static_cast<unsigned char>(name[1])))) {
    std::string out = "pt";
    for (char c : name) out += c;
    return out;
  }
  return name;
}

std::string module_namespace(const Module& m) {
  std::string out;
  std::size_t start = 0;
  while (start <= m.name.size()) {
    std::size_t dot = m.name.find('.', start);
    if (dot == std::string::npos) dot = m.name.size();
    std::string part = m.name.substr(start, dot - start);
    if (!out.empty()) out += "::";
    out += out.empty() && part == "std" ? "pt_std" : cpp_ident(part);
    start = dot + 1;
  }
  return out;
}

std::string module_file_stem(const Module& m) {
  std::string out = m.name;
  for (char& c : out) {
    if (c == '.') c = '_';
  }
  // gen/main.cpp is the entry point: a module named `main` gets a trailing `_`, as its
  // namespace does, instead of overwriting it.
  if (out == "main") out += "_";
  return out;
}

std::string cpp_string_literal(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '?':
        out += "\\?";
        break;  // no trigraph surprises
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\{:03o}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string ModuleEmitter::decl_name(const Decl* d) const {
  if (d->kind == DeclKind::kRuntimeFunction) return d->runtime_symbol;
  std::string name = cpp_ident(d->name);
  if (d->module == &module_) return name;
  return module_namespace(*d->module) + "::" + name;
}

std::string ModuleEmitter::type(const Type* t) const {
  using K = Type::Kind;
  switch (t->kind) {
    case K::kI64:
      return "std::int64_t";
    case K::kF64:
      return "double";
    case K::kBool:
      return "bool";
    case K::kString:
      return "std::string";
    case K::kBytes:
      return "hallows::Bytes";
    case K::kTimestamp:
      return "hallows::Timestamp";
    case K::kDuration:
      return "hallows::Duration";
    case K::kList:
      return "std::vector<" + type(t->element) + ">";
    case K::kMap:
      return "std::map<std::string, " + type(t->element) + ">";
    case K::kOptional:
      return "std::optional<" + type(t->element) + ">";
    case K::kSchema:
    case K::kEnum:
      return decl_name(t->decl);
    case K::kVoid:
      return "void";
    case K::kError:
    case K::kNone:
    case K::kEmptyList:
    case K::kEmptyMap:
      return "void /* unresolved */";
  }
  return "void";
}

std::string ModuleEmitter::param_type(const Type* t) const {
  using K = Type::Kind;
  bool scalar = t->is(K::kI64) || t->is(K::kF64) || t->is(K::kBool) || t->is(K::kEnum) ||
                t->is(K::kDuration) || t->is(K::kTimestamp);
  return scalar ? type(t) : "const " + type(t) + "&";
}

std::string ModuleEmitter::signature(const Decl& d) const {
  std::string out = type(d.type) + " " + cpp_ident(d.name) + "(";
  for (std::size_t i = 0; i < d.params.size(); ++i) {
    if (i) out += ", ";
    out += param_type(d.params[i].binding->type) + " " + cpp_ident(d.params[i].binding->name);
  }
  return out + ")";
}

// A `///` doc comment as C++ line comments: one `//` per line (a multi-line doc would otherwise
// leave its later lines as code), and never ending in a backslash, which would splice the next
// line of code into the comment (even with spaces after it, for g++).
void emit_doc(CodeWriter& w, const std::string& doc) {
  if (doc.empty()) return;
  std::size_t start = 0;
  while (start <= doc.size()) {
    std::size_t end = doc.find('\n', start);
    if (end == std::string::npos) end = doc.size();
    std::string text = doc.substr(start, end - start);
    if (!text.empty() && text.back() == '\\') text += " //";
    w.line(text.empty() ? "//" : "// " + text);
    start = end + 1;
  }
}

void ModuleEmitter::emit_enum_decl(CodeWriter& w, const Decl& d) {
  emit_doc(w, d.doc);
  std::string members;
  for (std::size_t i = 0; i < d.members.size(); ++i) {
    members += (i ? ", " : "") + cpp_ident(d.members[i]);
  }
  std::string name = cpp_ident(d.name);
  w.line("enum class " + name + " { " + members + " };");
  w.line("std::string to_text(" + name + " value);");
  w.line("void write_json(hallows::JsonWriter& out, " + name + " value);");
  w.line("bool read_json(const hallows::JsonValue& in, " + name +
         "& out, hallows::JsonDecoder& decoder);");
  w.line("void write_binary(hallows::BinaryWriter& out, " + name + " value);");
  w.line("bool read_binary(hallows::BinaryReader& in, " + name + "& out);");
  w.line();
}

void ModuleEmitter::emit_schema_decl(CodeWriter& w, const Decl& d) {
  emit_doc(w, d.doc);
  std::string name = cpp_ident(d.name);
  w.line("struct " + name + " {");
  w.indent();
  for (const FieldDecl& f : d.fields) {
    std::string init;
    if (f.default_value) {
      init = " = " + expr(*f.default_value);
    } else if (f.type.resolved->is(Type::Kind::kI64)) {
      init = " = 0";
    } else if (f.type.resolved->is(Type::Kind::kF64)) {
      init = " = 0.0";
    } else if (f.type.resolved->is(Type::Kind::kBool)) {
      init = " = false";
    } else if (f.type.resolved->is(Type::Kind::kEnum)) {
      init = " = " + decl_name(f.type.resolved->decl) +
             "::" + cpp_ident(f.type.resolved->decl->members[0]);
    }
    emit_doc(w, f.doc);
    w.line(type(f.type.resolved) + " " + cpp_ident(f.name) + init + ";");
  }
  w.line();
  w.line("bool operator==(const " + name + "&) const = default;");
  w.dedent();
  w.line("};");
  w.line("// The first field that breaks a `validate` rule, or nothing.");
  w.line("std::optional<hallows::ValidationError> validate(const " + name + "& value);");
  w.line("void write_json(hallows::JsonWriter& out, const " + name + "& value);");
  w.line("bool read_json(const hallows::JsonValue& in, " + name +
         "& out, hallows::JsonDecoder& decoder);");
  w.line("// The binary codec (docs/slytherin-codec.md): the fields in order, without names.");
  w.line("void write_binary(hallows::BinaryWriter& out, const " + name + "& value);");
  w.line("bool read_binary(hallows::BinaryReader& in, " + name + "& out);");
  w.line();
}

void ModuleEmitter::emit_enum_impl(CodeWriter& w, const Decl& d) {
  std::string name = cpp_ident(d.name);
  w.line("std::string to_text(" + name + " value) {");
  w.indent();
  w.line("switch (value) {");
  w.indent();
  for (const std::string& m : d.members) {
    w.line("case " + name + "::" + cpp_ident(m) + ": return " + cpp_string_literal(m) + ";");
  }
  w.dedent();
  w.line("}");
  w.line("return \"?\";");
  w.dedent();
  w.line("}");
  w.line();
  w.line("void write_json(hallows::JsonWriter& out, " + name +
         " value) { out.string(to_text(value)); }");
  w.line();
  w.line("bool read_json(const hallows::JsonValue& in, " + name +
         "& out, hallows::JsonDecoder& decoder) {");
  w.indent();
  w.line("std::string text;");
  w.line("if (!hallows::read_json(in, text, decoder)) return false;");
  for (const std::string& m : d.members) {
    w.line("if (text == " + cpp_string_literal(m) + ") {");
    w.indent();
    w.line("out = " + name + "::" + cpp_ident(m) + ";");
    w.line("return true;");
    w.dedent();
    w.line("}");
  }
  std::string names;
  for (std::size_t i = 0; i < d.members.size(); ++i) names += (i ? ", " : "") + d.members[i];
  w.line("return decoder.fail(\"expected one of " + name + " (" + names +
         "), found \\\"\" + text + \"\\\"\");");
  w.dedent();
  w.line("}");
  w.line();  // Binary: the member's index in declaration order, as a uvarint.
  w.line("void write_binary(hallows::BinaryWriter& out, " + name +
         " value) { out.uvarint(static_cast<std::uint64_t>(value)); }");
  w.line();
  w.line("bool read_binary(hallows::BinaryReader& in, " + name + "& out) {");
  w.indent();
  w.line("std::uint64_t index = 0;");
  w.line("if (!in.uvarint(index)) return false;");
  w.line(fmt::format("if (index >= {}) {{", d.members.size()));
  w.indent();
  w.line(
      fmt::format("return in.fail(\"enum {} has no member number \" + std::to_string(index) + "
                  "\" (it has {})\");",
                  name, d.members.size()));
  w.dedent();
  w.line("}");
  w.line("out = static_cast<" + name + ">(index);");
  w.line("return true;");
  w.dedent();
  w.line("}");
  w.line();
}

void ModuleEmitter::emit_field_checks(CodeWriter& w, const FieldDecl& f, const std::string& value) {
  using K = Type::Kind;
  const Type* t = f.type.resolved;
  while (t->is(K::kOptional)) t = t->element;
  for (const Validator& v : f.validators) {
    std::vector<std::string> args;
    std::string shown;
    std::vector<std::string> shown_args;
    for (const auto& a : v.args) {
      args.push_back(expr(*a));
      // Plain quotes: rule and message go through cpp_string_literal, which escapes them.
      std::string text = a->kind == ExprKind::kStringLit ? "\"" + a->pieces[0] + "\""
                         : a->text.empty()               ? fmt::format("{}", a->int_value)
                                                         : a->text;
      if (a->kind == ExprKind::kIntLit) text = std::to_string(a->int_value);
      if (a->kind == ExprKind::kUnary && a->children[0]->kind == ExprKind::kIntLit) {
        text = "-" + std::to_string(a->children[0]->int_value);
      }
      if (a->kind == ExprKind::kField) text = a->text;
      shown += (shown.empty() ? "" : ", ") + text;
      shown_args.push_back(text);
    }
    std::string rule = v.name + "(" + shown + ")";
    std::string ok;
    std::string message;
    std::string measured = value;
    if (t->is(K::kTimestamp)) measured = value + ".nanos";
    if (v.name == "between") {
      ok = measured + " >= " + args[0] + " && " + measured + " <= " + args[1];
      message = "must be between " + shown_args[0] + " and " + shown_args[1];
    } else if (v.name == "at_least") {
      ok = measured + " >= " + args[0];
      message = "must be at least " + shown;
    } else if (v.name == "at_most") {
      ok = measured + " <= " + args[0];
      message = "must be at most " + shown;
    } else if (v.name == "length_between") {
      std::string len = "hallows::length_of(" + value + ")";
      ok = len + " >= " + args[0] + " && " + len + " <= " + args[1];
      message = "length must be between " + shown_args[0] + " and " + shown_args[1];
    } else if (v.name == "non_empty") {
      ok = "hallows::length_of(" + value + ") > 0";
      message = "must not be empty";
    } else if (v.name == "matches") {
      std::string pattern = fresh("pattern");
      w.line("static const std::regex " + pattern + "(" + args[0] + ", std::regex::ECMAScript);");
      ok = "hallows::matches(" + value + ", " + pattern + ")";
      message = "must match the pattern " + shown;
    } else if (v.name == "one_of") {
      for (std::size_t i = 0; i < args.size(); ++i) {
        ok += (i ? " || " : "") + value + " == " + args[i];
      }
      message = "must be one of " + shown;
    }
    w.line("if (!(" + ok + ")) {");
    w.indent();
    w.line("return hallows::ValidationError{" + cpp_string_literal(f.name) + ", " +
           cpp_string_literal(rule) + ", " + cpp_string_literal(message) + "};");
    w.dedent();
    w.line("}");
  }
  // Schemas nested in the field (directly or inside lists, maps and optionals) are validated
  // too, with the path to them.
  emit_nested_checks(w, t, value, cpp_string_literal(f.name));
}

namespace {
bool holds_schema(const Type* t) {
  while (t->is(Type::Kind::kOptional) || t->is(Type::Kind::kList) || t->is(Type::Kind::kMap)) {
    t = t->element;
  }
  return t->is(Type::Kind::kSchema);
}
}  // namespace

void ModuleEmitter::emit_nested_checks(CodeWriter& w, const Type* t, const std::string& value,
                                       const std::string& path) {
  using K = Type::Kind;
  if (!holds_schema(t)) return;
  if (t->is(K::kSchema)) {
    w.line("if (auto nested = validate(" + value + ")) {");
    w.indent();
    w.line("nested->field = std::string(" + path + ") + \".\" + nested->field;");
    w.line("return nested;");
    w.dedent();
    w.line("}");
  } else if (t->is(K::kOptional)) {
    w.line("if (" + value + ".has_value()) {");
    w.indent();
    emit_nested_checks(w, t->element, "(*" + value + ")", path);
    w.dedent();
    w.line("}");
  } else if (t->is(K::kList)) {
    std::string i = fresh("i");
    w.line("for (std::size_t " + i + " = 0; " + i + " < " + value + ".size(); ++" + i + ") {");
    w.indent();
    emit_nested_checks(w, t->element, value + "[" + i + "]",
                       "std::string(" + path + ") + \"[\" + std::to_string(" + i + ") + \"]\"");
    w.dedent();
    w.line("}");
  } else if (t->is(K::kMap)) {
    std::string key = fresh("key");
    std::string item = fresh("item");
    w.line("for (const auto& [" + key + ", " + item + "] : " + value + ") {");
    w.indent();
    emit_nested_checks(w, t->element, item,
                       "std::string(" + path + ") + hallows::path_member(" + key + ")");
    w.dedent();
    w.line("}");
  }
}

void ModuleEmitter::emit_validate(CodeWriter& w, const Decl& d) {
  std::string name = cpp_ident(d.name);
  w.line("std::optional<hallows::ValidationError> validate(const " + name + "& value) {");
  w.indent();
  for (const FieldDecl& f : d.fields) {
    std::string access = "value." + cpp_ident(f.name);
    if (f.validators.empty() && !holds_schema(f.type.resolved)) continue;  // nothing to check
    if (f.type.resolved->is(Type::Kind::kOptional)) {
      w.line("if (" + access + ".has_value()) {");
      w.indent();
      emit_field_checks(w, f, "(*" + access + ")");
      w.dedent();
      w.line("}");
    } else {
      emit_field_checks(w, f, access);
    }
  }
  w.line("return std::nullopt;");
  w.dedent();
  w.line("}");
  w.line();
}

void ModuleEmitter::emit_schema_impl(CodeWriter& w, const Decl& d) {
  std::string name = cpp_ident(d.name);
  emit_validate(w, d);
  w.line("void write_json(hallows::JsonWriter& out, const " + name + "& value) {");
  w.indent();
  w.line("out.begin_object();");
  for (const FieldDecl& f : d.fields) {
    w.line("out.key(" + cpp_string_literal(f.name) + ");");
    w.line("write_json(out, value." + cpp_ident(f.name) + ");");
  }
  w.line("out.end_object();");
  w.dedent();
  w.line("}");
  w.line();
  w.line("bool read_json(const hallows::JsonValue& in, " + name +
         "& out, hallows::JsonDecoder& decoder) {");
  w.indent();
  w.line("hallows::JsonObject object;");
  w.line("if (!hallows::as_object(in, object, decoder)) return false;");
  w.line("for (std::string_view key : object.keys()) {");
  w.indent();
  std::string known;
  for (const FieldDecl& f : d.fields) {
    known += (known.empty() ? "" : " && ") + std::string("key != ") + cpp_string_literal(f.name);
  }
  if (known.empty()) known = "true";
  w.line("if (" + known + ") {");
  w.indent();
  w.line("decoder.push_field(key);");
  w.line("return decoder.fail(\"unknown field: " + name + " has no such field\");");
  w.dedent();
  w.line("}");
  w.dedent();
  w.line("}");
  w.line("hallows::JsonValue field;");
  for (const FieldDecl& f : d.fields) {
    using K = Type::Kind;
    const Type* t = f.type.resolved;
    bool required = !f.default_value && !t->is(K::kOptional) && !t->is(K::kList) && !t->is(K::kMap);
    std::string key = cpp_string_literal(f.name);
    w.line("if (object.find(" + key + ", field)) {");
    w.indent();
    w.line("decoder.push_field(" + key + ");");
    w.line("if (!read_json(field, out." + cpp_ident(f.name) + ", decoder)) return false;");
    w.line("decoder.pop();");
    w.dedent();
    if (required) {
      w.line("} else {");
      w.indent();
      w.line("decoder.push_field(" + key + ");");
      w.line("return decoder.fail(\"missing required field (" + type_name(t) + ")\");");
      w.dedent();
    }
    w.line("}");
  }
  w.line("return true;");
  w.dedent();
  w.line("}");
  w.line();
  emit_schema_binary(w, d);
}

void ModuleEmitter::emit_schema_binary(CodeWriter& w, const Decl& d) {
  std::string name = cpp_ident(d.name);
  w.line("void write_binary(hallows::BinaryWriter& out, const " + name + "& value) {");
  w.indent();
  for (const FieldDecl& f : d.fields) w.line("write_binary(out, value." + cpp_ident(f.name) + ");");
  if (d.fields.empty()) w.line("(void)out, (void)value;");
  w.dedent();
  w.line("}");
  w.line();
  w.line("bool read_binary(hallows::BinaryReader& in, " + name + "& out) {");
  w.indent();
  for (const FieldDecl& f : d.fields) {
    w.line("in.push_field(" + cpp_string_literal(f.name) + ");");
    w.line("if (!read_binary(in, out." + cpp_ident(f.name) + ")) return false;");
    w.line("in.pop();");
  }
  if (d.fields.empty()) w.line("(void)in, (void)out;");
  w.line("return true;");
  w.dedent();
  w.line("}");
  w.line();
}

std::string ModuleEmitter::header() {
  CodeWriter w;
  std::string path = options_.display_paths.at(module_.file);
  w.line("// Generated by parsel " + options_.parsel_version + " from " + path + ".");
  w.line("// Do not edit: change the .pt file and run `parsel build` again.");
  w.line("#pragma once");
  w.line();
  w.line("#include <hallows/lang/binary.h>");
  w.line("#include <hallows/lang/lang.h>");
  bool system = std::any_of(module_.decls.begin(), module_.decls.end(), [](const auto& d) {
    return d->kind == DeclKind::kChannel || d->kind == DeclKind::kTask ||
           d->kind == DeclKind::kReceiver || d->kind == DeclKind::kPartition ||
           d->kind == DeclKind::kTopic || d->kind == DeclKind::kConsumer ||
           d->kind == DeclKind::kService;
  });
  bool services = std::any_of(module_.decls.begin(), module_.decls.end(),
                              [](const auto& d) { return d->kind == DeclKind::kService; });
  if (services) {
    w.line("#include <hallows/core/location.h>");
    w.line("#include <hallows/http/json_reply.h>");
    w.line("#include <hallows/http/params.h>");
    w.line("#include <hallows/http/service.h>");
  }
  if (system) w.line("#include \"system.h\"");
  for (const Import& imp : module_.imports) {
    if (imp.target != nullptr) w.line("#include \"" + module_file_stem(*imp.target) + ".h\"");
  }
  w.line();
  w.line("namespace " + module_namespace(module_) + " {");
  w.line();
  // Enums first, then schemas in an order where each uses only earlier ones by value.
  for (const auto& d : module_.decls) {
    if (d->kind == DeclKind::kEnum) emit_enum_decl(w, *d);
  }
  std::set<const Decl*> done;
  std::function<void(const Decl&)> emit_schema = [&](const Decl& d) {
    if (!done.insert(&d).second) return;
    for (const FieldDecl& f : d.fields) {
      const Type* t = f.type.resolved;
      while (t && (t->is(Type::Kind::kOptional) || t->is(Type::Kind::kList) ||
                   t->is(Type::Kind::kMap))) {
        t = t->element;
      }
      if (t && t->is(Type::Kind::kSchema) && t->decl->module == &module_ && t->decl != &d) {
        emit_schema(*t->decl);
      }
    }
    emit_schema_decl(w, d);
  };
  for (const auto& d : module_.decls) {
    if (d->kind == DeclKind::kSchema) emit_schema(*d);
  }
  for (const auto& d : module_.decls) {
    if (d->kind == DeclKind::kFunction) {
      emit_doc(w, d->doc);
      w.line(signature(*d) + ";");
    }
    if (d->kind == DeclKind::kProgram) w.line("void run_" + d->name + "();");
  }
  emit_system_header(w);
  w.line();
  w.line("}  // namespace " + module_namespace(module_));
  return w.text();
}

std::string ModuleEmitter::source() {
  CodeWriter w;
  std::string path = options_.display_paths.at(module_.file);
  file_stem_ = module_file_stem(module_);
  w.line("// Generated by parsel " + options_.parsel_version + " from " + path + ".");
  w.line("// Do not edit: change the .pt file and run `parsel build` again.");
  w.line("#include \"" + file_stem_ + ".h\"");
  w.line();
  w.line("namespace " + module_namespace(module_) + " {");
  w.line();
  for (const auto& d : module_.decls) {
    if (d->kind == DeclKind::kEnum) emit_enum_impl(w, *d);
    if (d->kind == DeclKind::kSchema) emit_schema_impl(w, *d);
  }
  for (const auto& d : module_.decls) {
    if (d->kind == DeclKind::kFunction || d->kind == DeclKind::kProgram) emit_function(w, *d);
  }
  emit_system_source(w);
  w.line("}  // namespace " + module_namespace(module_));
  return w.text();
}

std::vector<EmittedFile> emit_program(const Program& program, const SystemPlan& plan,
                                      const EmitOptions& options) {
  std::vector<EmittedFile> files;
  for (const auto& m : program.modules) {
    ModuleEmitter e(program, plan, *m, options);
    std::string stem = module_file_stem(*m);
    files.push_back({"gen/" + stem + ".h", e.header()});
    files.push_back({"gen/" + stem + ".cpp", e.source()});
  }
  if (!plan.empty()) files.push_back({"gen/system.h", emit_system_header(program, plan, options)});
  if (has_main(program, plan)) {
    files.push_back({"gen/main.cpp", plan.empty() ? emit_main(program, options)
                                                  : emit_system_main(program, plan, options)});
  }
  files.push_back({"CMakeLists.txt", emit_cmake(program, has_main(program, plan), options)});
  return files;
}

std::vector<EmittedFile> emit_program(const Program& program, const EmitOptions& options) {
  static const SystemPlan kNoSystem;
  return emit_program(program, kNoSystem, options);
}

}  // namespace pt
