// ListOffsets: -2 the earliest offset kept, -1 the high watermark (what consumers may read),
// else the first offset whose timestamp is >= the one asked for.
#include <fmt/format.h>

#include "kafka_api.h"
#include "kafka_handlers.h"

namespace hallows::log::kafka {

namespace {

// The timestamp of the record at `offset` (uncompressed batches), or -1.
std::int64_t timestamp_at(const PartitionLog& log, std::int64_t offset) {
  ReadSlice slice;
  if (log.read(offset, 1, slice) != ReadError::none || slice.data.empty()) return -1;
  auto header = read_batch_header(slice.data);
  if (!header || header->size() > slice.data.size()) return -1;
  std::int64_t ts = -1;
  for_each_record(slice.data.first(header->size()), [&](const RecordView& record) {
    if (record.offset < offset) return true;
    ts = record.timestamp;
    return false;
  });
  return ts;
}

}  // namespace

HandleResult handle_list_offsets(BrokerContext& ctx, const RequestHeader& header,
                                 std::span<std::byte> body) {
  ListOffsetsRequest req;
  if (!decode_list_offsets_request(body, header.api_version, req))
    return close_result(fmt::format("malformed ListOffsets v{} body", header.api_version));
  ListOffsetsResponse resp;
  for (const auto& t : req.topics) {
    auto& tr = resp.topics.emplace_back();
    tr.name = std::string(t.name);
    for (const auto& p : t.partitions) {
      auto& pr = tr.partitions.emplace_back();
      pr.partition_index = p.partition_index;
      PartitionLog* log = ctx.log.partition(t.name, p.partition_index);
      if (log == nullptr) {
        pr.error_code = error::unknown_topic_or_partition;
        continue;
      }
      if (p.timestamp == -2) {
        pr.offset = log->start_offset();
      } else if (p.timestamp == -1) {
        pr.offset = log->visible_offset();
      } else {
        auto offset = log->offset_for_time(p.timestamp);
        if (offset < log->visible_offset()) {
          pr.offset = offset;
          pr.timestamp = timestamp_at(*log, offset);
        }
        // else: no record that late: offset and timestamp stay -1, as Kafka answers.
      }
    }
  }
  HandleResult r;
  encode_list_offsets_response(resp, header.api_version, r.body);
  return r;
}

}  // namespace hallows::log::kafka
