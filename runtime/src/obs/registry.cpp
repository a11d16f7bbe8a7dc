// The process-wide metric registry and its Prometheus text rendering (format 0.0.4).
//
// Families are keyed by name; each holds series keyed by their canonical label set. Counters and
// histograms are heap objects owned by the registry and never freed, so the references handed
// out stay valid for the life of the process and recording never takes the mutex. The mutex
// guards registration and the family map; rendering copies what it needs under it and formats
// (and calls gauge readers) outside it.
#include <array>
#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "hallows/obs/metrics.h"
#include "text.h"

namespace hallows::obs {
namespace {

enum class Kind { kCounter, kGauge, kHistogram };

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::kCounter:
      return "counter";
    case Kind::kGauge:
      return "gauge";
    case Kind::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// The `le` bounds rendered for every histogram: 10 µs to 10 s in a 1-2-5 sequence. Rendering all
// 432 fine buckets would make 432 series per histogram; these 19 (plus +Inf) are derived from
// them (see cumulative_at).
struct Bound {
  const char* text;
  std::int64_t ns;
};
constexpr std::array<Bound, 19> kBounds{{
    {"0.00001", 10'000},  {"0.00002", 20'000},  {"0.00005", 50'000},    {"0.0001", 100'000},
    {"0.0002", 200'000},  {"0.0005", 500'000},  {"0.001", 1'000'000},   {"0.002", 2'000'000},
    {"0.005", 5'000'000}, {"0.01", 10'000'000}, {"0.02", 20'000'000},   {"0.05", 50'000'000},
    {"0.1", 100'000'000}, {"0.2", 200'000'000}, {"0.5", 500'000'000},   {"1", 1'000'000'000},
    {"2", 2'000'000'000}, {"5", 5'000'000'000}, {"10", 10'000'000'000},
}};

struct Series {
  std::string labels;  // canonical
  std::unique_ptr<Counter> counter;
  std::unique_ptr<Histogram> histogram;
  std::function<double()> read;
};

struct Family {
  Kind kind;
  std::string help;
  std::vector<Series> series;
};

void append_histogram(std::string& out, const std::string& name, const std::string& labels,
                      const Histogram& histogram) {
  auto counts = histogram.snapshot();
  std::uint64_t sum_ns = histogram.sum_ns();
  std::string prefix = labels.empty() ? std::string() : labels + ",";
  // A fine bucket counts under a bound when its upper bound is <= the bound, so every value
  // counted under `le` really is below it (a bound that falls inside a fine bucket leaves that
  // bucket to the next bound: the counts are exact for the values, conservative for the bound).
  std::uint64_t cumulative = 0;
  int next = 0;
  for (const Bound& bound : kBounds) {
    while (next < Histogram::kBuckets && Histogram::upper_bound(next).count() <= bound.ns)
      cumulative += counts[next++];
    fmt::format_to(std::back_inserter(out), "{}_bucket{{{}le=\"{}\"}} {}\n", name, prefix,
                   bound.text, cumulative);
  }
  std::uint64_t total = 0;
  for (std::uint64_t c : counts) total += c;
  fmt::format_to(std::back_inserter(out), "{}_bucket{{{}le=\"+Inf\"}} {}\n", name, prefix, total);
  std::string braces = labels.empty() ? std::string() : "{" + labels + "}";
  fmt::format_to(std::back_inserter(out), "{}_sum{} {}\n", name, braces,
                 text::format_value(static_cast<double>(sum_ns) / 1e9));
  fmt::format_to(std::back_inserter(out), "{}_count{} {}\n", name, braces, total);
}

}  // namespace

std::string label_pair(std::string_view name, std::string_view value) {
  if (!text::valid_label_name(name) || name == "le")
    throw std::invalid_argument(fmt::format("metrics: invalid label name '{}'", name));
  return fmt::format("{}=\"{}\"", name, text::escape_label_value(value));
}

struct Registry::State {
  mutable std::mutex mutex;
  std::map<std::string, Family, std::less<>> families;  // GUARDED_BY(mutex)

  // Finds or creates the series `name{labels}` of kind `kind`. Caller holds `mutex`.
  Series& series(std::string_view name, std::string_view help, std::string_view labels, Kind kind) {
    if (!text::valid_metric_name(name))
      throw std::invalid_argument(fmt::format("metrics: invalid metric name '{}'", name));
    std::string canonical = text::canonical_labels(labels);
    auto it = families.find(name);
    if (it == families.end()) {
      check_no_clash(name, kind);
      it = families.emplace(std::string(name), Family{kind, std::string(help), {}}).first;
    } else if (it->second.kind != kind) {
      throw std::invalid_argument(fmt::format("metrics: '{}' is already a {}, not a {}", name,
                                              kind_name(it->second.kind), kind_name(kind)));
    }
    for (Series& s : it->second.series)
      if (s.labels == canonical) return s;
    Series& s = it->second.series.emplace_back();
    s.labels = std::move(canonical);
    if (kind == Kind::kCounter) s.counter = std::make_unique<Counter>();
    if (kind == Kind::kHistogram) s.histogram = std::make_unique<Histogram>();
    return s;
  }

  // A histogram `h` also writes h_bucket, h_sum and h_count: no other family may take those.
  void check_no_clash(std::string_view name, Kind kind) const {
    auto clash = [&](std::string_view other) {
      throw std::invalid_argument(
          fmt::format("metrics: '{}' clashes with the series of histogram '{}'", name, other));
    };
    for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
      if (name.ends_with(suffix)) {
        auto base = families.find(name.substr(0, name.size() - suffix.size()));
        if (base != families.end() && base->second.kind == Kind::kHistogram) clash(base->first);
      }
      if (kind == Kind::kHistogram && families.contains(fmt::format("{}{}", name, suffix)))
        clash(name);
    }
  }
};

Registry::Registry() : state_(std::make_unique<State>()) {}

Registry& Registry::global() {
  // Never destroyed: metrics may be recorded by threads still running during static destruction.
  static Registry* registry = new Registry();
  return *registry;
}

Counter& Registry::counter(std::string_view name, std::string_view help, std::string_view labels) {
  std::lock_guard lock(state_->mutex);
  return *state_->series(name, help, labels, Kind::kCounter).counter;
}

Histogram& Registry::histogram(std::string_view name, std::string_view help,
                               std::string_view labels) {
  std::lock_guard lock(state_->mutex);
  return *state_->series(name, help, labels, Kind::kHistogram).histogram;
}

void Registry::gauge(std::string_view name, std::string_view help, std::string_view labels,
                     std::function<double()> read) {
  if (!read) throw std::invalid_argument(fmt::format("metrics: gauge '{}' has no reader", name));
  std::lock_guard lock(state_->mutex);
  // Registering the same gauge again replaces its reader: the latest owner answers.
  state_->series(name, help, labels, Kind::kGauge).read = std::move(read);
}

std::string Registry::render_prometheus() const {
  struct Row {
    std::string labels;
    const Counter* counter;
    const Histogram* histogram;
    std::function<double()> read;
  };
  struct Copy {
    std::string name;
    Kind kind;
    std::string help;
    std::vector<Row> rows;
  };
  std::vector<Copy> copies;
  {
    std::lock_guard lock(state_->mutex);
    copies.reserve(state_->families.size());
    for (const auto& [name, family] : state_->families) {
      Copy& copy = copies.emplace_back(Copy{name, family.kind, family.help, {}});
      for (const Series& s : family.series)
        copy.rows.push_back(Row{s.labels, s.counter.get(), s.histogram.get(), s.read});
    }
  }
  std::string out;
  for (const Copy& family : copies) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", family.name,
                   text::escape_help(family.help), family.name, kind_name(family.kind));
    for (const Row& row : family.rows) {
      std::string braces = row.labels.empty() ? std::string() : "{" + row.labels + "}";
      switch (family.kind) {
        case Kind::kCounter:
          fmt::format_to(std::back_inserter(out), "{}{} {}\n", family.name, braces,
                         row.counter->value());
          break;
        case Kind::kGauge:
          fmt::format_to(std::back_inserter(out), "{}{} {}\n", family.name, braces,
                         text::format_value(row.read()));
          break;
        case Kind::kHistogram:
          append_histogram(out, family.name, row.labels, *row.histogram);
          break;
      }
    }
  }
  return out;
}

}  // namespace hallows::obs
