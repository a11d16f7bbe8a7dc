#include "text.h"

#include <cmath>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace hallows::obs::text {
namespace {

bool name_start(char c, bool colon) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}
bool name_char(char c, bool colon) noexcept {
  return name_start(c, colon) || (c >= '0' && c <= '9');
}

bool valid_name(std::string_view name, bool colon) noexcept {
  if (name.empty() || !name_start(name[0], colon)) return false;
  for (char c : name)
    if (!name_char(c, colon)) return false;
  return true;
}

[[noreturn]] void refuse(std::string_view labels, std::string_view why) {
  throw std::invalid_argument(fmt::format("metrics: invalid label set '{}': {}", labels, why));
}

}  // namespace

bool valid_metric_name(std::string_view name) noexcept {
  return valid_name(name, true);
}

bool valid_label_name(std::string_view name) noexcept {
  return valid_name(name, false) && !name.starts_with("__");
}

std::string canonical_labels(std::string_view labels) {
  std::string out;
  std::vector<std::string_view> seen;
  std::size_t i = 0;
  auto skip_spaces = [&] {
    while (i < labels.size() && (labels[i] == ' ' || labels[i] == '\t')) ++i;
  };
  skip_spaces();
  while (i < labels.size()) {
    std::size_t start = i;
    while (i < labels.size() && name_char(labels[i], false)) ++i;
    std::string_view name = labels.substr(start, i - start);
    if (!valid_label_name(name)) refuse(labels, fmt::format("bad label name '{}'", name));
    if (name == "le") refuse(labels, "'le' is reserved for histogram buckets");
    for (std::string_view other : seen)
      if (other == name) refuse(labels, fmt::format("label '{}' repeated", name));
    seen.push_back(name);
    skip_spaces();
    if (i >= labels.size() || labels[i] != '=') refuse(labels, "expected '=' after a label name");
    ++i;
    skip_spaces();
    if (i >= labels.size() || labels[i] != '"') refuse(labels, "label value must be quoted");
    ++i;
    if (!out.empty()) out += ',';
    out.append(name);
    out += "=\"";
    bool closed = false;
    while (i < labels.size()) {
      char c = labels[i++];
      if (c == '"') {
        closed = true;
        break;
      }
      if (c == '\n') refuse(labels, "raw newline in a label value (write \\n)");
      if (c == '\\') {
        if (i >= labels.size()) break;
        char e = labels[i++];
        if (e != '\\' && e != '"' && e != 'n') refuse(labels, "unknown escape in a label value");
        out += '\\';
        c = e;
      }
      out += c;
    }
    if (!closed) refuse(labels, "unterminated label value");
    out += '"';
    skip_spaces();
    if (i < labels.size()) {
      if (labels[i] != ',') refuse(labels, "expected ',' between labels");
      ++i;
      skip_spaces();
    }
  }
  return out;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

}  // namespace hallows::obs::text
