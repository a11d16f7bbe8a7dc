// The broker's request handlers for the APIs it answers itself (groups go to the
// GroupCoordinator). A handler decodes the body, does the work against the Log and returns
// the response body now, no response (Produce acks=0), a PendingResponse the event loop
// completes later (Produce waiting for durability, Fetch long-polling), or "close" with the
// reason to log when the body does not decode. Handlers run on the event-loop thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "hallows/log/broker.h"
#include "hallows/log/log.h"
#include "kafka_request.h"

namespace hallows::log::kafka {

using Clock = std::chrono::steady_clock;

struct BrokerContext {
  Log& log;
  const BrokerConfig& config;
  std::string advertised_host;
  int port = 0;
  std::function<void(std::string_view)> report;  // never empty
};

// A response that waits: poll() is called when a partition it watches advanced (Log listener)
// and when its deadline passes; it returns true with the body filled when the response is due.
class PendingResponse {
 public:
  virtual ~PendingResponse() = default;
  virtual bool poll(Clock::time_point now, ResponseBody& out) = 0;
  Clock::time_point deadline;
};

struct HandleResult {
  enum class Kind { respond, no_response, pending, close };
  Kind kind = Kind::respond;
  ResponseBody body;
  std::unique_ptr<PendingResponse> pending;
  std::string reason;  // Kind::close: why the body was refused
};

inline HandleResult close_result(std::string reason) {
  HandleResult r;
  r.kind = HandleResult::Kind::close;
  r.reason = std::move(reason);
  return r;
}

// Kafka's legal topic names: 1-249 characters of [a-zA-Z0-9._-], not "." or "..". Also what
// keeps an auto-created topic's folder inside the data directory.
bool valid_topic_name(std::string_view name) noexcept;

HandleResult handle_api_versions(BrokerContext& ctx, const RequestHeader& header,
                                 std::span<std::byte> body);
HandleResult handle_metadata(BrokerContext& ctx, const RequestHeader& header,
                             std::span<std::byte> body);
// `body` is mutable: the record sets are appended in place (the log rewrites baseOffset).
HandleResult handle_produce(BrokerContext& ctx, const RequestHeader& header,
                            std::span<std::byte> body);
HandleResult handle_fetch(BrokerContext& ctx, const RequestHeader& header,
                          std::span<std::byte> body);
HandleResult handle_list_offsets(BrokerContext& ctx, const RequestHeader& header,
                                 std::span<std::byte> body);

}  // namespace hallows::log::kafka
