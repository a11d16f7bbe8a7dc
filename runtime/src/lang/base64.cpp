#include "hallows/lang/base64.h"

#include <array>
#include <cstdint>

namespace hallows {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 0..63 for alphabet characters, -1 otherwise.
constexpr std::array<std::int8_t, 256> make_decode_table() {
  std::array<std::int8_t, 256> table{};
  for (auto& entry : table) entry = -1;
  for (int i = 0; i < 64; ++i)
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  return table;
}
constexpr auto kDecode = make_decode_table();

}  // namespace

std::string base64_encode(const Bytes& bytes) {
  const auto& in = bytes.data;
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    std::uint32_t v = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  std::size_t rest = in.size() - i;
  if (rest == 1) {
    std::uint32_t v = in[i] << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    std::uint32_t v = (in[i] << 16) | (in[i + 1] << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<Bytes> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  Bytes result;
  result.data.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int padding = 0;
    if (last && text[i + 3] == '=') padding = text[i + 2] == '=' ? 2 : 1;
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      if (k >= 4 - static_cast<std::size_t>(padding)) {
        v <<= 6;
        continue;
      }
      std::int8_t d = kDecode[static_cast<unsigned char>(text[i + k])];
      if (d < 0) return std::nullopt;  // includes a '=' anywhere but the end
      v = (v << 6) | static_cast<std::uint32_t>(d);
    }
    if (padding == 2 && (v & 0xFFFF) != 0) return std::nullopt;  // unused bits must be zero
    if (padding == 1 && (v & 0xFF) != 0) return std::nullopt;
    result.data.push_back(static_cast<std::uint8_t>(v >> 16));
    if (padding < 2) result.data.push_back(static_cast<std::uint8_t>(v >> 8));
    if (padding < 1) result.data.push_back(static_cast<std::uint8_t>(v));
  }
  return result;
}

std::string hex_encode(const Bytes& bytes) {
  constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.data.size() * 2);
  for (std::uint8_t b : bytes.data) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

}  // namespace hallows
