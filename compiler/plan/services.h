// Basilisk's part of the system plan: every basilisk_service of a checked program, with its
// limits (defaults filled in), its port, and its routes with their checked types. This is the one
// place later tools read services from (the C++ emitter, `parsel openapi`): everything a route
// accepts and answers is here, resolved, without walking the AST.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sema/check.h"

namespace pt {

// A service's `limits { ... }` with the runtime's defaults (hallows/http/limits.h) filled in.
struct ServiceLimits {
  std::int64_t max_request_line_bytes = 8192;
  std::int64_t max_header_bytes = 16384;
  std::int64_t max_headers = 64;
  std::int64_t max_body_bytes = 1 << 20;
  std::int64_t request_timeout_ms = 10'000;
  std::int64_t idle_timeout_ms = 60'000;
  std::int64_t max_connections = 10'000;         // per core of the service's partition
  std::int64_t max_requests_per_connection = 0;  // 0: no bound
};

// A path or query parameter of a route.
struct RouteParamPlan {
  std::string name;
  const Type* type = nullptr;  // i64, f64, bool, string, an enum, or (query only) optional<...>
  bool in_path = false;
  bool required = false;                // query: no default and not optional
  const Expr* default_value = nullptr;  // query: `= literal`, or null
  std::string default_json;             // the default as JSON (`100`, `"new"`, `true`), or ""
  const Binding* binding = nullptr;     // the name in the handler
};

struct RoutePlan {
  const Decl* decl = nullptr;  // the route (kind kRoute); decl->route holds method and path
  std::string method;          // GET, POST, PUT, PATCH or DELETE
  std::string pattern;         // as written: "/orders/{order_id: i64}"
  std::vector<RouteParamPlan> path_params;   // in pattern order
  std::vector<RouteParamPlan> query_params;  // in declaration order
  const Type* accepts = nullptr;             // the request body's schema, or null
  const Type* returns = nullptr;  // what return_ok / return_created answer, or null (no body)
  // The statuses the handler can answer (sorted, once each): 200, 201, 204, 400, 404, the
  // literal statuses of return_error; 0 when a return_error computes its status. The runtime
  // adds 400 (a bad parameter or body), 413, 431, 500 and friends on its own.
  std::vector<std::int64_t> statuses;
  std::string doc;  // `///` comments above the route
};

struct ServicePlan {
  const Decl* decl = nullptr;       // the basilisk_service
  const Decl* partition = nullptr;  // runs_on
  int cores = 1;                    // the partition's cores: one copy of the state per core
  int port = 0;                     // listens_on port N (1 to 65535)
  ServiceLimits limits;
  std::vector<RoutePlan> routes;  // declaration order
  std::string doc;
};

}  // namespace pt
