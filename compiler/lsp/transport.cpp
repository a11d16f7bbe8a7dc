#include "lsp/transport.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <string_view>

#include <poll.h>
#include <unistd.h>

namespace pt::lsp {

namespace {

bool header_is(std::string_view line, std::string_view name) {
  if (line.size() < name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  }
  return true;
}

}  // namespace

bool Transport::fill() {
  if (at_ > 0 && at_ == buf_.size()) {
    buf_.clear();
    at_ = 0;
  } else if (at_ > (1u << 20)) {
    buf_.erase(0, at_);
    at_ = 0;
  }
  char chunk[65536];
  for (;;) {
    ssize_t n = ::read(in_, chunk, sizeof chunk);
    if (n > 0) {
      buf_.append(chunk, static_cast<std::size_t>(n));
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

std::optional<std::string> Transport::read_line() {
  for (;;) {
    std::size_t nl = buf_.find('\n', at_);
    if (nl != std::string::npos) {
      std::string line = buf_.substr(at_, nl - at_);
      at_ = nl + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    if (buf_.size() - at_ > 65536) {  // no header line is this long: drop it
      at_ = buf_.size();
      return std::string("\x01");
    }
    if (!fill()) return std::nullopt;
  }
}

std::optional<std::string> Transport::read() {
  long long length = -1;
  bool bad = false, any = false;
  for (;;) {
    std::optional<std::string> line = read_line();
    if (!line) return std::nullopt;
    if (line->empty()) {
      if (!any) continue;  // blank lines between messages
      break;
    }
    any = true;
    if (header_is(*line, "content-length:")) {
      std::string_view v(*line);
      v.remove_prefix(15);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      long long n = -1;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || end != v.data() + v.size() || n < 0) {
        bad = true;
      } else {
        length = n;
      }
    } else if (!header_is(*line, "content-type:")) {
      bad = bad || line->find(':') == std::string::npos;
    }
  }
  if (bad || length < 0) {
    std::fprintf(stderr, "parsel lsp: a message without a usable Content-Length header\n");
    return std::string();
  }
  auto n = static_cast<std::size_t>(length);
  bool too_big = n > kMaxBody;
  std::string body;
  while (n > 0) {
    if (at_ == buf_.size() && !fill()) return std::nullopt;
    std::size_t take = std::min(n, buf_.size() - at_);
    if (!too_big) body.append(buf_, at_, take);
    at_ += take;
    n -= take;
  }
  if (too_big) {
    std::fprintf(stderr, "parsel lsp: a message of %lld bytes is over the limit\n", length);
    return std::string();
  }
  return body;
}

bool Transport::pending() {
  if (at_ < buf_.size()) return true;
  pollfd p{in_, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

bool Transport::write(const std::string& body) {
  std::string message = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  std::size_t done = 0;
  while (done < message.size()) {
    ssize_t n = ::write(out_, message.data() + done, message.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace pt::lsp
