// The language server's view of text: LSP positions (0-based line, column in UTF-16 or UTF-32
// code units) against the compiler's (1-based line, 1-based column in code points), edits of an
// open buffer, and file URIs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pt::lsp {

// How LSP columns are counted: UTF-16 code units (the protocol's default) or code points.
enum class Encoding : std::uint8_t { kUtf16, kUtf32 };

// A position as the compiler counts it: 1-based line, 1-based column in code points.
struct CodePoint {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

// Line `line0` (0-based) of `text`, without its line break ("\n" or "\r\n"); empty past the end.
std::string_view line_at(std::string_view text, std::uint32_t line0);

// The number of lines of `text` as LSP counts them (a text ending in "\n" has an empty last line).
std::uint32_t line_count(std::string_view text);

// Code points of `line` before `units` LSP code units (clamped to the line's length). A byte
// that is not well-formed UTF-8 counts as one code point of one unit, as the lexer counts it.
std::uint32_t units_to_code_points(std::string_view line, std::uint32_t units, Encoding enc);
// LSP code units of the first `code_points` code points of `line` (clamped).
std::uint32_t code_points_to_units(std::string_view line, std::uint32_t code_points, Encoding enc);
// The byte offset in `line` of code point `code_points` (clamped to the line's length).
std::size_t code_points_to_bytes(std::string_view line, std::uint32_t code_points);

// The LSP position {line, character} in `text` to the compiler's.
CodePoint to_code_point(std::string_view text, std::uint32_t line0, std::uint32_t units,
                        Encoding enc);
// The byte offset in `text` of the LSP position (clamped to the text).
std::size_t to_byte_offset(std::string_view text, std::uint32_t line0, std::uint32_t units,
                           Encoding enc);

// `file:///a/b%20c.pt` -> `/a/b c.pt`; nullopt for a URI that is not a local file.
std::optional<std::string> uri_to_path(std::string_view uri);
// `/a/b c.pt` -> `file:///a/b%20c.pt`.
std::string path_to_uri(std::string_view path);

}  // namespace pt::lsp
