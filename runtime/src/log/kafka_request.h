// The Kafka request layer shared by the broker's pieces: API keys and the versions we
// advertise, error codes, the request header (v1, and v2 with tagged fields for flexible
// versions), and ResponseBody, a response assembled from byte pieces and file ranges so that
// Fetch can sendfile() record bytes straight from a segment.
//
// Frame layout on the wire (both directions): i32 size | header | body.
//   request header v1: api_key i16 | api_version i16 | correlation_id i32 | client_id string?
//   request header v2: the same, then a tagged-field buffer (uvarint count, tags)
//   response header v0: correlation_id i32;  v1: correlation_id i32 | tagged-field buffer
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hallows/log/kafka_wire.h"

namespace hallows::log::kafka {

namespace api {
inline constexpr std::int16_t produce = 0;
inline constexpr std::int16_t fetch = 1;
inline constexpr std::int16_t list_offsets = 2;
inline constexpr std::int16_t metadata = 3;
inline constexpr std::int16_t offset_commit = 8;
inline constexpr std::int16_t offset_fetch = 9;
inline constexpr std::int16_t find_coordinator = 10;
inline constexpr std::int16_t join_group = 11;
inline constexpr std::int16_t heartbeat = 12;
inline constexpr std::int16_t leave_group = 13;
inline constexpr std::int16_t sync_group = 14;
inline constexpr std::int16_t api_versions = 18;
}  // namespace api

namespace error {
inline constexpr std::int16_t none = 0;
inline constexpr std::int16_t offset_out_of_range = 1;
inline constexpr std::int16_t corrupt_message = 2;
inline constexpr std::int16_t unknown_topic_or_partition = 3;
inline constexpr std::int16_t request_timed_out = 7;
inline constexpr std::int16_t invalid_topic_exception = 17;
inline constexpr std::int16_t unsupported_version = 35;
inline constexpr std::int16_t invalid_request = 42;
inline constexpr std::int16_t fetch_session_id_not_found = 70;
inline constexpr std::int16_t invalid_fetch_session_epoch = 71;
inline constexpr std::int16_t unsupported_compression_type = 76;
inline constexpr std::int16_t invalid_record = 87;
}  // namespace error

// One advertised API: the versions we decode and encode exactly.
struct ApiRange {
  std::int16_t key;
  std::int16_t min_version;
  std::int16_t max_version;
  const char* name;
};

// Every API we serve, in key order (the ApiVersions response lists exactly these).
std::span<const ApiRange> supported_apis() noexcept;
const ApiRange* find_api(std::int16_t key) noexcept;
bool is_supported(std::int16_t key, std::int16_t version) noexcept;
// "Produce", "Fetch", ... or "api 42" for keys we do not know.
std::string api_name(std::int16_t key);

struct RequestHeader {
  std::int16_t api_key = 0;
  std::int16_t api_version = 0;
  std::int32_t correlation_id = 0;
  std::optional<std::string_view> client_id;  // points into the frame
};

// Whether a request at (key, version) uses the flexible header v2. Of the versions we
// advertise only ApiVersions v3+ (which we answer with UNSUPPORTED_VERSION) would; unknown
// APIs are read as header v1, which is enough to find the correlation id.
bool request_header_is_flexible(std::int16_t key, std::int16_t version) noexcept;

// The first 8 bytes of a request (key, version, correlation id): readable for any API, known or
// not. Returns false when the frame is shorter than that.
bool peek_request_header(std::span<const std::byte> frame, RequestHeader& out) noexcept;

// Decodes the whole request header of `frame` (the bytes after the size). On success returns
// an empty string and sets body_offset to where the body starts; else a reason.
std::string decode_request_header(std::span<const std::byte> frame, RequestHeader& out,
                                  std::size_t& body_offset);

// A range of a segment file to send with sendfile(); `data` holds the same bytes (mapped)
// for the copying fallback. `keep` keeps both alive until the bytes are sent.
struct FileRange {
  int fd = -1;
  std::int64_t position = 0;
  std::span<const std::byte> data;
  std::shared_ptr<const void> keep;
};

// A response body as a sequence of pieces: encoded bytes, and file ranges in between.
class ResponseBody {
 public:
  struct Piece {
    std::vector<std::byte> bytes;
    FileRange file;  // used when is_file
    bool is_file = false;
    std::size_t size() const noexcept { return is_file ? file.data.size() : bytes.size(); }
  };

  // The trailing byte piece to append encoded fields to (a fresh one after a file range).
  std::vector<std::byte>& bytes();
  void add_file(FileRange range);
  std::size_t size() const noexcept;
  // Every byte, copied into one vector (tests and the fuzzer compare and parse this).
  std::vector<std::byte> flatten() const;

  std::vector<Piece> pieces;
};

// Puts `i32 size | response header | body` together: the frame that goes on the wire.
// `flexible_header` adds the header's tagged-field buffer (response header v1).
ResponseBody frame_response(std::int32_t correlation_id, bool flexible_header, ResponseBody body);

}  // namespace hallows::log::kafka
