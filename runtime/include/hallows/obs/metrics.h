// Metrics: counters, gauges and latency histograms in one process-wide registry, rendered as
// Prometheus text on the program's metrics endpoint (GET /metrics on a small loopback HTTP
// listener). Recording is lock-free (relaxed atomics); rendering reads a consistent-enough
// snapshot. See docs/observability.md.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hallows::obs {

class Counter {
 public:
  void add(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// Log-linear buckets over nanoseconds (relative error under 1/16), from 1 µs to about 70 s.
class Histogram {
 public:
  static constexpr int kSubBuckets = 16;
  static constexpr int kBuckets = 27 * kSubBuckets;

  void record(std::chrono::nanoseconds value) noexcept;
  std::uint64_t count() const noexcept;
  std::uint64_t sum_ns() const noexcept;  // the sum of every recorded value (negatives as 0)
  // The value at quantile q (0..1) of everything recorded so far (upper bucket bound).
  std::chrono::nanoseconds quantile(double q) const noexcept;
  // Counts per bucket, and bucket upper bounds, for rendering and windows.
  std::array<std::uint64_t, kBuckets> snapshot() const noexcept;
  static std::chrono::nanoseconds upper_bound(int bucket) noexcept;
  // In nanoseconds, like quantile(); 0 when `counts` is empty. For a window, pass the difference
  // of two snapshots.
  static double quantile_of(const std::array<std::uint64_t, kBuckets>& counts, double q) noexcept;

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
  std::atomic<std::uint64_t> sum_ns_{0};
};

// `name="value"` with the value escaped for the Prometheus text format (backslash, double quote,
// newline), for building the `labels` argument below; join pairs with commas.
std::string label_pair(std::string_view name, std::string_view value);

// The process-wide registry. Metrics live as long as the process; registering the same name
// and labels twice returns the same metric.
class Registry {
 public:
  static Registry& global();
  // `labels` is the Prometheus label set without braces, for example `topic="orders"`.
  // An invalid metric name or label set, or a name already used by another kind of metric,
  // throws std::invalid_argument.
  Counter& counter(std::string_view name, std::string_view help, std::string_view labels = {});
  Histogram& histogram(std::string_view name, std::string_view help, std::string_view labels = {});
  // A gauge read at render time.
  void gauge(std::string_view name, std::string_view help, std::string_view labels,
             std::function<double()> read);
  std::string render_prometheus() const;

 private:
  struct State;
  Registry();
  std::unique_ptr<State> state_;
};

// A declared latency budget (`latency_budget: p99 under 2 ms`): records every latency into the
// histogram `<metric>_seconds{<labels>}`, counts each value over the bound in
// `<metric>_over_budget_total`, and once per window checks the window's quantile against the
// bound: a breach is counted in `<metric>_budget_breaches_total` and reported (one line).
class LatencyBudget {
 public:
  LatencyBudget(std::string what, std::string metric, std::string labels, double quantile,
                std::chrono::nanoseconds bound, std::function<void(std::string_view)> report,
                std::chrono::milliseconds window = std::chrono::milliseconds(10000));
  ~LatencyBudget();
  void record(std::chrono::nanoseconds latency) noexcept;  // any thread
  // Checks the window now if it has elapsed (record() calls this too); returns true on a breach.
  bool check_window();
  std::uint64_t breaches() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// GET /metrics (Prometheus text 0.0.4) and GET /healthz on a loopback listener, one thread.
class MetricsServer {
 public:
  MetricsServer(std::string host, int port, std::function<void(std::string_view)> report);
  ~MetricsServer();
  std::string start();  // error message, empty on success
  void stop();
  int port() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hallows::obs
