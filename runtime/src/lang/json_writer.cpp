#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "hallows/lang/base64.h"
#include "hallows/lang/json_write.h"
#include "hallows/lang/rfc3339.h"
#include "hallows/lang/utf8.h"

namespace hallows {
namespace {

// True for the bytes a JSON string can hold as they are: printable ASCII other than '"' and '\\'.
constexpr bool plain_ascii(unsigned char u) {
  return u >= 0x20 && u < 0x80 && u != '"' && u != '\\';
}

void append_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t i = 0;
  while (i < text.size()) {
    // Runs of plain bytes (and of valid UTF-8 above ASCII: the caller has checked it) are
    // appended whole; only the bytes that need an escape go one at a time.
    std::size_t run = i;
    while (run < text.size()) {
      unsigned char u = static_cast<unsigned char>(text[run]);
      if (u < 0x20 || u == '"' || u == '\\') break;
      ++run;
    }
    out.append(text.data() + i, run - i);
    if (run == text.size()) break;
    char c = text[run];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default: {
        unsigned char u = static_cast<unsigned char>(c);
        out += "\\u00";
        out += kHex[u >> 4];
        out += kHex[u & 15];
      }
    }
    i = run + 1;
  }
}

}  // namespace

void JsonWriter::before_value() {
  if (need_comma_) out_ += ',';
  need_comma_ = true;
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

void JsonWriter::boolean(bool value) {
  before_value();
  out_ += value ? "true" : "false";
}

void JsonWriter::number(i64 value) {
  before_value();
  char digits[24];
  auto [end, error] = std::to_chars(digits, digits + sizeof digits, value);
  (void)error;  // 24 bytes hold every i64
  out_.append(digits, end);
}

void JsonWriter::number(double value) {
  if (!std::isfinite(value)) {
    null();
    return;
  }
  before_value();
  char digits[40];
  char* end = fmt::format_to(digits, "{}", value);  // shortest round trip, valid JSON
  out_.append(digits, end);
}

void JsonWriter::string(std::string_view value) {
  before_value();
  out_ += '"';
  std::size_t plain = 0;
  while (plain < value.size() && plain_ascii(static_cast<unsigned char>(value[plain]))) ++plain;
  if (plain == value.size()) {
    out_.append(value);  // the common case: keys, names, plain text
  } else if (is_valid_utf8(value)) {
    append_escaped(out_, value);
  } else {
    std::string clean;
    append_utf8_sanitized(clean, value);
    append_escaped(out_, clean);
  }
  out_ += '"';
}

void JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  need_comma_ = false;
}

void JsonWriter::key(std::string_view name) {
  string(name);
  out_ += ':';
  need_comma_ = false;
}

void JsonWriter::end_object() {
  out_ += '}';
  need_comma_ = true;
}

void JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  need_comma_ = false;
}

void JsonWriter::end_array() {
  out_ += ']';
  need_comma_ = true;
}

std::string JsonWriter::take() {
  need_comma_ = false;
  std::string result = std::move(out_);
  out_.clear();
  return result;
}

void write_json(JsonWriter& w, i64 value) {
  w.number(value);
}
void write_json(JsonWriter& w, double value) {
  w.number(value);
}
void write_json(JsonWriter& w, bool value) {
  w.boolean(value);
}
void write_json(JsonWriter& w, const std::string& value) {
  w.string(value);
}
void write_json(JsonWriter& w, const char* value) {
  w.string(value);
}
void write_json(JsonWriter& w, const Bytes& value) {
  w.string(base64_encode(value));
}
void write_json(JsonWriter& w, Duration value) {
  w.number(value.nanos);
}
void write_json(JsonWriter& w, Timestamp value) {
  w.string(format_rfc3339(value));
}

}  // namespace hallows
