#include "http_metrics.h"

#include <fmt/format.h>

namespace hallows::http::detail {

Breach breach_of(int status) noexcept {
  switch (status) {
    case 431:
      return Breach::kHeaderSize;
    case 413:
      return Breach::kBodySize;
    case 414:
      return Breach::kUriSize;
    case 408:
      return Breach::kTimeout;
    case 503:
      return Breach::kConnections;
    default:
      return Breach::kMalformed;
  }
}

namespace {
constexpr const char* kBreachNames[] = {"header_size", "body_size",   "uri_size",
                                        "timeout",     "connections", "malformed"};
static_assert(sizeof kBreachNames / sizeof kBreachNames[0] ==
              static_cast<std::size_t>(Breach::kCount));
}  // namespace

ServiceMetrics::ServiceMetrics(const std::string& service, const std::vector<RouteSpec>& routes)
    : routes_(routes.size()), open_(std::make_shared<std::atomic<std::int64_t>>(0)) {
  obs::Registry& registry = obs::Registry::global();
  std::string service_label = obs::label_pair("service", service);
  for (const RouteSpec& route : routes) labels_.emplace_back(route.pattern);
  labels_.emplace_back("(none)");
  labels_.emplace_back("/healthz");
  labels_.emplace_back("/metrics");
  for (const std::string& label : labels_) {
    std::string labels = service_label + "," + obs::label_pair("route", label);
    durations_.push_back(&registry.histogram("basilisk_request_duration_seconds",
                                             "Time from a request's last byte read to its "
                                             "response queued, by route",
                                             labels));
    counter_labels_.push_back(labels + ",status=\"");
  }
  for (int i = 0; i < static_cast<int>(Breach::kCount); ++i) {
    breaches_[i] = &registry.counter(
        "basilisk_limit_breaches_total",
        "Requests or connections refused for a limit: header_size 431, body_size 413, "
        "uri_size 414, timeout 408, connections 503, malformed 400/501/505",
        service_label + "," + obs::label_pair("kind", kBreachNames[i]));
  }
  std::shared_ptr<std::atomic<std::int64_t>> open = open_;
  registry.gauge("basilisk_connections_open", "Open HTTP connections", service_label,
                 [open] { return static_cast<double>(open->load(std::memory_order_relaxed)); });
}

obs::Counter& ServiceMetrics::requests(std::size_t slot, int status) const {
  return obs::Registry::global().counter("basilisk_requests_total",
                                         "HTTP requests answered, by route and status",
                                         fmt::format("{}{}\"", counter_labels_[slot], status));
}

}  // namespace hallows::http::detail
