// backend_api: per-connection FIFO queues served round-robin, bounded, run to completion.
#include "hallows/sched/backend_api.h"

#include <atomic>
#include <deque>
#include <mutex>
#include <unordered_map>

#include "policy.h"
#include "worker.h"

namespace hallows::sched {
namespace detail {

// One worker's requests. `turn` lists each connection with queued requests exactly once; the
// worker takes one request from the front connection and moves it to the back.
class ConnectionQueues {
 public:
  void push(std::uint64_t connection, BackendApi::Request request) {
    std::lock_guard lock(mutex_);
    std::deque<BackendApi::Request>& queue = by_connection_[connection];
    if (queue.empty()) turn_.push_back(connection);
    queue.push_back(std::move(request));
    turn_size_.store(turn_.size(), std::memory_order_seq_cst);
  }

  // The next request in connection round-robin order, or an empty function.
  BackendApi::Request take() {
    std::lock_guard lock(mutex_);
    if (turn_.empty()) return {};
    std::uint64_t connection = turn_.front();
    turn_.pop_front();
    auto it = by_connection_.find(connection);
    BackendApi::Request request = std::move(it->second.front());
    it->second.pop_front();
    if (it->second.empty()) {
      by_connection_.erase(it);
    } else {
      turn_.push_back(connection);
    }
    turn_size_.store(turn_.size(), std::memory_order_seq_cst);
    return request;
  }

  // How many connections have requests queued: the length of one fair turn. Lock-free, so an
  // idle worker's rounds (an HTTP loop polling) do not take the mutex; seq_cst pairs with the
  // Parker's fence (a push is seen by the worker's poll after prepare(), or its notify wakes it).
  std::size_t connections() const { return turn_size_.load(std::memory_order_seq_cst); }

  std::size_t clear() {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (auto& [connection, queue] : by_connection_) n += queue.size();
    by_connection_.clear();
    turn_.clear();
    turn_size_.store(0, std::memory_order_seq_cst);
    return n;
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::deque<BackendApi::Request>> by_connection_;  // guarded
  std::deque<std::uint64_t> turn_;         // guarded by mutex_
  std::atomic<std::size_t> turn_size_{0};  // turn_.size(), written under mutex_
};

namespace {

class BackendApiPolicy final : public Policy {
 public:
  explicit BackendApiPolicy(Worker& worker) : worker_(worker) {}

  std::size_t round(Worker& w, Clock::time_point) override {
    core::detail::PartitionState& p = w.partition();
    std::size_t n = w.run_ready(64);
    n += w.poll_receivers(p.spec.batch_size);
    // One turn: at most one request from each connection that has some.
    ConnectionQueues& queues = p.backend->queues_of(w.index());
    std::size_t turn = std::min<std::size_t>(queues.connections(), 256);
    for (std::size_t i = 0; i < turn; ++i) {
      BackendApi::Request request = queues.take();
      if (!request) break;
      p.backend->started_one();
      w.run_unit("request", request);
      w.counters().add(WorkerCounters::requests);
      p.program.live_sub(1);
      ++n;
      if (p.program.stopping.load(std::memory_order_relaxed)) break;
    }
    return n;
  }

  std::size_t drop_pending() override {
    core::detail::PartitionState& p = worker_.partition();
    std::size_t n = p.backend->queues_of(worker_.index()).clear();
    for (std::size_t i = 0; i < n; ++i) p.backend->started_one();
    p.program.live_sub(static_cast<std::int64_t>(n));
    return n;
  }

 private:
  Worker& worker_;
};

}  // namespace

std::unique_ptr<Policy> make_backend_api_policy(Worker& worker) {
  return std::make_unique<BackendApiPolicy>(worker);
}

}  // namespace detail

BackendApi::BackendApi(core::detail::PartitionState& partition, int workers)
    : partition_(partition) {
  for (int i = 0; i < workers; ++i) queues_.push_back(std::make_unique<detail::ConnectionQueues>());
}

BackendApi::~BackendApi() = default;

bool BackendApi::submit(std::uint64_t connection, Request request) {
  core::detail::ProgramState& program = partition_.program;
  std::size_t capacity = partition_.spec.queue_capacity;
  bool over = queued_.fetch_add(1, std::memory_order_relaxed) >= capacity;
  if (over || program.finished.load(std::memory_order_acquire) ||
      program.stopping.load(std::memory_order_acquire)) {
    queued_.fetch_sub(1, std::memory_order_relaxed);
    shed_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  program.live_add(1);
  queues_[connection % queues_.size()]->push(connection, std::move(request));
  partition_.parker.notify();
  return true;
}

}  // namespace hallows::sched
