// Reading and replacing whole files, for every command that touches the user's files, and
// stdout for the commands that speak a protocol on it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace pt {

// The whole of `path` into `out`. False with the reason in `error` (strerror's words).
bool read_file(const std::filesystem::path& path, std::string& out, std::string& error);

// Replaces the text of `path` (a symbolic link: of its target) with `text`: written to a
// temporary file beside it, flushed to disk, given the old file's permissions (a new file gets
// 0644), then renamed over it, so a reader never sees half a file and a failed write leaves the
// old one whole. False with the reason in `error`.
bool replace_file(const std::filesystem::path& path, std::string_view text, std::string& error);

// For the stdio servers (parsel lsp, parsel mcp): returns a new descriptor on what stdout was,
// for the protocol alone, and points fd 1 at stderr, so that nothing else the compiler prints can
// corrupt the stream. SIGPIPE is ignored: a client that went away shows as a failed write.
// -1 (errno set) when the descriptors cannot be set up.
int take_stdout_for_protocol();

}  // namespace pt
