#include "hallows/lang/base64.h"
#include "hallows/lang/json_read.h"
#include "hallows/lang/rfc3339.h"

namespace hallows {
namespace {

bool mismatch(const JsonValue& value, std::string_view expected, JsonDecoder& decoder) {
  std::string found(describe_json(value));
  if (value.element().type() == simdjson::dom::element_type::UINT64) {
    found = "an integer outside the i64 range";
  }
  return decoder.fail("expected " + std::string(expected) + ", found " + found);
}

bool read_integer(const JsonValue& value, i64& out, std::string_view expected,
                  JsonDecoder& decoder) {
  if (value.element().type() != simdjson::dom::element_type::INT64) {
    return mismatch(value, expected, decoder);
  }
  int64_t v = 0;
  if (value.element().get_int64().get(v) != simdjson::SUCCESS) {
    return mismatch(value, expected, decoder);
  }
  out = v;
  return true;
}

bool read_string_view(const JsonValue& value, std::string_view& out, std::string_view expected,
                      JsonDecoder& decoder) {
  if (value.element().get_string().get(out) != simdjson::SUCCESS) {
    return mismatch(value, expected, decoder);
  }
  return true;
}

}  // namespace

bool read_json(const JsonValue& value, i64& out, JsonDecoder& decoder) {
  return read_integer(value, out, "an integer (i64)", decoder);
}

bool read_json(const JsonValue& value, double& out, JsonDecoder& decoder) {
  const auto& element = value.element();
  switch (element.type()) {
    case simdjson::dom::element_type::INT64: {
      int64_t v = 0;
      if (element.get_int64().get(v) != simdjson::SUCCESS) break;
      out = static_cast<double>(v);
      return true;
    }
    case simdjson::dom::element_type::UINT64: {
      uint64_t v = 0;
      if (element.get_uint64().get(v) != simdjson::SUCCESS) break;
      out = static_cast<double>(v);
      return true;
    }
    case simdjson::dom::element_type::DOUBLE:
      if (element.get_double().get(out) != simdjson::SUCCESS) break;
      return true;
    default:
      break;
  }
  return mismatch(value, "a number (f64)", decoder);
}

bool read_json(const JsonValue& value, bool& out, JsonDecoder& decoder) {
  if (value.element().get_bool().get(out) != simdjson::SUCCESS) {
    return mismatch(value, "a boolean", decoder);
  }
  return true;
}

bool read_json(const JsonValue& value, std::string& out, JsonDecoder& decoder) {
  std::string_view text;
  if (!read_string_view(value, text, "a string", decoder)) return false;
  out.assign(text);
  return true;
}

bool read_json(const JsonValue& value, Bytes& out, JsonDecoder& decoder) {
  std::string_view text;
  if (!read_string_view(value, text, "a base64 string", decoder)) return false;
  std::optional<Bytes> bytes = base64_decode(text);
  if (!bytes) {
    return decoder.fail("expected a base64 string, found a string that is not valid base64");
  }
  out = std::move(*bytes);
  return true;
}

bool read_json(const JsonValue& value, Duration& out, JsonDecoder& decoder) {
  return read_integer(value, out.nanos, "a duration (integer nanoseconds)", decoder);
}

bool read_json(const JsonValue& value, Timestamp& out, JsonDecoder& decoder) {
  std::string_view text;
  if (!read_string_view(value, text, "a timestamp (RFC 3339 string)", decoder)) return false;
  std::optional<Timestamp> t = parse_rfc3339(text);
  if (!t) {
    return decoder.fail(
        "expected a timestamp (RFC 3339 string), found a string that is not an RFC 3339 "
        "timestamp");
  }
  out = *t;
  return true;
}

}  // namespace hallows
