// A Basilisk service: an HTTP/1.1 server on the cores of one partition.
//
// start() binds one SO_REUSEPORT listening socket per core of the partition (on the main
// thread, before Program::run) and adds one event-loop receiver per socket to the partition;
// each loop runs on its own worker, owns its connections, and never takes a lock on the request
// path. A worker with nothing to do sleeps in epoll_wait on its loop's fds (and wakes for the
// partition's other work). Handlers run to completion on the worker, one request at a time per
// connection, responses in request order (pipelining). On program stop the listeners close,
// requests already received are answered, idle connections close, and the loops finish within
// the program's shutdown_timeout. See docs/basilisk.md.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hallows/http/limits.h"
#include "hallows/http/request.h"
#include "hallows/http/router.h"

namespace hallows::core {
class Partition;
}

namespace hallows::http {

// One request being answered: what a generated route handler reads and fills.
class Exchange {
 public:
  const Request& request() const noexcept { return *request_; }
  std::string_view body() const noexcept { return request_->body; }
  // The i-th path parameter of the route's pattern, percent-decoded (already checked to parse
  // as the parameter's type by the router).
  std::string_view path_param(std::size_t i) const noexcept { return (*params_)[i]; }
  // The first value of a query parameter, percent-decoded; empty when absent.
  std::optional<std::string> query_param(std::string_view name) const;

  // Answers. The first answer wins; later calls are ignored. A handler that returns without
  // answering gets 500 (and a report line naming the route).
  void reply_json(int status, std::string_view json);  // application/json
  void reply_empty(int status);                        // 204 and the like
  void reply(int status, std::string_view content_type, std::string_view body);
  // An RFC 9457 problem (see response.h problem_json); instance is the request's path.
  void reply_problem(int status, std::string_view detail, std::string_view field = {},
                     std::string_view rule = {});
  bool replied() const noexcept { return replied_; }
  // Claims the answer for an application/json body written in place (reply_json_value in
  // json_reply.h): the answer's body buffer, empty with its capacity kept, or null when the
  // exchange has an answer already.
  std::string* claim_json(int status) noexcept;

  // Runtime-internal: set up by the server for each request.
  struct Answer {
    int status = 0;
    std::string_view content_type;
    std::string body;
  };
  void begin(const Request* request, const std::vector<std::string_view>* params) noexcept;
  Answer& answer() noexcept { return answer_; }

 private:
  const Request* request_ = nullptr;
  const std::vector<std::string_view>* params_ = nullptr;
  Answer answer_;
  bool replied_ = false;
};

enum class AccessLog { kOff, kStderr, kFile };

struct ServiceSpec {
  std::string name;  // the .pt service name: metrics labels, logs
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (every core's socket then shares it)
  Limits limits;
  std::vector<RouteSpec> routes;
  // One JSON line per request: {"ts":"...","service":"...","method":"GET","path":"/orders/7",
  // "route":"/orders/{order_id: i64}","status":200,"bytes":123,"us":42,"peer":"127.0.0.1:5312"}.
  // Buffered per core and written at most every 100 ms or 64 KiB.
  AccessLog access_log = AccessLog::kOff;
  std::string access_log_path;  // kFile
  // Where report lines go ("basilisk: OrderApi listening on 127.0.0.1:8080 (2 cores)", errors).
  std::function<void(std::string_view)> report;
};

class Service {
 public:
  // Binds and registers the loops; on failure returns null and sets `error` (address in use,
  // bad host, ...). Must be called before Program::run().
  static std::unique_ptr<Service> start(core::Partition& partition, ServiceSpec spec,
                                        std::string& error);
  ~Service();
  int port() const noexcept;  // the bound port (useful with port 0)
  const ServiceSpec& spec() const noexcept;

  struct State;

 private:
  explicit Service(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace hallows::http
