// channel_bench: throughput and round-trip latency of hallows::chan rings against moodycamel
// ReaderWriterQueue (SPSC), ConcurrentQueue (MPSC: plain and with producer/consumer tokens)
// and a pipe, with 64-byte messages, threads pinned to cores 0 and 1. Prints figures only;
// never passes or fails.
//
//   channel_bench [--messages N] [--runs R] [--samples S] [--producers P] [--readers K]
//                 [--only spsc|mpsc|broadcast|latency]
//
// Throughput: N messages per producer, median of R runs (messages/s counted at the consumer;
// for broadcast, messages published per second, each delivered to all K readers).
// Latency: S ping-pong round trips (core 0 -> core 1 -> core 0), p50/p99/p99.9 in ns.
// Files: channel_bench.h (harness), channel_bench_throughput.cpp, channel_bench_latency.cpp.
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "channel_bench.h"

namespace chan_bench {

Options opt;
int g_cores = 1;
std::atomic<std::uint64_t> g_sink{0};
std::string g_spread;
using Clock = std::chrono::steady_clock;

void pin(int core) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(core % g_cores, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

double timed(int producers, int consumers, const std::function<void(int)>& producer,
             const std::function<void(int)>& consumer) {
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  const int total = producers + consumers;
  std::vector<std::thread> threads;
  auto start_gate = [&] {
    ready.fetch_add(1);
    while (!go.load(std::memory_order_acquire)) __builtin_ia32_pause();
  };
  for (int c = 0; c < consumers; ++c) {
    threads.emplace_back([&, c] { pin(1), start_gate(), consumer(c); });
  }
  for (int p = 0; p < producers; ++p) {
    threads.emplace_back([&, p] { pin(0), start_gate(), producer(p); });
  }
  while (ready.load() != total) std::this_thread::yield();
  const auto t0 = Clock::now();
  go.store(true, std::memory_order_release);
  for (auto& t : threads) t.join();
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double mmsgs(std::uint64_t delivered, const std::function<double()>& run) {
  std::vector<double> rates;
  for (int r = 0; r < opt.runs; ++r) rates.push_back(delivered / run() / 1e6);
  std::sort(rates.begin(), rates.end());
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f-%.1f", rates.front(), rates.back());
  g_spread = buf;
  return rates[rates.size() / 2];
}

namespace {

bool wanted(const char* section) {
  return opt.only.empty() || opt.only == section;
}

// Prints one throughput line: ours and the peer, medians with their min-max over the runs.
void row(const char* kind, const std::function<double()>& ours_fn, const char* peer,
         const std::function<double()>& peer_fn) {
  const double ours = ours_fn();
  const std::string ours_spread = g_spread;
  const double theirs = peer_fn();
  std::printf("| %-32s | %7.2f | %-11s | %-33s | %7.2f | %-11s | %5.2fx |\n", kind, ours,
              ours_spread.c_str(), peer, theirs, g_spread.c_str(), ours / theirs);
}

// MPSC: ours against ConcurrentQueue plain and with tokens (same one-at-a-time or bulk form),
// the ratio against each, and against the faster of the two (what the target compares with).
void mpsc_row(const char* kind, bool batch) {
  const double ours = mpsc_ours(batch);
  const std::string ours_spread = g_spread;
  const double plain = mpsc_cq(batch, false);
  const std::string plain_spread = g_spread;
  const double tokens = mpsc_cq(batch, true);
  const std::string tokens_spread = g_spread;
  std::printf(
      "| %-32s | %7.2f | %-11s | %7.2f | %-11s | %5.2fx | %7.2f | %-11s | %5.2fx | %5.2fx |\n",
      kind, ours, ours_spread.c_str(), plain, plain_spread.c_str(), ours / plain, tokens,
      tokens_spread.c_str(), ours / tokens, ours / std::max(plain, tokens));
}

}  // namespace
}  // namespace chan_bench

using namespace chan_bench;

int main(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const long v = std::atol(argv[i + 1]);
    if (a == "--only") {
      opt.only = argv[i + 1];
    } else if (a == "--messages") {
      opt.messages = v;
    } else if (a == "--runs") {
      opt.runs = static_cast<int>(v);
    } else if (a == "--samples") {
      opt.samples = static_cast<int>(v);
    } else if (a == "--producers") {
      opt.producers = static_cast<int>(v);
    } else if (a == "--readers") {
      opt.readers = static_cast<int>(v);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", a.c_str());
      return 2;
    }
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  g_cores = static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  std::printf(
      "channel_bench: %d cores online; producers/writer pinned to core 0, consumers/"
      "readers to core %d%s\n",
      g_cores, 1 % g_cores,
      g_cores < 2 ? " (ONE CORE: both sides share it, figures are not comparable)" : "");
  std::printf(
      "64-byte messages, %zu-slot queues, %llu messages per run, median of %d runs (min-max "
      "shown), "
      "batch %zu\n\n",
      kCapacity, static_cast<unsigned long long>(opt.messages), opt.runs, kBatch);
  const bool table = wanted("spsc") || wanted("broadcast");
  if (table) {
    std::printf(
        "| kind | ours M msg/s | ours min-max | peer | peer M msg/s | peer min-max | ratio |\n"
        "|---|---:|---|---|---:|---|---:|\n");
  }
  if (wanted("spsc")) {
    row(
        "SPSC, one message at a time", [] { return spsc_ours(false); }, "ReaderWriterQueue",
        spsc_rwq);
    row(
        "SPSC, batches of 64", [] { return spsc_ours(true); }, "ReaderWriterQueue", spsc_rwq);
  }
  char label[64];
  if (wanted("broadcast")) {
    std::snprintf(label, sizeof label, "broadcast 1W %dR, one at a time", opt.readers);
    row(
        label, [] { return broadcast_ours(false); }, "one ReaderWriterQueue per reader",
        broadcast_rwq);
    std::snprintf(label, sizeof label, "broadcast 1W %dR, batches of 64", opt.readers);
    row(
        label, [] { return broadcast_ours(true); }, "one ReaderWriterQueue per reader",
        broadcast_rwq);
  }
  if (wanted("mpsc")) {
    std::printf(
        "%sMPSC: MpscRing (one lane per producer, %zu slots each) against ConcurrentQueue plain "
        "and with ProducerToken/ConsumerToken;\nthe target (2x) compares with the faster of the "
        "two (last column)\n\n",
        table ? "\n" : "", kCapacity / std::max(1, opt.producers));
    std::printf(
        "| kind | ours M msg/s | ours min-max | CQ plain | min-max | ratio | CQ tokens | min-max "
        "| ratio | vs faster |\n|---|---:|---|---:|---|---:|---:|---|---:|---:|\n");
    std::snprintf(label, sizeof label, "MPSC %dP, one at a time", opt.producers);
    mpsc_row(label, false);
    std::snprintf(label, sizeof label, "MPSC %dP, batches of 64", opt.producers);
    mpsc_row(label, true);
  }
  if (!wanted("latency")) return 0;

  print_latency();
  return g_sink.load() == 42 ? 1 : 0;  // never true in practice; keeps the sums observable
}
