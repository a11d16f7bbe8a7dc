// channel_bench round trips: a pinger on core 0, an echoer on core 1, 64-byte messages.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#pragma GCC diagnostic ignored "-Wstringop-overflow"  // see channel_bench_throughput.cpp
#include <concurrentqueue/concurrentqueue.h>
#include <readerwriterqueue/readerwriterqueue.h>

#include "channel_bench.h"
#include "hallows/chan/broadcast_ring.h"
#include "hallows/chan/mpsc_ring.h"
#include "hallows/chan/spsc_ring.h"

namespace chan_bench {
namespace {

using Clock = std::chrono::steady_clock;
using hallows::chan::BroadcastRing;
using hallows::chan::MpscRing;
using hallows::chan::SpscRing;

struct Percentiles {
  double p50 = 0, p99 = 0, p999 = 0;
};

// send(side, msg) and recv(side, msg) move one message from `side` to the other (side 0 is the
// pinger on core 0, side 1 the echoer on core 1); both spin until done.
template <class Send, class Recv>
Percentiles round_trips(int samples, Send send, Recv recv) {
  std::vector<double> ns(samples);
  std::thread echo([&] {
    pin(1);
    Msg m;
    for (int i = 0; i < samples + 100; ++i) {
      recv(1, m);
      send(1, m);
    }
  });
  pin(0);
  Msg m;
  fill(m, 0);
  for (int i = 0; i < samples + 100; ++i) {  // the first 100 warm up
    const auto t0 = Clock::now();
    send(0, m);
    recv(0, m);
    const auto t1 = Clock::now();
    if (i >= 100) ns[i - 100] = std::chrono::duration<double, std::nano>(t1 - t0).count();
  }
  echo.join();
  std::sort(ns.begin(), ns.end());
  auto at = [&](double q) { return ns[std::min<std::size_t>(ns.size() - 1, q * ns.size())]; };
  return {at(0.50), at(0.99), at(0.999)};
}

template <class Ring>
Percentiles latency_ring(std::vector<Ring*> to) {  // to[side]: the ring side writes into
  return round_trips(
      opt.samples,
      [&](int side, const Msg& m) {
        Msg* slot;
        while ((slot = to[side]->try_claim()) == nullptr) __builtin_ia32_pause();
        *slot = m;
        to[side]->publish(slot);
      },
      [&](int side, Msg& m) {
        const Msg* got;
        while ((got = to[1 - side]->try_peek()) == nullptr) __builtin_ia32_pause();
        m = *got;
        to[1 - side]->release();
      });
}

// MpscRing with one lane, seen through the interface latency_ring expects.
struct MpscOneLane {
  MpscRing<Msg> ring{kCapacity, 1};
  Msg* try_claim() { return ring.producer(0).try_claim(); }
  void publish(Msg* slot) { ring.producer(0).publish(slot); }
  const Msg* try_peek() { return ring.try_peek(); }
  void release() { ring.release(); }
};

Percentiles latency_broadcast() {
  BroadcastRing<Msg> a(kCapacity), b(kCapacity);
  BroadcastRing<Msg>::Reader ra = a.add_reader(), rb = b.add_reader();
  BroadcastRing<Msg>* to[2] = {&a, &b};
  BroadcastRing<Msg>::Reader* from[2] = {&rb, &ra};
  return round_trips(
      opt.samples,
      [&](int side, const Msg& m) {
        Msg* slot;
        while ((slot = to[side]->try_claim()) == nullptr) __builtin_ia32_pause();
        *slot = m;
        to[side]->publish();
      },
      [&](int side, Msg& m) {
        const Msg* got;
        while ((got = from[side]->try_peek()) == nullptr) __builtin_ia32_pause();
        m = *got;
        from[side]->release();
      });
}

template <class Q>
Percentiles latency_moodycamel() {
  Q a(kCapacity), b(kCapacity);
  Q* to[2] = {&a, &b};
  return round_trips(
      opt.samples,
      [&](int side, const Msg& m) {
        while (!to[side]->try_enqueue(m)) {
        }
      },
      [&](int side, Msg& m) {
        while (!to[1 - side]->try_dequeue(m)) __builtin_ia32_pause();
      });
}

Percentiles latency_pipe() {
  int fds[2][2];
  if (pipe(fds[0]) != 0 || pipe(fds[1]) != 0) std::abort();
  auto r = round_trips(
      std::max(1000, opt.samples / 5),
      [&](int side, const Msg& m) {
        if (write(fds[side][1], &m, sizeof m) != sizeof m) std::abort();
      },
      [&](int side, Msg& m) {
        if (read(fds[1 - side][0], &m, sizeof m) != sizeof m) std::abort();
      });
  for (auto& p : fds) close(p[0]), close(p[1]);
  return r;
}

// Prints one throughput line: ours and the peer, medians with their min-max over the runs.
void lat_row(const char* kind, Percentiles p) {
  std::printf("| %-34s | %8.0f | %8.0f | %8.0f |\n", kind, p.p50, p.p99, p.p999);
}

}  // namespace

void print_latency() {
  std::printf("\nRound trip core 0 -> core 1 -> core 0, %d samples (pipe: %d), ns\n\n", opt.samples,
              std::max(1000, opt.samples / 5));
  std::printf("| channel | p50 | p99 | p99.9 |\n|---|---:|---:|---:|\n");
  {
    SpscRing<Msg> a(kCapacity), b(kCapacity);
    lat_row("SpscRing", latency_ring<SpscRing<Msg>>({&a, &b}));
  }
  {
    MpscOneLane a, b;
    lat_row("MpscRing (1 lane)", latency_ring<MpscOneLane>({&a, &b}));
  }
  lat_row("BroadcastRing (1 reader)", latency_broadcast());
  lat_row("moodycamel ReaderWriterQueue", latency_moodycamel<moodycamel::ReaderWriterQueue<Msg>>());
  lat_row("moodycamel ConcurrentQueue", latency_moodycamel<moodycamel::ConcurrentQueue<Msg>>());
  lat_row("pipe (blocking read/write)", latency_pipe());
}

}  // namespace chan_bench
