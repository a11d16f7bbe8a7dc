// Receivers with a wait_fd: the worker sleeps in epoll on the fd instead of the condition
// variable, so input on the fd (and notify, and stop) wakes it long before park_timeout; at
// shutdown such a receiver is polled until done(); `worker` pins a receiver to one worker.
#include <fcntl.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <thread>

#include "runtime_sched_test_support.h"

using namespace hallows;
using namespace hallows::testing;
using core::SchedulerKind;

namespace {

struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() { REQUIRE(::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0); }
  ~Pipe() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
  // Called off the main thread: no Catch2 assertion here.
  bool put(char c) { return ::write(fds[1], &c, 1) == 1; }
  // Reads what the pipe holds (non-blocking); returns the bytes read.
  std::string take() {
    std::string got;
    char buf[64];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) got.append(buf, static_cast<std::size_t>(n));
    return got;
  }
};

}  // namespace

TEST_CASE("a write to a receiver's wait_fd wakes its parked worker", "[sched][wait_fd]") {
  for (SchedulerKind kind : {SchedulerKind::backend_api, SchedulerKind::messaging}) {
    Reports reports;
    core::Program program(reports.spec("wait_fd"));
    auto spec = partition("loop", kind);
    spec.park_timeout = 30s;  // without the fd wake-up the worker would sleep through the test
    spec.busy_poll = {};
    auto& p = program.add_partition(spec);
    Pipe pipe;
    std::atomic<int> received{0};
    std::atomic<bool> closing{false};
    core::Receiver r;
    r.name = "pipe";
    r.wait_fd = pipe.fds[0];
    r.poll = [&](std::size_t) -> std::size_t {
      std::string got = pipe.take();
      for (char c : got)
        if (c == 'x') received.fetch_add(1);
      return got.size();
    };
    r.done = [&] { return closing.load(); };
    p.add_receiver(std::move(r));
    std::vector<bool> woke;
    std::thread writer([&] {
      for (int round = 0; round < 5; ++round) {
        // Wait until the worker has parked (round + 1 times: nothing else wakes it), then write.
        auto t0 = Clock::now();
        while (p.metrics().parks < static_cast<std::uint64_t>(round + 1) && Clock::now() - t0 < 5s)
          std::this_thread::sleep_for(1ms);
        std::this_thread::sleep_for(5ms);
        pipe.put('x');
        auto sent_at = Clock::now();
        while (received.load() < round + 1 && Clock::now() - sent_at < 10s)
          std::this_thread::sleep_for(100us);
        woke.push_back(received.load() == round + 1);
      }
      closing.store(true);
      pipe.put('.');  // the worker sleeps on the pipe: a byte wakes it to see done()
    });
    auto start = Clock::now();
    REQUIRE(program.run() == 0);
    writer.join();
    CHECK(received.load() == 5);
    REQUIRE(woke.size() == 5);
    for (bool w : woke) CHECK(w);  // each within 10 s, far below the 30 s park timeout
    CHECK(p.metrics().parks >= 5);
    CHECK(seconds_since(start) < 25.0);
  }
}

TEST_CASE("notify and request_stop wake a worker sleeping on a wait_fd", "[sched][wait_fd]") {
  Reports reports;
  core::Program program(reports.spec("wait_fd_stop"));
  auto spec = partition("loop", SchedulerKind::backend_api);
  spec.park_timeout = 30s;
  auto& p = program.add_partition(spec);
  Pipe pipe;
  std::atomic<int> polls{0};
  core::Receiver r;
  r.name = "pipe";
  r.wait_fd = pipe.fds[0];
  r.poll = [&](std::size_t) -> std::size_t {
    polls.fetch_add(1);
    return pipe.take().size();
  };
  r.done = [] { return sched::stop_requested(); };
  p.add_receiver(std::move(r));
  std::atomic<bool> notified_poll{false};
  std::atomic<bool> ran{false};
  std::thread stopper([&] {
    auto t0 = Clock::now();
    while (p.metrics().parks < 1 && Clock::now() - t0 < 5s) std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(5ms);
    int before = polls.load();
    // A task spawned from here notifies the partition: the sleeping worker must run it.
    p.spawn("t", {"t.pt", 1, 1}, [&ran]() -> sched::Task {
      ran.store(true);
      co_return;
    });
    auto sent_at = Clock::now();
    while (!ran.load() && Clock::now() - sent_at < 10s) std::this_thread::sleep_for(100us);
    notified_poll.store(ran.load() && polls.load() > before);
    program.request_stop();
  });
  auto start = Clock::now();
  REQUIRE(program.run() == 0);
  stopper.join();
  CHECK(notified_poll.load());
  CHECK(seconds_since(start) < 25.0);  // the stop woke the worker well before park_timeout
}

TEST_CASE("at shutdown a wait_fd receiver is polled until done, within the deadline",
          "[sched][wait_fd]") {
  Reports reports;
  auto program_spec = reports.spec("wait_fd_drain");
  program_spec.shutdown_timeout = 20s;
  core::Program program(program_spec);
  auto spec = partition("loop", SchedulerKind::backend_api);
  auto& p = program.add_partition(spec);
  Pipe pipe;
  // After the stop, the receiver wants 3 more bytes before it is done (an HTTP loop answering
  // the requests it holds); the writer sends them one by one, 20 ms apart.
  std::atomic<int> after_stop{0};
  std::atomic<bool> deadline_known{false};
  core::Receiver r;
  r.name = "pipe";
  r.wait_fd = pipe.fds[0];
  r.poll = [&](std::size_t) -> std::size_t {
    std::string got = pipe.take();
    if (sched::stop_requested()) {
      after_stop.fetch_add(static_cast<int>(got.size()));
      auto left = sched::stop_deadline() - Clock::now();
      deadline_known.store(left > 0s && left <= 20s);
    }
    return got.size();
  };
  r.done = [&] { return sched::stop_requested() && after_stop.load() >= 3; };
  p.add_receiver(std::move(r));
  std::thread writer([&] {
    std::this_thread::sleep_for(20ms);
    program.request_stop();
    for (int i = 0; i < 3; ++i) {
      std::this_thread::sleep_for(20ms);
      pipe.put('x');
    }
  });
  auto start = Clock::now();
  REQUIRE(program.run() == 0);
  writer.join();
  CHECK(after_stop.load() == 3);
  CHECK(deadline_known.load());
  CHECK_FALSE(reports.contains("did not stop"));
  CHECK(seconds_since(start) < 15.0);
}

TEST_CASE("a receiver's worker index pins it to that worker", "[sched][wait_fd]") {
  Reports reports;
  auto program_spec = reports.spec("pinned");
  program_spec.allow_oversubscription = true;
  core::Program program(program_spec);
  auto spec = partition("two", SchedulerKind::messaging);
  spec.cores = 2;
  auto& p = program.add_partition(spec);
  std::thread::id seen[3];
  // Round-robin would place them on workers 0, 1, 0; the pins say 1, 1, 0.
  const int pins[3] = {1, 1, 0};
  for (int i = 0; i < 3; ++i) {
    core::Receiver r;
    r.name = "r" + std::to_string(i);
    r.worker = pins[i];
    r.poll = [&seen, i](std::size_t) -> std::size_t {
      seen[i] = std::this_thread::get_id();
      return 0;
    };
    r.done = [] { return true; };
    p.add_receiver(std::move(r));
  }
  REQUIRE(program.run() == 0);
  CHECK(seen[0] == seen[1]);
  CHECK(seen[0] != seen[2]);
}
