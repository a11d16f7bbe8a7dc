// The types of the language. Types are interned: two equal types are the same pointer.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <tuple>

namespace pt {

struct Decl;

struct Type {
  enum class Kind : std::uint8_t {
    kI64,
    kF64,
    kBool,
    kString,
    kBytes,
    kTimestamp,
    kDuration,
    kList,
    kMap,
    kOptional,
    kSchema,
    kEnum,
    kVoid,       // what a function without `returns` gives
    kError,      // a poisoned expression: already reported, never reported again
    kNone,       // `none` before its optional type is known
    kEmptyList,  // `[]` before its element type is known
    kEmptyMap,   // `[:]` before its value type is known
  };
  Kind kind;
  const Type* element = nullptr;  // kList, kMap (value), kOptional
  const Decl* decl = nullptr;     // kSchema, kEnum

  bool is(Kind k) const { return kind == k; }
  bool is_error() const { return kind == Kind::kError; }
  bool is_numeric() const { return kind == Kind::kI64 || kind == Kind::kF64; }
};

class TypeContext {
 public:
  TypeContext();
  const Type* i64() const { return i64_; }
  const Type* f64() const { return f64_; }
  const Type* boolean() const { return bool_; }
  const Type* string() const { return string_; }
  const Type* bytes() const { return bytes_; }
  const Type* timestamp() const { return timestamp_; }
  const Type* duration() const { return duration_; }
  const Type* void_type() const { return void_; }
  const Type* error() const { return error_; }
  const Type* none() const { return none_; }
  const Type* empty_list() const { return empty_list_; }
  const Type* empty_map() const { return empty_map_; }
  const Type* list(const Type* element);
  const Type* map(const Type* value);
  const Type* optional(const Type* element);
  const Type* named(const Decl* schema_or_enum);
  // The built-in type spelled `name`, or null.
  const Type* builtin(const std::string& name) const;

 private:
  const Type* make(Type t);
  std::deque<Type> storage_;
  std::map<std::tuple<int, const Type*, const Decl*>, const Type*> interned_;
  const Type *i64_, *f64_, *bool_, *string_, *bytes_, *timestamp_, *duration_, *void_, *error_,
      *none_, *empty_list_, *empty_map_;
};

// `list<Order>`, `optional<string>`: the type as the user writes it.
std::string type_name(const Type* t);
// `expected` accepts a value of type `actual` (also `none` for optionals, `[]` for lists).
bool assignable(const Type* expected, const Type* actual);
// Errors are compatible with everything, so one mistake is reported once.
bool either_error(const Type* a, const Type* b);

}  // namespace pt
