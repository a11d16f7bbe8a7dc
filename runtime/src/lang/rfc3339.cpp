#include "hallows/lang/rfc3339.h"

#include <fmt/format.h>

namespace hallows {
namespace {

constexpr i64 kNanosPerSecond = 1'000'000'000;
constexpr i64 kSecondsPerDay = 86'400;

i64 floor_div(i64 a, i64 b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
i64 days_from_civil(i64 y, i64 m, i64 d) {
  y -= m <= 2;
  i64 era = (y >= 0 ? y : y - 399) / 400;
  i64 yoe = y - era * 400;
  i64 doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  i64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  i64 year, month, day;
};

Civil civil_from_days(i64 z) {
  z += 719468;
  i64 era = (z >= 0 ? z : z - 146096) / 146097;
  i64 doe = z - era * 146097;
  i64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  i64 y = yoe + era * 400;
  i64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  i64 mp = (5 * doy + 2) / 153;
  i64 d = doy - (153 * mp + 2) / 5 + 1;
  i64 m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

bool is_leap(i64 y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

i64 days_in_month(i64 y, i64 m) {
  static constexpr i64 kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `count` digits at text[pos...]; advances pos.
bool digits(std::string_view text, std::size_t& pos, std::size_t count, i64& out) {
  if (pos + count > text.size()) return false;
  i64 value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += count;
  out = value;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char a, char b = '\0') {
  if (pos >= text.size() || (text[pos] != a && (b == '\0' || text[pos] != b))) return false;
  ++pos;
  return true;
}

}  // namespace

std::string format_rfc3339(Timestamp t) {
  i64 seconds = t.nanos / kNanosPerSecond;
  i64 fraction = t.nanos % kNanosPerSecond;
  if (fraction < 0) {  // round toward the past without overflowing near INT64_MIN
    fraction += kNanosPerSecond;
    seconds -= 1;
  }
  i64 days = floor_div(seconds, kSecondsPerDay);
  i64 in_day = seconds - days * kSecondsPerDay;
  Civil c = civil_from_days(days);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.year, c.month, c.day,
                                in_day / 3600, in_day / 60 % 60, in_day % 60);
  if (fraction != 0) {
    std::string digits = fmt::format("{:09}", fraction);
    digits.erase(digits.find_last_not_of('0') + 1);
    out += '.';
    out += digits;
  }
  out += 'Z';
  return out;
}

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
  std::size_t pos = 0;
  i64 year, month, day, hour, minute, second;
  if (!digits(text, pos, 4, year) || !expect(text, pos, '-') || !digits(text, pos, 2, month) ||
      !expect(text, pos, '-') || !digits(text, pos, 2, day) || !expect(text, pos, 'T', 't') ||
      !digits(text, pos, 2, hour) || !expect(text, pos, ':') || !digits(text, pos, 2, minute) ||
      !expect(text, pos, ':') || !digits(text, pos, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return std::nullopt;
  }
  i64 fraction = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t count = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++count > 9) return std::nullopt;
      fraction = fraction * 10 + (text[pos++] - '0');
    }
    if (count == 0) return std::nullopt;
    for (; count < 9; ++count) fraction *= 10;
  }
  i64 offset_seconds = 0;
  if (expect(text, pos, 'Z', 'z')) {
    // UTC
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    i64 sign = text[pos++] == '-' ? -1 : 1;
    i64 off_hour, off_minute;
    if (!digits(text, pos, 2, off_hour) || !expect(text, pos, ':') ||
        !digits(text, pos, 2, off_minute) || off_hour > 23 || off_minute > 59) {
      return std::nullopt;
    }
    offset_seconds = sign * (off_hour * 3600 + off_minute * 60);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  // Local time minus the offset is UTC. Years 0000..9999 keep this far from i64 limits in
  // seconds; only the conversion to nanoseconds can overflow.
  i64 seconds = days_from_civil(year, month, day) * kSecondsPerDay + hour * 3600 + minute * 60 +
                second - offset_seconds;
  if (seconds < 0 && fraction > 0) {  // keep the intermediate product in range near INT64_MIN
    seconds += 1;
    fraction -= kNanosPerSecond;
  }
  i64 nanos;
  if (__builtin_mul_overflow(seconds, kNanosPerSecond, &nanos) ||
      __builtin_add_overflow(nanos, fraction, &nanos)) {
    return std::nullopt;
  }
  return Timestamp{nanos};
}

}  // namespace hallows
