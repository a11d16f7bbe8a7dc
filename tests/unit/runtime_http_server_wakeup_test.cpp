// Lost edges in the edge-triggered loop: input whose only epoll event has been consumed must
// still be served. The loop is held busy in a handler while the input is queued, so that the
// event the test is about is the only one the loop ever gets.
#include <catch2/catch.hpp>

#include <atomic>

#include "runtime_http_server_support.h"

using namespace http_server_test;
using hallows::http::Exchange;
using hallows::http::Method;
using hallows::http::ServiceSpec;

namespace {

std::atomic<bool> g_held{false};
std::atomic<bool> g_release{false};

// Holds its loop (at most 5 s) until the test releases it.
void hold(Exchange& e) {
  g_held.store(true);
  for (int i = 0; i < 5000 && !g_release.load(); ++i) std::this_thread::sleep_for(1ms);
  e.reply_json(200, R"({"held":true})");
}
void order(Exchange& e) {
  e.reply_json(200, R"({"order_id":42})");
}

ServiceSpec spec() {
  ServiceSpec s;
  s.name = "wakeup";
  s.routes = {{Method::kGet, "/hold", hold}, {Method::kGet, "/order", order}};
  s.limits.idle_timeout = 60s;  // far past the client's deadline: only the EOF can close it
  return s;
}

// A raw loopback connection, for shutdown(SHUT_WR).
int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Everything the server sends until it closes, or until 5 s have passed (then `closed` is false).
std::string read_to_eof(int fd, bool& closed) {
  std::string in;
  closed = false;
  auto deadline = Clock::now() + 5s;
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      closed = true;
      break;
    }
    in.append(buf, static_cast<std::size_t>(n));
  }
  return in;
}

}  // namespace

TEST_CASE("a request read in one event with the client's FIN is answered and closed",
          "[http][server][wakeup]") {
  g_held.store(false);
  g_release.store(false);
  Server server(spec());
  REQUIRE(server.started());

  // The loop is busy in /hold while the second connection is made, its request is sent and its
  // side shut down: the loop accepts it with the data and the FIN already queued.
  Client first(server.port());
  REQUIRE(first.send(get("/hold")));
  for (int i = 0; i < 5000 && !g_held.load(); ++i) std::this_thread::sleep_for(1ms);
  REQUIRE(g_held.load());
  int fd = connect_to(server.port());
  REQUIRE(fd >= 0);
  std::string request = get("/order");
  REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size()));
  REQUIRE(::shutdown(fd, SHUT_WR) == 0);
  g_release.store(true);

  auto held = first.read_response();
  REQUIRE(held);
  CHECK(held->status == 200);
  bool closed = false;
  std::string answer = read_to_eof(fd, closed);
  ::close(fd);
  CHECK(answer.find(R"({"order_id":42})") != std::string::npos);
  CHECK(closed);  // without reading on to EOF the loop kept it open until the idle timeout
}
