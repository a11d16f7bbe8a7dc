// Codecs of the APIs the broker itself answers (ApiVersions, Metadata, Produce, Fetch,
// ListOffsets), at every version it advertises; groups are in kafka_groups.h. Requests decode
// into views of the frame (string_views and spans into it: the frame must outlive them);
// responses encode into a ResponseBody. Field lists follow Apache Kafka's message schemas
// (clients/src/main/resources/common/message/*.json); each decoder names the versions that
// add a field. A decoder returns false when the body is malformed or has bytes left over.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kafka_request.h"

namespace hallows::log::kafka {

// ---- ApiVersions (key 18), v0-2 ----
// The request body is empty in v0-2. The response lists supported_apis().
// v0: error_code i16 | [api_key i16, min i16, max i16];  v1+: ... | throttle_time_ms i32
void encode_api_versions_response(std::int16_t version, std::int16_t error_code, ResponseBody& out);

// ---- Metadata (key 3), v0-4 ----
struct MetadataRequest {
  std::optional<std::vector<std::string_view>> topics;  // nullopt = all topics
  bool allow_auto_topic_creation = true;                // v4+
};
// v0: [name string] (empty = all);  v1-3: nullable array (null = all);  v4: + allow_auto bool
bool decode_metadata_request(std::span<const std::byte> body, std::int16_t version,
                             MetadataRequest& out);

struct MetadataBroker {
  std::int32_t node_id = 0;
  std::string host;
  std::int32_t port = 0;
};
struct MetadataPartition {
  std::int16_t error_code = 0;
  std::int32_t partition_index = 0;
  std::int32_t leader_id = 0;
  std::vector<std::int32_t> replica_nodes;
  std::vector<std::int32_t> isr_nodes;
};
struct MetadataTopic {
  std::int16_t error_code = 0;
  std::string name;
  std::vector<MetadataPartition> partitions;
};
struct MetadataResponse {
  std::vector<MetadataBroker> brokers;
  std::optional<std::string> cluster_id;
  std::int32_t controller_id = 0;
  std::vector<MetadataTopic> topics;
};
// v0: [brokers: node_id, host, port] [topics: error, name, [partitions: error, index, leader,
// [replicas], [isr]]];  v1: broker rack (null), controller_id, topic is_internal;  v2:
// cluster_id;  v3-4: throttle_time_ms first.
void encode_metadata_response(const MetadataResponse& response, std::int16_t version,
                              ResponseBody& out);

// ---- Produce (key 0), v3-7 ----
struct ProducePartitionData {
  std::int32_t index = 0;
  std::optional<std::span<const std::byte>> records;  // the record set (batches), or null
};
struct ProduceTopicData {
  std::string_view name;
  std::vector<ProducePartitionData> partitions;
};
struct ProduceRequest {
  std::optional<std::string_view> transactional_id;
  std::int16_t acks = -1;
  std::int32_t timeout_ms = 0;
  std::vector<ProduceTopicData> topics;
};
// v3-7: transactional_id string? | acks i16 | timeout_ms i32 | [name, [index i32, records]]
bool decode_produce_request(std::span<const std::byte> body, std::int16_t version,
                            ProduceRequest& out);

struct ProducePartitionResponse {
  std::int32_t index = 0;
  std::int16_t error_code = 0;
  std::int64_t base_offset = -1;
  std::int64_t log_append_time_ms = -1;
  std::int64_t log_start_offset = -1;  // v5+
};
struct ProduceTopicResponse {
  std::string name;
  std::vector<ProducePartitionResponse> partitions;
};
struct ProduceResponse {
  std::vector<ProduceTopicResponse> topics;
};
// v3-4: [name, [index, error, base_offset, log_append_time_ms]] | throttle_time_ms;
// v5-7: the partition adds log_start_offset.
void encode_produce_response(const ProduceResponse& response, std::int16_t version,
                             ResponseBody& out);

// ---- Fetch (key 1), v4-11 ----
struct FetchPartition {
  std::int32_t partition = 0;
  std::int32_t current_leader_epoch = -1;  // v9+
  std::int64_t fetch_offset = 0;
  std::int64_t log_start_offset = -1;  // v5+
  std::int32_t partition_max_bytes = 0;
};
struct FetchTopic {
  std::string_view name;
  std::vector<FetchPartition> partitions;
};
struct ForgottenTopic {
  std::string_view name;
  std::vector<std::int32_t> partitions;
};
struct FetchRequest {
  std::int32_t replica_id = -1;
  std::int32_t max_wait_ms = 0;
  std::int32_t min_bytes = 0;
  std::int32_t max_bytes = 0x7fffffff;
  std::int8_t isolation_level = 0;
  std::int32_t session_id = 0;      // v7+
  std::int32_t session_epoch = -1;  // v7+
  std::vector<FetchTopic> topics;
  std::vector<ForgottenTopic> forgotten;  // v7+
  std::string_view rack_id;               // v11+
};
// v4: replica_id, max_wait_ms, min_bytes, max_bytes, isolation_level, [topic, [partition,
// fetch_offset, partition_max_bytes]];  v5: partition log_start_offset;  v7: session_id,
// session_epoch after isolation_level, forgotten_topics_data at the end;  v9: partition
// current_leader_epoch (before fetch_offset);  v11: rack_id at the end.
bool decode_fetch_request(std::span<const std::byte> body, std::int16_t version, FetchRequest& out);

struct FetchPartitionResponse {
  std::int32_t partition = 0;
  std::int16_t error_code = 0;
  std::int64_t high_watermark = -1;
  std::int64_t last_stable_offset = -1;
  std::int64_t log_start_offset = -1;
  // The record bytes: from a segment (sent with sendfile) or copied; empty = no records.
  FileRange records;
};
struct FetchTopicResponse {
  std::string name;
  std::vector<FetchPartitionResponse> partitions;
};
struct FetchResponse {
  std::int16_t error_code = 0;  // v7+
  std::int32_t session_id = 0;  // v7+
  std::vector<FetchTopicResponse> topics;
};
// v4: throttle_time_ms | [topic, [partition, error, high_watermark, last_stable_offset,
// [aborted: producer_id, first_offset]?, records]];  v5: + log_start_offset after
// last_stable_offset;  v7: error_code, session_id after throttle;  v11: preferred_read_replica
// before records.
void encode_fetch_response(const FetchResponse& response, std::int16_t version, ResponseBody& out);

// ---- ListOffsets (key 2), v0-2 ----
struct ListOffsetsPartition {
  std::int32_t partition_index = 0;
  std::int64_t timestamp = 0;
  std::int32_t max_num_offsets = 1;  // v0 only
};
struct ListOffsetsTopic {
  std::string_view name;
  std::vector<ListOffsetsPartition> partitions;
};
struct ListOffsetsRequest {
  std::int32_t replica_id = -1;
  std::int8_t isolation_level = 0;  // v2+
  std::vector<ListOffsetsTopic> topics;
};
// v0: replica_id, [name, [index, timestamp, max_num_offsets]];  v1: no max_num_offsets;
// v2: isolation_level after replica_id.
bool decode_list_offsets_request(std::span<const std::byte> body, std::int16_t version,
                                 ListOffsetsRequest& out);

struct ListOffsetsPartitionResponse {
  std::int32_t partition_index = 0;
  std::int16_t error_code = 0;
  std::int64_t timestamp = -1;  // v1+
  std::int64_t offset = -1;     // v1+; v0 sends [offset] (empty on error)
};
struct ListOffsetsTopicResponse {
  std::string name;
  std::vector<ListOffsetsPartitionResponse> partitions;
};
struct ListOffsetsResponse {
  std::vector<ListOffsetsTopicResponse> topics;
};
// v0: [name, [index, error, [old_style_offsets i64]]];  v1: [name, [index, error, timestamp,
// offset]];  v2: throttle_time_ms first.
void encode_list_offsets_response(const ListOffsetsResponse& response, std::int16_t version,
                                  ResponseBody& out);

}  // namespace hallows::log::kafka
