#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "hallows/chan/shm_ring.h"
#include "runtime_chan_test_support.h"

using hallows::chan::ShmError;
using hallows::chan::ShmSpscRing;

namespace {

struct Packet {
  std::uint64_t seq;
  std::uint64_t check;
  std::array<std::uint64_t, 6> pad;
};

std::uint64_t mix(std::uint64_t s) {
  return s * 0x9E3779B97F4A7C15ULL ^ 0xABCDEF;
}

// A per-test, per-process name, unlinked when the test ends whatever happens.
struct ShmName {
  std::string name;
  explicit ShmName(const char* tag)
      : name("/hallows-chan-test-" + std::string(tag) + "-" + std::to_string(getpid())) {
    ShmSpscRing<Packet>::unlink_name(name);
  }
  ~ShmName() { ShmSpscRing<Packet>::unlink_name(name); }
};

}  // namespace

TEST_CASE("ShmSpscRing in one process: push, peek, batch, close", "[chan][shm]") {
  ShmName n("basic");
  auto ring = ShmSpscRing<Packet>::create(n.name, 3);
  CHECK(ring.capacity() == 4);
  auto other = ShmSpscRing<Packet>::attach(n.name);
  CHECK(other.capacity() == 4);
  for (std::uint64_t i = 0; i < 4; ++i) CHECK(ring.try_push(Packet{i, mix(i), {}}));
  CHECK_FALSE(ring.try_push(Packet{}));
  const Packet* p = other.try_peek();
  REQUIRE(p != nullptr);
  CHECK(p->seq == 0);
  other.release();
  std::uint64_t next = 1;
  CHECK(other.read_batch([&](const Packet& q) { CHECK(q.seq == next++); }) == 3);
  Packet* slot = ring.try_claim();
  REQUIRE(slot != nullptr);
  slot->seq = 4;
  ring.publish();
  ring.close();
  Packet out{};
  CHECK(other.pop(out));
  CHECK(out.seq == 4);
  CHECK_FALSE(other.pop(out));
  CHECK(other.closed_and_drained());
}

TEST_CASE("ShmSpscRing reports clear errors", "[chan][shm]") {
  ShmName n("errors");
  CHECK_THROWS_WITH(ShmSpscRing<Packet>::attach(n.name),
                    Catch::Contains("does not exist") && Catch::Contains(n.name));
  auto ring = ShmSpscRing<Packet>::create(n.name, 8);
  CHECK_THROWS_WITH(ShmSpscRing<Packet>::create(n.name, 8), Catch::Contains("already exists"));
  CHECK_THROWS_WITH(ShmSpscRing<std::uint64_t>::attach(n.name),
                    Catch::Contains("slot type mismatch"));
  CHECK_THROWS_AS(ShmSpscRing<Packet>::create("a/b", 8), ShmError);
  CHECK_THROWS_AS(ShmSpscRing<Packet>::create(n.name + "-zero", 0), std::invalid_argument);
}

TEST_CASE("ShmSpscRing between two processes: fork, child consumes, checksum matches",
          "[chan][shm]") {
  ShmName n("fork");
  constexpr std::uint64_t kCount = 200'000;
  auto ring = ShmSpscRing<Packet>::create(n.name, 64);
  int result_pipe[2];
  REQUIRE(pipe(result_pipe) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // Child: the consumer, through its own attachment by name.
    close(result_pipe[0]);
    std::uint64_t count = 0;
    std::uint64_t sum = 0;
    bool ok = true;
    try {
      auto in = ShmSpscRing<Packet>::attach(n.name);
      Packet p{};
      while (in.pop(p)) {
        ok = ok && p.seq == count && p.check == mix(p.seq) && p.pad[5] == p.seq;
        sum += p.check;
        ++count;
        in.pop_batch(
            [&](const Packet& q) {
              ok = ok && q.seq == count && q.check == mix(q.seq);
              sum += q.check;
              ++count;
            },
            16);
      }
    } catch (...) {
      ok = false;
    }
    const std::uint64_t report[3] = {count, sum, ok ? 1u : 0u};
    const bool written = write(result_pipe[1], report, sizeof report) == sizeof report;
    _exit(written ? 0 : 1);
  }
  close(result_pipe[1]);
  std::uint64_t expected_sum = 0;
  for (std::uint64_t i = 0; i < kCount;) {
    if (i % 2 == 0) {
      Packet* slot = ring.claim();
      REQUIRE(slot != nullptr);
      *slot = Packet{i, mix(i), {0, 0, 0, 0, 0, i}};
      ring.publish();
      expected_sum += mix(i);
      ++i;
    } else {
      const std::size_t k =
          ring.push_batch(std::min<std::uint64_t>(5, kCount - i), [&](Packet& s, std::size_t j) {
            s = Packet{i + j, mix(i + j), {0, 0, 0, 0, 0, i + j}};
            expected_sum += mix(i + j);
          });
      REQUIRE(k > 0);
      i += k;
    }
  }
  ring.close();
  std::uint64_t report[3] = {0, 0, 0};
  const bool read_all = read(result_pipe[0], report, sizeof report) == sizeof report;
  close(result_pipe[0]);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(read_all);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(report[0] == kCount);
  CHECK(report[1] == expected_sum);
  CHECK(report[2] == 1);
}
