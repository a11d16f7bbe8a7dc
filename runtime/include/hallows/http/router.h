// The routing table. The compiler emits each service's routes as a constant table of RouteSpec
// (method, path pattern, handler); Router indexes it once at start-up and matches requests
// without allocating.
//
// Patterns are absolute paths of '/'-separated segments; a segment is a literal or a typed
// parameter `{name: type}` with type i64, f64, bool or string (the compiler has checked them).
// Matching compares percent-decoded segments. A literal segment wins over a parameter at the
// same position ("/orders/summary" before "/orders/{order_id: i64}"). When the literal segments
// match but a typed parameter does not parse ("/orders/abc" for an i64), the result is
// kBadParameter, answered 400 with a problem naming the parameter. HEAD is served by GET routes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hallows/http/request.h"

namespace hallows::http {

class Exchange;
using Handler = void (*)(Exchange& exchange);

struct RouteSpec {
  Method method;
  std::string_view pattern;  // "/orders/{order_id: i64}"
  Handler handler;
};

enum class ParamKind : std::uint8_t { kString, kI64, kF64, kBool };

struct RouteMatch {
  enum Kind { kFound, kNotFound, kMethodNotAllowed, kBadParameter } kind = kNotFound;
  std::size_t route = 0;           // kFound: index into the table
  std::string_view allow;          // kMethodNotAllowed: "GET, HEAD, POST" for the Allow header
  std::string_view bad_parameter;  // kBadParameter: the parameter's name
  ParamKind bad_kind = ParamKind::kString;
};

class Router {
 public:
  // Throws std::invalid_argument naming the pattern when a pattern is malformed or two routes
  // have the same method and shape (the checker refuses both first; this is the backstop).
  explicit Router(std::vector<RouteSpec> routes);
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Matches `path` (percent-encoded, as in Request::path). On kFound the decoded parameter
  // values, in pattern order, are written to `params` (storage in `scratch`, reused).
  RouteMatch match(Method method, std::string_view path, std::vector<std::string_view>& params,
                   std::string& scratch) const;

  const std::vector<RouteSpec>& routes() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hallows::http
