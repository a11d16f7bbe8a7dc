// The Exchange methods a generated handler calls (service.h). The server owns the Exchange of a
// connection and calls begin() for each request, so the answer's body keeps its capacity.
#include "hallows/http/params.h"
#include "hallows/http/response.h"
#include "hallows/http/service.h"

namespace hallows::http {

void Exchange::begin(const Request* request, const std::vector<std::string_view>* params) noexcept {
  request_ = request;
  params_ = params;
  answer_.status = 0;
  answer_.content_type = {};
  answer_.body.clear();
  replied_ = false;
}

std::optional<std::string> Exchange::query_param(std::string_view name) const {
  return query_value(request_->query, name);
}

void Exchange::reply_json(int status, std::string_view json) {
  reply(status, "application/json", json);
}

void Exchange::reply_empty(int status) {
  reply(status, {}, {});
}

void Exchange::reply(int status, std::string_view content_type, std::string_view body) {
  if (replied_) return;
  replied_ = true;
  answer_.status = status;
  answer_.content_type = content_type;
  answer_.body.assign(body.data(), body.size());
}

std::string* Exchange::claim_json(int status) noexcept {
  if (replied_) return nullptr;
  replied_ = true;
  answer_.status = status;
  answer_.content_type = "application/json";
  answer_.body.clear();
  return &answer_.body;
}

void Exchange::reply_problem(int status, std::string_view detail, std::string_view field,
                             std::string_view rule) {
  if (replied_) return;
  replied_ = true;
  answer_.status = status;
  answer_.content_type = "application/problem+json";
  answer_.body = problem_json(status, detail, request_->path, field, rule);
}

}  // namespace hallows::http
