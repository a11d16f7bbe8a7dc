// The layout rules of docs/fmt.md, applied line by line: a line starts where the author started
// one; its indentation comes from the brackets still open and from whether it continues the
// statement above; the blanks between its pieces come from the pieces on either side.
#include "format/layout.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace pt::formatter {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// What the piece is where it stands, found by one pass before the layout.
enum Role : std::uint8_t {
  kPlain = 0,
  kTypeOpen = 1,   // the `<` of `list<`, `map<`, `optional<`
  kTypeClose = 2,  // its `>`
  kUnary = 4,      // a `-` that negates
};

bool is_word(const Piece& p, std::string_view w) {
  return p.kind == PieceKind::kWord && p.text == w;
}
bool is_punct(const Piece& p, std::string_view t) {
  return p.kind == PieceKind::kPunct && p.text == t;
}
bool is_opener(const Piece& p) {
  return p.kind == PieceKind::kPunct && (p.text == "(" || p.text == "[" || p.text == "{");
}
bool is_closer(const Piece& p) {
  return p.kind == PieceKind::kPunct && (p.text == ")" || p.text == "]" || p.text == "}");
}
char opener_of(const Piece& closer) {
  return closer.text == ")" ? '(' : closer.text == "]" ? '[' : '{';
}

template <std::size_t N>
bool one_of(std::string_view word, const std::string_view (&words)[N]) {
  return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

constexpr std::string_view kKeywords[] = {"module",
                                          "import",
                                          "schema",
                                          "field",
                                          "validate",
                                          "enum",
                                          "function",
                                          "runtime_function",
                                          "binds",
                                          "returns",
                                          "program",
                                          "list",
                                          "map",
                                          "optional",
                                          "let_immutable_var",
                                          "let_mut_var",
                                          "let_cow_var",
                                          "let_mut_shared_var",
                                          "set_var",
                                          "if",
                                          "else",
                                          "while",
                                          "for_each",
                                          "in",
                                          "match",
                                          "when",
                                          "otherwise",
                                          "return",
                                          "break",
                                          "continue",
                                          "unsafe_cpp",
                                          "inputs",
                                          "outputs",
                                          "and",
                                          "or",
                                          "not",
                                          "true",
                                          "false",
                                          "none",
                                          "some",
                                          "partition",
                                          "channel",
                                          "carries",
                                          "partition_task",
                                          "channel_receiver",
                                          "runs_on",
                                          "reads",
                                          "on_message",
                                          "on_channel_closed",
                                          "basilisk_service",
                                          "route",
                                          "slytherin_topic",
                                          "slytherin_consumer",
                                          "oltp_table",
                                          "olap_table",
                                          "nagini_component"};

bool is_keyword(const Piece& p) {
  return p.kind == PieceKind::kWord && one_of(p.text, kKeywords);
}
// A name, or a keyword written like a call: `some(x)`, `unsafe_cpp(...)`, `on_message(...)`.
bool calls_without_space(const Piece& p) {
  static constexpr std::string_view kCallLike[] = {"some", "unsafe_cpp", "on_message"};
  return p.kind == PieceKind::kWord && (!is_keyword(p) || one_of(p.text, kCallLike));
}

// Words after which a statement cannot end: the next line continues it.
bool word_continues_after(std::string_view w) {
  static constexpr std::string_view kWords[] = {"and",
                                                "or",
                                                "not",
                                                "returns",
                                                "carries",
                                                "runs_on",
                                                "reads",
                                                "binds",
                                                "in",
                                                "validate",
                                                "if",
                                                "while",
                                                "match",
                                                "import",
                                                "module",
                                                "set_var",
                                                "let_immutable_var",
                                                "let_mut_var",
                                                "let_cow_var",
                                                "let_mut_shared_var",
                                                "field",
                                                "function",
                                                "schema",
                                                "enum",
                                                "for_each"};
  return one_of(w, kWords);
}
// Words that continue the statement of the line above when they start a line.
bool word_continues_before(std::string_view w) {
  static constexpr std::string_view kWords[] = {"and",   "or",    "returns",  "carries", "runs_on",
                                                "reads", "binds", "validate", "in"};
  return one_of(w, kWords);
}
// Statements whose `{` opens a block: on a continued line, the block is indented from the
// statement's first line, not from the line the `{` is on.
bool opens_block(const Piece* first) {
  static constexpr std::string_view kWords[] = {"if",
                                                "while",
                                                "for_each",
                                                "match",
                                                "else",
                                                "when",
                                                "otherwise",
                                                "function",
                                                "program",
                                                "partition_task",
                                                "channel_receiver",
                                                "on_message",
                                                "on_channel_closed",
                                                "route",
                                                "basilisk_service",
                                                "slytherin_topic",
                                                "slytherin_consumer",
                                                "schema",
                                                "enum",
                                                "partition",
                                                "channel"};
  return first != nullptr && first->kind == PieceKind::kWord && one_of(first->text, kWords);
}

bool is_binary_operator(const Piece& p, std::uint8_t role) {
  if (p.kind != PieceKind::kPunct) return false;
  static constexpr std::string_view kOps[] = {
      "+", "*", "/", "%", "==", "!=", "<=", ">=", "=", "<", ">", "."};
  if (p.text == "-") return (role & kUnary) == 0;
  if (p.text == "<" || p.text == ">") return (role & (kTypeOpen | kTypeClose)) == 0;
  return one_of(p.text, kOps);
}

class Layout {
 public:
  explicit Layout(const std::vector<Piece>& pieces) : p_(pieces), roles_(pieces.size(), kPlain) {
    find_roles();
  }

  std::string run() {
    std::size_t i = 0;
    while (i < p_.size()) i = line(i);
    align_validate();
    std::string out;
    std::size_t size = 0;
    for (const Line& l : lines_) size += l.text.size() + 2;
    out.reserve(size);
    for (std::size_t k = 0; k < lines_.size(); ++k) {
      if (k != 0) out += lines_[k].blank_before ? "\n\n" : "\n";
      out += lines_[k].text;
    }
    if (!lines_.empty()) out += '\n';
    return out;
  }

 private:
  struct Open {
    char ch;
    int inner;   // the indentation of the lines inside
    int closer;  // the indentation of a line that starts with the matching closer
  };
  struct Line {
    std::string text;
    bool blank_before = false;
    int indent = 0;
    bool field = false;            // a whole `field ...` declaration on one line
    std::size_t validate = kNone;  // where its ` validate` starts
  };

  void find_roles() {
    int angle = 0;
    const Piece* prev = nullptr;
    for (std::size_t i = 0; i < p_.size(); ++i) {
      const Piece& p = p_[i];
      if (is_comment(p)) continue;
      if (is_punct(p, "<") && prev != nullptr &&
          (is_word(*prev, "list") || is_word(*prev, "map") || is_word(*prev, "optional"))) {
        roles_[i] |= kTypeOpen;
        ++angle;
      } else if (is_punct(p, ">") && angle > 0) {
        roles_[i] |= kTypeClose;
        --angle;
      } else if (angle > 0 && p.kind != PieceKind::kWord && !is_punct(p, ",") &&
                 !is_punct(p, ".")) {
        angle = 0;  // not a type after all
      }
      if (is_punct(p, "-")) {
        bool after_value =
            prev != nullptr &&
            ((prev->kind == PieceKind::kWord && (!is_keyword(*prev) || prev->text == "true" ||
                                                 prev->text == "false" || prev->text == "none")) ||
             prev->kind == PieceKind::kNumber || prev->kind == PieceKind::kDuration ||
             prev->kind == PieceKind::kString || is_closer(*prev));
        if (!after_value) roles_[i] |= kUnary;
      }
      prev = &p;
    }
  }

  bool ends_statement_early(std::size_t i) const {  // the piece leaves its statement open
    const Piece& p = p_[i];
    if (p.kind == PieceKind::kWord) return word_continues_after(p.text);
    return is_binary_operator(p, roles_[i]) || is_punct(p, ":") ||
           (is_punct(p, "-") && (roles_[i] & kUnary) != 0);
  }
  bool continues_statement(std::size_t i) const {  // the piece, first on a line, continues one
    const Piece& p = p_[i];
    if (p.kind == PieceKind::kWord) return word_continues_before(p.text);
    return is_binary_operator(p, roles_[i]);
  }

  bool space_between(std::size_t a_index, std::size_t b_index) const {
    const Piece& a = p_[a_index];
    const Piece& b = p_[b_index];
    std::uint8_t ra = roles_[a_index];
    std::uint8_t rb = roles_[b_index];
    if (is_comment(b)) return !is_punct(a, "(") && !is_punct(a, "[");
    if (is_comment(a)) {
      return !is_punct(b, ",") && !is_punct(b, ";") && !is_punct(b, ")") && !is_punct(b, "]");
    }
    if (is_punct(a, "(") || is_punct(a, "[")) return false;
    if (is_punct(b, ")") || is_punct(b, ";")) return is_punct(a, ":");  // `outputs: )`
    if (is_punct(b, "]") || is_punct(b, ",") || is_punct(b, ":")) return false;
    if (is_punct(a, ":")) return true;
    if (is_punct(a, ",") || is_punct(a, ";")) return true;
    if (is_punct(a, ".") || is_punct(b, ".")) return false;
    if ((ra & kTypeOpen) != 0 || (rb & (kTypeOpen | kTypeClose)) != 0) return false;
    if ((ra & kUnary) != 0) return false;
    if (is_punct(b, "(")) return !(calls_without_space(a) || is_closer(a));
    if (is_punct(b, "[")) {
      return !((a.kind == PieceKind::kWord && !is_keyword(a)) || is_punct(a, ")") ||
               is_punct(a, "]") || a.kind == PieceKind::kString);
    }
    if (is_punct(a, "{")) return !is_punct(b, "}");
    return true;
  }

  // Lays out the line starting at piece `i`; returns where the next line starts.
  std::size_t line(std::size_t i) {
    std::size_t end = i + 1;
    while (end < p_.size() && p_[end].breaks_before == 0 &&
           p_[end - 1].kind != PieceKind::kLineComment) {
      ++end;
    }
    Line out;
    out.blank_before =
        !lines_.empty() && p_[i].breaks_before >= 2 && !last_ended_open_ && !is_closer(p_[i]);
    std::size_t first = i;  // the first piece that is not a comment
    while (first < end && is_comment(p_[first])) ++first;
    const bool brace_context = stack_.empty() || stack_.back().ch == '{';
    const int inside = stack_.empty() ? 0 : stack_.back().inner;
    bool continued = false;
    std::size_t restart_at = kNone;  // a line that starts with closers: the statement after them
    if (first == end) {              // only comments: indented as the code around them
      std::size_t next = end;
      while (next < p_.size() && is_comment(p_[next])) ++next;
      bool in_header = header_open_ && stack_.size() == statement_depth_ && next < p_.size() &&
                       !is_punct(p_[next], "{") && !is_closer(p_[next]);
      continued = brace_context &&
                  (in_header || (last_code_ != kNone && ends_statement_early(last_code_)) ||
                   (next < p_.size() && continues_statement(next)));
      out.indent = inside + (continued ? 1 : 0);
    } else if (is_closer(p_[first])) {
      out.indent = inside;
      char want = opener_of(p_[first]);
      for (std::size_t k = stack_.size(); k-- > 0;) {
        if (stack_[k].ch == want) {
          out.indent = stack_[k].closer;
          break;
        }
      }
      restart_at = first;
      while (restart_at < end && (is_closer(p_[restart_at]) || is_comment(p_[restart_at]))) {
        ++restart_at;
      }
    } else {
      // A block statement's header runs until its `{`: `route GET "/x"` / `query(...)` / `{`.
      bool in_header =
          header_open_ && stack_.size() == statement_depth_ && !is_punct(p_[first], "{");
      continued = brace_context &&
                  (in_header || (last_code_ != kNone && ends_statement_early(last_code_)) ||
                   continues_statement(first));
      out.indent = inside + (continued ? 1 : 0);
      if (!continued) start_statement(out.indent, &p_[first]);
    }

    const std::size_t depth = stack_.size();
    const bool field_line = first < end && is_word(p_[first], "field");
    bool whole = true;
    out.text.assign(static_cast<std::size_t>(out.indent) * kIndentWidth, ' ');
    for (std::size_t k = i; k < end; ++k) {
      const Piece& p = p_[k];
      if (k == restart_at) start_statement(out.indent, &p);
      if (k != i && space_between(k - 1, k)) out.text += ' ';
      if (field_line && out.validate == kNone && is_word(p, "validate") && stack_.size() == depth) {
        std::size_t at = out.text.size();
        if (at != 0 && out.text[at - 1] == ' ') out.validate = at - 1;
      }
      if (p.kind == PieceKind::kDuration) {
        out.text += canonical_text(p);
      } else {
        out.text.append(p.text);
      }
      if (p.multi_line) whole = false;
      if (is_opener(p)) {
        Open o{p.text[0], out.indent + 1, out.indent};
        if (o.ch == '{' && continued && opens_block(statement_first_)) {
          o = Open{'{', statement_base_ + 1, statement_base_};
        }
        if (o.ch == '{' && stack_.size() == statement_depth_) header_open_ = false;
        stack_.push_back(o);
      } else if (is_closer(p)) {
        char want = opener_of(p);
        for (std::size_t s = stack_.size(); s-- > 0;) {
          if (stack_[s].ch == want) {
            stack_.resize(s);
            break;
          }
        }
      }
      if (!is_comment(p)) last_code_ = k;
    }
    if (restart_at == end) start_statement(out.indent, nullptr);
    out.field = field_line && whole && stack_.size() == depth;
    last_ended_open_ = is_opener(p_[end - 1]);
    lines_.push_back(std::move(out));
    return end;
  }

  // A statement starts on a line that continues none; closing brackets before it are not part
  // of it (`} else if x {`). The depth is taken before the line's own brackets.
  void start_statement(int indent, const Piece* first) {
    statement_base_ = indent;
    statement_first_ = first;
    statement_depth_ = stack_.size();
    header_open_ = opens_block(first);
  }

  // In a run of `field` lines (no blank line between, one indentation), two or more `validate`
  // clauses start in one column: two spaces after the longest field before its clause.
  void align_validate() {
    std::size_t k = 0;
    while (k < lines_.size()) {
      if (!lines_[k].field) {
        ++k;
        continue;
      }
      std::size_t run_end = k + 1;
      while (run_end < lines_.size() && lines_[run_end].field && !lines_[run_end].blank_before &&
             lines_[run_end].indent == lines_[k].indent) {
        ++run_end;
      }
      std::size_t count = 0;
      std::size_t column = 0;
      for (std::size_t r = k; r < run_end; ++r) {
        if (lines_[r].validate == kNone) continue;
        ++count;
        column = std::max(column, lines_[r].validate + 2);
      }
      if (count >= 2) {
        for (std::size_t r = k; r < run_end; ++r) {
          Line& l = lines_[r];
          if (l.validate == kNone) continue;
          l.text.replace(l.validate, 1, column - l.validate, ' ');
        }
      }
      k = run_end;
    }
  }

  const std::vector<Piece>& p_;
  std::vector<std::uint8_t> roles_;
  std::vector<Line> lines_;
  std::vector<Open> stack_;
  std::size_t last_code_ = kNone;  // the last piece laid out that is not a comment
  bool last_ended_open_ = false;   // the line above ends with an opening bracket
  int statement_base_ = 0;         // the indentation of the current statement's first line
  const Piece* statement_first_ = nullptr;
  std::size_t statement_depth_ = 0;  // the brackets open around the current statement
  bool header_open_ = false;         // a block statement whose `{` has not come yet
};

}  // namespace

std::string lay_out(const std::vector<Piece>& pieces) {
  return Layout(pieces).run();
}

}  // namespace pt::formatter
