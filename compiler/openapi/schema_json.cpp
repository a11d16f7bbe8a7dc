#include "openapi/schema_json.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <regex>

namespace pt {

namespace {

using K = Type::Kind;

// What the runtime's strict base64 decoder accepts (RFC 4648, standard alphabet, padded).
constexpr const char* kBase64Pattern =
    "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$";

// The shape of the RFC 3339 text the runtime's parser accepts (hallows/lang/rfc3339.h): 't' and
// 'z' in either case, one to nine fraction digits, an offset of hours and minutes. (Days past
// the month's end and instants outside the i64 nanosecond range are refused too; a pattern
// cannot say so.)
constexpr const char* kTimestampPattern =
    "^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:"
    "[0-5][0-9](?:\\.[0-9]{1,9})?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$";

Json type_only(const char* type, const char* format = nullptr) {
  Json s = Json::object();
  s.set("type", Json::string(type));
  if (format != nullptr) s.set("format", Json::string(format));
  return s;
}

// Adds `key: value`; when the schema already has `key` (two rules of one kind), the second goes
// under allOf, so both still hold.
void constrain(Json& s, const std::string& key, Json value) {
  if (s.find(key) == nullptr) {
    s.set(key, std::move(value));
    return;
  }
  Json extra = Json::object();
  extra.set(key, std::move(value));
  Json* all = s.find("allOf");
  if (all == nullptr) all = &s.set("allOf", Json::array());
  all->push(std::move(extra));
}

// The rule as written, with its arguments as JSON: `between(1, 100)`, `one_of("a", "b")`.
std::string rule_text(const Validator& v) {
  std::string out = v.name + "(";
  for (std::size_t i = 0; i < v.args.size(); ++i) {
    Json a;
    if (i > 0) out += ", ";
    if (!literal_json(*v.args[i], a)) {
      out += "...";
    } else {
      out += a.is(Json::Kind::kString) ? json_quote(a.text()) : a.text();
    }
  }
  return out + ")";
}

// A whole-number argument (a length) from its JSON.
std::int64_t whole(const Json& j) {
  return std::strtoll(j.text().c_str(), nullptr, 10);
}

// The smallest base64 text length of `bytes` bytes.
std::int64_t base64_length(std::int64_t bytes) {
  return (bytes + 2) / 3 * 4;
}

// Turns the field's `validate` rules into keywords on `s` (the schema of the field's type, its
// optional already unwrapped: rules apply to the value when there is one). A rule that JSON
// Schema cannot say exactly adds a sentence to `notes`.
void apply_rules(Json& s, const FieldDecl& f, const Type* t, std::vector<std::string>& notes) {
  for (const Validator& v : f.validators) {
    std::vector<Json> args(v.args.size());
    bool ok = true;
    for (std::size_t i = 0; i < v.args.size(); ++i) ok = ok && literal_json(*v.args[i], args[i]);
    if (!ok) continue;  // sema accepts literal arguments only
    bool bounds = v.name == "between" || v.name == "at_least" || v.name == "at_most";
    if (bounds && t->is(K::kTimestamp)) {
      notes.push_back("The service also checks " + rule_text(v) +
                      " on the timestamp's nanoseconds since the Unix epoch.");
      continue;
    }
    if (v.name == "between" && args.size() == 2) {
      constrain(s, "minimum", args[0]);
      constrain(s, "maximum", args[1]);
    } else if (v.name == "at_least" && args.size() == 1) {
      constrain(s, "minimum", args[0]);
    } else if (v.name == "at_most" && args.size() == 1) {
      constrain(s, "maximum", args[0]);
    } else if (v.name == "length_between" || v.name == "non_empty") {
      bool between = v.name == "length_between" && args.size() == 2;
      std::int64_t low = between ? std::max<std::int64_t>(whole(args[0]), 0) : 1;
      std::int64_t high = between ? whole(args[1]) : -1;  // -1: no upper bound
      if (between && high < 0) {  // no length passes: say so with bounds that cannot both hold
        low = 1;
        high = 0;
      }
      const char* min_key = "minLength";
      const char* max_key = "maxLength";
      if (t->is(K::kList)) {
        min_key = "minItems";
        max_key = "maxItems";
      } else if (t->is(K::kMap)) {
        min_key = "minProperties";
        max_key = "maxProperties";
      } else if (t->is(K::kBytes) && between) {
        // Lengths count decoded bytes; the base64 text's bounds follow from them.
        notes.push_back("The service checks " + rule_text(v) +
                        " on the decoded bytes; minLength and maxLength bound the base64 text.");
        low = base64_length(low);
        high = base64_length(high);
      }
      constrain(s, min_key, Json::number(low));
      if (high >= 0) constrain(s, max_key, Json::number(high));
    } else if (v.name == "matches" && args.size() == 1) {
      // The service matches the whole text (std::regex_match); JSON Schema's pattern searches.
      constrain(s, "pattern", Json::string("^(?:" + args[0].text() + ")$"));
    } else if (v.name == "one_of") {
      Json values = Json::array();
      for (Json& a : args) values.push(std::move(a));
      constrain(s, "enum", std::move(values));
    }
  }
}

// The length the rules measure of a literal: characters of a string, items of [] and [:].
std::optional<std::int64_t> literal_length(const Expr& e) {
  if (e.kind == ExprKind::kStringLit && e.children.empty() && !e.pieces.empty()) {
    std::int64_t n = 0;
    for (unsigned char c : e.pieces[0]) n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
  }
  if (e.kind == ExprKind::kListLit || e.kind == ExprKind::kMapLit) {
    return static_cast<std::int64_t>(e.children.size());
  }
  return std::nullopt;
}

std::optional<double> as_double(const Json& j) {
  if (!j.is(Json::Kind::kNumber)) return std::nullopt;
  return std::strtod(j.text().c_str(), nullptr);
}

// Whether the value a left-out field gets (its default; [] or [:] for a list or map) passes the
// field's rules: the decoder fills it in, then validate() checks it like any other value.
bool omitted_value_passes(const FieldDecl& f, const Expr* value) {
  Json v;
  bool known = literal_json(*value, v);
  for (const Validator& rule : f.validators) {
    std::vector<Json> args(rule.args.size());
    for (std::size_t i = 0; i < rule.args.size(); ++i) {
      if (!literal_json(*rule.args[i], args[i])) return true;  // not judged: trust the checker
    }
    if (rule.name == "length_between" || rule.name == "non_empty") {
      std::optional<std::int64_t> length = literal_length(*value);
      if (!length) continue;
      std::int64_t low = rule.name == "non_empty" ? 1 : whole(args[0]);
      if (*length < low || (rule.name == "length_between" && *length > whole(args[1]))) {
        return false;
      }
    } else if (rule.name == "one_of") {
      if (known && std::find(args.begin(), args.end(), v) == args.end()) return false;
    } else if (rule.name == "matches") {
      if (!known || !v.is(Json::Kind::kString)) continue;
      try {
        if (!std::regex_match(v.text(), std::regex(args[0].text(), std::regex::ECMAScript))) {
          return false;
        }
      } catch (const std::regex_error&) {
        // sema reports a bad pattern
      }
    } else if (known) {  // between, at_least, at_most (the checker also refuses such defaults)
      std::optional<double> x = as_double(v);
      std::optional<double> a = args.empty() ? std::nullopt : as_double(args[0]);
      std::optional<double> b = args.size() > 1 ? as_double(args[1]) : std::nullopt;
      if (!x || !a) continue;
      bool low_bound = rule.name == "between" || rule.name == "at_least";
      if (low_bound && *x < *a) return false;
      if (rule.name == "at_most" && *x > *a) return false;
      if (rule.name == "between" && b && *x > *b) return false;
    }
  }
  return true;
}

// Whether a request must give the field. The generated read_json lets an optional, a list, a
// map or a field with a default be left out; the value it then gets must still pass the rules
// (`list<T> validate non_empty()` cannot be left out).
bool must_be_given(const FieldDecl& f) {
  const Type* t = f.type.resolved;
  if (t->is(K::kOptional)) return false;
  if (f.default_value) return !omitted_value_passes(f, f.default_value.get());
  if (!t->is(K::kList) && !t->is(K::kMap)) return true;
  Expr empty(t->is(K::kList) ? ExprKind::kListLit : ExprKind::kMapLit, SourceRange{});
  return !omitted_value_passes(f, &empty);
}

}  // namespace

bool literal_json(const Expr& e, Json& out) {
  switch (e.kind) {
    case ExprKind::kIntLit:
    case ExprKind::kDurationLit:
      out = Json::number(e.int_value);
      return true;
    case ExprKind::kFloatLit:
      out = Json::number(e.float_value);
      return true;
    case ExprKind::kBoolLit:
      out = Json::boolean(e.int_value != 0);
      return true;
    case ExprKind::kStringLit:
      if (!e.children.empty() || e.pieces.empty()) return false;
      out = Json::string(e.pieces[0]);
      return true;
    case ExprKind::kNoneLit:
      out = Json();
      return true;
    case ExprKind::kSomeLit:
      return !e.children.empty() && literal_json(*e.children[0], out);
    case ExprKind::kField:  // Enum.member: written as the member's name
      out = Json::string(e.text);
      return true;
    case ExprKind::kListLit:
      out = Json::array();
      return e.children.empty();
    case ExprKind::kMapLit:
      out = Json::object();
      return e.children.empty();
    case ExprKind::kUnary: {
      if (e.unary_op != UnaryOp::kNeg || e.children.empty()) return false;
      const Expr& inner = *e.children[0];
      if (inner.kind == ExprKind::kIntLit || inner.kind == ExprKind::kDurationLit) {
        out = Json::number(
            static_cast<std::int64_t>(0ULL - static_cast<std::uint64_t>(inner.int_value)));
        return true;
      }
      if (inner.kind == ExprKind::kFloatLit) {
        out = Json::number(-inner.float_value);
        return true;
      }
      return false;
    }
    default:
      return false;
  }
}

Json nullable(Json schema) {
  Json* type = schema.find("type");
  if (type == nullptr) {
    Json any = Json::array();
    any.push(std::move(schema));
    any.push(type_only("null"));
    Json out = Json::object();
    out.set("anyOf", std::move(any));
    return out;
  }
  if (type->is(Json::Kind::kString)) {
    if (type->text() == "null") return schema;
    Json types = Json::array();
    types.push(*type);
    *type = std::move(types);
  }
  if (std::find(type->items().begin(), type->items().end(), Json::string("null")) ==
      type->items().end()) {
    type->push(Json::string("null"));
  }
  if (Json* values = schema.find("enum")) {
    if (std::find(values->items().begin(), values->items().end(), Json()) ==
        values->items().end()) {
      values->push(Json());
    }
  }
  return schema;
}

SchemaSet::SchemaSet(const std::vector<const Type*>& roots, const std::set<std::string>& reserved) {
  for (const Type* t : roots) collect(t);
  std::map<std::string, int> count;
  for (const Decl* d : decls_) ++count[d->name];
  for (const Decl* d : decls_) {
    bool clash = count[d->name] > 1 || reserved.count(d->name) > 0;
    names_[d] = clash && d->module != nullptr ? d->module->name + "." + d->name : d->name;
  }
}

void SchemaSet::collect(const Type* t) {
  if (t == nullptr) return;
  if (t->is(K::kList) || t->is(K::kMap) || t->is(K::kOptional)) {
    collect(t->element);
    return;
  }
  if (!t->is(K::kSchema) && !t->is(K::kEnum)) return;
  if (names_.count(t->decl) > 0) return;
  names_[t->decl] = "";  // seen; named in the constructor
  decls_.push_back(t->decl);
  for (const FieldDecl& f : t->decl->fields) collect(f.type.resolved);
}

Json SchemaSet::use(const Type* t) const {
  switch (t->kind) {
    case K::kI64:
      return type_only("integer", "int64");
    case K::kF64:
      return type_only("number", "double");
    case K::kBool:
      return type_only("boolean");
    case K::kString:
      return type_only("string");
    case K::kBytes: {
      Json s = type_only("string");
      s.set("contentEncoding", Json::string("base64"));
      s.set("pattern", Json::string(kBase64Pattern));
      return s;
    }
    case K::kTimestamp: {
      Json s = type_only("string", "date-time");
      s.set("pattern", Json::string(kTimestampPattern));
      return s;
    }
    case K::kDuration:
      return type_only("integer", "int64");  // whole nanoseconds
    case K::kList: {
      Json s = type_only("array");
      s.set("items", use(t->element));
      return s;
    }
    case K::kMap: {
      Json s = type_only("object");
      s.set("additionalProperties", use(t->element));
      return s;
    }
    case K::kOptional:
      return nullable(use(t->element));
    case K::kSchema:
    case K::kEnum: {
      Json s = Json::object();
      auto it = names_.find(t->decl);
      std::string name = it != names_.end() ? it->second : t->decl->name;
      s.set("$ref", Json::string("#/components/schemas/" + name));
      return s;
    }
    default:
      return Json::object();  // never reached in a checked program: any value
  }
}

Json SchemaSet::field(const FieldDecl& f) const {
  const Type* t = f.type.resolved;
  bool optional = false;
  while (t->is(K::kOptional)) {
    optional = true;
    t = t->element;
  }
  Json s = use(t);
  std::vector<std::string> notes;
  apply_rules(s, f, t, notes);
  if (optional) s = nullable(std::move(s));
  std::string description = f.doc;
  if (t->is(K::kDuration)) notes.insert(notes.begin(), "A duration in whole nanoseconds.");
  for (const std::string& n : notes) description += (description.empty() ? "" : "\n\n") + n;
  if (!description.empty()) s.set("description", Json::string(description));
  Json value;
  if (f.default_value && literal_json(*f.default_value, value)) s.set("default", std::move(value));
  return s;
}

Json SchemaSet::component(const Decl& d) const {
  Json s = Json::object();
  if (!d.doc.empty()) s.set("description", Json::string(d.doc));
  if (d.kind == DeclKind::kEnum) {
    s.set("type", Json::string("string"));
    Json members = Json::array();
    for (const std::string& m : d.members) members.push(Json::string(m));
    s.set("enum", std::move(members));
    return s;
  }
  s.set("type", Json::string("object"));
  Json properties = Json::object();
  Json required = Json::array();
  for (const FieldDecl& f : d.fields) {
    properties.set(f.name, field(f));
    if (must_be_given(f)) required.push(Json::string(f.name));
  }
  s.set("properties", std::move(properties));
  if (!required.empty()) s.set("required", std::move(required));
  s.set("additionalProperties", Json::boolean(false));  // the decoder refuses unknown fields
  return s;
}

std::vector<std::pair<std::string, Json>> SchemaSet::components() const {
  std::vector<std::pair<std::string, Json>> out;
  for (const Decl* d : decls_) out.emplace_back(names_.at(d), component(*d));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

}  // namespace pt
