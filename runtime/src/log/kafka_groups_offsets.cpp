// OffsetCommit and OffsetFetch: the group checks Kafka makes, then the Log's durable offset
// store (Log::commit_offset returns after the fsync).
#include "kafka_groups_codec.h"
#include "kafka_groups_state.h"

namespace hallows::log::kafka {

using namespace groups;

namespace {

constexpr std::size_t kMaxMetadataBytes = 4096;  // Kafka's offset.metadata.max.bytes default

}  // namespace

OffsetCommitResponse GroupCoordinator::State::offset_commit(const OffsetCommitRequest& q,
                                                            std::uint64_t connection) {
  OffsetCommitResponse r;
  auto answer_all = [&](std::int16_t err) {
    for (const auto& t : q.topics) {
      OffsetCommitResponseTopic rt{t.name, {}};
      for (const auto& p : t.partitions) rt.partitions.push_back({p.partition, err});
      r.topics.push_back(std::move(rt));
    }
    return r;
  };
  if (q.group_id.empty() || is_reserved(q.group_id, connection, "OffsetCommit"))
    return answer_all(error::kInvalidGroupId);

  // Commits from a group's members must carry its current generation; generation -1 with no
  // member id is a "simple" commit from a client managing partitions itself, allowed while no
  // member is in the group.
  auto it = groups.find(q.group_id);
  if (it == groups.end()) {
    if (q.generation_id >= 0) return answer_all(error::kIllegalGeneration);
  } else {
    Group& g = it->second;
    if (g.state == GroupState::dead) return answer_all(error::kCoordinatorNotAvailable);
    if (!(q.generation_id < 0 && g.state == GroupState::empty)) {
      if (g.state == GroupState::completing_rebalance)
        return answer_all(error::kRebalanceInProgress);
      Member* m = g.find(q.member_id);
      if (m == nullptr) return answer_all(error::kUnknownMemberId);
      if (q.generation_id != g.generation) return answer_all(error::kIllegalGeneration);
      m->last_seen = now;  // a commit shows the member alive, as a heartbeat does
    }
  }

  for (const auto& t : q.topics) {
    OffsetCommitResponseTopic rt{t.name, {}};
    for (const auto& p : t.partitions) {
      std::int16_t err = error::kNone;
      std::string_view metadata = p.metadata ? std::string_view(*p.metadata) : "";
      if (log.partition(t.name, p.partition) == nullptr) {
        err = error::kUnknownTopicOrPartition;
      } else if (metadata.size() > kMaxMetadataBytes) {
        err = error::kOffsetMetadataTooLarge;
      } else {
        auto why = log.commit_offset(q.group_id, t.name, p.partition, p.offset, metadata);
        if (!why.empty()) {
          say("slytherin: group " + q.group_id + ": offset commit for " + t.name + "/" +
              std::to_string(p.partition) + " failed: " + why);
          err = error::kUnknownServerError;
        }
      }
      rt.partitions.push_back({p.partition, err});
    }
    r.topics.push_back(std::move(rt));
  }
  return r;
}

OffsetFetchResponse GroupCoordinator::State::offset_fetch(const OffsetFetchRequest& q) {
  // Reserved groups may be read: their offsets show how far the program's own consumers got,
  // and reading changes nothing. Offsets and metadata come from the Log's durable store, so
  // they survive restarts.
  OffsetFetchResponse r;
  auto stored = log.committed_offsets(q.group_id);
  auto lookup = [&](const std::string& topic, std::int32_t partition) {
    OffsetFetchPartition p;
    p.partition = partition;
    p.offset = -1;
    p.metadata = "";  // Kafka answers "" (not null) when there is no metadata
    for (const auto& c : stored) {
      if (c.topic == topic && c.partition == partition) {
        p.offset = c.offset;
        p.metadata = c.metadata;
        break;
      }
    }
    return p;
  };
  if (q.topics) {
    for (const auto& t : *q.topics) {
      OffsetFetchResponseTopic rt{t.name, {}};
      for (auto partition : t.partitions) rt.partitions.push_back(lookup(t.name, partition));
      r.topics.push_back(std::move(rt));
    }
  } else {
    for (const auto& c : stored) {
      if (r.topics.empty() || r.topics.back().name != c.topic) r.topics.push_back({c.topic, {}});
      r.topics.back().partitions.push_back(lookup(c.topic, c.partition));
    }
  }
  return r;
}

}  // namespace hallows::log::kafka
