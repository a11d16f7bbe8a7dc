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

// "" when `value` passes its schema's rules; otherwise "<field>: <message>".
template <class T>
[[nodiscard]] std::string validation_message(const T& value) {
  std::optional<ValidationError> broken = validate(value);
  if (!broken) return {};
  return broken->field + ": " + broken->message;
}

}  // namespace hallows
