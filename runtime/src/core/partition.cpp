#include <stdexcept>

#include "../sched/worker.h"
#include "state.h"

namespace hallows::core {

Partition::Partition(std::unique_ptr<detail::PartitionState> state) : state_(std::move(state)) {
  state_->self = this;
}

Partition::~Partition() = default;

void Partition::spawn(std::string name, SourceLoc where, std::function<sched::Task()> make) {
  detail::TaskSpec* spec;
  {
    std::lock_guard lock(state_->tasks_mutex);
    spec =
        &state_->tasks.emplace_back(detail::TaskSpec{std::move(name), where, std::move(make), {}});
  }
  state_->program.live_add(1);
  unsigned i = state_->next_worker.fetch_add(1, std::memory_order_relaxed);
  state_->workers[i % state_->workers.size()]->post_spawn(spec);
}

void Partition::add_receiver(Receiver receiver) {
  if (state_->program.running.load(std::memory_order_acquire))
    throw std::logic_error("Partition::add_receiver after Program::run() started");
  state_->program.live_add(1);
  unsigned i = receiver.worker >= 0 ? static_cast<unsigned>(receiver.worker)
                                    : state_->next_worker.fetch_add(1, std::memory_order_relaxed);
  state_->workers[i % state_->workers.size()]->add_receiver(std::move(receiver));
}

void Partition::notify() noexcept {
  state_->parker.notify();
}

const std::string& Partition::name() const noexcept {
  return state_->spec.name;
}

const PartitionSpec& Partition::spec() const noexcept {
  return state_->spec;
}

PartitionMetrics Partition::metrics() const noexcept {
  PartitionMetrics m;
  for (const auto& worker : state_->workers) {
    const sched::detail::Worker& w = *worker;
    w.counters().add_to(m);
    ArenaStats arena = w.arena_stats();
    m.arena_allocations += arena.allocations;
    m.arena_bytes_reserved += arena.bytes_reserved;
  }
  if (state_->backend) m.shed = state_->backend->shed();
  return m;
}

namespace {
[[noreturn]] void wrong_kind(const PartitionSpec& spec, const char* wanted) {
  throw std::logic_error("partition '" + spec.name + "' has the " + to_string(spec.scheduler) +
                         " scheduler, not " + wanted);
}
}  // namespace

sched::BackendApi& Partition::backend_api() {
  if (!state_->backend) wrong_kind(state_->spec, "backend_api");
  return *state_->backend;
}

sched::Database& Partition::database() {
  if (!state_->database) wrong_kind(state_->spec, "database");
  return *state_->database;
}

sched::Ui& Partition::ui() {
  if (!state_->ui) wrong_kind(state_->spec, "ui");
  return *state_->ui;
}

}  // namespace hallows::core
