// The responses of a route in the OpenAPI document: its answers (200 and 201 with the returned
// schema, 204 without a body), its problems (404, return_error's statuses, a computed status as
// `default`), and what the runtime answers on its own before or around the handler (400 for a
// bad parameter or body, 408, 413, 414, 431, 500, 503), every problem as application/problem+json.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "openapi/json.h"
#include "openapi/schema_json.h"
#include "plan/services.h"

namespace pt {

// components.schemas.Problem: the RFC 9457 body of hallows::http::problem_json.
Json problem_schema();

// components.responses: what the runtime answers for any route of a service (408, 413, 414,
// 431, 500, 503), once per service as `<tag>.<Name>`, referred to by each operation.
class SharedResponses {
 public:
  // A $ref to the response `name`, added with `description` the first time.
  Json ref(const std::string& name, const std::string& description);
  [[nodiscard]] Json components() const;
  [[nodiscard]] bool empty() const { return entries_.empty(); }

 private:
  std::vector<std::pair<std::string, Json>> entries_;  // first use order
};

// The responses of `route` of `service` (whose tag is `tag`).
Json route_responses(const ServicePlan& service, const std::string& tag, const RoutePlan& route,
                     const SchemaSet& schemas, SharedResponses& shared);

}  // namespace pt
