#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/chan/spsc_ring.h"
#include "runtime_chan_test_support.h"

using hallows::chan::SpscRing;
using hallows::chan::testing::Deadline;
using hallows::chan::testing::kStressMessages;
using hallows::chan::testing::Msg;

TEST_CASE("SpscRing rounds capacity up to a power of two", "[chan][spsc]") {
  CHECK(SpscRing<int>(5).capacity() == 8);
  CHECK(SpscRing<int>(1).capacity() == 1);
  CHECK(SpscRing<int>(64).capacity() == 64);
  CHECK_THROWS_AS(SpscRing<int>(0), std::invalid_argument);
}

TEST_CASE("SpscRing reports full and empty", "[chan][spsc]") {
  SpscRing<int> ring(4);
  CHECK(ring.try_peek() == nullptr);
  int pushed = 0;
  while (ring.try_push(pushed)) ++pushed;
  CHECK(pushed == 4);
  CHECK(ring.size_approx() == 4);
  CHECK(ring.try_claim() == nullptr);
  const int* first = ring.try_peek();
  REQUIRE(first != nullptr);
  CHECK(*first == 0);
  ring.release();
  CHECK(ring.try_claim() != nullptr);
}

TEST_CASE("SpscRing keeps order across many wraparounds", "[chan][spsc]") {
  SpscRing<std::uint64_t> ring(4);
  std::uint64_t next_out = 0;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    REQUIRE(ring.try_push(i));
    if (i % 3 == 2) {
      std::uint64_t v = 0;
      while (ring.try_pop(v)) CHECK(v == next_out++);
    }
  }
  std::uint64_t v = 0;
  while (ring.try_pop(v)) CHECK(v == next_out++);
  CHECK(next_out == 1000);
}

TEST_CASE("SpscRing claims in place and reuses slots without reallocating", "[chan][spsc]") {
  SpscRing<std::string> ring(2);
  std::string* a = ring.try_claim();
  REQUIRE(a != nullptr);
  CHECK(ring.try_claim() == a);  // the same slot until published
  a->assign(100, 'x');
  ring.publish(a);
  std::string* b = ring.try_claim();
  REQUIRE(b != nullptr);
  CHECK(b != a);
  b->assign("short");
  ring.publish();
  std::vector<std::string> seen;
  CHECK(ring.read_batch([&](const std::string& s) { seen.push_back(s); }) == 2);
  CHECK(seen == std::vector<std::string>{std::string(100, 'x'), "short"});
  std::string* again = ring.try_claim();
  CHECK(again == a);                // slot reused
  CHECK(again->capacity() >= 100);  // its buffer kept: the next long message allocates nothing
  const char* buffer = again->data();
  again->assign(50, 'y');
  CHECK(again->data() == buffer);
  ring.publish();
}

TEST_CASE("SpscRing batch claim, publish and read", "[chan][spsc]") {
  SpscRing<int> ring(8);
  CHECK(ring.try_push(-1));
  const std::size_t n =
      ring.try_claim_batch(100, [](int& slot, std::size_t i) { slot = static_cast<int>(i); });
  CHECK(n == 7);
  CHECK(ring.size_approx() == 1);  // not published yet
  ring.publish(n);
  std::vector<int> got;
  CHECK(ring.read_batch([&](const int& v) { got.push_back(v); }, 3) == 3);
  CHECK(got == std::vector<int>{-1, 0, 1});
  CHECK(ring.try_push_batch(10, [](int& slot, std::size_t i) { slot = 100 + int(i); }) == 3);
  got.clear();
  CHECK(ring.pop_batch([&](const int& v) { got.push_back(v); }) == 8);
  CHECK(got == std::vector<int>{2, 3, 4, 5, 6, 100, 101, 102});
}

TEST_CASE("SpscRing close lets the consumer drain, then reports closed and drained",
          "[chan][spsc]") {
  SpscRing<std::string> ring(8);
  CHECK(ring.push(std::string("a")));
  CHECK(ring.try_push(std::string("b")));
  ring.close();
  CHECK(ring.closed());
  CHECK_FALSE(ring.try_push(std::string("c")));
  CHECK_FALSE(ring.push(std::string("c")));
  CHECK(ring.try_claim() == nullptr);
  CHECK(ring.claim() == nullptr);
  CHECK_FALSE(ring.closed_and_drained());
  std::string out = "old";
  CHECK(ring.pop(out));
  CHECK(out == "a");
  CHECK(ring.pop(out));
  CHECK(out == "b");
  CHECK(ring.closed_and_drained());
  CHECK_FALSE(ring.pop(out));
  CHECK(ring.pop_batch([](const std::string&) {}) == 0);
}

TEST_CASE("SpscRing blocking pop parks and wakes, blocking push waits for space", "[chan][spsc]") {
  SpscRing<int> ring(1);
  std::vector<int> got;
  std::thread consumer([&] {
    int v = 0;
    while (ring.pop(v)) got.push_back(v);
  });
  // Sleeping lets the consumer reach the futex park; correctness does not depend on it.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (int i = 0; i < 50; ++i) {
    REQUIRE(ring.push(i));
    if (i % 10 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ring.close();
  consumer.join();
  REQUIRE(got.size() == 50);
  for (int i = 0; i < 50; ++i) CHECK(got[i] == i);
}

TEST_CASE("SpscRing stress: every message once, in order, across API forms", "[chan][spsc]") {
  for (std::size_t capacity : {2u, 64u}) {
    SpscRing<Msg> ring(capacity);
    std::uint64_t sent = 0;
    std::thread producer([&] {
      Deadline deadline;
      while (sent < kStressMessages && !deadline.passed()) {
        switch (sent % 5) {
          case 0:
            if (Msg* m = ring.claim()) {
              m->fill(0, sent);
              ring.publish();
              ++sent;
            }
            break;
          case 1: {
            Msg m;
            m.fill(0, sent);
            if (ring.try_push(std::move(m))) ++sent;
            break;
          }
          case 2: {
            Msg m;
            m.fill(0, sent);
            REQUIRE(ring.push(m));
            ++sent;
            break;
          }
          case 3:
            sent += ring.try_push_batch(3, [&](Msg& m, std::size_t i) { m.fill(0, sent + i); });
            break;
          default:
            sent += ring.push_batch(5, [&](Msg& m, std::size_t i) { m.fill(0, sent + i); });
        }
      }
      ring.close();
    });
    std::uint64_t received = 0;
    bool ok = true;
    auto check = [&](const Msg& m) { ok = ok && m.valid() && m.seq == received++; };
    Msg out;
    for (std::uint64_t round = 0; !ring.closed_and_drained(); ++round) {
      switch (round % 4) {
        case 0:
          if (const Msg* m = ring.try_peek()) {
            check(*m);
            ring.release();
          }
          break;
        case 1:
          ring.read_batch(check, 4);
          break;
        case 2:
          if (ring.pop(out)) check(out);
          break;
        default:
          ring.pop_batch(check, 16);
      }
    }
    producer.join();
    CHECK(ok);
    CHECK(received == sent);
    CHECK(sent > 0);
  }
}
