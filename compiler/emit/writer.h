// A text buffer for generated code: indentation and line counting (for #line directives).
#pragma once

#include <string>
#include <string_view>

namespace pt {

class CodeWriter {
 public:
  // Writes one line at the current indentation.
  void line(std::string_view text = {}) {
    if (!text.empty()) out_.append(static_cast<std::size_t>(indent_) * 2, ' ');
    out_ += text;
    out_ += '\n';
    ++lines_;
  }
  // Writes text verbatim (counting its newlines).
  void raw(std::string_view text) {
    out_ += text;
    for (char c : text) lines_ += c == '\n';
  }
  void indent() { ++indent_; }
  void dedent() { --indent_; }
  // The 1-based number of the next line to be written.
  int next_line() const { return lines_ + 1; }
  const std::string& text() const { return out_; }

 private:
  std::string out_;
  int indent_ = 0;
  int lines_ = 0;
};

}  // namespace pt
