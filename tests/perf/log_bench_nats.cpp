// log_bench_nats: the log_bench workloads (see log_bench.h) against NATS JetStream with file
// storage, through libnats. The program creates the stream (--name, subject "<name>.data",
// file storage) on a server started with `nats-server -js -sd DIR`. Producer: js_PublishAsync
// with at most --window acknowledgements outstanding (PublishAsync.MaxPending); a record counts
// once its PubAck arrives. Consumer (latency): an ephemeral push consumer with AckNone,
// delivering the stream from its start.
#include <nats/nats.h>

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

void on_ack(jsCtx*, natsMsg* msg, jsPubAck* pa, jsPubAckErr* pae, void*) {
  if (pa) {
    acked.fetch_add(1, std::memory_order_relaxed);
  } else if (failed.fetch_add(1) < 5) {
    std::fprintf(stderr, "log_bench_nats: publish failed: %s\n",
                 pae ? (pae->ErrText ? pae->ErrText : natsStatus_GetText(pae->Err)) : "?");
  }
  natsMsg_Destroy(msg);
}

void check(natsStatus s, const char* what) {
  if (s != NATS_OK) {
    std::fprintf(stderr, "log_bench_nats: %s: %s\n", what, natsStatus_GetText(s));
    nats_PrintLastErrorStack(stderr);
    std::exit(1);
  }
}

struct Client {
  natsConnection* nc = nullptr;
  jsCtx* js = nullptr;
  std::string subject;
};

Client connect(const Options& o) {
  Client c;
  c.subject = o.name + ".data";
  std::string url = "nats://" + o.target;
  check(natsConnection_ConnectTo(&c.nc, url.c_str()), "connect");
  jsOptions jo;
  jsOptions_Init(&jo);
  jo.PublishAsync.MaxPending = o.window;
  jo.PublishAsync.AckHandler = on_ack;
  check(natsConnection_JetStream(&c.js, c.nc, &jo), "JetStream context");
  jsStreamConfig sc;
  jsStreamConfig_Init(&sc);
  sc.Name = o.name.c_str();
  const char* subjects[] = {c.subject.c_str()};
  sc.Subjects = subjects;
  sc.SubjectsLen = 1;
  sc.Storage = js_FileStorage;
  jsStreamInfo* si = nullptr;
  jsErrCode jerr = jsErrCode(0);
  check(js_AddStream(&si, c.js, &sc, nullptr, &jerr), "add stream");
  jsStreamInfo_Destroy(si);
  return c;
}

void close(Client& c) {
  jsCtx_Destroy(c.js);
  natsConnection_Destroy(c.nc);
}

void publish(Client& c, const std::vector<char>& payload) {
  natsStatus s =
      js_PublishAsync(c.js, c.subject.c_str(), payload.data(), int(payload.size()), nullptr);
  if (s != NATS_OK && failed.fetch_add(1) < 5)
    std::fprintf(stderr, "log_bench_nats: publish: %s\n", natsStatus_GetText(s));
}

void complete(Client& c) {
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MaxWait = 60000;
  natsStatus s = js_PublishAsyncComplete(c.js, &po);
  if (s != NATS_OK)
    std::fprintf(stderr, "log_bench_nats: waiting for acks: %s\n", natsStatus_GetText(s));
}

int throughput(const Options& o) {
  Client c = connect(o);
  std::vector<char> payload = log_bench::make_payload(o);
  std::uint64_t start = log_bench::now_ns();
  std::uint64_t stop = start + std::uint64_t(o.seconds * 1e9);
  for (long i = 0; i < o.count; ++i) {
    if ((i & 1023) == 0 && log_bench::now_ns() > stop) break;
    log_bench::stamp(payload, std::uint64_t(i));
    publish(c, payload);
  }
  complete(c);
  double elapsed = double(log_bench::now_ns() - start) / 1e9;
  close(c);
  log_bench::print_throughput("nats", o, acked.load(), failed.load(), elapsed);
  return failed.load() == 0 ? 0 : 1;
}

struct Received {
  long total, warmup;
  std::vector<std::uint64_t> samples;
  std::vector<char> seen;
  std::atomic<long> count{0};
};

void on_message(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
  std::uint64_t now = log_bench::now_ns();
  auto* r = static_cast<Received*>(closure);
  std::uint64_t sent, seq;
  log_bench::read_stamp(natsMsg_GetData(msg), std::size_t(natsMsg_GetDataLength(msg)), sent, seq);
  if (seq < std::uint64_t(r->total) && !r->seen[seq]) {
    r->seen[seq] = 1;
    if (long(seq) >= r->warmup) r->samples.push_back(now - sent);
    r->count.fetch_add(1, std::memory_order_release);
  }
  natsMsg_Destroy(msg);
}

int latency(const Options& o) {
  Client c = connect(o);
  Received r;
  r.total = log_bench::latency_total(o);
  r.warmup = log_bench::latency_warmup(o);
  r.samples.reserve(std::size_t(r.total));
  r.seen.assign(std::size_t(r.total), 0);
  // A second connection for the consumer, as a separate consumer process would have; its
  // callbacks run on libnats' own delivery thread.
  Client cc;
  cc.subject = c.subject;
  std::string url = "nats://" + o.target;
  check(natsConnection_ConnectTo(&cc.nc, url.c_str()), "connect consumer");
  check(natsConnection_JetStream(&cc.js, cc.nc, nullptr), "consumer JetStream context");
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Config.AckPolicy = js_AckNone;
  so.Config.DeliverPolicy = js_DeliverAll;
  natsSubscription* sub = nullptr;
  jsErrCode jerr = jsErrCode(0);
  check(js_Subscribe(&sub, cc.js, cc.subject.c_str(), on_message, &r, nullptr, &so, &jerr),
        "subscribe");
  check(natsSubscription_SetPendingLimits(sub, -1, -1), "pending limits");

  std::vector<char> payload = log_bench::make_payload(o);
  std::uint64_t start = log_bench::now_ns();
  const double period_ns = 1e9 / o.rate;
  for (long i = 0; i < r.total; ++i) {
    std::uint64_t due = start + std::uint64_t(double(i) * period_ns);
    if (log_bench::now_ns() < due) log_bench::sleep_until_ns(due);
    log_bench::stamp(payload, std::uint64_t(i));
    publish(c, payload);
  }
  complete(c);
  std::uint64_t deadline = log_bench::now_ns() + 20'000'000'000u;
  while (r.count.load(std::memory_order_acquire) < r.total && log_bench::now_ns() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // Drained, the subscription calls on_message no more: r is ours again.
  if (natsSubscription_Drain(sub) == NATS_OK) natsSubscription_WaitForDrainCompletion(sub, 5000);
  natsSubscription_Destroy(sub);
  close(cc);
  close(c);
  log_bench::print_latency("nats", o, std::move(r.samples), r.total - r.warmup, failed.load());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = log_bench::parse_options(argc, argv);
  int rc = o.mode == "throughput" ? throughput(o) : latency(o);
  nats_Close();
  return rc;
}
