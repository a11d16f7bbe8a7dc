// The chunked transfer coding (RFC 9112 7.1), decoded into the parser's own body buffer:
//
//   *( chunk-size [ chunk-ext ] CRLF chunk-data CRLF )
//   "0"+ [ chunk-ext ] CRLF *( trailer-field CRLF ) CRLF
//
//   chunk-size = 1*HEXDIG; chunk-ext = *( BWS ";" ... ), ignored
//
// Sizes are checked against the body limit as they are read (413 before any data arrives), the
// size line is bounded, extensions are bounded in total by max_header_bytes, and trailer fields
// are checked like header fields, counted against the same limits, and dropped.
#include <algorithm>

#include "ascii.h"
#include "hallows/http/parser.h"
#include "parser_util.h"

namespace hallows::http {
namespace {

// Hex digits plus extensions of one chunk-size line.
constexpr std::size_t kMaxChunkSizeLine = 1024;

}  // namespace

ParseStatus RequestParser::chunked(std::string_view data) {
  for (;;) {
    switch (phase_) {
      case Phase::kChunkSize: {
        std::size_t limit_end = saturating_add(pos_, kMaxChunkSizeLine, 0);
        std::size_t lf = find_lf(data, scan_, std::min(data.size(), limit_end));
        if (lf == kNpos) {
          if (data.size() >= limit_end) return fail(400, "chunk size line is too long");
          scan_ = data.size();
          return ParseStatus::kNeedMore;
        }
        if (lf == pos_ || data[lf - 1] != '\r') {
          return fail(400, "bare LF: lines must end with CRLF");
        }
        std::string_view line = data.substr(pos_, lf - 1 - pos_);
        pos_ = scan_ = lf + 1;
        ParseStatus s = chunk_size(line);
        if (s != ParseStatus::kComplete || phase_ == Phase::kTrailers) return s;
        break;
      }
      case Phase::kChunkData: {
        std::size_t n = std::min(chunk_left_, data.size() - pos_);
        chunked_body_.append(data.data() + pos_, n);
        pos_ += n;
        chunk_left_ -= n;
        if (chunk_left_ > 0) return ParseStatus::kNeedMore;
        phase_ = Phase::kChunkEnd;
        break;
      }
      case Phase::kChunkEnd: {
        std::size_t have = data.size() - pos_;
        if (have < 2) {
          if (have == 1 && data[pos_] != '\r') {
            return fail(400, "chunk data is not followed by CRLF");
          }
          return ParseStatus::kNeedMore;
        }
        if (data[pos_] != '\r' || data[pos_ + 1] != '\n') {
          return fail(400, "chunk data is not followed by CRLF");
        }
        pos_ += 2;
        scan_ = pos_;
        phase_ = Phase::kChunkSize;
        break;
      }
      default:
        return ParseStatus::kComplete;
    }
  }
}

ParseStatus RequestParser::chunk_size(std::string_view line) {
  // Room left under the body limit: a larger chunk is refused before its data arrives.
  std::size_t room =
      limits_->max_body_bytes - std::min(limits_->max_body_bytes, chunked_body_.size());
  std::size_t size = 0;
  std::size_t i = 0;
  for (; i < line.size(); ++i) {
    int digit = hex_digit(line[i]);
    if (digit < 0) break;
    if (size > (room >> 4)) return fail(413, "body is larger than the limit");
    size = size * 16 + static_cast<std::size_t>(digit);
  }
  if (size > room) return fail(413, "body is larger than the limit");
  if (i == 0) return fail(400, "invalid chunk size");
  std::string_view rest = line.substr(i);
  if (!rest.empty()) {
    while (!rest.empty() && is_ows(rest.front())) rest.remove_prefix(1);
    if (rest.empty() || rest.front() != ';') return fail(400, "invalid chunk size");
    if (!all_of_class(rest, kFieldValue)) return fail(400, "invalid character in chunk extension");
    extension_bytes_ += rest.size();
    if (extension_bytes_ > limits_->max_header_bytes) {
      return fail(400, "chunk extensions are longer than the limit");
    }
  }
  if (size == 0) {
    section_start_ = pos_;
    phase_ = Phase::kTrailers;
    return ParseStatus::kComplete;
  }
  chunk_left_ = size;
  phase_ = Phase::kChunkData;
  return ParseStatus::kComplete;
}

ParseStatus RequestParser::trailers(std::string_view data) {
  std::size_t limit_end = saturating_add(section_start_, limits_->max_header_bytes, 0);
  for (;;) {
    std::string_view line;
    ParseStatus s = next_line(data, limit_end, line);
    if (s != ParseStatus::kComplete) return s;
    if (line.empty()) return complete(chunked_body_, pos_);
    Header field;
    if (field_line(line, field) != ParseStatus::kComplete) return ParseStatus::kError;
  }
}

}  // namespace hallows::http
