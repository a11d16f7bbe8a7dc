// The HTTP/1.1 request parser: strict (RFC 9112), bounded by Limits, incremental.
//
// The connection keeps unconsumed input in one contiguous buffer and calls parse() with all of
// it each time more arrives. The parser remembers how far it got, so total work stays linear in
// the bytes received however the input is split (a slowloris sending one byte at a time costs
// O(n), not O(n^2)). On kComplete the request's views point into `data` (and into the parser's
// own body buffer for chunked bodies) and stay valid until the next parse() or reset().
#pragma once
#include <cstddef>
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
  const Limits* limits_;
  Request request_;
  ParseError error_;
  bool started_ = false;
  bool head_done_ = false;
  // Parse state (implementation-defined): how far the head scan got, the body framing, the
  // chunked decoder's position and its output.
  std::size_t scanned_ = 0;
  std::size_t head_bytes_ = 0;
  std::size_t content_length_ = 0;
  bool chunked_ = false;
  int chunk_state_ = 0;
  std::size_t chunk_pos_ = 0;
  std::size_t chunk_left_ = 0;
  std::string chunked_body_;
};

}  // namespace hallows::http
