// The routing table. Patterns are split into segments once; a request path is split at its
// '/' bytes, then each segment is percent-decoded on its own (so "%2F" stays inside its
// segment) into the caller's scratch, reserved to the path's size first so the views into it
// stay valid. Routes are grouped by segment count and scanned in order; the most specific full
// match (a literal beats a parameter at the first position where two routes differ) wins.
//
// No dot-segment normalisation: "/orders/../orders" has the literal segments "orders", "..",
// "orders" and matches only a pattern that declares them.
#include "hallows/http/router.h"

#include <array>
#include <set>
#include <stdexcept>
#include <utility>

#include "hallows/http/params.h"
#include "percent.h"

namespace hallows::http {
namespace {

constexpr int kMethodCount = 7;  // the known methods, kGet .. kOptions

struct Segment {
  bool param = false;
  ParamKind kind = ParamKind::kString;
  std::string text;  // a literal, decoded; or the parameter's name
};

struct Compiled {
  std::size_t index = 0;  // into the RouteSpec table
  Method method = Method::kGet;
  std::vector<Segment> segments;
};

unsigned method_bit(Method m) {
  return 1u << static_cast<unsigned>(m);
}

// "GET, HEAD, POST" for each set of methods (bit i: Method i), built once per process.
const std::array<std::string, 1u << kMethodCount>& allow_strings() {
  static const auto table = [] {
    std::array<std::string, 1u << kMethodCount> t;
    for (unsigned set = 0; set < t.size(); ++set) {
      for (int m = 0; m < kMethodCount; ++m) {
        if ((set & (1u << m)) == 0) continue;
        if (!t[set].empty()) t[set] += ", ";
        t[set] += to_string(static_cast<Method>(m));
      }
    }
    return t;
  }();
  return table;
}

bool is_name_char(char c, bool first) {
  bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  return alpha || (!first && c >= '0' && c <= '9');
}

[[noreturn]] void malformed(std::string_view pattern, std::string_view why) {
  throw std::invalid_argument("route pattern \"" + std::string(pattern) +
                              "\": " + std::string(why));
}

// "{name: type}" -> a parameter segment.
Segment parse_param(std::string_view pattern, std::string_view seg) {
  std::string_view inner = seg.substr(1, seg.size() - 2);
  std::size_t colon = inner.find(':');
  if (colon == std::string_view::npos) malformed(pattern, "a parameter needs a type: {name: type}");
  std::string_view name = inner.substr(0, colon);
  std::string_view type = inner.substr(colon + 1);
  while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
  if (name.empty()) malformed(pattern, "a parameter needs a name");
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!is_name_char(name[i], i == 0)) malformed(pattern, "invalid parameter name");
  }
  Segment s;
  s.param = true;
  s.text = std::string(name);
  if (type == "i64") {
    s.kind = ParamKind::kI64;
  } else if (type == "f64") {
    s.kind = ParamKind::kF64;
  } else if (type == "bool") {
    s.kind = ParamKind::kBool;
  } else if (type == "string") {
    s.kind = ParamKind::kString;
  } else {
    malformed(pattern, "a parameter's type is i64, f64, bool or string");
  }
  return s;
}

std::vector<Segment> parse_pattern(std::string_view pattern) {
  if (pattern.empty() || pattern[0] != '/') malformed(pattern, "must start with '/'");
  std::vector<Segment> segments;
  std::string_view rest = pattern.substr(1);
  for (;;) {
    std::size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    if (!seg.empty() && seg.front() == '{' && seg.back() == '}' && seg.size() >= 2) {
      segments.push_back(parse_param(pattern, seg));
      for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
        if (segments[i].param && segments[i].text == segments.back().text) {
          malformed(pattern, "two parameters have the same name");
        }
      }
    } else {
      if (seg.find_first_of("{}") != std::string_view::npos) {
        malformed(pattern, "a parameter is a whole segment: {name: type}");
      }
      Segment s;
      if (!percent_decode(seg, s.text, false)) malformed(pattern, "invalid percent-escape");
      segments.push_back(std::move(s));
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return segments;
}

bool parses_as(ParamKind kind, std::string_view text) {
  switch (kind) {
    case ParamKind::kString:
      return true;
    case ParamKind::kI64: {
      std::int64_t v = 0;
      return parse_i64(text, v);
    }
    case ParamKind::kF64: {
      double v = 0;
      return parse_f64(text, v);
    }
    case ParamKind::kBool: {
      bool v = false;
      return parse_bool(text, v);
    }
  }
  return false;
}

// True when `a` is more specific than `b`: a literal where `b` has a parameter, at the first
// position where their kinds differ.
bool more_specific(const Compiled& a, const Compiled& b) {
  for (std::size_t i = 0; i < a.segments.size(); ++i) {
    if (a.segments[i].param != b.segments[i].param) return !a.segments[i].param;
  }
  return false;
}

}  // namespace

struct Router::Impl {
  std::vector<RouteSpec> routes;
  std::vector<std::vector<Compiled>> by_count;  // routes by their number of segments
};

Router::Router(std::vector<RouteSpec> routes) : impl_(std::make_unique<Impl>()) {
  impl_->routes = std::move(routes);
  allow_strings();  // built here, so that match() never allocates
  std::set<std::pair<int, std::string>> shapes;
  for (std::size_t i = 0; i < impl_->routes.size(); ++i) {
    const RouteSpec& spec = impl_->routes[i];
    if (spec.method == Method::kOther) malformed(spec.pattern, "a route needs a known method");
    Compiled c{i, spec.method, parse_pattern(spec.pattern)};
    // The shape: literals as they are, parameters whatever their name and type.
    std::string shape;
    for (const Segment& s : c.segments) shape += s.param ? std::string("\x01") : "/" + s.text;
    if (!shapes.emplace(static_cast<int>(spec.method), shape).second) {
      malformed(spec.pattern,
                std::string("another ") + to_string(spec.method) + " route has the same shape");
    }
    std::size_t n = c.segments.size();
    if (impl_->by_count.size() <= n) impl_->by_count.resize(n + 1);
    impl_->by_count[n].push_back(std::move(c));
  }
}

Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

const std::vector<RouteSpec>& Router::routes() const noexcept {
  return impl_->routes;
}

RouteMatch Router::match(Method method, std::string_view path,
                         std::vector<std::string_view>& params, std::string& scratch) const {
  RouteMatch result;
  params.clear();
  if (path.empty() || path[0] != '/') return result;
  // Decoded segments first, all of them, in `params`; a segment that does not decode is a null
  // view. Decoding never grows text, so the reservation keeps views into scratch valid.
  scratch.clear();
  scratch.reserve(path.size());
  std::string_view rest = path.substr(1);
  for (;;) {
    std::size_t slash = rest.find('/');
    if (params.size() + 1 >= impl_->by_count.size()) {  // longer than any route
      params.clear();
      return result;
    }
    std::size_t at = scratch.size();
    if (append_percent_decoded(rest.substr(0, slash), scratch, false)) {
      params.emplace_back(scratch.data() + at, scratch.size() - at);
    } else {
      scratch.resize(at);
      params.emplace_back();
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }

  const Compiled* found = nullptr;
  const Compiled* bad = nullptr;
  const Segment* bad_segment = nullptr;
  unsigned allowed = 0;
  for (const Compiled& route : impl_->by_count[params.size()]) {
    const Segment* first_bad = nullptr;
    bool literals_match = true;
    for (std::size_t i = 0; i < params.size() && literals_match; ++i) {
      const Segment& seg = route.segments[i];
      std::string_view value = params[i];
      if (!seg.param) {
        literals_match = value.data() != nullptr && value == seg.text;
      } else if (first_bad == nullptr && (value.data() == nullptr || !parses_as(seg.kind, value))) {
        first_bad = &seg;
      }
    }
    if (!literals_match) continue;
    allowed |= method_bit(route.method);
    if (route.method == Method::kGet) allowed |= method_bit(Method::kHead);
    bool same = route.method == method || (method == Method::kHead && route.method == Method::kGet);
    if (!same) continue;
    if (first_bad != nullptr) {
      if (bad == nullptr || more_specific(route, *bad)) {
        bad = &route;
        bad_segment = first_bad;
      }
      continue;
    }
    // An explicit HEAD route beats the GET route of the same shape.
    if (found == nullptr || more_specific(route, *found) ||
        (!more_specific(*found, route) && route.method == method)) {
      found = &route;
    }
  }

  if (found != nullptr) {
    std::size_t k = 0;
    for (std::size_t i = 0; i < found->segments.size(); ++i) {
      if (found->segments[i].param) params[k++] = params[i];
    }
    params.resize(k);
    result.kind = RouteMatch::kFound;
    result.route = found->index;
    return result;
  }
  params.clear();
  if (bad != nullptr) {
    result.kind = RouteMatch::kBadParameter;
    result.route = bad->index;
    result.bad_parameter = bad_segment->text;
    result.bad_kind = bad_segment->kind;
  } else if (allowed != 0) {
    result.kind = RouteMatch::kMethodNotAllowed;
    result.allow = allow_strings()[allowed];
  }
  return result;
}

}  // namespace hallows::http
