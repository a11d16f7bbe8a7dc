// The HTTP server over loopback sockets: keep-alive, pipelining, chunked bodies, 100-continue,
// every limit's status, routing errors, HEAD, the built-ins, handler failures, the access log,
// and a graceful stop that answers the requests already received.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "hallows/sched/task.h"
#include "runtime_http_server_support.h"

using namespace http_server_test;
using hallows::http::Exchange;
using hallows::http::Method;
using hallows::http::ServiceSpec;

namespace {

std::atomic<bool> g_slow_started{false};

void order(Exchange& e) {
  e.reply_json(200, R"({"order_id":42})");
}
void order_by_id(Exchange& e) {
  e.reply_json(200, "{\"order_id\":" + std::string(e.path_param(0)) + "}");
}
void echo(Exchange& e) {
  e.reply(200, "text/plain", e.body());
}
void boom(Exchange&) {
  throw std::runtime_error("kaboom");
}
void silent(Exchange&) {}
// Blocks its loop for 300 ms: the stop test's "request in flight".
void slow(Exchange& e) {
  g_slow_started.store(true);
  std::this_thread::sleep_for(300ms);
  e.reply_json(200, R"({"slow":true})");
}

ServiceSpec spec(std::string name) {
  ServiceSpec s;
  s.name = std::move(name);
  s.routes = {
      {Method::kGet, "/order", order}, {Method::kGet, "/orders/{order_id: i64}", order_by_id},
      {Method::kPost, "/echo", echo},  {Method::kPut, "/echo", echo},
      {Method::kGet, "/boom", boom},   {Method::kGet, "/silent", silent},
      {Method::kGet, "/slow", slow},
  };
  return s;
}

}  // namespace

TEST_CASE("hosts: IPv4, IPv6 and localhost; a bad host is refused", "[http][server]") {
  {
    ServiceSpec s = spec("ipv6");
    s.host = "::1";
    Server server(std::move(s));
    REQUIRE(server.started());
    CHECK(server.lines.contains("basilisk: ipv6 listening on [::1]:"));
    Client c(server.port(), true);
    REQUIRE(c.connected());
    REQUIRE(c.send(get("/healthz")));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  {
    ServiceSpec s = spec("localhost");
    s.host = "localhost";
    Server server(std::move(s));
    REQUIRE(server.started());
    CHECK(server.lines.contains("basilisk: localhost listening on 127.0.0.1:"));
    auto r = fetch(server.port(), get("/healthz"));
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  {
    // A port in use is refused, even though the sockets use SO_REUSEPORT.
    Server first(spec("first"));
    REQUIRE(first.started());
    ServiceSpec s = spec("second");
    s.port = first.port();
    Server second(std::move(s));
    CHECK_FALSE(second.started());
    CHECK(second.error.find("the address is in use") != std::string::npos);
  }
  ServiceSpec s = spec("badhost");
  s.host = "not a host";
  Server server(std::move(s));
  CHECK_FALSE(server.started());
  CHECK(server.error.find("not an IPv4 or IPv6 address") != std::string::npos);
}

TEST_CASE("keep-alive serves several requests on one connection", "[http][server]") {
  Server server(spec("keepalive"));
  REQUIRE(server.started());
  CHECK(server.lines.contains("basilisk: keepalive listening on 127.0.0.1:"));
  Client c(server.port());
  REQUIRE(c.connected());
  for (int i = 0; i < 3; ++i) {
    REQUIRE(c.send(get("/order")));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == R"({"order_id":42})");
    CHECK(r->has_header("Content-Type: application/json"));
    CHECK_FALSE(r->has_header("Connection: close"));
  }
  CHECK(server.stop() == 0);
}

TEST_CASE("two cores: two loops share the port", "[http][server]") {
  Server server(spec("twocores"), 2);
  REQUIRE(server.started());
  CHECK(server.lines.contains("basilisk: twocores listening on 127.0.0.1:"));
  CHECK(server.lines.contains("(2 cores)"));
  // Connections are spread over both sockets by the kernel; each is served by its loop.
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 16; ++i) clients.push_back(std::make_unique<Client>(server.port()));
  for (int round = 0; round < 3; ++round) {
    for (auto& c : clients) REQUIRE(c->send(get("/order")));
    for (auto& c : clients) {
      auto r = c->read_response();
      REQUIRE(r);
      CHECK(r->status == 200);
    }
  }
  clients.clear();
  CHECK(server.stop() == 0);
}

TEST_CASE("pipelined requests are answered in order", "[http][server]") {
  Server server(spec("pipeline"));
  REQUIRE(server.started());
  Client c(server.port());
  std::string batch;
  for (int i = 0; i < 10; ++i) batch += get("/orders/" + std::to_string(i));
  REQUIRE(c.send(batch));
  for (int i = 0; i < 10; ++i) {
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == "{\"order_id\":" + std::to_string(i) + "}");
  }
}

TEST_CASE("bodies: Content-Length, chunked, and 100-continue", "[http][server]") {
  Server server(spec("bodies"));
  REQUIRE(server.started());
  Client c(server.port());
  REQUIRE(c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"));
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == "hello");
  REQUIRE(
      c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
             "4\r\nWiki\r\n6\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\n\r\n"));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "Wikipedia in \r\n\r\nchunks.");
  // Expect: 100-continue: the interim response comes before the body is sent.
  REQUIRE(
      c.send("PUT /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 100);
  REQUIRE(c.send("abc"));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "abc");
}

TEST_CASE("each limit answers its status and closes", "[http][server]") {
  ServiceSpec s = spec("limits");
  s.limits.max_body_bytes = 1000;
  s.limits.max_request_line_bytes = 200;
  s.limits.max_header_bytes = 500;
  s.limits.request_timeout = 300ms;
  Server server(std::move(s));
  REQUIRE(server.started());
  auto expect = [&](std::string request, int status) {
    Client c(server.port());
    REQUIRE(c.send(request));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == status);
    CHECK(r->has_header("Connection: close"));
    CHECK(r->has_header("Content-Type: application/problem+json"));
    CHECK(r->body.find("\"status\":" + std::to_string(status)) != std::string::npos);
    CHECK(c.closed_by_server());
  };
  SECTION("400 malformed") {
    expect("GARBAGE\r\n\r\n", 400);
  }
  SECTION("413 body") {
    expect("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000000\r\n\r\n", 413);
  }
  SECTION("414 target") {
    expect(get("/" + std::string(300, 'a')), 414);
  }
  SECTION("431 header") {
    expect("GET /order HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(600, 'b') + "\r\n\r\n", 431);
  }
  SECTION("408 a stalled request") {
    // Half a head, then nothing: after request_timeout (300 ms) the server answers 408.
    expect("GET /order HTTP/1.1\r\nHost:", 408);
  }
  // The server is still fine after each.
  auto r = fetch(server.port(), get("/healthz"));
  REQUIRE(r);
  CHECK(r->status == 200);
  auto metrics = fetch(server.port(), get("/metrics"));
  REQUIRE(metrics);
  CHECK(metrics->body.find("basilisk_limit_breaches_total{service=\"limits\"") !=
        std::string::npos);
}

TEST_CASE("connections over max_connections get 503", "[http][server]") {
  ServiceSpec s = spec("maxconn");
  s.limits.max_connections = 2;
  Server server(std::move(s));
  REQUIRE(server.started());
  Client a(server.port()), b(server.port());
  // Both are admitted (a request each proves the server has accepted them).
  REQUIRE(a.send(get("/order")));
  REQUIRE(a.read_response());
  REQUIRE(b.send(get("/order")));
  REQUIRE(b.read_response());
  Client c(server.port());
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 503);
  CHECK(r->has_header("Connection: close"));
  CHECK(c.closed_by_server());
  a.close();
  // Once one closes, a new connection is served again (the server sees a's close first).
  std::optional<Response> later;
  for (int i = 0; i < 50 && !(later && later->status == 200); ++i) {
    later = fetch(server.port(), get("/order"));
    if (!later || later->status != 200) std::this_thread::sleep_for(20ms);
  }
  REQUIRE(later);
  CHECK(later->status == 200);
}

TEST_CASE("routing errors, HEAD, and the built-ins", "[http][server]") {
  Server server(spec("routing"));
  REQUIRE(server.started());
  auto r = fetch(server.port(), get("/nowhere"));
  REQUIRE(r);
  CHECK(r->status == 404);
  CHECK(r->has_header("Content-Type: application/problem+json"));
  r = fetch(server.port(), "DELETE /order HTTP/1.1\r\nHost: t\r\n\r\n");
  REQUIRE(r);
  CHECK(r->status == 405);
  CHECK(r->header("Allow").value_or("").find("GET") != std::string::npos);
  r = fetch(server.port(), get("/orders/abc"));
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(r->body.find("order_id") != std::string::npos);

  Client c(server.port());
  REQUIRE(c.send("HEAD /order HTTP/1.1\r\nHost: t\r\n\r\n"));
  r = c.read_response(5000ms, true);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->header("Content-Length") == "15");
  REQUIRE(c.send(get("/healthz")));  // nothing followed the HEAD response's head
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == R"({"status":"ok"})");

  r = fetch(server.port(), get("/metrics"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->has_header("Content-Type: text/plain; version=0.0.4; charset=utf-8"));
  CHECK(
      r->body.find(R"(basilisk_requests_total{service="routing",route="/order",status="200"} 1)") !=
      std::string::npos);
  CHECK(r->body.find(
            R"x(basilisk_requests_total{service="routing",route="(none)",status="404"} 1)x") !=
        std::string::npos);
  CHECK(r->body.find(R"(basilisk_connections_open{service="routing"})") != std::string::npos);
  CHECK(r->body.find(
            R"(basilisk_request_duration_seconds_count{service="routing",route="/order"})") !=
        std::string::npos);
}

TEST_CASE("HTTP/1.0 closes unless asked to keep alive", "[http][server]") {
  Server server(spec("http10"));
  REQUIRE(server.started());
  Client c(server.port());
  REQUIRE(c.send("GET /order HTTP/1.0\r\n\r\n"));
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(c.closed_by_server());
  Client k(server.port());
  REQUIRE(k.send("GET /order HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  r = k.read_response();
  REQUIRE(r);
  CHECK(r->has_header("Connection: keep-alive"));
  REQUIRE(k.send("GET /order HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  r = k.read_response();
  REQUIRE(r);
  CHECK(r->has_header("Connection: close"));
  CHECK(k.closed_by_server());
}

TEST_CASE("a failing handler gets 500 and the server goes on", "[http][server]") {
  Server server(spec("failing"));
  REQUIRE(server.started());
  Client c(server.port());
  REQUIRE(c.send(get("/boom") + get("/silent") + get("/order")));
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 500);
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 500);
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  // No HALLOWS_AT in this C++ handler: the report says the location is unknown.
  CHECK(
      server.lines.contains("route GET /boom threw: kaboom at an unknown location; answered 500"));
  CHECK(server.lines.contains("route GET /silent returned without answering"));
  CHECK(server.stop() == 0);
}

TEST_CASE("the access log writes one JSON line per request", "[http][server]") {
  char path[] = "/tmp/basilisk_access_XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  {
    ServiceSpec s = spec("logged");
    s.access_log = hallows::http::AccessLog::kFile;
    s.access_log_path = path;
    Server server(std::move(s));
    REQUIRE(server.started());
    REQUIRE(fetch(server.port(), get("/orders/7")));
    REQUIRE(fetch(server.port(), get("/nowhere")));
    CHECK(server.stop() == 0);
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::remove(path);
  std::string log = text.str();
  CHECK(
      log.find(
          R"("service":"logged","method":"GET","path":"/orders/7","route":"/orders/{order_id: i64}","status":200,)") !=
      std::string::npos);
  CHECK(log.find(R"x("path":"/nowhere","route":"(none)","status":404,)x") != std::string::npos);
  CHECK(log.find(R"("peer":"127.0.0.1:)") != std::string::npos);
  CHECK(std::count(log.begin(), log.end(), '\n') == 2);
}

TEST_CASE("a stop answers the requests already received, then closes", "[http][server]") {
  g_slow_started.store(false);
  Server server(spec("stopping"));
  REQUIRE(server.started());
  Client idle(server.port());
  REQUIRE(idle.send(get("/order")));
  REQUIRE(idle.read_response());  // admitted, now an idle keep-alive connection
  Client busy(server.port());
  REQUIRE(busy.send(get("/slow") + get("/orders/1") + get("/orders/2")));
  for (int i = 0; i < 500 && !g_slow_started.load(); ++i) std::this_thread::sleep_for(2ms);
  REQUIRE(g_slow_started.load());
  server.request_stop();  // while /slow runs: the batch is in the server's buffer
  auto r1 = busy.read_response();
  auto r2 = busy.read_response();
  auto r3 = busy.read_response();
  REQUIRE(r1);
  REQUIRE(r2);
  REQUIRE(r3);
  CHECK(r1->body == R"({"slow":true})");
  CHECK(r2->body == R"({"order_id":1})");
  CHECK(r3->body == R"({"order_id":2})");
  CHECK(r3->has_header("Connection: close"));
  CHECK(busy.closed_by_server());
  CHECK(idle.closed_by_server());
  CHECK(server.join() == 0);
  CHECK_FALSE(server.lines.contains("did not stop"));
  Client after(server.port());
  CHECK_FALSE(after.connected());  // the listening socket is closed
}
