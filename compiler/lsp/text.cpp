#include "lsp/text.h"

#include <algorithm>
#include <cctype>

namespace pt::lsp {

namespace {

// Bytes of the code point starting with `lead` (1 for a byte that cannot start one).
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return lead < 0xF8 ? 4 : 1;
}

// Steps over one code point of `line` at `at`: as the compiler counts columns, a code point is a
// byte that is not a continuation byte plus the continuation bytes after it. Returns its LSP
// width.
std::uint32_t step(std::string_view line, std::size_t& at, Encoding enc) {
  auto lead = static_cast<unsigned char>(line[at]);
  ++at;
  while (at < line.size() && (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80) ++at;
  // Four-byte sequences are outside the basic plane: two UTF-16 code units.
  return enc == Encoding::kUtf16 && sequence_length(lead) == 4 ? 2 : 1;
}

// Where the first code point of `line` starts: continuation bytes before any lead byte belong to
// no code point (the compiler's code_points() does not count them).
std::size_t first_point(std::string_view line) {
  std::size_t at = 0;
  while (at < line.size() && (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80) ++at;
  return at;
}

// The byte offset of the start of 0-based line `line0` (the text's size past the end).
std::size_t line_start(std::string_view text, std::uint32_t line0) {
  std::size_t at = 0;
  for (std::uint32_t l = 0; l < line0; ++l) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) return text.size();
    at = nl + 1;
  }
  return at;
}

}  // namespace

std::string_view line_at(std::string_view text, std::uint32_t line0) {
  std::size_t begin = line_start(text, line0);
  if (begin >= text.size()) return {};
  std::size_t end = text.find('\n', begin);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = text.substr(begin, end - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::uint32_t line_count(std::string_view text) {
  return static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n')) + 1;
}

std::uint32_t units_to_code_points(std::string_view line, std::uint32_t units, Encoding enc) {
  std::size_t at = first_point(line);
  std::uint32_t seen_units = 0, points = 0;
  while (at < line.size() && seen_units < units) {
    seen_units += step(line, at, enc);
    ++points;
  }
  return points;
}

std::uint32_t code_points_to_units(std::string_view line, std::uint32_t code_points, Encoding enc) {
  std::size_t at = first_point(line);
  std::uint32_t units = 0;
  for (std::uint32_t p = 0; p < code_points && at < line.size(); ++p) units += step(line, at, enc);
  return units;
}

std::size_t code_points_to_bytes(std::string_view line, std::uint32_t code_points) {
  if (code_points == 0) return 0;
  std::size_t at = first_point(line);
  for (std::uint32_t p = 0; p < code_points && at < line.size(); ++p)
    step(line, at, Encoding::kUtf32);
  return at;
}

CodePoint to_code_point(std::string_view text, std::uint32_t line0, std::uint32_t units,
                        Encoding enc) {
  return {line0 + 1, units_to_code_points(line_at(text, line0), units, enc) + 1};
}

std::size_t to_byte_offset(std::string_view text, std::uint32_t line0, std::uint32_t units,
                           Encoding enc) {
  std::size_t begin = line_start(text, line0);
  if (begin >= text.size()) return text.size();
  std::string_view line = line_at(text, line0);
  return begin + code_points_to_bytes(line, units_to_code_points(line, units, enc));
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> uri_to_path(std::string_view uri) {
  constexpr std::string_view kScheme = "file://";
  if (uri.size() < kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(uri[i])) != kScheme[i]) return std::nullopt;
  }
  uri.remove_prefix(kScheme.size());
  // `file://localhost/a` names the local /a; any other host is not ours.
  std::size_t slash = uri.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view host = uri.substr(0, slash);
  if (!host.empty() && host != "localhost") return std::nullopt;
  uri.remove_prefix(slash);
  std::size_t end = uri.find_first_of("?#");
  if (end != std::string_view::npos) uri = uri.substr(0, end);
  std::string path;
  for (std::size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && hex_value(uri[i + 1]) >= 0 &&
        hex_value(uri[i + 2]) >= 0) {
      path += static_cast<char>(hex_value(uri[i + 1]) * 16 + hex_value(uri[i + 2]));
      i += 2;
    } else {
      path += uri[i];
    }
  }
  if (path.find('\0') != std::string::npos) return std::nullopt;
  return path;
}

std::string path_to_uri(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file://";
  for (unsigned char c : path) {
    bool plain = std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri;
}

}  // namespace pt::lsp
