// JoinGroup, SyncGroup, Heartbeat and LeaveGroup, and the timers tick() runs: each decision
// and error code follows Kafka's classic GroupCoordinator.
#include <algorithm>

#include "kafka_groups_codec.h"
#include "kafka_groups_state.h"

namespace hallows::log::kafka {

using namespace groups;
using std::chrono::milliseconds;

namespace {

// Kafka's broker defaults group.min.session.timeout.ms and group.max.session.timeout.ms.
constexpr std::int32_t kMinSessionTimeoutMs = 6000;
constexpr std::int32_t kMaxSessionTimeoutMs = 1800000;

JoinGroupResponse join_error(std::int16_t err, std::string member_id) {
  JoinGroupResponse r;
  r.error = err;
  r.member_id = std::move(member_id);
  return r;
}

// Whether `protocols` can join a group whose other members support `g`'s protocols: the same
// protocol type and at least one protocol every member supports.
bool compatible(const Group& g, std::string_view except_member, const JoinGroupRequest& q) {
  if (q.protocol_type.empty() || q.protocols.empty()) return false;
  bool others = false;
  for (const auto& m : g.members) {
    if (m.id == except_member) continue;
    others = true;
    if (m.protocol_type != q.protocol_type) return false;
  }
  if (!others) return true;
  for (const auto& p : q.protocols) {
    bool everyone = std::all_of(g.members.begin(), g.members.end(), [&](const Member& m) {
      return m.id == except_member ||
             std::any_of(m.protocols.begin(), m.protocols.end(),
                         [&](const JoinProtocol& mp) { return mp.name == p.name; });
    });
    if (everyone) return true;
  }
  return false;
}

// v0 has no rebalance timeout: the session timeout bounds the rebalance.
milliseconds rebalance_timeout(const JoinGroupRequest& q) {
  return milliseconds(q.rebalance_timeout_ms >= 0 ? q.rebalance_timeout_ms : q.session_timeout_ms);
}

void update(Member& m, std::uint64_t connection, std::int16_t version, JoinGroupRequest& q,
            GroupCoordinator::Done done, Clock::time_point now) {
  m.group_instance_id = q.group_instance_id;
  m.protocol_type = q.protocol_type;
  m.protocols = std::move(q.protocols);
  m.session_timeout = milliseconds(q.session_timeout_ms);
  m.rebalance_timeout = rebalance_timeout(q);
  m.last_seen = now;
  m.rejoined = true;
  m.join = Waiter{connection, version, std::move(done)};
}

}  // namespace

void GroupCoordinator::State::join_group(std::uint64_t connection, std::int16_t version,
                                         JoinGroupRequest q, Done done) {
  auto reply = [&](const JoinGroupResponse& r) {
    send(connection, std::move(done), encode(r, version));
  };
  if (q.group_id.empty()) return reply(join_error(error::kInvalidGroupId, q.member_id));
  if (is_reserved(q.group_id, connection, "JoinGroup"))
    return reply(join_error(error::kInvalidGroupId, q.member_id));
  if (q.session_timeout_ms < kMinSessionTimeoutMs || q.session_timeout_ms > kMaxSessionTimeoutMs)
    return reply(join_error(error::kInvalidSessionTimeout, q.member_id));

  auto it = groups.find(q.group_id);
  if (it == groups.end()) {
    // A known member id cannot join a group that does not exist (it expired or we restarted).
    if (!q.member_id.empty()) return reply(join_error(error::kUnknownMemberId, q.member_id));
    it = groups.emplace(q.group_id, Group{}).first;
    it->second.id = q.group_id;
  }
  Group& g = it->second;
  if (g.state == GroupState::dead)
    return reply(join_error(error::kCoordinatorNotAvailable, q.member_id));
  if (!compatible(g, q.member_id, q))
    return reply(join_error(error::kInconsistentGroupProtocol, q.member_id));

  auto pending = g.pending.find(q.member_id);
  if (q.member_id.empty() || pending != g.pending.end()) {
    std::string id;
    if (pending != g.pending.end()) {
      id = q.member_id;
      g.pending.erase(pending);
    } else {
      id = new_member_id();
      if (version >= 4) {
        // KIP-394: the client must join again with this id, so a member whose first response
        // is lost does not leave a ghost behind (the id expires after the session timeout).
        g.pending[id] = now + milliseconds(q.session_timeout_ms);
        return reply(join_error(error::kMemberIdRequired, id));
      }
    }
    // A new member: the group rebalances (or keeps rebalancing) to include it.
    if (g.state == GroupState::preparing_rebalance) {
      if (g.initial_delay) g.new_member_added = true;
    } else {
      prepare_rebalance(g, rebalance_timeout(q));
    }
    if (g.members.empty()) {
      g.protocol_type = q.protocol_type;
      g.leader = id;
    }
    g.members.push_back(Member{});
    g.members.back().id = id;
    update(g.members.back(), connection, version, q, std::move(done), now);
    return try_complete_join(g);
  }

  Member* m = g.find(q.member_id);
  if (m == nullptr) return reply(join_error(error::kUnknownMemberId, q.member_id));
  switch (g.state) {
    case GroupState::preparing_rebalance:
      // A second JoinGroup while one waits: the older one is answered so done runs once.
      if (m->join)
        send(m->join, encode(join_error(error::kRebalanceInProgress, m->id), m->join.version));
      update(*m, connection, version, q, std::move(done), now);
      return try_complete_join(g);
    case GroupState::completing_rebalance:
    case GroupState::stable: {
      // A follower rejoining with unchanged protocols gets the current generation again (its
      // JoinGroup response was lost); a leader's or a changed member's join rebalances.
      bool same = m->protocols == q.protocols && m->protocol_type == q.protocol_type;
      if (same && (g.state == GroupState::completing_rebalance || m->id != g.leader)) {
        m->last_seen = now;
        return reply(join_response(g, *m));
      }
      prepare_rebalance(g, rebalance_timeout(q));
      update(*m, connection, version, q, std::move(done), now);
      return try_complete_join(g);
    }
    case GroupState::empty:
    case GroupState::dead:
      return reply(join_error(error::kUnknownMemberId, q.member_id));
  }
}

void GroupCoordinator::State::sync_group(std::uint64_t connection, std::int16_t version,
                                         SyncGroupRequest q, Done done) {
  auto reply = [&](std::int16_t err, Bytes assignment = {}) {
    send(connection, std::move(done),
         encode(SyncGroupResponse{err, std::move(assignment)}, version));
  };
  if (q.group_id.empty()) return reply(error::kInvalidGroupId);
  if (is_reserved(q.group_id, connection, "SyncGroup")) return reply(error::kInvalidGroupId);
  auto it = groups.find(q.group_id);
  if (it == groups.end()) return reply(error::kUnknownMemberId);
  Group& g = it->second;
  Member* m = g.find(q.member_id);
  if (g.state == GroupState::dead) return reply(error::kCoordinatorNotAvailable);
  if (m == nullptr) return reply(error::kUnknownMemberId);
  if (q.generation_id != g.generation) return reply(error::kIllegalGeneration);
  switch (g.state) {
    case GroupState::empty:
    case GroupState::dead:
      return reply(error::kUnknownMemberId);
    case GroupState::preparing_rebalance:
      return reply(error::kRebalanceInProgress);
    case GroupState::stable:
      m->last_seen = now;
      return reply(error::kNone, m->assignment);
    case GroupState::completing_rebalance: {
      m->last_seen = now;
      if (m->sync)
        send(m->sync, encode(SyncGroupResponse{error::kRebalanceInProgress, {}}, m->sync.version));
      m->sync = Waiter{connection, version, std::move(done)};
      if (m->id != g.leader) return;  // waits for the leader's assignments
      // The leader's assignments (opaque bytes, relayed as they are); a member it left out
      // gets an empty assignment, as in Kafka.
      for (auto& member : g.members) member.assignment.clear();
      for (auto& a : q.assignments)
        if (Member* target = g.find(a.member_id)) target->assignment = std::move(a.assignment);
      g.state = GroupState::stable;
      for (auto& member : g.members)
        if (member.sync)
          send(member.sync,
               encode(SyncGroupResponse{error::kNone, member.assignment}, member.sync.version));
      return;
    }
  }
}

std::int16_t GroupCoordinator::State::heartbeat(const HeartbeatRequest& q) {
  if (q.group_id.empty()) return error::kInvalidGroupId;
  auto it = groups.find(q.group_id);
  if (it == groups.end()) return error::kUnknownMemberId;
  Group& g = it->second;
  if (g.state == GroupState::dead) return error::kCoordinatorNotAvailable;
  Member* m = g.find(q.member_id);
  if (m == nullptr) return error::kUnknownMemberId;
  if (q.generation_id != g.generation) return error::kIllegalGeneration;
  switch (g.state) {
    case GroupState::empty:
    case GroupState::dead:
      return error::kUnknownMemberId;
    case GroupState::preparing_rebalance:
      m->last_seen = now;
      return error::kRebalanceInProgress;
    case GroupState::completing_rebalance:  // members may heartbeat between join and sync
    case GroupState::stable:
      m->last_seen = now;
      return error::kNone;
  }
  return error::kNone;
}

std::int16_t GroupCoordinator::State::leave_group(const LeaveGroupRequest& q) {
  if (q.group_id.empty()) return error::kInvalidGroupId;
  auto it = groups.find(q.group_id);
  if (it == groups.end()) return error::kUnknownMemberId;
  Group& g = it->second;
  if (g.state == GroupState::dead) return error::kCoordinatorNotAvailable;
  if (g.pending.erase(q.member_id) > 0) {
    try_complete_join(g);  // the rebalance may have been waiting for that id
    return error::kNone;
  }
  if (g.find(q.member_id) == nullptr) return error::kUnknownMemberId;
  remove_member(g, q.member_id);
  return error::kNone;
}

void GroupCoordinator::State::expire(Group& g) {
  bool pending_expired = false;
  for (auto it = g.pending.begin(); it != g.pending.end();) {
    if (now >= it->second) {
      it = g.pending.erase(it);
      pending_expired = true;
    } else {
      ++it;
    }
  }
  if (pending_expired) try_complete_join(g);

  // Sessions: a member waiting in JoinGroup or SyncGroup is alive (its request is the
  // heartbeat); any other member must be heard from within its session timeout.
  std::vector<std::string> dead;
  for (const auto& m : g.members)
    if (!m.join && !m.sync && now - m.last_seen >= m.session_timeout) dead.push_back(m.id);
  for (const auto& id : dead) {
    if (g.find(id) == nullptr) continue;  // a completed rebalance already removed it
    say("slytherin: group " + g.id + ": member " + id + " timed out; rebalancing");
    remove_member(g, id);
  }

  if (g.state != GroupState::preparing_rebalance || now < g.rebalance_deadline) return;
  if (g.initial_delay && g.new_member_added && g.initial_remaining.count() > 0) {
    // Kafka's InitialDelayedJoin: someone joined during the delay, so wait once more (no
    // longer than the rebalance timeout in all).
    auto step = std::min(kInitialRebalanceDelay, g.initial_remaining);
    g.initial_remaining -= step;
    g.new_member_added = false;
    g.rebalance_deadline = now + step;
    return;
  }
  complete_join(g);
}

}  // namespace hallows::log::kafka
