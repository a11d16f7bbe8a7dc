#include "syntax/token_words.h"

#include <algorithm>

#include "ParseltongueParser.h"

namespace pt {

namespace {
using P = ptgen::ParseltongueParser;

bool is_keyword(std::size_t type) {
  return type >= P::MODULE && type <= P::NAGINI_COMPONENT;
}

std::string unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') return s.substr(1, s.size() - 2);
  return s;
}
}  // namespace

std::string found_words(antlr4::Token* token) {
  std::size_t type = token->getType();
  std::string text = token->getText();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  if (type == antlr4::Token::EOF) return "end of file";
  if (type == P::IDENT) return "name '" + text + "'";
  if (type == P::INT || type == P::FLOAT) return "number " + text;
  if (type == P::DURATION) return "duration " + text;
  if (type == P::STRING) return "string " + text;
  if (type == P::CPP_BLOCK) return "unsafe_cpp block";
  if (is_keyword(type)) return "keyword `" + text + "`";
  return "'" + text + "'";
}

std::string expected_word(const antlr4::dfa::Vocabulary& vocabulary, std::size_t type) {
  switch (type) {
    case antlr4::Token::EOF:
      return "end of file";
    case P::IDENT:
      return "a name";
    case P::INT:
      return "a whole number";
    case P::FLOAT:
      return "a decimal number";
    case P::DURATION:
      return "a duration";
    case P::STRING:
      return "a string";
    case P::CPP_BLOCK:
      return "a { C++ block }";
    case P::DOC_COMMENT:
    case P::LINE_COMMENT:
    case P::BLOCK_COMMENT:
    case P::WS:
    case P::UNKNOWN_CHAR:
      return "";
    default:
      break;
  }
  std::string lit = vocabulary.getLiteralName(type);  // "'schema'" or "'{'"
  if (lit.empty()) return "";
  if (is_keyword(type)) return "`" + unquote(lit) + "`";
  return lit;
}

std::string rule_words(std::size_t rule) {
  switch (rule) {
    case P::RuleFile_:
      return "at the top level of the file";
    case P::RuleModuleDecl:
      return "in the module line";
    case P::RuleImportDecl:
      return "in an import";
    case P::RuleSchemaDecl:
      return "in a schema";
    case P::RuleFieldDecl:
      return "in a field";
    case P::RuleValidateClause:
      return "in a validate clause";
    case P::RuleEnumDecl:
      return "in an enum";
    case P::RuleFunctionDecl:
      return "in a function signature";
    case P::RuleRuntimeFunctionDecl:
      return "in a runtime_function";
    case P::RuleParamList:
    case P::RuleParam:
      return "in a parameter list";
    case P::RuleProgramDecl:
      return "in a program";
    case P::RuleTypeRef:
      return "in a type";
    case P::RuleBlock:
      return "in a block";
    case P::RuleLetStmt:
      return "in a binding";
    case P::RuleSetStmt:
    case P::RuleLvalue:
      return "in a set_var";
    case P::RuleIfStmt:
      return "in an if";
    case P::RuleWhileStmt:
      return "in a while";
    case P::RuleForEachStmt:
      return "in a for_each";
    case P::RuleMatchStmt:
    case P::RuleMatchArm:
      return "in a match";
    case P::RuleUnsafeCppStmt:
      return "in an unsafe_cpp header";
    case P::RuleArgList:
      return "in the arguments of a call";
    case P::RuleFieldInit:
      return "in a schema literal";
    case P::RuleTopicDecl:
    case P::RuleTopicSetting:
    case P::RuleTopicValue:
    case P::RuleNamedArg:
      return "in a slytherin_topic";
    case P::RuleConsumerDecl:
      return "in a slytherin_consumer";
    default:
      return "";
  }
}

std::string summarize_expected(const std::vector<std::string>& words) {
  auto has = [&](const char* w) { return std::find(words.begin(), words.end(), w) != words.end(); };
  if (words.empty()) return "something else";
  if (has("`let_immutable_var`") && has("`set_var`")) {
    return has("'}'") ? "a statement or '}'" : "a statement";
  }
  if (has("`schema`") && has("`function`")) {
    return has("end of file")
               ? "a declaration (schema, enum, function, program, ...) or end of file"
               : "a declaration (schema, enum, function, program, ...)";
  }
  if (words.size() > 6 && has("a name") && has("a whole number")) return "an expression";
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

}  // namespace pt
