// The outline of one module's declarations (tooling/outline.h): what the language server shows as
// document symbols and what the MCP `outline` tool reports to coding agents.
#include "tooling/outline.h"

#include <string>

#include <fmt/format.h>

namespace pt {

namespace {

// A duration in the largest unit that holds it whole: `7 days`, `5 ms`.
std::string duration_text(std::int64_t ns) {
  static const struct {
    std::int64_t scale;
    const char* one;
    const char* many;
  } kUnits[] = {{86'400'000'000'000, "day", "days"},
                {3'600'000'000'000, "hour", "hours"},
                {60'000'000'000, "minute", "minutes"},
                {1'000'000'000, "second", "seconds"},
                {1'000'000, "ms", "ms"},
                {1'000, "us", "us"}};
  for (const auto& u : kUnits) {
    if (ns != 0 && ns % u.scale == 0) {
      std::int64_t n = ns / u.scale;
      return std::to_string(n) + " " + (n == 1 ? u.one : u.many);
    }
  }
  return std::to_string(ns) + " ns";
}

// A short spelling of a literal or name (settings, defaults); "..." for anything else.
std::string value_text(const Expr* e) {
  if (e == nullptr) return "";
  switch (e->kind) {
    case ExprKind::kIntLit:
      return std::to_string(e->int_value);
    case ExprKind::kFloatLit: {
      std::string out = fmt::format("{}", e->float_value);
      if (out.find_first_of(".eEni") == std::string::npos) out += ".0";
      return out;
    }
    case ExprKind::kDurationLit:
      return duration_text(e->int_value);
    case ExprKind::kBoolLit:
      return e->int_value != 0 ? "true" : "false";
    case ExprKind::kName:
      return e->text;
    case ExprKind::kNoneLit:
      return "none";
    case ExprKind::kStringLit:
      if (e->children.empty() && e->pieces.size() <= 1) {
        return "\"" + (e->pieces.empty() ? std::string() : e->pieces[0]) + "\"";
      }
      return "\"...\"";
    case ExprKind::kUnary:
      if (e->unary_op == UnaryOp::kNeg && !e->children.empty() &&
          (e->children[0]->kind == ExprKind::kIntLit ||
           e->children[0]->kind == ExprKind::kFloatLit)) {
        return "-" + value_text(e->children[0].get());
      }
      return "...";
    case ExprKind::kListLit:
      return e->children.empty() ? "[]" : "[...]";
    case ExprKind::kMapLit:
      return e->children.empty() ? "[:]" : "[...]";
    default:
      return "...";
  }
}

std::string settings_text(const std::vector<Setting>& settings) {
  std::string out;
  for (const Setting& s : settings) {
    std::string v;
    for (const std::string& w : s.words) v += (v.empty() ? "" : " ") + w;
    if (s.has_args) {
      v += "(";
      for (std::size_t i = 0; i < s.args.size(); ++i) {
        v += (i == 0 ? "" : ", ") + s.args[i].name + ": " + value_text(s.args[i].value.get());
      }
      v += ")";
    } else if (s.value != nullptr) {
      v += (v.empty() ? "" : " ") + value_text(s.value.get());
    }
    if (!out.empty()) out += ", ";
    out += s.name + ": " + v;
  }
  return out;
}

const char* keyword(const Decl& d) {
  switch (d.kind) {
    case DeclKind::kSchema:
      return "schema";
    case DeclKind::kEnum:
      return "enum";
    case DeclKind::kFunction:
      return "function";
    case DeclKind::kRuntimeFunction:
      return "runtime_function";
    case DeclKind::kProgram:
      return "program";
    case DeclKind::kPartition:
      return "partition";
    case DeclKind::kChannel:
      return "channel";
    case DeclKind::kTask:
      return "partition_task";
    case DeclKind::kReceiver:
      return "channel_receiver";
    case DeclKind::kTopic:
      return "slytherin_topic";
    case DeclKind::kConsumer:
      return "slytherin_consumer";
    case DeclKind::kService:
      return "basilisk_service";
    case DeclKind::kRoute:
      return "route";
    case DeclKind::kDialect:
      return "";  // the Decl's own keyword
  }
  return "";
}

std::string detail_of(const Decl& d) {
  switch (d.kind) {
    case DeclKind::kSchema: {
      std::size_t n = d.fields.size();
      return std::to_string(n) + (n == 1 ? " field" : " fields");
    }
    case DeclKind::kEnum: {
      std::size_t n = d.members.size();
      return std::to_string(n) + (n == 1 ? " member" : " members");
    }
    case DeclKind::kFunction:
    case DeclKind::kRuntimeFunction: {
      std::string out = "(" + params_text(d, 0, d.params.size()) + ")";
      if (d.return_type) out += " returns " + type_text(*d.return_type);
      if (d.kind == DeclKind::kRuntimeFunction) out += " binds \"" + d.runtime_symbol + "\"";
      return out;
    }
    case DeclKind::kProgram:
      return "the program's entry";
    case DeclKind::kPartition:
      return settings_text(d.settings);
    case DeclKind::kChannel: {
      std::string out = "carries " + (d.carried ? type_text(*d.carried) : std::string("?"));
      std::string s = settings_text(d.settings);
      return s.empty() ? out : out + ", " + s;
    }
    case DeclKind::kTask:
      return "runs_on " + join_name(d.runs_on);
    case DeclKind::kReceiver:
      return "runs_on " + join_name(d.runs_on) + " reads " + join_name(d.reads);
    case DeclKind::kTopic: {
      std::string out = "carries " + (d.carried ? type_text(*d.carried) : std::string("?"));
      std::string s = settings_text(d.settings);
      return s.empty() ? out : out + ", " + s;
    }
    case DeclKind::kConsumer: {
      std::string out = "runs_on " + join_name(d.runs_on) + " reads " + join_name(d.reads) +
                        " group \"" + d.group + "\"";
      if (d.has_members) out += " members " + std::to_string(d.group_members);
      return out;
    }
    case DeclKind::kService: {
      std::string out = "runs_on " + join_name(d.runs_on);
      if (d.port != 0) out += " listens_on port " + std::to_string(d.port);
      return out;
    }
    case DeclKind::kRoute: {
      if (!d.route) return d.name;
      const RouteInfo& r = *d.route;
      std::string out = r.method + " " + r.path;
      if (r.has_query) out += " query(" + params_text(d, r.path_params, d.params.size()) + ")";
      if (r.accepts) out += " accepts " + type_text(*r.accepts);
      if (d.return_type) out += " returns " + type_text(*d.return_type);
      return out;
    }
    case DeclKind::kDialect:
      return "reserved: not yet supported by this parsel";
  }
  return "";
}

OutlineItem item_of(const Decl& d) {
  OutlineItem item;
  item.kind = d.kind == DeclKind::kDialect ? d.dialect_keyword : keyword(d);
  item.name = d.name;
  item.detail = detail_of(d);
  item.doc = d.doc;
  item.range = d.range;
  item.name_range = d.name_range.valid() ? d.name_range : d.range;
  if (item.name.empty()) item.name = "(unnamed " + item.kind + ")";
  switch (d.kind) {
    case DeclKind::kSchema:
      for (const FieldDecl& f : d.fields) {
        OutlineItem field;
        field.kind = "field";
        field.name = f.name;
        field.detail = type_text(f.type);
        if (f.default_value) field.detail += " = " + value_text(f.default_value.get());
        for (const Validator& v : f.validators) {
          field.detail += " validate " + v.name + "(";
          for (std::size_t i = 0; i < v.args.size(); ++i) {
            field.detail += (i == 0 ? "" : ", ") + value_text(v.args[i].get());
          }
          field.detail += ")";
        }
        field.doc = f.doc;
        field.range = f.range;
        // A field's range is its name; it ends at the end of its type.
        if (f.type.range.valid()) {
          field.range.end_line = f.type.range.end_line;
          field.range.end_column = f.type.range.end_column;
        }
        field.name_range = f.range;
        item.children.push_back(std::move(field));
      }
      break;
    case DeclKind::kEnum:
      for (std::size_t i = 0; i < d.members.size(); ++i) {
        OutlineItem member;
        member.kind = "member";
        member.name = d.members[i];
        if (i < d.member_ranges.size()) member.range = d.member_ranges[i];
        member.name_range = member.range;
        item.children.push_back(std::move(member));
      }
      break;
    case DeclKind::kService:
      for (const auto& r : d.routes) item.children.push_back(item_of(*r));
      break;
    default:
      break;
  }
  return item;
}

}  // namespace

std::string type_text(const TypeRef& t) {
  switch (t.kind) {
    case TypeRef::Kind::kNamed:
      return t.name.empty() ? "?" : join_name(t.name);  // empty: a syntax error
    case TypeRef::Kind::kList:
      return "list<" + (t.args.empty() ? std::string("?") : type_text(t.args[0])) + ">";
    case TypeRef::Kind::kOptional:
      return "optional<" + (t.args.empty() ? std::string("?") : type_text(t.args[0])) + ">";
    case TypeRef::Kind::kMap:
      return "map<" +
             (t.args.size() < 2 ? std::string("?, ?")
                                : type_text(t.args[0]) + ", " + type_text(t.args[1])) +
             ">";
  }
  return "?";
}

std::string params_text(const Decl& d, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to && i < d.params.size(); ++i) {
    if (!out.empty()) out += ", ";
    const Param& p = d.params[i];
    out += (p.binding ? p.binding->name : std::string("?")) + ": " + type_text(p.type);
    if (d.route && i >= d.route->path_params) {
      std::size_t q = i - d.route->path_params;
      if (q < d.route->query_defaults.size() && d.route->query_defaults[q]) {
        out += " = " + value_text(d.route->query_defaults[q].get());
      }
    }
  }
  return out;
}

std::vector<OutlineItem> outline_module(const Module& m) {
  std::vector<OutlineItem> out;
  out.reserve(m.decls.size());
  for (const auto& d : m.decls) {
    if (d) out.push_back(item_of(*d));
  }
  return out;
}

}  // namespace pt
