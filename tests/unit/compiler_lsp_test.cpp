// The language server's text layer (lsp/text.h, lsp/transport.h): LSP positions against the
// compiler's code-point columns, URIs, and Content-Length framing.
#include <catch2/catch.hpp>

#include <string>

#include <unistd.h>

#include "lsp/text.h"
#include "lsp/transport.h"

using namespace pt::lsp;

TEST_CASE("lsp: UTF-16 and UTF-32 columns against code points", "[lsp]") {
  // "a𝄞é=": 𝄞 is 4 bytes, 2 UTF-16 units, 1 code point; é is 2 bytes, 1 unit.
  std::string line = "a\xF0\x9D\x84\x9E\xC3\xA9=";
  CHECK(code_points_to_units(line, 0, Encoding::kUtf16) == 0);
  CHECK(code_points_to_units(line, 2, Encoding::kUtf16) == 3);
  CHECK(code_points_to_units(line, 3, Encoding::kUtf16) == 4);
  CHECK(code_points_to_units(line, 3, Encoding::kUtf32) == 3);
  CHECK(units_to_code_points(line, 3, Encoding::kUtf16) == 2);
  CHECK(units_to_code_points(line, 4, Encoding::kUtf16) == 3);
  CHECK(units_to_code_points(line, 3, Encoding::kUtf32) == 3);
  CHECK(code_points_to_bytes(line, 2) == 5);
  CHECK(code_points_to_bytes(line, 3) == 7);
  // Past the end: clamped.
  CHECK(code_points_to_units(line, 99, Encoding::kUtf16) == 5);
  CHECK(units_to_code_points(line, 99, Encoding::kUtf16) == 4);
  CHECK(code_points_to_bytes(line, 99) == line.size());
}

TEST_CASE("lsp: bytes that are not UTF-8 count as the compiler counts them", "[lsp]") {
  // A stray continuation byte at the start belongs to no code point; 0xFF is one.
  std::string line =
      "\x80\xFF"
      "ab";
  CHECK(code_points_to_units(line, 3, Encoding::kUtf16) == 3);
  CHECK(code_points_to_bytes(line, 0) == 0);
  CHECK(code_points_to_bytes(line, 1) == 2);
  CHECK(units_to_code_points(line, 2, Encoding::kUtf16) == 2);
  // A four-byte lead cut short is still one code point.
  CHECK(code_points_to_units("\xF0"
                             "a",
                             2, Encoding::kUtf16) == 3);
}

TEST_CASE("lsp: lines and offsets in a text", "[lsp]") {
  std::string text = "one\r\ntwo\n\xF0\x9D\x84\x9Ex\n";
  CHECK(line_at(text, 0) == "one");
  CHECK(line_at(text, 1) == "two");
  CHECK(line_at(text, 3).empty());
  CHECK(line_at(text, 1000000).empty());
  CHECK(line_count(text) == 4);
  CHECK(to_byte_offset(text, 2, 2, Encoding::kUtf16) == 13);
  CHECK(to_byte_offset(text, 2, 1, Encoding::kUtf32) == 13);
  CHECK(to_byte_offset(text, 99, 0, Encoding::kUtf16) == text.size());
  CodePoint p = to_code_point(text, 2, 3, Encoding::kUtf16);
  CHECK(p.line == 3);
  CHECK(p.column == 3);
}

TEST_CASE("lsp: file URIs", "[lsp]") {
  CHECK(uri_to_path("file:///a/b%20c.pt") == "/a/b c.pt");
  CHECK(uri_to_path("FILE://localhost/x/%C3%A9.pt") == "/x/\xC3\xA9.pt");
  CHECK(uri_to_path("file:///x.pt?query#frag") == "/x.pt");
  CHECK_FALSE(uri_to_path("untitled:Untitled-1"));
  CHECK_FALSE(uri_to_path("file://elsewhere/x.pt"));
  CHECK_FALSE(uri_to_path("file:///a%00b"));
  CHECK(path_to_uri("/a/b c/\xC3\xA9.pt") == "file:///a/b%20c/%C3%A9.pt");
  CHECK(uri_to_path(path_to_uri("/p/[x]#1.pt")) == "/p/[x]#1.pt");
}

namespace {

// A transport reading what `input` holds (written to a pipe) and writing to another pipe.
struct Pipes {
  int in[2];
  int out[2];
  Pipes() {
    REQUIRE(::pipe(in) == 0);
    REQUIRE(::pipe(out) == 0);
  }
  ~Pipes() {
    for (int fd : {in[0], in[1], out[0], out[1]}) {
      if (fd >= 0) ::close(fd);
    }
  }
  void feed(const std::string& data) {
    REQUIRE(::write(in[1], data.data(), data.size()) == static_cast<ssize_t>(data.size()));
  }
  void end_input() {
    ::close(in[1]);
    in[1] = -1;
  }
};

}  // namespace

TEST_CASE("lsp: Content-Length framing", "[lsp]") {
  Pipes p;
  Transport t(p.in[0], p.out[1]);
  p.feed("Content-Length: 2\r\n\r\n{}");
  p.feed("content-length:3\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[1]");
  p.feed("Content-Length: banana\r\n\r\n");
  p.feed("Content-Length: 1\n\n7");
  CHECK(t.pending());
  CHECK(t.read() == std::string("{}"));
  CHECK(t.read() == std::string("[1]"));
  CHECK(t.read() == std::string(""));  // no usable length: "" (a parse error for the caller)
  CHECK(t.read() == std::string("7"));
  CHECK_FALSE(t.pending());
  p.feed("Content-Length: 10\r\n\r\nabc");
  p.end_input();
  CHECK_FALSE(t.read());  // the input ended inside a body

  REQUIRE(t.write("{\"id\":1}"));
  char buf[64] = {};
  ssize_t n = ::read(p.out[0], buf, sizeof buf);
  CHECK(std::string(buf, static_cast<std::size_t>(n)) == "Content-Length: 8\r\n\r\n{\"id\":1}");
}
