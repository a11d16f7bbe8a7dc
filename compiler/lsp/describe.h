// What the language server says about a name: the declaration's signature as it is written and
// its `///` doc comment (hover), and short one-line forms (completion details).
#pragma once

#include <string>

#include "lsp/index.h"
#include "tooling/outline.h"

namespace pt::lsp {

// Types and parameters as written: type_text and params_text of tooling/outline.h.
// A binding's type: what sema found, else "?".
std::string binding_type(const Binding& b);
// One line: `function total(items: list<Order>) returns f64`, `field price: f64`, ...
std::string signature(const Target& t);
// The doc comment of the target ("" when it has none).
std::string doc_of(const Target& t);
// Hover markdown: the signature in a `pt` code block, the place it is declared, then the doc.
std::string hover_markdown(const Target& t);

}  // namespace pt::lsp
