// Helpers for the HTTP server tests: a Program + Service running on a thread (port 0, loopback),
// and a raw-socket client that reads whole responses (Content-Length framed) with a timeout.
// Catch2 assertions stay on the test's own thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "hallows/core/program.h"
#include "hallows/http/service.h"
#include "runtime_sched_test_support.h"

namespace http_server_test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Report lines of the program and the service.
using Lines = hallows::testing::Reports;

// A service on `cores` cores (default one), run by program.run() on a thread until stop() (or
// destruction).
class Server {
 public:
  explicit Server(hallows::http::ServiceSpec spec, int cores = 1,
                  std::chrono::milliseconds shutdown_timeout = 5000ms) {
    hallows::core::ProgramSpec program_spec;
    program_spec.name = "http_test";
    program_spec.shutdown_timeout = shutdown_timeout;
    program_spec.allow_oversubscription = true;  // the 2-core test on a 1-CPU machine
    program_spec.report = lines.sink();
    program_ = std::make_unique<hallows::core::Program>(program_spec);
    hallows::core::PartitionSpec partition;
    partition.name = "api";
    partition.cores = cores;
    partition.scheduler = hallows::core::SchedulerKind::backend_api;
    auto& p = program_->add_partition(partition);
    spec.report = lines.sink();
    service_ = hallows::http::Service::start(p, std::move(spec), error);
    if (service_) runner_ = std::thread([this] { exit_code_ = program_->run(); });
  }
  ~Server() { stop(); }

  bool started() const { return service_ != nullptr; }
  int port() const { return service_ ? service_->port() : 0; }
  // Stops the program and waits for run() to return; its exit code.
  int stop() {
    if (runner_.joinable()) {
      program_->request_stop();
      runner_.join();
    }
    return exit_code_;
  }
  void request_stop() { program_->request_stop(); }
  int join() {
    if (runner_.joinable()) runner_.join();
    return exit_code_;
  }

  Lines lines;
  std::string error;

 private:
  std::unique_ptr<hallows::core::Program> program_;
  std::unique_ptr<hallows::http::Service> service_;
  std::thread runner_;
  int exit_code_ = -1;
};

struct Response {
  int status = 0;
  std::string head;  // status line and header fields
  std::string body;
  bool has_header(std::string_view name_and_value) const {
    return head.find(std::string(name_and_value) + "\r\n") != std::string::npos;
  }
  std::optional<std::string> header(std::string_view name) const {
    std::string key = "\r\n" + std::string(name) + ": ";
    auto at = head.find(key);
    if (at == std::string::npos) return std::nullopt;
    auto start = at + key.size();
    return head.substr(start, head.find("\r\n", start) - start);
  }
};

// A blocking client socket with a receive deadline per call.
class Client {
 public:
  // Connects to 127.0.0.1 (or ::1 with `ipv6`).
  explicit Client(int port, bool ipv6 = false) {
    fd_ = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (ipv6) {
      sockaddr_in6 addr{};
      addr.sin6_family = AF_INET6;
      addr.sin6_port = htons(static_cast<std::uint16_t>(port));
      addr.sin6_addr = in6addr_loopback;
      connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
      return;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() { close(); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  // Reads until one whole response is buffered (or EOF, or the deadline): nullopt then.
  // `head`: the response to a HEAD request (Content-Length without a body).
  std::optional<Response> read_response(std::chrono::milliseconds timeout = 5000ms,
                                        bool head = false) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
      if (auto r = take_response(head)) return r;
      if (eof_ || !fill(deadline)) return std::nullopt;
    }
  }
  // True when the server closes the connection (EOF or reset) before the deadline.
  bool closed_by_server(std::chrono::milliseconds timeout = 5000ms) {
    auto deadline = Clock::now() + timeout;
    while (!eof_) {
      if (!fill(deadline)) return eof_;
    }
    return true;
  }
  const std::string& buffered() const { return in_; }

 private:
  bool fill(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left <= 0ms) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      eof_ = true;  // EOF, or a reset
      return true;
    }
    in_.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  std::optional<Response> take_response(bool head) {
    auto end = in_.find("\r\n\r\n");
    if (end == std::string::npos) return std::nullopt;
    Response r;
    r.head = in_.substr(0, end + 2);
    r.status = std::atoi(r.head.c_str() + 9);
    std::size_t length = 0;
    if (auto cl = r.header("Content-Length"); cl && !head)
      length = std::strtoull(cl->c_str(), nullptr, 10);
    if (in_.size() < end + 4 + length) return std::nullopt;
    r.body = in_.substr(end + 4, length);
    in_.erase(0, end + 4 + length);
    return r;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  std::string in_;
};

// One request on a new connection; its response.
inline std::optional<Response> fetch(int port, std::string_view request) {
  Client client(port);
  if (!client.connected() || !client.send(request)) return std::nullopt;
  return client.read_response();
}

inline std::string get(std::string_view path) {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: t\r\n\r\n";
}

}  // namespace http_server_test
