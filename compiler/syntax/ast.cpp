#include "syntax/ast.h"

namespace pt {

const char* spelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kRem:
      return "%";
    case BinaryOp::kEq:
      return "==";
    case BinaryOp::kNe:
      return "!=";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kLe:
      return "<=";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kGe:
      return ">=";
    case BinaryOp::kAnd:
      return "and";
    case BinaryOp::kOr:
      return "or";
  }
  return "?";
}

const char* spelling(UnaryOp op) {
  return op == UnaryOp::kNeg ? "-" : "not";
}

const char* keyword(BindingKind k) {
  switch (k) {
    case BindingKind::kImmutable:
      return "let_immutable_var";
    case BindingKind::kMut:
      return "let_mut_var";
    case BindingKind::kCow:
      return "let_cow_var";
    case BindingKind::kMutShared:
      return "let_mut_shared_var";
    case BindingKind::kParam:
      return "a parameter";
    case BindingKind::kOutput:
      return "an unsafe_cpp output";
    case BindingKind::kLoop:
      return "a loop or match variable";
  }
  return "?";
}

std::string join_name(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '.';
    out += p;
  }
  return out;
}

}  // namespace pt
