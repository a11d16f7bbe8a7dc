#include "lsp/completion.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "lsp/describe.h"
#include "sema/builtins.h"
#include "sema/types.h"
#include "syntax/scanner.h"

namespace pt::lsp {

// The grammar's reserved words, then the words the AST builder reads as keywords in their place.
const std::vector<std::string>& keywords() {
  static const std::vector<std::string> kWords = [] {
    std::vector<std::string> words = grammar_keywords();
    for (const char* w : {"group", "members", "listens_on", "port", "limits", "accepts", "query"}) {
      words.emplace_back(w);
    }
    return words;
  }();
  return kWords;
}

namespace {

// LSP CompletionItemKind values.
enum Kind : int {
  kMethod = 2,
  kFunction = 3,
  kField = 5,
  kVariable = 6,
  kClass = 7,
  kModule = 9,
  kValue = 12,
  kEnum = 13,
  kKeyword = 14,
  kEnumMember = 20,
  kStruct = 22,
  kEvent = 23,
  kTypeParameter = 25
};

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

class Completer {
 public:
  explicit Completer(const CompletionRequest& r) : r_(r) {}

  json run();

 private:
  void item(const std::string& label, int kind, const std::string& detail, const std::string& doc,
            char group) {
    if (label.empty() || !seen_.insert(label).second) return;
    json i = {{"label", label}, {"kind", kind}, {"sortText", std::string(1, group) + label}};
    if (!detail.empty()) i["detail"] = detail;
    if (!doc.empty()) i["documentation"] = {{"kind", "markdown"}, {"value", doc}};
    items_.push_back(std::move(i));
  }
  void decl_item(const Decl& d, char group);
  void binding_item(const Binding& b) { item(b.name, kVariable, binding_type(b), "", '0'); }

  // The module of the document, from the checked analysis when there is one.
  void find_module();
  std::vector<const Module*> imported() const;
  std::vector<const Decl*> decls_in_scope() const;
  const Decl* decl_named(const std::string& name) const;
  const Module* module_aliased(const std::string& alias) const;

  // Locals and parameters visible at the cursor.
  void collect_locals();
  void locals_of_decl(const Decl& d);
  void locals_of_block(const Block& b);
  bool before_cursor(std::uint32_t line, std::uint32_t column) const {
    return std::tie(line, column) < std::tie(r_.pos.line, r_.pos.column);
  }

  void members(const std::string& chain_text);
  void general();
  void types();
  void of_kind(std::initializer_list<DeclKind> kinds);
  void route_paths(std::size_t quote_byte, std::string_view line);

  const CompletionRequest& r_;
  const Analysis* a_ = nullptr;  // where names are looked up
  const Module* module_ = nullptr;
  std::vector<const Binding*> locals_;
  json items_ = json::array();
  std::set<std::string> seen_;
};

void Completer::find_module() {
  for (const Analysis* a : {r_.checked, r_.latest}) {
    if (a == nullptr) continue;
    std::optional<std::uint32_t> file = a->file_of(r_.path);
    if (!file) continue;
    if (const Module* m = a->module_of(*file)) {
      a_ = a;
      module_ = m;
      return;
    }
  }
}

std::vector<const Module*> Completer::imported() const {
  std::vector<const Module*> out;
  if (module_ == nullptr) return out;
  for (const Import& imp : module_->imports) {
    const Module* target = imp.target;
    if (target == nullptr) {  // an analysis that did not check: find it by name
      for (const auto& m : a_->project->program.modules) {
        if (m && m->name == join_name(imp.name)) target = m.get();
      }
    }
    if (target != nullptr) out.push_back(target);
  }
  return out;
}

std::vector<const Decl*> Completer::decls_in_scope() const {
  std::vector<const Decl*> out;
  if (module_ == nullptr) return out;
  for (const auto& d : module_->decls) out.push_back(d.get());
  for (const Module* m : imported()) {
    for (const auto& d : m->decls) {
      if (d->kind != DeclKind::kProgram) out.push_back(d.get());
    }
  }
  return out;
}

const Decl* Completer::decl_named(const std::string& name) const {
  for (const Decl* d : decls_in_scope()) {
    if (d->name == name) return d;
  }
  return nullptr;
}

const Module* Completer::module_aliased(const std::string& alias) const {
  if (module_ == nullptr) return nullptr;
  std::vector<const Module*> targets = imported();
  for (const Import& imp : module_->imports) {
    if (imp.name.empty() || imp.name.back() != alias) continue;
    for (const Module* m : targets) {
      if (m->name == join_name(imp.name)) return m;
    }
  }
  return nullptr;
}

void Completer::decl_item(const Decl& d, char group) {
  int kind = kClass;
  switch (d.kind) {
    case DeclKind::kSchema:
      kind = kStruct;
      break;
    case DeclKind::kEnum:
      kind = kEnum;
      break;
    case DeclKind::kFunction:
    case DeclKind::kRuntimeFunction:
      kind = kFunction;
      break;
    case DeclKind::kChannel:
    case DeclKind::kTopic:
      kind = kEvent;
      break;
    case DeclKind::kProgram:
    case DeclKind::kRoute:
    case DeclKind::kDialect:
      return;  // not a name code can use
    default:
      break;
  }
  std::string detail =
      d.kind == DeclKind::kSchema ? "schema " + d.name : signature({Target::Kind::kDecl, &d, -1});
  item(d.name, kind, detail, d.doc, group);
}

void Completer::collect_locals() {
  if (module_ == nullptr) return;
  for (const auto& d : module_->decls) {
    const SourceRange& r = d->range;
    if (!r.valid() || r.line > r_.pos.line || r.end_line < r_.pos.line) continue;
    locals_of_decl(*d);
    return;
  }
}

void Completer::locals_of_decl(const Decl& d) {
  for (const Param& p : d.params) {
    if (p.binding) locals_.push_back(p.binding.get());
  }
  if (d.route && d.route->request_body) locals_.push_back(d.route->request_body.get());
  for (const auto& s : d.state) {
    if (s->binding) locals_.push_back(s->binding.get());
  }
  for (const auto& route : d.routes) {
    const SourceRange& r = route->range;
    if (r.valid() && r.line <= r_.pos.line && r_.pos.line <= r.end_line) {
      locals_of_decl(*route);
      return;
    }
  }
  // A receiver's on_channel_closed block comes after its on_message block.
  if (d.has_closed && !d.closed_body.empty() && d.closed_body.front()->range.line <= r_.pos.line) {
    locals_of_block(d.closed_body);
  } else {
    locals_of_block(d.body);
  }
}

void Completer::locals_of_block(const Block& b) {
  for (const auto& s : b) {
    const SourceRange& r = s->range;
    if (!r.valid()) continue;
    if (!before_cursor(r.line, r.column)) break;  // starts after the cursor
    bool ended = before_cursor(r.end_line, r.end_column);
    if (ended) {
      if (s->kind == StmtKind::kLet && s->binding) locals_.push_back(s->binding.get());
      for (const auto& o : s->outputs) {
        if (o) locals_.push_back(o.get());
      }
      continue;
    }
    // The cursor is inside this statement: the names of the block it is in.
    switch (s->kind) {
      case StmtKind::kForEach:
        if (s->binding) locals_.push_back(s->binding.get());
        if (s->binding2) locals_.push_back(s->binding2.get());
        locals_of_block(s->body);
        break;
      case StmtKind::kWhile:
        locals_of_block(s->body);
        break;
      case StmtKind::kIf: {
        // In the else block once the cursor is past the else block's first statement's start.
        const Block& in = !s->else_body.empty() && before_cursor(s->else_body.front()->range.line,
                                                                 s->else_body.front()->range.column)
                              ? s->else_body
                              : s->body;
        locals_of_block(in);
        break;
      }
      case StmtKind::kMatch:
        for (const MatchArm& arm : s->arms) {
          const SourceRange& ar = arm.range;
          if (ar.valid() && ar.line <= r_.pos.line && r_.pos.line <= ar.end_line) {
            if (arm.capture) locals_.push_back(arm.capture.get());
            locals_of_block(arm.body);
          }
        }
        break;
      default:
        break;
    }
    return;
  }
}

// One step of a chain before the dot: `items[0]` is {items, index}, `make()` is {make, call}.
struct Step {
  std::string name;
  std::vector<char> suffixes;  // '(' a call, '[' an index, in order
};

// The chain of names before the final dot of `text` (`order.items[0]`), or empty when the
// text before the dot is not such a chain (a literal, a closing string).
std::vector<Step> chain_before(std::string_view text) {
  std::vector<Step> steps;
  std::size_t i = text.size();
  for (int guard = 0; guard < 64; ++guard) {
    Step step;
    while (i > 0 && (text[i - 1] == ')' || text[i - 1] == ']')) {
      char close = text[i - 1];
      char open = close == ')' ? '(' : '[';
      int depth = 0;
      std::size_t j = i;
      while (j > 0) {
        --j;
        if (text[j] == close) ++depth;
        if (text[j] == open && --depth == 0) break;
      }
      if (depth != 0) return {};
      step.suffixes.insert(step.suffixes.begin(), open);
      i = j;
    }
    std::size_t j = i;
    while (j > 0 && ident_char(text[j - 1])) --j;
    if (j == i || std::isdigit(static_cast<unsigned char>(text[j]))) return {};
    step.name = std::string(text.substr(j, i - j));
    steps.insert(steps.begin(), std::move(step));
    i = j;
    if (i > 0 && text[i - 1] == '.') {
      --i;
      continue;
    }
    return steps;
  }
  return {};
}

void Completer::members(const std::string& chain_text) {
  std::vector<Step> steps = chain_before(chain_text);
  if (steps.empty() || module_ == nullptr) return;
  const Type* type = nullptr;
  const Decl* enum_decl = nullptr;  // `Colour.`: its members
  const Module* module = nullptr;   // `strings.`: its declarations
  auto apply_suffixes = [&](const std::vector<char>& suffixes, std::size_t from) {
    for (std::size_t k = from; k < suffixes.size() && type != nullptr; ++k) {
      type = suffixes[k] == '[' && type->is(Type::Kind::kList) ? type->element : nullptr;
    }
  };
  auto use_decl = [&](const Decl* d, const Step& s) {
    if (d == nullptr) return;
    if (d->kind == DeclKind::kEnum && s.suffixes.empty()) {
      enum_decl = d;
    } else if ((d->kind == DeclKind::kFunction || d->kind == DeclKind::kRuntimeFunction) &&
               !s.suffixes.empty() && s.suffixes[0] == '(') {
      type = d->type;
      apply_suffixes(s.suffixes, 1);
    }
  };
  const Step& first = steps[0];
  const Binding* binding = nullptr;
  for (const Binding* b : locals_) {
    if (b->name == first.name) binding = b;  // the nearest declared wins
  }
  if (binding != nullptr) {
    type = binding->type;
    apply_suffixes(first.suffixes, 0);
  } else if (const Module* m = first.suffixes.empty() ? module_aliased(first.name) : nullptr) {
    module = m;
  } else {
    use_decl(decl_named(first.name), first);
  }
  for (std::size_t k = 1; k < steps.size(); ++k) {
    const Step& s = steps[k];
    if (module != nullptr) {
      const Decl* found = nullptr;
      for (const auto& d : module->decls) {
        if (d->name == s.name) found = d.get();
      }
      module = nullptr;
      use_decl(found, s);
      continue;
    }
    if (type == nullptr || !type->is(Type::Kind::kSchema) || type->decl == nullptr) return;
    const Type* next = nullptr;
    for (const FieldDecl& f : type->decl->fields) {
      if (f.name == s.name) next = f.type.resolved;
    }
    type = next;
    apply_suffixes(s.suffixes, 0);
    enum_decl = nullptr;
  }
  if (module != nullptr) {
    for (const auto& d : module->decls) decl_item(*d, '1');
  } else if (enum_decl != nullptr) {
    for (const std::string& m : enum_decl->members) {
      item(m, kEnumMember, enum_decl->name + "." + m, "", '0');
    }
  } else if (type != nullptr && type->is(Type::Kind::kSchema) && type->decl != nullptr) {
    for (const FieldDecl& f : type->decl->fields) {
      item(f.name, kField, type_text(f.type), f.doc, '0');
    }
  }
}

void Completer::of_kind(std::initializer_list<DeclKind> kinds) {
  for (const Decl* d : decls_in_scope()) {
    if (std::find(kinds.begin(), kinds.end(), d->kind) != kinds.end()) {
      decl_item(*d, d->module == module_ ? '1' : '2');
    }
  }
}

void Completer::general() {
  for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) binding_item(**it);
  if (module_ != nullptr) {
    for (const auto& d : module_->decls) decl_item(*d, '1');
    for (const Module* m : imported()) {
      for (const auto& d : m->decls) decl_item(*d, '2');
    }
    for (const Import& imp : module_->imports) {
      if (!imp.name.empty())
        item(imp.name.back(), kModule, "module " + join_name(imp.name), "", '2');
    }
  }
  for (int i = 0; i <= static_cast<int>(Builtin::kReturnError); ++i) {
    const BuiltinInfo& b = builtin_info(static_cast<Builtin>(i));
    item(std::string(b.name), kFunction, std::string(b.doc.substr(0, b.doc.find(':'))),
         std::string(b.doc), '3');
  }
  for (const char* t : {"i64", "f64", "bool", "string", "bytes", "timestamp", "duration"}) {
    item(t, kTypeParameter, "built-in type", "", '3');
  }
  for (const std::string& k : keywords()) item(k, kKeyword, "keyword", "", '4');
}

// Where a type is written: the built-in types, the generic ones and the schemas and enums in
// scope (imported ones too), and the imported modules for a qualified name.
void Completer::types() {
  for (const char* t : {"i64", "f64", "bool", "string", "bytes", "timestamp", "duration"}) {
    item(t, kTypeParameter, "built-in type", "", '0');
  }
  for (const char* t : {"list", "map", "optional"})
    item(t, kTypeParameter, "generic type", "", '0');
  of_kind({DeclKind::kSchema, DeclKind::kEnum});
  if (module_ != nullptr) {
    for (const Import& imp : module_->imports) {
      if (!imp.name.empty())
        item(imp.name.back(), kModule, "module " + join_name(imp.name), "", '3');
    }
  }
}

// `text` (what precedes the cursor on its line, trailing blanks removed) ends where a type is
// written: after `returns`, `carries` or `accepts`; after `<` or `,` inside `list<`, `map<`,
// `optional<`; after `NAME:` in a field, a let binding or a parameter list (a schema literal's
// `name: value` and a setting's are values, not types).
bool at_type_position(std::string_view text) {
  auto ends_with_word = [&](std::string_view w) {
    if (text.size() < w.size() || text.substr(text.size() - w.size()) != w) return false;
    return text.size() == w.size() || !ident_char(text[text.size() - w.size() - 1]);
  };
  if (ends_with_word("returns") || ends_with_word("carries") || ends_with_word("accepts")) {
    return true;
  }
  if (text.empty()) return false;
  if (text.back() == '<' || text.back() == ',') {
    int angle = 0;
    for (std::size_t i = text.size(); i-- > 0;) {
      if (text[i] == '>') ++angle;
      if (text[i] == '<' && angle-- == 0) return true;
      if (text[i] == '(' || text[i] == '{' || text[i] == ')') return false;
    }
    return false;
  }
  if (text.back() != ':') return false;
  std::string_view head = text.substr(0, text.size() - 1);
  while (!head.empty() && head.back() == ' ') head.remove_suffix(1);
  std::size_t name = head.size();
  while (name > 0 && ident_char(head[name - 1])) --name;
  if (name == head.size()) return false;  // no name before the colon
  std::string_view lead = head.substr(0, name);
  while (!lead.empty() && lead.back() == ' ') lead.remove_suffix(1);
  std::size_t first = lead.find_first_not_of(" \t");
  std::string_view start = first == std::string_view::npos ? "" : lead.substr(first);
  if (start == "field" || (start.starts_with("let_") && start.ends_with("_var"))) return true;
  // A parameter: the nearest unclosed `(` opens a function's, a runtime function's or a
  // component's parameter list, or a route's query(...).
  int depth = 0;
  for (std::size_t i = lead.size(); i-- > 0;) {
    if (lead[i] == ')') ++depth;
    if (lead[i] != '(') continue;
    if (depth-- > 0) continue;
    std::string_view before = lead.substr(0, i);
    while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
    std::size_t word = before.size();
    while (word > 0 && ident_char(before[word - 1])) --word;
    if (before.substr(word) == "query") return true;
    std::size_t line_start = before.find_first_not_of(" \t");
    std::string_view decl = line_start == std::string_view::npos ? "" : before.substr(line_start);
    return decl.starts_with("function ") || decl.starts_with("runtime_function ") ||
           decl.starts_with("nagini_component ");
  }
  return false;
}

void Completer::route_paths(std::size_t quote_byte, std::string_view line) {
  if (a_ == nullptr) return;
  std::uint32_t start =
      code_points_to_units(line, code_points(line.substr(0, quote_byte + 1)), r_.encoding);
  std::uint32_t end = code_points_to_units(line, r_.pos.column - 1, r_.encoding);
  json range = {{"start", {{"line", r_.pos.line - 1}, {"character", start}}},
                {"end", {{"line", r_.pos.line - 1}, {"character", end}}}};
  for (const auto& m : a_->project->program.modules) {
    if (!m || m->is_stdlib) continue;
    for (const auto& d : m->decls) {
      for (const auto& route : d->routes) {
        if (!route->route || !seen_.insert(route->route->path).second) continue;
        const RouteInfo& info = *route->route;
        items_.push_back({{"label", info.path},
                          {"kind", kValue},
                          {"detail", info.method + " " + info.path + " in " + d->name},
                          {"filterText", info.path},
                          {"textEdit", {{"range", range}, {"newText", info.path}}}});
      }
    }
  }
}

json Completer::run() {
  find_module();
  collect_locals();
  std::string_view line = line_at(r_.text, r_.pos.line - 1);
  std::string_view before = line.substr(0, code_points_to_bytes(line, r_.pos.column - 1));
  // Where the cursor is: code, a comment, or a string (and the string's opening quote).
  bool in_string = false;
  int hole = 0;  // depth of `{...}` interpolation inside the string
  std::size_t quote = 0;
  for (std::size_t i = 0; i < before.size(); ++i) {
    char c = before[i];
    if (in_string && hole == 0) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      } else if (c == '{') {
        hole = 1;
      }
      continue;
    }
    if (c == '"') {
      if (in_string) continue;  // a string inside a hole: not tracked further
      in_string = true;
      quote = i;
    } else if (in_string && c == '{') {
      ++hole;
    } else if (in_string && c == '}') {
      --hole;
    } else if (c == '/' && i + 1 < before.size() && before[i + 1] == '/') {
      return {{"isIncomplete", false}, {"items", items_}};  // a comment
    }
  }
  std::size_t word = before.size();
  while (word > 0 && ident_char(before[word - 1])) --word;
  std::string_view rest = before.substr(0, word);
  if (in_string && hole == 0) {
    std::string_view head = before.substr(0, quote);
    while (!head.empty() && head.back() == ' ') head.remove_suffix(1);
    std::size_t method = head.size();
    while (method > 0 && ident_char(head[method - 1])) --method;
    std::string_view ahead = head.substr(0, method);
    while (!ahead.empty() && ahead.back() == ' ') ahead.remove_suffix(1);
    if (method < head.size() && ahead.size() >= 5 && ahead.substr(ahead.size() - 5) == "route" &&
        (ahead.size() == 5 || !ident_char(ahead[ahead.size() - 6]))) {
      route_paths(quote, line);
    }
    return {{"isIncomplete", false}, {"items", items_}};
  }
  if (!rest.empty() && rest.back() == '.') {
    members(std::string(rest.substr(0, rest.size() - 1)));
    return {{"isIncomplete", false}, {"items", items_}};
  }
  std::string_view trimmed = rest;
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t')) {
    trimmed.remove_suffix(1);
  }
  auto ends_with_word = [&](std::string_view w) {
    if (trimmed.size() < w.size() || trimmed.substr(trimmed.size() - w.size()) != w) return false;
    return trimmed.size() == w.size() || !ident_char(trimmed[trimmed.size() - w.size() - 1]);
  };
  auto ends_with_call = [&](std::string_view fn) {
    if (trimmed.empty() || trimmed.back() != '(') return false;
    std::string_view head = trimmed.substr(0, trimmed.size() - 1);
    while (!head.empty() && head.back() == ' ') head.remove_suffix(1);
    return head.size() >= fn.size() && head.substr(head.size() - fn.size()) == fn &&
           (head.size() == fn.size() || !ident_char(head[head.size() - fn.size() - 1]));
  };
  if (at_type_position(trimmed)) {
    types();
  } else if (ends_with_call("publish_message")) {
    of_kind({DeclKind::kTopic});
  } else if (ends_with_call("send_message") || ends_with_call("try_send_message")) {
    of_kind({DeclKind::kChannel});
  } else if (ends_with_word("runs_on")) {
    of_kind({DeclKind::kPartition});
  } else if (ends_with_word("reads")) {
    of_kind({DeclKind::kChannel, DeclKind::kTopic});
  } else if (ends_with_word("route")) {
    for (const char* m : {"GET", "POST", "PUT", "PATCH", "DELETE"})
      item(m, kKeyword, "HTTP method", "", '0');
  } else if (ends_with_word("import")) {
    if (a_ != nullptr) {
      for (const auto& m : a_->project->program.modules) {
        if (m && m.get() != module_ && !m->is_stdlib) item(m->name, kModule, "module", "", '1');
      }
    }
    for (const std::string& m : r_.std_modules) item(m, kModule, "standard library", "", '2');
  } else {
    general();
  }
  return {{"isIncomplete", false}, {"items", items_}};
}

}  // namespace

json complete(const CompletionRequest& request) {
  return Completer(request).run();
}

}  // namespace pt::lsp
