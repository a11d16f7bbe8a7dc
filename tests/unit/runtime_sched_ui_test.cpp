// ui: frames run at the declared rate, slow frames are counted as missed (with the frames they
// push out), and events run between frames.
#include <catch2/catch.hpp>

#include <algorithm>

#include "runtime_sched_test_support.h"

using namespace hallows;
using namespace hallows::testing;
using core::SchedulerKind;

TEST_CASE("ui frames keep the frame rate and count missed frames", "[sched][ui]") {
  Reports reports;
  core::Program program(reports.spec("frames"));
  auto spec = partition("screen", SchedulerKind::ui);
  spec.frame_rate = 50;  // 20 ms frames
  spec.stall_bound = 1s;
  auto& p = program.add_partition(spec);
  auto& ui = p.ui();
  CHECK(ui.frame_period() == 20ms);
  std::vector<Clock::time_point> starts;  // the ui worker touches it
  int slow_frames = 0;
  ui.set_frame([&] {
    starts.push_back(Clock::now());
    int k = static_cast<int>(starts.size());
    if (k % 10 == 5) {  // every tenth frame overruns two periods
      ++slow_frames;
      busy_for(45ms);
    }
    if (k == 40) program.request_stop();
  });
  REQUIRE(program.run() == 0);
  auto m = p.metrics();
  REQUIRE(starts.size() == 40);
  CHECK(m.frames == 40);
  CHECK(slow_frames == 4);
  // Each slow frame misses its deadline and pushes out the frames whose period it covered.
  CHECK(m.frames_missed >= 4 * 2);
  CHECK(ui.frames_missed() == m.frames_missed);
  // 40 frames plus about 8 skipped at 20 ms: ~0.96 s; generous bounds for a loaded machine.
  double span = std::chrono::duration<double>(starts.back() - starts.front()).count();
  CHECK(span > 0.6);
  CHECK(span < 3.0);
  // Frames start on the 20 ms grid: the typical gap is one period (median, wide margin).
  std::vector<double> gaps;
  for (std::size_t i = 1; i < starts.size(); ++i)
    gaps.push_back(std::chrono::duration<double>(starts[i] - starts[i - 1]).count());
  std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
  CHECK(gaps[gaps.size() / 2] > 0.012);
  CHECK(gaps[gaps.size() / 2] < 0.040);
}

TEST_CASE("ui runs events between frames without starving the frames", "[sched][ui]") {
  Reports reports;
  core::Program program(reports.spec("events"));
  auto spec = partition("screen", SchedulerKind::ui);
  spec.frame_rate = 100;  // 10 ms frames
  auto& p = program.add_partition(spec);
  auto& ui = p.ui();
  std::atomic<int> events{0};
  std::atomic<int> frames_during_events{0};
  for (int i = 0; i < 100; ++i) {
    REQUIRE(ui.submit([&] {
      busy_for(1ms);
      events.fetch_add(1);
    }));
  }
  ui.set_frame([&] {
    if (events.load() < 100) frames_during_events.fetch_add(1);
    if (events.load() == 100) ui.set_frame({});  // clearing the frame lets the program finish
  });
  REQUIRE(program.run() == 0);
  CHECK(events.load() == 100);
  // ~100 ms of events: frames kept coming meanwhile (about 10; at least a few even when loaded).
  CHECK(frames_during_events.load() >= 3);
  CHECK(p.metrics().events == 100);
}
