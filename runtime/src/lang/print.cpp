#include <cstdio>

#include "hallows/lang/text.h"

namespace hallows {

void print_line(std::string_view text) {
  // One locked stretch so lines from different threads never interleave. stdout is flushed by
  // exit() when main returns and by panic().
  flockfile(stdout);
  fwrite_unlocked(text.data(), 1, text.size(), stdout);
  putc_unlocked('\n', stdout);
  funlockfile(stdout);
}

}  // namespace hallows
