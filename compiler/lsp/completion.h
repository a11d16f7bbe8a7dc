// Completion: what may be written at a position, read from the text before the cursor and the
// latest analysis that checked (the text being typed rarely parses).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lsp/protocol.h"
#include "lsp/workspace.h"

namespace pt::lsp {

struct CompletionRequest {
  std::string_view text;  // the document's current text
  std::string path;       // the document's path
  CodePoint pos;          // the cursor
  Encoding encoding = Encoding::kUtf16;
  const Analysis* checked = nullptr;     // the latest analysis that checked, or null
  const Analysis* latest = nullptr;      // the latest analysis (it may have syntax errors), or null
  std::vector<std::string> std_modules;  // `std.strings`, ...: what `import` may name
};

// The keywords of the grammar (grammar/Parseltongue.g4) and the words the AST builder reads as
// keywords in their place (`group`, `listens_on`, ...).
const std::vector<std::string>& keywords();

// A CompletionList: after `expr.` the fields of expr's schema (the members of an enum, the
// declarations of a module); after `publish_message(` the topics, after `send_message(` the
// channels, after `runs_on` the partitions, after `reads` channels and topics; in a route's
// path string the paths of the project's routes; after `route` the HTTP methods; after
// `import` the modules; elsewhere the names in scope (locals and parameters declared before
// the cursor, the module's and its imports' declarations, the imported modules), the built-in
// functions and types, and the keywords. Nothing in comments or plain strings.
json complete(const CompletionRequest& request);

}  // namespace pt::lsp
