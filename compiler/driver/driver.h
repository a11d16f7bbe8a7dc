// The parsel command line.
#pragma once

#include <string>
#include <vector>

namespace pt {

// Exit codes: 0 success, 1 errors in the user's program, 2 usage or internal error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUserError = 1;
inline constexpr int kExitUsage = 2;

int run_parsel(const std::vector<std::string>& args);

}  // namespace pt
