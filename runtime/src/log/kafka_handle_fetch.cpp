// Fetch: whole batches from each partition's log, within max_bytes and partition_max_bytes
// (the first partition with data always gets at least one whole batch, as in Kafka), long
// polled until min_bytes are there or max_wait_ms passes. No fetch sessions: a sessionless
// request (id 0, epoch -1) or a request to open one (id 0, epoch 0) gets a full response with
// session id 0, which tells the client no session was created.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "kafka_api.h"
#include "kafka_handlers.h"

namespace hallows::log::kafka {

namespace {

inline constexpr std::int16_t kStorageError = 56;  // KAFKA_STORAGE_ERROR

struct OwnedPartition {
  std::int32_t partition;
  std::int64_t fetch_offset;
  std::int32_t partition_max_bytes;
};
struct OwnedTopic {
  std::string name;
  std::vector<OwnedPartition> partitions;
};

class FetchPending : public PendingResponse {
 public:
  FetchPending(BrokerContext& ctx, std::int16_t version, const FetchRequest& req)
      : ctx_(ctx), version_(version), min_bytes_(req.min_bytes), max_bytes_(req.max_bytes) {
    // Copies: the request's views die with the frame, the pending fetch may outlive it.
    for (const auto& t : req.topics) {
      OwnedTopic ot{std::string(t.name), {}};
      for (const auto& p : t.partitions)
        ot.partitions.push_back({p.partition, p.fetch_offset, p.partition_max_bytes});
      topics_.push_back(std::move(ot));
    }
  }

  bool poll(Clock::time_point now, ResponseBody& out) override {
    FetchResponse resp;
    std::size_t total = 0;
    bool any_error = false;
    auto remaining = static_cast<std::size_t>(std::max<std::int32_t>(max_bytes_, 0));
    bool first_data = true;
    for (const auto& t : topics_) {
      auto& tr = resp.topics.emplace_back();
      tr.name = t.name;
      for (const auto& p : t.partitions) {
        auto& pr = tr.partitions.emplace_back();
        pr.partition = p.partition;
        PartitionLog* log = ctx_.log.partition(t.name, p.partition);
        if (log == nullptr) {
          pr.error_code = error::unknown_topic_or_partition;
          any_error = true;
          continue;
        }
        auto visible = log->visible_offset();
        auto start = log->start_offset();
        pr.high_watermark = visible;
        pr.last_stable_offset = visible;
        pr.log_start_offset = start;
        if (p.fetch_offset < start || p.fetch_offset > log->end_offset()) {
          pr.error_code = error::offset_out_of_range;
          any_error = true;
          continue;
        }
        if (p.fetch_offset >= visible) continue;  // nothing to read yet
        auto limit = std::min(
            remaining, static_cast<std::size_t>(std::max<std::int32_t>(p.partition_max_bytes, 0)));
        if (!first_data && limit == 0) continue;
        ReadSlice slice;
        auto err = log->read(p.fetch_offset, std::max<std::size_t>(limit, 1), slice);
        if (err == ReadError::offset_out_of_range) {
          pr.error_code = error::offset_out_of_range;
          any_error = true;
          continue;
        }
        if (err == ReadError::corrupt) {
          ctx_.report(fmt::format("slytherin: fetch from {}-{} at offset {}: corrupt segment",
                                  t.name, p.partition, p.fetch_offset));
          pr.error_code = kStorageError;
          any_error = true;
          continue;
        }
        if (slice.data.empty()) continue;
        // Past the first partition with data, a batch larger than what is left waits for
        // the next fetch (Kafka would send it truncated; clients drop partial batches).
        if (!first_data && slice.data.size() > limit) continue;
        pr.records = FileRange{slice.fd, slice.file_position, slice.data, slice.keep};
        total += slice.data.size();
        remaining -= std::min(remaining, slice.data.size());
        first_data = false;
      }
    }
    bool due = any_error || now >= deadline ||
               total >= static_cast<std::size_t>(std::max<std::int32_t>(min_bytes_, 0));
    if (!due) return false;
    encode_fetch_response(resp, version_, out);
    return true;
  }

 private:
  BrokerContext& ctx_;
  std::int16_t version_;
  std::int32_t min_bytes_;
  std::int32_t max_bytes_;
  std::vector<OwnedTopic> topics_;
};

}  // namespace

HandleResult handle_fetch(BrokerContext& ctx, const RequestHeader& header,
                          std::span<std::byte> body) {
  FetchRequest req;
  if (!decode_fetch_request(body, header.api_version, req))
    return close_result(fmt::format("malformed Fetch v{} body", header.api_version));
  HandleResult r;
  if (req.session_id != 0 || (req.session_epoch != -1 && req.session_epoch != 0)) {
    // We never hand out a session id, so a client cannot hold one.
    FetchResponse resp;
    resp.error_code = req.session_id != 0 ? error::fetch_session_id_not_found
                                          : error::invalid_fetch_session_epoch;
    encode_fetch_response(resp, header.api_version, r.body);
    return r;
  }
  auto pending = std::make_unique<FetchPending>(ctx, header.api_version, req);
  auto now = Clock::now();
  pending->deadline = now + std::chrono::milliseconds(std::max<std::int32_t>(req.max_wait_ms, 0));
  if (pending->poll(now, r.body)) return r;
  r.kind = HandleResult::Kind::pending;
  r.pending = std::move(pending);
  return r;
}

}  // namespace hallows::log::kafka
