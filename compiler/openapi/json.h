// A small JSON value for building the OpenAPI document: objects keep their members in insertion
// order (so the output is deterministic and reads in the order it was built), and the printer
// indents by two spaces.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pt {

class Json {
 public:
  enum class Kind : std::uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

  Json() = default;  // null
  static Json boolean(bool value);
  static Json number(std::int64_t value);
  static Json number(double value);  // finite only: callers drop NaN and infinities
  static Json string(std::string value);
  static Json array();
  static Json object();

  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] bool is(Kind k) const { return kind_ == k; }
  // The text of a string, or a number's JSON spelling.
  [[nodiscard]] const std::string& text() const { return text_; }

  // Objects: sets `key`, replacing its value in place when present, else appending it.
  Json& set(const std::string& key, Json value);
  [[nodiscard]] const Json* find(const std::string& key) const;
  [[nodiscard]] Json* find(const std::string& key);
  void erase(const std::string& key);
  [[nodiscard]] const std::vector<std::pair<std::string, Json>>& members() const {
    return members_;
  }

  // Arrays.
  void push(Json value);
  [[nodiscard]] const std::vector<Json>& items() const { return items_; }
  [[nodiscard]] bool empty() const { return items_.empty() && members_.empty(); }

  friend bool operator==(const Json& a, const Json& b);

  // Pretty-printed text with two-space indentation and a final newline.
  [[nodiscard]] std::string pretty() const;

 private:
  void print(std::string& out, int depth) const;

  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  std::string text_;
  std::vector<Json> items_;
  std::vector<std::pair<std::string, Json>> members_;
};

// `text` as a JSON string literal with its quotes; bytes that are not valid UTF-8 become U+FFFD.
std::string json_quote(const std::string& text);

}  // namespace pt
