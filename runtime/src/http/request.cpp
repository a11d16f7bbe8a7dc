#include "hallows/http/request.h"

#include "ascii.h"

namespace hallows::http {

Method method_from(std::string_view token) noexcept {
  // Methods are case-sensitive (RFC 9110 9.1): "get" is some other method.
  switch (token.size()) {
    case 3:
      if (token == "GET") return Method::kGet;
      if (token == "PUT") return Method::kPut;
      break;
    case 4:
      if (token == "HEAD") return Method::kHead;
      if (token == "POST") return Method::kPost;
      break;
    case 5:
      if (token == "PATCH") return Method::kPatch;
      break;
    case 6:
      if (token == "DELETE") return Method::kDelete;
      break;
    case 7:
      if (token == "OPTIONS") return Method::kOptions;
      break;
    default:
      break;
  }
  return Method::kOther;
}

const char* to_string(Method method) noexcept {
  switch (method) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
    case Method::kOptions:
      return "OPTIONS";
    case Method::kOther:
      break;
  }
  return "OTHER";
}

std::optional<std::string_view> Request::header(std::string_view name) const noexcept {
  for (const Header& h : headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return std::nullopt;
}

}  // namespace hallows::http
