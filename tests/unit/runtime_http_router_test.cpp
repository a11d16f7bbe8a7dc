// The router (precedence, HEAD, 405 and Allow, bad parameters, percent-decoding) and the
// parameter parsers it uses.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/http/params.h"
#include "hallows/http/router.h"

using hallows::http::Method;
using hallows::http::ParamKind;
using hallows::http::parse_bool;
using hallows::http::parse_f64;
using hallows::http::parse_i64;
using hallows::http::percent_decode;
using hallows::http::query_value;
using hallows::http::RouteMatch;
using hallows::http::Router;
using hallows::http::RouteSpec;

namespace {

void handler(hallows::http::Exchange&) {}

Router make_router() {
  return Router({
      {Method::kGet, "/orders/{order_id: i64}", handler},               // 0
      {Method::kGet, "/orders/summary", handler},                       // 1
      {Method::kPost, "/orders", handler},                              // 2
      {Method::kGet, "/orders", handler},                               // 3
      {Method::kDelete, "/orders/{order_id:i64}", handler},             // 4
      {Method::kGet, "/users/{name: string}/posts/{n: i64}", handler},  // 5
      {Method::kGet, "/users/me/posts/{n: i64}", handler},              // 6
      {Method::kGet, "/flags/{on: bool}/{ratio: f64}", handler},        // 7
      {Method::kGet, "/", handler},                                     // 8
      {Method::kGet, "/caf%C3%A9", handler},                            // 9
      {Method::kHead, "/orders", handler},                              // 10
      {Method::kPut, "/files/{name: string}", handler},                 // 11
  });
}

struct Matched {
  RouteMatch m;
  std::vector<std::string> params;
};

Matched match(const Router& router, Method method, std::string_view path) {
  std::vector<std::string_view> params;
  std::string scratch;
  Matched out{router.match(method, path, params, scratch), {}};
  for (auto p : params) out.params.emplace_back(p);
  return out;
}

}  // namespace

TEST_CASE("Routes match with typed, decoded parameters", "[http][router]") {
  Router router = make_router();
  auto m = match(router, Method::kGet, "/orders/42");
  REQUIRE(m.m.kind == RouteMatch::kFound);
  CHECK(m.m.route == 0);
  CHECK(m.params == std::vector<std::string>{"42"});

  m = match(router, Method::kGet, "/users/J%C3%BCrgen%20K/posts/-3");
  REQUIRE(m.m.kind == RouteMatch::kFound);
  CHECK(m.m.route == 5);
  CHECK(m.params == std::vector<std::string>{"J\xc3\xbcrgen K", "-3"});

  m = match(router, Method::kGet, "/flags/true/2.5e3");
  REQUIRE(m.m.kind == RouteMatch::kFound);
  CHECK(m.params == std::vector<std::string>{"true", "2.5e3"});

  CHECK(match(router, Method::kGet, "/").m.route == 8);
  CHECK(match(router, Method::kGet, "/caf%c3%a9").m.route == 9);
  CHECK(match(router, Method::kGet, "/caf\xc3\xa9").m.kind == RouteMatch::kFound);
  // '+' is not a space in paths; %2F stays inside its segment.
  m = match(router, Method::kPut, "/files/a+b%2Fc");
  REQUIRE(m.m.kind == RouteMatch::kFound);
  CHECK(m.params == std::vector<std::string>{"a+b/c"});
  CHECK(match(router, Method::kPut, "/files/a/c").m.kind == RouteMatch::kNotFound);
  CHECK(match(router, Method::kPut, "/files/").m.kind == RouteMatch::kFound);  // empty string
}

TEST_CASE("A literal segment wins over a parameter", "[http][router]") {
  Router router = make_router();
  CHECK(match(router, Method::kGet, "/orders/summary").m.route == 1);
  auto m = match(router, Method::kGet, "/users/me/posts/1");
  CHECK(m.m.route == 6);
  CHECK(m.params == std::vector<std::string>{"1"});
  CHECK(match(router, Method::kGet, "/users/you/posts/1").m.route == 5);
  // A full match of a less specific route beats a literal route whose parameter does not parse.
  Router r({{Method::kGet, "/a/{x: i64}", handler},
            {Method::kGet, "/{y: string}/{z: string}", handler}});
  CHECK(match(r, Method::kGet, "/a/1").m.route == 0);
  auto full = match(r, Method::kGet, "/a/b");
  CHECK(full.m.kind == RouteMatch::kFound);
  CHECK(full.m.route == 1);
  CHECK(full.params == std::vector<std::string>{"a", "b"});
}

TEST_CASE("HEAD is served by GET routes; an explicit HEAD route wins", "[http][router]") {
  Router router = make_router();
  CHECK(match(router, Method::kHead, "/orders/7").m.route == 0);
  CHECK(match(router, Method::kHead, "/orders").m.route == 10);
}

TEST_CASE("405 lists every method of the path's routes in a fixed order", "[http][router]") {
  Router router = make_router();
  auto m = match(router, Method::kPut, "/orders");
  REQUIRE(m.m.kind == RouteMatch::kMethodNotAllowed);
  CHECK(m.m.allow == "GET, HEAD, POST");
  CHECK(m.params.empty());
  m = match(router, Method::kPost, "/orders/7");
  REQUIRE(m.m.kind == RouteMatch::kMethodNotAllowed);
  CHECK(m.m.allow == "GET, HEAD, DELETE");
  // Methods outside the table: 405 where the path exists, 404 elsewhere.
  CHECK(match(router, Method::kOther, "/orders").m.kind == RouteMatch::kMethodNotAllowed);
  CHECK(match(router, Method::kOther, "/nothing").m.kind == RouteMatch::kNotFound);
  Router only_put({{Method::kPut, "/x", handler}});
  CHECK(match(only_put, Method::kGet, "/x").m.allow == "PUT");
}

TEST_CASE("A parameter that does not parse is kBadParameter", "[http][router]") {
  Router router = make_router();
  auto m = match(router, Method::kGet, "/orders/abc");
  REQUIRE(m.m.kind == RouteMatch::kBadParameter);
  CHECK(m.m.route == 0);
  CHECK(m.m.bad_parameter == "order_id");
  CHECK(m.m.bad_kind == ParamKind::kI64);
  CHECK(m.params.empty());
  m = match(router, Method::kGet, "/orders/99999999999999999999");
  CHECK(m.m.kind == RouteMatch::kBadParameter);
  m = match(router, Method::kGet, "/flags/yes/1");
  CHECK(m.m.bad_parameter == "on");
  CHECK(m.m.bad_kind == ParamKind::kBool);
  m = match(router, Method::kGet, "/flags/true/inf");
  CHECK(m.m.bad_parameter == "ratio");
  // An invalid escape: in a parameter, a bad parameter; in a literal position, no match.
  CHECK(match(router, Method::kGet, "/users/%zz/posts/1").m.kind == RouteMatch::kBadParameter);
  CHECK(match(router, Method::kGet, "/users/%ff/posts/1").m.kind == RouteMatch::kBadParameter);
  CHECK(match(router, Method::kGet, "/orders%2").m.kind == RouteMatch::kNotFound);
}

TEST_CASE("No dot-segment normalisation, no trailing-slash folding", "[http][router]") {
  Router router = make_router();
  CHECK(match(router, Method::kGet, "/orders/../orders").m.kind == RouteMatch::kNotFound);
  CHECK(match(router, Method::kGet, "/./orders").m.kind == RouteMatch::kNotFound);
  CHECK(match(router, Method::kGet, "/caf%C3%A9/").m.kind == RouteMatch::kNotFound);
  CHECK(match(router, Method::kGet, "/orders/").m.kind == RouteMatch::kBadParameter);  // "" as i64
  CHECK(match(router, Method::kGet, "//orders").m.kind == RouteMatch::kNotFound);
  CHECK(match(router, Method::kGet, "*").m.kind == RouteMatch::kNotFound);
  CHECK(match(router, Method::kGet, "").m.kind == RouteMatch::kNotFound);
  CHECK(match(router, Method::kGet, "/a/b/c/d/e/f/g/h").m.kind == RouteMatch::kNotFound);
  Router dots({{Method::kGet, "/a/../b", handler}});
  CHECK(match(dots, Method::kGet, "/a/../b").m.kind == RouteMatch::kFound);
  CHECK(match(dots, Method::kGet, "/b").m.kind == RouteMatch::kNotFound);
}

TEST_CASE("Malformed patterns and duplicate routes are refused", "[http][router]") {
  auto refuses = [](std::vector<RouteSpec> routes) {
    CHECK_THROWS_AS(Router(std::move(routes)), std::invalid_argument);
  };
  refuses({{Method::kGet, "orders", handler}});
  refuses({{Method::kGet, "", handler}});
  refuses({{Method::kGet, "/orders/{id}", handler}});
  refuses({{Method::kGet, "/orders/{id: int}", handler}});
  refuses({{Method::kGet, "/orders/{: i64}", handler}});
  refuses({{Method::kGet, "/orders/{1d: i64}", handler}});
  refuses({{Method::kGet, "/orders/x{id: i64}", handler}});
  refuses({{Method::kGet, "/orders/{id: i64", handler}});
  refuses({{Method::kGet, "/{a: i64}/{a: string}", handler}});
  refuses({{Method::kGet, "/bad%zz", handler}});
  refuses({{Method::kOther, "/x", handler}});
  refuses({{Method::kGet, "/o/{a: i64}", handler}, {Method::kGet, "/o/{b: string}", handler}});
  refuses({{Method::kGet, "/x", handler}, {Method::kGet, "/x", handler}});
  CHECK_NOTHROW(Router({{Method::kGet, "/x", handler}, {Method::kPost, "/x", handler}}));
  Router moved = make_router();
  Router other(std::move(moved));
  CHECK(other.routes().size() == 12);
  CHECK(match(other, Method::kGet, "/orders/summary").m.route == 1);
}

TEST_CASE("parse_i64, parse_f64, parse_bool", "[http][params]") {
  std::int64_t i = 5;
  CHECK(parse_i64("0", i));
  CHECK(i == 0);
  CHECK(parse_i64("-9223372036854775808", i));
  CHECK(i == std::numeric_limits<std::int64_t>::min());
  CHECK(parse_i64("9223372036854775807", i));
  CHECK(i == std::numeric_limits<std::int64_t>::max());
  i = 5;
  for (const char* bad : {"", "-", "+1", " 1", "1 ", "9223372036854775808", "0x10", "1.0", "١"}) {
    INFO(bad);
    CHECK_FALSE(parse_i64(bad, i));
  }
  CHECK(i == 5);  // nothing written on failure

  double d = 0;
  CHECK(parse_f64("2.5", d));
  CHECK(d == 2.5);
  CHECK(parse_f64("-1e3", d));
  CHECK(d == -1000);
  CHECK(parse_f64("7", d));
  d = 1;
  for (const char* bad : {"", "inf", "-inf", "nan", "1e999", "+1", " 1", "1x", "0x1p3", "."}) {
    INFO(bad);
    CHECK_FALSE(parse_f64(bad, d));
  }
  CHECK(d == 1);

  bool b = false;
  CHECK(parse_bool("true", b));
  CHECK(b);
  CHECK(parse_bool("false", b));
  CHECK_FALSE(b);
  CHECK_FALSE(parse_bool("True", b));
  CHECK_FALSE(parse_bool("1", b));
}

TEST_CASE("percent_decode and query_value", "[http][params]") {
  std::string out = "old";
  CHECK(percent_decode("a%20b+c%2b", out, false));
  CHECK(out == "a b+c+");
  CHECK(percent_decode("a%20b+c", out, true));
  CHECK(out == "a b c");
  CHECK(percent_decode("%E2%82%AC", out, false));
  CHECK(out == "\xe2\x82\xac");
  CHECK(percent_decode("", out, false));
  CHECK(out.empty());
  for (const char* bad : {"%", "%2", "%zz", "%2g", "a%", "%ff", "%C3", "%C0%80", "%ED%A0%80"}) {
    INFO(bad);
    CHECK_FALSE(percent_decode(bad, out, false));
  }
  CHECK_FALSE(percent_decode("\xff", out, false));

  CHECK(query_value("a=1&b=2&a=3", "a") == "1");
  CHECK(query_value("a=1&b=2", "b") == "2");
  CHECK(query_value("flag&b=2", "flag") == "");
  CHECK(query_value("x=&y", "x") == "");
  CHECK(query_value("na%6De=J%C3%BCrgen+K", "name") == "J\xc3\xbcrgen K");
  CHECK(query_value("a=%zz&a=ok", "a") == "ok");  // a malformed pair is absent
  CHECK(query_value("q=a%3Db%26c", "q") == "a=b&c");
  CHECK_FALSE(query_value("a=1", "b").has_value());
  CHECK_FALSE(query_value("", "a").has_value());
  CHECK_FALSE(query_value("&&", "a").has_value());
  CHECK(query_value("&&a=1", "a") == "1");
  CHECK(query_value("=1&=2", "") == "1");
}
