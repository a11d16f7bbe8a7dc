// The Kafka-protocol broker: serves a Log to any Kafka client (kcat, librdkafka, ...) on one
// listening socket. One event-loop thread (epoll) handles every connection; responses on a
// connection go back in request order; Produce with acks waits for the partition's durability
// point; Fetch long-polls (max_wait_ms, min_bytes) and sends record bytes with sendfile().
// Consumer groups (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit,
// OffsetFetch) are coordinated here, offsets kept durably by the Log. See docs/slytherin-kafka.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hallows/log/log.h"

namespace hallows::log {

struct BrokerConfig {
  std::string host = "127.0.0.1";
  int port = 9092;  // 0 picks a free port (see Broker::port())
  // The address Metadata advertises; empty means host.
  std::string advertised_host;
  int node_id = 0;
  // Topics no .pt file declares: created as untyped byte topics on first use when true.
  bool auto_create_topics = true;
  int auto_create_partitions = 1;
  std::size_t max_request_bytes = 100u
                                  << 20;  // larger frames are refused and the connection closed
  std::size_t max_connections = 1024;
  std::chrono::milliseconds idle_timeout{600000};    // connections silent this long are closed
  std::chrono::milliseconds request_timeout{30000};  // a frame must arrive whole within this
  // Responses queued for one connection (bytes) before the broker stops reading its requests;
  // a client that then reads nothing for request_timeout is cut off.
  std::size_t max_queued_response_bytes = 64u << 20;
  // Groups used by the program's own consumers: Kafka clients may not join them.
  std::vector<std::string> reserved_groups;
  // Report lines (listening, refused frames, cut-off clients, rebalances), one per call.
  std::function<void(std::string_view)> report;
};

class Broker {
 public:
  Broker(Log& log, BrokerConfig config);
  ~Broker();  // stops
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  // Binds, listens and starts the event-loop thread. Returns an error message (empty on
  // success), for example when the port is taken.
  std::string start();
  // Stops accepting, answers nothing more, closes every connection, joins the thread.
  void stop();
  int port() const noexcept;  // the bound port (after start)

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hallows::log
