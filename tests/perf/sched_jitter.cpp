// Scheduling jitter of a 1 ms periodic task: on a pinned partition worker (sleep_for in a Task,
// SCHED_FIFO when the process may have it) against the same loop on an unpinned std::thread
// with sleep_until. Prints p50, p99, p99.9 and max lateness side by side. Not a test.
//
//   sched_jitter [--seconds S] [--period-us P] [--load N] [--normal]
//     --seconds   length of each run (default 5)
//     --period-us the period (default 1000)
//     --load      N unpinned busy threads competing for the CPUs during both runs (default 0)
//     --normal    do not ask for SCHED_FIFO for the partition
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <hallows/core/program.h>

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::nanoseconds;

struct Options {
  double seconds = 5;
  long period_us = 1000;
  int load = 0;
  bool realtime = true;
};

struct Summary {
  std::size_t samples = 0;
  double p50_us = 0, p99_us = 0, p999_us = 0, max_us = 0;
};

Summary summarize(std::vector<nanoseconds> lateness) {
  Summary s;
  s.samples = lateness.size();
  if (lateness.empty()) return s;
  std::sort(lateness.begin(), lateness.end());
  auto at = [&](double q) {
    std::size_t i = std::min(lateness.size() - 1, static_cast<std::size_t>(q * lateness.size()));
    return static_cast<double>(lateness[i].count()) / 1000.0;
  };
  s.p50_us = at(0.50);
  s.p99_us = at(0.99);
  s.p999_us = at(0.999);
  s.max_us = static_cast<double>(lateness.back().count()) / 1000.0;
  return s;
}

hallows::sched::Task periodic(std::vector<nanoseconds>& lateness, nanoseconds period,
                              std::size_t count, hallows::core::Program& program) {
  Clock::time_point next = Clock::now() + period;
  for (std::size_t i = 0; i < count; ++i) {
    co_await hallows::sched::sleep_for(next - Clock::now());
    lateness.push_back(Clock::now() - next);
    next += period;
  }
  program.request_stop();
}

Summary run_partition(const Options& o, nanoseconds period, std::size_t count,
                      std::string& priority) {
  std::vector<nanoseconds> lateness;
  lateness.reserve(count);
  hallows::core::ProgramSpec spec;
  spec.name = "sched_jitter";
  spec.report = [&](std::string_view line) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
    if (line.find("SCHED_FIFO") != std::string_view::npos)
      priority =
          line.find("could not") != std::string_view::npos ? "normal (FIFO refused)" : "SCHED_FIFO";
  };
  hallows::core::Program program(spec);
  hallows::core::PartitionSpec p;
  p.name = "periodic";
  p.scheduler = hallows::core::SchedulerKind::messaging;
  p.priority = o.realtime ? hallows::core::Priority::realtime : hallows::core::Priority::normal;
  p.busy_poll = {};  // park between periods: the measurement is the wake-up, not a spin
  hallows::core::Partition& partition = program.add_partition(p);
  partition.spawn("periodic", hallows::core::SourceLoc{"sched_jitter.cpp", 0, 0},
                  [&] { return periodic(lateness, period, count, program); });
  program.run();
  if (priority.empty()) priority = "normal";
  return summarize(std::move(lateness));
}

Summary run_thread(nanoseconds period, std::size_t count) {
  std::vector<nanoseconds> lateness;
  lateness.reserve(count);
  std::thread t([&] {
    Clock::time_point next = Clock::now() + period;
    for (std::size_t i = 0; i < count; ++i) {
      std::this_thread::sleep_until(next);
      lateness.push_back(Clock::now() - next);
      next += period;
    }
  });
  t.join();
  return summarize(std::move(lateness));
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&] { return i + 1 < argc ? argv[++i] : "0"; };
    if (a == "--seconds") {
      o.seconds = std::atof(value());
    } else if (a == "--period-us") {
      o.period_us = std::atol(value());
    } else if (a == "--load") {
      o.load = std::atoi(value());
    } else if (a == "--normal") {
      o.realtime = false;
    } else {
      std::fprintf(stderr,
                   "usage: sched_jitter [--seconds S] [--period-us P] [--load N] "
                   "[--normal]\n");
      std::exit(2);
    }
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  nanoseconds period = std::chrono::microseconds(std::max(o.period_us, 10L));
  auto count = static_cast<std::size_t>(o.seconds * 1e9 / static_cast<double>(period.count()));
  std::atomic<bool> stop{false};
  std::vector<std::thread> load;
  for (int i = 0; i < o.load; ++i) {
    load.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
      }
    });
  }
  std::string priority;
  Summary pinned = run_partition(o, period, count, priority);
  Summary plain = run_thread(period, count);
  stop.store(true);
  for (auto& t : load) t.join();

  std::printf("sched_jitter: %ld us period, %.1f s per run, %d busy load thread(s)\n", o.period_us,
              o.seconds, o.load);
  std::printf("lateness (us)     %24s  %24s\n", "pinned partition", "unpinned std::thread");
  std::printf("                  %24s  %24s\n", priority.c_str(), "sleep_until");
  std::printf("samples           %24zu  %24zu\n", pinned.samples, plain.samples);
  std::printf("p50               %24.1f  %24.1f\n", pinned.p50_us, plain.p50_us);
  std::printf("p99               %24.1f  %24.1f\n", pinned.p99_us, plain.p99_us);
  std::printf("p99.9             %24.1f  %24.1f\n", pinned.p999_us, plain.p999_us);
  std::printf("max               %24.1f  %24.1f\n", pinned.max_us, plain.max_us);
  return 0;
}
