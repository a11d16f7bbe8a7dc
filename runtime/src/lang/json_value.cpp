#include <algorithm>

#include "hallows/lang/json_read.h"

namespace hallows {

JsonKind JsonValue::kind() const {
  switch (element_.type()) {
    case simdjson::dom::element_type::ARRAY:
      return JsonKind::array;
    case simdjson::dom::element_type::OBJECT:
      return JsonKind::object;
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
      return JsonKind::integer;
    case simdjson::dom::element_type::DOUBLE:
      return JsonKind::floating;
    case simdjson::dom::element_type::STRING:
      return JsonKind::string;
    case simdjson::dom::element_type::BOOL:
      return JsonKind::boolean;
    case simdjson::dom::element_type::NULL_VALUE:
      return JsonKind::null_;
  }
  return JsonKind::null_;
}

std::string_view describe_json(const JsonValue& value) {
  switch (value.kind()) {
    case JsonKind::null_:
      return "null";
    case JsonKind::boolean:
      return "a boolean";
    case JsonKind::integer:
      return "an integer";
    case JsonKind::floating:
      return "a floating-point number";
    case JsonKind::string:
      return "a string";
    case JsonKind::array:
      return "an array";
    case JsonKind::object:
      return "an object";
  }
  return "a value";
}

bool JsonObject::find(std::string_view key, JsonValue& out) const {
  simdjson::dom::element element;
  if (object_.at_key(key).get(element) != simdjson::SUCCESS) return false;
  out = JsonValue(element);
  return true;
}

std::vector<std::string_view> JsonObject::keys() const {
  std::vector<std::string_view> keys;
  keys.reserve(object_.size());
  for (simdjson::dom::key_value_pair field : object_) keys.push_back(field.key);
  return keys;
}

bool as_object(const JsonValue& value, JsonObject& out, JsonDecoder& decoder) {
  simdjson::dom::object object;
  if (value.element().get(object) != simdjson::SUCCESS) {
    return decoder.fail("expected an object, found " + std::string(describe_json(value)));
  }
  out = JsonObject(object);
  // Strict: a repeated key is an error, not "last one wins" (parsers disagree on which wins).
  std::vector<std::string_view> keys = out.keys();
  std::sort(keys.begin(), keys.end());
  auto repeated = std::adjacent_find(keys.begin(), keys.end());
  if (repeated != keys.end()) {
    return decoder.fail("duplicate field \"" + std::string(*repeated) + "\"");
  }
  return true;
}

bool as_array(const JsonValue& value, JsonArray& out, JsonDecoder& decoder) {
  simdjson::dom::array array;
  if (value.element().get(array) != simdjson::SUCCESS) {
    return decoder.fail("expected an array, found " + std::string(describe_json(value)));
  }
  out = JsonArray(array);
  return true;
}

bool reject_unknown_fields(const JsonObject& object, std::initializer_list<std::string_view> known,
                           JsonDecoder& decoder) {
  return object.for_each([&](std::string_view key, const JsonValue&) {
    if (std::find(known.begin(), known.end(), key) != known.end()) return true;
    return decoder.fail("unknown field \"" + std::string(key) + "\"");
  });
}

}  // namespace hallows
