// Parse tree -> AST for Basilisk: `basilisk_service NAME runs_on P listens_on port N { ... }`,
// its limits, state and routes, and each route's path pattern, query parameters, `accepts` and
// `returns`. The words `listens_on`, `port`, `limits`, `accepts` and `query` are names in the
// grammar (programs keep them as names); a misspelt one is a syntax error here. A path pattern
// is read here, since its parameters are names and types like any other: a malformed one is
// PT8007, a parameter without a type PT8009. Part of AstBuilder (build_ast.h).
#include <string_view>

#include "syntax/build_ast.h"

namespace pt {

namespace {

using P = ptgen::ParseltongueParser;

bool ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool ident_char(char c) {
  return ident_start(c) || (c >= '0' && c <= '9');
}
// The characters a URL carries in a path segment without escaping (RFC 3986 "unreserved").
bool unreserved(char c) {
  return ident_char(c) || c == '-' || c == '.' || c == '~';
}

// Reads the type written in a path parameter (`i64`, `list<i64>`, `shop.Color`) from `text`
// starting at `i`; `at(offset, length)` gives the range of a piece of it. False when it is not
// a type.
template <class At>
bool read_type(std::string_view text, std::size_t& i, const At& at, TypeRef& out) {
  auto skip = [&] {
    while (i < text.size() && text[i] == ' ') ++i;
  };
  skip();
  std::size_t start = i;
  auto word = [&](std::string& w) {
    if (i >= text.size() || !ident_start(text[i])) return false;
    std::size_t b = i;
    while (i < text.size() && ident_char(text[i])) ++i;
    w = std::string(text.substr(b, i - b));
    return true;
  };
  std::string first;
  if (!word(first)) return false;
  if (first == "list" || first == "optional" || first == "map") {
    skip();
    if (i >= text.size() || text[i] != '<') return false;
    ++i;
    out.kind = first == "list"       ? TypeRef::Kind::kList
               : first == "optional" ? TypeRef::Kind::kOptional
                                     : TypeRef::Kind::kMap;
    out.args.emplace_back();
    if (!read_type(text, i, at, out.args.back())) return false;
    if (out.kind == TypeRef::Kind::kMap) {
      skip();
      if (i >= text.size() || text[i] != ',') return false;
      ++i;
      out.args.emplace_back();
      if (!read_type(text, i, at, out.args.back())) return false;
    }
    skip();
    if (i >= text.size() || text[i] != '>') return false;
    ++i;
  } else {
    out.kind = TypeRef::Kind::kNamed;
    out.name.push_back(first);
    while (i < text.size() && text[i] == '.') {
      ++i;
      std::string part;
      if (!word(part)) return false;
      out.name.push_back(part);
    }
  }
  out.range = at(start, i - start);
  skip();
  return true;
}

}  // namespace

void AstBuilder::expect_word(antlr4::Token* t, const char* want, const std::string& example) {
  if (t == nullptr || t->getText() == want) return;
  SourceRange r = token_range(t);
  sink_.report(diag::SyntaxError(r, "expected `" + std::string(want) + "` here, found name '" +
                                        t->getText() + "' (" + example + ")")
                   .fix(std::string("write `") + want + "`", r, want));
}

std::unique_ptr<Decl> AstBuilder::build_service(P::ServiceDeclContext* ctx) {
  auto d = make_decl(DeclKind::kService, ctx, ctx->IDENT().empty() ? nullptr : ctx->IDENT(0));
  d->runs_on = qualified_parts(ctx->qualifiedName());
  d->runs_on_range = range(ctx->qualifiedName());
  const std::string example = "a service says where it listens: `listens_on port 8080`";
  expect_word(ctx->listensWord, "listens_on", example);
  if (ctx->portWord != nullptr) {
    expect_word(ctx->portWord, "port", example);
  } else if (ctx->INT() != nullptr) {
    SourceRange r = token_range(ctx->INT()->getSymbol());
    sink_.report(
        diag::SyntaxError(r, "expected `port` before the number (" + example + ")")
            .fix("write `port`", SourceRange{r.file, r.line, r.column, r.line, r.column}, "port "));
  }
  if (ctx->INT() != nullptr) {
    d->port_range = token_range(ctx->INT()->getSymbol());
    d->port = int_literal(ctx->INT()->getSymbol(), d->port_range, false)->int_value;
  }
  for (auto* member : ctx->serviceMember()) {
    if (auto* limits = member->limitsBlock()) {
      if (limits->IDENT() == nullptr) continue;  // a syntax error, already reported
      expect_word(limits->IDENT()->getSymbol(), "limits",
                  "a service holds `limits { ... }`, state bindings and routes");
      if (!d->has_limits) d->limits_range = token_range(limits->IDENT()->getSymbol());
      d->has_limits = true;
      for (Setting& s : build_settings(limits->settings())) d->settings.push_back(std::move(s));
    } else if (auto* let = member->letStmt()) {
      if (let->bindingKind != nullptr) d->state.push_back(build_let(let));
    } else if (auto* r = member->routeDecl()) {
      auto route = build_route(r);
      route->service = d.get();
      d->routes.push_back(std::move(route));
    }
  }
  return d;
}

std::unique_ptr<Decl> AstBuilder::build_route(P::RouteDeclContext* ctx) {
  auto d = make_decl(DeclKind::kRoute, ctx, nullptr);
  d->route = std::make_unique<RouteInfo>();
  RouteInfo& info = *d->route;
  if (ctx->IDENT() != nullptr) {
    info.method = ctx->IDENT()->getText();
    info.method_range = token_range(ctx->IDENT()->getSymbol());
  }
  if (ctx->STRING() != nullptr) {
    std::string text = ctx->STRING()->getText();
    info.path = text.size() >= 2 ? text.substr(1, text.size() - 2) : "";
    info.path_range = token_range(ctx->STRING()->getSymbol());
    build_path(*d);
  }
  // The route's name in messages: its method and path, as written.
  d->name = info.method + " " + info.path;
  d->name_range = info.method_range.valid() ? info.method_range : range(ctx);
  if (info.path_range.valid()) {
    d->name_range.end_line = info.path_range.end_line;
    d->name_range.end_column = info.path_range.end_column;
  }
  build_route_clauses(ctx, *d);
  d->body = build_block(ctx->block());
  return d;
}

void AstBuilder::build_route_clauses(P::RouteDeclContext* ctx, Decl& d) {
  RouteInfo& info = *d.route;
  bool has_accepts = false;
  auto twice = [&](SourceRange r, const char* what) {
    sink_.report(
        diag::SyntaxError(r, std::string("a route has one ") + what + "; this one is the second"));
  };
  for (auto* clause : ctx->routeClause()) {
    if (auto* q = dynamic_cast<P::QueryClauseContext*>(clause)) {
      if (q->IDENT() == nullptr) continue;
      SourceRange r = token_range(q->IDENT()->getSymbol());
      expect_word(q->IDENT()->getSymbol(), "query",
                  "query parameters are `query(limit: i64 = 100)`");
      if (info.has_query) {
        twice(r, "query(...)");
        continue;
      }
      info.has_query = true;
      info.query_range = r;
      for (auto* p : q->queryParam()) {
        if (p->IDENT() == nullptr) continue;  // a syntax error, already reported
        Param param;
        param.binding = make_binding(p->IDENT(), BindingKind::kParam);
        param.type = build_type(p->typeRef());
        d.params.push_back(std::move(param));
        info.query_defaults.push_back(p->expression() ? build_expr(p->expression()) : nullptr);
      }
    } else if (auto* a = dynamic_cast<P::AcceptsClauseContext*>(clause)) {
      if (a->IDENT() == nullptr) continue;
      SourceRange r = token_range(a->IDENT()->getSymbol());
      expect_word(a->IDENT()->getSymbol(), "accepts",
                  "a route's request body is `accepts SchemaName`");
      if (has_accepts) {
        twice(r, "accepts");
        continue;
      }
      has_accepts = true;
      info.accepts = std::make_unique<TypeRef>(build_type(a->typeRef()));
      info.request_body = std::make_unique<Binding>();
      info.request_body->name = "request_body";
      info.request_body->kind = BindingKind::kParam;
      info.request_body->range = r;
    } else if (auto* ret = dynamic_cast<P::ReturnsClauseContext*>(clause)) {
      if (d.return_type) {
        twice(token_range(ret->RETURNS()->getSymbol()), "returns");
        continue;
      }
      d.return_type = std::make_unique<TypeRef>(build_type(ret->typeRef()));
    }
  }
}

// Splits the pattern into segments and makes a parameter of each `{name: type}` segment.
void AstBuilder::build_path(Decl& d) {
  RouteInfo& info = *d.route;
  const std::string& path = info.path;
  SourceRange whole = info.path_range;
  // The range of `length` bytes of the path from byte `offset` (columns count code points).
  auto at = [&](std::size_t offset, std::size_t length) {
    SourceRange r = whole;
    r.column = whole.column + 1 + code_points(std::string_view(path).substr(0, offset));
    r.end_line = r.line;
    r.end_column = r.column + std::max<std::uint32_t>(
                                  code_points(std::string_view(path).substr(offset, length)), 1);
    return r;
  };
  auto bad = [&](SourceRange r, const std::string& why) {
    sink_.report(diag::BadPathPattern(r, path, why));
  };
  if (path.empty() || path[0] != '/') {
    SourceRange before_first = at(0, 0);
    before_first.end_column = before_first.column;
    sink_.report(
        diag::BadPathPattern(
            whole, path, path.empty() ? "is empty: a path starts with '/'" : "must start with '/'")
            .fix("start it with '/'", before_first, "/"));
    return;
  }
  for (char c : {'?', '#'}) {
    std::size_t p = path.find(c);
    if (p == std::string::npos) continue;
    bad(at(p, 1), c == '?' ? "has a '?': declare query parameters with query(...) after the path"
                           : "has a '#': a fragment never reaches the server");
    return;
  }
  if (path == "/") return;  // the root: no segments
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string_view seg = std::string_view(path).substr(start, end - start);
    SourceRange r = at(start, seg.size());
    if (seg.empty()) {
      if (end == path.size()) {
        Diagnostic diag = diag::BadPathPattern(at(start - 1, 1), path,
                                               "ends with '/': only the root pattern \"/\" does");
        diag.fix("remove the trailing '/'", at(start - 1, 1), "");
        sink_.report(std::move(diag));
      } else {
        bad(at(start - 1, 2), "has an empty segment ('//')");
      }
      return;
    }
    bool braced = seg.find_first_of("{}") != std::string_view::npos;
    if (!braced) {
      for (std::size_t i = 0; i < seg.size(); ++i) {
        if (unreserved(seg[i])) continue;
        // One whole UTF-8 character, for the message.
        std::size_t n = 1;
        while (i + n < seg.size() && (static_cast<unsigned char>(seg[i + n]) & 0xC0) == 0x80) ++n;
        bad(at(start + i, n), "has '" + std::string(seg.substr(i, n)) + "' in segment '" +
                                  std::string(seg) +
                                  "': literal segments use letters, digits, '-', '.', '_' and "
                                  "'~' (the characters a URL carries unescaped)");
        return;
      }
      if (seg == "." || seg == "..") {
        bad(r, "has a '" + std::string(seg) + "' segment, which clients remove before sending");
        return;
      }
      d.route->segments.push_back({std::string(seg), -1, r});
    } else {
      if (seg.size() < 2 || seg.front() != '{' || seg.back() != '}' ||
          seg.find_first_of("{}", 1) != seg.size() - 1) {
        bad(r, "has a parameter that is not a whole segment ('" + std::string(seg) +
                   "'): write each parameter as its own segment, '/{name: type}'");
        return;
      }
      std::string_view inner = seg.substr(1, seg.size() - 2);
      std::size_t base = start + 1;
      std::size_t i = 0;
      while (i < inner.size() && inner[i] == ' ') ++i;
      std::size_t name_start = i;
      while (i < inner.size() && ident_char(inner[i])) ++i;
      std::string name(inner.substr(name_start, i - name_start));
      if (name.empty() || !ident_start(name[0])) {
        bad(r, "has a parameter without a name ('" + std::string(seg) +
                   "'): write '{name: type}', for example '{order_id: i64}'");
        return;
      }
      Param param;
      param.binding = std::make_unique<Binding>();
      param.binding->name = name;
      param.binding->kind = BindingKind::kParam;
      param.binding->range = at(base + name_start, name.size());
      while (i < inner.size() && inner[i] == ' ') ++i;
      if (i == inner.size()) {
        sink_.report(
            diag::PathParamWithoutType(param.binding->range, name)
                .note("a path parameter is '{name: type}' with type i64, f64, bool, "
                      "string or an enum")
                .fix("make it an i64", at(base + name_start, name.size()), name + ": i64"));
        param.type.range = param.binding->range;  // no name: an error type, reported here
      } else {
        auto piece = [&](std::size_t offset, std::size_t length) {
          return at(base + offset, length);
        };
        ++i;  // past ':'
        if (inner[i - 1] != ':' || !read_type(inner, i, piece, param.type) || i != inner.size()) {
          bad(r, "has a parameter that is not '{name: type}' ('" + std::string(seg) + "')");
          return;
        }
      }
      d.route->segments.push_back({std::string(seg), static_cast<int>(d.params.size()), r});
      d.params.push_back(std::move(param));
      ++d.route->path_params;
    }
    start = end + 1;
  }
}

}  // namespace pt
