// Request and response bodies of the consumer-group APIs, at the versions the broker
// advertises (all non-flexible: no compact forms, no tagged fields). Field lists follow Apache
// Kafka's message schemas (clients/src/main/resources/common/message/*.json):
//
//   FindCoordinator 0-2  req: key string, key_type i8 (v1+)
//                        resp: throttle i32 (v1+), error i16, error_message nullable (v1+),
//                              node_id i32, host string, port i32
//   JoinGroup 0-5        req: group string, session_timeout i32, rebalance_timeout i32 (v1+),
//                              member_id string, group_instance_id nullable (v5+),
//                              protocol_type string, protocols [name string, metadata bytes]
//                        resp: throttle i32 (v2+), error i16, generation i32, protocol string,
//                              leader string, member_id string,
//                              members [member_id string, group_instance_id nullable (v5+),
//                                       metadata bytes]
//   SyncGroup 0-3        req: group, generation i32, member_id, group_instance_id nullable (v3+),
//                              assignments [member_id string, assignment bytes]
//                        resp: throttle i32 (v1+), error i16, assignment bytes
//   Heartbeat 0-3        req: group, generation i32, member_id, group_instance_id nullable (v3+)
//                        resp: throttle i32 (v1+), error i16
//   LeaveGroup 0-1       req: group, member_id       resp: throttle i32 (v1+), error i16
//   OffsetCommit 0-7     req: group, generation i32 (v1+), member_id (v1+), group_instance_id
//                              nullable (v7+), retention_time i64 (v2-4),
//                              topics [name, partitions [index i32, offset i64,
//                                      leader_epoch i32 (v6+), commit_timestamp i64 (v1 only),
//                                      metadata nullable string]]
//                        resp: throttle i32 (v3+), topics [name, partitions [index i32, error i16]]
//   OffsetFetch 0-5      req: group, topics (null = all, v2+) [name, partition indexes [i32]]
//                        resp: throttle i32 (v3+), topics [name, partitions [index i32,
//                              offset i64, leader_epoch i32 (v5+), metadata nullable, error i16]],
//                              error i16 (v2+)
//
// Decoders throw std::runtime_error when the body is short, malformed, has bytes left over, or
// the version is outside the range above.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hallows::log::kafka::groups {

// Kafka error codes these APIs answer with.
namespace error {
constexpr std::int16_t kNone = 0;
constexpr std::int16_t kUnknownServerError = -1;
constexpr std::int16_t kUnknownTopicOrPartition = 3;
constexpr std::int16_t kOffsetMetadataTooLarge = 12;
constexpr std::int16_t kCoordinatorNotAvailable = 15;
constexpr std::int16_t kIllegalGeneration = 22;
constexpr std::int16_t kInconsistentGroupProtocol = 23;
constexpr std::int16_t kInvalidGroupId = 24;
constexpr std::int16_t kUnknownMemberId = 25;
constexpr std::int16_t kInvalidSessionTimeout = 26;
constexpr std::int16_t kRebalanceInProgress = 27;
constexpr std::int16_t kInvalidRequest = 42;
constexpr std::int16_t kMemberIdRequired = 79;
}  // namespace error

// API keys and the version ranges we decode and encode.
namespace api {
constexpr std::int16_t kOffsetCommit = 8;
constexpr std::int16_t kOffsetFetch = 9;
constexpr std::int16_t kFindCoordinator = 10;
constexpr std::int16_t kJoinGroup = 11;
constexpr std::int16_t kHeartbeat = 12;
constexpr std::int16_t kLeaveGroup = 13;
constexpr std::int16_t kSyncGroup = 14;
}  // namespace api
std::int16_t max_version(std::int16_t api_key);  // -1 for keys we do not handle (min is 0)

using Bytes = std::vector<std::byte>;

struct FindCoordinatorRequest {
  std::string key;
  std::int8_t key_type = 0;  // 0 group, 1 transaction
};
struct FindCoordinatorResponse {
  std::int16_t error = error::kNone;
  std::optional<std::string> error_message;
  std::int32_t node_id = -1;
  std::string host;
  std::int32_t port = -1;
};

struct JoinProtocol {
  std::string name;
  Bytes metadata;
  bool operator==(const JoinProtocol&) const = default;
};
struct JoinGroupRequest {
  std::string group_id;
  std::int32_t session_timeout_ms = 0;
  std::int32_t rebalance_timeout_ms = -1;  // v0: absent (the session timeout applies)
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::string protocol_type;
  std::vector<JoinProtocol> protocols;
};
struct JoinGroupMember {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  Bytes metadata;
};
struct JoinGroupResponse {
  std::int16_t error = error::kNone;
  std::int32_t generation_id = -1;
  std::string protocol_name;
  std::string leader;
  std::string member_id;
  std::vector<JoinGroupMember> members;  // the leader's response only
};

struct SyncAssignment {
  std::string member_id;
  Bytes assignment;
};
struct SyncGroupRequest {
  std::string group_id;
  std::int32_t generation_id = -1;
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::vector<SyncAssignment> assignments;  // the leader's request only
};
struct SyncGroupResponse {
  std::int16_t error = error::kNone;
  Bytes assignment;
};

struct HeartbeatRequest {
  std::string group_id;
  std::int32_t generation_id = -1;
  std::string member_id;
  std::optional<std::string> group_instance_id;
};
struct LeaveGroupRequest {
  std::string group_id;
  std::string member_id;
};

struct OffsetCommitPartition {
  std::int32_t partition = 0;
  std::int64_t offset = -1;
  std::int32_t leader_epoch = -1;
  std::optional<std::string> metadata;
};
struct OffsetCommitTopic {
  std::string name;
  std::vector<OffsetCommitPartition> partitions;
};
struct OffsetCommitRequest {
  std::string group_id;
  std::int32_t generation_id = -1;  // v0: absent (a simple commit)
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::vector<OffsetCommitTopic> topics;
};
struct PartitionError {
  std::int32_t partition = 0;
  std::int16_t error = error::kNone;
};
struct OffsetCommitResponseTopic {
  std::string name;
  std::vector<PartitionError> partitions;
};
struct OffsetCommitResponse {
  std::vector<OffsetCommitResponseTopic> topics;
};

struct OffsetFetchTopic {
  std::string name;
  std::vector<std::int32_t> partitions;
};
struct OffsetFetchRequest {
  std::string group_id;
  std::optional<std::vector<OffsetFetchTopic>> topics;  // null: every committed partition
};
struct OffsetFetchPartition {
  std::int32_t partition = 0;
  std::int64_t offset = -1;
  std::int32_t leader_epoch = -1;
  std::optional<std::string> metadata;
  std::int16_t error = error::kNone;
};
struct OffsetFetchResponseTopic {
  std::string name;
  std::vector<OffsetFetchPartition> partitions;
};
struct OffsetFetchResponse {
  std::vector<OffsetFetchResponseTopic> topics;
  std::int16_t error = error::kNone;  // v2+
};

FindCoordinatorRequest decode_find_coordinator(std::span<const std::byte> body,
                                               std::int16_t version);
JoinGroupRequest decode_join_group(std::span<const std::byte> body, std::int16_t version);
SyncGroupRequest decode_sync_group(std::span<const std::byte> body, std::int16_t version);
HeartbeatRequest decode_heartbeat(std::span<const std::byte> body, std::int16_t version);
LeaveGroupRequest decode_leave_group(std::span<const std::byte> body, std::int16_t version);
OffsetCommitRequest decode_offset_commit(std::span<const std::byte> body, std::int16_t version);
OffsetFetchRequest decode_offset_fetch(std::span<const std::byte> body, std::int16_t version);

Bytes encode(const FindCoordinatorResponse& r, std::int16_t version);
Bytes encode(const JoinGroupResponse& r, std::int16_t version);
Bytes encode(const SyncGroupResponse& r, std::int16_t version);
// Heartbeat and LeaveGroup answer the same layout: throttle (v1+) and an error code.
Bytes encode_error_only(std::int16_t error, bool with_throttle);
Bytes encode(const OffsetCommitResponse& r, std::int16_t version);
Bytes encode(const OffsetFetchResponse& r, std::int16_t version);

}  // namespace hallows::log::kafka::groups
