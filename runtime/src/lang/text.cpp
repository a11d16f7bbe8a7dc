#include "hallows/lang/text.h"

#include <cmath>

#include <fmt/format.h>

#include "hallows/lang/base64.h"
#include "hallows/lang/rfc3339.h"

namespace hallows {

std::string to_text(i64 value) {
  return fmt::format("{}", value);
}

std::string to_text(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  std::string out = fmt::format("{}", value);
  // fmt prints integral values without a point ("2"); exponent forms ("1e+20") already read as
  // floats.
  if (out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

std::string to_text(bool value) {
  return value ? "true" : "false";
}

std::string to_text(const std::string& value) {
  return value;
}

std::string to_text(const char* value) {
  return value;
}

std::string to_text(Duration value) {
  struct Unit {
    i64 nanos;
    const char* singular;
    const char* plural;
  };
  static constexpr Unit kUnits[] = {
      {86'400'000'000'000, "day", "days"},
      {3'600'000'000'000, "hour", "hours"},
      {60'000'000'000, "minute", "minutes"},
      {1'000'000'000, "second", "seconds"},
      {1'000'000, "ms", "ms"},
      {1'000, "us", "us"},
  };
  if (value.nanos != 0) {
    for (const Unit& unit : kUnits) {
      if (value.nanos % unit.nanos == 0) {
        i64 count = value.nanos / unit.nanos;
        return fmt::format("{} {}", count, count == 1 || count == -1 ? unit.singular : unit.plural);
      }
    }
  }
  return fmt::format("{} ns", value.nanos);
}

std::string to_text(Timestamp value) {
  return format_rfc3339(value);
}

std::string to_text(const Bytes& value) {
  return hex_encode(value);
}

std::string concat(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (std::string_view part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (std::string_view part : parts) out += part;
  return out;
}

}  // namespace hallows
