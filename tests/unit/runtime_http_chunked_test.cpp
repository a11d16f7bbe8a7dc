// The parser's limits (exactly at and one over), the chunked decoder, and incremental input:
// every split gives the same result, and byte-at-a-time input costs linear work.
#include <string>

#include <catch2/catch.hpp>

#include "hallows/http/parser.h"
#include "runtime_http_test_support.h"

using http_test::Limits;
using http_test::parse_in_steps;
using http_test::parse_once;
using http_test::parse_split;
using http_test::ParseStatus;
using http_test::RequestParser;

namespace {

// "GET <target> HTTP/1.1": a request line of exactly `size` bytes (without CRLF).
std::string request_line_of(std::size_t size) {
  std::string line = "GET /";
  line += std::string(size - line.size() - 9, 'a');
  line += " HTTP/1.1";
  return line;
}

// A header section (after the request line, through the empty line) of exactly `size` bytes.
std::string head_of(std::size_t size) {
  std::string head = "Host: h\r\n";
  std::size_t filler = size - head.size() - 2 - 5;  // "X: " + value + CRLF, then the final CRLF
  head += "X: " + std::string(filler, 'v') + "\r\n\r\n";
  return head;
}

}  // namespace

TEST_CASE("The request line limit: 414 for a long target, 400 otherwise", "[http][parser]") {
  Limits limits;
  limits.max_request_line_bytes = 64;
  auto at = parse_once(request_line_of(64) + "\r\nHost: h\r\n\r\n", limits);
  CHECK(at.status == ParseStatus::kComplete);
  auto over = parse_once(request_line_of(65) + "\r\nHost: h\r\n\r\n", limits);
  REQUIRE(over.status == ParseStatus::kError);
  CHECK(over.error_status == 414);
  // The same answer however the input is split: only the bytes up to the limit decide.
  CHECK(http_test::parse_in_steps(request_line_of(65) + "\r\nHost: h\r\n\r\n", 1, limits)
            .error_status == 414);
  CHECK(
      http_test::parse_in_steps("GET / HTTP/1.1" + std::string(100, ' '), 1, limits).error_status ==
      400);
  // Detected before the line ends.
  auto early = parse_once("GET /" + std::string(100, 'a'), limits);
  REQUIRE(early.status == ParseStatus::kError);
  CHECK(early.error_status == 414);
  auto method = parse_once(std::string(100, 'A'), limits);
  REQUIRE(method.status == ParseStatus::kError);
  CHECK(method.error_status == 400);
  auto version = parse_once("GET / HTTP/1.1" + std::string(100, ' '), limits);
  REQUIRE(version.status == ParseStatus::kError);
  CHECK(version.error_status == 400);
  CHECK(version.reason == "request line is longer than the limit");
}

TEST_CASE("The header section limit, exactly at and one over", "[http][parser]") {
  Limits limits;
  limits.max_header_bytes = 200;
  std::string line = "GET / HTTP/1.1\r\n";
  REQUIRE(head_of(200).size() == 200);
  CHECK(parse_once(line + head_of(200), limits).status == ParseStatus::kComplete);
  auto over = parse_once(line + head_of(201), limits);
  REQUIRE(over.status == ParseStatus::kError);
  CHECK(over.error_status == 431);
  // A partial head is refused as soon as it passes the limit, and split input gives the same.
  auto partial = parse_once(line + std::string("Host: h\r\nX: ") + std::string(300, 'v'), limits);
  REQUIRE(partial.status == ParseStatus::kError);
  CHECK(partial.error_status == 431);
  CHECK(parse_in_steps(line + head_of(201), 1, limits).error_status == 431);
  // Pipelined bytes after a head within the limit do not count.
  auto pipelined = parse_once(line + head_of(200) + std::string(500, 'G'), limits);
  CHECK(pipelined.status == ParseStatus::kComplete);
}

TEST_CASE("The header count limit, exactly at and one over", "[http][parser]") {
  Limits limits;
  limits.max_headers = 3;
  std::string three = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n";
  CHECK(parse_once(three, limits).status == ParseStatus::kComplete);
  auto four = parse_once("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits);
  REQUIRE(four.status == ParseStatus::kError);
  CHECK(four.error_status == 431);
  CHECK(four.reason == "too many header fields");
}

TEST_CASE("The body limit, exactly at and one over", "[http][parser]") {
  Limits limits;
  limits.max_body_bytes = 10;
  std::string head = "POST / HTTP/1.1\r\nHost: h\r\n";
  auto at = parse_once(head + "Content-Length: 10\r\n\r\n0123456789", limits);
  REQUIRE(at.status == ParseStatus::kComplete);
  CHECK(at.body == "0123456789");
  // 413 from the Content-Length alone, before any body byte.
  auto over = parse_once(head + "Content-Length: 11\r\n\r\n", limits);
  REQUIRE(over.status == ParseStatus::kError);
  CHECK(over.error_status == 413);

  std::string te = head + "Transfer-Encoding: chunked\r\n\r\n";
  auto chunked_at = parse_once(te + "6\r\n012345\r\n4\r\n6789\r\n0\r\n\r\n", limits);
  REQUIRE(chunked_at.status == ParseStatus::kComplete);
  CHECK(chunked_at.body == "0123456789");
  // The chunk that would pass the limit is refused from its size line.
  auto chunked_over = parse_once(te + "6\r\n012345\r\n5\r\n", limits);
  REQUIRE(chunked_over.status == ParseStatus::kError);
  CHECK(chunked_over.error_status == 413);
  auto huge = parse_once(te + "ffffffffffffffffffffffffffff\r\n", limits);
  REQUIRE(huge.status == ParseStatus::kError);
  CHECK(huge.error_status == 413);
}

TEST_CASE("Chunked bodies: extensions, trailers, and malformed framing", "[http][parser]") {
  std::string head = "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  auto s = parse_once(head +
                          "5;name=value\r\nhello\r\n"
                          "A ; a=\"quoted; \\\" value\"\r\n, world!!!\r\n"
                          "0;last\r\nChecksum: abc\r\nX-Trailer: 1\r\n\r\nNEXT",
                      {});
  REQUIRE(s.status == ParseStatus::kComplete);
  CHECK(s.body == "hello, world!!!");
  CHECK(s.headers.size() == 2);           // trailers are dropped
  CHECK(s.consumed == head.size() + 98);  // all but the pipelined "NEXT"
  CHECK(parse_once(head + "5\r\nhello\r\n0\r\n\r\n").consumed == head.size() + 15);

  struct Bad {
    const char* body;
    int status;
    const char* reason;
  };
  const Bad cases[] = {
      {"x\r\n", 400, "invalid chunk size"},
      {"\r\n", 400, "invalid chunk size"},
      {"5 x\r\n", 400, "invalid chunk size"},
      {"5 \r\n", 400, "invalid chunk size"},
      {"-5\r\n", 400, "invalid chunk size"},
      {"5;a\x01\r\n", 400, "invalid character in chunk extension"},
      {"5\nhello\r\n", 400, "bare LF"},
      {"5\r\nhelloX\r\n", 400, "not followed by CRLF"},
      {"5\r\nhello\rX", 400, "not followed by CRLF"},
      {"0\r\nBad Trailer: x\r\n\r\n", 400, "invalid character in header field name"},
      {"0\r\nTrailer : x\r\n\r\n", 400, "whitespace between"},
      {"0\r\nNoColon\r\n\r\n", 400, "no colon"},
      {"0\r\n\n", 400, "bare LF"},
  };
  for (const auto& c : cases) {
    INFO("body: " << c.body);
    auto bad = parse_once(head + c.body);
    REQUIRE(bad.status == ParseStatus::kError);
    CHECK(bad.error_status == c.status);
    CHECK_THAT(bad.reason, Catch::Contains(c.reason));
  }

  // The size line is bounded; extensions are bounded in total by max_header_bytes.
  auto long_line = parse_once(head + "5;" + std::string(2000, 'e'));
  REQUIRE(long_line.status == ParseStatus::kError);
  CHECK(long_line.reason == "chunk size line is too long");
  Limits limits;
  limits.max_header_bytes = 100;
  std::string many = head;
  for (int i = 0; i < 20; ++i) many += "1;ext=0123456789\r\nx\r\n";
  auto ext = parse_once(many, limits);
  REQUIRE(ext.status == ParseStatus::kError);
  CHECK(ext.reason == "chunk extensions are longer than the limit");
}

TEST_CASE("Trailers count against the header limits", "[http][parser]") {
  std::string head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  Limits limits;
  limits.max_headers = 3;
  CHECK(parse_once(head + "0\r\nA: 1\r\n\r\n", limits).status == ParseStatus::kComplete);
  auto count = parse_once(head + "0\r\nA: 1\r\nB: 2\r\n\r\n", limits);
  REQUIRE(count.status == ParseStatus::kError);
  CHECK(count.error_status == 431);
  limits = {};
  limits.max_header_bytes = 64;
  auto bytes = parse_once(head + "0\r\nA: " + std::string(100, 'x') + "\r\n\r\n", limits);
  REQUIRE(bytes.status == ParseStatus::kError);
  CHECK(bytes.error_status == 431);
}

TEST_CASE("Input split at every byte position parses the same", "[http][parser]") {
  const std::string requests[] = {
      "GET /orders/7?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n",
      "\r\nPOST /o HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 11\r\n\r\nhello world",
      "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
      "3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\nGET / HTTP/1.1\r\n",
      "GET / HTTP/1.1\r\nHost: h\r\nBad Name: v\r\n\r\n",
      "GET / HTTP/9.9\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabc",
  };
  for (const auto& text : requests) {
    INFO("request: " << text);
    auto whole = parse_once(text);
    for (std::size_t at = 0; at <= text.size(); ++at) {
      INFO("split at " << at);
      REQUIRE(parse_split(text, at) == whole);
    }
    for (std::size_t step : {1, 2, 3, 7}) {
      INFO("step " << step);
      REQUIRE(parse_in_steps(text, step) == whole);
    }
  }
}

TEST_CASE("Byte-at-a-time input costs linear work", "[http][parser]") {
  // Quadratic rescanning of these would take on the order of 10^11 steps and time out; linear
  // work finishes in well under a second. The results are checked, not the time.
  std::string big = "POST /big HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string expected;
  for (int i = 0; i < 1024; ++i) {
    std::string chunk(1024, static_cast<char>('a' + i % 26));
    big += "400\r\n" + chunk + "\r\n";
    expected += chunk;
  }
  big += "0\r\n\r\n";
  Limits limits;
  RequestParser parser(limits);
  std::size_t consumed = 0;
  std::size_t calls = 0;
  ParseStatus status = ParseStatus::kNeedMore;
  for (std::size_t n = 1; n <= big.size() && status == ParseStatus::kNeedMore; ++n, ++calls) {
    status = parser.parse(std::string_view(big).substr(0, n), consumed);
  }
  REQUIRE(status == ParseStatus::kComplete);
  CHECK(calls == big.size());
  CHECK(consumed == big.size());
  CHECK(parser.request().body == expected);

  std::string head = "GET / HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; head.size() < 16000; ++i) head += "X-Field-" + std::to_string(i) + ": value\r\n";
  head += "\r\n";
  limits.max_headers = 100000;
  parser.reset();
  status = ParseStatus::kNeedMore;
  for (std::size_t n = 1; n <= head.size() && status == ParseStatus::kNeedMore; ++n) {
    status = parser.parse(std::string_view(head).substr(0, n), consumed);
  }
  REQUIRE(status == ParseStatus::kComplete);
  CHECK(consumed == head.size());
}
