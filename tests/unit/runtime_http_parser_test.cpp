// The request parser: what it accepts, what each malformed request is answered, keep-alive and
// Expect, pipelining.
#include <string>

#include <catch2/catch.hpp>

#include "hallows/http/parser.h"
#include "runtime_http_test_support.h"

using hallows::http::Method;
using hallows::http::method_from;
using http_test::Limits;
using http_test::parse_once;
using http_test::ParseStatus;
using http_test::RequestParser;

namespace {

struct Refusal {
  const char* request;
  int status;
  const char* reason;  // a part of error().reason
};

void check_refused(const Refusal& r, const Limits& limits = {}) {
  INFO("request: " << r.request);
  auto s = parse_once(r.request, limits);
  REQUIRE(s.status == ParseStatus::kError);
  CHECK(s.error_status == r.status);
  CHECK_THAT(s.reason, Catch::Contains(r.reason));
}

}  // namespace

TEST_CASE("A simple GET parses in one call", "[http][parser]") {
  std::string text =
      "GET /orders/7?verbose=1&x=%20 HTTP/1.1\r\nHost: example.com\r\n"
      "User-Agent:  curl/8.0 \t\r\nAccept: */*\r\n\r\n";
  Limits limits;
  RequestParser parser(limits);
  CHECK_FALSE(parser.started());
  std::size_t consumed = 0;
  REQUIRE(parser.parse(text, consumed) == ParseStatus::kComplete);
  CHECK(consumed == text.size());
  CHECK(parser.head_complete());
  CHECK(parser.started());
  const auto& r = parser.request();
  CHECK(r.method == Method::kGet);
  CHECK(r.method_token == "GET");
  CHECK(r.target == "/orders/7?verbose=1&x=%20");
  CHECK(r.path == "/orders/7");
  CHECK(r.query == "verbose=1&x=%20");
  CHECK(r.version_minor == 1);
  REQUIRE(r.headers.size() == 3);
  CHECK(r.headers[1].name == "User-Agent");
  CHECK(r.headers[1].value == "curl/8.0");  // surrounding spaces and tabs removed
  CHECK(r.header("user-agent") == "curl/8.0");
  CHECK(r.header("HOST") == "example.com");
  CHECK_FALSE(r.header("Cookie").has_value());
  CHECK(r.body.empty());
  CHECK(r.keep_alive);
  CHECK_FALSE(r.expect_continue);

  // Sticky until reset(); then the next request reuses the parser.
  CHECK(parser.parse(text, consumed) == ParseStatus::kComplete);
  CHECK(consumed == text.size());
  parser.reset();
  CHECK_FALSE(parser.started());
  CHECK_FALSE(parser.head_complete());
  std::string post = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello";
  REQUIRE(parser.parse(post, consumed) == ParseStatus::kComplete);
  CHECK(parser.request().method == Method::kPost);
  CHECK(parser.request().body == "hello");
  CHECK(parser.request().headers.size() == 2);
}

TEST_CASE("Methods: the known ones, other tokens, case-sensitivity", "[http][parser]") {
  CHECK(method_from("GET") == Method::kGet);
  CHECK(method_from("HEAD") == Method::kHead);
  CHECK(method_from("POST") == Method::kPost);
  CHECK(method_from("PUT") == Method::kPut);
  CHECK(method_from("PATCH") == Method::kPatch);
  CHECK(method_from("DELETE") == Method::kDelete);
  CHECK(method_from("OPTIONS") == Method::kOptions);
  CHECK(method_from("get") == Method::kOther);
  CHECK(method_from("PROPFIND") == Method::kOther);
  CHECK(std::string(to_string(Method::kPatch)) == "PATCH");
  CHECK(std::string(to_string(Method::kOther)) == "OTHER");

  auto s = parse_once("BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n");
  REQUIRE(s.status == ParseStatus::kComplete);
  CHECK(s.method == "BREW");
  auto star = parse_once("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
  REQUIRE(star.status == ParseStatus::kComplete);
  CHECK(star.path == "*");
}

TEST_CASE("Malformed request lines are refused with the right status", "[http][parser]") {
  const Refusal cases[] = {
      {"GET /x HTTP/2.0\r\nHost: h\r\n\r\n", 505, "version not supported"},
      {"GET /x HTTP/1.2\r\nHost: h\r\n\r\n", 505, "version not supported"},
      {"GET /x HTTP/1.1x\r\nHost: h\r\n\r\n", 400, "invalid HTTP version"},
      {"GET /x http/1.1\r\nHost: h\r\n\r\n", 400, "invalid HTTP version"},
      {"GET /x\r\nHost: h\r\n\r\n", 400, "METHOD SP request-target SP version"},
      {"GET  /x HTTP/1.1\r\nHost: h\r\n\r\n", 400, "empty request-target"},
      {"GET /x  HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid HTTP version"},
      {"GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid HTTP version"},
      {"G(T /x HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid method"},
      {"\x16\x03\x01\x02", 400, "invalid method"},
      {"GET /\x01 HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid character in request-target"},
      {"GET /\x7f HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid character in request-target"},
      {"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid character in request-target"},
      {"GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400, "only for OPTIONS"},
      {"GET http://h/x HTTP/1.1\r\nHost: h\r\n\r\n", 400, "origin-form"},
      {"GET x HTTP/1.1\r\nHost: h\r\n\r\n", 400, "origin-form"},
      {"GET /x HTTP/1.1\nHost: h\r\n\r\n", 400, "bare LF"},
      {"GET /x HTTP/1.1\r\nHost: h\n\r\n", 400, "bare LF"},
      {"GET /x HTTP/1.1\r\nHost: h\r\n\n", 400, "bare LF"},
      {"\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bare LF"},
      {"\rGET /x HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bare CR"},
      {"\r\n\r\n\r\n\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n", 400, "too many empty lines"},
  };
  for (const auto& c : cases) check_refused(c);
}

TEST_CASE("Up to four empty lines before a request are skipped and consumed", "[http][parser]") {
  std::string text = "\r\n\r\n\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n";
  auto s = parse_once(text);
  REQUIRE(s.status == ParseStatus::kComplete);
  CHECK(s.consumed == text.size());
  CHECK(s.path == "/x");
  CHECK(parse_once("\r\n").status == ParseStatus::kNeedMore);
  CHECK(parse_once("\r").status == ParseStatus::kNeedMore);
}

TEST_CASE("Malformed header fields are refused", "[http][parser]") {
  const Refusal cases[] = {
      {"GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400, "no colon"},
      {"GET / HTTP/1.1\r\nHost: h\r\nName : v\r\n\r\n", 400, "whitespace between"},
      {"GET / HTTP/1.1\r\nHost: h\r\nName\t: v\r\n\r\n", 400, "whitespace between"},
      {"GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", 400, "empty header field name"},
      {"GET / HTTP/1.1\r\nHost: h\r\nNa(me: v\r\n\r\n", 400,
       "invalid character in header field name"},
      {"GET / HTTP/1.1\r\nHost: h\r\nA: b\r\n c\r\n\r\n", 400, "obsolete line folding"},
      {"GET / HTTP/1.1\r\n\tHost: h\r\n\r\n", 400, "obsolete line folding"},
      {"GET / HTTP/1.1\r\nHost: h\r\nA: b\x01\r\n\r\n", 400,
       "invalid character in header field value"},
      {"GET / HTTP/1.1\r\nHost: h\r\nA: b\rc\r\n\r\n", 400,
       "invalid character in header field value"},
      {"GET / HTTP/1.1\r\nHost: h\r\nA: b\x7f\r\n\r\n", 400,
       "invalid character in header field value"},
      {"GET / HTTP/1.1\r\n\r\n", 400, "missing Host"},
      {"GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", 400, "more than one Host"},
      {"GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", 400, "more than one Host"},
  };
  for (const auto& c : cases) check_refused(c);

  // obs-text (bytes >= 0x80) is allowed in values; an empty value is allowed.
  auto s = parse_once("GET / HTTP/1.1\r\nHost: h\r\nX-Name: caf\xc3\xa9 \xff\r\nX-Empty:\r\n\r\n");
  REQUIRE(s.status == ParseStatus::kComplete);
  CHECK(s.headers[1].second == "caf\xc3\xa9 \xff");
  CHECK(s.headers[2].second.empty());
  // HTTP/1.0 needs no Host.
  CHECK(parse_once("GET / HTTP/1.0\r\n\r\n").status == ParseStatus::kComplete);
}

TEST_CASE("A NUL byte in a header value is refused", "[http][parser]") {
  std::string text("GET / HTTP/1.1\r\nHost: h\r\nA: b\0c\r\n\r\n", 35);
  auto s = parse_once(text);
  REQUIRE(s.status == ParseStatus::kError);
  CHECK(s.error_status == 400);
  CHECK(s.reason == "invalid character in header field value");
}

TEST_CASE("Body framing: Content-Length and Transfer-Encoding", "[http][parser]") {
  const Refusal cases[] = {
      {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5x\r\n\r\n", 400, "not a number"},
      {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\n", 400, "not a number"},
      {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400, "not a number"},
      {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1 2\r\n\r\n", 400, "not a number"},
      {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\n", 400, "not a number"},
      {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", 400, "not a number"},
      {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400,
       "different values"},
      {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999999\r\n\r\n", 413,
       "larger than the limit"},
      {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
       "both Transfer-Encoding and Content-Length"},
      {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400,
       "both Transfer-Encoding and Content-Length"},
      {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "only chunked"},
      {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501,
       "only chunked"},
      {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400,
       "last transfer coding"},
      {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked"
       "\r\n\r\n",
       400, "last transfer coding"},
      {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ,\r\n\r\n", 400, "without a coding"},
      {"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "HTTP/1.0"},
  };
  for (const auto& c : cases) check_refused(c);

  auto same =
      parse_once("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nok");
  REQUIRE(same.status == ParseStatus::kComplete);
  CHECK(same.body == "ok");
  auto te = parse_once("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n");
  REQUIRE(te.status == ParseStatus::kComplete);
  CHECK(te.body.empty());
  auto zero = parse_once("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 000\r\n\r\n");
  REQUIRE(zero.status == ParseStatus::kComplete);
  CHECK(zero.body.empty());
  // The body is not complete until all of it is there.
  CHECK(parse_once("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhell").status ==
        ParseStatus::kNeedMore);
}

TEST_CASE("Keep-alive follows the version and the Connection header", "[http][parser]") {
  auto ka = [](const char* text) {
    auto s = parse_once(text);
    REQUIRE(s.status == ParseStatus::kComplete);
    return s.keep_alive;
  };
  CHECK(ka("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
  CHECK_FALSE(ka("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
  CHECK_FALSE(ka("GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, CLOSE\r\n\r\n"));
  CHECK(ka("GET / HTTP/1.1\r\nHost: h\r\nConnection: closed\r\n\r\n"));
  CHECK(ka("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n"));
  CHECK_FALSE(ka("GET / HTTP/1.0\r\n\r\n"));
  CHECK(ka("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"));
  CHECK_FALSE(ka("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n"));
}

TEST_CASE("Expect: 100-continue is seen once the head is complete", "[http][parser]") {
  Limits limits;
  RequestParser parser(limits);
  std::string text =
      "POST /up HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 4\r\n\r\n";
  std::size_t consumed = 0;
  REQUIRE(parser.parse(text, consumed) == ParseStatus::kNeedMore);
  CHECK(parser.head_complete());
  CHECK(parser.request().expect_continue);
  CHECK(parser.request().path == "/up");
  text += "data";
  REQUIRE(parser.parse(text, consumed) == ParseStatus::kComplete);
  CHECK(parser.request().body == "data");

  // RFC 9110 10.1.1: ignored in HTTP/1.0.
  auto old = parse_once("POST / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n");
  REQUIRE(old.status == ParseStatus::kComplete);
  CHECK_FALSE(old.expect_continue);
}

TEST_CASE("Pipelined requests parse one after another", "[http][parser]") {
  std::string text =
      "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
      "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyz"
      "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n"
      "DELETE /d HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
      "GET /e";
  Limits limits;
  RequestParser parser(limits);
  std::string_view rest = text;
  std::vector<std::string> seen;
  std::size_t consumed = 0;
  while (parser.parse(rest, consumed) == ParseStatus::kComplete) {
    seen.push_back(std::string(parser.request().method_token) + " " +
                   std::string(parser.request().path) + " " + std::string(parser.request().body));
    rest.remove_prefix(consumed);
    parser.reset();
  }
  CHECK(seen == std::vector<std::string>{"GET /a ", "POST /b xyz", "PUT /c ab", "DELETE /d "});
  CHECK(rest == "GET /e");
  CHECK(parser.started());
}

TEST_CASE("An error is sticky until reset", "[http][parser]") {
  Limits limits;
  RequestParser parser(limits);
  std::size_t consumed = 7;
  REQUIRE(parser.parse("GET / HTTP/3.0\r\n", consumed) == ParseStatus::kError);
  CHECK(consumed == 0);
  CHECK(parser.error().status == 505);
  CHECK(parser.parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n", consumed) == ParseStatus::kError);
  parser.reset();
  CHECK(parser.error().status == 400);  // the default
  CHECK(parser.parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n", consumed) == ParseStatus::kComplete);
}

TEST_CASE("Input that shrinks between calls is refused, not read out of bounds", "[http][parser]") {
  Limits limits;
  RequestParser parser(limits);
  std::size_t consumed = 0;
  std::string text = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc";
  REQUIRE(parser.parse(text, consumed) == ParseStatus::kNeedMore);
  REQUIRE(parser.parse(std::string_view(text).substr(0, 10), consumed) == ParseStatus::kError);
  CHECK(parser.error().status == 400);
}
