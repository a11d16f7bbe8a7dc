#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/obs/metrics.h"

using hallows::obs::MetricsServer;
using hallows::obs::Registry;
using namespace std::chrono_literals;

namespace {

int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

void send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    REQUIRE(n > 0);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Everything the server sends until it closes, waiting at most `limit`.
std::string read_to_eof(int fd, std::chrono::milliseconds limit = 5000ms) {
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    REQUIRE(left.count() > 0);
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    REQUIRE(ready >= 0);
    if (ready == 0) continue;
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    REQUIRE(n >= 0);
    if (n == 0) return out;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

std::string request(int port, std::string_view raw) {
  int fd = connect_to(port);
  send_all(fd, raw);
  std::string response = read_to_eof(fd);
  ::close(fd);
  return response;
}

std::string body_of(const std::string& response) {
  auto end = response.find("\r\n\r\n");
  REQUIRE(end != std::string::npos);
  return response.substr(end + 4);
}

struct Reports {
  std::mutex mutex;
  std::vector<std::string> lines;
  std::function<void(std::string_view)> sink() {
    return [this](std::string_view line) {
      std::lock_guard lock(mutex);
      lines.emplace_back(line);
    };
  }
  std::vector<std::string> copy() {
    std::lock_guard lock(mutex);
    return lines;
  }
};

}  // namespace

TEST_CASE("MetricsServer answers /metrics, /healthz, 404, 405, 431 and 400", "[obs][server]") {
  Registry::global().counter("obs_test_server_total", "Served.").add(42);
  Reports reports;
  MetricsServer server("127.0.0.1", 0, reports.sink());
  REQUIRE(server.start() == "");
  int port = server.port();
  REQUIRE(port > 0);

  std::string metrics = request(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(metrics.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(metrics.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n") !=
        std::string::npos);
  CHECK(metrics.find("Connection: close\r\n") != std::string::npos);
  std::string body = body_of(metrics);
  CHECK(body.find("obs_test_server_total 42\n") != std::string::npos);
  CHECK(metrics.find("Content-Length: " + std::to_string(body.size()) + "\r\n") !=
        std::string::npos);

  // A query string is ignored, and a head may arrive in pieces with bare newlines.
  int fd = connect_to(port);
  send_all(fd, "GET /healthz?verbose=1 HTT");
  std::this_thread::sleep_for(20ms);
  send_all(fd, "P/1.0\n\n");
  std::string health = read_to_eof(fd);
  ::close(fd);
  CHECK(health.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(body_of(health) == "ok\n");

  CHECK(request(port, "GET /nope HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 Not Found\r\n"));
  std::string post = request(port, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  CHECK(post.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"));
  CHECK(post.find("Allow: GET\r\n") != std::string::npos);
  std::string huge = "GET /metrics HTTP/1.1\r\nX-Filler: " + std::string(9000, 'a') + "\r\n\r\n";
  CHECK(request(port, huge).starts_with("HTTP/1.1 431 "));
  CHECK(request(port, "hello\r\n\r\n").starts_with("HTTP/1.1 400 Bad Request\r\n"));

  server.stop();
  CHECK(reports.copy().empty());
}

TEST_CASE("MetricsServer reports a port in use", "[obs][server]") {
  Reports reports;
  MetricsServer first("127.0.0.1", 0, reports.sink());
  REQUIRE(first.start() == "");
  MetricsServer second("127.0.0.1", first.port(), reports.sink());
  std::string port = std::to_string(first.port());
  CHECK(second.start() ==
        "metrics: cannot listen on 127.0.0.1:" + port + ": Address already in use");
  CHECK(first.start() == "metrics: already started");
  MetricsServer bad("not-an-address", 0, reports.sink());
  CHECK(bad.start().starts_with("metrics: cannot listen on not-an-address:0"));
}

TEST_CASE("MetricsServer stops promptly while a client is connected", "[obs][server]") {
  Reports reports;
  MetricsServer server("127.0.0.1", 0, reports.sink());
  REQUIRE(server.start() == "");
  int fd = connect_to(server.port());
  send_all(fd, "GET /metr");  // an unfinished request
  std::this_thread::sleep_for(20ms);
  auto before = std::chrono::steady_clock::now();
  server.stop();
  CHECK(std::chrono::steady_clock::now() - before < 1s);
  CHECK(read_to_eof(fd, 2000ms).empty());  // closed without an answer
  ::close(fd);
  server.stop();  // twice is fine
}

TEST_CASE("MetricsServer closes a client silent for 5 s", "[obs][server]") {
  Reports reports;
  MetricsServer server("127.0.0.1", 0, reports.sink());
  REQUIRE(server.start() == "");
  int fd = connect_to(server.port());
  auto before = std::chrono::steady_clock::now();
  CHECK(read_to_eof(fd, 8000ms).empty());
  auto waited = std::chrono::steady_clock::now() - before;
  CHECK(waited >= 4900ms);
  ::close(fd);
  // The server still serves others afterwards.
  CHECK(request(server.port(), "GET /healthz HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 200"));
  server.stop();
  auto lines = reports.copy();
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("silent for 5 s") != std::string::npos);
}
