// The formatter behind `parsel fmt`, the language server's formatting and the MCP `format` tool:
// one canonical layout for a .pt file, keeping every comment where it was (docs/fmt.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "diag/diagnostic.h"

namespace pt {

// The canonical layout of file `file` of `sources`. Returns nullopt, with the reasons reported
// to `sink`, when the file does not parse (it is then left alone). Formatting is idempotent:
// formatting the result again returns it unchanged. The result holds the same tokens and
// comments as the input, in the same order; only the space between them changes.
std::optional<std::string> format_file(const SourceManager& sources, std::uint32_t file,
                                       DiagnosticSink& sink);

}  // namespace pt
