// Base64 (RFC 4648, standard alphabet, with '=' padding) and hex for Bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hallows/lang/base.h"

namespace hallows {

[[nodiscard]] std::string base64_encode(const Bytes& bytes);

// Strict: the length is a multiple of 4, padding only at the end, no whitespace, and the unused
// bits of the last character are zero (so every byte string has exactly one encoding).
[[nodiscard]] std::optional<Bytes> base64_decode(std::string_view text);

// Lower-case hex, two digits per byte.
[[nodiscard]] std::string hex_encode(const Bytes& bytes);

}  // namespace hallows
