// Responses (status line, fixed headers, problem bodies) and the Exchange a handler fills.
#include <regex>
#include <string>

#include <simdjson.h>
#include <catch2/catch.hpp>

#include "hallows/http/response.h"
#include "hallows/http/service.h"

using hallows::http::append_response;
using hallows::http::Exchange;
using hallows::http::problem_json;
using hallows::http::reason_phrase;
using hallows::http::Request;

namespace {

// Replaces the Date header's value (checked for its format) with "DATE".
std::string without_date(std::string text) {
  static const std::regex kDate(
      "Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|"
      "Dec) \\d{4} \\d\\d:\\d\\d:\\d\\d GMT\r\n");
  std::string out = std::regex_replace(text, kDate, "Date: DATE\r\n");
  REQUIRE(out != text);
  return out;
}

// Parses `json` and returns the string member `key` ("" when absent).
std::string member(const std::string& json, const char* key) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
  std::string_view value;
  if (doc[key].get(value) != simdjson::SUCCESS) return "";
  return std::string(value);
}

}  // namespace

TEST_CASE("Reason phrases", "[http][response]") {
  CHECK(reason_phrase(200) == "OK");
  CHECK(reason_phrase(201) == "Created");
  CHECK(reason_phrase(404) == "Not Found");
  CHECK(reason_phrase(413) == "Content Too Large");
  CHECK(reason_phrase(431) == "Request Header Fields Too Large");
  CHECK(reason_phrase(505) == "HTTP Version Not Supported");
  CHECK(reason_phrase(299) == "Unknown");
}

TEST_CASE("append_response writes the documented bytes", "[http][response]") {
  std::string out = "previous;";
  append_response(out, 200, "application/json", R"({"id":7})", true);
  CHECK(without_date(out) ==
        "previous;HTTP/1.1 200 OK\r\nDate: DATE\r\nServer: basilisk\r\n"
        "Content-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"id\":7}");

  out.clear();
  append_response(out, 404, "", "", false, false, "Allow: GET, HEAD\r\nX-A: b\r\n");
  CHECK(without_date(out) ==
        "HTTP/1.1 404 Not Found\r\nDate: DATE\r\nServer: basilisk\r\nContent-Length: 0\r\n"
        "Allow: GET, HEAD\r\nX-A: b\r\nConnection: close\r\n\r\n");

  // HEAD: the headers describe the body a GET would get; the body is not sent.
  out.clear();
  append_response(out, 200, "text/plain", "hello", true, true);
  CHECK(without_date(out) ==
        "HTTP/1.1 200 OK\r\nDate: DATE\r\nServer: basilisk\r\nContent-Type: text/plain\r\n"
        "Content-Length: 5\r\n\r\n");

  // 204 and 304 carry neither a body nor Content-Length.
  out.clear();
  append_response(out, 204, "", "ignored", true);
  CHECK(without_date(out) == "HTTP/1.1 204 No Content\r\nDate: DATE\r\nServer: basilisk\r\n\r\n");
}

TEST_CASE("problem_json is valid JSON with the documented members", "[http][response]") {
  std::string p = problem_json(400, "quantity must be between 1 and 100", "/orders", "$.quantity",
                               "between(1, 100)");
  CHECK(p == R"({"type":"about:blank","title":"Bad Request","status":400,)"
             R"("detail":"quantity must be between 1 and 100","instance":"/orders",)"
             R"j("field":"$.quantity","rule":"between(1, 100)"})j");
  CHECK(problem_json(404, "no route") ==
        R"({"type":"about:blank","title":"Not Found","status":404,"detail":"no route"})");

  // Escapes and invalid UTF-8: always parses back, with U+FFFD for the bad bytes.
  std::string nasty = std::string("quote \" backslash \\ nl \n tab \t nul ") + '\0' +
                      " ctl \x01 del \x7f e\xcc\x81 bad \xff\xc3 end";
  std::string json = problem_json(400, nasty, "/p\xe9th");
  std::string detail = member(json, "detail");
  CHECK(detail == std::string("quote \" backslash \\ nl \n tab \t nul ") + '\0' +
                      " ctl \x01 del \x7f e\xcc\x81 bad \xEF\xBF\xBD\xEF\xBF\xBD end");
  CHECK(member(json, "instance") == "/p\xEF\xBF\xBDth");
  CHECK(member(json, "title") == "Bad Request");
}

TEST_CASE("Exchange: the first answer wins; begin() starts over", "[http][response]") {
  Request request;
  request.path = "/orders/7";
  request.query = "verbose=yes&name=J%C3%BCrgen+K&bad=%zz";
  request.body = "{}";
  std::vector<std::string_view> params = {"7"};
  Exchange exchange;
  exchange.begin(&request, &params);
  CHECK_FALSE(exchange.replied());
  CHECK(exchange.path_param(0) == "7");
  CHECK(exchange.body() == "{}");
  CHECK(exchange.query_param("name") == "J\xc3\xbcrgen K");
  CHECK(exchange.query_param("verbose") == "yes");
  CHECK_FALSE(exchange.query_param("bad").has_value());
  CHECK_FALSE(exchange.query_param("missing").has_value());

  exchange.reply_json(201, R"({"id":7})");
  exchange.reply_problem(500, "ignored");
  CHECK(exchange.replied());
  CHECK(exchange.answer().status == 201);
  CHECK(exchange.answer().content_type == "application/json");
  CHECK(exchange.answer().body == R"({"id":7})");

  exchange.begin(&request, &params);
  CHECK_FALSE(exchange.replied());
  CHECK(exchange.answer().status == 0);
  CHECK(exchange.answer().body.empty());
  exchange.reply_problem(422, "bad quantity", "$.quantity", "between(1, 100)");
  CHECK(exchange.answer().status == 422);
  CHECK(exchange.answer().content_type == "application/problem+json");
  CHECK(member(exchange.answer().body, "instance") == "/orders/7");
  CHECK(member(exchange.answer().body, "rule") == "between(1, 100)");

  exchange.begin(&request, &params);
  exchange.reply_empty(204);
  exchange.reply(200, "text/plain", "late");
  CHECK(exchange.answer().status == 204);
  CHECK(exchange.answer().content_type.empty());
  CHECK(exchange.answer().body.empty());
}
