// A partition: a set of cores with one scheduler, its tasks and receivers, supervised as one.
// Built by Program::add_partition; its reference stays valid for the Program's life.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "hallows/core/location.h"
#include "hallows/core/metrics.h"
#include "hallows/core/spec.h"
#include "hallows/sched/task.h"

namespace hallows::sched {
class BackendApi;
class Database;
class Ui;
}  // namespace hallows::sched

namespace hallows::core {

namespace detail {
struct PartitionState;
}

class Partition {
 public:
  explicit Partition(std::unique_ptr<detail::PartitionState> state);
  ~Partition();
  Partition(const Partition&) = delete;
  Partition& operator=(const Partition&) = delete;

  // Adds a task, placed round-robin on the partition's workers. make() runs on that worker when
  // the program starts (or at once, when it runs already), and again on each restart. Any thread.
  void spawn(std::string name, SourceLoc where, std::function<sched::Task()> make);

  // Adds a receiver, placed round-robin on the workers (or on worker `receiver.worker` when
  // set); it stays on that one worker. Call before Program::run().
  void add_receiver(Receiver receiver);

  // Wakes the partition's workers if they are parked. Senders call it after publishing; when no
  // worker is parked it costs a fence and a load.
  void notify() noexcept;

  const std::string& name() const noexcept;
  const PartitionSpec& spec() const noexcept;
  PartitionMetrics metrics() const noexcept;

  // The policy-specific queues; std::logic_error when the partition has another scheduler.
  sched::BackendApi& backend_api();
  sched::Database& database();
  sched::Ui& ui();

  // Runtime-internal.
  detail::PartitionState& state() noexcept { return *state_; }

 private:
  std::unique_ptr<detail::PartitionState> state_;
};

}  // namespace hallows::core
