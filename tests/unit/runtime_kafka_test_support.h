// Shared by runtime_kafka_*_test.cpp (the broker's tests): a temp directory, a Log plus Broker
// on port 0, a blocking loopback client with timeouts, and request encoders written here
// independently of the broker's decoders (from Kafka's message schemas).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "hallows/log/broker.h"
#include "hallows/log/kafka_wire.h"
#include "hallows/log/log.h"
#include "hallows/log/record_batch.h"

namespace kafka_test {

using Bytes = std::vector<std::byte>;
using hallows::log::wire::Reader;
using hallows::log::wire::Writer;
using namespace std::chrono_literals;

inline Bytes bytes_of(std::string_view s) {
  Bytes b;
  for (char c : s) b.push_back(static_cast<std::byte>(c));
  return b;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kafka-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Report lines from the log and the broker, collected for assertions.
class Reports {
 public:
  std::function<void(std::string_view)> sink() {
    return [this](std::string_view line) {
      std::lock_guard lock(mutex_);
      lines_.emplace_back(line);
      cv_.notify_all();
    };
  }
  // Waits up to `timeout` for a line containing `part`.
  bool wait_for(std::string_view part, std::chrono::milliseconds timeout = 5000ms) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] {
      for (const auto& l : lines_)
        if (l.find(part) != std::string::npos) return true;
      return false;
    });
  }
  std::string all() {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& l : lines_) out += l + "\n";
    return out;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
};

// A Log in a temp dir with topics, and a started Broker on 127.0.0.1, port 0.
struct BrokerFixture {
  explicit BrokerFixture(std::vector<hallows::log::TopicConfig> topics,
                         std::function<void(hallows::log::BrokerConfig&)> tweak = {}) {
    hallows::log::LogConfig lc;
    lc.data_dir = dir.path() + "/data";
    lc.report = reports.sink();
    log = std::make_unique<hallows::log::Log>(lc);
    for (auto& t : topics) {
      auto err = log->add_topic(std::move(t));
      if (!err.empty()) throw std::runtime_error(err);
    }
    hallows::log::BrokerConfig bc;
    bc.port = 0;
    bc.report = reports.sink();
    if (tweak) tweak(bc);
    broker = std::make_unique<hallows::log::Broker>(*log, bc);
    if (auto err = log->open(); !err.empty()) throw std::runtime_error(err);
    if (auto err = broker->start(); !err.empty()) throw std::runtime_error(err);
  }
  ~BrokerFixture() {
    broker->stop();
    broker.reset();
    log->close();
  }
  int port() const { return broker->port(); }

  TempDir dir;
  Reports reports;
  std::unique_ptr<hallows::log::Log> log;
  std::unique_ptr<hallows::log::Broker> broker;
};

inline hallows::log::TopicConfig topic(std::string name, int partitions,
                                       hallows::log::Durability d) {
  hallows::log::TopicConfig t;
  t.name = std::move(name);
  t.partitions = partitions;
  t.durability = d;
  t.fsync_max_delay = 2ms;
  return t;
}

// A blocking client: every read waits at most `timeout`.
class Client {
 public:
  explicit Client(int port, std::chrono::milliseconds timeout = 5000ms) : timeout_(timeout) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("connect failed");
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void send_raw(std::span<const std::byte> bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      sent += static_cast<std::size_t>(n);
    }
  }
  // A whole frame: size | header v1 (or v2 when flexible) | body.
  static Bytes frame(std::int16_t key, std::int16_t version, std::int32_t correlation_id,
                     std::span<const std::byte> body, bool flexible_header = false) {
    Bytes out;
    Writer w(out);
    auto at = w.reserve_i32();
    w.i16(key);
    w.i16(version);
    w.i32(correlation_id);
    w.nullable_string("kafka-test");
    if (flexible_header) w.empty_tagged_fields();
    w.raw(body.data(), body.size());
    w.patch_i32(at, static_cast<std::int32_t>(out.size() - 4));
    return out;
  }
  void send(std::int16_t key, std::int16_t version, std::int32_t correlation_id,
            std::span<const std::byte> body, bool flexible_header = false) {
    auto f = frame(key, version, correlation_id, body, flexible_header);
    send_raw(f);
  }
  // The next response frame (after its size), or nullopt on EOF or timeout.
  std::optional<Bytes> receive() {
    Bytes size_bytes(4);
    if (!read_exact(size_bytes)) return std::nullopt;
    Reader r(size_bytes);
    auto size = r.i32();
    if (size < 0) return std::nullopt;
    Bytes body(static_cast<std::size_t>(size));
    if (!read_exact(body)) return std::nullopt;
    return body;
  }
  // True when the broker closed the connection (EOF) within the timeout.
  bool closed_by_peer() {
    std::byte b;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout_.count())) <= 0) return false;
    auto n = ::recv(fd_, &b, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }
  int fd() const { return fd_; }

 private:
  bool read_exact(Bytes& out) {
    std::size_t got = 0;
    auto deadline = std::chrono::steady_clock::now() + timeout_;
    while (got < out.size()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
      auto n = ::recv(fd_, out.data() + got, out.size() - got, 0);
      if (n <= 0) return false;
      got += static_cast<std::size_t>(n);
    }
    return true;
  }

  int fd_ = -1;
  std::chrono::milliseconds timeout_;
};

// ---- request bodies, encoded from the schemas ----

inline Bytes metadata_request(std::int16_t version, std::optional<std::vector<std::string>> topics,
                              bool allow_auto_create = true) {
  Bytes out;
  Writer w(out);
  if (!topics) {
    w.array_length(version == 0 ? 0 : -1);
  } else {
    w.array_length(static_cast<std::int32_t>(topics->size()));
    for (const auto& t : *topics) w.string(t);
  }
  if (version >= 4) w.boolean(allow_auto_create);
  return out;
}

inline Bytes produce_request(std::int16_t acks, std::int32_t timeout_ms, std::string_view topic,
                             std::int32_t partition,
                             std::optional<std::span<const std::byte>> records) {
  Bytes out;
  Writer w(out);
  w.nullable_string(std::nullopt);  // transactional_id
  w.i16(acks);
  w.i32(timeout_ms);
  w.array_length(1);
  w.string(topic);
  w.array_length(1);
  w.i32(partition);
  w.nullable_bytes(records);
  return out;
}

struct FetchArgs {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::int32_t max_wait_ms = 0;
  std::int32_t min_bytes = 1;
  std::int32_t max_bytes = 1 << 20;
  std::int32_t partition_max_bytes = 1 << 20;
  std::int32_t session_id = 0;
  std::int32_t session_epoch = -1;
};

inline Bytes fetch_request(std::int16_t version, const FetchArgs& a) {
  Bytes out;
  Writer w(out);
  w.i32(-1);  // replica_id
  w.i32(a.max_wait_ms);
  w.i32(a.min_bytes);
  w.i32(a.max_bytes);
  w.i8(0);  // isolation_level
  if (version >= 7) {
    w.i32(a.session_id);
    w.i32(a.session_epoch);
  }
  w.array_length(1);
  w.string(a.topic);
  w.array_length(1);
  w.i32(a.partition);
  if (version >= 9) w.i32(-1);  // current_leader_epoch
  w.i64(a.offset);
  if (version >= 5) w.i64(-1);  // log_start_offset
  w.i32(a.partition_max_bytes);
  if (version >= 7) w.array_length(0);  // forgotten_topics_data
  if (version >= 11) w.string("");      // rack_id
  return out;
}

inline Bytes list_offsets_request(std::int16_t version, std::string_view topic,
                                  std::int32_t partition, std::int64_t timestamp) {
  Bytes out;
  Writer w(out);
  w.i32(-1);
  if (version >= 2) w.i8(0);
  w.array_length(1);
  w.string(topic);
  w.array_length(1);
  w.i32(partition);
  w.i64(timestamp);
  if (version == 0) w.i32(1);
  return out;
}

// ---- response decoding (after the correlation id) ----

struct FetchedPartition {
  std::int32_t partition = 0;
  std::int16_t error = 0;
  std::int64_t high_watermark = 0, last_stable = 0, log_start = -1;
  Bytes records;
};
struct Fetched {
  std::int16_t error = 0;
  std::int32_t session_id = 0;
  std::vector<std::pair<std::string, std::vector<FetchedPartition>>> topics;
  bool ok = false;  // decoded whole, nothing left over
};

inline Fetched decode_fetch_response(std::span<const std::byte> body, std::int16_t version) {
  Fetched f;
  Reader r(body);
  r.i32();  // throttle
  if (version >= 7) {
    f.error = r.i16();
    f.session_id = r.i32();
  }
  auto topics = r.array_length();
  for (std::int32_t t = 0; t < topics && !r.failed(); ++t) {
    std::string name(r.string());
    std::vector<FetchedPartition> parts;
    auto n = r.array_length();
    for (std::int32_t p = 0; p < n && !r.failed(); ++p) {
      FetchedPartition fp;
      fp.partition = r.i32();
      fp.error = r.i16();
      fp.high_watermark = r.i64();
      fp.last_stable = r.i64();
      if (version >= 5) fp.log_start = r.i64();
      auto aborted = r.array_length(16);
      for (std::int32_t a = 0; a < aborted; ++a) r.bytes(16);
      if (version >= 11) r.i32();
      auto rec = r.nullable_bytes();
      if (rec) fp.records.assign(rec->begin(), rec->end());
      parts.push_back(std::move(fp));
    }
    f.topics.emplace_back(std::move(name), std::move(parts));
  }
  f.ok = !r.failed() && r.remaining() == 0;
  return f;
}

inline std::int32_t correlation_of(const Bytes& response) {
  Reader r(response);
  return r.i32();
}
inline std::span<const std::byte> body_of(const Bytes& response) {
  return std::span<const std::byte>(response).subspan(4);
}

// One uncompressed batch of `n` records "value-<i>" with keys "key-<i>".
inline Bytes make_batch(int n, std::string_view prefix = "value-",
                        std::int64_t ts = 1700000000000) {
  hallows::log::BatchBuilder b(ts);
  for (int i = 0; i < n; ++i) {
    auto key = bytes_of("key-" + std::to_string(i));
    auto value = bytes_of(std::string(prefix) + std::to_string(i));
    b.add(std::span<const std::byte>(key), std::span<const std::byte>(value), ts + i);
  }
  return b.finish();
}

}  // namespace kafka_test
