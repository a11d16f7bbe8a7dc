#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/obs/metrics.h"

using hallows::obs::label_pair;
using hallows::obs::Registry;

namespace {

struct Sample {
  std::string name;
  std::string labels;  // inside the braces
  double value;
};

// Parses Prometheus text format 0.0.4 strictly enough to catch what a scraper would reject:
// every line is `# HELP name text`, `# TYPE name kind`, or `name{labels} value`; a family's
// HELP and TYPE come once, before its samples.
std::vector<Sample> parse(const std::string& text) {
  static const std::regex kSample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*)?\})? ([-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|NaN|[-+]Inf))");
  static const std::regex kHelp(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*)");
  static const std::regex kType(
      R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  std::vector<Sample> samples;
  std::set<std::string> helped, typed;
  REQUIRE((text.empty() || text.back() == '\n'));
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    INFO("line: " << line);
    std::smatch m;
    if (std::regex_match(line, m, kHelp)) {
      CHECK(helped.insert(m[1]).second);
    } else if (std::regex_match(line, m, kType)) {
      CHECK(typed.insert(m[1]).second);
    } else {
      REQUIRE(std::regex_match(line, m, kSample));
      std::string value = m[4];
      double v = value == "NaN"    ? std::nan("")
                 : value == "+Inf" ? INFINITY
                 : value == "-Inf" ? -INFINITY
                                   : std::stod(value);
      samples.push_back({m[1], m[3], v});
    }
  }
  return samples;
}

}  // namespace

TEST_CASE("Registry returns the same metric for the same name and labels", "[obs][registry]") {
  Registry& r = Registry::global();
  auto& a = r.counter("obs_test_same_total", "help", R"(topic="a")");
  auto& again = r.counter("obs_test_same_total", "other help", R"( topic = "a" )");
  auto& b = r.counter("obs_test_same_total", "help", R"(topic="b")");
  CHECK(&a == &again);
  CHECK(&a != &b);
  a.add(3);
  CHECK(again.value() == 3);
  CHECK(&r.histogram("obs_test_same_seconds", "h") == &r.histogram("obs_test_same_seconds", "h"));
}

TEST_CASE("Registry refuses invalid names, label sets and clashes", "[obs][registry]") {
  Registry& r = Registry::global();
  for (const char* bad : {"", "9lives", "a-b", "a b", "é"})
    CHECK_THROWS_AS(r.counter(bad, "h"), std::invalid_argument);
  CHECK_NOTHROW(r.counter("obs_test:ok_total", "h"));
  for (const char* bad : {"topic=orders", R"(le="1")", R"(9x="a")", R"(a="x",a="y")",
                          R"(a="unterminated)", R"(a="x" b="y")", R"(a="\q")", R"(__a="x")"})
    CHECK_THROWS_AS(r.counter("obs_test_labels_total", "h", bad), std::invalid_argument);
  r.counter("obs_test_kind", "h");
  CHECK_THROWS_AS(r.histogram("obs_test_kind", "h"), std::invalid_argument);
  CHECK_THROWS_AS(r.gauge("obs_test_kind", "h", "", [] { return 1.0; }), std::invalid_argument);
  r.histogram("obs_test_hist_seconds", "h");
  CHECK_THROWS_AS(r.counter("obs_test_hist_seconds_count", "h"), std::invalid_argument);
  r.counter("obs_test_clash_sum", "h");
  CHECK_THROWS_AS(r.histogram("obs_test_clash", "h"), std::invalid_argument);
}

TEST_CASE("label_pair escapes values for the text format", "[obs][registry]") {
  CHECK(label_pair("group", "plain") == R"(group="plain")");
  CHECK(label_pair("group", "a\"b\\c\nd") == R"(group="a\"b\\c\nd")");
  CHECK_THROWS_AS(label_pair("le", "1"), std::invalid_argument);
  CHECK_THROWS_AS(label_pair("bad-name", "1"), std::invalid_argument);
}

TEST_CASE("Registry renders valid Prometheus text", "[obs][registry]") {
  Registry& r = Registry::global();
  std::string weird = label_pair("topic", "or\"d\\ers\nx") + "," + label_pair("group", "g");
  r.counter("obs_test_render_total", "Things counted.\nSecond line with \\.", weird).add(7);
  r.counter("obs_test_render_total", "Things counted.", R"(topic="plain")").add(2);
  r.gauge("obs_test_render_gauge", "A gauge.", "", [] { return 0.25; });
  r.gauge("obs_test_render_nan", "A gauge that is NaN.", R"(k="v")", [] { return std::nan(""); });
  auto& h = r.histogram("obs_test_render_seconds", "Latencies.", R"(topic="t")");
  h.record(std::chrono::microseconds(15));  // bucket [15.5, 16) us: under 20 us, not 10 us
  for (int i = 0; i < 3; ++i) h.record(std::chrono::microseconds(300));
  h.record(std::chrono::seconds(3));
  h.record(std::chrono::seconds(30));  // over the top rendered bound: only in +Inf
  auto& unlabelled = r.histogram("obs_test_render_bare_seconds", "No labels.");
  unlabelled.record(std::chrono::milliseconds(1));

  std::string text = r.render_prometheus();
  INFO(text);
  auto samples = parse(text);

  // Every family of this test says HELP and TYPE, with the escaped help text.
  CHECK(text.find("# HELP obs_test_render_total Things counted.\\nSecond line with \\\\.\n") !=
        std::string::npos);
  CHECK(text.find("# TYPE obs_test_render_total counter\n") != std::string::npos);
  CHECK(text.find("# TYPE obs_test_render_gauge gauge\n") != std::string::npos);
  CHECK(text.find("# TYPE obs_test_render_seconds histogram\n") != std::string::npos);
  CHECK(text.find("obs_test_render_total{topic=\"or\\\"d\\\\ers\\nx\",group=\"g\"} 7\n") !=
        std::string::npos);
  CHECK(text.find("obs_test_render_total{topic=\"plain\"} 2\n") != std::string::npos);
  CHECK(text.find("obs_test_render_gauge 0.25\n") != std::string::npos);
  CHECK(text.find("obs_test_render_nan{k=\"v\"} NaN\n") != std::string::npos);

  // Histograms: cumulative buckets with increasing `le`, ending at +Inf == _count.
  for (std::string family : {"obs_test_render_seconds", "obs_test_render_bare_seconds"}) {
    std::vector<std::pair<double, double>> buckets;  // (le, cumulative)
    double count = -1, sum = -1;
    static const std::regex kLe(R"((?:^|,)le="([^"]*)\")");
    for (const Sample& s : samples) {
      if (s.name == family + "_bucket") {
        std::smatch m;
        REQUIRE(std::regex_search(s.labels, m, kLe));
        std::string le = m[1];
        buckets.emplace_back(le == "+Inf" ? INFINITY : std::stod(le), s.value);
      } else if (s.name == family + "_count") {
        count = s.value;
      } else if (s.name == family + "_sum") {
        sum = s.value;
      }
    }
    REQUIRE(buckets.size() == 20);
    CHECK(buckets.front().first == Approx(1e-5));
    CHECK(buckets[buckets.size() - 2].first == Approx(10));
    for (std::size_t i = 1; i < buckets.size(); ++i) {
      CHECK(buckets[i].first > buckets[i - 1].first);
      CHECK(buckets[i].second >= buckets[i - 1].second);
    }
    CHECK(std::isinf(buckets.back().first));
    CHECK(buckets.back().second == count);
    CHECK(sum >= 0);
  }
  CHECK(text.find("obs_test_render_seconds_bucket{topic=\"t\",le=\"0.00001\"} 0\n") !=
        std::string::npos);
  CHECK(text.find("obs_test_render_seconds_bucket{topic=\"t\",le=\"0.00002\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("obs_test_render_seconds_bucket{topic=\"t\",le=\"0.0005\"} 4\n") !=
        std::string::npos);
  CHECK(text.find("obs_test_render_seconds_bucket{topic=\"t\",le=\"5\"} 5\n") != std::string::npos);
  CHECK(text.find("obs_test_render_seconds_bucket{topic=\"t\",le=\"10\"} 5\n") !=
        std::string::npos);
  CHECK(text.find("obs_test_render_seconds_bucket{topic=\"t\",le=\"+Inf\"} 6\n") !=
        std::string::npos);
  CHECK(text.find("obs_test_render_seconds_count{topic=\"t\"} 6\n") != std::string::npos);
  CHECK(text.find("obs_test_render_seconds_sum{topic=\"t\"} 33.000915\n") != std::string::npos);
  CHECK(text.find("obs_test_render_bare_seconds_bucket{le=\"0.002\"} 1\n") != std::string::npos);
  CHECK(text.find("obs_test_render_bare_seconds_count 1\n") != std::string::npos);
}
