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

  auto& index = committed[q.group_id];
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
        if (why.empty()) {
          index[{t.name, p.partition}] = {p.offset, std::string(metadata)};
        } else {
          say("slytherin: group " + q.group_id + ": offset commit for " + t.name + "/" +
              std::to_string(p.partition) + " failed: " + why);
          err = error::kUnknownServerError;
        }
      }
      rt.partitions.push_back({p.partition, err});
    }
    r.topics.push_back(std::move(rt));
  }
  if (index.empty()) committed.erase(q.group_id);
  return r;
}

OffsetFetchResponse GroupCoordinator::State::offset_fetch(const OffsetFetchRequest& q) {
  // Reserved groups may be read: their offsets show how far the program's own consumers got,
  // and reading changes nothing.
  OffsetFetchResponse r;
  auto group_index = committed.find(q.group_id);
  auto lookup = [&](const std::string& topic, std::int32_t partition) {
    OffsetFetchPartition p;
    p.partition = partition;
    p.offset = log.committed_offset(q.group_id, topic, partition);
    p.metadata = "";  // Kafka answers "" (not null) when there is no metadata
    if (group_index != committed.end()) {
      auto it = group_index->second.find({topic, partition});
      // The Log keeps offsets only; the metadata string is known for commits since start.
      if (it != group_index->second.end() && it->second.offset == p.offset)
        p.metadata = it->second.metadata;
    }
    return p;
  };
  if (q.topics) {
    for (const auto& t : *q.topics) {
      OffsetFetchResponseTopic rt{t.name, {}};
      for (auto partition : t.partitions) rt.partitions.push_back(lookup(t.name, partition));
      r.topics.push_back(std::move(rt));
    }
  } else if (group_index != committed.end()) {
    for (const auto& [key, value] : group_index->second) {
      if (r.topics.empty() || r.topics.back().name != key.first)
        r.topics.push_back({key.first, {}});
      r.topics.back().partitions.push_back(lookup(key.first, key.second));
    }
  }
  return r;
}

}  // namespace hallows::log::kafka
