#include "hallows/lang/validate.h"

namespace hallows {

bool matches(const std::string& text, const std::regex& pattern) {
  return std::regex_match(text, pattern);
}

}  // namespace hallows
