// Shared by the log_bench_* programs (Slytherin over librdkafka, NATS JetStream, Redis Streams):
// the command line, the clock, the message layout and the result lines tests/perf/log_bench.py
// reads. Every program takes the same options and runs one workload against a server that is
// already running:
//
//   log_bench_X --target HOST:PORT --mode throughput --count N --size BYTES [--seconds S]
//   log_bench_X --target HOST:PORT --mode latency --rate MSGS_PER_S --seconds S --size BYTES
//
// throughput: publish N records as fast as the client allows (each peer's own way of keeping
//   many acknowledgements outstanding), stop publishing after --seconds, wait for the last
//   acknowledgement; report acknowledged records/s and MB/s.
// latency: one process, a producer thread publishing at --rate for --seconds and a consumer
//   thread reading the same stream; each message carries its send time (CLOCK_MONOTONIC, the
//   same clock in both threads); report p50/p99/p99.9/max of receive time - send time. The first
//   half second of messages warms up and is not counted.
//
// Message layout (every peer): bytes 0-7 send time in ns, 8-15 sequence number, then filler.
#pragma once

#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace log_bench {

struct Options {
  std::string target = "127.0.0.1:9092";
  std::string mode = "throughput";
  long count = 1000000;
  int size = 100;
  double seconds = 30;
  double rate = 20000;
  int window = 8192;           // NATS and Redis: acknowledgements outstanding at most
  int linger_ms = 5;           // librdkafka linger.ms
  std::string name = "bench";  // topic, stream or key
};

[[noreturn]] inline void usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s --target HOST:PORT --mode throughput|latency [--count N] [--size "
               "BYTES] [--seconds S] [--rate MSGS_PER_S] [--window N] [--linger-ms MS] "
               "[--name NAME]\n",
               program);
  std::exit(2);
}

inline Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (i + 1 >= argc) usage(argv[0]);
    const char* v = argv[++i];
    if (a == "--target")
      o.target = v;
    else if (a == "--mode")
      o.mode = v;
    else if (a == "--count")
      o.count = std::atol(v);
    else if (a == "--size")
      o.size = std::atoi(v);
    else if (a == "--seconds")
      o.seconds = std::atof(v);
    else if (a == "--rate")
      o.rate = std::atof(v);
    else if (a == "--window")
      o.window = std::atoi(v);
    else if (a == "--linger-ms")
      o.linger_ms = std::atoi(v);
    else if (a == "--name")
      o.name = v;
    else
      usage(argv[0]);
  }
  if ((o.mode != "throughput" && o.mode != "latency") || o.count <= 0 || o.size < 16 ||
      o.seconds <= 0 || o.rate <= 0 || o.window <= 0)
    usage(argv[0]);
  return o;
}

inline std::uint64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::uint64_t(ts.tv_sec) * 1000000000u + std::uint64_t(ts.tv_nsec);
}

inline void sleep_until_ns(std::uint64_t t) {
  timespec ts{time_t(t / 1000000000u), long(t % 1000000000u)};
  clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
}

// A payload of o.size bytes; stamp() writes the send time and sequence number into it.
inline std::vector<char> make_payload(const Options& o) {
  std::vector<char> p(std::size_t(o.size), 'x');
  return p;
}
inline void stamp(std::vector<char>& p, std::uint64_t seq) {
  std::uint64_t t = now_ns();
  std::memcpy(p.data(), &t, 8);
  std::memcpy(p.data() + 8, &seq, 8);
}
inline void read_stamp(const void* data, std::size_t len, std::uint64_t& sent, std::uint64_t& seq) {
  sent = seq = 0;
  if (len < 16) return;
  std::memcpy(&sent, data, 8);
  std::memcpy(&seq, static_cast<const char*>(data) + 8, 8);
}

// How many messages a latency run sends, and how many of those only warm up.
inline long latency_total(const Options& o) {
  return long(o.rate * o.seconds);
}
inline long latency_warmup(const Options& o) {
  return long(o.rate * 0.5);
}

// The result lines log_bench.py parses ("RESULT key=value ..."), preceded by a readable one.
inline void print_throughput(const char* peer, const Options& o, long acked, long errors,
                             double elapsed_s) {
  double rps = elapsed_s > 0 ? double(acked) / elapsed_s : 0;
  std::printf(
      "%s throughput: %ld x %d B acknowledged in %.3f s: %.0f records/s, %.1f MB/s, %ld "
      "errors\n",
      peer, acked, o.size, elapsed_s, rps, rps * o.size / 1e6, errors);
  std::printf(
      "RESULT peer=%s mode=throughput size=%d acked=%ld errors=%ld elapsed_s=%.6f "
      "records_per_s=%.1f mb_per_s=%.3f\n",
      peer, o.size, acked, errors, elapsed_s, rps, rps * o.size / 1e6);
  std::fflush(stdout);
}

// samples: latencies in ns of the counted (non-warm-up) messages that arrived.
inline void print_latency(const char* peer, const Options& o, std::vector<std::uint64_t> samples,
                          long expected, long errors) {
  std::sort(samples.begin(), samples.end());
  auto pct = [&](double q) -> double {
    if (samples.empty()) return 0;
    std::size_t i = std::size_t(q * double(samples.size() - 1) + 0.5);
    return double(samples[std::min(i, samples.size() - 1)]) / 1000.0;
  };
  long received = long(samples.size());
  std::printf(
      "%s latency at %.0f msg/s x %d B: %ld of %ld received, p50 %.0f us, p99 %.0f us, "
      "p99.9 %.0f us, max %.0f us, %ld errors\n",
      peer, o.rate, o.size, received, expected, pct(0.5), pct(0.99), pct(0.999), pct(1.0), errors);
  std::printf(
      "RESULT peer=%s mode=latency size=%d rate=%.0f expected=%ld received=%ld "
      "errors=%ld p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f\n",
      peer, o.size, o.rate, expected, received, errors, pct(0.5), pct(0.99), pct(0.999), pct(1.0));
  std::fflush(stdout);
}

}  // namespace log_bench
