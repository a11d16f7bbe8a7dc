// The coordinator's state: groups, their members, and the responses waiting for a rebalance.
// Private to kafka_groups_*.cpp.
//
// A rebalance, as Kafka's classic coordinator runs it: a join (or a leave, or a timeout) moves
// the group to PreparingRebalance; every member must send JoinGroup again; when all have (or
// the rebalance timeout passes, removing those that did not) the generation goes up, a protocol
// is chosen, and every waiting JoinGroup is answered (the leader's with everyone's metadata).
// The group then awaits the leader's SyncGroup (CompletingRebalance), whose assignments answer
// every member's SyncGroup, and is Stable until the next join, leave or timeout.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kafka_groups.h"
#include "kafka_groups_codec.h"

namespace hallows::log::kafka {

using Clock = std::chrono::steady_clock;

// Kafka's group.initial.rebalance.delay.ms default.
constexpr std::chrono::milliseconds kInitialRebalanceDelay{3000};

enum class GroupState { empty, preparing_rebalance, completing_rebalance, stable, dead };
const char* to_string(GroupState s) noexcept;

// A response that cannot be sent yet: the callback and the connection it answers on.
struct Waiter {
  std::uint64_t connection = 0;
  std::int16_t version = 0;
  GroupCoordinator::Done done;
  explicit operator bool() const noexcept { return static_cast<bool>(done); }
};

struct Member {
  std::string id;
  std::optional<std::string> group_instance_id;  // accepted, treated as a dynamic member
  std::string protocol_type;
  std::vector<groups::JoinProtocol> protocols;
  std::chrono::milliseconds session_timeout{0};
  std::chrono::milliseconds rebalance_timeout{0};
  Clock::time_point last_seen;  // the last join, sync, heartbeat or commit
  bool rejoined = false;        // sent JoinGroup during the current rebalance
  Waiter join;                  // a JoinGroup waiting for the rebalance to complete
  Waiter sync;                  // a SyncGroup waiting for the leader's assignments
  groups::Bytes assignment;     // this generation's, from the leader's SyncGroup
};

struct Group {
  std::string id;
  GroupState state = GroupState::empty;
  std::int32_t generation = 0;
  std::string protocol_type;
  std::string protocol;  // chosen at the end of each rebalance
  std::string leader;
  std::vector<Member> members;  // in joining order (the first is the leader by default)
  // Member ids handed out with MEMBER_ID_REQUIRED, waiting for the second JoinGroup; each
  // expires after the session timeout of the join that asked for it.
  std::map<std::string, Clock::time_point, std::less<>> pending;
  Clock::time_point rebalance_deadline;
  // Kafka's initial rebalance delay: an Empty group waits before its first generation so that
  // members starting together land in one generation; each new join extends the wait.
  bool initial_delay = false;
  bool new_member_added = false;
  std::chrono::milliseconds initial_remaining{0};

  Member* find(std::string_view member_id);
};

struct GroupCoordinator::State {
  Log& log;
  int node_id;
  std::string host;
  int port;
  std::vector<std::string> reserved_groups;
  std::function<void(std::string_view)> report;

  Clock::time_point now = Clock::now();
  std::map<std::string, Group, std::less<>> groups;
  std::set<std::uint64_t> reserved_reported;  // connections told once about a reserved group
  std::uint64_t next_id = 0;

  struct Outgoing {
    std::uint64_t connection;
    Done done;
    groups::Bytes body;
  };
  std::deque<Outgoing> outbox;  // sent after each entry point, once state is consistent
  bool flushing = false;

  State(Log& l, int node, std::string h, int p, std::vector<std::string> reserved,
        std::function<void(std::string_view)> r)
      : log(l),
        node_id(node),
        host(std::move(h)),
        port(p),
        reserved_groups(std::move(reserved)),
        report(std::move(r)) {}

  void send(std::uint64_t connection, Done done, groups::Bytes body) {
    outbox.push_back({connection, std::move(done), std::move(body)});
  }
  void send(Waiter& w, groups::Bytes body) {
    if (w) send(w.connection, std::move(w.done), std::move(body));
    w = Waiter{};
  }
  void flush();
  void say(const std::string& line) {
    if (report) report(line);
  }
  bool is_reserved(std::string_view group, std::uint64_t connection, std::string_view api);
  std::string new_member_id();

  // kafka_groups_membership.cpp
  void join_group(std::uint64_t connection, std::int16_t version, groups::JoinGroupRequest q,
                  Done done);
  void sync_group(std::uint64_t connection, std::int16_t version, groups::SyncGroupRequest q,
                  Done done);
  std::int16_t heartbeat(const groups::HeartbeatRequest& q);
  std::int16_t leave_group(const groups::LeaveGroupRequest& q);
  void expire(Group& g);  // sessions, pending member ids and rebalance deadlines (tick)

  // kafka_groups_rebalance.cpp
  // Starts a rebalance; `joiner_timeout` is the rebalance timeout of a member about to be
  // added (the deadline is the longest of the members' timeouts).
  void prepare_rebalance(Group& g, std::chrono::milliseconds joiner_timeout = {});
  void try_complete_join(Group& g);
  void complete_join(Group& g);
  void remove_member(Group& g, std::string_view member_id);
  groups::JoinGroupResponse join_response(const Group& g, const Member& m) const;

  // kafka_groups_offsets.cpp
  groups::OffsetCommitResponse offset_commit(const groups::OffsetCommitRequest& q,
                                             std::uint64_t connection);
  groups::OffsetFetchResponse offset_fetch(const groups::OffsetFetchRequest& q);
};

}  // namespace hallows::log::kafka
