// Writing responses: status lines, the fixed headers every response carries, JSON and RFC 9457
// problem bodies. The server appends responses to a connection's output buffer in request order.
#pragma once
#include <string>
#include <string_view>

namespace hallows::http {

// "OK", "Created", "Not Found", ... ("Unknown" for codes it does not know).
std::string_view reason_phrase(int status) noexcept;

// An RFC 9457 problem body (application/problem+json):
//   {"type":"about:blank","title":"Bad Request","status":400,"detail":"...",
//    "instance":"/orders","field":"$.quantity","rule":"between(1, 100)"}
// `instance`, `field` and `rule` are left out when empty. Every string is JSON-escaped; bytes
// that are not valid UTF-8 become U+FFFD, so the body is always valid JSON.
std::string problem_json(int status, std::string_view detail, std::string_view instance = {},
                         std::string_view field = {}, std::string_view rule = {});

// Appends a whole response to `out`: status line, Date (cached per second), Server: basilisk,
// Content-Type (when `content_type` is not empty), Content-Length, `extra_headers` (each
// "Name: value\r\n", may be empty), "Connection: close" when !keep_alive, then the body unless
// `head_only` (HEAD: the headers describe the body that a GET would send).
void append_response(std::string& out, int status, std::string_view content_type,
                     std::string_view body, bool keep_alive, bool head_only = false,
                     std::string_view extra_headers = {});

}  // namespace hallows::http
