// http_host: a Basilisk service without a .pt program, for the end-to-end tests (the hostile
// input suite) and the benchmarks against nginx.
//
//   http_host [--port N] [--host H] [--cores N] [--access-log off|stderr] [--max-body N]
//             [--max-header-bytes N] [--request-timeout-ms N] [--idle-timeout-ms N]
//             [--max-connections N] [--shutdown-timeout-ms N]
//
// Routes:  GET /order             a fixed small JSON object (the benchmark's response)
//          POST /echo             an Order (the GET's fields, each validated: quantity 1..1000,
//                                 currency EUR/USD/GBP, ...) echoed back re-encoded; anything
//                                 else is a 400 problem naming the field
//          GET /orders/{order_id: i64}
//          GET /boom              a handler that throws (500, and the server goes on)
// plus the built-in /healthz and /metrics. Prints "port N" on stdout (flushed) once listening,
// report lines on stderr, and runs until SIGTERM or SIGINT. Exit status: 0 after a clean stop,
// 2 on bad arguments, 1 when it cannot listen.
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "hallows/core/program.h"
#include "hallows/http/service.h"

namespace {

using hallows::http::Exchange;
using hallows::http::Method;

// The Order of tests/perf/http_bench (order.json), byte for byte: http_bench.py can measure
// this host with --ours.
constexpr std::string_view kOrder =
    R"({"order_id":1234567,"customer":"ada.lovelace@example.com",)"
    R"("product":"Analytical engine gear, brass","quantity":12,"unit_price":19.95,)"
    R"("currency":"EUR","note":"Deliver to the back door and ring twice."})";

void get_order(Exchange& exchange) {
  exchange.reply_json(200, kOrder);
}

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
}

// Checks one field of the Order; on failure answers the 400 problem naming it.
struct OrderReader {
  Exchange& exchange;
  simdjson::dom::object object;
  bool ok = true;

  void refuse(std::string_view name, std::string detail, std::string_view rule = {}) {
    if (!ok) return;
    ok = false;
    exchange.reply_problem(400, detail, "$." + std::string(name), rule);
  }
  std::int64_t i64(std::string_view name, std::int64_t low, std::int64_t high) {
    std::int64_t value = 0;
    if (ok && object[name].get_int64().get(value))
      refuse(name, std::string(name) + " must be an integer");
    else if (ok && (value < low || value > high))
      refuse(name, std::string(name) + " is out of range",
             "between(" + std::to_string(low) + ", " + std::to_string(high) + ")");
    return value;
  }
  double f64(std::string_view name, double low, double high) {
    double value = 0;
    if (ok && object[name].get_double().get(value))
      refuse(name, std::string(name) + " must be a number");
    else if (ok && !(value >= low && value <= high))
      refuse(name, std::string(name) + " is out of range");
    return value;
  }
  std::string_view text(std::string_view name, std::size_t low, std::size_t high) {
    std::string_view value;
    if (ok && object[name].get_string().get(value))
      refuse(name, std::string(name) + " must be a string");
    else if (ok && (value.size() < low || value.size() > high))
      refuse(name, std::string(name) + " has the wrong length",
             "length_between(" + std::to_string(low) + ", " + std::to_string(high) + ")");
    return value;
  }
};

void append_double(std::string& out, double value) {
  char digits[32];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;  // shortest round trip
  out.append(digits, end);
}

// POST /echo: decodes and validates an Order (every field required), echoes it re-encoded.
void post_echo(Exchange& exchange) {
  // simdjson validates UTF-8 and bounds the nesting depth (a deep document is an error).
  thread_local simdjson::dom::parser parser(64 * 1024 * 1024);
  thread_local std::string out;
  simdjson::padded_string body(exchange.body());
  simdjson::dom::element document;
  if (auto error = parser.parse(body).get(document)) {
    exchange.reply_problem(
        400, std::string("the body is not valid JSON: ") + simdjson::error_message(error));
    return;
  }
  OrderReader read{exchange, {}};
  if (document.get_object().get(read.object)) {
    exchange.reply_problem(400, "the body must be a JSON object (an Order)", "$");
    return;
  }
  std::int64_t order_id = read.i64("order_id", 1, INT64_MAX);
  std::string_view customer = read.text("customer", 1, 64);
  std::string_view product = read.text("product", 1, 64);
  std::int64_t quantity = read.i64("quantity", 1, 1000);
  double unit_price = read.f64("unit_price", 0.0, 100000.0);
  std::string_view currency = read.text("currency", 3, 3);
  if (read.ok && currency != "EUR" && currency != "USD" && currency != "GBP")
    read.refuse("currency", "currency must be EUR, USD or GBP",
                "one_of(\"EUR\", \"USD\", \"GBP\")");
  std::string_view note = read.text("note", 0, 120);
  if (!read.ok) return;
  out.clear();
  out += R"({"order_id":)";
  out += std::to_string(order_id);
  out += R"(,"customer":)";
  append_json_string(out, customer);
  out += R"(,"product":)";
  append_json_string(out, product);
  out += R"(,"quantity":)";
  out += std::to_string(quantity);
  out += R"(,"unit_price":)";
  append_double(out, unit_price);
  out += R"(,"currency":)";
  append_json_string(out, currency);
  out += R"(,"note":)";
  append_json_string(out, note);
  out += '}';
  exchange.reply_json(200, out);
}

void get_order_by_id(Exchange& exchange) {
  std::string out = R"({"order_id":)";
  out += exchange.path_param(0);  // checked as an i64 by the router
  out += '}';
  exchange.reply_json(200, out);
}

void boom(Exchange&) {
  throw std::runtime_error("boom (the test route that always fails)");
}

int usage(const std::string& why) {
  std::fprintf(stderr,
               "http_host: %s\nusage: http_host [--port N] [--host H] [--cores N] "
               "[--access-log off|stderr] [--max-body N] [--max-header-bytes N] "
               "[--request-timeout-ms N] [--idle-timeout-ms N] [--max-connections N] "
               "[--shutdown-timeout-ms N]\n",
               why.c_str());
  return 2;
}

bool parse_number(const char* text, long long low, long long high, long long& out) {
  if (text == nullptr) return false;
  std::string_view s(text);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && out >= low && out <= high;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace std::chrono;
  hallows::http::ServiceSpec service;
  service.name = "http_host";
  long long cores = 1;
  long long shutdown_ms = 5000;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    long long n = 0;
    auto number = [&](long long low, long long high) {
      ++i;
      return parse_number(value, low, high, n);
    };
    if (arg == "--port") {
      if (!number(0, 65535)) return usage("--port needs a number from 0 to 65535");
      service.port = static_cast<int>(n);
    } else if (arg == "--host") {
      if (value == nullptr) return usage("--host needs an address");
      service.host = value;
      ++i;
    } else if (arg == "--cores") {
      if (!number(1, 256)) return usage("--cores needs a number from 1 to 256");
      cores = n;
    } else if (arg == "--access-log") {
      std::string v = value ? value : "";
      ++i;
      if (v == "off")
        service.access_log = hallows::http::AccessLog::kOff;
      else if (v == "stderr")
        service.access_log = hallows::http::AccessLog::kStderr;
      else
        return usage("--access-log is off or stderr");
    } else if (arg == "--max-body") {
      if (!number(0, 1LL << 40)) return usage("--max-body needs a byte count");
      service.limits.max_body_bytes = static_cast<std::size_t>(n);
    } else if (arg == "--max-header-bytes") {
      if (!number(64, 1LL << 30)) return usage("--max-header-bytes needs a byte count");
      service.limits.max_header_bytes = static_cast<std::size_t>(n);
    } else if (arg == "--request-timeout-ms") {
      if (!number(1, 3600000)) return usage("--request-timeout-ms needs milliseconds");
      service.limits.request_timeout = milliseconds(n);
    } else if (arg == "--idle-timeout-ms") {
      if (!number(1, 3600000)) return usage("--idle-timeout-ms needs milliseconds");
      service.limits.idle_timeout = milliseconds(n);
    } else if (arg == "--max-connections") {
      if (!number(1, 10000000)) return usage("--max-connections needs a number");
      service.limits.max_connections = static_cast<std::size_t>(n);
    } else if (arg == "--shutdown-timeout-ms") {
      if (!number(1, 3600000)) return usage("--shutdown-timeout-ms needs milliseconds");
      shutdown_ms = n;
    } else {
      return usage("unknown argument " + arg);
    }
  }
  service.routes = {
      {Method::kGet, "/order", get_order},
      {Method::kPost, "/echo", post_echo},
      {Method::kGet, "/orders/{order_id: i64}", get_order_by_id},
      {Method::kGet, "/boom", boom},
  };

  hallows::core::ProgramSpec program_spec;
  program_spec.name = "http_host";
  program_spec.shutdown_timeout = milliseconds(shutdown_ms);
  hallows::core::Program program(program_spec);
  hallows::core::PartitionSpec partition_spec;
  partition_spec.name = "api";
  partition_spec.cores = static_cast<int>(cores);
  partition_spec.scheduler = hallows::core::SchedulerKind::backend_api;
  auto& partition = program.add_partition(partition_spec);
  std::string error;
  auto server = hallows::http::Service::start(partition, std::move(service), error);
  if (!server) {
    std::fprintf(stderr, "http_host: %s\n", error.c_str());
    return 1;
  }
  std::printf("port %d\n", server->port());
  std::fflush(stdout);
  return program.run();
}
