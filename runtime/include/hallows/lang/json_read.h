// Reading JSON strictly into the language's types, with simdjson's DOM.
//
// read_json(value, out, decoder) returns false after recording the first failure in the decoder
// with the path of the value that failed ("$.items[2].price") and a message saying what was
// expected and what was found. Generated code adds read_json overloads for its structs and enums
// in the user's namespace; the templates here call read_json unqualified so argument-dependent
// lookup finds them.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "hallows/lang/base.h"
#include "hallows/lang/cow.h"

namespace hallows {

// Deepest nesting of arrays and objects that from_json accepts.
inline constexpr std::size_t kMaxJsonDepth = 256;

// One member step of a path: `.name` for identifiers, `["odd key"]` otherwise.
[[nodiscard]] std::string path_member(std::string_view name);

enum class JsonKind { null_, boolean, integer, floating, string, array, object };

// One parsed value; valid while the document it came from (inside from_json) lives.
class JsonValue {
 public:
  JsonValue() = default;
  explicit JsonValue(simdjson::dom::element element) : element_(element) {}

  [[nodiscard]] JsonKind kind() const;
  [[nodiscard]] const simdjson::dom::element& element() const { return element_; }

 private:
  simdjson::dom::element element_;
};

// "null", "a boolean", "an integer", "a floating-point number", "a string", "an array",
// "an object": the "found ..." half of a failure message.
[[nodiscard]] std::string_view describe_json(const JsonValue& value);

class JsonObject {
 public:
  JsonObject() = default;
  explicit JsonObject(simdjson::dom::object object) : object_(object) {}

  // Finds the member named `key` (keys are unique: as_object refuses duplicates).
  [[nodiscard]] bool find(std::string_view key, JsonValue& out) const;
  // The member names in document order.
  [[nodiscard]] std::vector<std::string_view> keys() const;
  [[nodiscard]] std::size_t size() const { return object_.size(); }

  // Calls f(std::string_view key, const JsonValue& value) for each member in document order and
  // stops early when f returns false; returns whether every call returned true.
  template <class F>
  bool for_each(F&& f) const {
    for (simdjson::dom::key_value_pair field : object_) {
      if (!f(field.key, JsonValue(field.value))) return false;
    }
    return true;
  }

 private:
  simdjson::dom::object object_;
};

class JsonArray {
 public:
  class Iterator {
   public:
    explicit Iterator(simdjson::dom::array::iterator it) : it_(it) {}
    JsonValue operator*() const { return JsonValue(*it_); }
    Iterator& operator++() {
      ++it_;
      return *this;
    }
    bool operator==(const Iterator& other) const { return it_ == other.it_; }

   private:
    simdjson::dom::array::iterator it_;
  };

  JsonArray() = default;
  explicit JsonArray(simdjson::dom::array array) : array_(array) {}

  [[nodiscard]] std::size_t size() const { return array_.size(); }
  [[nodiscard]] Iterator begin() const { return Iterator(array_.begin()); }
  [[nodiscard]] Iterator end() const { return Iterator(array_.end()); }

 private:
  simdjson::dom::array array_;
};

struct DecodeError {
  std::string path;     // "$", "$.items[2].price", "$[\"odd key\"]"
  std::string message;  // "expected an integer (i64), found a string"

  // "$.items[2].price: expected ..."
  [[nodiscard]] std::string describe() const;
};

// Tracks where in the document decoding is, and keeps the first failure.
class JsonDecoder {
 public:
  void push_field(std::string_view name);
  void push_index(std::size_t index);
  void pop();

  // Records `message` at the current path unless a failure is already recorded; returns false
  // so that callers can write `return decoder.fail(...)`.
  bool fail(std::string message);

  [[nodiscard]] bool failed() const { return failed_; }
  [[nodiscard]] const DecodeError& error() const { return error_; }
  [[nodiscard]] std::string path() const;

 private:
  struct Segment {
    std::string field;
    std::size_t index = 0;
    bool is_index = false;
  };
  std::vector<Segment> segments_;
  DecodeError error_;
  bool failed_ = false;
};

// Object and array views; fail with "expected an object, found ..." otherwise. as_object also
// refuses objects with duplicate keys.
[[nodiscard]] bool as_object(const JsonValue& value, JsonObject& out, JsonDecoder& decoder);
[[nodiscard]] bool as_array(const JsonValue& value, JsonArray& out, JsonDecoder& decoder);

[[nodiscard]] bool read_json(const JsonValue& value, i64& out, JsonDecoder& decoder);
[[nodiscard]] bool read_json(const JsonValue& value, double& out, JsonDecoder& decoder);
[[nodiscard]] bool read_json(const JsonValue& value, bool& out, JsonDecoder& decoder);
[[nodiscard]] bool read_json(const JsonValue& value, std::string& out, JsonDecoder& decoder);
[[nodiscard]] bool read_json(const JsonValue& value, Bytes& out, JsonDecoder& decoder);
[[nodiscard]] bool read_json(const JsonValue& value, Duration& out, JsonDecoder& decoder);
[[nodiscard]] bool read_json(const JsonValue& value, Timestamp& out, JsonDecoder& decoder);

template <class T>
[[nodiscard]] bool read_json(const JsonValue& value, std::vector<T>& out, JsonDecoder& decoder);
template <class T>
[[nodiscard]] bool read_json(const JsonValue& value, std::map<std::string, T>& out,
                             JsonDecoder& decoder);
template <class T>
[[nodiscard]] bool read_json(const JsonValue& value, std::optional<T>& out, JsonDecoder& decoder);
template <class T>
[[nodiscard]] bool read_json(const JsonValue& value, Cow<T>& out, JsonDecoder& decoder);

template <class T>
bool read_json(const JsonValue& value, std::vector<T>& out, JsonDecoder& decoder) {
  JsonArray array;
  if (!as_array(value, array, decoder)) return false;
  out.clear();
  out.reserve(array.size());
  std::size_t index = 0;
  for (JsonValue item : array) {
    decoder.push_index(index++);
    T element{};
    bool ok = read_json(item, element, decoder);
    decoder.pop();
    if (!ok) return false;
    out.push_back(std::move(element));
  }
  return true;
}

template <class T>
bool read_json(const JsonValue& value, std::map<std::string, T>& out, JsonDecoder& decoder) {
  JsonObject object;
  if (!as_object(value, object, decoder)) return false;
  out.clear();
  return object.for_each([&](std::string_view key, const JsonValue& item) {
    decoder.push_field(key);
    T element{};
    bool ok = read_json(item, element, decoder);
    decoder.pop();
    if (ok) out.emplace(std::string(key), std::move(element));
    return ok;
  });
}

template <class T>
bool read_json(const JsonValue& value, std::optional<T>& out, JsonDecoder& decoder) {
  if (value.kind() == JsonKind::null_) {
    out.reset();
    return true;
  }
  T element{};
  if (!read_json(value, element, decoder)) return false;
  out = std::move(element);
  return true;
}

template <class T>
bool read_json(const JsonValue& value, Cow<T>& out, JsonDecoder& decoder) {
  T element{};
  if (!read_json(value, element, decoder)) return false;
  out = Cow<T>(std::move(element));
  return true;
}

namespace detail {
template <class T>
inline constexpr bool kIsOptional = false;
template <class T>
inline constexpr bool kIsOptional<std::optional<T>> = true;
}  // namespace detail

// Reads member `key` of `object` into `out`, with the member on the path. A missing member is
// an empty optional for std::optional fields and a failure ("missing required field \"key\"")
// otherwise.
template <class T>
[[nodiscard]] bool read_field(const JsonObject& object, std::string_view key, T& out,
                              JsonDecoder& decoder) {
  JsonValue value;
  if (!object.find(key, value)) {
    if constexpr (detail::kIsOptional<T>) {
      out.reset();
      return true;
    } else {
      return decoder.fail("missing required field \"" + std::string(key) + "\"");
    }
  }
  decoder.push_field(key);
  bool ok = read_json(value, out, decoder);
  decoder.pop();
  return ok;
}

// Fails on the first member whose name is not in `known` ("unknown field \"colour\"").
[[nodiscard]] bool reject_unknown_fields(const JsonObject& object,
                                         std::initializer_list<std::string_view> known,
                                         JsonDecoder& decoder);

template <class T>
struct DecodeResult {
  std::optional<T> value;
  DecodeError error;

  [[nodiscard]] bool ok() const { return value.has_value(); }
};

namespace detail {
using ReadRoot = bool (*)(const JsonValue& root, void* target, JsonDecoder& decoder);
// Parses `text` (refusing nesting deeper than kMaxJsonDepth) and calls read(root, target, ...).
[[nodiscard]] bool parse_and_read(std::string_view text, JsonDecoder& decoder, ReadRoot read,
                                  void* target);
}  // namespace detail

// Parses `text` and decodes it as a T. On failure, value is empty and error says where and why;
// text that is not JSON gives path "$" and "not valid JSON: <reason>".
template <class T>
[[nodiscard]] DecodeResult<T> from_json(std::string_view text) {
  DecodeResult<T> result;
  T value{};
  JsonDecoder decoder;
  detail::ReadRoot read = [](const JsonValue& root, void* target, JsonDecoder& d) {
    return read_json(root, *static_cast<T*>(target), d);
  };
  if (detail::parse_and_read(text, decoder, read, &value)) {
    result.value = std::move(value);
  } else {
    result.error = decoder.error();
  }
  return result;
}

}  // namespace hallows
