// The request head (RFC 9112 2-3, 5-7):
//
//   *( CRLF ) method SP request-target SP HTTP/1.x CRLF *( name ":" OWS value OWS CRLF ) CRLF
//
// followed by a body framed by Content-Length or by the chunked coding (chunked.cpp). Lines are
// processed once, when their LF has arrived; scan_ remembers where the search for the next LF
// resumes, so input split anywhere costs linear work in total.
#include <algorithm>
#include <cstring>
#include <limits>

#include "ascii.h"
#include "hallows/http/parser.h"
#include "parser_util.h"

namespace hallows::http {
namespace {

// RFC 9112 2.2: a server SHOULD ignore at least one empty line before a request line.
constexpr std::size_t kMaxEmptyLines = 4;
// A chunked body's buffer larger than this is released at reset() instead of kept for reuse.
constexpr std::size_t kKeepBodyCapacity = 64 * 1024;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

ParseStatus RequestParser::parse(std::string_view data, std::size_t& consumed) {
  consumed = 0;
  if (phase_ == Phase::kDone) {
    consumed = consumed_;
    return ParseStatus::kComplete;
  }
  if (phase_ == Phase::kError) return ParseStatus::kError;
  if (data.empty()) return ParseStatus::kNeedMore;
  // The caller must pass the same bytes again plus more: fewer would make offsets dangle.
  if (data.size() < std::max(pos_, scan_)) return fail(400, "input shrank between calls");
  started_ = true;
  if (address(data.data()) != base_) rebase(data.data());
  for (;;) {
    ParseStatus step = ParseStatus::kNeedMore;
    switch (phase_) {
      case Phase::kStart:
        step = start(data);
        break;
      case Phase::kRequestLine:
        step = request_line(data);
        break;
      case Phase::kHeaders:
        step = headers(data);
        break;
      case Phase::kBody:
        if (data.size() - section_start_ < content_length_) return ParseStatus::kNeedMore;
        step = complete(data.substr(section_start_, content_length_),
                        section_start_ + content_length_);
        break;
      case Phase::kChunkSize:
      case Phase::kChunkData:
      case Phase::kChunkEnd:
        step = chunked(data);
        break;
      case Phase::kTrailers:
        step = trailers(data);
        break;
      case Phase::kDone:
      case Phase::kError:
        break;
    }
    if (phase_ == Phase::kDone) {
      consumed = consumed_;
      return ParseStatus::kComplete;
    }
    if (step != ParseStatus::kComplete) return step;
  }
}

void RequestParser::reset() {
  request_.method = Method::kOther;
  request_.method_token = {};
  request_.target = {};
  request_.path = {};
  request_.query = {};
  request_.version_minor = 1;
  request_.headers.clear();  // keeps its capacity for the next request
  request_.body = {};
  request_.keep_alive = true;
  request_.expect_continue = false;
  error_ = {};
  started_ = false;
  head_done_ = false;
  phase_ = Phase::kStart;
  pos_ = scan_ = line_start_ = section_start_ = consumed_ = 0;
  base_ = 0;
  empty_lines_ = fields_ = content_length_ = chunk_left_ = extension_bytes_ = 0;
  hosts_ = 0;
  has_content_length_ = has_transfer_encoding_ = chunked_ = false;
  connection_close_ = connection_keep_alive_ = false;
  if (chunked_body_.capacity() > kKeepBodyCapacity) {
    std::string().swap(chunked_body_);
  } else {
    chunked_body_.clear();
  }
}

ParseStatus RequestParser::fail(int status, std::string_view reason) {
  error_ = {status, reason};
  phase_ = Phase::kError;
  return ParseStatus::kError;
}

ParseStatus RequestParser::complete(std::string_view body, std::size_t end) {
  request_.body = body;
  consumed_ = end;
  phase_ = Phase::kDone;
  return ParseStatus::kComplete;
}

// The caller may have moved its buffer since the last call (it grew): views parsed then keep
// their offsets from data[0].
void RequestParser::rebase(const char* base) noexcept {
  std::uintptr_t old = base_;
  base_ = address(base);
  if (phase_ == Phase::kStart || phase_ == Phase::kRequestLine) return;
  auto move = [&](std::string_view& v) {
    if (v.data() != nullptr) v = std::string_view(base + (address(v.data()) - old), v.size());
  };
  move(request_.method_token);
  move(request_.target);
  move(request_.path);
  move(request_.query);
  for (Header& h : request_.headers) {
    move(h.name);
    move(h.value);
  }
}

ParseStatus RequestParser::start(std::string_view data) {
  while (pos_ < data.size()) {
    char c = data[pos_];
    if (c == '\r') {
      if (pos_ + 1 >= data.size()) return ParseStatus::kNeedMore;
      if (data[pos_ + 1] != '\n') return fail(400, "bare CR: lines must end with CRLF");
      if (++empty_lines_ > kMaxEmptyLines) {
        return fail(400, "too many empty lines before the request line");
      }
      pos_ += 2;
      continue;
    }
    if (c == '\n') return fail(400, "bare LF: lines must end with CRLF");
    // Fail fast on what is not HTTP at all (a TLS handshake, binary junk).
    if (!is_class(c, kTchar)) return fail(400, "invalid method");
    line_start_ = scan_ = pos_;
    phase_ = Phase::kRequestLine;
    return ParseStatus::kComplete;
  }
  return ParseStatus::kNeedMore;
}

ParseStatus RequestParser::request_line(std::string_view data) {
  // The line without its CRLF may be max bytes long: its LF is at most at line_start_ + max + 1.
  std::size_t limit_end = saturating_add(line_start_, limits_->max_request_line_bytes, 2);
  std::size_t lf = find_lf(data, scan_, std::min(data.size(), limit_end));
  if (lf == kNpos) {
    if (data.size() >= limit_end) return request_line_too_long(data);
    scan_ = data.size();
    return ParseStatus::kNeedMore;
  }
  if (data[lf - 1] != '\r') return fail(400, "bare LF: lines must end with CRLF");
  std::string_view line = data.substr(line_start_, lf - 1 - line_start_);
  pos_ = scan_ = section_start_ = lf + 1;

  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = sp1 == kNpos ? kNpos : line.find(' ', sp1 + 1);
  if (sp2 == kNpos) return fail(400, "request line is not METHOD SP request-target SP version");
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (method.empty() || !all_of_class(method, kTchar)) return fail(400, "invalid method");
  if (target.empty()) return fail(400, "empty request-target");

  if (version == "HTTP/1.1") {
    request_.version_minor = 1;
  } else if (version == "HTTP/1.0") {
    request_.version_minor = 0;
  } else if (version.size() == 8 && version.substr(0, 5) == "HTTP/" && is_digit(version[5]) &&
             version[6] == '.' && is_digit(version[7])) {
    return fail(505, "HTTP version not supported (only HTTP/1.0 and HTTP/1.1)");
  } else {
    return fail(400, "invalid HTTP version");
  }

  if (!all_of_class(target, kTarget)) return fail(400, "invalid character in request-target");
  request_.method = method_from(method);
  if (target[0] == '/') {
    std::size_t q = target.find('?');
    request_.path = target.substr(0, q);
    if (q != kNpos) request_.query = target.substr(q + 1);
  } else if (target == "*") {
    if (request_.method != Method::kOptions) {
      return fail(400, "the asterisk-form request-target is only for OPTIONS");
    }
    request_.path = target;
  } else {
    return fail(400, "request-target must be an absolute path (origin-form)");
  }
  request_.method_token = method;
  request_.target = target;
  phase_ = Phase::kHeaders;
  return ParseStatus::kComplete;
}

// 414 unless the method or the version is what runs long (the version has a fixed size). Only
// the bytes up to the limit decide, so the answer does not depend on how the input was split.
ParseStatus RequestParser::request_line_too_long(std::string_view data) {
  std::string_view window = data.substr(line_start_, limits_->max_request_line_bytes + 2);
  std::size_t sp1 = window.find(' ');
  if (sp1 == kNpos || sp1 == 0 || !all_of_class(window.substr(0, sp1), kTchar)) {
    return fail(400, "request line is longer than the limit");
  }
  std::size_t sp2 = window.find(' ', sp1 + 1);
  if (sp2 != kNpos && window.substr(sp2 + 1).find('\r') > 8) {
    return fail(400, "request line is longer than the limit");
  }
  return fail(414, "request-target is longer than the limit");
}

// The next CRLF-terminated field line (or the empty line) from pos_, which must end before
// `limit_end` (else 431). Its bytes are checked on the way: no controls but HTAB, no DEL.
ParseStatus RequestParser::next_line(std::string_view data, std::size_t limit_end,
                                     std::string_view& line) {
  std::size_t stop = find_field_stop(data, scan_, std::min(data.size(), limit_end));
  if (stop == kNpos) {
    if (data.size() >= limit_end) return fail(431, "header section is larger than the limit");
    scan_ = data.size();
    return ParseStatus::kNeedMore;
  }
  scan_ = stop;  // the bytes before it are fine: resume here
  char c = data[stop];
  if (c == '\n') return fail(400, "bare LF: lines must end with CRLF");
  if (c == '\r') {
    if (stop + 1 >= limit_end) return fail(431, "header section is larger than the limit");
    if (stop + 1 >= data.size()) return ParseStatus::kNeedMore;
    if (data[stop + 1] == '\n') {
      line = data.substr(pos_, stop - pos_);
      pos_ = scan_ = stop + 2;
      return ParseStatus::kComplete;
    }
  }
  // A stray control byte (or a CR not ending the line): say where it is.
  const void* colon = std::memchr(data.data() + pos_, ':', stop - pos_);
  if (colon == nullptr) return fail(400, "invalid character in header field name");
  return fail(400, "invalid character in header field value");
}

ParseStatus RequestParser::field_line(std::string_view line, Header& field) {
  if (is_ows(line[0])) return fail(400, "obsolete line folding is not allowed");
  std::size_t at = 0;
  while (at < line.size() && is_class(line[at], kTchar)) ++at;
  if (at == line.size()) return fail(400, "header field has no colon");
  if (line[at] != ':') {
    std::size_t colon = line.find(':', at);
    if (colon == kNpos) return fail(400, "header field has no colon");
    bool spaces = true;
    for (std::size_t i = at; i < colon; ++i) spaces = spaces && is_ows(line[i]);
    if (spaces) return fail(400, "whitespace between header field name and colon");
    return fail(400, "invalid character in header field name");
  }
  if (at == 0) return fail(400, "empty header field name");
  if (++fields_ > limits_->max_headers) return fail(431, "too many header fields");
  // The value's bytes were checked by next_line.
  field = {line.substr(0, at), trim_ows(line.substr(at + 1))};
  return ParseStatus::kComplete;
}

ParseStatus RequestParser::headers(std::string_view data) {
  std::size_t limit_end = saturating_add(section_start_, limits_->max_header_bytes, 0);
  for (;;) {
    std::string_view line;
    ParseStatus s = next_line(data, limit_end, line);
    if (s != ParseStatus::kComplete) return s;
    if (line.empty()) return finish_head();
    Header field;
    if (field_line(line, field) != ParseStatus::kComplete) return ParseStatus::kError;
    if (head_field(field) != ParseStatus::kComplete) return ParseStatus::kError;
    request_.headers.push_back(field);
  }
}

// The fields that frame the message or decide the connection (RFC 9112 6-9).
ParseStatus RequestParser::head_field(const Header& field) {
  std::string_view name = field.name;
  std::string_view value = field.value;
  switch (name.size()) {
    case 4:
      if (iequals(name, "host") && hosts_ < 2) ++hosts_;
      break;
    case 6:
      if (iequals(name, "expect") && iequals(value, "100-continue")) {
        request_.expect_continue = true;
      }
      break;
    case 10:
      if (iequals(name, "connection")) {
        for_each_list_element(value, [&](std::string_view option) {
          if (iequals(option, "close")) connection_close_ = true;
          if (iequals(option, "keep-alive")) connection_keep_alive_ = true;
          return true;
        });
      }
      break;
    case 14:
      if (iequals(name, "content-length")) {
        if (value.empty()) return fail(400, "Content-Length is not a number");
        std::size_t n = 0;
        for (char c : value) {
          if (!is_digit(c)) return fail(400, "Content-Length is not a number");
          // Saturates: anything this large is over every body limit (413).
          std::size_t max = std::numeric_limits<std::size_t>::max();
          n = n > (max - 9) / 10 ? max : n * 10 + static_cast<std::size_t>(c - '0');
        }
        if (has_content_length_ && n != content_length_) {
          return fail(400, "Content-Length headers with different values");
        }
        has_content_length_ = true;
        content_length_ = n;
      }
      break;
    case 17:
      if (iequals(name, "transfer-encoding")) {
        has_transfer_encoding_ = true;
        int status = 0;
        std::string_view reason;
        for_each_list_element(value, [&](std::string_view coding) {
          if (chunked_) {
            status = 400;
            reason = "chunked must be the last transfer coding, and only once";
            return false;
          }
          if (iequals(coding, "chunked")) {
            chunked_ = true;
            return true;
          }
          status = 501;
          reason = "transfer coding not implemented (only chunked)";
          return false;
        });
        if (status != 0) return fail(status, reason);
      }
      break;
    default:
      break;
  }
  return ParseStatus::kComplete;
}

ParseStatus RequestParser::finish_head() {
  bool http11 = request_.version_minor == 1;
  if (http11 && hosts_ == 0) return fail(400, "missing Host header");
  if (hosts_ > 1) return fail(400, "more than one Host header");
  if (has_transfer_encoding_) {
    // RFC 9112 6.1: chunked framing in HTTP/1.0, or alongside Content-Length, is how requests
    // are smuggled past a proxy that reads the framing differently.
    if (!http11) return fail(400, "Transfer-Encoding in an HTTP/1.0 request");
    if (has_content_length_) return fail(400, "both Transfer-Encoding and Content-Length");
    if (!chunked_) return fail(400, "Transfer-Encoding without a coding");
  }
  request_.keep_alive = !connection_close_ && (http11 || connection_keep_alive_);
  // RFC 9110 10.1.1: a 100-continue expectation in HTTP/1.0 is ignored.
  if (!http11) request_.expect_continue = false;
  head_done_ = true;
  section_start_ = pos_;
  if (chunked_) {
    phase_ = Phase::kChunkSize;
    return ParseStatus::kComplete;
  }
  if (has_content_length_) {
    if (content_length_ > limits_->max_body_bytes)
      return fail(413, "body is larger than the limit");
    phase_ = Phase::kBody;
    return ParseStatus::kComplete;
  }
  return complete({}, pos_);
}

}  // namespace hallows::http
