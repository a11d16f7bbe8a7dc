// Decoders and encoders of the consumer-group API bodies; layouts in kafka_groups_codec.h.
#include "kafka_groups_codec.h"

#include <stdexcept>
#include <string_view>

#include "hallows/log/kafka_wire.h"

namespace hallows::log::kafka::groups {
namespace {

using wire::Reader;
using wire::Writer;

void check_version(std::string_view api, std::int16_t key, std::int16_t version) {
  if (version < 0 || version > max_version(key))
    throw std::runtime_error(std::string(api) + " v" + std::to_string(version) +
                             " is not supported (0-" + std::to_string(max_version(key)) + ")");
}

// A decoder reads the whole body, then checks once: a short field or bytes left over mean the
// client and we disagree about the layout, which Kafka answers by closing the connection.
void finish(const Reader& r, std::string_view api, std::int16_t version) {
  if (r.failed())
    throw std::runtime_error(std::string(api) + " v" + std::to_string(version) +
                             " request is truncated or malformed");
  if (r.remaining() != 0)
    throw std::runtime_error(std::string(api) + " v" + std::to_string(version) + " request has " +
                             std::to_string(r.remaining()) + " unexpected trailing bytes");
}

std::string str(Reader& r) {
  return std::string(r.string());
}

std::optional<std::string> nullable_str(Reader& r) {
  auto s = r.nullable_string();
  if (!s) return std::nullopt;
  return std::string(*s);
}

// BYTES (not nullable): a null length is malformed.
Bytes bytes(Reader& r) {
  auto b = r.nullable_bytes();
  if (!b) {
    r.fail();
    return {};
  }
  return Bytes(b->begin(), b->end());
}

// A non-nullable array's length: null (-1) is malformed.
std::int32_t count(Reader& r, std::size_t min_element_bytes) {
  auto n = r.array_length(min_element_bytes);
  if (n < 0) r.fail();
  return n;
}

void nullable_str(Writer& w, const std::optional<std::string>& s) {
  if (!s) return w.nullable_string(std::nullopt);
  w.string(*s);
}

}  // namespace

std::int16_t max_version(std::int16_t api_key) {
  switch (api_key) {
    case api::kOffsetCommit:
      return 7;
    case api::kOffsetFetch:
      return 5;
    case api::kFindCoordinator:
      return 2;
    case api::kJoinGroup:
      return 5;
    case api::kHeartbeat:
      return 3;
    case api::kLeaveGroup:
      return 1;
    case api::kSyncGroup:
      return 3;
    default:
      return -1;
  }
}

FindCoordinatorRequest decode_find_coordinator(std::span<const std::byte> body,
                                               std::int16_t version) {
  check_version("FindCoordinator", api::kFindCoordinator, version);
  Reader r(body);
  FindCoordinatorRequest q;
  q.key = str(r);
  if (version >= 1) q.key_type = r.i8();
  finish(r, "FindCoordinator", version);
  return q;
}

JoinGroupRequest decode_join_group(std::span<const std::byte> body, std::int16_t version) {
  check_version("JoinGroup", api::kJoinGroup, version);
  Reader r(body);
  JoinGroupRequest q;
  q.group_id = str(r);
  q.session_timeout_ms = r.i32();
  if (version >= 1) q.rebalance_timeout_ms = r.i32();
  q.member_id = str(r);
  if (version >= 5) q.group_instance_id = nullable_str(r);
  q.protocol_type = str(r);
  auto n = count(r, 6);  // name length (2) + metadata length (4)
  for (std::int32_t i = 0; i < n && !r.failed(); ++i) {
    JoinProtocol p;
    p.name = str(r);
    p.metadata = bytes(r);
    q.protocols.push_back(std::move(p));
  }
  finish(r, "JoinGroup", version);
  return q;
}

SyncGroupRequest decode_sync_group(std::span<const std::byte> body, std::int16_t version) {
  check_version("SyncGroup", api::kSyncGroup, version);
  Reader r(body);
  SyncGroupRequest q;
  q.group_id = str(r);
  q.generation_id = r.i32();
  q.member_id = str(r);
  if (version >= 3) q.group_instance_id = nullable_str(r);
  auto n = count(r, 6);
  for (std::int32_t i = 0; i < n && !r.failed(); ++i) {
    SyncAssignment a;
    a.member_id = str(r);
    a.assignment = bytes(r);
    q.assignments.push_back(std::move(a));
  }
  finish(r, "SyncGroup", version);
  return q;
}

HeartbeatRequest decode_heartbeat(std::span<const std::byte> body, std::int16_t version) {
  check_version("Heartbeat", api::kHeartbeat, version);
  Reader r(body);
  HeartbeatRequest q;
  q.group_id = str(r);
  q.generation_id = r.i32();
  q.member_id = str(r);
  if (version >= 3) q.group_instance_id = nullable_str(r);
  finish(r, "Heartbeat", version);
  return q;
}

LeaveGroupRequest decode_leave_group(std::span<const std::byte> body, std::int16_t version) {
  check_version("LeaveGroup", api::kLeaveGroup, version);
  Reader r(body);
  LeaveGroupRequest q;
  q.group_id = str(r);
  q.member_id = str(r);
  finish(r, "LeaveGroup", version);
  return q;
}

OffsetCommitRequest decode_offset_commit(std::span<const std::byte> body, std::int16_t version) {
  check_version("OffsetCommit", api::kOffsetCommit, version);
  Reader r(body);
  OffsetCommitRequest q;
  q.group_id = str(r);
  if (version >= 1) {
    q.generation_id = r.i32();
    q.member_id = str(r);
  }
  if (version >= 7) q.group_instance_id = nullable_str(r);
  if (version >= 2 && version <= 4) r.i64();  // retention_time_ms: the broker's policy rules
  auto topics = count(r, 6);
  for (std::int32_t t = 0; t < topics && !r.failed(); ++t) {
    OffsetCommitTopic topic;
    topic.name = str(r);
    auto parts = count(r, 14);  // index (4) + offset (8) + metadata length (2)
    for (std::int32_t p = 0; p < parts && !r.failed(); ++p) {
      OffsetCommitPartition part;
      part.partition = r.i32();
      part.offset = r.i64();
      if (version >= 6) part.leader_epoch = r.i32();
      if (version == 1) r.i64();  // commit_timestamp: Kafka ignores it too
      part.metadata = nullable_str(r);
      topic.partitions.push_back(std::move(part));
    }
    q.topics.push_back(std::move(topic));
  }
  finish(r, "OffsetCommit", version);
  return q;
}

OffsetFetchRequest decode_offset_fetch(std::span<const std::byte> body, std::int16_t version) {
  check_version("OffsetFetch", api::kOffsetFetch, version);
  Reader r(body);
  OffsetFetchRequest q;
  q.group_id = str(r);
  auto topics = r.array_length(6);
  if (topics < 0) {
    if (version < 2) r.fail();  // a null topic array is v2+
  } else {
    q.topics.emplace();
    for (std::int32_t t = 0; t < topics && !r.failed(); ++t) {
      OffsetFetchTopic topic;
      topic.name = str(r);
      auto parts = count(r, 4);
      for (std::int32_t p = 0; p < parts && !r.failed(); ++p) topic.partitions.push_back(r.i32());
      q.topics->push_back(std::move(topic));
    }
  }
  finish(r, "OffsetFetch", version);
  return q;
}

Bytes encode(const FindCoordinatorResponse& resp, std::int16_t version) {
  Bytes out;
  Writer w(out);
  if (version >= 1) w.i32(0);  // throttle_time_ms
  w.i16(resp.error);
  if (version >= 1) nullable_str(w, resp.error_message);
  w.i32(resp.node_id);
  w.string(resp.host);
  w.i32(resp.port);
  return out;
}

Bytes encode(const JoinGroupResponse& resp, std::int16_t version) {
  Bytes out;
  Writer w(out);
  if (version >= 2) w.i32(0);
  w.i16(resp.error);
  w.i32(resp.generation_id);
  w.string(resp.protocol_name);
  w.string(resp.leader);
  w.string(resp.member_id);
  w.array_length(static_cast<std::int32_t>(resp.members.size()));
  for (const auto& m : resp.members) {
    w.string(m.member_id);
    if (version >= 5) nullable_str(w, m.group_instance_id);
    w.bytes(m.metadata);
  }
  return out;
}

Bytes encode(const SyncGroupResponse& resp, std::int16_t version) {
  Bytes out;
  Writer w(out);
  if (version >= 1) w.i32(0);
  w.i16(resp.error);
  w.bytes(resp.assignment);
  return out;
}

Bytes encode_error_only(std::int16_t error_code, bool with_throttle) {
  Bytes out;
  Writer w(out);
  if (with_throttle) w.i32(0);
  w.i16(error_code);
  return out;
}

Bytes encode(const OffsetCommitResponse& resp, std::int16_t version) {
  Bytes out;
  Writer w(out);
  if (version >= 3) w.i32(0);
  w.array_length(static_cast<std::int32_t>(resp.topics.size()));
  for (const auto& t : resp.topics) {
    w.string(t.name);
    w.array_length(static_cast<std::int32_t>(t.partitions.size()));
    for (const auto& p : t.partitions) {
      w.i32(p.partition);
      w.i16(p.error);
    }
  }
  return out;
}

Bytes encode(const OffsetFetchResponse& resp, std::int16_t version) {
  Bytes out;
  Writer w(out);
  if (version >= 3) w.i32(0);
  w.array_length(static_cast<std::int32_t>(resp.topics.size()));
  for (const auto& t : resp.topics) {
    w.string(t.name);
    w.array_length(static_cast<std::int32_t>(t.partitions.size()));
    for (const auto& p : t.partitions) {
      w.i32(p.partition);
      w.i64(p.offset);
      if (version >= 5) w.i32(p.leader_epoch);
      nullable_str(w, p.metadata);
      w.i16(p.error);
    }
  }
  if (version >= 2) w.i16(resp.error);
  return out;
}

}  // namespace hallows::log::kafka::groups
