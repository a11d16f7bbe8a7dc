#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/chan/mpsc_ring.h"
#include "runtime_chan_test_support.h"

using hallows::chan::MpscRing;
using hallows::chan::testing::Deadline;
using hallows::chan::testing::kStressMessages;
using hallows::chan::testing::Msg;

TEST_CASE("MpscRing full, empty, wraparound and order", "[chan][mpsc]") {
  MpscRing<int> ring(3);
  CHECK(ring.capacity() == 4);
  CHECK(ring.try_peek() == nullptr);
  int next_in = 0;
  int next_out = 0;
  for (int lap = 0; lap < 50; ++lap) {
    while (ring.try_push(next_in)) ++next_in;
    CHECK(ring.size_approx() == 4);
    CHECK(ring.try_claim() == nullptr);
    const int* m = ring.try_peek();
    REQUIRE(m != nullptr);
    CHECK(*m == next_out++);
    ring.release();
    int v = 0;
    while (ring.try_pop(v)) CHECK(v == next_out++);
  }
  CHECK(next_in == next_out);
}

TEST_CASE("MpscRing claims are distinct slots, published out of order", "[chan][mpsc]") {
  MpscRing<std::string> ring(4);
  std::string* a = ring.try_claim();
  std::string* b = ring.try_claim();
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK(a != b);
  b->assign("second");
  ring.publish(b);
  CHECK(ring.try_peek() == nullptr);  // the first claim is not published yet
  a->assign(100, 'x');
  ring.publish(a);
  std::vector<std::string> got;
  CHECK(ring.read_batch([&](const std::string& s) { got.push_back(s); }) == 2);
  CHECK(got == std::vector<std::string>{std::string(100, 'x'), "second"});
  for (int i = 0; i < 2; ++i) ring.publish(ring.try_claim());
  std::string* reused = ring.try_claim();
  CHECK(reused == a);
  CHECK(reused->capacity() >= 100);  // slot reused with its buffer
  ring.publish(reused);
}

TEST_CASE("MpscRing batch push and read", "[chan][mpsc]") {
  MpscRing<int> ring(8);
  CHECK(ring.try_push(-1));
  CHECK(ring.try_push_batch(100, [](int& s, std::size_t i) { s = int(i); }) == 7);
  CHECK(ring.try_push_batch(1, [](int&, std::size_t) {}) == 0);
  std::vector<int> got;
  CHECK(ring.read_batch([&](const int& v) { got.push_back(v); }, 2) == 2);
  CHECK(ring.pop_batch([&](const int& v) { got.push_back(v); }) == 6);
  CHECK(got == std::vector<int>{-1, 0, 1, 2, 3, 4, 5, 6});
}

TEST_CASE("MpscRing close: claims made before it still arrive, sends after it fail",
          "[chan][mpsc]") {
  MpscRing<int> ring(8);
  CHECK(ring.push(1));
  int* pending = ring.try_claim();
  REQUIRE(pending != nullptr);
  ring.close();
  CHECK(ring.closed());
  CHECK_FALSE(ring.try_push(3));
  CHECK_FALSE(ring.push(3));
  CHECK(ring.claim() == nullptr);
  CHECK(ring.try_push_batch(4, [](int&, std::size_t) {}) == 0);
  int v = 0;
  CHECK(ring.pop(v));
  CHECK(v == 1);
  CHECK_FALSE(ring.closed_and_drained());  // the pending claim
  std::thread late([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    *pending = 2;
    ring.publish(pending);
  });
  CHECK(ring.pop(v));  // waits for the publish
  CHECK(v == 2);
  CHECK_FALSE(ring.pop(v));
  CHECK(ring.closed_and_drained());
  late.join();
}

TEST_CASE("MpscRing stress: producers racing, one closes; exact delivery per producer",
          "[chan][mpsc]") {
  constexpr int kProducers = 3;
  for (std::size_t capacity : {4u, 256u}) {
    MpscRing<Msg> ring(capacity);
    std::vector<std::uint64_t> sent(kProducers, 0);
    std::vector<std::thread> producers;
    for (int p = 0; p < kProducers; ++p) {
      producers.emplace_back([&, p] {
        Deadline deadline;
        std::uint64_t& n = sent[p];
        const std::uint64_t limit = kStressMessages / kProducers;
        for (;;) {
          if (p == 0 && (n >= limit || deadline.passed())) {
            ring.close();  // the others are still sending: their later sends must fail
            return;
          }
          std::size_t ok = 0;
          switch (n % 4) {
            case 0:
              if (Msg* m = ring.claim()) {
                m->fill(p, n);
                ring.publish(m);
                ok = 1;
              }
              break;
            case 1: {
              Msg m;
              m.fill(p, n);
              ok = ring.push(std::move(m)) ? 1 : 0;
              break;
            }
            case 2:
              ok = ring.push_batch(3, [&](Msg& m, std::size_t i) { m.fill(p, n + i); });
              break;
            default: {
              Msg m;
              m.fill(p, n);
              ok = ring.try_push(m) ? 1 : 0;
              if (ok == 0 && ring.closed()) return;
              if (ok == 0) std::this_thread::yield();
              n += ok;
              continue;
            }
          }
          if (ok == 0) return;  // blocking forms fail only once closed
          n += ok;
        }
      });
    }
    std::vector<std::uint64_t> received(kProducers, 0);
    bool ok = true;
    auto check = [&](const Msg& m) {
      ok = ok && m.valid() && m.producer < kProducers && m.seq == received[m.producer]++;
    };
    Msg out;
    for (std::uint64_t round = 0; !ring.closed_and_drained(); ++round) {
      if (round % 3 == 0) {
        if (ring.pop(out)) check(out);
      } else if (round % 3 == 1) {
        ring.pop_batch(check, 8);
      } else if (const Msg* m = ring.try_peek()) {
        check(*m);
        ring.release();
      }
    }
    for (auto& t : producers) t.join();
    CHECK(ok);
    CHECK(received == sent);
    CHECK(ring.size_approx() == 0);
  }
}
