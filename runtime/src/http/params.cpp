#include "hallows/http/params.h"

#include <charconv>
#include <cmath>

#include "percent.h"

namespace hallows::http {

bool parse_i64(std::string_view text, std::int64_t& out) noexcept {
  // from_chars takes an optional '-' (never '+' or spaces) and reports overflow.
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return false;
  out = value;
  return true;
}

bool parse_f64(std::string_view text, double& out) noexcept {
  if (text.empty()) return false;
  // from_chars also reads "inf", "nan" and hex floats only with chars_format::hex: refuse the
  // first two by finiteness, and a leading letter never starts a decimal number.
  double value = 0;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::general);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return false;
  }
  out = value;
  return true;
}

bool parse_bool(std::string_view text, bool& out) noexcept {
  if (text == "true") {
    out = true;
    return true;
  }
  if (text == "false") {
    out = false;
    return true;
  }
  return false;
}

bool percent_decode(std::string_view text, std::string& out, bool plus_is_space) {
  out.clear();
  return append_percent_decoded(text, out, plus_is_space);
}

std::optional<std::string> query_value(std::string_view query, std::string_view name) {
  std::string key;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    std::size_t eq = pair.find('=');
    std::string_view raw_key = pair.substr(0, eq);
    std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (!percent_decode(raw_key, key, true) || key != name) continue;
    std::string value;
    if (percent_decode(raw_value, value, true)) return value;
  }
  return std::nullopt;
}

}  // namespace hallows::http
