// Kafka record batches, format v2 (magic 2): the unit the log stores, the broker receives in
// Produce and serves in Fetch, and in-process consumers read by reference. See
// docs/slytherin-log.md for the layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hallows::log {

// CRC-32C (Castagnoli), hardware-accelerated where the CPU has SSE4.2.
std::uint32_t crc32c(const void* data, std::size_t size, std::uint32_t crc = 0) noexcept;

inline constexpr std::size_t kBatchHeaderSize = 61;
inline constexpr std::size_t kBatchLogOverhead = 12;  // baseOffset + batchLength

// Byte offsets of the header fields inside a batch.
namespace batch_field {
inline constexpr std::size_t base_offset = 0;
inline constexpr std::size_t batch_length = 8;
inline constexpr std::size_t leader_epoch = 12;
inline constexpr std::size_t magic = 16;
inline constexpr std::size_t crc = 17;
inline constexpr std::size_t attributes = 21;
inline constexpr std::size_t last_offset_delta = 23;
inline constexpr std::size_t base_timestamp = 27;
inline constexpr std::size_t max_timestamp = 35;
inline constexpr std::size_t producer_id = 43;
inline constexpr std::size_t producer_epoch = 51;
inline constexpr std::size_t base_sequence = 53;
inline constexpr std::size_t records_count = 57;
}  // namespace batch_field

struct BatchHeader {
  std::int64_t base_offset = 0;
  std::int32_t batch_length = 0;  // bytes after this field: the batch is batch_length + 12
  std::int32_t leader_epoch = 0;
  std::int8_t magic = 2;
  std::uint32_t crc = 0;
  std::int16_t attributes = 0;
  std::int32_t last_offset_delta = 0;
  std::int64_t base_timestamp = 0;
  std::int64_t max_timestamp = 0;
  std::int64_t producer_id = -1;
  std::int16_t producer_epoch = -1;
  std::int32_t base_sequence = -1;
  std::int32_t records_count = 0;

  std::size_t size() const noexcept { return static_cast<std::size_t>(batch_length) + 12; }
  int compression() const noexcept { return attributes & 0x7; }  // 0 none .. 4 zstd
  bool is_control() const noexcept { return (attributes & 0x20) != 0; }
  std::int64_t last_offset() const noexcept { return base_offset + last_offset_delta; }
};

// Why a batch was refused; `none` when it is sound.
enum class BatchError {
  none,
  truncated,    // fewer bytes than the header or its batchLength claims
  bad_magic,    // not format v2
  bad_length,   // batchLength below the header size, or records that overrun it
  bad_crc,      // CRC-32C mismatch
  bad_records,  // record count or offset deltas inconsistent (uncompressed batches)
};
const char* to_string(BatchError error) noexcept;

// Reads the header of the batch at the start of `data` (no CRC check). Empty when fewer than
// 61 bytes are present.
std::optional<BatchHeader> read_batch_header(std::span<const std::byte> data) noexcept;

// Checks the batch at the start of `data`: length, magic, CRC, and for uncompressed batches
// that every record parses, the count matches and offset deltas run 0..lastOffsetDelta.
BatchError check_batch(std::span<const std::byte> data) noexcept;

// Rewrites baseOffset in place (outside the CRC, so the batch stays valid).
void set_base_offset(std::span<std::byte> batch, std::int64_t base_offset) noexcept;

struct RecordHeader {
  std::string_view key;
  std::optional<std::span<const std::byte>> value;
};

// One record of an uncompressed batch, by reference into the batch's bytes.
struct RecordView {
  std::int64_t offset = 0;     // base offset + offset delta
  std::int64_t timestamp = 0;  // ms since the epoch: base timestamp + delta
  std::optional<std::span<const std::byte>> key;
  std::optional<std::span<const std::byte>> value;
  std::span<const std::byte> headers_bytes;  // the encoded headers, parse with for_each_header
  std::int32_t header_count = 0;
};

// Calls `fn` for each record of an uncompressed batch (whole batch in `batch`). Returns false
// (after calling fn for the records before it) when a record is malformed or the batch is
// compressed; `fn` returns false to stop early (then the result is true).
bool for_each_record(std::span<const std::byte> batch,
                     const std::function<bool(const RecordView&)>& fn);
bool for_each_header(const RecordView& record, const std::function<void(const RecordHeader&)>& fn);

// Builds uncompressed v2 batches: for publish_message, tests and tools.
class BatchBuilder {
 public:
  // `base_timestamp_ms`: the first record's timestamp; later records get deltas from it.
  explicit BatchBuilder(std::int64_t base_timestamp_ms);
  void add(std::optional<std::span<const std::byte>> key,
           std::optional<std::span<const std::byte>> value, std::int64_t timestamp_ms,
           std::span<const RecordHeader> headers = {});
  std::size_t count() const noexcept;
  // The finished batch with baseOffset 0 and its CRC; the builder is then empty again.
  std::vector<std::byte> finish();

 private:
  std::int64_t base_timestamp_ = 0;
  std::int64_t max_timestamp_ = 0;
  std::int32_t count_ = 0;
  std::vector<std::byte> records_;
};

}  // namespace hallows::log
