// What editors and coding agents ask of a project: the outline of its declarations (the
// language server's document symbols, the MCP `outline` tool).
#pragma once

#include <string>
#include <vector>

#include "sema/check.h"

namespace pt {

// One declaration in the outline. `kind` is the declaring keyword as written (`schema`, `enum`,
// `function`, `partition`, `channel`, `partition_task`, `channel_receiver`, `slytherin_topic`,
// `slytherin_consumer`, `basilisk_service`, `route`, a dialect keyword such as `oltp_table` or
// `nagini_component`, `program`). `detail` is a one-line summary: a function's signature, a
// route's `GET /orders/{id: i64}`, a channel's carried type, a consumer's topic and group.
// `children` holds a schema's fields, an enum's members and a service's routes.
struct OutlineItem {
  std::string kind;
  std::string name;
  std::string detail;
  std::string doc;  // the `///` comment above it, if any
  SourceRange range;
  SourceRange name_range;
  std::vector<OutlineItem> children;
};

// Pieces of the details, for other tools' texts (the language server's hover and completion).
// A type as written: `list<Order>`, `map<string, i64>`, `shop.Order`; `?` where a syntax error
// left it empty.
std::string type_text(const TypeRef& t);
// Parameters `from` to `to` of `d` as written: `id: i64, limit: i64 = 20` (a route's query
// defaults included).
std::string params_text(const Decl& d, std::size_t from, std::size_t to);

// The outline of module `m`, in source order.
std::vector<OutlineItem> outline_module(const Module& m);

}  // namespace pt
