// libFuzzer target for Basilisk's request parsing. One input is what a client could send on one
// connection. It is parsed as pipelined requests three ways, which must agree exactly: whole,
// split in two at a point derived from the data (each piece in a fresh buffer, the old one
// overwritten, so a stale view would show), and one byte at a time for short inputs. Each
// parsed request is checked (consumed bytes, body limit, views inside the buffers, field
// grammar), then its path goes through the router and percent_decode, its query through
// query_value, and problem_json and append_response get fuzz-derived text (the problem must
// parse back as JSON). Both the default limits and tight ones are used.
//
// Built only with -DPT_FUZZ=ON and clang (scripts/fuzz.sh http). The same file, linked with
// replay_main.cpp, is `http_fuzz_replay`, which ctest runs over tests/fuzz/http_corpus/ in
// the ordinary build.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <simdjson.h>

#include "hallows/http/params.h"
#include "hallows/http/parser.h"
#include "hallows/http/response.h"
#include "hallows/http/router.h"
#include "hallows/lang/utf8.h"

namespace {

namespace h = hallows::http;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

bool inside(std::string_view part, std::string_view whole) {
  if (part.empty()) return true;
  auto p = reinterpret_cast<std::uintptr_t>(part.data());
  auto w = reinterpret_cast<std::uintptr_t>(whole.data());
  return p >= w && p + part.size() <= w + whole.size();
}

// One parse's outcome, owned, to compare the three ways of feeding.
struct Outcome {
  h::ParseStatus status;
  std::size_t consumed = 0;
  int error_status = 0;
  std::string reason, method, target, path, query, body, headers;
  int minor = 0;
  bool keep_alive = false, expect = false;
  bool operator==(const Outcome&) const = default;
};

void handler(h::Exchange&) {}

const h::Router& router() {
  static const h::Router r({
      {h::Method::kGet, "/", handler},
      {h::Method::kGet, "/orders", handler},
      {h::Method::kPost, "/orders", handler},
      {h::Method::kGet, "/orders/summary", handler},
      {h::Method::kGet, "/orders/{id: i64}", handler},
      {h::Method::kDelete, "/orders/{id: i64}", handler},
      {h::Method::kGet, "/u/{name: string}/p/{n: i64}", handler},
      {h::Method::kGet, "/u/me/p/{n: i64}", handler},
      {h::Method::kPut, "/f/{on: bool}/{ratio: f64}", handler},
      {h::Method::kHead, "/orders", handler},
  });
  return r;
}

// Checks a complete request against `data` (the bytes it was parsed from) and exercises the
// router, decoding and responses with its parts.
void check_request(const h::RequestParser& parser, std::string_view data, std::size_t consumed,
                   const h::Limits& limits) {
  const h::Request& r = parser.request();
  check(consumed > 0 && consumed <= data.size());
  std::string_view used = data.substr(0, consumed);
  check(parser.head_complete());
  check(r.body.size() <= limits.max_body_bytes);
  check(r.headers.size() <= limits.max_headers);
  check(r.version_minor == 0 || r.version_minor == 1);
  check(!r.method_token.empty() && inside(r.method_token, used));
  check(h::method_from(r.method_token) == r.method);
  check(!r.target.empty() && inside(r.target, used));
  check(inside(r.path, r.target) && inside(r.query, r.target));
  check(r.path == "*" || r.path.front() == '/');
  for (char c : r.target) check(c > 0x20 && c < 0x7f);
  for (const auto& f : r.headers) {
    check(!f.name.empty() && inside(f.name, used) && inside(f.value, used));
    for (char c : f.value) check(c != '\r' && c != '\n' && c != '\0');
    check(f.value.empty() || (f.value.front() != ' ' && f.value.back() != ' '));
  }
  check(r.header("content-length").has_value() || r.header("transfer-encoding").has_value() ||
        r.body.empty());
  if (!r.header("transfer-encoding")) check(inside(r.body, used));

  std::vector<std::string_view> params;
  std::string scratch;
  h::RouteMatch m = router().match(r.method, r.path, params, scratch);
  if (m.kind == h::RouteMatch::kFound) {
    check(m.route < router().routes().size());
    for (auto p : params) check(inside(p, scratch) && hallows::is_valid_utf8(p));
  } else {
    check(params.empty());
    if (m.kind == h::RouteMatch::kMethodNotAllowed) check(!m.allow.empty());
    if (m.kind == h::RouteMatch::kBadParameter) check(!m.bad_parameter.empty());
  }
  std::string decoded;
  if (h::percent_decode(r.path, decoded, false)) check(hallows::is_valid_utf8(decoded));
  // A name the fuzzer controls: the first key of the query, as sent.
  std::string_view first_key = r.query.substr(0, r.query.find_first_of("=&"));
  for (std::string_view name : {std::string_view("a"), first_key}) {
    auto q = h::query_value(r.query, name);
    if (q) check(hallows::is_valid_utf8(*q));
  }

  std::string problem = h::problem_json(400, r.body, r.target, r.query, r.method_token);
  simdjson::dom::parser json;
  simdjson::dom::element doc;
  check(json.parse(problem).get(doc) == simdjson::SUCCESS);
  std::string out;
  h::append_response(out, 200, "text/plain", r.body, r.keep_alive, r.method == h::Method::kHead);
  check(out.size() > r.body.size() || r.method == h::Method::kHead);
}

Outcome outcome(const h::RequestParser& parser, h::ParseStatus status, std::size_t consumed) {
  Outcome o;
  o.status = status;
  o.consumed = consumed;
  if (status == h::ParseStatus::kError) {
    o.error_status = parser.error().status;
    o.reason = std::string(parser.error().reason);
    check(o.error_status >= 400 && o.error_status <= 505 && !o.reason.empty());
  }
  if (status != h::ParseStatus::kComplete) return o;
  const h::Request& r = parser.request();
  o.method = std::string(r.method_token);
  o.target = std::string(r.target);
  o.path = std::string(r.path);
  o.query = std::string(r.query);
  o.body = std::string(r.body);
  for (const auto& f : r.headers) {
    o.headers += std::string(f.name) + '\0' + std::string(f.value) + '\0';
  }
  o.minor = r.version_minor;
  o.keep_alive = r.keep_alive;
  o.expect = r.expect_continue;
  return o;
}

// How each request is fed to the parser: all at once, its first `split` bytes then all, or one
// byte more each call. Every call gets a fresh buffer and the previous one is overwritten.
struct Feed {
  enum Kind { kWhole, kSplit, kBytes } kind = kWhole;
  std::size_t split = 0;
};

std::vector<Outcome> parse_all(std::string_view data, const h::Limits& limits, Feed feed,
                               bool checks) {
  std::vector<Outcome> results;
  h::RequestParser parser(limits);
  std::size_t offset = 0;
  for (int requests = 0; requests < 64; ++requests) {
    std::string_view rest = data.substr(offset);
    std::vector<std::unique_ptr<std::string>> buffers;
    h::ParseStatus status = h::ParseStatus::kNeedMore;
    std::size_t consumed = 0;
    std::vector<std::size_t> sizes;
    if (feed.kind == Feed::kSplit) sizes.push_back(std::min(feed.split, rest.size()));
    if (feed.kind == Feed::kBytes) {
      for (std::size_t n = 1; n < rest.size(); ++n) sizes.push_back(n);
    }
    sizes.push_back(rest.size());
    for (std::size_t n : sizes) {
      if (!buffers.empty()) buffers.back()->assign(buffers.back()->size(), 'X');
      buffers.push_back(std::make_unique<std::string>(rest.substr(0, n)));
      status = parser.parse(*buffers.back(), consumed);
      if (status != h::ParseStatus::kNeedMore) break;
      check(consumed == 0);
    }
    results.push_back(outcome(parser, status, consumed));
    if (status != h::ParseStatus::kComplete) break;
    if (checks) check_request(parser, *buffers.back(), consumed, limits);
    offset += consumed;
    parser.reset();
    if (offset == data.size()) break;
  }
  return results;
}

void run_one(const std::uint8_t* bytes, std::size_t size) {
  std::string_view data(reinterpret_cast<const char*>(bytes), size);
  h::Limits loose;
  h::Limits tight;
  tight.max_request_line_bytes = 48;
  tight.max_header_bytes = 96;
  tight.max_headers = 4;
  tight.max_body_bytes = 32;
  std::size_t split = size == 0 ? 0 : (bytes[size - 1] * 131u + size) % (size + 1);
  for (const h::Limits* limits : {&loose, &tight}) {
    std::vector<Outcome> whole = parse_all(data, *limits, {Feed::kWhole, 0}, true);
    check(parse_all(data, *limits, {Feed::kSplit, split}, false) == whole);
    if (size <= 512) check(parse_all(data, *limits, {Feed::kBytes, 0}, false) == whole);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  run_one(data, size);
  return 0;
}
