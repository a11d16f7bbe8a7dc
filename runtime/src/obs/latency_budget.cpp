// A declared latency budget: a histogram, an over-budget counter, a breach counter and a gauge
// holding the bound, plus a window check.
//
// The window rule: every `window`, compare the records of that window (the histogram snapshot
// now minus the snapshot at the window's start) against the bound. A window with no records
// never breaches. Otherwise the q-th value (nearest rank r = ceil(q * n)) is over the bound
// exactly when more than n - r of the window's values were over it, which the exact
// over-budget counter tells without the 1/16 error of the buckets; the reported quantile is the
// bucket's upper bound.
//
// record() stays cheap: two or three relaxed fetch_adds, one read of the coarse monotonic clock
// (a vDSO read of the kernel's tick time, no TSC) and a relaxed load. Only when that says the
// window has ended does it call check_window(), and only one thread at a time does the work.
#include <time.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

#include "hallows/obs/metrics.h"
#include "text.h"

namespace hallows::obs {
namespace {

std::int64_t coarse_now_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// steady_clock is CLOCK_MONOTONIC on Linux: the same timeline as the coarse clock above.
std::int64_t now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// "3.1 ms", "250 µs", "10 s": three significant digits, unit chosen by size.
std::string human(double ns) {
  if (ns >= 1e9) return fmt::format("{:.3g} s", ns / 1e9);
  if (ns >= 1e6) return fmt::format("{:.3g} ms", ns / 1e6);
  if (ns >= 1e3) return fmt::format("{:.3g} µs", ns / 1e3);
  return fmt::format("{:.3g} ns", ns);
}

// The quantile as the language spells it: 0.99 -> "p99", 0.999 -> "p999", 0.5 -> "p50".
std::string quantile_label(double q) {
  std::string digits = fmt::format("{:g}", q * 100);
  std::erase(digits, '.');
  return "p" + digits;
}

}  // namespace

struct LatencyBudget::State {
  std::string what;
  double quantile;
  std::chrono::nanoseconds bound;
  std::function<void(std::string_view)> report;
  std::int64_t window_ns;
  Histogram& histogram;
  Counter& over;
  Counter& breaches;
  std::string quantile_name;  // "p99"

  std::atomic<std::int64_t> window_end_ns;  // when the current window closes
  std::mutex mutex;                         // guards the window's start below
  std::int64_t window_start_ns;
  std::array<std::uint64_t, Histogram::kBuckets> start_counts{};
  std::uint64_t start_over = 0;

  State(std::string what_in, const std::string& metric, const std::string& labels, double q,
        std::chrono::nanoseconds bound_in, std::function<void(std::string_view)> report_in,
        std::chrono::milliseconds window)
      : what(std::move(what_in)),
        quantile(q),
        bound(bound_in),
        report(std::move(report_in)),
        window_ns(std::chrono::nanoseconds(window).count()),
        histogram(Registry::global().histogram(
            metric + "_seconds", fmt::format("Latency of {}, in seconds.", what), labels)),
        over(Registry::global().counter(metric + "_over_budget_total",
                                        fmt::format("Latencies of {} over the budget bound.", what),
                                        labels)),
        breaches(Registry::global().counter(
            metric + "_budget_breaches_total",
            fmt::format("Windows in which the latency of {} broke its budget.", what), labels)),
        quantile_name(quantile_label(q)) {
    double bound_seconds = static_cast<double>(bound.count()) / 1e9;
    Registry::global().gauge(metric + "_budget_seconds",
                             fmt::format("The latency budget's bound for {}, in seconds.", what),
                             labels, [bound_seconds] { return bound_seconds; });
    window_start_ns = now_ns();
    start_counts = histogram.snapshot();
    start_over = over.value();
    window_end_ns.store(window_start_ns + window_ns, std::memory_order_relaxed);
  }
};

LatencyBudget::LatencyBudget(std::string what, std::string metric, std::string labels,
                             double quantile, std::chrono::nanoseconds bound,
                             std::function<void(std::string_view)> report,
                             std::chrono::milliseconds window) {
  if (!(quantile > 0 && quantile <= 1))
    throw std::invalid_argument(
        fmt::format("latency budget for {}: quantile {} is not in (0, 1]", what, quantile));
  if (bound.count() <= 0)
    throw std::invalid_argument(fmt::format("latency budget for {}: bound must be positive", what));
  if (window.count() <= 0)
    throw std::invalid_argument(
        fmt::format("latency budget for {}: window must be positive", what));
  if (!report)
    throw std::invalid_argument(fmt::format("latency budget for {}: no report function", what));
  state_ = std::make_unique<State>(std::move(what), metric, labels, quantile, bound,
                                   std::move(report), window);
}

LatencyBudget::~LatencyBudget() = default;

void LatencyBudget::record(std::chrono::nanoseconds latency) noexcept {
  State& s = *state_;
  // Close a finished window before recording, so this value counts in the next one.
  if (coarse_now_ns() >= s.window_end_ns.load(std::memory_order_relaxed)) {
    try {
      check_window();
    } catch (...) {
      // The report function threw; the breach is counted already. Recording must not throw.
    }
  }
  s.histogram.record(latency);
  if (latency > s.bound) s.over.add();
}

bool LatencyBudget::check_window() {
  State& s = *state_;
  std::int64_t now = now_ns();
  if (now < s.window_end_ns.load(std::memory_order_relaxed)) return false;
  std::unique_lock lock(s.mutex, std::try_to_lock);
  if (!lock.owns_lock()) return false;  // another thread is closing this window
  now = now_ns();
  if (now < s.window_end_ns.load(std::memory_order_relaxed)) return false;  // closed meanwhile

  // The window's records: now minus the window's start. Records racing with the two snapshots
  // land in this window or the next, never in both and never in neither.
  auto now_counts = s.histogram.snapshot();
  std::uint64_t over_now = s.over.value();
  std::array<std::uint64_t, Histogram::kBuckets> counts{};
  std::uint64_t n = 0;
  for (int i = 0; i < Histogram::kBuckets; ++i) {
    counts[i] = now_counts[i] - s.start_counts[i];
    n += counts[i];
  }
  std::uint64_t over = std::min(over_now - s.start_over, n);
  std::int64_t elapsed = now - s.window_start_ns;
  s.window_start_ns = now;
  s.start_counts = now_counts;
  s.start_over = over_now;
  s.window_end_ns.store(now + s.window_ns, std::memory_order_relaxed);

  if (n == 0) return false;
  auto rank = static_cast<std::uint64_t>(std::ceil(s.quantile * static_cast<double>(n)));
  rank = std::clamp<std::uint64_t>(rank, 1, n);
  if (over <= n - rank) return false;  // the rank-th value is within the bound

  s.breaches.add();
  double q_ns = Histogram::quantile_of(counts, s.quantile);
  s.report(fmt::format(
      "slytherin: latency budget breached: {} {} was {} over the last {} (budget {}, {} records, "
      "{} over budget)",
      s.what, s.quantile_name, human(q_ns), human(static_cast<double>(elapsed)),
      human(static_cast<double>(s.bound.count())), n, over));
  return true;
}

std::uint64_t LatencyBudget::breaches() const noexcept {
  return state_->breaches.value();
}

}  // namespace hallows::obs
