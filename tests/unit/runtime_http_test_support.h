// Helpers for the HTTP parser tests: parse a whole buffer, or feed it in pieces, and keep an
// owned copy of the result to compare.
#pragma once
#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hallows/http/parser.h"

namespace http_test {

using hallows::http::Limits;
using hallows::http::ParseStatus;
using hallows::http::RequestParser;

// An owned copy of a parsed request (the parser's views do not outlive its buffer).
struct Snapshot {
  ParseStatus status = ParseStatus::kNeedMore;
  std::size_t consumed = 0;
  int error_status = 0;
  std::string reason;
  std::string method, target, path, query, body;
  int version_minor = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  bool keep_alive = false;
  bool expect_continue = false;

  bool operator==(const Snapshot&) const = default;
};

inline Snapshot snapshot(const RequestParser& parser, ParseStatus status, std::size_t consumed) {
  Snapshot s;
  s.status = status;
  s.consumed = consumed;
  if (status == ParseStatus::kError) {
    s.error_status = parser.error().status;
    s.reason = std::string(parser.error().reason);
    return s;
  }
  if (status != ParseStatus::kComplete) return s;
  const auto& r = parser.request();
  s.method = std::string(r.method_token);
  s.target = std::string(r.target);
  s.path = std::string(r.path);
  s.query = std::string(r.query);
  s.body = std::string(r.body);
  s.version_minor = r.version_minor;
  for (const auto& h : r.headers) s.headers.emplace_back(h.name, h.value);
  s.keep_alive = r.keep_alive;
  s.expect_continue = r.expect_continue;
  return s;
}

// Parses `text` in one call.
inline Snapshot parse_once(std::string_view text, const Limits& limits = {}) {
  RequestParser parser(limits);
  std::size_t consumed = 0;
  ParseStatus status = parser.parse(text, consumed);
  return snapshot(parser, status, consumed);
}

// Feeds `text` in `step`-byte increments. Every call gets a fresh buffer and the previous one is
// overwritten (all stay allocated), so a view kept from an earlier call would read garbage.
inline Snapshot parse_in_steps(std::string_view text, std::size_t step, const Limits& limits = {}) {
  RequestParser parser(limits);
  std::vector<std::unique_ptr<std::string>> buffers;
  std::size_t consumed = 0;
  for (std::size_t n = std::min(step, text.size());; n = std::min(n + step, text.size())) {
    buffers.push_back(std::make_unique<std::string>(text.substr(0, n)));
    if (buffers.size() >= 2) {
      std::string& old = *buffers[buffers.size() - 2];
      old.assign(old.size(), 'X');
    }
    ParseStatus status = parser.parse(*buffers.back(), consumed);
    if (status != ParseStatus::kNeedMore || n == text.size()) {
      return snapshot(parser, status, consumed);
    }
  }
}

// Parses `text` split once at `at`: the first `at` bytes, then all of it.
inline Snapshot parse_split(std::string_view text, std::size_t at, const Limits& limits = {}) {
  RequestParser parser(limits);
  std::size_t consumed = 0;
  std::string first(text.substr(0, at));
  ParseStatus status = parser.parse(first, consumed);
  if (status != ParseStatus::kNeedMore) return snapshot(parser, status, consumed);
  first.assign(first.size(), 'X');
  std::string whole(text);
  status = parser.parse(whole, consumed);
  return snapshot(parser, status, consumed);
}

}  // namespace http_test
