// The limits every Basilisk service enforces, with safe defaults. A .pt `limits { ... }` block
// overrides them per service (docs/basilisk.md lists the settings and their ranges).
#pragma once
#include <chrono>
#include <cstddef>

namespace hallows::http {

struct Limits {
  std::size_t max_request_line_bytes = 8192;  // longer: 414 (the target) or 400
  std::size_t max_header_bytes = 16384;       // the whole head after the request line: 431
  std::size_t max_headers = 64;               // header fields: 431
  std::size_t max_body_bytes = 1 << 20;       // Content-Length or chunked total: 413
  // From a request's first byte to its last: a slower client gets 408 and is closed.
  std::chrono::milliseconds request_timeout{10000};
  // A keep-alive connection with no request in progress is closed after this (no response).
  std::chrono::milliseconds idle_timeout{60000};
  // Open connections per core of the partition; one more is answered 503 and closed.
  std::size_t max_connections = 10000;
  // Requests answered on one connection before it is closed (Connection: close); 0: no bound.
  std::size_t max_requests_per_connection = 0;
};

}  // namespace hallows::http
