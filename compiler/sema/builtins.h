// The built-in functions of builtins.def.
#pragma once

#include <string_view>

namespace pt {

enum class Builtin : int {
#define PT_BUILTIN(NAME, SPELLING, DOC, MIN, MAX) NAME,
#include "sema/builtins.def"
#undef PT_BUILTIN
};

struct BuiltinInfo {
  Builtin id;
  std::string_view name;
  std::string_view doc;
  int min_args;
  int max_args;
};

// The builtin spelled `name`, or null.
const BuiltinInfo* find_builtin(std::string_view name);
const BuiltinInfo& builtin_info(Builtin b);
// Basilisk's answer statements (return_ok, ...): they end a route's handler.
bool is_answer(Builtin b);

}  // namespace pt
