// Prometheus text format 0.0.4 pieces shared by the registry and the latency budget: name and
// label-set validation, escaping, number formatting. Internal to obs/.
#pragma once

#include <string>
#include <string_view>

namespace hallows::obs::text {

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool valid_metric_name(std::string_view name) noexcept;
// [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved by Prometheus).
bool valid_label_name(std::string_view name) noexcept;

// Checks a label set written without braces (`a="x",b="y\"z"`) and returns it in canonical form
// (no spaces, no trailing comma), so that equal sets compare equal as strings. Throws
// std::invalid_argument naming the problem: bad label name, unquoted or unterminated value,
// unknown escape, a repeated label, or the reserved label `le`.
std::string canonical_labels(std::string_view labels);

// A label value with backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view value);
// HELP text with backslash and newline escaped.
std::string escape_help(std::string_view help);
// A sample value: shortest round-trip form, and NaN, +Inf, -Inf as Prometheus spells them.
std::string format_value(double value);

}  // namespace hallows::obs::text
