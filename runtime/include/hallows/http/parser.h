// The HTTP/1.1 request parser: strict (RFC 9112), bounded by Limits, incremental.
//
// The connection keeps unconsumed input in one contiguous buffer and calls parse() with all of
// it each time more arrives. The parser remembers how far it got, so total work stays linear in
// the bytes received however the input is split (a slowloris sending one byte at a time costs
// O(n), not O(n^2)). On kComplete the request's views point into `data` (and into the parser's
// own body buffer for chunked bodies) and stay valid until the next parse() or reset().
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hallows/http/limits.h"
#include "hallows/http/request.h"

namespace hallows::http {

enum class ParseStatus { kNeedMore, kComplete, kError };

struct ParseError {
  int status = 400;         // 400, 413, 414, 431, 501 (unknown transfer coding), 505
  std::string_view reason;  // static text for the problem body: "header field has no colon"
};

class RequestParser {
 public:
  explicit RequestParser(const Limits& limits) : limits_(&limits) {}

  // Parses the request at the start of `data`. kComplete: the first `consumed` bytes were one
  // whole request (head and body); call reset() before parsing the next one (pipelining: the
  // rest of `data` after `consumed`). kNeedMore: give it the same bytes plus more later.
  // kError: error() says the status to answer; the connection must be closed after it.
  ParseStatus parse(std::string_view data, std::size_t& consumed);

  // True once the head is complete (so a 100-continue may be sent); the request's head fields
  // are then valid even while the body is still arriving.
  bool head_complete() const noexcept { return head_done_; }
  // True once any byte of a request has been seen (the request timeout runs from then).
  bool started() const noexcept { return started_; }

  const Request& request() const noexcept { return request_; }
  const ParseError& error() const noexcept { return error_; }
  void reset();

 private:
  // Where the parse is: leading empty lines, request line, header fields, the body framed by
  // Content-Length, the chunked decoder's states, then done or failed (both sticky until reset).
  enum class Phase : std::uint8_t {
    kStart,
    kRequestLine,
    kHeaders,
    kBody,
    kChunkSize,
    kChunkData,
    kChunkEnd,
    kTrailers,
    kDone,
    kError,
  };

  // The steps return kComplete when they moved to another phase, kNeedMore or kError to stop.
  ParseStatus fail(int status, std::string_view reason);
  ParseStatus start(std::string_view data);
  ParseStatus request_line(std::string_view data);
  ParseStatus request_line_too_long(std::string_view data);
  ParseStatus next_line(std::string_view data, std::size_t limit_end, std::string_view& line);
  ParseStatus field_line(std::string_view line, Header& field);
  ParseStatus headers(std::string_view data);
  ParseStatus head_field(const Header& field);
  ParseStatus finish_head();
  ParseStatus chunked(std::string_view data);
  ParseStatus chunk_size(std::string_view line);
  ParseStatus trailers(std::string_view data);
  ParseStatus complete(std::string_view body, std::size_t end);
  void rebase(const char* base) noexcept;

  const Limits* limits_;
  Request request_;
  ParseError error_;
  bool started_ = false;
  bool head_done_ = false;
  Phase phase_ = Phase::kStart;
  // Offsets into `data`: the next unprocessed byte, where the search for the next LF resumes,
  // the first byte after the request line, the first byte of the body or trailers.
  std::size_t pos_ = 0;
  std::size_t scan_ = 0;
  std::size_t line_start_ = 0;
  std::size_t section_start_ = 0;
  std::size_t consumed_ = 0;
  // The address of data[0] at the last call: views parsed earlier move with the buffer.
  std::uintptr_t base_ = 0;
  std::size_t empty_lines_ = 0;
  std::size_t fields_ = 0;  // header fields plus trailer fields
  std::size_t content_length_ = 0;
  std::size_t chunk_left_ = 0;
  std::size_t extension_bytes_ = 0;
  std::uint8_t hosts_ = 0;
  bool has_content_length_ = false;
  bool has_transfer_encoding_ = false;
  bool chunked_ = false;
  bool connection_close_ = false;
  bool connection_keep_alive_ = false;
  std::string chunked_body_;
};

}  // namespace hallows::http
