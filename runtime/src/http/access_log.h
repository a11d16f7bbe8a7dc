// A loop's access log: one JSON line per request, buffered and written with one write(2) every
// 100 ms or 64 KiB, and when the loop stops. Off (fd -1) it costs one branch per request.
//   {"ts":"2025-01-31T12:00:00.123Z","service":"OrderApi","method":"GET","path":"/orders/7",
//    "route":"/orders/{order_id: i64}","status":200,"bytes":123,"us":42,"peer":"127.0.0.1:5312"}
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace hallows::http::detail {

class AccessLog {
 public:
  using Clock = std::chrono::steady_clock;

  // `fd` is borrowed (stderr or the service's log file); -1 turns the log off.
  AccessLog(int fd, std::string_view service);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  bool on() const noexcept { return fd_ >= 0; }
  void record(std::string_view method, std::string_view path, std::string_view route, int status,
              std::size_t bytes, std::int64_t micros, std::string_view peer);
  // Writes the buffer when it is 100 ms old (call once per loop iteration).
  void maybe_flush(Clock::time_point now) {
    if (!buffer_.empty() && now - last_flush_ >= kFlushEvery) flush(now);
  }
  void flush(Clock::time_point now);

 private:
  static constexpr std::chrono::milliseconds kFlushEvery{100};
  static constexpr std::size_t kFlushBytes = 64 * 1024;
  void append_timestamp();

  int fd_;
  std::string service_json_;  // the service name as a JSON string
  std::string buffer_;
  Clock::time_point last_flush_{};
  std::int64_t ts_ms_ = -1;  // the millisecond ts_ holds
  char ts_[32] = {};
};

// Appends `text` as a JSON string (quotes included); invalid UTF-8 becomes U+FFFD.
void append_json_string(std::string& out, std::string_view text);

}  // namespace hallows::http::detail
