#include "diag/source.h"

namespace pt {

std::uint32_t SourceManager::add(std::string path, std::string text) {
  SourceFile f;
  f.path = std::move(path);
  f.text = std::move(text);
  f.line_starts.push_back(0);
  for (std::uint32_t i = 0; i < f.text.size(); ++i) {
    if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
  }
  files_.push_back(std::move(f));
  return static_cast<std::uint32_t>(files_.size() - 1);
}

std::string_view SourceManager::line_text(std::uint32_t id, std::uint32_t line) const {
  const SourceFile& f = files_[id];
  if (line == 0 || line > f.line_starts.size()) return {};
  std::size_t begin = f.line_starts[line - 1];
  std::size_t end = f.text.find('\n', begin);
  if (end == std::string::npos) end = f.text.size();
  std::string_view v(f.text);
  v = v.substr(begin, end - begin);
  if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
  return v;
}

}  // namespace pt
