// RFC 3339 text for Timestamp: "2026-11-26T09:51:00Z", "2026-11-26T09:51:00.25Z".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hallows/lang/base.h"

namespace hallows {

// Always UTC with a 'Z'; fractional seconds only when nonzero, trailing zeros trimmed.
[[nodiscard]] std::string format_rfc3339(Timestamp t);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" ('t' and 'z' may be lower case; one to
// nine fraction digits). Refuses invalid dates, leap seconds (:60) and instants outside the
// Timestamp range.
[[nodiscard]] std::optional<Timestamp> parse_rfc3339(std::string_view text);

}  // namespace hallows
