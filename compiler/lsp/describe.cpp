#include "lsp/describe.h"

#include "sema/types.h"
#include "tooling/outline.h"

namespace pt::lsp {

std::string binding_type(const Binding& b) {
  if (b.type == nullptr || b.type->is_error()) return "?";
  return type_name(b.type);
}

namespace {

std::string carried(const Decl& d) {
  return d.carried ? " carries " + type_text(*d.carried) : "";
}

std::string decl_signature(const Decl& d) {
  switch (d.kind) {
    case DeclKind::kSchema: {
      std::string out = "schema " + d.name + " {\n";
      for (const FieldDecl& f : d.fields)
        out += "    field " + f.name + ": " + type_text(f.type) + "\n";
      return out + "}";
    }
    case DeclKind::kEnum: {
      std::string out = "enum " + d.name + " {";
      for (std::size_t i = 0; i < d.members.size(); ++i) out += (i ? ", " : " ") + d.members[i];
      return out + " }";
    }
    case DeclKind::kFunction:
    case DeclKind::kRuntimeFunction: {
      std::string out = (d.kind == DeclKind::kFunction ? "function " : "runtime_function ") +
                        d.name + "(" + params_text(d, 0, d.params.size()) + ")";
      if (d.return_type) out += " returns " + type_text(*d.return_type);
      return out;
    }
    case DeclKind::kProgram:
      return "program " + d.name;
    case DeclKind::kPartition:
      return "partition " + d.name;
    case DeclKind::kChannel:
      return "channel " + d.name + carried(d);
    case DeclKind::kTask:
      return "partition_task " + d.name + " runs_on " + join_name(d.runs_on);
    case DeclKind::kReceiver:
      return "channel_receiver " + d.name + " runs_on " + join_name(d.runs_on) + " reads " +
             join_name(d.reads);
    case DeclKind::kTopic:
      return "slytherin_topic " + d.name + carried(d);
    case DeclKind::kConsumer:
      return "slytherin_consumer " + d.name + " runs_on " + join_name(d.runs_on) + " reads " +
             join_name(d.reads) + " group \"" + d.group + "\"";
    case DeclKind::kService:
      return "basilisk_service " + d.name + " runs_on " + join_name(d.runs_on) +
             " listens_on port " + std::to_string(d.port);
    case DeclKind::kRoute: {
      if (!d.route) return "route";
      const RouteInfo& r = *d.route;
      std::string out = "route " + r.method + " \"" + r.path + "\"";
      if (r.has_query) out += " query(" + params_text(d, r.path_params, d.params.size()) + ")";
      if (r.accepts) out += " accepts " + type_text(*r.accepts);
      if (d.return_type) out += " returns " + type_text(*d.return_type);
      return out;
    }
    case DeclKind::kDialect:
      return d.dialect_keyword + " " + d.name;
  }
  return d.name;
}

}  // namespace

std::string signature(const Target& t) {
  switch (t.kind) {
    case Target::Kind::kDecl:
      return decl_signature(*t.decl());
    case Target::Kind::kField: {
      const FieldDecl& f = t.decl()->fields[static_cast<std::size_t>(t.index)];
      return "field " + f.name + ": " + type_text(f.type);
    }
    case Target::Kind::kMember:
      return t.decl()->name + "." + t.decl()->members[static_cast<std::size_t>(t.index)];
    case Target::Kind::kBinding: {
      const Binding& b = *t.binding();
      std::string kind = keyword(b.kind);
      if (b.kind == BindingKind::kParam || b.kind == BindingKind::kOutput ||
          b.kind == BindingKind::kLoop) {
        kind = "(" + kind + ")";
      }
      return kind + " " + b.name + ": " + binding_type(b);
    }
    case Target::Kind::kModule:
      return "module " + t.module()->name;
    case Target::Kind::kBuiltin:
      return std::string(t.builtin()->doc.substr(0, t.builtin()->doc.find(':')));
  }
  return "";
}

std::string doc_of(const Target& t) {
  switch (t.kind) {
    case Target::Kind::kDecl:
      return t.decl()->doc;
    case Target::Kind::kField:
      return t.decl()->fields[static_cast<std::size_t>(t.index)].doc;
    case Target::Kind::kMember:
      return "A member of enum " + t.decl()->name + ".";
    case Target::Kind::kBuiltin:
      return "Built in: " + std::string(t.builtin()->doc);
    default:
      return "";
  }
}

std::string hover_markdown(const Target& t) {
  std::string out = "```pt\n" + signature(t) + "\n```";
  const Decl* d = t.decl();
  if (d != nullptr && d->module != nullptr && !d->module->name.empty()) {
    out += "\n\n*in module `" + d->module->name + "`";
    if (t.kind == Target::Kind::kField) out += ", schema `" + d->name + "`";
    if (d->kind == DeclKind::kRoute && d->service != nullptr) {
      out += ", service `" + d->service->name + "`";
    }
    out += "*";
  }
  std::string doc = doc_of(t);
  if (!doc.empty()) out += "\n\n---\n\n" + doc;
  return out;
}

}  // namespace pt::lsp
