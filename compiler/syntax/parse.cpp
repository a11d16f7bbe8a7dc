// Lexing (syntax/lexer.h) and parsing with ANTLR, and syntax errors in Parseltongue's own words.
#include "syntax/parse.h"

#include <set>

#include "ParseltongueParser.h"
#include "antlr4-runtime.h"
#include "syntax/build_ast.h"
#include "syntax/fast_parse.h"
#include "syntax/lexer.h"
#include "syntax/literals.h"
#include "syntax/token_words.h"

namespace pt {

namespace {

using P = ptgen::ParseltongueParser;
constexpr std::size_t kMaxSyntaxErrorsPerFile = 25;

SourceRange token_range(std::uint32_t file, antlr4::Token* t) {
  SourceRange r;
  r.file = file;
  r.line = static_cast<std::uint32_t>(t->getLine());
  r.column = static_cast<std::uint32_t>(t->getCharPositionInLine()) + 1;
  r.end_line = r.line;
  std::string text = t->getType() == antlr4::Token::EOF ? std::string() : t->getText();
  std::size_t newline = text.find('\n');
  if (newline != std::string::npos) text.resize(newline);
  // Columns count code points, not bytes.
  r.end_column = r.column + std::max<std::uint32_t>(code_points(text), 1);
  return r;
}

// Reports parser errors as PT1001 with what was found and what was expected, in words.
class SyntaxErrorListener : public antlr4::BaseErrorListener {
 public:
  SyntaxErrorListener(std::uint32_t file, DiagnosticSink& sink) : file_(file), sink_(sink) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t, size_t,
                   const std::string&, std::exception_ptr) override {
    auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
    if (parser == nullptr || offending == nullptr) return;
    if (reported_.size() >= kMaxSyntaxErrorsPerFile) return;
    if (!reported_.insert(offending->getTokenIndex()).second) return;
    if (abbreviated_duration(parser, offending)) return;
    std::vector<std::string> expected;
    std::set<std::string> seen;
    for (ssize_t t : parser->getExpectedTokens().toList()) {
      std::string word = expected_word(parser->getVocabulary(), static_cast<std::size_t>(t));
      if (!word.empty() && seen.insert(word).second) expected.push_back(word);
    }
    std::string where = rule_words(parser->getContext()->getRuleIndex());
    std::string message = fmt::format("unexpected {}", found_words(offending));
    if (!where.empty()) message += " " + where;
    message += "; expected " + summarize_expected(expected);
    Diagnostic d = diag::SyntaxError(token_range(file_, offending), message);
    if (offending->getType() == P::SEMI) {
      d.note("statements end at the end of their expression: Parseltongue needs no ';'");
      d.fix("remove the ';'", token_range(file_, offending), "");
    } else if (offending->getType() == P::ASSIGN &&
               (seen.count("'=='") || in_condition(parser->getContext(), offending))) {
      d.note("compare with '=='; '=' only appears in bindings and set_var");
      d.fix("write '=='", token_range(file_, offending), "==");
    }
    sink_.report(std::move(d));
    if (reported_.size() == kMaxSyntaxErrorsPerFile) {
      sink_.report(diag::SyntaxError(token_range(file_, offending),
                                     "too many syntax errors in this file; stopping here"));
    }
  }

 private:
  // `request_timeout: 5 s` (then `}` or the next setting): the parse fails just after a number
  // and a unit the language does not have. Says so once, at the number and the unit, with the
  // spelling to write.
  bool abbreviated_duration(antlr4::Parser* parser, antlr4::Token* offending) {
    std::size_t at = offending->getTokenIndex();
    if (at < 2) return false;
    antlr4::Token* unit = parser->getTokenStream()->get(at - 1);
    antlr4::Token* number = parser->getTokenStream()->get(at - 2);
    if (unit->getType() != P::IDENT || number->getType() != P::INT ||
        unit->getLine() != number->getLine()) {
      return false;
    }
    const char* name = duration_unit_for_abbreviation(unit->getText());
    if (name == nullptr) return false;
    SourceRange r = token_range(file_, number);
    r.end_column = token_range(file_, unit).end_column;
    sink_.report(abbreviated_duration_error(r, number->getText(), unit->getText()));
    return true;
  }

  // The parser waits for the `{` of an if/while block: the condition has just ended, so an `=`
  // here was meant as `==` (`if x = 1 {`).
  static bool in_condition(antlr4::ParserRuleContext* ctx, antlr4::Token* offending) {
    if (dynamic_cast<P::BlockContext*>(ctx) == nullptr || ctx->getStart() == nullptr ||
        ctx->getStart()->getTokenIndex() != offending->getTokenIndex()) {
      return false;
    }
    auto* parent = ctx->parent;
    return dynamic_cast<P::IfStmtContext*>(parent) != nullptr ||
           dynamic_cast<P::WhileStmtContext*>(parent) != nullptr;
  }

  std::uint32_t file_;
  DiagnosticSink& sink_;
  std::set<std::size_t> reported_;
};

// Reports characters no token starts with and unterminated strings, and refuses input nested so
// deeply that a recursive parse could exhaust the stack. Returns false when the file must not be
// parsed.
bool scan_tokens(std::uint32_t file, const std::vector<std::unique_ptr<antlr4::Token>>& tokens,
                 DiagnosticSink& sink) {
  int depth = 0;
  int unary_run = 0;
  std::size_t last_bad_line = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const auto& t = tokens[i];
    std::size_t type = t->getType();
    if (type == P::UNKNOWN_CHAR) {
      if (t->getLine() == last_bad_line) continue;  // one report per line
      last_bad_line = t->getLine();
      std::string text = t->getText();
      const antlr4::Token* next = i + 1 < tokens.size() ? tokens[i + 1].get() : nullptr;
      bool doubled = next != nullptr && next->getText() == text &&
                     next->getStartIndex() == t->getStopIndex() + 1;
      if (text == "\"") {
        sink.report(diag::UnterminatedString(token_range(file, t.get())));
      } else if ((text == "&" || text == "|") && doubled) {
        SourceRange r = token_range(file, t.get());
        r.end_column = r.column + 2;
        std::string word = text == "&" ? "and" : "or";
        sink.report(diag::UnknownCharacter(r, text + text).fix("write `" + word + "`", r, word));
      } else if (text == "!" && (next == nullptr || next->getText() != "=")) {
        SourceRange r = token_range(file, t.get());
        sink.report(diag::UnknownCharacter(r, text).fix("write `not `", r, "not "));
      } else {
        auto c = static_cast<unsigned char>(text.empty() ? 0 : text[0]);
        std::string shown = c < 0x20 || c == 0x7f ? fmt::format("U+{:04X}", c) : text;
        sink.report(diag::UnknownCharacter(token_range(file, t.get()), shown));
      }
      continue;
    }
    // A `/*` that the lexer did not take as a comment has no `*/` after it.
    if (type == P::SLASH && i + 1 < tokens.size() && tokens[i + 1]->getType() == P::STAR &&
        tokens[i + 1]->getStartIndex() == t->getStopIndex() + 1) {
      SourceRange r = token_range(file, t.get());
      r.end_column = r.column + 2;
      sink.report(diag::SyntaxError(r, "this comment is not closed: `/*` needs a matching `*/`"));
      return false;
    }
    if (type == P::DURATION && i + 1 < tokens.size()) {
      const antlr4::Token* next = tokens[i + 1].get();
      if ((next->getType() == P::IDENT || next->getType() == P::INT) &&
          next->getStartIndex() == t->getStopIndex() + 1) {
        sink.report(diag::SyntaxError(
            token_range(file, t.get()),
            fmt::format("'{}{}' is not a duration: the unit must be one of ns, us, ms, second(s), "
                        "minute(s), hour(s), day(s)",
                        t->getText(), next->getText())));
      }
    }
    if (type == P::LPAREN || type == P::LBRACKET || type == P::LBRACE) ++depth;
    if (type == P::RPAREN || type == P::RBRACKET || type == P::RBRACE)
      depth = std::max(0, depth - 1);
    unary_run = (type == P::NOT || type == P::MINUS) ? unary_run + 1 : 0;
    if (depth + unary_run > kMaxNesting) {
      sink.report(diag::SyntaxError(
          token_range(file, t.get()),
          fmt::format("this is nested more than {} levels deep; split it into functions or "
                      "bindings",
                      kMaxNesting)));
      return false;
    }
  }
  return true;
}

// Both paths begin with this check: neither lexer reads invalid UTF-8.
bool check_utf8(const std::string& text, std::uint32_t file, DiagnosticSink& sink) {
  std::size_t bad = invalid_utf8_at(text);
  if (bad == std::string_view::npos) return true;
  SourceRange r{file, 1, 1, 1, 2};
  for (std::size_t i = 0; i < bad; ++i) {
    if (text[i] == '\n') ++r.line;
  }
  r.end_line = r.line;
  sink.report(diag::SyntaxError(
      r, fmt::format("the file is not valid UTF-8 text (bad byte at offset {})", bad)));
  return false;
}

std::unique_ptr<Module> empty_module(std::uint32_t file) {
  auto empty = std::make_unique<Module>();
  empty->file = file;
  return empty;
}

}  // namespace

std::unique_ptr<Module> parse_file(const SourceManager& sources, std::uint32_t file,
                                   DiagnosticSink& sink) {
  const std::string& text = sources.file(file).text;
  if (!check_utf8(text, file, sink)) return empty_module(file);
  if (auto module = fast_parse(text, file)) return module;
  return parse_file_with_antlr(sources, file, sink);
}

std::unique_ptr<Module> parse_file_with_antlr(const SourceManager& sources, std::uint32_t file,
                                              DiagnosticSink& sink) {
  const std::string& text = sources.file(file).text;
  if (!check_utf8(text, file, sink)) return empty_module(file);

  FastLexer lexer(text, sources.file(file).path);
  // Lex everything once; unknown characters are reported here and dropped before parsing.
  std::vector<std::unique_ptr<antlr4::Token>> all = lexer.getAllTokens();
  if (!scan_tokens(file, all, sink)) return empty_module(file);
  std::vector<std::unique_ptr<antlr4::Token>> kept;
  kept.reserve(all.size());
  std::size_t string_line = 0;  // the line of an unterminated string, already reported
  for (auto& t : all) {
    if (string_line != 0 && t->getLine() == string_line) continue;
    string_line = 0;
    if (t->getType() != P::UNKNOWN_CHAR) {
      kept.push_back(std::move(t));
    } else if (t->getText() == "\"") {
      // The unterminated string runs to the end of its line: parse it as a string (empty, as
      // the program is not built anyway) so that the words inside it are not reported again.
      auto text = std::make_unique<antlr4::CommonToken>(t.get());
      text->setType(P::STRING);
      text->setText("\"\"");
      string_line = t->getLine();
      kept.push_back(std::move(text));
    }
  }
  // ListTokenSource throws on an empty list (an empty file, or only comments): give it the EOF.
  if (kept.empty()) kept.push_back(lexer.nextToken());
  antlr4::ListTokenSource source(std::move(kept));
  antlr4::CommonTokenStream tokens(&source);
  P parser(&tokens);
  parser.removeErrorListeners();

  // Fast path: SLL prediction, bail at the first error. Only a file with an error (or a rare
  // SLL-only conflict) pays for the full LL parse with recovery.
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  P::File_Context* tree = nullptr;
  try {
    tree = parser.file_();
  } catch (const antlr4::ParseCancellationException&) {
    tree = nullptr;
  }
  SyntaxErrorListener listener(file, sink);
  if (tree == nullptr) {
    tokens.seek(0);
    parser.reset();
    parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    parser.addErrorListener(&listener);
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::LL);
    tree = parser.file_();
  }
  AstBuilder builder(file, sink, &tokens);
  auto module = builder.build_file(tree);
  return module;
}

ExprPtr AstBuilder::parse_hole(const std::string& text, std::uint32_t line, std::uint32_t column) {
  if (text.find_first_not_of(" \t") == std::string::npos) return nullptr;
  FastLexer lexer(text);
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  int depth = 0;
  for (antlr4::Token* t : tokens.getTokens()) {
    if (t->getType() == P::UNKNOWN_CHAR || t->getType() == P::LBRACE) return nullptr;
    if (t->getType() == P::LPAREN || t->getType() == P::LBRACKET || t->getType() == P::NOT ||
        t->getType() == P::MINUS) {
      if (++depth > kMaxNesting) return nullptr;
    }
  }
  P parser(&tokens);
  parser.removeErrorListeners();
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  P::ExpressionEofContext* tree = nullptr;
  try {
    tree = parser.expressionEof();
  } catch (const antlr4::ParseCancellationException&) {
    return nullptr;
  }
  AstBuilder sub(file_, sink_, nullptr);
  sub.set_offsets(line - 1, column - 1);
  return sub.build_expr(tree->expression());
}

}  // namespace pt
