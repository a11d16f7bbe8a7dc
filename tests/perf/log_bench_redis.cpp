// log_bench_redis: the log_bench workloads (see log_bench.h) against Redis Streams through
// hiredis, on a server run with `--appendonly yes --appendfsync everysec`. Producer: XADD <key> *
// d <payload>, pipelined with at most --window replies outstanding; a record counts once its
// reply (the entry id) arrives. Consumer (latency): XREAD BLOCK 1000 COUNT 1000 from the last id
// read, on a second connection.
#include <hiredis/hiredis.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "log_bench.h"

namespace {

using log_bench::Options;

long failed = 0;

redisContext* connect(const Options& o) {
  std::string host = o.target.substr(0, o.target.rfind(':'));
  int port = std::atoi(o.target.c_str() + o.target.rfind(':') + 1);
  redisContext* c = redisConnect(host.c_str(), port);
  if (!c || c->err) {
    std::fprintf(stderr, "log_bench_redis: connect %s: %s\n", o.target.c_str(),
                 c ? c->errstr : "out of memory");
    std::exit(1);
  }
  return c;
}

void append_xadd(redisContext* c, const Options& o, const std::vector<char>& payload) {
  if (redisAppendCommand(c, "XADD %s * d %b", o.name.c_str(), payload.data(), payload.size()) !=
      REDIS_OK) {
    std::fprintf(stderr, "log_bench_redis: append: %s\n", c->errstr);
    std::exit(1);
  }
}

// Reads one XADD reply; false on a connection error (fatal).
bool read_ack(redisContext* c) {
  void* r = nullptr;
  if (redisGetReply(c, &r) != REDIS_OK || !r) {
    std::fprintf(stderr, "log_bench_redis: reply: %s\n", c->errstr);
    return false;
  }
  auto* reply = static_cast<redisReply*>(r);
  if (reply->type != REDIS_REPLY_STRING && failed++ < 5)
    std::fprintf(stderr, "log_bench_redis: XADD: %s\n",
                 reply->type == REDIS_REPLY_ERROR ? reply->str : "unexpected reply");
  freeReplyObject(reply);
  return true;
}

int throughput(const Options& o) {
  redisContext* c = connect(o);
  std::vector<char> payload = log_bench::make_payload(o);
  std::uint64_t start = log_bench::now_ns();
  std::uint64_t stop = start + std::uint64_t(o.seconds * 1e9);
  long sent = 0, replies = 0;
  while (sent < o.count) {
    if ((sent & 1023) == 0 && log_bench::now_ns() > stop) break;
    log_bench::stamp(payload, std::uint64_t(sent));
    append_xadd(c, o, payload);
    ++sent;
    // redisGetReply writes everything appended, then reads: keep the window full.
    if (sent - replies >= o.window) {
      if (!read_ack(c)) std::exit(1);
      ++replies;
    }
  }
  while (replies < sent) {
    if (!read_ack(c)) return 1;
    ++replies;
  }
  double elapsed = double(log_bench::now_ns() - start) / 1e9;
  redisFree(c);
  log_bench::print_throughput("redis", o, replies - failed, failed, elapsed);
  return failed == 0 ? 0 : 1;
}

int latency(const Options& o) {
  const long total = log_bench::latency_total(o);
  const long warmup = log_bench::latency_warmup(o);
  std::vector<std::uint64_t> samples;
  samples.reserve(std::size_t(total));
  std::vector<char> seen(std::size_t(total), 0);
  long consume_errors = 0;
  std::atomic<bool> ready{false};
  std::thread consumer([&] {
    redisContext* c = connect(o);
    std::string last = "0-0";
    long received = 0;
    std::uint64_t deadline = log_bench::now_ns() + std::uint64_t((o.seconds + 20) * 1e9);
    ready = true;
    while (received < total && log_bench::now_ns() < deadline) {
      auto* reply = static_cast<redisReply*>(redisCommand(
          c, "XREAD BLOCK 1000 COUNT 1000 STREAMS %s %s", o.name.c_str(), last.c_str()));
      std::uint64_t now = log_bench::now_ns();
      if (!reply) {
        std::fprintf(stderr, "log_bench_redis: XREAD: %s\n", c->errstr);
        ++consume_errors;
        break;
      }
      // [[key, [[id, [field, value]], ...]]] or nil on timeout.
      if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 1) {
        redisReply* entries = reply->element[0]->element[1];
        for (std::size_t i = 0; i < entries->elements; ++i) {
          redisReply* e = entries->element[i];
          last.assign(e->element[0]->str, e->element[0]->len);
          redisReply* fields = e->element[1];
          if (fields->elements < 2) continue;
          std::uint64_t sent, seq;
          log_bench::read_stamp(fields->element[1]->str, fields->element[1]->len, sent, seq);
          if (seq < std::uint64_t(total) && !seen[seq]) {
            seen[seq] = 1;
            ++received;
            if (long(seq) >= warmup) samples.push_back(now - sent);
          }
        }
      } else if (reply->type == REDIS_REPLY_ERROR) {
        std::fprintf(stderr, "log_bench_redis: XREAD: %s\n", reply->str);
        ++consume_errors;
      }
      freeReplyObject(reply);
    }
    redisFree(c);
  });
  while (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // The consumer reads from id 0-0, so it misses nothing even if its first XREAD comes late.
  redisContext* c = connect(o);
  std::vector<char> payload = log_bench::make_payload(o);
  std::uint64_t start = log_bench::now_ns();
  const double period_ns = 1e9 / o.rate;
  long sent = 0;
  while (sent < total) {
    std::uint64_t due = start + std::uint64_t(double(sent) * period_ns);
    if (log_bench::now_ns() < due) log_bench::sleep_until_ns(due);
    // Send every record now due in one pipeline, then read their replies.
    long batch = 0;
    std::uint64_t now = log_bench::now_ns();
    while (sent + batch < total && start + std::uint64_t(double(sent + batch) * period_ns) <= now) {
      log_bench::stamp(payload, std::uint64_t(sent + batch));
      append_xadd(c, o, payload);
      ++batch;
    }
    for (long i = 0; i < batch; ++i)
      if (!read_ack(c)) std::exit(1);
    sent += batch;
  }
  redisFree(c);
  consumer.join();
  log_bench::print_latency("redis", o, std::move(samples), total - warmup, failed + consume_errors);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = log_bench::parse_options(argc, argv);
  return o.mode == "throughput" ? throughput(o) : latency(o);
}
