// Writing JSON: a streaming JsonWriter plus write_json overloads for the language's types.
// Generated code adds write_json overloads for its structs and enums in the user's namespace;
// the templates here call write_json unqualified so argument-dependent lookup finds them.
#pragma once

#include <concepts>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hallows/lang/base.h"
#include "hallows/lang/cow.h"

namespace hallows {

// Appends compact JSON text; commas and colons are inserted automatically. The caller keeps the
// calls well nested (a key before each object member, matching begin/end).
class JsonWriter {
 public:
  JsonWriter() = default;
  // Writes into `buffer`, cleared first: its capacity is reused (take() hands it back).
  explicit JsonWriter(std::string buffer) : out_(std::move(buffer)) { out_.clear(); }

  void null();
  void boolean(bool value);
  void number(i64 value);
  void number(double value);  // NaN and infinities are written as null
  // Escapes '"', '\\' and control characters; invalid UTF-8 becomes U+FFFD.
  void string(std::string_view value);
  void begin_object();
  void key(std::string_view name);
  void end_object();
  void begin_array();
  void end_array();

  [[nodiscard]] const std::string& text() const { return out_; }
  [[nodiscard]] std::string take();

 private:
  void before_value();

  std::string out_;
  bool need_comma_ = false;
};

void write_json(JsonWriter& w, i64 value);
void write_json(JsonWriter& w, double value);
void write_json(JsonWriter& w, bool value);
void write_json(JsonWriter& w, const std::string& value);
void write_json(JsonWriter& w, const char* value);   // not bool
void write_json(JsonWriter& w, const Bytes& value);  // base64 string
void write_json(JsonWriter& w, Duration value);      // integer nanoseconds
void write_json(JsonWriter& w, Timestamp value);     // RFC 3339 string

template <std::integral T>
requires(!std::same_as<T, bool> && !std::same_as<T, char> &&
         !std::same_as<T, i64>) void write_json(JsonWriter& w, T value);
template <class T>
void write_json(JsonWriter& w, const std::vector<T>& value);
template <class T>
void write_json(JsonWriter& w, const std::map<std::string, T>& value);
template <class T>
void write_json(JsonWriter& w, const std::optional<T>& value);
template <class T>
void write_json(JsonWriter& w, const Cow<T>& value);

template <std::integral T>
requires(!std::same_as<T, bool> && !std::same_as<T, char> &&
         !std::same_as<T, i64>) void write_json(JsonWriter& w, T value) {
  if constexpr (std::is_signed_v<T>) {
    w.number(static_cast<i64>(value));
  } else if (value <= static_cast<unsigned long long>(INT64_MAX)) {
    w.number(static_cast<i64>(value));
  } else {
    w.number(static_cast<double>(value));
  }
}

template <class T>
void write_json(JsonWriter& w, const std::vector<T>& value) {
  w.begin_array();
  for (const auto& item : value) write_json(w, item);
  w.end_array();
}

template <class T>
void write_json(JsonWriter& w, const std::map<std::string, T>& value) {
  w.begin_object();
  for (const auto& [name, item] : value) {
    w.key(name);
    write_json(w, item);
  }
  w.end_object();
}

template <class T>
void write_json(JsonWriter& w, const std::optional<T>& value) {
  if (value) {
    write_json(w, *value);
  } else {
    w.null();
  }
}

template <class T>
void write_json(JsonWriter& w, const Cow<T>& value) {
  write_json(w, value.get());
}

// Compact JSON text for any value with a write_json overload.
template <class T>
[[nodiscard]] std::string to_json(const T& value) {
  JsonWriter w;
  write_json(w, value);
  return w.take();
}

}  // namespace hallows
