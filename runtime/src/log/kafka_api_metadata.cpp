// Metadata (key 3) v0-4: request decode and response encode. See kafka_api.h for the layouts.
#include "kafka_api.h"

namespace hallows::log::kafka {

bool decode_metadata_request(std::span<const std::byte> body, std::int16_t version,
                             MetadataRequest& out) {
  wire::Reader r(body);
  auto n = r.array_length(2);
  if (n < 0) {
    // A null array means "all topics" from v1 on; v0 has no null array.
    if (version == 0) r.fail();
    out.topics.reset();
  } else {
    std::vector<std::string_view> names;
    for (std::int32_t i = 0; i < n && !r.failed(); ++i) names.push_back(r.string());
    // v0: an empty array asks for every topic; v1+: for none.
    if (version == 0 && names.empty())
      out.topics.reset();
    else
      out.topics = std::move(names);
  }
  out.allow_auto_topic_creation = version >= 4 ? r.boolean() : true;
  return !r.failed() && r.remaining() == 0;
}

void encode_metadata_response(const MetadataResponse& response, std::int16_t version,
                              ResponseBody& out) {
  wire::Writer w(out.bytes());
  if (version >= 3) w.i32(0);  // throttle_time_ms
  w.array_length(static_cast<std::int32_t>(response.brokers.size()));
  for (const auto& b : response.brokers) {
    w.i32(b.node_id);
    w.string(b.host);
    w.i32(b.port);
    if (version >= 1) w.nullable_string(std::nullopt);  // rack
  }
  if (version >= 2) {
    if (response.cluster_id)
      w.nullable_string(*response.cluster_id);
    else
      w.nullable_string(std::nullopt);
  }
  if (version >= 1) w.i32(response.controller_id);
  w.array_length(static_cast<std::int32_t>(response.topics.size()));
  for (const auto& t : response.topics) {
    w.i16(t.error_code);
    w.string(t.name);
    if (version >= 1) w.boolean(false);  // is_internal
    w.array_length(static_cast<std::int32_t>(t.partitions.size()));
    for (const auto& p : t.partitions) {
      w.i16(p.error_code);
      w.i32(p.partition_index);
      w.i32(p.leader_id);
      w.array_length(static_cast<std::int32_t>(p.replica_nodes.size()));
      for (auto id : p.replica_nodes) w.i32(id);
      w.array_length(static_cast<std::int32_t>(p.isr_nodes.size()));
      for (auto id : p.isr_nodes) w.i32(id);
    }
  }
}

}  // namespace hallows::log::kafka
