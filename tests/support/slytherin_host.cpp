// slytherin_host: a Slytherin log served over the Kafka protocol, without a .pt program. For
// the end-to-end tests (kcat, librdkafka clients, the kill -9 crash test) and the benchmarks.
//
//   slytherin_host --data DIR --port N [--host H] [--advertise H]
//                  [--topic NAME:PARTITIONS[:none|batched|every][:MAX_DELAY_MS]]...
//                  [--no-auto-create]
//
// Prints "listening on HOST:PORT" on stdout (flushed) once the broker accepts connections,
// report lines on stderr, and runs until SIGTERM or SIGINT, then stops the broker and closes
// the log (final fsync). Exit status: 0 after a clean stop, 2 on bad arguments, 1 on errors.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "hallows/log/broker.h"
#include "hallows/log/log.h"

namespace {

int usage(const std::string& why) {
  std::cerr << "slytherin_host: " << why << "\n"
            << "usage: slytherin_host --data DIR --port N [--host H] [--advertise H]\n"
            << "       [--topic NAME:PARTITIONS[:none|batched|every][:MAX_DELAY_MS]]... "
               "[--no-auto-create]\n";
  return 2;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string::size_type start = 0;
  for (;;) {
    auto at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

bool parse_int(const std::string& s, long long& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtoll(s.c_str(), &end, 10);
  return end != nullptr && *end == '\0';
}

void report(std::string_view line) {
  std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace hallows::log;
  LogConfig log_config;
  log_config.report = report;
  BrokerConfig broker_config;
  broker_config.report = report;
  std::vector<TopicConfig> topics;
  bool have_data = false;
  bool have_port = false;

  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--data") {
      auto v = value();
      if (v == nullptr) return usage("--data needs a directory");
      log_config.data_dir = v;
      have_data = true;
    } else if (arg == "--port") {
      auto v = value();
      long long port = 0;
      if (v == nullptr || !parse_int(v, port) || port < 0 || port > 65535)
        return usage("--port needs a number from 0 to 65535");
      broker_config.port = static_cast<int>(port);
      have_port = true;
    } else if (arg == "--host") {
      auto v = value();
      if (v == nullptr) return usage("--host needs an address");
      broker_config.host = v;
    } else if (arg == "--advertise") {
      auto v = value();
      if (v == nullptr) return usage("--advertise needs a host name");
      broker_config.advertised_host = v;
    } else if (arg == "--no-auto-create") {
      broker_config.auto_create_topics = false;
    } else if (arg == "--topic") {
      auto v = value();
      if (v == nullptr) return usage("--topic needs NAME:PARTITIONS[:DURABILITY][:MAX_DELAY_MS]");
      auto parts = split(v, ':');
      long long n = 0;
      if (parts.size() < 2 || parts.size() > 4 || parts[0].empty() || !parse_int(parts[1], n) ||
          n < 1 || n > 100000)
        return usage(std::string("bad --topic ") + v);
      TopicConfig topic;
      topic.name = parts[0];
      topic.partitions = static_cast<int>(n);
      if (parts.size() >= 3) {
        if (parts[2] == "none")
          topic.durability = Durability::none;
        else if (parts[2] == "batched")
          topic.durability = Durability::fsync_batched;
        else if (parts[2] == "every")
          topic.durability = Durability::fsync_every_write;
        else
          return usage("durability must be none, batched or every: " + parts[2]);
      }
      if (parts.size() == 4) {
        long long ms = 0;
        if (!parse_int(parts[3], ms) || ms < 0) return usage("bad MAX_DELAY_MS " + parts[3]);
        topic.fsync_max_delay = std::chrono::milliseconds(ms);
      }
      topics.push_back(std::move(topic));
    } else {
      return usage("unknown argument " + arg);
    }
  }
  if (!have_data) return usage("--data is required");
  if (!have_port) return usage("--port is required");

  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // sigwait() below is the only one to take them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Log log(log_config);
  for (auto& topic : topics) {
    auto name = topic.name;
    auto err = log.add_topic(std::move(topic));
    if (!err.empty()) {
      report("slytherin_host: topic " + name + ": " + err);
      return 1;
    }
  }
  // The broker registers its Log listener in its constructor: before open().
  Broker broker(log, broker_config);
  if (auto err = log.open(); !err.empty()) {
    report("slytherin_host: cannot open the log in " + log_config.data_dir + ": " + err);
    return 1;
  }
  if (auto err = broker.start(); !err.empty()) {
    report("slytherin_host: " + err);
    log.close();
    return 1;
  }
  std::printf("listening on %s:%d\n", broker_config.host.c_str(), broker.port());
  std::fflush(stdout);

  int sig = 0;
  sigwait(&stop_signals, &sig);
  report(std::string("slytherin_host: stopping on ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT"));
  broker.stop();
  log.close();
  return 0;
}
