// Produce: check every batch (CRC, layout; typed topics: every record's value), append, and
// answer after the partition's durability point (acks 1 and -1), or not at all (acks 0).
#include <fmt/format.h>

#include <chrono>

#include "kafka_api.h"
#include "kafka_handlers.h"

namespace hallows::log::kafka {

namespace {

inline constexpr std::int16_t kInvalidRequiredAcks = 21;
inline constexpr std::int16_t kStorageError = 56;  // KAFKA_STORAGE_ERROR

// A partition's record set checked batch by batch. Returns an error code and fills `why`.
std::int16_t check_record_set(std::span<const std::byte> records, const TopicConfig& config,
                              std::string& why) {
  if (records.empty()) {
    why = "empty record set";
    return error::corrupt_message;
  }
  std::size_t pos = 0;
  int batch_index = 0;
  while (pos < records.size()) {
    auto rest = records.subspan(pos);
    auto header = read_batch_header(rest);
    if (!header) {
      why =
          fmt::format("batch {}: {} bytes, shorter than a batch header", batch_index, rest.size());
      return error::corrupt_message;
    }
    if (header->batch_length < 0 || header->size() > rest.size()) {
      why = fmt::format("batch {}: batchLength {} overruns the record set", batch_index,
                        header->batch_length);
      return error::corrupt_message;
    }
    auto batch = rest.first(header->size());
    auto err = check_batch(batch);
    if (err != BatchError::none) {
      why = fmt::format("batch {}: {}", batch_index, to_string(err));
      return error::corrupt_message;
    }
    if (config.validate_value) {
      // Typed topics: we do not decompress, so a compressed batch cannot be checked.
      if (header->compression() != 0) {
        why = fmt::format("batch {}: compressed (codec {}) batches are refused on typed topics",
                          batch_index, header->compression());
        return error::unsupported_compression_type;
      }
      int record_index = 0;
      std::string record_why;
      bool valid = true;
      bool parsed = for_each_record(batch, [&](const RecordView& record) {
        if (!record.value) {
          record_why = "null value";
          valid = false;
        } else if (!config.validate_value(*record.value, record_why)) {
          valid = false;
        }
        if (!valid) return false;
        ++record_index;
        return true;
      });
      if (!parsed) {
        why = fmt::format("batch {}: malformed records", batch_index);
        return error::corrupt_message;
      }
      if (!valid) {
        why = fmt::format("batch {} record {}: {}", batch_index, record_index, record_why);
        return error::invalid_record;
      }
    }
    pos += header->size();
    ++batch_index;
  }
  return error::none;
}

struct DurableWait {
  PartitionLog* partition;
  std::int64_t needed;  // durable_offset() must reach this
  ProducePartitionResponse* response;
};

class ProducePending : public PendingResponse {
 public:
  ProducePending(std::int16_t version, ProduceResponse response)
      : version_(version), response_(std::move(response)) {}

  std::vector<DurableWait> waits;
  ProduceResponse& response() { return response_; }

  bool poll(Clock::time_point now, ResponseBody& out) override {
    bool all = true;
    for (const auto& w : waits)
      if (w.partition->durable_offset() < w.needed) all = false;
    if (!all && now < deadline) return false;
    for (const auto& w : waits) {
      if (w.partition->durable_offset() < w.needed) {
        w.response->error_code = error::request_timed_out;
        w.response->base_offset = -1;
      }
    }
    encode_produce_response(response_, version_, out);
    return true;
  }

 private:
  std::int16_t version_;
  ProduceResponse response_;
};

}  // namespace

HandleResult handle_produce(BrokerContext& ctx, const RequestHeader& header,
                            std::span<std::byte> body) {
  ProduceRequest req;
  if (!decode_produce_request(body, header.api_version, req))
    return close_result(fmt::format("malformed Produce v{} body", header.api_version));

  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  bool acks_ok = req.acks == 0 || req.acks == 1 || req.acks == -1;
  auto pending = std::make_unique<ProducePending>(header.api_version, ProduceResponse{});
  auto& resp = pending->response();
  // Reserve first: DurableWait keeps pointers into these vectors.
  resp.topics.reserve(req.topics.size());
  for (const auto& topic : req.topics) {
    auto& tr = resp.topics.emplace_back();
    tr.name = std::string(topic.name);
    tr.partitions.reserve(topic.partitions.size());
    const TopicConfig* config = ctx.log.topic_config(topic.name);
    for (const auto& data : topic.partitions) {
      auto& pr = tr.partitions.emplace_back();
      pr.index = data.index;
      if (!acks_ok) {
        pr.error_code = kInvalidRequiredAcks;
        continue;
      }
      PartitionLog* partition = ctx.log.partition(topic.name, data.index);
      if (partition == nullptr || config == nullptr) {
        pr.error_code = error::unknown_topic_or_partition;
        continue;
      }
      std::span<const std::byte> records;
      if (data.records) records = *data.records;
      std::string why;
      pr.error_code = check_record_set(records, *config, why);
      if (pr.error_code != error::none) {
        ctx.report(fmt::format("slytherin: produce to {}-{} at offset {} refused: {}", topic.name,
                               data.index, partition->end_offset(), why));
        continue;
      }
      // The records view points into the frame the server owns: appending in place lets the
      // log rewrite each baseOffset without a copy.
      auto at = static_cast<std::size_t>(records.data() - body.data());
      auto result = partition->append(body.subspan(at, records.size()), now_ms);
      if (!result.error.empty()) {
        ctx.report(fmt::format("slytherin: produce to {}-{} failed: {}", topic.name, data.index,
                               result.error));
        pr.error_code = kStorageError;
        continue;
      }
      pr.base_offset = result.base_offset;
      pr.log_start_offset = partition->start_offset();
      if (config->durability != Durability::none &&
          partition->durable_offset() < result.next_offset)
        pending->waits.push_back({partition, result.next_offset, &pr});
    }
  }

  HandleResult r;
  if (req.acks == 0) {
    r.kind = HandleResult::Kind::no_response;
    return r;
  }
  if (pending->waits.empty()) {
    encode_produce_response(resp, header.api_version, r.body);
    return r;
  }
  auto timeout =
      req.timeout_ms > 0 ? std::chrono::milliseconds(req.timeout_ms) : ctx.config.request_timeout;
  pending->deadline = Clock::now() + timeout;
  r.kind = HandleResult::Kind::pending;
  r.pending = std::move(pending);
  return r;
}

}  // namespace hallows::log::kafka
