#include "driver/driver.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "driver/build.h"
#include "driver/commands.h"
#include "driver/project.h"

namespace fs = std::filesystem;

namespace pt {

namespace {

constexpr const char* kUsage = R"(parsel: the Parseltongue compiler

usage:
  parsel new NAME [--dir PATH]     write a working project skeleton in ./NAME (or PATH)
  parsel check PATH                check a project directory or one .pt file
  parsel fix PATH                  apply the machine-applicable fixes the checker suggests,
                                   then print what is left as check does
  parsel build PATH [--check] [--emit-only]
                                   generate C++ under PATH/build/ and build PATH/build/bin/NAME
                                   --check: exit 1 if the generated files on disk are stale
                                   --emit-only: write the C++ without compiling it
  parsel run PATH [-- ARGS...]     build, then run the program
  parsel emit PATH                 print the C++ that build would write (for reading and tests)
  parsel openapi DIR [--output FILE] [--service NAME]
                                   write the OpenAPI 3.1 document (JSON) of DIR's
                                   basilisk_services to stdout or FILE (docs/openapi.md)
  parsel fmt [--check] PATH...     rewrite .pt files (or every .pt under a directory) in the
                                   canonical layout; --check: change nothing, list the files
                                   that would change and exit 1 if any (docs/fmt.md)
  parsel lsp                       the language server, LSP 3.17 over stdio (docs/lsp.md)
  parsel mcp                       the Model Context Protocol server over stdio (docs/mcp.md)
  parsel explain PTxxxx            explain a diagnostic, with a wrong and a right example
  parsel explain --list            list every diagnostic code
  parsel explain --markdown        print the error index (docs/errors.md)
  parsel version                   print the version

options for check, fix, build, run and openapi:
  --diagnostics=human|json         how to print diagnostics (json: one object per line, stdout)
  --verbose                        show the C++ toolchain's commands

exit status: 0 success, 1 errors in the program, 2 usage or internal error
)";

}  // namespace

int run_parsel(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    fmt::print("{}", kUsage);
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string& command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "version" || command == "--version") {
    fmt::print("parsel {}\n", PT_VERSION);
    return kExitOk;
  }
  if (command == "explain") return command_explain(rest);
  if (command == "new") return command_new(rest);
  if (command == "check") return command_check(rest);
  if (command == "emit") return command_emit(rest);
  if (command == "openapi") return command_openapi(rest);
  if (command == "build") return command_build(rest, false);
  if (command == "run") return command_build(rest, true);
  if (command == "fix") return command_fix(rest);
  if (command == "fmt") return command_fmt(rest);
  if (command == "lsp") return command_lsp(rest);
  if (command == "mcp") return command_mcp(rest);
  fmt::print(stderr, "parsel: unknown command '{}'\n\n{}", command, kUsage);
  return kExitUsage;
}

}  // namespace pt
