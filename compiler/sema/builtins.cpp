#include "sema/builtins.h"

#include <array>

namespace pt {

namespace {
constexpr std::array kBuiltins = {
#define PT_BUILTIN(NAME, SPELLING, DOC, MIN, MAX) \
  BuiltinInfo{Builtin::NAME, SPELLING, DOC, MIN, MAX},
#include "sema/builtins.def"
#undef PT_BUILTIN
};
}  // namespace

const BuiltinInfo* find_builtin(std::string_view name) {
  for (const BuiltinInfo& b : kBuiltins) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

bool is_answer(Builtin b) {
  return b == Builtin::kReturnOk || b == Builtin::kReturnCreated ||
         b == Builtin::kReturnNoContent || b == Builtin::kReturnNotFound ||
         b == Builtin::kReturnBadRequest || b == Builtin::kReturnError;
}

const BuiltinInfo& builtin_info(Builtin b) {
  return kBuiltins[static_cast<std::size_t>(b)];
}

}  // namespace pt
