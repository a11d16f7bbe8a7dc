// Request headers, the advertised API table and response framing. See kafka_request.h.
#include "kafka_request.h"

#include <algorithm>
#include <array>

namespace hallows::log::kafka {

namespace {

// The ranges docs/slytherin-kafka.md and ../shared/design/KAFKA-PROTOCOL.md give: none of
// them is a flexible version, so every request below has header v1 and every response
// header v0. librdkafka enables its features from the overlap with these ranges.
constexpr std::array<ApiRange, 12> kApis = {{
    {api::produce, 3, 7, "Produce"},
    {api::fetch, 4, 11, "Fetch"},
    {api::list_offsets, 0, 2, "ListOffsets"},
    {api::metadata, 0, 4, "Metadata"},
    {api::offset_commit, 0, 7, "OffsetCommit"},
    {api::offset_fetch, 0, 5, "OffsetFetch"},
    {api::find_coordinator, 0, 2, "FindCoordinator"},
    {api::join_group, 0, 5, "JoinGroup"},
    {api::heartbeat, 0, 3, "Heartbeat"},
    {api::leave_group, 0, 1, "LeaveGroup"},
    {api::sync_group, 0, 3, "SyncGroup"},
    {api::api_versions, 0, 2, "ApiVersions"},
}};

}  // namespace

std::span<const ApiRange> supported_apis() noexcept {
  return kApis;
}

const ApiRange* find_api(std::int16_t key) noexcept {
  for (const auto& a : kApis)
    if (a.key == key) return &a;
  return nullptr;
}

bool is_supported(std::int16_t key, std::int16_t version) noexcept {
  const auto* a = find_api(key);
  return a != nullptr && version >= a->min_version && version <= a->max_version;
}

std::string api_name(std::int16_t key) {
  if (const auto* a = find_api(key)) return a->name;
  return "api " + std::to_string(key);
}

bool request_header_is_flexible(std::int16_t key, std::int16_t version) noexcept {
  // The first flexible version of each API we know (Kafka's message schemas).
  switch (key) {
    case api::api_versions:
      return version >= 3;
    case api::produce:
      return version >= 9;
    case api::fetch:
      return version >= 12;
    case api::list_offsets:
      return version >= 6;
    case api::metadata:
      return version >= 9;
    case api::offset_commit:
      return version >= 8;
    case api::offset_fetch:
      return version >= 6;
    case api::find_coordinator:
      return version >= 3;
    case api::join_group:
      return version >= 6;
    case api::heartbeat:
      return version >= 4;
    case api::leave_group:
      return version >= 4;
    case api::sync_group:
      return version >= 4;
    default:
      return false;
  }
}

bool peek_request_header(std::span<const std::byte> frame, RequestHeader& out) noexcept {
  if (frame.size() < 8) return false;
  wire::Reader r(frame);
  out.api_key = r.i16();
  out.api_version = r.i16();
  out.correlation_id = r.i32();
  return true;
}

std::string decode_request_header(std::span<const std::byte> frame, RequestHeader& out,
                                  std::size_t& body_offset) {
  wire::Reader r(frame);
  out.api_key = r.i16();
  out.api_version = r.i16();
  out.correlation_id = r.i32();
  // client_id is a plain (not compact) nullable string even in header v2.
  out.client_id = r.nullable_string();
  if (request_header_is_flexible(out.api_key, out.api_version)) r.skip_tagged_fields();
  if (r.failed()) return "malformed request header";
  body_offset = r.position();
  return {};
}

std::vector<std::byte>& ResponseBody::bytes() {
  if (pieces.empty() || pieces.back().is_file) pieces.emplace_back();
  return pieces.back().bytes;
}

void ResponseBody::add_file(FileRange range) {
  if (range.data.empty()) return;
  Piece p;
  p.is_file = true;
  p.file = std::move(range);
  pieces.push_back(std::move(p));
}

std::size_t ResponseBody::size() const noexcept {
  std::size_t n = 0;
  for (const auto& p : pieces) n += p.size();
  return n;
}

std::vector<std::byte> ResponseBody::flatten() const {
  std::vector<std::byte> out;
  out.reserve(size());
  for (const auto& p : pieces) {
    if (p.is_file)
      out.insert(out.end(), p.file.data.begin(), p.file.data.end());
    else
      out.insert(out.end(), p.bytes.begin(), p.bytes.end());
  }
  return out;
}

ResponseBody frame_response(std::int32_t correlation_id, bool flexible_header, ResponseBody body) {
  ResponseBody framed;
  auto& head = framed.bytes();
  wire::Writer w(head);
  std::size_t header_size = flexible_header ? 5 : 4;
  w.i32(static_cast<std::int32_t>(header_size + body.size()));
  w.i32(correlation_id);
  if (flexible_header) w.empty_tagged_fields();
  // The first byte piece joins the header: one fewer iovec for the common small response.
  std::size_t first = 0;
  if (!body.pieces.empty() && !body.pieces.front().is_file) {
    const auto& b = body.pieces.front().bytes;
    head.insert(head.end(), b.begin(), b.end());
    first = 1;
  }
  for (std::size_t i = first; i < body.pieces.size(); ++i)
    framed.pieces.push_back(std::move(body.pieces[i]));
  return framed;
}

}  // namespace hallows::log::kafka
