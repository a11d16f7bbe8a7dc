// Tokens and grammar rules described in words, for syntax errors that teach.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace antlr4 {
class Token;
namespace dfa {
class Vocabulary;
}
}  // namespace antlr4

namespace pt {

// "the name 'totl'", "the keyword `return`", "the end of the file", "';'".
std::string found_words(antlr4::Token* token);
// The word for an expected token type: "a name", "`field`", "'}'"; empty for tokens not worth
// naming.
std::string expected_word(const antlr4::dfa::Vocabulary& vocabulary, std::size_t token_type);
// "in a schema", "in a statement", ... for a parser rule index; may be empty.
std::string rule_words(std::size_t rule_index);
// Joins expected words, collapsing long lists into "a statement" or "an expression".
std::string summarize_expected(const std::vector<std::string>& words);

}  // namespace pt
