#include "openapi/json.h"

#include <cmath>

#include <fmt/format.h>

namespace pt {

Json Json::boolean(bool value) {
  Json j;
  j.kind_ = Kind::kBool;
  j.bool_ = value;
  return j;
}

Json Json::number(std::int64_t value) {
  Json j;
  j.kind_ = Kind::kNumber;
  j.text_ = std::to_string(value);
  return j;
}

Json Json::number(double value) {
  Json j;
  j.kind_ = Kind::kNumber;
  // {fmt}'s shortest round-trip form ("0.5", "1e+20") is valid JSON; keep a whole-valued double
  // looking like one ("100.0"), as the .pt source wrote it.
  j.text_ = std::isfinite(value) ? fmt::format("{}", value) : "0";
  if (j.text_.find_first_of(".eE") == std::string::npos) j.text_ += ".0";
  return j;
}

Json Json::string(std::string value) {
  Json j;
  j.kind_ = Kind::kString;
  j.text_ = std::move(value);
  return j;
}

Json Json::array() {
  Json j;
  j.kind_ = Kind::kArray;
  return j;
}

Json Json::object() {
  Json j;
  j.kind_ = Kind::kObject;
  return j;
}

Json& Json::set(const std::string& key, Json value) {
  for (auto& [k, v] : members_) {
    if (k == key) {
      v = std::move(value);
      return v;
    }
  }
  members_.emplace_back(key, std::move(value));
  return members_.back().second;
}

const Json* Json::find(const std::string& key) const {
  for (const auto& [k, v] : members_) {
    if (k == key) return &v;
  }
  return nullptr;
}

Json* Json::find(const std::string& key) {
  for (auto& [k, v] : members_) {
    if (k == key) return &v;
  }
  return nullptr;
}

void Json::erase(const std::string& key) {
  for (auto it = members_.begin(); it != members_.end(); ++it) {
    if (it->first == key) {
      members_.erase(it);
      return;
    }
  }
}

void Json::push(Json value) {
  items_.push_back(std::move(value));
}

bool operator==(const Json& a, const Json& b) {
  return a.kind_ == b.kind_ && a.bool_ == b.bool_ && a.text_ == b.text_ && a.items_ == b.items_ &&
         a.members_ == b.members_;
}

namespace {

// The length of the valid UTF-8 sequence starting at s[i], or 0.
std::size_t utf8_sequence(const std::string& s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  std::size_t n = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xE  ? 3
                  : (c >> 3) == 0x1E ? 4
                                     : 0;
  if (n == 0 || i + n > s.size()) return 0;
  std::uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static const std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

std::string json_quote(const std::string& text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t n = utf8_sequence(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(text, i, n);
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += static_cast<char>(c);
    }
    i += n;
  }
  return out + "\"";
}

void Json::print(std::string& out, int depth) const {
  std::string pad(static_cast<std::size_t>(2 * (depth + 1)), ' ');
  std::string close(static_cast<std::size_t>(2 * depth), ' ');
  switch (kind_) {
    case Kind::kNull:
      out += "null";
      break;
    case Kind::kBool:
      out += bool_ ? "true" : "false";
      break;
    case Kind::kNumber:
      out += text_;
      break;
    case Kind::kString:
      out += json_quote(text_);
      break;
    case Kind::kArray:
      if (items_.empty()) {
        out += "[]";
        break;
      }
      out += "[\n";
      for (std::size_t i = 0; i < items_.size(); ++i) {
        out += pad;
        items_[i].print(out, depth + 1);
        out += i + 1 < items_.size() ? ",\n" : "\n";
      }
      out += close + "]";
      break;
    case Kind::kObject:
      if (members_.empty()) {
        out += "{}";
        break;
      }
      out += "{\n";
      for (std::size_t i = 0; i < members_.size(); ++i) {
        out += pad + json_quote(members_[i].first) + ": ";
        members_[i].second.print(out, depth + 1);
        out += i + 1 < members_.size() ? ",\n" : "\n";
      }
      out += close + "}";
      break;
  }
}

std::string Json::pretty() const {
  std::string out;
  print(out, 0);
  return out + "\n";
}

}  // namespace pt
