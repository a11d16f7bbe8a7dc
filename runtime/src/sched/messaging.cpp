// messaging: receivers drained in batches (batch_size messages per poll), ready tasks between
// rounds; when nothing arrives the worker busy-polls for busy_poll, then parks until a
// sender's notify() (or park_timeout).
#include "policy.h"
#include "worker.h"

namespace hallows::sched::detail {
namespace {

class MessagingPolicy final : public Policy {
 public:
  explicit MessagingPolicy(Worker& worker) : busy_poll_(worker.partition().spec.busy_poll) {}

  std::size_t round(Worker& w, Clock::time_point) override {
    std::size_t n = w.poll_receivers(w.partition().spec.batch_size);
    n += w.run_ready(64);
    return n;
  }

  std::chrono::nanoseconds busy_poll() const override { return busy_poll_; }

 private:
  std::chrono::nanoseconds busy_poll_;
};

}  // namespace

std::unique_ptr<Policy> make_messaging_policy(Worker& worker) {
  return std::make_unique<MessagingPolicy>(worker);
}

}  // namespace hallows::sched::detail
