// Crash test: a child process appends and "acks" what the log says is durable (writing each
// acked offset to a pipe); the parent SIGKILLs it at a random moment, reopens the log and
// checks every acked record is there, once, in order.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/log/log.h"
#include "runtime_log_test_support.h"

using namespace hallows::log;
using namespace hallows::log::testing;

namespace {

TopicConfig crash_topic(Durability d) {
  TopicConfig c;
  c.name = "crash";
  c.durability = d;
  c.segment_bytes = 16 << 10;  // rolls often
  c.fsync_max_delay = 1ms;
  return c;
}

// The child: appends "v<offset>" one-record batches until killed, acking durable offsets.
[[noreturn]] void child_main(const std::string& dir, Durability d, int ack_fd) {
  Log log(LogConfig{dir, [](std::string_view) {}, 1000ms});
  if (!log.add_topic(crash_topic(d)).empty() || !log.open().empty()) ::_exit(2);
  PartitionLog* p = log.partition("crash", 0);
  for (int i = 0; i < 1'000'000; ++i) {
    const std::int64_t next = p->end_offset();  // single appender: the offset it will get
    BatchBuilder b(1000 + i);
    std::string v = "v" + std::to_string(next);
    b.add(std::nullopt, bytes(v), 1000 + i);
    auto batch = b.finish();
    auto r = p->append(batch, 1000 + i);
    if (!r.error.empty() || r.base_offset != next) ::_exit(3);
    if (d == Durability::fsync_batched) {
      auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (p->durable_offset() <= r.base_offset) {
        if (std::chrono::steady_clock::now() > until) ::_exit(4);
        std::this_thread::yield();
      }
    }
    if (::write(ack_fd, &r.base_offset, sizeof r.base_offset) != sizeof r.base_offset) ::_exit(5);
  }
  ::_exit(0);
}

void crash_rounds(Durability d) {
  TempDir dir;
  std::mt19937 rng(std::random_device{}());
  std::set<std::int64_t> acked;
  for (int round = 0; round < 5; ++round) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(fds[0]);
      child_main(dir.path(), d, fds[1]);
    }
    ::close(fds[1]);
    // Wait for the first ack (the child is up), read acks for a random while, then kill it
    // without warning.
    std::vector<std::int64_t> got;
    auto drain = [&](int timeout_ms) {
      pollfd pfd{fds[0], POLLIN, 0};
      if (::poll(&pfd, 1, timeout_ms) <= 0) return false;
      std::int64_t buf[512];
      ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n <= 0) return false;
      // Acks are 8 bytes and the pipe is atomic for writes this small.
      got.insert(got.end(), buf, buf + n / 8);
      return true;
    };
    const auto first_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (got.empty() && std::chrono::steady_clock::now() < first_deadline) drain(10);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(rng() % 150);
    while (std::chrono::steady_clock::now() < deadline) drain(5);
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));
    while (drain(0)) {
    }
    ::close(fds[0]);
    for (std::size_t i = 1; i < got.size(); ++i) CHECK(got[i] == got[i - 1] + 1);
    acked.insert(got.begin(), got.end());

    // Reopen and check.
    Log log(LogConfig{dir.path(), [](std::string_view) {}, 1000ms});
    REQUIRE(log.add_topic(crash_topic(d)).empty());
    REQUIRE(log.open().empty());
    PartitionLog* p = log.partition("crash", 0);
    auto all = read_all(*p, 0);
    REQUIRE(static_cast<std::int64_t>(all.size()) == p->end_offset());
    for (std::size_t i = 0; i < all.size(); ++i) {
      REQUIRE(all[i].first == static_cast<std::int64_t>(i));
      REQUIRE(all[i].second == "v" + std::to_string(i));
    }
    if (!acked.empty()) CHECK(*acked.rbegin() < p->end_offset());
    INFO("round " << round << ": " << got.size() << " acked, end " << p->end_offset());
    CHECK(!got.empty());
  }
}

}  // namespace

TEST_CASE("acked appends survive SIGKILL: fsync_every_write", "[log][crash]") {
  crash_rounds(Durability::fsync_every_write);
}

TEST_CASE("acked appends survive SIGKILL: fsync_batched", "[log][crash]") {
  crash_rounds(Durability::fsync_batched);
}
