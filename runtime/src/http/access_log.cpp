#include "access_log.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <ctime>

#include "hallows/lang/utf8.h"

namespace hallows::http::detail {

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string clean;
  if (!is_valid_utf8(text)) {
    append_utf8_sanitized(clean, text);
    text = clean;
  }
  out += '"';
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && c != '"' && c != '\\') {
      out += c;
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  out += '"';
}

AccessLog::AccessLog(int fd, std::string_view service) : fd_(fd) {
  append_json_string(service_json_, service);
}

AccessLog::~AccessLog() {
  flush(Clock::now());
}

void AccessLog::append_timestamp() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  std::int64_t ms = static_cast<std::int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
  if (ms != ts_ms_) {
    std::tm tm{};
    gmtime_r(&now.tv_sec, &tm);
    std::strftime(ts_, sizeof ts_, "%Y-%m-%dT%H:%M:%S", &tm);
    std::size_t n = std::char_traits<char>::length(ts_);
    int frac = static_cast<int>(ms % 1000);
    ts_[n] = '.';
    ts_[n + 1] = static_cast<char>('0' + frac / 100);
    ts_[n + 2] = static_cast<char>('0' + frac / 10 % 10);
    ts_[n + 3] = static_cast<char>('0' + frac % 10);
    ts_[n + 4] = 'Z';
    ts_[n + 5] = '\0';
    ts_ms_ = ms;
  }
  buffer_ += ts_;
}

void AccessLog::record(std::string_view method, std::string_view path, std::string_view route,
                       int status, std::size_t bytes, std::int64_t micros, std::string_view peer) {
  if (fd_ < 0) return;
  auto number = [this](std::int64_t value) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    buffer_.append(digits, end);
  };
  buffer_ += "{\"ts\":\"";
  append_timestamp();
  buffer_ += "\",\"service\":";
  buffer_ += service_json_;
  buffer_ += ",\"method\":";
  append_json_string(buffer_, method);
  buffer_ += ",\"path\":";
  append_json_string(buffer_, path);
  buffer_ += ",\"route\":";
  append_json_string(buffer_, route);
  buffer_ += ",\"status\":";
  number(status);
  buffer_ += ",\"bytes\":";
  number(static_cast<std::int64_t>(bytes));
  buffer_ += ",\"us\":";
  number(micros);
  buffer_ += ",\"peer\":";
  append_json_string(buffer_, peer);
  buffer_ += "}\n";
  if (buffer_.size() >= kFlushBytes) flush(Clock::now());
}

void AccessLog::flush(Clock::time_point now) {
  last_flush_ = now;
  if (fd_ < 0 || buffer_.empty()) return;
  // One write for the whole batch; a short write (a full pipe) retries the rest, an error drops
  // the batch rather than stall the loop.
  std::size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  buffer_.clear();
}

}  // namespace hallows::http::detail
