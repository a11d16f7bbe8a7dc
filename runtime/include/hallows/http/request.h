// A parsed HTTP/1.1 request: views into the connection's input buffer (or the parser's
// de-chunked body), valid until the handler returns.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace hallows::http {

enum class Method : std::uint8_t { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

// "GET" -> kGet; anything that is a valid token but not above -> kOther.
Method method_from(std::string_view token) noexcept;
const char* to_string(Method method) noexcept;  // "GET", ..., "OTHER"

struct Header {
  std::string_view name;   // as sent (compare case-insensitively)
  std::string_view value;  // leading and trailing spaces and tabs removed
};

struct Request {
  Method method = Method::kOther;
  std::string_view method_token;  // as sent, for logs
  std::string_view target;        // the request-target as sent: path and query
  std::string_view path;          // target before '?', still percent-encoded
  std::string_view query;         // after '?' (without it), still percent-encoded; may be empty
  int version_minor = 1;          // HTTP/1.0 or HTTP/1.1
  std::vector<Header> headers;
  std::string_view body;         // de-chunked when the request was chunked
  bool keep_alive = true;        // version and Connection header decide
  bool expect_continue = false;  // "Expect: 100-continue" was sent

  // The first header with this name (case-insensitive), if any.
  std::optional<std::string_view> header(std::string_view name) const noexcept;
};

}  // namespace hallows::http
