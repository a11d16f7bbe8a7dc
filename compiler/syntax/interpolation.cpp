#include "syntax/interpolation.h"

namespace pt {

StringPieces split_string_literal(std::string_view token) {
  StringPieces out;
  out.texts.emplace_back();
  if (token.size() < 2) return out;
  std::string_view body = token.substr(1, token.size() - 2);
  std::uint32_t column = 1;  // code points consumed, counting the opening quote
  auto advance = [&](char c) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;
  };
  for (std::size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '\\' && i + 1 < body.size()) {
      char e = body[i + 1];
      switch (e) {
        case 'n':
          out.texts.back() += '\n';
          break;
        case 't':
          out.texts.back() += '\t';
          break;
        case 'r':
          out.texts.back() += '\r';
          break;
        case '\\':
          out.texts.back() += '\\';
          break;
        case '"':
          out.texts.back() += '"';
          break;
        case '{':
          out.texts.back() += '{';
          break;
        case '}':
          out.texts.back() += '}';
          break;
        default:
          out.bad_escapes.push_back({e, column});
      }
      advance(c);
      advance(e);
      ++i;
      continue;
    }
    if (c == '{') {
      std::size_t close = body.find('}', i + 1);
      if (close == std::string_view::npos) close = body.size();
      advance(c);
      out.holes.push_back({std::string(body.substr(i + 1, close - i - 1)), column});
      for (std::size_t k = i + 1; k < close; ++k) advance(body[k]);
      advance('}');
      out.texts.emplace_back();
      i = close;
      continue;
    }
    out.texts.back() += c;
    advance(c);
  }
  return out;
}

}  // namespace pt
