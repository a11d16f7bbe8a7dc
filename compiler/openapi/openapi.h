// `parsel openapi`: the OpenAPI 3.1 document of a checked program's basilisk_services. Paths,
// parameters and bodies come from the system plan (plan/services.h); schemas from schema_json.h.
// docs/openapi.md says what maps to what.
#pragma once

#include <string>

#include "plan/plan.h"

namespace pt {

struct OpenApiOptions {
  std::string title;               // info.title: the project's name
  std::string version;             // info.version: the manifest's version
  std::string host = "127.0.0.1";  // where the services listen ([basilisk] host)
  std::string only_service;        // describe this service only (Name or module.Name; "": all)
};

struct OpenApiResult {
  std::string document;  // pretty-printed JSON, ending in a newline; empty on error
  std::string error;     // why no document could be written (a service named that does not exist,
                         // two services answering the same method and path)
  int services = 0;      // how many services it describes
};

// The document of `plan`'s services (a plan made from a program that checked without errors).
OpenApiResult openapi_document(const SystemPlan& plan, const OpenApiOptions& options);

}  // namespace pt
