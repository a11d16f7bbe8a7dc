// libFuzzer target for the Kafka broker's request decoding. One input is what a client could
// send on one connection: frames (i32 size | request header | body) back to back. Each frame
// goes the broker's way: the size check, the 8-byte peek, the supported-version check, the
// header decode (v1, or v2 for flexible versions), then the body decoder of its API, ours
// (ApiVersions, Metadata, Produce, Fetch, ListOffsets) or the group codec's. Decoded Produce
// record sets go through the batch checks the broker runs (check_batch, for_each_record), and
// decoded requests are answered through the response encoders, so both directions are covered.
//
// Built only with -DPT_FUZZ=ON and clang (scripts/fuzz.sh kafka). The same file, linked with
// replay_main.cpp, is `kafka_fuzz_replay`, which ctest runs over tests/fuzz/kafka_corpus/ in
// the ordinary build.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "../../runtime/src/log/kafka_api.h"
#include "../../runtime/src/log/kafka_groups_codec.h"
#include "hallows/log/record_batch.h"

namespace {

namespace k = hallows::log::kafka;

constexpr std::size_t kMaxFrame = 1 << 20;

void check_records(std::span<const std::byte> records) {
  std::size_t pos = 0;
  while (pos < records.size()) {
    auto rest = records.subspan(pos);
    auto header = hallows::log::read_batch_header(rest);
    if (!header || header->batch_length < 0 || header->size() > rest.size()) return;
    auto batch = rest.first(header->size());
    if (hallows::log::check_batch(batch) != hallows::log::BatchError::none) return;
    std::size_t sum = 0;
    hallows::log::for_each_record(batch, [&](const hallows::log::RecordView& r) {
      if (r.value) sum += r.value->size();
      hallows::log::for_each_header(
          r, [&](const hallows::log::RecordHeader& h) { sum += h.key.size(); });
      return true;
    });
    (void)sum;
    pos += header->size();
  }
}

void decode_body(const k::RequestHeader& h, std::span<const std::byte> body) {
  k::ResponseBody out;
  switch (h.api_key) {
    case k::api::api_versions:
      k::encode_api_versions_response(h.api_version, 0, out);
      break;
    case k::api::metadata: {
      k::MetadataRequest req;
      if (!k::decode_metadata_request(body, h.api_version, req)) return;
      k::MetadataResponse resp;
      if (req.topics)
        for (auto name : *req.topics) resp.topics.push_back({3, std::string(name), {}});
      k::encode_metadata_response(resp, h.api_version, out);
      break;
    }
    case k::api::produce: {
      k::ProduceRequest req;
      if (!k::decode_produce_request(body, h.api_version, req)) return;
      k::ProduceResponse resp;
      for (const auto& t : req.topics) {
        auto& tr = resp.topics.emplace_back();
        tr.name = std::string(t.name);
        for (const auto& p : t.partitions) {
          if (p.records) check_records(*p.records);
          tr.partitions.push_back({p.index, 0, 0, -1, 0});
        }
      }
      k::encode_produce_response(resp, h.api_version, out);
      break;
    }
    case k::api::fetch: {
      k::FetchRequest req;
      if (!k::decode_fetch_request(body, h.api_version, req)) return;
      k::FetchResponse resp;
      for (const auto& t : req.topics) {
        auto& tr = resp.topics.emplace_back();
        tr.name = std::string(t.name);
        for (const auto& p : t.partitions) tr.partitions.push_back({p.partition, 1, 0, 0, 0, {}});
      }
      k::encode_fetch_response(resp, h.api_version, out);
      break;
    }
    case k::api::list_offsets: {
      k::ListOffsetsRequest req;
      if (!k::decode_list_offsets_request(body, h.api_version, req)) return;
      k::ListOffsetsResponse resp;
      for (const auto& t : req.topics) {
        auto& tr = resp.topics.emplace_back();
        tr.name = std::string(t.name);
        for (const auto& p : t.partitions) tr.partitions.push_back({p.partition_index, 0, -1, 0});
      }
      k::encode_list_offsets_response(resp, h.api_version, out);
      break;
    }
    default: {
      // The group APIs: their decoders throw on a malformed body (the broker closes then).
      namespace g = k::groups;
      try {
        switch (h.api_key) {
          case k::api::find_coordinator:
            g::decode_find_coordinator(body, h.api_version);
            break;
          case k::api::join_group:
            g::decode_join_group(body, h.api_version);
            break;
          case k::api::sync_group:
            g::decode_sync_group(body, h.api_version);
            break;
          case k::api::heartbeat:
            g::decode_heartbeat(body, h.api_version);
            break;
          case k::api::leave_group:
            g::decode_leave_group(body, h.api_version);
            break;
          case k::api::offset_commit:
            g::decode_offset_commit(body, h.api_version);
            break;
          case k::api::offset_fetch:
            g::decode_offset_fetch(body, h.api_version);
            break;
          default:
            break;
        }
      } catch (const std::runtime_error&) {
      }
      return;
    }
  }
  auto framed = k::frame_response(h.correlation_id, false, std::move(out));
  if (framed.size() < 8) __builtin_trap();
}

void run_one(const std::uint8_t* data, std::size_t size) {
  // A private, mutable copy: the broker decodes frames in place in its input buffer.
  std::vector<std::byte> input(reinterpret_cast<const std::byte*>(data),
                               reinterpret_cast<const std::byte*>(data) + size);
  std::size_t pos = 0;
  while (input.size() - pos >= 4) {
    hallows::log::wire::Reader r(std::span<const std::byte>(input).subspan(pos, 4));
    auto frame_size = r.i32();
    if (frame_size < 0 || static_cast<std::size_t>(frame_size) > kMaxFrame) return;
    if (input.size() - pos - 4 < static_cast<std::size_t>(frame_size)) return;
    std::span<std::byte> frame(input.data() + pos + 4, static_cast<std::size_t>(frame_size));
    pos += 4 + static_cast<std::size_t>(frame_size);
    k::RequestHeader header;
    if (!k::peek_request_header(frame, header)) return;
    if (!k::is_supported(header.api_key, header.api_version)) continue;
    std::size_t body_at = 0;
    if (!k::decode_request_header(frame, header, body_at).empty()) return;
    decode_body(header, frame.subspan(body_at));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  run_one(data, size);
  return 0;
}
