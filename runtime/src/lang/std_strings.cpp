#include "hallows/lang/std_strings.h"

#include <charconv>

#include <fmt/format.h>

#include "hallows/lang/utf8.h"

namespace hallows::std_strings {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

}  // namespace

i64 string_length(const std::string& text) {
  return utf8_length(text);
}

std::string to_upper(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string to_lower(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string trim(const std::string& text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.starts_with(prefix);
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.ends_with(suffix);
}

std::string replace_all(const std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return text;
  std::string out;
  std::size_t pos = 0;
  while (true) {
    std::size_t hit = text.find(from, pos);
    if (hit == std::string::npos) break;
    out.append(text, pos, hit - pos);
    out += to;
    pos = hit + from.size();
  }
  out.append(text, pos, std::string::npos);
  return out;
}

std::vector<std::string> split(const std::string& text, const std::string& separator) {
  if (separator.empty()) panic("split: the separator is empty");
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (true) {
    std::size_t hit = text.find(separator, pos);
    if (hit == std::string::npos) break;
    parts.push_back(text.substr(pos, hit - pos));
    pos = hit + separator.size();
  }
  parts.push_back(text.substr(pos));
  return parts;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::string substring(const std::string& text, i64 start, i64 count) {
  std::size_t begin = utf8_offset(text, start);
  i64 last;
  std::size_t end = std::string::npos;
  if (begin != std::string::npos && count >= 0 && !__builtin_add_overflow(start, count, &last)) {
    end = utf8_offset(text, last);
  }
  if (end == std::string::npos) {
    panic(fmt::format("substring(start {}, count {}) is out of range for a string of length {}",
                      start, count, utf8_length(text)));
  }
  return text.substr(begin, end - begin);
}

i64 index_of(const std::string& text, const std::string& part) {
  std::size_t hit = text.find(part);
  if (hit == std::string::npos) return -1;
  return utf8_length(std::string_view(text).substr(0, hit));
}

std::string repeat(const std::string& text, i64 times) {
  constexpr std::size_t kMaxBytes = std::size_t{1} << 30;
  if (times < 0) panic(fmt::format("repeat: the count {} is negative", times));
  if (times > 0 && text.size() > kMaxBytes / static_cast<std::size_t>(times)) {
    panic(fmt::format("repeat: the result would be larger than 1 GiB ({} bytes x {})", text.size(),
                      times));
  }
  std::string out;
  out.reserve(text.size() * static_cast<std::size_t>(times));
  for (i64 i = 0; i < times; ++i) out += text;
  return out;
}

std::optional<i64> parse_i64(const std::string& text) {
  i64 value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<double> parse_f64(const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace hallows::std_strings
