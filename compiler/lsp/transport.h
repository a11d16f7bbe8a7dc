// JSON-RPC framing over a pair of file descriptors: `Content-Length: N\r\n\r\n` then N bytes of
// JSON, both ways (the LSP base protocol).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace pt::lsp {

class Transport {
 public:
  Transport(int in_fd, int out_fd) : in_(in_fd), out_(out_fd) {}

  // The next message's body. nullopt at the end of the input. A header without a usable
  // Content-Length, or a body over kMaxBody, yields "" (which is not JSON: the caller answers a
  // parse error) and reading goes on with the next header.
  std::optional<std::string> read();
  // Whether a message (or part of one) is already waiting, without blocking.
  bool pending();
  // Writes one message; false when the output is gone.
  bool write(const std::string& body);

  static constexpr std::size_t kMaxBody = 256u << 20;

 private:
  bool fill();  // reads more input into buf_; false at the end
  std::optional<std::string> read_line();

  int in_, out_;
  std::string buf_;
  std::size_t at_ = 0;  // the first unread byte of buf_
};

}  // namespace pt::lsp
