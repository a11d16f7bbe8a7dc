// Parsing path and query parameter values, for the router and generated handlers. Each returns
// false when the text is not a value of the type (nothing is written then).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hallows::http {

bool parse_i64(std::string_view text, std::int64_t& out) noexcept;  // optional '-', digits
bool parse_f64(std::string_view text, double& out) noexcept;        // finite decimal numbers
bool parse_bool(std::string_view text, bool& out) noexcept;         // "true" or "false"

// Percent-decodes `text` into `out` ('+' stays '+' in paths; `plus_is_space` for queries).
// False on a malformed escape or on bytes that are not valid UTF-8 after decoding.
bool percent_decode(std::string_view text, std::string& out, bool plus_is_space);

// The value of the first `name=value` pair of an application/x-www-form-urlencoded query,
// decoded. Empty when absent; a pair without '=' has the value "". Malformed escapes make the
// pair absent.
std::optional<std::string> query_value(std::string_view query, std::string_view name);

}  // namespace hallows::http
