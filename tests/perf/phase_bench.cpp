// phase_bench DIR [RUNS]: times each compiler phase on the .pt files of a project, in process.
//
// Reads every .pt file under DIR (skipping DIR/build), then per run, with fresh objects:
// parse_file on each file, check_program, emit_program. Prints the median wall time of each
// phase over RUNS (default 3) and, from the first run, the resident memory after each phase.
// Also times, on their own, ANTLR (generated lexer + SLL parse, the reference and error path) and
// the fast parser that parse_file tries first (syntax/fast_parse.h).
// Standard library modules are not loaded (the synthetic projects of compile_speed.py import
// none). A figure printer, not a test.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ParseltongueLexer.h"
#include "ParseltongueParser.h"
#include "antlr4-runtime.h"
#include "emit/emit.h"
#include "sema/check.h"
#include "syntax/fast_parse.h"
#include "syntax/parse.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// VmRSS or VmHWM of this process, in MiB.
double proc_status_mib(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::stod(line.substr(std::string(key).size())) / 1024.0;
  }
  return 0;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: phase_bench DIR [RUNS]\n");
    return 2;
  }
  fs::path dir = argv[1];
  int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;

  std::vector<fs::path> paths;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().string().find("/build/") != std::string::npos) continue;
    if (e.is_regular_file() && e.path().extension() == ".pt") paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> texts;
  std::size_t lines = 0, bytes = 0;
  for (const fs::path& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    texts.push_back(s.str());
    lines += static_cast<std::size_t>(std::count(texts.back().begin(), texts.back().end(), '\n'));
    bytes += texts.back().size();
  }

  // ANTLR alone, outside parse_file: the lexer over every file, then the SLL parse of the tokens.
  std::vector<double> t_lex, t_sll;
  std::size_t token_count = 0;
  for (int run = 0; run < runs; ++run) {
    double lex = 0, sll = 0;
    token_count = 0;
    for (const std::string& text : texts) {
      auto t0 = Clock::now();
      antlr4::ANTLRInputStream input(text);
      ptgen::ParseltongueLexer lexer(&input);
      lexer.removeErrorListeners();
      antlr4::CommonTokenStream tokens(&lexer);
      tokens.fill();
      lex += seconds_since(t0);
      token_count += tokens.size();
      t0 = Clock::now();
      ptgen::ParseltongueParser parser(&tokens);
      parser.removeErrorListeners();
      parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
          antlr4::atn::PredictionMode::SLL);
      parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
      try {
        parser.file_();
      } catch (const antlr4::ParseCancellationException&) {
        std::fprintf(stderr, "SLL parse failed\n");
      }
      sll += seconds_since(t0);
    }
    t_lex.push_back(lex);
    t_sll.push_back(sll);
  }

  // The fast parser alone (syntax/fast_parse.h: lexing + parsing + AST), as parse_file runs it
  // first; a file it gives up on (null) goes to the ANTLR path in parse_file.
  std::vector<double> t_fast;
  std::size_t fast_files = 0;
  for (int run = 0; run < runs; ++run) {
    fast_files = 0;
    auto t0 = Clock::now();
    for (std::size_t i = 0; i < texts.size(); ++i) {
      fast_files += pt::fast_parse(texts[i], static_cast<std::uint32_t>(i)) != nullptr;
    }
    t_fast.push_back(seconds_since(t0));
  }

  std::vector<double> t_parse, t_check, t_emit;
  double rss_start = proc_status_mib("VmRSS:");
  double rss_parse = 0, rss_check = 0, rss_emit = 0;
  std::size_t errors = 0, emitted_bytes = 0;
  for (int run = 0; run < runs; ++run) {
    pt::SourceManager sources;
    pt::DiagnosticSink sink;
    pt::Program program;
    std::vector<std::string> display;
    auto t0 = Clock::now();
    for (std::size_t i = 0; i < paths.size(); ++i) {
      std::uint32_t id = sources.add(paths[i].string(), texts[i]);
      display.push_back(paths[i].string());
      auto m = pt::parse_file(sources, id, sink);
      if (m->name.empty()) m->name = paths[i].stem().string();
      program.modules.push_back(std::move(m));
    }
    t_parse.push_back(seconds_since(t0));
    if (run == 0) rss_parse = proc_status_mib("VmRSS:");

    t0 = Clock::now();
    pt::CheckOptions options;
    pt::check_program(program, sink, options);
    t_check.push_back(seconds_since(t0));
    if (run == 0) rss_check = proc_status_mib("VmRSS:");
    errors = sink.error_count();

    t0 = Clock::now();
    pt::EmitOptions eo;
    eo.project_name = "bench";
    eo.parsel_version = "bench";
    eo.display_paths = display;
    std::vector<pt::EmittedFile> files = pt::emit_program(program, eo);
    t_emit.push_back(seconds_since(t0));
    emitted_bytes = 0;
    for (const auto& f : files) emitted_bytes += f.content.size();
    if (run == 0) rss_emit = proc_status_mib("VmRSS:");
  }

  double p = median(t_parse), c = median(t_check), e = median(t_emit);
  double total = p + c + e;
  std::printf("  %s: %zu files, %zu lines, %.1f MiB of .pt, %zu errors; %.1f MiB of C++ emitted\n",
              dir.string().c_str(), paths.size(), lines, bytes / 1048576.0, errors,
              emitted_bytes / 1048576.0);
  std::printf(
      "    (ANTLR alone: lexer %.3f s for %zu tokens, %.0f lines/s; SLL parse of those "
      "tokens %.3f s)\n",
      median(t_lex), token_count, lines / median(t_lex), median(t_sll));
  std::printf(
      "    (fast parser alone: %.3f s, %.0f lines/s; %zu of %zu files parsed, the rest "
      "go to ANTLR)\n",
      median(t_fast), lines / median(t_fast), fast_files, paths.size());
  std::printf("    parse  %7.3f s (%4.1f%%) %10.0f lines/s   RSS after: %6.1f MiB (+%.1f)\n", p,
              100 * p / total, lines / p, rss_parse, rss_parse - rss_start);
  std::printf("    check  %7.3f s (%4.1f%%) %10.0f lines/s   RSS after: %6.1f MiB (+%.1f)\n", c,
              100 * c / total, lines / c, rss_check, rss_check - rss_parse);
  std::printf("    emit   %7.3f s (%4.1f%%) %10.0f lines/s   RSS after: %6.1f MiB (+%.1f)\n", e,
              100 * e / total, lines / e, rss_emit, rss_emit - rss_check);
  std::printf("    sizeof: Expr %zu, Stmt %zu, Decl %zu, FieldDecl %zu, TypeRef %zu bytes\n",
              sizeof(pt::Expr), sizeof(pt::Stmt), sizeof(pt::Decl), sizeof(pt::FieldDecl),
              sizeof(pt::TypeRef));
  std::printf("    total  %7.3f s         %10.0f lines/s   peak (VmHWM): %6.1f MiB\n", total,
              lines / total, proc_status_mib("VmHWM:"));
  return 0;
}
