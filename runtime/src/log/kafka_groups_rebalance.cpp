// The rebalance itself: starting one, completing the join phase (generation, protocol,
// leader), and removing members, as Kafka's classic GroupCoordinator does.
#include <algorithm>
#include <map>

#include "kafka_groups_codec.h"
#include "kafka_groups_state.h"

namespace hallows::log::kafka {

using namespace groups;
using std::chrono::milliseconds;

namespace {

// Kafka's selection: the protocols every member supports are the candidates; each member votes
// for the first candidate in its own preference order; the most votes win. Ties go to the
// candidate the leader prefers (Kafka leaves ties unspecified).
std::string select_protocol(const Group& g) {
  const Member* leader = nullptr;
  for (const auto& m : g.members)
    if (m.id == g.leader) leader = &m;
  if (leader == nullptr) leader = &g.members.front();
  auto supported_by_all = [&](std::string_view name) {
    return std::all_of(g.members.begin(), g.members.end(), [&](const Member& m) {
      return std::any_of(m.protocols.begin(), m.protocols.end(),
                         [&](const JoinProtocol& p) { return p.name == name; });
    });
  };
  std::map<std::string, int, std::less<>> votes;
  for (const auto& m : g.members) {
    for (const auto& p : m.protocols) {
      if (supported_by_all(p.name)) {
        ++votes[p.name];
        break;
      }
    }
  }
  std::string best;
  int best_votes = -1;
  for (const auto& p : leader->protocols) {  // the leader's order breaks ties
    auto it = votes.find(p.name);
    int v = it == votes.end() ? (supported_by_all(p.name) ? 0 : -1) : it->second;
    if (v > best_votes) {
      best = p.name;
      best_votes = v;
    }
  }
  return best;
}

}  // namespace

void GroupCoordinator::State::prepare_rebalance(Group& g, milliseconds joiner_timeout) {
  if (g.state == GroupState::completing_rebalance) {
    // The assignments being synced are void: waiting members learn it and rejoin.
    for (auto& m : g.members) {
      if (m.sync)
        send(m.sync, encode(SyncGroupResponse{error::kRebalanceInProgress, {}}, m.sync.version));
    }
  }
  for (auto& m : g.members) {
    m.rejoined = false;
    m.assignment.clear();
  }
  auto timeout = joiner_timeout;
  for (const auto& m : g.members) timeout = std::max(timeout, m.rebalance_timeout);
  if (g.state == GroupState::empty) {
    g.initial_delay = true;
    g.new_member_added = false;
    g.initial_remaining = std::max(timeout - kInitialRebalanceDelay, milliseconds(0));
    g.rebalance_deadline = now + kInitialRebalanceDelay;
  } else {
    g.initial_delay = false;
    g.rebalance_deadline = now + timeout;
  }
  g.state = GroupState::preparing_rebalance;
}

void GroupCoordinator::State::try_complete_join(Group& g) {
  if (g.state != GroupState::preparing_rebalance || g.initial_delay) return;
  bool all =
      std::all_of(g.members.begin(), g.members.end(), [](const Member& m) { return m.rejoined; });
  if (all && g.pending.empty()) complete_join(g);
}

void GroupCoordinator::State::complete_join(Group& g) {
  g.initial_delay = false;
  for (auto it = g.members.begin(); it != g.members.end();) {
    if (it->rejoined) {
      ++it;
      continue;
    }
    say("slytherin: group " + g.id + ": member " + it->id +
        " did not rejoin within the rebalance timeout; removed");
    it = g.members.erase(it);  // not rejoined: it has no JoinGroup or SyncGroup waiting
  }
  ++g.generation;
  if (g.members.empty()) {
    g.state = GroupState::empty;
    g.protocol.clear();
    g.protocol_type.clear();
    g.leader.clear();
    say("slytherin: group " + g.id + ": generation " + std::to_string(g.generation) +
        " has no members");
    return;
  }
  if (g.find(g.leader) == nullptr) g.leader = g.members.front().id;
  g.protocol = select_protocol(g);
  g.state = GroupState::completing_rebalance;
  for (auto& m : g.members) {
    m.last_seen = now;  // the session clock restarts with the new generation
    if (m.join) send(m.join, encode(join_response(g, m), m.join.version));
  }
  say("slytherin: group " + g.id + ": generation " + std::to_string(g.generation) + " with " +
      std::to_string(g.members.size()) + " member(s), protocol " + g.protocol + ", leader " +
      g.leader);
}

JoinGroupResponse GroupCoordinator::State::join_response(const Group& g, const Member& m) const {
  JoinGroupResponse r;
  r.generation_id = g.generation;
  r.protocol_name = g.protocol;
  r.leader = g.leader;
  r.member_id = m.id;
  if (m.id == g.leader) {
    for (const auto& other : g.members) {
      JoinGroupMember jm{other.id, other.group_instance_id, {}};
      for (const auto& p : other.protocols)
        if (p.name == g.protocol) jm.metadata = p.metadata;
      r.members.push_back(std::move(jm));
    }
  }
  return r;
}

void GroupCoordinator::State::remove_member(Group& g, std::string_view member_id) {
  auto it = std::find_if(g.members.begin(), g.members.end(),
                         [&](const Member& m) { return m.id == member_id; });
  if (it == g.members.end()) return;
  if (it->join) {
    JoinGroupResponse r;
    r.error = error::kUnknownMemberId;
    r.member_id = it->id;
    send(it->join, encode(r, it->join.version));
  }
  if (it->sync)
    send(it->sync, encode(SyncGroupResponse{error::kUnknownMemberId, {}}, it->sync.version));
  bool was_leader = it->id == g.leader;
  g.members.erase(it);
  if (was_leader) g.leader = g.members.empty() ? std::string() : g.members.front().id;
  switch (g.state) {
    case GroupState::stable:
    case GroupState::completing_rebalance:
      prepare_rebalance(g);
      try_complete_join(g);
      break;
    case GroupState::preparing_rebalance:
      try_complete_join(g);
      break;
    case GroupState::empty:
    case GroupState::dead:
      break;
  }
}

}  // namespace hallows::log::kafka
