// GroupCoordinator's front door: decodes each request, hands it to the group state machine
// (kafka_groups_membership.cpp, kafka_groups_rebalance.cpp) or the offset store
// (kafka_groups_offsets.cpp), and sends the responses once the state is consistent.
#include "kafka_groups.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "kafka_groups_codec.h"
#include "kafka_groups_state.h"

namespace hallows::log::kafka {

using namespace groups;

const char* to_string(GroupState s) noexcept {
  switch (s) {
    case GroupState::empty:
      return "Empty";
    case GroupState::preparing_rebalance:
      return "PreparingRebalance";
    case GroupState::completing_rebalance:
      return "CompletingRebalance";
    case GroupState::stable:
      return "Stable";
    case GroupState::dead:
      return "Dead";
  }
  return "?";
}

Member* Group::find(std::string_view member_id) {
  for (auto& m : members)
    if (m.id == member_id) return &m;
  return nullptr;
}

GroupCoordinator::GroupCoordinator(Log& log, int node_id, std::string host, int port,
                                   std::vector<std::string> reserved_groups,
                                   std::function<void(std::string_view)> report)
    : state_(std::make_unique<State>(log, node_id, std::move(host), port,
                                     std::move(reserved_groups), std::move(report))) {}

GroupCoordinator::~GroupCoordinator() = default;

bool GroupCoordinator::handles(std::int16_t api_key) {
  return max_version(api_key) >= 0;
}

void GroupCoordinator::handle(std::uint64_t connection_id, std::int16_t api_key,
                              std::int16_t api_version, std::span<const std::byte> body,
                              Done done) {
  auto& s = *state_;
  // Every decode happens before any state changes, so a throw leaves the groups untouched.
  switch (api_key) {
    case api::kFindCoordinator: {
      auto q = decode_find_coordinator(body, api_version);
      FindCoordinatorResponse r;
      if (q.key_type == 0) {
        r.node_id = s.node_id;
        r.host = s.host;
        r.port = s.port;
      } else {
        // Transactions have no coordinator here; other key types do not exist.
        r.error = q.key_type == 1 ? error::kCoordinatorNotAvailable : error::kInvalidRequest;
        r.error_message = q.key_type == 1 ? "transactions are not supported by this broker"
                                          : "unknown coordinator key type";
        r.host = "";
      }
      s.send(connection_id, std::move(done), encode(r, api_version));
      break;
    }
    case api::kJoinGroup:
      s.join_group(connection_id, api_version, decode_join_group(body, api_version),
                   std::move(done));
      break;
    case api::kSyncGroup:
      s.sync_group(connection_id, api_version, decode_sync_group(body, api_version),
                   std::move(done));
      break;
    case api::kHeartbeat: {
      auto q = decode_heartbeat(body, api_version);
      auto err = s.is_reserved(q.group_id, connection_id, "Heartbeat") ? error::kInvalidGroupId
                                                                       : s.heartbeat(q);
      s.send(connection_id, std::move(done), encode_error_only(err, api_version >= 1));
      break;
    }
    case api::kLeaveGroup: {
      auto q = decode_leave_group(body, api_version);
      auto err = s.is_reserved(q.group_id, connection_id, "LeaveGroup") ? error::kInvalidGroupId
                                                                        : s.leave_group(q);
      s.send(connection_id, std::move(done), encode_error_only(err, api_version >= 1));
      break;
    }
    case api::kOffsetCommit: {
      auto q = decode_offset_commit(body, api_version);
      s.send(connection_id, std::move(done),
             encode(s.offset_commit(q, connection_id), api_version));
      break;
    }
    case api::kOffsetFetch: {
      auto q = decode_offset_fetch(body, api_version);
      s.send(connection_id, std::move(done), encode(s.offset_fetch(q), api_version));
      break;
    }
    default:
      throw std::runtime_error("api key " + std::to_string(api_key) +
                               " is not a consumer-group request");
  }
  s.flush();
}

void GroupCoordinator::tick(std::chrono::steady_clock::time_point now) {
  auto& s = *state_;
  s.now = std::max(s.now, now);
  for (auto it = s.groups.begin(); it != s.groups.end();) {
    s.expire(it->second);
    // An Empty group with no one waiting for a member id holds nothing worth keeping (its
    // offsets live in the Log): Kafka marks it Dead and forgets it.
    auto& g = it->second;
    if (g.state == GroupState::empty && g.members.empty() && g.pending.empty()) {
      g.state = GroupState::dead;
      it = s.groups.erase(it);
    } else {
      ++it;
    }
  }
  s.flush();
}

void GroupCoordinator::connection_closed(std::uint64_t connection_id) {
  auto& s = *state_;
  // The members stay (Kafka does not tie a member to a connection); they rejoin on a new
  // connection or expire by their session timeout.
  for (auto& [id, g] : s.groups) {
    for (auto& m : g.members) {
      if (m.join && m.join.connection == connection_id) m.join = Waiter{};
      if (m.sync && m.sync.connection == connection_id) m.sync = Waiter{};
    }
  }
  std::erase_if(s.outbox, [&](const State::Outgoing& o) { return o.connection == connection_id; });
  s.reserved_reported.erase(connection_id);
}

void GroupCoordinator::State::flush() {
  // A Done may re-enter handle() (the broker may process the next request of that connection
  // at once); the outer flush then sends what the inner call queued, in order.
  if (flushing) return;
  flushing = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{flushing};
  while (!outbox.empty()) {
    auto o = std::move(outbox.front());
    outbox.pop_front();
    o.done(std::move(o.body));
  }
}

bool GroupCoordinator::State::is_reserved(std::string_view group, std::uint64_t connection,
                                          std::string_view api) {
  if (std::find(reserved_groups.begin(), reserved_groups.end(), group) == reserved_groups.end())
    return false;
  if (reserved_reported.insert(connection).second)
    say("slytherin: connection " + std::to_string(connection) + ": " + std::string(api) +
        " on group " + std::string(group) +
        " refused (INVALID_GROUP_ID): the group is reserved for the program's own consumers");
  return true;
}

std::string GroupCoordinator::State::new_member_id() {
  // Kafka's member ids are client-id "-" UUID; the broker does not pass the client id here, so
  // ours are "member-" and a random UUID-shaped string (unique within this coordinator).
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  auto a = rng(), b = rng() ^ ++next_id;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xffff),
                static_cast<unsigned>(b >> 48),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return std::string("member-") + buf;
}

}  // namespace hallows::log::kafka
