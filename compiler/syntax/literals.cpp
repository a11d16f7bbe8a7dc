#include "syntax/literals.h"

#include <charconv>
#include <cstdlib>
#include <limits>
#include <utility>

#include <fmt/format.h>

namespace pt {

bool decode_int(std::string_view text, bool negative, std::int64_t& value) {
  std::string digits;
  for (char c : text) {
    if (c != '_') digits += c;
  }
  std::uint64_t magnitude = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
  std::uint64_t limit =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
  if (ec != std::errc() || magnitude > limit) return false;
  value =
      negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
  return true;
}

bool decode_duration(std::string_view text, std::int64_t& nanoseconds) {
  std::string digits;
  std::size_t i = 0;
  for (; i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '_'); ++i) {
    if (text[i] != '_') digits += text[i];
  }
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  std::string_view unit = text.substr(i);
  if (unit.size() > 1 && unit.back() == 's' && unit != "ns" && unit != "us" && unit != "ms") {
    unit.remove_suffix(1);
  }
  std::int64_t scale = 1;
  if (unit == "us") scale = 1'000;
  if (unit == "ms") scale = 1'000'000;
  if (unit == "second") scale = 1'000'000'000;
  if (unit == "minute") scale = 60'000'000'000;
  if (unit == "hour") scale = 3'600'000'000'000;
  if (unit == "day") scale = 86'400'000'000'000;
  std::int64_t count = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (ec != std::errc() || __builtin_mul_overflow(count, scale, &nanoseconds)) {
    nanoseconds = 0;
    return false;
  }
  return true;
}

std::string float_digits(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c != '_') digits += c;
  }
  return digits;
}

double decode_float(const std::string& digits) {
  return std::strtod(digits.c_str(), nullptr);
}

std::string_view doc_comment_text(std::string_view token) {
  std::string_view text = token.substr(token.size() >= 3 ? 3 : token.size());
  if (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  return text;
}

const char* duration_unit_for_abbreviation(std::string_view word) {
  static const std::pair<std::string_view, const char*> kUnits[] = {
      {"s", "second"},    {"sec", "second"}, {"secs", "second"}, {"m", "minute"}, {"min", "minute"},
      {"mins", "minute"}, {"h", "hour"},     {"hr", "hour"},     {"hrs", "hour"}, {"d", "day"}};
  for (const auto& [abbreviation, unit] : kUnits) {
    if (word == abbreviation) return unit;
  }
  return nullptr;
}

Diagnostic abbreviated_duration_error(SourceRange range, std::string_view number,
                                      std::string_view word) {
  std::string written =
      std::string(number) + " " + duration_unit_for_abbreviation(word) + (number == "1" ? "" : "s");
  return diag::SyntaxError(range, fmt::format("'{} {}' is not a duration: the units are ns, us, "
                                              "ms, second(s), minute(s), hour(s) and day(s)",
                                              number, word))
      .fix("write `" + written + "`", range, written);
}

}  // namespace pt
