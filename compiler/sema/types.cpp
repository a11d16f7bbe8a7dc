#include "sema/types.h"

#include "syntax/ast.h"

namespace pt {

TypeContext::TypeContext() {
  using K = Type::Kind;
  i64_ = make({K::kI64});
  f64_ = make({K::kF64});
  bool_ = make({K::kBool});
  string_ = make({K::kString});
  bytes_ = make({K::kBytes});
  timestamp_ = make({K::kTimestamp});
  duration_ = make({K::kDuration});
  void_ = make({K::kVoid});
  error_ = make({K::kError});
  none_ = make({K::kNone});
  empty_list_ = make({K::kEmptyList});
  empty_map_ = make({K::kEmptyMap});
}

const Type* TypeContext::make(Type t) {
  auto key = std::make_tuple(static_cast<int>(t.kind), t.element, t.decl);
  auto it = interned_.find(key);
  if (it != interned_.end()) return it->second;
  storage_.push_back(t);
  interned_[key] = &storage_.back();
  return &storage_.back();
}

const Type* TypeContext::list(const Type* element) {
  if (element->is_error()) return error_;
  return make({Type::Kind::kList, element});
}
const Type* TypeContext::map(const Type* value) {
  if (value->is_error()) return error_;
  return make({Type::Kind::kMap, value});
}
const Type* TypeContext::optional(const Type* element) {
  if (element->is_error()) return error_;
  return make({Type::Kind::kOptional, element});
}
const Type* TypeContext::named(const Decl* decl) {
  return make(
      {decl->kind == DeclKind::kSchema ? Type::Kind::kSchema : Type::Kind::kEnum, nullptr, decl});
}

const Type* TypeContext::builtin(const std::string& name) const {
  if (name == "i64") return i64_;
  if (name == "f64") return f64_;
  if (name == "bool") return bool_;
  if (name == "string") return string_;
  if (name == "bytes") return bytes_;
  if (name == "timestamp") return timestamp_;
  if (name == "duration") return duration_;
  return nullptr;
}

std::string type_name(const Type* t) {
  using K = Type::Kind;
  switch (t->kind) {
    case K::kI64:
      return "i64";
    case K::kF64:
      return "f64";
    case K::kBool:
      return "bool";
    case K::kString:
      return "string";
    case K::kBytes:
      return "bytes";
    case K::kTimestamp:
      return "timestamp";
    case K::kDuration:
      return "duration";
    case K::kList:
      return "list<" + type_name(t->element) + ">";
    case K::kMap:
      return "map<string, " + type_name(t->element) + ">";
    case K::kOptional:
      return "optional<" + type_name(t->element) + ">";
    case K::kSchema:
    case K::kEnum:
      return t->decl->name;
    case K::kVoid:
      return "nothing";
    case K::kError:
      return "<error>";
    case K::kNone:
      return "none";
    case K::kEmptyList:
      return "an empty list";
    case K::kEmptyMap:
      return "an empty map";
  }
  return "?";
}

bool either_error(const Type* a, const Type* b) {
  return a->is_error() || b->is_error();
}

bool assignable(const Type* expected, const Type* actual) {
  if (expected == actual || either_error(expected, actual)) return true;
  if (actual->is(Type::Kind::kNone)) return expected->is(Type::Kind::kOptional);
  if (actual->is(Type::Kind::kEmptyList)) return expected->is(Type::Kind::kList);
  if (actual->is(Type::Kind::kEmptyMap)) return expected->is(Type::Kind::kMap);
  // `[[], [1]]` and similar: element-wise for lists whose elements are still open.
  if (expected->is(Type::Kind::kList) && actual->is(Type::Kind::kList)) {
    return assignable(expected->element, actual->element) &&
           (actual->element->is(Type::Kind::kEmptyList) || actual->element->is(Type::Kind::kNone));
  }
  return false;
}

}  // namespace pt
