// ListOffsets (key 2) v0-2: request decode and response encode. See kafka_api.h.
#include "kafka_api.h"

namespace hallows::log::kafka {

bool decode_list_offsets_request(std::span<const std::byte> body, std::int16_t version,
                                 ListOffsetsRequest& out) {
  wire::Reader r(body);
  out.replica_id = r.i32();
  if (version >= 2) out.isolation_level = r.i8();
  std::size_t min_partition = version == 0 ? 16 : 12;
  auto topics = r.array_length(6);
  for (std::int32_t t = 0; t < topics && !r.failed(); ++t) {
    ListOffsetsTopic topic;
    topic.name = r.string();
    auto parts = r.array_length(min_partition);
    for (std::int32_t p = 0; p < parts && !r.failed(); ++p) {
      ListOffsetsPartition lp;
      lp.partition_index = r.i32();
      lp.timestamp = r.i64();
      if (version == 0) lp.max_num_offsets = r.i32();
      topic.partitions.push_back(lp);
    }
    out.topics.push_back(std::move(topic));
  }
  return !r.failed() && r.remaining() == 0;
}

void encode_list_offsets_response(const ListOffsetsResponse& response, std::int16_t version,
                                  ResponseBody& out) {
  wire::Writer w(out.bytes());
  if (version >= 2) w.i32(0);  // throttle_time_ms
  w.array_length(static_cast<std::int32_t>(response.topics.size()));
  for (const auto& t : response.topics) {
    w.string(t.name);
    w.array_length(static_cast<std::int32_t>(t.partitions.size()));
    for (const auto& p : t.partitions) {
      w.i32(p.partition_index);
      w.i16(p.error_code);
      if (version == 0) {
        // old_style_offsets: the one offset asked for, none on error.
        bool has = p.error_code == error::none && p.offset >= 0;
        w.array_length(has ? 1 : 0);
        if (has) w.i64(p.offset);
      } else {
        w.i64(p.timestamp);
        w.i64(p.offset);
      }
    }
  }
}

}  // namespace hallows::log::kafka
