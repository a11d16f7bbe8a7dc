// What every event loop of one service reads: the spec, the router, the metrics, the report
// function and the access log's fd. Built by Service::start and never written afterwards;
// shared (shared_ptr) by the loops, which the partition's receivers keep alive.
#pragma once

#include <unistd.h>

#include <functional>
#include <string>
#include <string_view>

#include "hallows/http/router.h"
#include "hallows/http/service.h"
#include "http_metrics.h"

namespace hallows::http::detail {

struct ServiceShared {
  // Router's constructor throws std::invalid_argument for a malformed table.
  explicit ServiceShared(ServiceSpec s)
      : spec(std::move(s)), router(spec.routes), metrics(spec.name, router.routes()) {}
  ~ServiceShared() {
    if (own_access_fd && access_fd >= 0) ::close(access_fd);
  }
  ServiceShared(const ServiceShared&) = delete;
  ServiceShared& operator=(const ServiceShared&) = delete;

  const ServiceSpec spec;  // report is set (stderr by default)
  const Router router;
  const ServiceMetrics metrics;
  int access_fd = -1;  // -1: access log off
  bool own_access_fd = false;
};

}  // namespace hallows::http::detail
