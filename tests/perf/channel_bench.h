// Shared by channel_bench's files (see channel_bench.cpp): the message, options, pinning, the
// common backoff and the timing harness.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace chan_bench {

struct Msg {
  std::uint64_t v[8];
};
static_assert(sizeof(Msg) == 64);

constexpr std::size_t kCapacity = 4096;  // every queue gets the same number of slots
constexpr std::size_t kBatch = 64;

struct Options {
  std::uint64_t messages = 5'000'000;
  int runs = 5;
  int samples = 100'000;
  int producers = 2;
  int readers = 2;
  std::string only;  // "", "spsc", "mpsc", "broadcast" or "latency"
};
extern Options opt;
extern int g_cores;
extern std::atomic<std::uint64_t> g_sink;  // keeps consumers' sums alive
extern std::string g_spread;               // min-max of the last mmsgs()

// Pins the calling thread to `core` (modulo the cores online).
void pin(int core);

// The same wait for every queue when it is empty or full: bursts of pause that double from 1
// to 64 (a side that polls a line in a tight loop keeps stealing it from the side writing it),
// then yield.
struct Backoff {
  int n = 0;
  void pause() {
    if (n < 12) {
      for (int i = 0, k = 1 << (n < 6 ? n : 6); i < k; ++i) __builtin_ia32_pause();
      ++n;
    } else {
      std::this_thread::yield();
    }
  }
  void reset() { n = 0; }
};

inline void fill(Msg& m, std::uint64_t i) {
  for (std::uint64_t k = 0; k < 8; ++k) m.v[k] = i + k;
}

// Runs producer(p) on `producers` threads pinned to core 0 and consumer(c) on `consumers`
// threads pinned to core 1; returns seconds from the common start to the last thread's end.
double timed(int producers, int consumers, const std::function<void(int)>& producer,
             const std::function<void(int)>& consumer);
// Median over opt.runs of messages/s (in millions); sets g_spread.
double mmsgs(std::uint64_t delivered, const std::function<double()>& run);

// Throughput, M messages/s (channel_bench_throughput.cpp).
double spsc_ours(bool batch);
double spsc_rwq();
double mpsc_ours(bool batch);
double mpsc_cq(bool bulk, bool tokens);
double broadcast_ours(bool batch);
double broadcast_rwq();

// Prints the round-trip latency table (channel_bench_latency.cpp).
void print_latency();

}  // namespace chan_bench
