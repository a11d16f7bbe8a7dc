// Basilisk in the compiler: a service's AST (path segments and parameters, clauses), the checked
// types of its routes, and its plan (plan/services.h: limits with defaults, ports, parameters,
// defaults as JSON, the statuses a route answers), which `parsel openapi` reads.
#include <catch2/catch.hpp>

#include "compiler_test_support.h"
#include "plan/plan.h"

using namespace pt;
using namespace pt::testing;

namespace {

const char* kService =
    "module m\n"
    "enum Size { small, large }\n"
    "schema NewOrder { field customer: string }\n"
    "schema Order { field id: i64  field customer: string }\n"
    "partition api { cores: 2, scheduler: backend_api }\n"
    "/// The orders.\n"
    "basilisk_service Api runs_on api listens_on port 8080 {\n"
    "  limits { max_body_bytes: 4096, idle_timeout: 2 seconds }\n"
    "  let_mut_var next: i64 = 1\n"
    "  /// Places one.\n"
    "  route POST \"/orders\" accepts NewOrder returns Order {\n"
    "    set_var next = next + 1\n"
    "    if next > 100 { return_error(409, \"full\") }\n"
    "    return_created(Order { id: next, customer: request_body.customer })\n"
    "  }\n"
    "  route GET \"/orders/{id: i64}/{size: Size}\" query(limit: i64 = 10, who: optional<string>,"
    " size_min: Size = Size.large, need: bool) returns list<Order> {\n"
    "    if limit < 0 { return_bad_request(\"limit\") }\n"
    "    if id == 0 { return_not_found(\"none\") }\n"
    "    return_ok([])\n"
    "  }\n"
    "  route DELETE \"/\" { return_no_content() }\n"
    "}\n";

TEST_CASE("a service's AST: port, limits, state, routes, path segments", "[service]") {
  auto c = parse_source(kService);
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  const Decl& s = function(*c, "Api");
  CHECK(s.kind == DeclKind::kService);
  CHECK(s.port == 8080);
  CHECK(c->text_of(s.port_range) == "8080");
  CHECK(s.has_limits);
  CHECK(s.settings.size() == 2);
  CHECK(s.state.size() == 1);
  REQUIRE(s.routes.size() == 3);
  const Decl& get = *s.routes[1];
  CHECK(get.kind == DeclKind::kRoute);
  CHECK(get.service == &s);
  CHECK(get.name == "GET /orders/{id: i64}/{size: Size}");
  REQUIRE(get.route != nullptr);
  CHECK(get.route->method == "GET");
  REQUIRE(get.route->segments.size() == 3);
  CHECK(get.route->segments[0].text == "orders");
  CHECK(get.route->segments[0].param == -1);
  CHECK(get.route->segments[2].param == 1);
  CHECK(get.route->path_params == 2);
  REQUIRE(get.params.size() == 6);
  CHECK(get.params[1].binding->name == "size");
  CHECK(c->text_of(get.params[1].binding->range) == "size");
  CHECK(c->text_of(get.params[1].type.range) == "Size");
  CHECK(get.route->query_defaults.size() == 4);
  CHECK(get.route->query_defaults[1] == nullptr);
  CHECK(get.return_type != nullptr);
  CHECK(get.route->accepts == nullptr);
  const Decl& post = *s.routes[0];
  CHECK(post.doc == "Places one.");
  REQUIRE(post.route->accepts != nullptr);
  REQUIRE(post.route->request_body != nullptr);
  CHECK(post.route->request_body->name == "request_body");
  CHECK(s.routes[2]->route->segments.empty());  // the root "/"
}

TEST_CASE("a service's plan: limits, parameters, defaults and statuses", "[service]") {
  auto c = check_source(kService);
  INFO(c->dump());
  REQUIRE(c->ok);
  DiagnosticSink sink;
  SystemPlan plan = plan_system(c->program, MachineOptions{}, sink);
  CHECK(sink.all().empty());  // no PT6010: the service uses its partition
  REQUIRE(plan.services.size() == 1);
  const ServicePlan& s = plan.services[0];
  CHECK(s.decl->name == "Api");
  CHECK(s.doc == "The orders.");
  CHECK(s.port == 8080);
  CHECK(s.cores == 2);
  CHECK(s.limits.max_body_bytes == 4096);
  CHECK(s.limits.idle_timeout_ms == 2000);
  CHECK(s.limits.request_timeout_ms == 10000);  // the default
  CHECK(s.limits.max_headers == 64);
  REQUIRE(s.routes.size() == 3);
  const RoutePlan& post = s.routes[0];
  CHECK(post.method == "POST");
  CHECK(post.pattern == "/orders");
  REQUIRE(post.accepts != nullptr);
  CHECK(type_name(post.accepts) == "NewOrder");
  CHECK(type_name(post.returns) == "Order");
  CHECK(post.statuses == std::vector<std::int64_t>{201, 409});
  const RoutePlan& get = s.routes[1];
  REQUIRE(get.path_params.size() == 2);
  CHECK(get.path_params[1].name == "size");
  CHECK(type_name(get.path_params[1].type) == "Size");
  CHECK(get.path_params[1].in_path);
  REQUIRE(get.query_params.size() == 4);
  CHECK(get.query_params[0].default_json == "10");
  CHECK_FALSE(get.query_params[0].required);
  CHECK(type_name(get.query_params[1].type) == "optional<string>");
  CHECK_FALSE(get.query_params[1].required);
  CHECK(get.query_params[2].default_json == "\"large\"");
  CHECK(get.query_params[3].required);
  CHECK(type_name(get.returns) == "list<Order>");
  CHECK(get.statuses == std::vector<std::int64_t>{200, 400, 404});
  const RoutePlan& del = s.routes[2];
  CHECK(del.returns == nullptr);
  CHECK(del.statuses == std::vector<std::int64_t>{204});
  REQUIRE(plan.partitions.size() == 1);
  CHECK(plan.partitions[0].services.size() == 1);
  CHECK(plan.partitions[0].runs.empty());
}

TEST_CASE("service state is checked like a handler's: used, mutated, shadowed", "[service]") {
  auto c = check_source(
      "module m\n"
      "partition api { cores: 1, scheduler: backend_api }\n"
      "basilisk_service Api runs_on api listens_on port 8080 {\n"
      "  let_mut_var hits: i64 = 0\n"
      "  let_mut_var unused: i64 = 0\n"
      "  route GET \"/\" { print_line(to_string(hits))  return_no_content() }\n"
      "}\n");
  INFO(c->dump());
  // hits is never changed (PT4005); unused is never read (PT4003).
  CHECK(c->codes() == std::vector<std::string>{"PT4005", "PT4003"});
}

TEST_CASE("answers end a route; code after one is unreachable", "[service]") {
  auto c = check_source(
      "module m\n"
      "partition api { cores: 1, scheduler: backend_api }\n"
      "basilisk_service Api runs_on api listens_on port 8080 {\n"
      "  route GET \"/\" {\n"
      "    return_no_content()\n"
      "    print_line(\"after\")\n"
      "  }\n"
      "}\n");
  INFO(c->dump());
  CHECK(c->codes() == std::vector<std::string>{"PT4002"});
}

}  // namespace
