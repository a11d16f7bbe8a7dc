#include "openapi/openapi.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "openapi/json.h"
#include "openapi/responses.h"
#include "openapi/schema_json.h"

namespace pt {

namespace {

// "/orders/{order_id: i64}" -> "/orders/{order_id}": OpenAPI's path template.
std::string path_template(const std::string& pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    std::size_t close = pattern.find('}', i);
    if (pattern[i] != '{' || close == std::string::npos) {
      out += pattern[i];
      continue;
    }
    std::string inside = pattern.substr(i + 1, close - i - 1);
    std::string name = inside.substr(0, inside.find(':'));
    while (!name.empty() && name.back() == ' ') name.pop_back();
    while (!name.empty() && name.front() == ' ') name.erase(0, 1);
    out += "{" + name + "}";
    i = close;
  }
  return out;
}

// "orders_order_id" for "/orders/{order_id}": the path's words for an operationId.
std::string path_words(const std::string& path) {
  std::string out;
  bool gap = true;
  for (char c : path) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!word && c != '_') {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += '_';
    gap = false;
    out += c;
  }
  return out.empty() ? "root" : out;
}

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// The doc comment's first sentence, on one line.
std::string summary_of(const std::string& doc) {
  std::string out;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    char c = doc[i] == '\n' ? ' ' : doc[i];
    out += c;
    bool end = i + 1 == doc.size() || doc[i + 1] == ' ' || doc[i + 1] == '\n';
    if (c == '.' && end) break;
  }
  return out;
}

// A server URL that reaches `host`: a wildcard address means this machine.
std::string server_url(const std::string& host, int port) {
  std::string h = host;
  if (h.empty() || h == "0.0.0.0") h = "127.0.0.1";
  if (h == "::") h = "::1";
  if (h.find(':') != std::string::npos && h.front() != '[') h = "[" + h + "]";
  return fmt::format("http://{}:{}", h, port);
}

Json server(const ServicePlan& s, const std::string& host) {
  Json out = Json::object();
  out.set("url", Json::string(server_url(host, s.port)));
  out.set("description",
          Json::string(fmt::format("{0} (PT_BASILISK_HOST and PT_BASILISK_PORT_{0} change the "
                                   "address at run time)",
                                   s.decl->name)));
  return out;
}

Json parameter(const RouteParamPlan& p, const SchemaSet& schemas) {
  Json out = Json::object();
  out.set("name", Json::string(p.name));
  out.set("in", Json::string(p.in_path ? "path" : "query"));
  out.set("required", Json::boolean(p.in_path || p.required));
  // A query parameter that is left out is the optional's none: the schema is the value's.
  const Type* t = p.type;
  while (t->is(Type::Kind::kOptional)) t = t->element;
  Json schema = schemas.use(t);
  Json value;
  if (p.default_value != nullptr && literal_json(*p.default_value, value)) {
    schema.set("default", std::move(value));
  }
  out.set("schema", std::move(schema));
  return out;
}

struct Operation {
  const ServicePlan* service;
  const RoutePlan* route;
  std::string tag;
};

Json operation(const Operation& op, const SchemaSet& schemas, SharedResponses& shared,
               const std::string& operation_id) {
  const RoutePlan& r = *op.route;
  Json out = Json::object();
  Json tags = Json::array();
  tags.push(Json::string(op.tag));
  out.set("tags", std::move(tags));
  if (!r.doc.empty()) {
    std::string summary = summary_of(r.doc);
    out.set("summary", Json::string(summary));
    if (summary != r.doc) out.set("description", Json::string(r.doc));
  }
  out.set("operationId", Json::string(operation_id));
  Json params = Json::array();
  for (const RouteParamPlan& p : r.path_params) params.push(parameter(p, schemas));
  for (const RouteParamPlan& p : r.query_params) params.push(parameter(p, schemas));
  if (!params.empty()) out.set("parameters", std::move(params));
  if (r.accepts != nullptr) {
    Json media = Json::object();
    media.set("schema", schemas.use(r.accepts));
    Json content = Json::object();
    content.set("application/json", std::move(media));
    Json body = Json::object();
    body.set("required", Json::boolean(true));
    body.set("content", std::move(content));
    out.set("requestBody", std::move(body));
  }
  out.set("responses", route_responses(*op.service, op.tag, r, schemas, shared));
  return out;
}

Json tag(const std::string& name, const std::string& doc) {
  Json out = Json::object();
  out.set("name", Json::string(name));
  if (!doc.empty()) out.set("description", Json::string(doc));
  return out;
}

// OpenAPI's order of operations inside a path item.
int method_rank(const std::string& method) {
  static const char* kOrder[] = {"get", "put", "post", "delete", "options", "head", "patch"};
  for (int i = 0; i < 7; ++i) {
    if (method == kOrder[i]) return i;
  }
  return 7;
}

// The path items, in `order`. With several services (on several ports), each operation says
// where it is served: on its path item when the item is one service's, else on the operation.
Json path_items(const std::vector<std::string>& order,
                const std::map<std::string, std::vector<const Operation*>>& by_path,
                bool several_services, const std::string& host, const SchemaSet& schemas,
                SharedResponses& shared) {
  std::set<std::string> operation_ids;
  Json paths = Json::object();
  for (const std::string& path : order) {
    std::vector<const Operation*> list = by_path.at(path);
    std::stable_sort(list.begin(), list.end(), [](const Operation* a, const Operation* b) {
      return method_rank(lower(a->route->method)) < method_rank(lower(b->route->method));
    });
    std::set<const ServicePlan*> owners;
    for (const Operation* op : list) owners.insert(op->service);
    Json item = Json::object();
    for (const Operation* op : list) {
      std::string method = lower(op->route->method);
      std::string base = op->tag + "_" + method + "_" + path_words(path);
      for (char& c : base) c = c == '.' ? '_' : c;  // a tag qualified by its module
      std::string id = base;
      for (int n = 2; operation_ids.count(id) > 0; ++n) id = base + "_" + std::to_string(n);
      operation_ids.insert(id);
      Json o = operation(*op, schemas, shared, id);
      if (several_services && owners.size() > 1) {
        Json where = Json::array();
        where.push(server(*op->service, host));
        o.set("servers", std::move(where));
      }
      item.set(method, std::move(o));
    }
    if (several_services && owners.size() == 1) {
      Json where = Json::array();
      where.push(server(**owners.begin(), host));
      item.set("servers", std::move(where));
    }
    paths.set(path, std::move(item));
  }
  return paths;
}

}  // namespace

OpenApiResult openapi_document(const SystemPlan& plan, const OpenApiOptions& options) {
  OpenApiResult result;
  std::vector<const ServicePlan*> services;
  std::string known;
  for (const ServicePlan& s : plan.services) {
    known += (known.empty() ? "" : ", ") + s.decl->name;
    std::string qualified = s.decl->module != nullptr ? s.decl->module->name + "." : "";
    qualified += s.decl->name;
    if (options.only_service.empty() || s.decl->name == options.only_service ||
        qualified == options.only_service) {
      services.push_back(&s);
    }
  }
  if (!options.only_service.empty() && services.empty()) {
    result.error = "there is no basilisk_service named '" + options.only_service + "'" +
                   (known.empty() ? " (the project declares none)" : " (there are: " + known + ")");
    return result;
  }
  result.services = static_cast<int>(services.size());

  // Tags: the service's name, qualified by its module when two services share a name.
  std::map<std::string, int> name_count;
  for (const ServicePlan* s : services) ++name_count[s->decl->name];
  std::vector<Operation> ops;
  std::vector<const Type*> roots;
  Json tags = Json::array();
  Json servers = Json::array();
  for (const ServicePlan* s : services) {
    std::string name = s->decl->name;
    if (name_count[name] > 1 && s->decl->module != nullptr)
      name = s->decl->module->name + "." + name;
    tags.push(tag(name, s->doc));
    servers.push(server(*s, options.host));
    for (const RoutePlan& r : s->routes) {
      ops.push_back({s, &r, name});
      roots.push_back(r.accepts);
      roots.push_back(r.returns);
      for (const RouteParamPlan& p : r.path_params) roots.push_back(p.type);
      for (const RouteParamPlan& p : r.query_params) roots.push_back(p.type);
    }
  }
  SchemaSet schemas(roots, {"Problem"});

  // Paths in the order their first route is declared; operations in OpenAPI's order.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Operation*>> by_path;
  for (const Operation& op : ops) {
    std::string path = path_template(op.route->pattern);
    auto& list = by_path[path];
    if (list.empty()) order.push_back(path);
    for (const Operation* other : list) {
      if (other->route->method != op.route->method) continue;
      result.error = fmt::format(
          "{} and {} both answer {} {}: one OpenAPI document cannot describe both; write one "
          "document per service with --service NAME",
          other->service->decl->name, op.service->decl->name, op.route->method, path);
      return result;
    }
    list.push_back(&op);
  }
  SharedResponses shared;
  Json paths = path_items(order, by_path, services.size() > 1, options.host, schemas, shared);

  Json doc = Json::object();
  doc.set("openapi", Json::string("3.1.0"));
  Json info = Json::object();
  info.set("title", Json::string(options.title));
  info.set("version", Json::string(options.version));
  doc.set("info", std::move(info));
  if (!servers.empty()) doc.set("servers", std::move(servers));
  if (!tags.empty()) doc.set("tags", std::move(tags));
  doc.set("paths", std::move(paths));
  if (!ops.empty()) {
    Json components = Json::object();
    Json all = Json::object();
    all.set("Problem", problem_schema());
    for (auto& [name, schema] : schemas.components()) all.set(name, std::move(schema));
    components.set("schemas", std::move(all));
    if (!shared.empty()) components.set("responses", shared.components());
    doc.set("components", std::move(components));
  }
  result.document = doc.pretty();
  return result;
}

}  // namespace pt
