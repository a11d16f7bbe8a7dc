// What the language's decode_json, decode_json_error and validation_error builtins call:
// strict JSON decoding followed by the schema's `validate` rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hallows/lang/json_read.h"
#include "hallows/lang/validate.h"

namespace hallows {

// Decodes `text` into a T and checks T's validate rules (found by argument-dependent lookup).
// A rule failure is reported with the path of the field ("$.items[2].price").
template <class T>
[[nodiscard]] DecodeResult<T> decode_and_validate(std::string_view text) {
  DecodeResult<T> result = from_json<T>(text);
  if (!result.ok()) return result;
  if (std::optional<ValidationError> broken = validate(*result.value)) {
    result.error = DecodeError{"$." + broken->field, broken->message + " (" + broken->rule + ")"};
    result.value.reset();
  }
  return result;
}

template <class T>
[[nodiscard]] std::optional<T> decode_json(std::string_view text) {
  return decode_and_validate<T>(text).value;
}

// "" when `text` decodes and validates; otherwise "<path>: <message>".
template <class T>
[[nodiscard]] std::string decode_json_error(std::string_view text) {
  DecodeResult<T> result = decode_and_validate<T>(text);
  if (result.ok()) return {};
  return result.error.path + ": " + result.error.message;
}

// Why a request body was refused, for an RFC 9457 problem: the field ("$.quantity"; "$" for
// the whole body), the rule it broke, and a sentence naming both.
struct BodyError {
  std::string field;
  // A validate rule as written ("between(1, 100)"), or what the decoder refused: "json" (not
  // JSON), "type" (a value of the wrong type), "required" (a missing field), "unknown_field",
  // "duplicate_field", or "decode".
  std::string rule;
  std::string message;  // "$.quantity: must be between 1 and 100, found 0 (between(1, 100))"
};

namespace detail {
// Splits a decoder failure into the field it concerns and the rule it broke.
inline BodyError body_error(const DecodeError& error) {
  BodyError out{error.path, "decode", error.describe()};
  // "missing required field", "unknown field", "duplicate field": the decoder names the field
  // either on the path (generated decoders) or in quotes after the words (at the object's path).
  auto named_field = [&](std::string_view words, const char* rule) {
    if (error.message.rfind(words, 0) != 0) return false;
    out.rule = rule;
    std::string_view rest = std::string_view(error.message).substr(words.size());
    if (rest.size() >= 3 && rest.substr(0, 2) == " \"" && rest.back() == '"') {
      out.field = error.path + "." + std::string(rest.substr(2, rest.size() - 3));
      out.message = out.field + ": " + std::string(words);
    }
    return true;
  };
  if (named_field("missing required field", "required") ||
      named_field("unknown field", "unknown_field") ||
      named_field("duplicate field", "duplicate_field")) {
    return out;
  }
  if (error.message.rfind("not valid JSON", 0) == 0) {
    out.rule = "json";
  } else if (error.message.rfind("expected ", 0) == 0) {
    out.rule = "type";
  }
  return out;
}
}  // namespace detail

// A request body (JSON) decoded into a T and checked against T's validate rules; on failure,
// nothing and `why` says which field broke which rule.
template <class T>
[[nodiscard]] std::optional<T> decode_request_body(std::string_view text, BodyError& why) {
  DecodeResult<T> result = from_json<T>(text);
  if (!result.ok()) {
    why = detail::body_error(result.error);
    return std::nullopt;
  }
  if (std::optional<ValidationError> broken = validate(*result.value)) {
    std::string field = "$." + broken->field;
    why =
        BodyError{field, broken->rule, field + ": " + broken->message + " (" + broken->rule + ")"};
    return std::nullopt;
  }
  return std::move(result.value);
}

// "" when `value` passes its schema's rules; otherwise "<field>: <message>".
template <class T>
[[nodiscard]] std::string validation_message(const T& value) {
  std::optional<ValidationError> broken = validate(value);
  if (!broken) return {};
  return broken->field + ": " + broken->message;
}

}  // namespace hallows
