// Source files and positions. Every phase after parsing reports through SourceRange.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pt {

// A half-open range in one file. Lines and columns are 1-based; columns count Unicode code
// points (what a reader counts), not bytes.
struct SourceRange {
  std::uint32_t file = 0;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t end_line = 0;
  std::uint32_t end_column = 0;

  bool valid() const { return line != 0; }
};

struct SourceFile {
  std::string path;  // as given on the command line or found in the project
  std::string text;
  std::vector<std::uint32_t> line_starts;  // byte offset of each line
};

// The byte offset of the first byte of `text` that is not well-formed UTF-8 (overlong forms and
// surrogates included), or npos when all of it is.
std::size_t invalid_utf8_at(std::string_view text);
// The number of code points in UTF-8 text (what a column counts).
std::uint32_t code_points(std::string_view text);

// Owns the text of every file of one compilation. File ids are indexes, stable for its life.
class SourceManager {
 public:
  std::uint32_t add(std::string path, std::string text);
  const SourceFile& file(std::uint32_t id) const { return files_[id]; }
  std::size_t size() const { return files_.size(); }
  // The text of 1-based line `line` of file `id`, without its newline.
  std::string_view line_text(std::uint32_t id, std::uint32_t line) const;

 private:
  std::vector<SourceFile> files_;
};

}  // namespace pt
