// log_bench_kafka: the log_bench workloads (see log_bench.h) through librdkafka against any
// Kafka-protocol broker, here slytherin_host. Producer: acks=all, enable.idempotence=false,
// linger.ms from --linger-ms, socket.nagle.disable (TCP_NODELAY, which the NATS and Redis clients
// set by default), every other batching setting at librdkafka's defaults. Consumer
// (latency): partition 0 of the topic assigned from the beginning, librdkafka's default fetch
// settings (fetch.wait.max.ms 500, fetch.min.bytes 1: a broker must answer a waiting Fetch as
// soon as data arrives for the latency to be low).
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "log_bench.h"

namespace {

using log_bench::Options;

std::atomic<long> acked{0};
std::atomic<long> failed{0};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  if (m->err) {
    if (failed.fetch_add(1) < 5)
      std::fprintf(stderr, "log_bench_kafka: delivery failed: %s\n", rd_kafka_err2str(m->err));
  } else {
    acked.fetch_add(1, std::memory_order_relaxed);
  }
}

void set(rd_kafka_conf_t* conf, const char* name, const std::string& value) {
  char err[512];
  if (rd_kafka_conf_set(conf, name, value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
    std::fprintf(stderr, "log_bench_kafka: %s=%s: %s\n", name, value.c_str(), err);
    std::exit(2);
  }
}

rd_kafka_t* make_producer(const Options& o) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", o.target);
  set(conf, "acks", "all");
  set(conf, "enable.idempotence", "false");
  set(conf, "linger.ms", std::to_string(o.linger_ms));
  // TCP_NODELAY, as the NATS and Redis clients set on their sockets by default.
  set(conf, "socket.nagle.disable", "true");
  set(conf, "message.timeout.ms", "60000");
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) {
    std::fprintf(stderr, "log_bench_kafka: rd_kafka_new: %s\n", err);
    std::exit(1);
  }
  return rk;
}

// Queues one record, waiting (serving delivery reports) while librdkafka's queue is full.
void produce(rd_kafka_t* rk, const Options& o, const std::vector<char>& payload) {
  for (;;) {
    rd_kafka_resp_err_t e =
        rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(o.name.c_str()), RD_KAFKA_V_PARTITION(0),
                          RD_KAFKA_V_VALUE(const_cast<char*>(payload.data()), payload.size()),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(rk, 1);
      continue;
    }
    if (e) {
      if (failed.fetch_add(1) < 5)
        std::fprintf(stderr, "log_bench_kafka: produce: %s\n", rd_kafka_err2str(e));
    }
    return;
  }
}

void finish(rd_kafka_t* rk) {
  rd_kafka_resp_err_t e = rd_kafka_flush(rk, 60000);
  if (e) std::fprintf(stderr, "log_bench_kafka: flush: %s\n", rd_kafka_err2str(e));
  rd_kafka_destroy(rk);
}

int throughput(const Options& o) {
  rd_kafka_t* rk = make_producer(o);
  std::vector<char> payload = log_bench::make_payload(o);
  std::uint64_t start = log_bench::now_ns();
  std::uint64_t stop = start + std::uint64_t(o.seconds * 1e9);
  for (long i = 0; i < o.count; ++i) {
    if ((i & 1023) == 0 && log_bench::now_ns() > stop) break;
    log_bench::stamp(payload, std::uint64_t(i));
    produce(rk, o, payload);
    rd_kafka_poll(rk, 0);
  }
  rd_kafka_resp_err_t e = rd_kafka_flush(rk, 60000);
  if (e) std::fprintf(stderr, "log_bench_kafka: flush: %s\n", rd_kafka_err2str(e));
  double elapsed = double(log_bench::now_ns() - start) / 1e9;
  rd_kafka_destroy(rk);
  log_bench::print_throughput("slytherin", o, acked.load(), failed.load(), elapsed);
  return failed.load() == 0 ? 0 : 1;
}

int latency(const Options& o) {
  const long total = log_bench::latency_total(o);
  const long warmup = log_bench::latency_warmup(o);
  std::vector<std::uint64_t> samples;
  samples.reserve(std::size_t(total));
  std::vector<char> seen(std::size_t(total), 0);
  std::atomic<bool> ready{false};
  long consume_errors = 0;
  std::thread consumer([&] {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", o.target);
    set(conf, "group.id", "log_bench");  // required by the consumer API; nothing is committed
    set(conf, "enable.auto.commit", "false");
    set(conf, "enable.partition.eof", "true");
    set(conf, "socket.nagle.disable", "true");
    char err[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (!rk) {
      std::fprintf(stderr, "log_bench_kafka: consumer: %s\n", err);
      std::exit(1);
    }
    rd_kafka_poll_set_consumer(rk);
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(list, o.name.c_str(), 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
    if (rd_kafka_assign(rk, list)) std::fprintf(stderr, "log_bench_kafka: assign failed\n");
    rd_kafka_topic_partition_list_destroy(list);
    long received = 0;
    std::uint64_t deadline = log_bench::now_ns() + std::uint64_t((o.seconds + 20) * 1e9);
    while (received < total && log_bench::now_ns() < deadline) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 100);
      if (!m) continue;
      std::uint64_t now = log_bench::now_ns();
      if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        ready = true;  // positioned at the end of the (empty) partition
      } else if (m->err) {
        if (consume_errors++ < 5)
          std::fprintf(stderr, "log_bench_kafka: consume: %s\n", rd_kafka_message_errstr(m));
      } else {
        std::uint64_t sent, seq;
        log_bench::read_stamp(m->payload, m->len, sent, seq);
        if (seq < std::uint64_t(total) && !seen[seq]) {
          seen[seq] = 1;
          ++received;
          if (long(seq) >= warmup) samples.push_back(now - sent);
        }
      }
      rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
  });
  // The producer starts once the consumer has reached the end of the empty partition.
  std::uint64_t wait_until = log_bench::now_ns() + 10'000'000'000u;
  while (!ready && log_bench::now_ns() < wait_until)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!ready) std::fprintf(stderr, "log_bench_kafka: consumer not positioned after 10 s\n");
  rd_kafka_t* rk = make_producer(o);
  std::vector<char> payload = log_bench::make_payload(o);
  std::uint64_t start = log_bench::now_ns();
  const double period_ns = 1e9 / o.rate;
  for (long i = 0; i < total; ++i) {
    std::uint64_t due = start + std::uint64_t(double(i) * period_ns);
    if (log_bench::now_ns() < due) {
      rd_kafka_poll(rk, 0);
      log_bench::sleep_until_ns(due);
    }
    log_bench::stamp(payload, std::uint64_t(i));
    produce(rk, o, payload);
  }
  finish(rk);
  consumer.join();
  log_bench::print_latency("slytherin", o, std::move(samples), total - warmup,
                           failed.load() + consume_errors);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = log_bench::parse_options(argc, argv);
  return o.mode == "throughput" ? throughput(o) : latency(o);
}
