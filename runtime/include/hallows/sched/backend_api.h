// backend_api scheduling: requests run to completion, one connection's requests in the order
// submitted, connections served round-robin (one request per connection per turn, so a busy
// connection cannot starve a quiet one), and a bounded queue that sheds load when full.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace hallows::core::detail {
struct PartitionState;
}

namespace hallows::sched {

namespace detail {
class ConnectionQueues;
}

class BackendApi {
 public:
  using Request = std::function<void()>;

  BackendApi(core::detail::PartitionState& partition, int workers);
  ~BackendApi();

  // Queues `request` on the worker that owns `connection` (connection % cores). Returns false,
  // and counts the request as shed, when queue_capacity requests are queued already or the
  // program has finished. Any thread.
  [[nodiscard]] bool submit(std::uint64_t connection, Request request);

  // Requests queued and not yet started, over all workers.
  std::size_t queued() const noexcept { return queued_.load(std::memory_order_relaxed); }

  // Runtime-internal: the worker's queues, and the shed counter.
  detail::ConnectionQueues& queues_of(int worker) noexcept { return *queues_[worker]; }
  void started_one() noexcept { queued_.fetch_sub(1, std::memory_order_relaxed); }
  std::uint64_t shed() const noexcept { return shed_.load(std::memory_order_relaxed); }

 private:
  core::detail::PartitionState& partition_;
  std::vector<std::unique_ptr<detail::ConnectionQueues>> queues_;
  std::atomic<std::size_t> queued_{0};
  std::atomic<std::uint64_t> shed_{0};
};

}  // namespace hallows::sched
