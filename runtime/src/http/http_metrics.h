// Basilisk's metrics in the process-wide registry (hallows/obs/metrics.h):
//   basilisk_requests_total{service,route,status}        counter
//   basilisk_request_duration_seconds{service,route}     histogram (request read to answer queued)
//   basilisk_connections_open{service}                   gauge
//   basilisk_limit_breaches_total{service,kind}          counter
// The route label is the route's pattern; "(none)" for requests no route answered (404, 405,
// parse errors). Loops cache the counters they use, so a request costs no registry lookup.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hallows/http/router.h"
#include "hallows/obs/metrics.h"

namespace hallows::http::detail {

enum class Breach : std::uint8_t {
  kHeaderSize,   // 431
  kBodySize,     // 413
  kUriSize,      // 414
  kTimeout,      // 408, or a client that stopped reading
  kConnections,  // 503 over max_connections
  kMalformed,    // 400, 501, 505
  kCount,
};

// The breach a parse error's status stands for.
Breach breach_of(int status) noexcept;

// One service's metrics, shared by its loops (read-only after init()).
class ServiceMetrics {
 public:
  // Slots: one per route (its index), then these three.
  ServiceMetrics(const std::string& service, const std::vector<RouteSpec>& routes);
  std::size_t none_slot() const noexcept { return routes_; }
  std::size_t healthz_slot() const noexcept { return routes_ + 1; }
  std::size_t metrics_slot() const noexcept { return routes_ + 2; }
  std::size_t slots() const noexcept { return routes_ + 3; }
  const std::string& route_label(std::size_t slot) const { return labels_[slot]; }

  obs::Counter& requests(std::size_t slot, int status) const;  // registry lookup: cache it
  obs::Histogram& duration(std::size_t slot) const noexcept { return *durations_[slot]; }
  void breach(Breach kind) const noexcept { breaches_[static_cast<int>(kind)]->add(); }
  // The open-connections gauge's value: loops add and subtract.
  std::atomic<std::int64_t>& open() const noexcept { return *open_; }

 private:
  std::size_t routes_;
  std::vector<std::string> labels_;          // per slot: the pattern, "(none)", "/healthz", ...
  std::vector<std::string> counter_labels_;  // per slot: `service="s",route="r",status="`
  std::vector<obs::Histogram*> durations_;
  obs::Counter* breaches_[static_cast<int>(Breach::kCount)];
  std::shared_ptr<std::atomic<std::int64_t>> open_;  // the gauge's reader holds it too
};

// One loop's cache of request counters: slot x status (100..599), filled on first use.
class LoopMetrics {
 public:
  explicit LoopMetrics(const ServiceMetrics& metrics)
      : metrics_(metrics), counters_(metrics.slots() * kStatuses, nullptr) {}

  void request(std::size_t slot, int status, std::chrono::nanoseconds duration) {
    if (status < 100 || status > 599) status = 500;
    obs::Counter*& counter = counters_[slot * kStatuses + static_cast<std::size_t>(status - 100)];
    if (counter == nullptr) counter = &metrics_.requests(slot, status);
    counter->add();
    metrics_.duration(slot).record(duration);
  }

 private:
  static constexpr std::size_t kStatuses = 500;
  const ServiceMetrics& metrics_;
  std::vector<obs::Counter*> counters_;
};

}  // namespace hallows::http::detail
