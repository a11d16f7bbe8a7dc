// List and map operations that compiler intrinsics map onto. Lists are std::vector<T>, maps are
// std::map<std::string, T> (so iteration is in key order).
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hallows/lang/base.h"
#include "hallows/lang/utf8.h"

namespace hallows {

template <class T>
[[nodiscard]] i64 length(const std::vector<T>& list) {
  return static_cast<i64>(list.size());
}
template <class T>
[[nodiscard]] i64 length(const std::map<std::string, T>& map) {
  return static_cast<i64>(map.size());
}
// Code points.
[[nodiscard]] inline i64 length(const std::string& text) {
  return utf8_length(text);
}

template <class T>
void list_append(std::vector<T>& list, T value) {
  list.push_back(std::move(value));
}

template <class T>
[[nodiscard]] bool list_contains(const std::vector<T>& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// start, start + 1, ..., end - 1 (empty when end <= start). Panics beyond 100 million elements.
[[nodiscard]] std::vector<i64> range(i64 start, i64 end);

template <class T>
[[nodiscard]] std::optional<T> map_get(const std::map<std::string, T>& map,
                                       const std::string& key) {
  auto it = map.find(key);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

// Inserts or replaces.
template <class T>
void map_put(std::map<std::string, T>& map, std::string key, T value) {
  map.insert_or_assign(std::move(key), std::move(value));
}

template <class T>
[[nodiscard]] bool map_has(const std::map<std::string, T>& map, const std::string& key) {
  return map.find(key) != map.end();
}

// Returns whether the key was present.
template <class T>
bool map_remove(std::map<std::string, T>& map, const std::string& key) {
  return map.erase(key) != 0;
}

// In key order.
template <class T>
[[nodiscard]] std::vector<std::string> map_keys(const std::map<std::string, T>& map) {
  std::vector<std::string> keys;
  keys.reserve(map.size());
  for (const auto& entry : map) keys.push_back(entry.first);
  return keys;
}

// In key order.
template <class T>
[[nodiscard]] std::vector<T> map_values(const std::map<std::string, T>& map) {
  std::vector<T> values;
  values.reserve(map.size());
  for (const auto& entry : map) values.push_back(entry.second);
  return values;
}

}  // namespace hallows
