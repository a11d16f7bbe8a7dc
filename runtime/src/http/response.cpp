#include "hallows/http/response.h"

#include <charconv>
#include <cstring>
#include <ctime>

#include "hallows/lang/json_write.h"

namespace hallows::http {
namespace {

// The IMF-fixdate of the current second ("Sun, 06 Nov 1994 08:49:37 GMT"), rebuilt at most once
// a second per thread: the coarse clock is a vDSO read, no system call.
constexpr std::size_t kDateSize = 29;

struct DateCache {
  std::time_t second = -1;
  char text[kDateSize + 1] = {};
};

void two_digits(char* out, int value) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
}

std::string_view current_date() {
  thread_local DateCache cache;
  timespec now{};
  clock_gettime(CLOCK_REALTIME_COARSE, &now);
  if (now.tv_sec != cache.second) {
    static constexpr char kDays[] = "SunMonTueWedThuFriSat";
    static constexpr char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    std::tm tm{};
    gmtime_r(&now.tv_sec, &tm);
    char* p = cache.text;
    std::memcpy(p, kDays + 3 * tm.tm_wday, 3);
    p[3] = ',';
    p[4] = ' ';
    two_digits(p + 5, tm.tm_mday);
    p[7] = ' ';
    std::memcpy(p + 8, kMonths + 3 * tm.tm_mon, 3);
    p[11] = ' ';
    int year = (tm.tm_year + 1900) % 10000;
    two_digits(p + 12, year / 100);
    two_digits(p + 14, year % 100);
    p[16] = ' ';
    two_digits(p + 17, tm.tm_hour);
    p[19] = ':';
    two_digits(p + 20, tm.tm_min);
    p[22] = ':';
    two_digits(p + 23, tm.tm_sec);
    std::memcpy(p + 25, " GMT", 4);
    cache.second = now.tv_sec;
  }
  return {cache.text, kDateSize};
}

void append_number(std::string& out, std::size_t value) {
  char digits[24];
  auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, result.ptr);
}

// RFC 9110 8.6, 15.2, 15.3.5, 15.4.5: these carry neither a body nor Content-Length.
bool has_no_body(int status) {
  return status < 200 || status == 204 || status == 304;
}

}  // namespace

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 102:
      return "Processing";
    case 103:
      return "Early Hints";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 205:
      return "Reset Content";
    case 206:
      return "Partial Content";
    case 207:
      return "Multi-Status";
    case 208:
      return "Already Reported";
    case 226:
      return "IM Used";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 305:
      return "Use Proxy";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 418:
      return "I'm a teapot";
    case 421:
      return "Misdirected Request";
    case 422:
      return "Unprocessable Content";
    case 423:
      return "Locked";
    case 424:
      return "Failed Dependency";
    case 425:
      return "Too Early";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    case 506:
      return "Variant Also Negotiates";
    case 507:
      return "Insufficient Storage";
    case 508:
      return "Loop Detected";
    case 510:
      return "Not Extended";
    case 511:
      return "Network Authentication Required";
    default:
      return "Unknown";
  }
}

std::string problem_json(int status, std::string_view detail, std::string_view instance,
                         std::string_view field, std::string_view rule) {
  // The runtime's JSON writer: the same escaping as every answer, invalid UTF-8 as U+FFFD.
  std::string buffer;
  buffer.reserve(96 + detail.size() + instance.size() + field.size() + rule.size());
  JsonWriter w(std::move(buffer));
  w.begin_object();
  w.key("type");
  w.string("about:blank");
  w.key("title");
  w.string(reason_phrase(status));
  w.key("status");
  w.number(static_cast<i64>(status));
  w.key("detail");
  w.string(detail);
  if (!instance.empty()) {
    w.key("instance");
    w.string(instance);
  }
  if (!field.empty()) {
    w.key("field");
    w.string(field);
  }
  if (!rule.empty()) {
    w.key("rule");
    w.string(rule);
  }
  w.end_object();
  return w.take();
}

void append_response(std::string& out, int status, std::string_view content_type,
                     std::string_view body, bool keep_alive, bool head_only,
                     std::string_view extra_headers) {
  std::string_view reason = reason_phrase(status);
  bool no_body = has_no_body(status);
  std::size_t send = (head_only || no_body) ? 0 : body.size();
  // One reservation for the whole response (libstdc++ still grows geometrically).
  out.reserve(out.size() + 128 + reason.size() + content_type.size() + extra_headers.size() + send);

  out += "HTTP/1.1 ";
  if (status >= 100 && status <= 999) {
    char code[3] = {static_cast<char>('0' + status / 100),
                    static_cast<char>('0' + status / 10 % 10),
                    static_cast<char>('0' + status % 10)};
    out.append(code, 3);
  } else {
    out += "500";
    reason = reason_phrase(500);
  }
  out += ' ';
  out += reason;
  out += "\r\nDate: ";
  out += current_date();
  out += "\r\nServer: basilisk\r\n";
  if (!content_type.empty()) {
    out += "Content-Type: ";
    out += content_type;
    out += "\r\n";
  }
  if (!no_body) {
    out += "Content-Length: ";
    append_number(out, body.size());
    out += "\r\n";
  }
  out += extra_headers;
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  out.append(body.data(), send);
}

}  // namespace hallows::http
