// parsel's entry point: everything else is in driver.cpp and commands.cpp.
#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "driver/driver.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return pt::run_parsel(args);
  } catch (const std::exception& e) {
    fmt::print(stderr,
               "parsel: internal error: {}\nplease report it with the input that caused it\n",
               e.what());
    return pt::kExitUsage;
  }
}
