// The responses of a route in the OpenAPI document: its answers (200 and 201 with the returned
// schema, 204 without a body), its problems (404, return_error's statuses, a computed status as
// `default`), and what the runtime answers on its own before or around the handler (400 for a
// bad parameter or body, 408, 413, 414, 431, 500, 503), every problem as application/problem+json.
#pragma once

#include "openapi/json.h"
#include "openapi/schema_json.h"
#include "plan/services.h"

namespace pt {

// components.schemas.Problem: the RFC 9457 body of hallows::http::problem_json.
Json problem_schema();

Json route_responses(const ServicePlan& service, const RoutePlan& route, const SchemaSet& schemas);

}  // namespace pt
