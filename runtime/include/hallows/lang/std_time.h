// The runtime half of the .pt standard library module `time`.
#pragma once

#include <optional>
#include <string>

#include "hallows/lang/base.h"

namespace hallows::std_time {

// The system clock (wall time, UTC).
[[nodiscard]] Timestamp now();
[[nodiscard]] Duration milliseconds(i64 count);  // checked
[[nodiscard]] Duration seconds(i64 count);       // checked
// Truncates toward zero.
[[nodiscard]] i64 to_milliseconds(Duration d);
[[nodiscard]] double to_seconds(Duration d);
[[nodiscard]] Timestamp from_unix_milliseconds(i64 ms);  // checked
// Rounds down (toward the past), so it is consistent for instants before 1970.
[[nodiscard]] i64 to_unix_milliseconds(Timestamp t);
[[nodiscard]] std::string format_timestamp(Timestamp t);  // RFC 3339
[[nodiscard]] std::optional<Timestamp> parse_timestamp(const std::string& text);
// Returns at once for zero or negative durations.
void sleep_for(Duration d);

}  // namespace hallows::std_time
