// Running tasks on a worker: starting them from their factories, resuming, the awaitables'
// hooks, supervision of failures and restarts, and cancellation at shutdown.
#include <cstdio>
#include <cstdlib>

#include "policy.h"
#include "worker.h"

namespace hallows::sched::detail {

void Worker::begin_slice(const char* what, const char* name) noexcept {
  Clock::time_point now = Clock::now();
  slice_deadline_ = now + partition_.spec.time_slice;
  pub_.what.store(what, std::memory_order_relaxed);
  pub_.name.store(name, std::memory_order_relaxed);
  pub_.seq.store(pub_.seq.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  pub_.start_ns.store(now.time_since_epoch().count(), std::memory_order_release);
}

void Worker::end_slice() noexcept {
  pub_.start_ns.store(0, std::memory_order_release);
}

std::size_t Worker::take_inbox() {
  if (!inbox_nonempty_.load(std::memory_order_acquire)) return 0;
  std::vector<core::detail::TaskSpec*> specs;
  {
    std::lock_guard lock(inbox_mutex_);
    specs.swap(inbox_);
    inbox_nonempty_.store(false, std::memory_order_relaxed);
  }
  for (core::detail::TaskSpec* spec : specs) start_task(spec);
  return specs.size();
}

void Worker::start_task(core::detail::TaskSpec* spec) {
  for (;;) {
    std::exception_ptr error;
    Task task;
    core::set_location(&spec->where);
    begin_slice("task", spec->name.c_str());
    try {
      task = spec->make();
    } catch (...) {
      error = std::current_exception();
    }
    end_slice();
    if (!error) {
      if (!task) {  // nothing to run: finished at once
        partition_.program.live_sub(1);
        return;
      }
      auto record =
          std::make_unique<TaskRecord>(TaskRecord{spec, std::move(task), {}, &spec->where});
      record->resume_at = record->task.handle();
      counters_.add(WorkerCounters::tasks_started);
      ready_.push_back(std::move(record));
      return;
    }
    counters_.add(WorkerCounters::failures);
    std::string what = "task '" + spec->name + "'";
    if (core::detail::handle_failure(partition_, what, core::current_location(), error,
                                     spec->history) == core::detail::Verdict::stop) {
      partition_.program.live_sub(1);
      return;
    }
    counters_.add(WorkerCounters::restarts);
  }
}

std::size_t Worker::run_ready(std::size_t max) {
  std::size_t n = std::min(max, ready_.size());
  for (std::size_t i = 0; i < n; ++i) {
    std::unique_ptr<TaskRecord> record = std::move(ready_.front());
    ready_.pop_front();
    resume(std::move(record));
    if (partition_.program.stopping.load(std::memory_order_relaxed)) return i + 1;
  }
  return n;
}

void Worker::resume(std::unique_ptr<TaskRecord> record) {
  current_ = std::move(record);
  std::coroutine_handle<> h = current_->resume_at;
  current_->resume_at = {};
  core::set_location(current_->loc);
  begin_slice("task", current_->spec->name.c_str());
  h.resume();
  end_slice();
  counters_.add(WorkerCounters::resumes);
  if (!current_) return;  // suspended in one of the runtime's awaitables
  Task::Handle root = current_->task.handle();
  if (root.done()) {
    std::exception_ptr error = root.promise().error;
    finish_task(std::move(current_), error);
  } else {
    // Suspended on an awaitable the runtime does not know: nobody will resume it here.
    current_->loc = core::current_location();
    orphans_.push_back(std::move(current_));
  }
}

void Worker::finish_task(std::unique_ptr<TaskRecord> record, std::exception_ptr error) {
  if (!error) {
    counters_.add(WorkerCounters::tasks_finished);
    partition_.program.live_sub(1);
    return;
  }
  counters_.add(WorkerCounters::failures);
  core::detail::TaskSpec* spec = record->spec;
  const core::SourceLoc* where = core::current_location();
  record.reset();  // the failed frame goes before its replacement is made
  std::string what = "task '" + spec->name + "'";
  if (core::detail::handle_failure(partition_, what, where, error, spec->history) ==
      core::detail::Verdict::stop) {
    partition_.program.live_sub(1);
    return;
  }
  counters_.add(WorkerCounters::restarts);
  start_task(spec);
}

namespace {
[[noreturn]] void misuse(const char* what) {
  std::fprintf(stderr, "parsel: internal error: %s outside a task run by a partition worker\n",
               what);
  std::abort();
}
}  // namespace

void Worker::suspend_yield(std::coroutine_handle<> h) {
  if (!current_) misuse("co_await yield");
  current_->resume_at = h;
  current_->loc = core::current_location();
  ready_.push_back(std::move(current_));
}

void Worker::suspend_sleep(Clock::time_point until, std::coroutine_handle<> h) {
  if (!current_) misuse("co_await sleep_for");
  current_->resume_at = h;
  current_->loc = core::current_location();
  sleepers_.emplace(until, std::move(current_));
}

void Worker::suspend_wait(std::function<bool()> ready, std::coroutine_handle<> h) {
  if (!current_) misuse("co_await wait_until");
  current_->resume_at = h;
  current_->loc = core::current_location();
  waiters_.push_back(Waiter{std::move(current_), std::move(ready)});
}

std::size_t Worker::wake_sleepers(Clock::time_point now) {
  std::size_t n = 0;
  while (!sleepers_.empty() && sleepers_.begin()->first <= now) {
    ready_.push_back(std::move(sleepers_.begin()->second));
    sleepers_.erase(sleepers_.begin());
    ++n;
  }
  return n;
}

std::size_t Worker::check_waiters() {
  std::size_t n = 0;
  for (std::size_t i = 0; i < waiters_.size();) {
    bool ready = false;
    std::exception_ptr error;
    core::set_location(waiters_[i].record->loc);
    try {
      ready = waiters_[i].ready();
    } catch (...) {
      error = std::current_exception();
    }
    if (!ready && !error) {
      ++i;
      continue;
    }
    std::unique_ptr<TaskRecord> record = std::move(waiters_[i].record);
    waiters_.erase(waiters_.begin() + static_cast<std::ptrdiff_t>(i));
    ++n;
    if (error) {
      finish_task(std::move(record), error);
    } else {
      ready_.push_back(std::move(record));
    }
  }
  return n;
}

std::size_t Worker::cancel_tasks() {
  std::size_t n = ready_.size() + sleepers_.size() + waiters_.size() + orphans_.size();
  ready_.clear();
  sleepers_.clear();
  waiters_.clear();
  orphans_.clear();
  std::vector<core::detail::TaskSpec*> never_started;
  {
    std::lock_guard lock(inbox_mutex_);
    never_started.swap(inbox_);
  }
  return n + never_started.size();
}

void Worker::run_unit(const char* what, const std::function<void()>& unit) {
  core::set_location(nullptr);
  begin_slice(what, "");
  std::exception_ptr error;
  try {
    unit();
  } catch (...) {
    error = std::current_exception();
  }
  end_slice();
  if (!error) return;
  counters_.add(WorkerCounters::failures);
  // A failed unit is dropped; `restart` means the partition carries on with the next one.
  if (core::detail::handle_failure(partition_, what, core::current_location(), error,
                                   unit_history_) == core::detail::Verdict::restart) {
    counters_.add(WorkerCounters::restarts);
  }
}

bool Worker::poll_one(ReceiverSlot& slot, std::size_t batch, std::size_t& handled) {
  handled = 0;
  core::Receiver& r = slot.receiver;
  core::set_location(&r.where);
  begin_slice("receiver", r.name.c_str());
  std::exception_ptr error;
  bool finished = false;
  try {
    if (r.poll) handled = r.poll(batch);
    if (handled == 0 && r.done && r.done()) {
      finished = true;
      if (r.on_closed) r.on_closed();
    }
  } catch (...) {
    error = std::current_exception();
  }
  end_slice();
  if (handled > 0) {
    counters_.add(WorkerCounters::messages, handled);
    counters_.add(WorkerCounters::batches);
  }
  if (error) {
    counters_.add(WorkerCounters::failures);
    std::string what = "receiver '" + r.name + "'";
    if (core::detail::handle_failure(partition_, what, core::current_location(), error,
                                     slot.history) == core::detail::Verdict::restart) {
      counters_.add(WorkerCounters::restarts);
      if (!r.reset) return true;
      core::set_location(&r.where);
      try {
        r.reset();
        return true;
      } catch (...) {
        core::detail::handle_failure(partition_, what, core::current_location(),
                                     std::current_exception(), slot.history);
        partition_.program.request_stop(true);  // a receiver that cannot restart
      }
    }
    finished = true;
  }
  if (finished) {
    slot.finished = true;
    partition_.program.live_sub(1);
    return false;
  }
  return true;
}

std::size_t Worker::poll_receivers(std::size_t batch) {
  std::size_t total = 0;
  for (ReceiverSlot& slot : receivers_) {
    if (slot.finished) continue;
    std::size_t handled = 0;
    poll_one(slot, batch, handled);
    total += handled;
    if (partition_.program.stopping.load(std::memory_order_relaxed)) break;
  }
  return total;
}

}  // namespace hallows::sched::detail

// The entry points task.h declares.
namespace hallows::sched {
namespace detail {

void* allocate_frame(std::size_t size) {
  // Each frame starts with a header naming its arena (null: global new), 16 bytes to keep the
  // frame's alignment.
  constexpr std::size_t kHeader = 16;
  core::Arena* arena = core::Arena::current();
  void* block = arena ? arena->allocate(size + kHeader) : ::operator new(size + kHeader);
  auto* header = static_cast<core::Arena**>(block);
  header[0] = arena;
  reinterpret_cast<std::size_t*>(block)[1] = size + kHeader;
  return static_cast<std::byte*>(block) + kHeader;
}

void free_frame(void* frame) noexcept {
  if (frame == nullptr) return;
  void* block = static_cast<std::byte*>(frame) - 16;
  core::Arena* arena = static_cast<core::Arena**>(block)[0];
  std::size_t size = reinterpret_cast<std::size_t*>(block)[1];
  if (arena) {
    arena->deallocate(block, size);
  } else {
    ::operator delete(block);
  }
}

bool on_worker() noexcept {
  return current_worker() != nullptr;
}

bool slice_expired() noexcept {
  Worker* w = current_worker();
  return w != nullptr && w->slice_expired();
}

void suspend_yield(std::coroutine_handle<> h) {
  current_worker()->suspend_yield(h);
}

void suspend_sleep(std::chrono::steady_clock::time_point until, std::coroutine_handle<> h) {
  current_worker()->suspend_sleep(until, h);
}

void suspend_wait(std::function<bool()> ready, std::coroutine_handle<> h) {
  current_worker()->suspend_wait(std::move(ready), h);
}

}  // namespace detail

bool stop_requested() noexcept {
  detail::Worker* w = detail::current_worker();
  return w != nullptr && w->partition().program.stopping.load(std::memory_order_relaxed);
}

std::chrono::steady_clock::time_point stop_deadline() noexcept {
  using Clock = std::chrono::steady_clock;
  detail::Worker* w = detail::current_worker();
  if (w == nullptr) return Clock::time_point::max();
  core::detail::ProgramState& program = w->partition().program;
  if (!program.stopping.load(std::memory_order_acquire)) return Clock::time_point::max();
  return Clock::time_point(
      Clock::duration(program.stop_deadline_ns.load(std::memory_order_acquire)));
}

}  // namespace hallows::sched
