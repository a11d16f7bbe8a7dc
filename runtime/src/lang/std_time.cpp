#include "hallows/lang/std_time.h"

#include <chrono>
#include <thread>

#include "hallows/lang/rfc3339.h"

namespace hallows::std_time {

Timestamp now() {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return Timestamp{std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count()};
}

Duration milliseconds(i64 count) {
  return Duration{mul(count, 1'000'000)};
}
Duration seconds(i64 count) {
  return Duration{mul(count, 1'000'000'000)};
}
i64 to_milliseconds(Duration d) {
  return d.nanos / 1'000'000;
}
double to_seconds(Duration d) {
  return static_cast<double>(d.nanos) / 1e9;
}
Timestamp from_unix_milliseconds(i64 ms) {
  return Timestamp{mul(ms, 1'000'000)};
}

i64 to_unix_milliseconds(Timestamp t) {
  i64 q = t.nanos / 1'000'000;
  return t.nanos % 1'000'000 < 0 ? q - 1 : q;
}

std::string format_timestamp(Timestamp t) {
  return format_rfc3339(t);
}

std::optional<Timestamp> parse_timestamp(const std::string& text) {
  return parse_rfc3339(text);
}

void sleep_for(Duration d) {
  if (d.nanos > 0) std::this_thread::sleep_for(std::chrono::nanoseconds(d.nanos));
}

}  // namespace hallows::std_time
