// Kafka consumer groups (the classic protocol) for Slytherin's broker: FindCoordinator,
// JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit and OffsetFetch, at the
// non-flexible versions the broker advertises. The broker owns the sockets and the response
// headers; this class decodes request bodies, runs each group's state machine (Empty,
// PreparingRebalance, CompletingRebalance, Stable, Dead) and encodes response bodies.
// Committed offsets are kept durably by the Log. See docs/slytherin-groups.md.
//
// Threads: every call happens on the broker's event-loop thread; nothing here locks.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hallows/log/log.h"

namespace hallows::log::kafka {

class GroupCoordinator {
 public:
  using Done = std::function<void(std::vector<std::byte> body)>;  // encoded response body (after
                                                                  // the response header)
  // `log` keeps committed offsets and must outlive the coordinator. FindCoordinator answers
  // node_id/host/port. `reserved_groups` belong to the program's own consumers: Kafka clients
  // may read their offsets but not join them or commit to them. `report` gets one line per
  // event worth a log line (rebalances, timeouts, refused reserved groups).
  GroupCoordinator(Log& log, int node_id, std::string host, int port,
                   std::vector<std::string> reserved_groups,
                   std::function<void(std::string_view)> report);
  ~GroupCoordinator();
  GroupCoordinator(const GroupCoordinator&) = delete;
  GroupCoordinator& operator=(const GroupCoordinator&) = delete;

  static bool handles(std::int16_t api_key);  // 8,9,10,11,12,13,14
  // Decodes `body` (the request after its header) at api_version and calls done exactly once,
  // now or later from tick() (JoinGroup/SyncGroup wait for the rebalance), always on the broker
  // thread. A body that does not decode, or a version outside the supported range, throws
  // std::runtime_error (the broker logs it and closes the connection) and done is not called.
  // Answering one request may answer others waiting on other connections (their done runs
  // before handle() returns, after this coordinator's state is consistent).
  void handle(std::uint64_t connection_id, std::int16_t api_key, std::int16_t api_version,
              std::span<const std::byte> body, Done done);
  // Expires sessions and rebalances. Called at least every 100 ms; `now` is also the clock
  // handle() uses (the latest tick's, never moving backwards).
  void tick(std::chrono::steady_clock::time_point now);
  void connection_closed(std::uint64_t connection_id);  // its pending Done callbacks are dropped
                                                        // (never called)

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hallows::log::kafka
