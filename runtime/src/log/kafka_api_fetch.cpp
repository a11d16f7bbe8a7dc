// Fetch (key 1) v4-11: request decode and response encode. The records of each partition go
// into the ResponseBody as a file range, so the server can sendfile() them.
#include "kafka_api.h"

namespace hallows::log::kafka {

bool decode_fetch_request(std::span<const std::byte> body, std::int16_t version,
                          FetchRequest& out) {
  wire::Reader r(body);
  out.replica_id = r.i32();
  out.max_wait_ms = r.i32();
  out.min_bytes = r.i32();
  out.max_bytes = r.i32();       // v3+
  out.isolation_level = r.i8();  // v4+
  if (version >= 7) {
    out.session_id = r.i32();
    out.session_epoch = r.i32();
  }
  // The smallest partition entry: partition, fetch_offset, partition_max_bytes.
  std::size_t min_partition = 16 + (version >= 5 ? 8 : 0) + (version >= 9 ? 4 : 0);
  auto topics = r.array_length(6);
  for (std::int32_t t = 0; t < topics && !r.failed(); ++t) {
    FetchTopic topic;
    topic.name = r.string();
    auto parts = r.array_length(min_partition);
    for (std::int32_t p = 0; p < parts && !r.failed(); ++p) {
      FetchPartition fp;
      fp.partition = r.i32();
      if (version >= 9) fp.current_leader_epoch = r.i32();
      fp.fetch_offset = r.i64();
      if (version >= 5) fp.log_start_offset = r.i64();
      fp.partition_max_bytes = r.i32();
      topic.partitions.push_back(fp);
    }
    out.topics.push_back(std::move(topic));
  }
  if (version >= 7) {
    auto forgotten = r.array_length(6);
    for (std::int32_t t = 0; t < forgotten && !r.failed(); ++t) {
      ForgottenTopic topic;
      topic.name = r.string();
      auto parts = r.array_length(4);
      for (std::int32_t p = 0; p < parts && !r.failed(); ++p) topic.partitions.push_back(r.i32());
      out.forgotten.push_back(std::move(topic));
    }
  }
  if (version >= 11) out.rack_id = r.string();
  return !r.failed() && r.remaining() == 0;
}

void encode_fetch_response(const FetchResponse& response, std::int16_t version, ResponseBody& out) {
  {
    wire::Writer w(out.bytes());
    w.i32(0);  // throttle_time_ms
    if (version >= 7) {
      w.i16(response.error_code);
      w.i32(response.session_id);
    }
    w.array_length(static_cast<std::int32_t>(response.topics.size()));
  }
  for (const auto& t : response.topics) {
    wire::Writer w(out.bytes());
    w.string(t.name);
    w.array_length(static_cast<std::int32_t>(t.partitions.size()));
    for (const auto& p : t.partitions) {
      // A fresh writer per partition: add_file() below starts a new byte piece.
      wire::Writer pw(out.bytes());
      pw.i32(p.partition);
      pw.i16(p.error_code);
      pw.i64(p.high_watermark);
      pw.i64(p.last_stable_offset);
      if (version >= 5) pw.i64(p.log_start_offset);
      pw.array_length(0);             // aborted_transactions: none (no transactions)
      if (version >= 11) pw.i32(-1);  // preferred_read_replica: none
      pw.i32(static_cast<std::int32_t>(p.records.data.size()));  // records (BYTES)
      out.add_file(p.records);
    }
  }
}

}  // namespace hallows::log::kafka
