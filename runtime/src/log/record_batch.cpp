// Record batch v2 (magic 2), the bytes Produce carries, the segments store and Fetch serves:
//
//   0  baseOffset i64        | 8  batchLength i32 (bytes after this field)
//   12 partitionLeaderEpoch  | 16 magic i8 = 2     | 17 crc u32 (CRC-32C of 21..end)
//   21 attributes i16        | 23 lastOffsetDelta  | 27 baseTimestamp i64
//   35 maxTimestamp i64      | 43 producerId i64   | 51 producerEpoch i16
//   53 baseSequence i32      | 57 recordsCount i32 | 61 records (one block if compressed)
//
// A record: length varint, attributes i8, timestampDelta varlong, offsetDelta varint,
// keyLength varint (-1 null), key, valueLength varint (-1 null), value, headerCount varint,
// then per header keyLength varint, key, valueLength varint (-1 null), value. All varints are
// zigzag. See ../shared/design/KAFKA-PROTOCOL.md.
#include "hallows/log/record_batch.h"

#include <algorithm>

#include "batch_codec.h"

namespace hallows::log {

using codec::get_varint;
using codec::load_be;
using codec::store_be;

const char* to_string(BatchError error) noexcept {
  switch (error) {
    case BatchError::none:
      return "ok";
    case BatchError::truncated:
      return "truncated batch";
    case BatchError::bad_magic:
      return "not a v2 record batch (magic)";
    case BatchError::bad_length:
      return "bad batch length";
    case BatchError::bad_crc:
      return "CRC mismatch";
    case BatchError::bad_records:
      return "malformed records";
  }
  return "unknown batch error";
}

std::optional<BatchHeader> read_batch_header(std::span<const std::byte> data) noexcept {
  if (data.size() < kBatchHeaderSize) return std::nullopt;
  const std::byte* p = data.data();
  BatchHeader h;
  h.base_offset = load_be<std::int64_t>(p + batch_field::base_offset);
  h.batch_length = load_be<std::int32_t>(p + batch_field::batch_length);
  h.leader_epoch = load_be<std::int32_t>(p + batch_field::leader_epoch);
  h.magic = load_be<std::int8_t>(p + batch_field::magic);
  h.crc = load_be<std::uint32_t>(p + batch_field::crc);
  h.attributes = load_be<std::int16_t>(p + batch_field::attributes);
  h.last_offset_delta = load_be<std::int32_t>(p + batch_field::last_offset_delta);
  h.base_timestamp = load_be<std::int64_t>(p + batch_field::base_timestamp);
  h.max_timestamp = load_be<std::int64_t>(p + batch_field::max_timestamp);
  h.producer_id = load_be<std::int64_t>(p + batch_field::producer_id);
  h.producer_epoch = load_be<std::int16_t>(p + batch_field::producer_epoch);
  h.base_sequence = load_be<std::int32_t>(p + batch_field::base_sequence);
  h.records_count = load_be<std::int32_t>(p + batch_field::records_count);
  return h;
}

namespace {

enum class Parse { ok, overrun, malformed };

// Parses one record starting at p (its length prefix) within [p, end).
Parse parse_record(const std::byte*& p, const std::byte* end, const BatchHeader& h, RecordView& r,
                   std::int64_t& offset_delta) noexcept {
  std::int64_t length = 0;
  if (!get_varint(p, end, length, 5)) return Parse::overrun;
  if (length < 0) return Parse::malformed;
  if (length > end - p) return Parse::overrun;
  const std::byte* rec_end = p + length;
  if (p == rec_end) return Parse::malformed;
  ++p;  // attributes, unused in v2
  std::int64_t ts_delta = 0, key_len = 0, value_len = 0, header_count = 0;
  if (!get_varint(p, rec_end, ts_delta, 10) || !get_varint(p, rec_end, offset_delta, 5) ||
      !get_varint(p, rec_end, key_len, 5))
    return Parse::malformed;
  if (key_len < -1 || key_len > rec_end - p) return Parse::malformed;
  r.key.reset();
  if (key_len >= 0) {
    r.key = std::span<const std::byte>(p, static_cast<std::size_t>(key_len));
    p += key_len;
  }
  if (!get_varint(p, rec_end, value_len, 5)) return Parse::malformed;
  if (value_len < -1 || value_len > rec_end - p) return Parse::malformed;
  r.value.reset();
  if (value_len >= 0) {
    r.value = std::span<const std::byte>(p, static_cast<std::size_t>(value_len));
    p += value_len;
  }
  if (!get_varint(p, rec_end, header_count, 5) || header_count < 0) return Parse::malformed;
  const std::byte* headers_start = p;
  for (std::int64_t i = 0; i < header_count; ++i) {
    std::int64_t hk = 0, hv = 0;
    if (!get_varint(p, rec_end, hk, 5) || hk < 0 || hk > rec_end - p) return Parse::malformed;
    p += hk;
    if (!get_varint(p, rec_end, hv, 5) || hv < -1 || hv > rec_end - p) return Parse::malformed;
    if (hv > 0) p += hv;
  }
  if (p != rec_end) return Parse::malformed;
  r.headers_bytes = std::span<const std::byte>(headers_start, rec_end);
  r.header_count = static_cast<std::int32_t>(header_count);
  r.offset = h.base_offset + offset_delta;
  r.timestamp = h.base_timestamp + ts_delta;
  return Parse::ok;
}

}  // namespace

BatchError check_batch(std::span<const std::byte> data) noexcept {
  auto header = read_batch_header(data);
  if (!header) return BatchError::truncated;
  const BatchHeader& h = *header;
  if (h.magic != 2) return BatchError::bad_magic;
  if (h.batch_length < static_cast<std::int32_t>(kBatchHeaderSize - kBatchLogOverhead))
    return BatchError::bad_length;
  if (data.size() < h.size()) return BatchError::truncated;
  const std::byte* p = data.data();
  if (crc32c(p + batch_field::attributes, h.size() - batch_field::attributes) != h.crc)
    return BatchError::bad_crc;
  if (h.last_offset_delta < 0 || h.records_count < 0) return BatchError::bad_records;
  if (h.compression() != 0) return BatchError::none;  // one compressed block: stored as is
  if (h.records_count == 0 || h.last_offset_delta != h.records_count - 1)
    return BatchError::bad_records;
  const std::byte* cur = p + kBatchHeaderSize;
  const std::byte* end = p + h.size();
  RecordView r;
  for (std::int32_t i = 0; i < h.records_count; ++i) {
    std::int64_t delta = 0;
    switch (parse_record(cur, end, h, r, delta)) {
      case Parse::ok:
        break;
      case Parse::overrun:
        return BatchError::bad_length;
      case Parse::malformed:
        return BatchError::bad_records;
    }
    if (delta != i) return BatchError::bad_records;
  }
  if (cur != end) return BatchError::bad_records;  // bytes beyond recordsCount records
  return BatchError::none;
}

void set_base_offset(std::span<std::byte> batch, std::int64_t base_offset) noexcept {
  if (batch.size() < 8) return;
  store_be<std::int64_t>(batch.data() + batch_field::base_offset, base_offset);
}

bool for_each_record(std::span<const std::byte> batch,
                     const std::function<bool(const RecordView&)>& fn) {
  auto header = read_batch_header(batch);
  if (!header || header->compression() != 0 || batch.size() < header->size()) return false;
  const BatchHeader& h = *header;
  const std::byte* cur = batch.data() + kBatchHeaderSize;
  const std::byte* end = batch.data() + h.size();
  RecordView r;
  for (std::int32_t i = 0; i < h.records_count; ++i) {
    std::int64_t delta = 0;
    if (parse_record(cur, end, h, r, delta) != Parse::ok) return false;
    if (!fn(r)) return true;
  }
  return true;
}

bool for_each_header(const RecordView& record, const std::function<void(const RecordHeader&)>& fn) {
  const std::byte* p = record.headers_bytes.data();
  const std::byte* end = p + record.headers_bytes.size();
  for (std::int32_t i = 0; i < record.header_count; ++i) {
    std::int64_t kl = 0, vl = 0;
    if (!get_varint(p, end, kl, 5) || kl < 0 || kl > end - p) return false;
    RecordHeader h;
    h.key = std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(kl));
    p += kl;
    if (!get_varint(p, end, vl, 5) || vl < -1 || vl > end - p) return false;
    if (vl >= 0) {
      h.value = std::span<const std::byte>(p, static_cast<std::size_t>(vl));
      p += vl;
    }
    fn(h);
  }
  return true;
}

namespace codec {

void append_record(std::vector<std::byte>& out, std::int64_t timestamp_delta,
                   std::int32_t offset_delta, std::optional<std::span<const std::byte>> key,
                   std::optional<std::span<const std::byte>> value,
                   std::span<const RecordHeader> headers) {
  auto len_of = [](const auto& opt) -> std::int64_t {
    return opt ? static_cast<std::int64_t>(opt->size()) : -1;
  };
  std::int64_t key_len = len_of(key), value_len = len_of(value);
  std::size_t body = 1 + varint_size(timestamp_delta) + varint_size(offset_delta) +
                     varint_size(key_len) + (key ? key->size() : 0) + varint_size(value_len) +
                     (value ? value->size() : 0) +
                     varint_size(static_cast<std::int64_t>(headers.size()));
  for (const auto& h : headers) {
    std::int64_t hv = len_of(h.value);
    body += varint_size(static_cast<std::int64_t>(h.key.size())) + h.key.size() + varint_size(hv) +
            (h.value ? h.value->size() : 0);
  }
  out.reserve(out.size() + body + 5);
  put_varint(out, static_cast<std::int64_t>(body));
  out.push_back(std::byte{0});
  put_varint(out, timestamp_delta);
  put_varint(out, offset_delta);
  put_varint(out, key_len);
  if (key) out.insert(out.end(), key->begin(), key->end());
  put_varint(out, value_len);
  if (value) out.insert(out.end(), value->begin(), value->end());
  put_varint(out, static_cast<std::int64_t>(headers.size()));
  for (const auto& h : headers) {
    put_varint(out, static_cast<std::int64_t>(h.key.size()));
    const auto* k = reinterpret_cast<const std::byte*>(h.key.data());
    out.insert(out.end(), k, k + h.key.size());
    put_varint(out, len_of(h.value));
    if (h.value) out.insert(out.end(), h.value->begin(), h.value->end());
  }
}

void seal_batch(std::span<std::byte> batch, const BatchHeader& h) noexcept {
  std::byte* p = batch.data();
  store_be<std::int64_t>(p + batch_field::base_offset, h.base_offset);
  store_be<std::int32_t>(p + batch_field::batch_length,
                         static_cast<std::int32_t>(batch.size() - kBatchLogOverhead));
  store_be<std::int32_t>(p + batch_field::leader_epoch, h.leader_epoch);
  store_be<std::int8_t>(p + batch_field::magic, 2);
  store_be<std::int16_t>(p + batch_field::attributes, h.attributes);
  store_be<std::int32_t>(p + batch_field::last_offset_delta, h.last_offset_delta);
  store_be<std::int64_t>(p + batch_field::base_timestamp, h.base_timestamp);
  store_be<std::int64_t>(p + batch_field::max_timestamp, h.max_timestamp);
  store_be<std::int64_t>(p + batch_field::producer_id, h.producer_id);
  store_be<std::int16_t>(p + batch_field::producer_epoch, h.producer_epoch);
  store_be<std::int32_t>(p + batch_field::base_sequence, h.base_sequence);
  store_be<std::int32_t>(p + batch_field::records_count, h.records_count);
  store_be<std::uint32_t>(p + batch_field::crc, crc32c(p + batch_field::attributes,
                                                       batch.size() - batch_field::attributes));
}

}  // namespace codec

BatchBuilder::BatchBuilder(std::int64_t base_timestamp_ms)
    : base_timestamp_(base_timestamp_ms), max_timestamp_(base_timestamp_ms) {
  records_.resize(kBatchHeaderSize);
}

void BatchBuilder::add(std::optional<std::span<const std::byte>> key,
                       std::optional<std::span<const std::byte>> value, std::int64_t timestamp_ms,
                       std::span<const RecordHeader> headers) {
  codec::append_record(records_, timestamp_ms - base_timestamp_, count_, key, value, headers);
  max_timestamp_ = std::max(max_timestamp_, timestamp_ms);
  ++count_;
}

std::size_t BatchBuilder::count() const noexcept {
  return static_cast<std::size_t>(count_);
}

std::vector<std::byte> BatchBuilder::finish() {
  if (count_ == 0) return {};  // a batch without records is not a valid v2 batch
  BatchHeader h;
  h.last_offset_delta = count_ - 1;
  h.base_timestamp = base_timestamp_;
  h.max_timestamp = max_timestamp_;
  h.records_count = count_;
  codec::seal_batch(records_, h);
  std::vector<std::byte> out;
  out.swap(records_);
  records_.resize(kBatchHeaderSize);
  count_ = 0;
  max_timestamp_ = base_timestamp_;
  return out;
}

}  // namespace hallows::log
