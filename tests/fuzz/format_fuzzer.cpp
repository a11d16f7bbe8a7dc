// libFuzzer target for the formatter (format/format.h): one input is the text of one `.pt` file.
// format_file must not crash; when it formats the input, formatting its result again must give
// the result back (idempotence) and never report PT1008 (its self-check); a refusal must come
// with at least one error. Any broken promise aborts the run.
//
// Built as format_fuzzer with -DPT_FUZZ=ON and clang (scripts/fuzz.sh format); with
// replay_main.cpp it is format_fuzz_replay, which ctest runs over tests/fuzz/corpus/ and
// tests/fuzz/regressions/ in every build.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "diag/diagnostic.h"
#include "format/format.h"

namespace {

bool reported_self_check(const pt::DiagnosticSink& sink) {
  for (const pt::Diagnostic& d : sink.all()) {
    if (pt::info(d.kind).code == "PT1008") return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  pt::SourceManager sources;
  std::uint32_t id = sources.add("fuzz.pt", text);
  pt::DiagnosticSink sink;
  std::optional<std::string> once = pt::format_file(sources, id, sink);
  if (reported_self_check(sink)) {
    std::fputs("format_fuzzer: PT1008, the formatter's self-check failed\n", stderr);
    std::abort();
  }
  if (!once) {
    if (!sink.has_errors()) {
      std::fputs("format_fuzzer: refused without an error\n", stderr);
      std::abort();
    }
    return 0;
  }
  pt::SourceManager again;
  std::uint32_t id2 = again.add("fuzz.pt", *once);
  pt::DiagnosticSink sink2;
  std::optional<std::string> twice = pt::format_file(again, id2, sink2);
  if (!twice || *twice != *once) {
    std::fputs("format_fuzzer: formatting is not idempotent on this input\n", stderr);
    std::abort();
  }
  return 0;
}
