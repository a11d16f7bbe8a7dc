// Answering one complete request: the built-in /healthz and /metrics, then the router and the
// route's handler (exceptions and handlers that do not answer become 500), or the 404, 405 and
// 400 problems. One Dispatcher per loop: its Exchange, parameter and scratch storage are reused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hallows/http/request.h"
#include "hallows/http/service.h"
#include "service_shared.h"

namespace hallows::http::detail {

struct Answered {
  int status = 0;
  std::size_t slot = 0;  // metrics slot (ServiceMetrics): the route, or none/healthz/metrics
};

class Dispatcher {
 public:
  explicit Dispatcher(const ServiceShared& shared) : shared_(shared) {}

  // Appends the response to `request` to `out`; `keep_alive` decides `Connection: close`.
  Answered answer(const Request& request, bool keep_alive, std::string& out);

 private:
  void problem(std::string& out, const Request& request, int status, std::string_view detail,
               bool keep_alive, std::string_view extra_headers = {});
  void run_handler(std::size_t route, const Request& request);
  void report_failure(std::size_t route, std::string_view what);

  const ServiceShared& shared_;
  Exchange exchange_;
  std::vector<std::string_view> params_;
  std::string scratch_;
  std::string text_;  // problem bodies, /metrics
  // Failure reports: at most kReportsPerSecond a second per loop; the rest are counted and
  // summed up in the next second's first report, so a client cannot flood the log.
  static constexpr int kReportsPerSecond = 10;
  std::int64_t report_second_ = 0;
  int reports_this_second_ = 0;
  std::uint64_t suppressed_reports_ = 0;
};

}  // namespace hallows::http::detail
