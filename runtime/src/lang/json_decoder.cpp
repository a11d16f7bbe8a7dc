#include <fmt/format.h>

#include "hallows/lang/json_read.h"
#include "hallows/lang/json_write.h"

namespace hallows {
namespace {

bool is_identifier(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

}  // namespace

std::string path_member(std::string_view name) {
  if (is_identifier(name)) return "." + std::string(name);
  JsonWriter quoted;
  quoted.string(name);
  return "[" + quoted.text() + "]";
}

std::string DecodeError::describe() const {
  return path + ": " + message;
}

void JsonDecoder::push_field(std::string_view name) {
  segments_.push_back(Segment{std::string(name), 0, false});
}

void JsonDecoder::push_index(std::size_t index) {
  segments_.push_back(Segment{{}, index, true});
}

void JsonDecoder::pop() {
  if (!segments_.empty()) segments_.pop_back();
}

bool JsonDecoder::fail(std::string message) {
  if (!failed_) {
    failed_ = true;
    error_ = DecodeError{path(), std::move(message)};
  }
  return false;
}

std::string JsonDecoder::path() const {
  std::string out = "$";
  for (const Segment& segment : segments_) {
    if (segment.is_index) {
      fmt::format_to(std::back_inserter(out), "[{}]", segment.index);
    } else {
      out += path_member(segment.field);
    }
  }
  return out;
}

}  // namespace hallows
