#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/chan/broadcast_ring.h"
#include "runtime_chan_test_support.h"

using hallows::chan::BroadcastRing;
using hallows::chan::testing::Deadline;
using hallows::chan::testing::kStressMessages;
using hallows::chan::testing::Msg;

TEST_CASE("BroadcastRing: every reader sees every message; the slowest gates the writer",
          "[chan][broadcast]") {
  BroadcastRing<std::string> ring(4);
  auto fast = ring.add_reader();
  auto slow = ring.add_reader();
  CHECK(ring.reader_count() == 2);
  for (int i = 0; i < 4; ++i) CHECK(ring.try_push(std::to_string(i)));
  CHECK(ring.try_claim() == nullptr);  // full for the slow reader
  std::vector<std::string> got_fast;
  CHECK(fast.read_batch([&](const std::string& s) { got_fast.push_back(s); }) == 4);
  CHECK(ring.try_claim() == nullptr);  // still full: slow has not read
  CHECK(ring.size_approx() == 4);
  const std::string* first = slow.try_peek();
  REQUIRE(first != nullptr);
  CHECK(*first == "0");
  slow.release();
  std::string* slot = ring.try_claim();
  REQUIRE(slot != nullptr);
  slot->assign("4");
  ring.publish();
  std::string out;
  CHECK(fast.try_pop(out));
  CHECK(out == "4");
  std::vector<std::string> got_slow;
  CHECK(slow.read_batch([&](const std::string& s) { got_slow.push_back(s); }) == 4);
  CHECK(got_slow == std::vector<std::string>{"1", "2", "3", "4"});
}

TEST_CASE("BroadcastRing batch, close and drain; a reader that leaves stops gating",
          "[chan][broadcast]") {
  BroadcastRing<int> ring(8);
  auto a = ring.add_reader();
  auto b = ring.add_reader();
  auto gone = ring.add_reader();
  gone.leave();
  const std::size_t n = ring.try_claim_batch(5, [](int& s, std::size_t i) { s = int(i); });
  CHECK(n == 5);
  ring.publish(n);
  CHECK(ring.try_push_batch(10, [](int& s, std::size_t i) { s = 5 + int(i); }) == 3);
  ring.close();
  CHECK_FALSE(ring.try_push(9));
  CHECK_FALSE(ring.push(9));
  for (auto* r : {&a, &b}) {
    std::vector<int> got;
    int v = 0;
    CHECK(r->pop(v));
    got.push_back(v);
    CHECK_FALSE(r->closed_and_drained());
    CHECK(r->pop_batch([&](const int& x) { got.push_back(x); }) == 7);
    CHECK(got == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7});
    CHECK(r->closed_and_drained());
    CHECK_FALSE(r->pop(v));
    CHECK(r->pop_batch([](const int&) {}) == 0);
  }
}

TEST_CASE("BroadcastRing stress: one writer, three readers, each sees all in order",
          "[chan][broadcast]") {
  constexpr int kReaders = 3;
  for (std::size_t capacity : {2u, 128u}) {
    BroadcastRing<Msg> ring(capacity);
    std::vector<BroadcastRing<Msg>::Reader> readers;
    for (int r = 0; r < kReaders; ++r) readers.push_back(ring.add_reader());
    std::vector<std::uint64_t> received(kReaders, 0);
    std::vector<char> ok(kReaders, 1);
    std::vector<std::thread> threads;
    for (int r = 0; r < kReaders; ++r) {
      threads.emplace_back([&, r] {
        auto& reader = readers[r];
        auto check = [&](const Msg& m) { ok[r] = ok[r] && m.valid() && m.seq == received[r]++; };
        Msg out;
        for (std::uint64_t round = 0;; ++round) {
          if (round % 3 == 0) {
            if (!reader.pop(out)) break;
            check(out);
          } else if (round % 3 == 1) {
            if (reader.pop_batch(check, 1 + r * 7) == 0) break;
          } else if (const Msg* m = reader.try_peek()) {
            check(*m);
            reader.release();
          } else if (reader.closed_and_drained()) {
            break;
          }
        }
      });
    }
    std::uint64_t sent = 0;
    Deadline deadline;
    while (sent < kStressMessages / 2 && !deadline.passed()) {
      if (sent % 3 == 0) {
        Msg* m = ring.claim();
        REQUIRE(m != nullptr);
        m->fill(0, sent);
        ring.publish();
        ++sent;
      } else if (sent % 3 == 1) {
        Msg m;
        m.fill(0, sent);
        REQUIRE(ring.push(std::move(m)));
        ++sent;
      } else {
        sent += ring.push_batch(4, [&](Msg& m, std::size_t i) { m.fill(0, sent + i); });
      }
    }
    ring.close();
    for (auto& t : threads) t.join();
    for (int r = 0; r < kReaders; ++r) {
      CHECK(ok[r]);
      CHECK(received[r] == sent);
    }
  }
}
