// Produce (key 0) v3-7: request decode and response encode. See kafka_api.h for the layouts.
#include "kafka_api.h"

namespace hallows::log::kafka {

bool decode_produce_request(std::span<const std::byte> body, std::int16_t /*version*/,
                            ProduceRequest& out) {
  // v3..v7 share one request layout (v4-7 only changed the meaning of errors and acks).
  wire::Reader r(body);
  out.transactional_id = r.nullable_string();
  out.acks = r.i16();
  out.timeout_ms = r.i32();
  auto topics = r.array_length(6);  // name (>= 2) + partition count (4)
  for (std::int32_t t = 0; t < topics && !r.failed(); ++t) {
    ProduceTopicData topic;
    topic.name = r.string();
    auto parts = r.array_length(8);  // index (4) + records length (4)
    for (std::int32_t p = 0; p < parts && !r.failed(); ++p) {
      ProducePartitionData data;
      data.index = r.i32();
      data.records = r.nullable_bytes();
      topic.partitions.push_back(data);
    }
    out.topics.push_back(std::move(topic));
  }
  return !r.failed() && r.remaining() == 0;
}

void encode_produce_response(const ProduceResponse& response, std::int16_t version,
                             ResponseBody& out) {
  wire::Writer w(out.bytes());
  w.array_length(static_cast<std::int32_t>(response.topics.size()));
  for (const auto& t : response.topics) {
    w.string(t.name);
    w.array_length(static_cast<std::int32_t>(t.partitions.size()));
    for (const auto& p : t.partitions) {
      w.i32(p.index);
      w.i16(p.error_code);
      w.i64(p.base_offset);
      w.i64(p.log_append_time_ms);                  // v2+
      if (version >= 5) w.i64(p.log_start_offset);  // v5+
    }
  }
  w.i32(0);  // throttle_time_ms (v1+)
}

}  // namespace hallows::log::kafka
