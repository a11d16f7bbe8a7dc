// Program::run(): the core check, start-up, the start-up report, waiting, and shutdown.
#include "hallows/core/program.h"

#include <chrono>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "../sched/worker.h"
#include "cores.h"
#include "signals.h"
#include "stall_monitor.h"
#include "state.h"

namespace hallows::core {
namespace {

using Clock = std::chrono::steady_clock;
using detail::ProgramState;
using sched::detail::SetupResult;

// Workers report their set-up here, then wait until run() has printed the start-up report.
struct StartGate {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<SetupResult> results;  // guarded by mutex
  std::size_t arrived = 0;           // guarded by mutex
  int state = 0;                     // 0 waiting, 1 go, 2 abort; guarded by mutex

  bool arrive(std::size_t index, const SetupResult& result) {
    std::unique_lock lock(mutex);
    results[index] = result;
    ++arrived;
    cv.notify_all();
    cv.wait(lock, [&] { return state != 0; });
    return state == 1;
  }
};

std::string signal_name(int signal) {
  return signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : fmt::format("{}", signal);
}

// Lines of the start-up report, problems last.
std::vector<std::string> startup_report(const ProgramState& st, const detail::CoreAssignment& a,
                                        const std::vector<int>& cpus,
                                        const std::vector<SetupResult>& results) {
  std::vector<std::string> lines, problems;
  int declared = 0;
  for (auto& p : st.partitions) declared += static_cast<int>(p->state().workers.size());
  lines.push_back(
      fmt::format("parsel: starting '{}': {} partition(s), {} core(s) declared; the "
                  "process may use cpus {}",
                  st.spec.name, st.partitions.size(), declared, detail::format_cpus(cpus)));
  if (a.oversubscribed) {
    problems.push_back(fmt::format(
        "parsel: warning: {} cores declared but only {} present: partitions share cores "
        "(allow_oversubscription is set)",
        declared, cpus.size()));
  }
  std::size_t slot = 0;
  for (std::size_t i = 0; i < st.partitions.size(); ++i) {
    const PartitionSpec& spec = st.partitions[i]->spec();
    bool realtime = spec.priority == Priority::realtime;
    bool granted = realtime;
    std::string pin_error, rt_error;
    for (std::size_t w = 0; w < a.cpus[i].size(); ++w, ++slot) {
      const SetupResult& r = results[slot];
      if (!r.pinned && pin_error.empty()) pin_error = r.pin_error;
      if (realtime && !r.realtime) {
        granted = false;
        if (rt_error.empty()) rt_error = r.realtime_error;
      }
    }
    std::string priority =
        !realtime ? "normal priority"
        : granted ? fmt::format("realtime priority (SCHED_FIFO {})", spec.realtime_priority)
                  : "normal priority (realtime not granted)";
    lines.push_back(fmt::format("parsel:   partition '{}' ({}): cpus {}, {}", spec.name,
                                to_string(spec.scheduler), detail::format_cpus(a.cpus[i]),
                                priority));
    if (!pin_error.empty())
      problems.push_back(
          fmt::format("parsel: warning: partition '{}' is not pinned: {}", spec.name, pin_error));
    if (realtime && !granted)
      problems.push_back(fmt::format(
          "parsel: warning: partition '{}' asked for realtime priority but could not get "
          "SCHED_FIFO: {}; it runs at normal priority",
          spec.name, rt_error));
  }
  lines.push_back(fmt::format("parsel:   cores left to the rest of the system: {}",
                              detail::format_cpus(a.left)));
  lines.insert(lines.end(), problems.begin(), problems.end());
  return lines;
}

}  // namespace

Program::Program(ProgramSpec spec) : state_(std::make_shared<ProgramState>(std::move(spec))) {}

// Worker threads still running after a shutdown timeout hold their own reference to the state.
Program::~Program() = default;

Partition& Program::add_partition(PartitionSpec spec) {
  if (state_->running.load()) throw std::logic_error("Program::add_partition after run()");
  auto partition_state = std::make_unique<detail::PartitionState>(*state_, std::move(spec));
  state_->partitions.push_back(std::make_unique<Partition>(std::move(partition_state)));
  return *state_->partitions.back();
}

void Program::request_stop() noexcept {
  state_->request_stop(false);
}

int Program::available_cores() {
  return static_cast<int>(detail::allowed_cpus().size());
}

int Program::run() {
  ProgramState& st = *state_;
  if (st.running.load()) throw std::logic_error("Program::run() called twice");
  std::vector<int> cpus = detail::allowed_cpus();
  std::vector<int> declared;
  for (auto& p : st.partitions) declared.push_back(static_cast<int>(p->state().workers.size()));
  auto assignment = detail::assign_cores(declared, cpus, st.spec.allow_oversubscription);
  if (!assignment) {
    int total = 0;
    std::string parts;
    for (auto& p : st.partitions) {
      total += static_cast<int>(p->state().workers.size());
      parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", p->name(), p->spec().cores);
    }
    st.report(fmt::format(
        "parsel: cannot start '{}': its partitions declare {} cores ({}) but this machine "
        "gives the process {} (cpus {}). Declare fewer cores, or allow oversubscription in "
        "the manifest to let partitions share cores.",
        st.spec.name, total, parts, cpus.size(), detail::format_cpus(cpus)));
    return kExitRefused;
  }
  st.running.store(true);
  if (st.stopping.load()) {
    // Stopped before it ran: the shutdown timeout counts from now.
    st.stop_deadline_ns.store((Clock::now() + st.spec.shutdown_timeout).time_since_epoch().count());
  }
  detail::SignalGuard signals;
  auto gate = std::make_shared<StartGate>();
  std::vector<sched::detail::Worker*> workers;
  for (std::size_t i = 0; i < st.partitions.size(); ++i) {
    for (auto& w : st.partitions[i]->state().workers) workers.push_back(w.get());
  }
  gate->results.resize(workers.size());
  std::vector<std::thread> threads;
  std::size_t slot = 0;
  for (std::size_t i = 0; i < st.partitions.size(); ++i) {
    detail::PartitionState& p = st.partitions[i]->state();
    p.cpus = assignment->cpus[i];
    for (std::size_t w = 0; w < p.workers.size(); ++w, ++slot) {
      threads.emplace_back(
          [state = state_, gate, worker = p.workers[w].get(), cpu = p.cpus[w], slot] {
            (void)state;  // held so the program's state outlives a worker left running
            worker->main(cpu, [&](const SetupResult& r) { return gate->arrive(slot, r); });
          });
    }
  }
  {
    std::unique_lock lock(gate->mutex);
    gate->cv.wait(lock, [&] { return gate->arrived == workers.size(); });
    for (const std::string& line : startup_report(st, *assignment, cpus, gate->results))
      st.report(line);
  }
  std::optional<detail::StallMonitor> monitor;
  monitor.emplace(st);
  {
    std::lock_guard lock(gate->mutex);
    gate->state = 1;
  }
  gate->cv.notify_all();

  // Wait for the end: everything finished, a stop (request, failure or signal).
  {
    std::unique_lock lock(st.wait_mutex);
    for (;;) {
      if (int signal = detail::SignalGuard::received();
          signal != 0 && !st.stopping.load(std::memory_order_acquire)) {
        lock.unlock();
        st.report(fmt::format("parsel: received {}: stopping every partition (timeout {} ms)",
                              signal_name(signal), st.spec.shutdown_timeout.count()));
        st.request_stop(false);
        lock.lock();
      }
      if (st.stopping.load(std::memory_order_acquire)) break;
      if (!st.spec.serve_until_stopped && st.live.load(std::memory_order_acquire) <= 0) {
        st.finished.store(true, std::memory_order_release);
        break;
      }
      st.wait_cv.wait_for(lock, std::chrono::milliseconds(10));
    }
  }
  st.wake_all_partitions();

  // Wait for the workers; past the shutdown deadline, leave the stuck ones running.
  Clock::time_point deadline = Clock::time_point::max();
  if (!st.finished.load()) {
    deadline = Clock::time_point(Clock::duration(st.stop_deadline_ns.load()));
  }
  auto all_exited = [&] {
    for (auto* w : workers)
      if (!w->exited()) return false;
    return true;
  };
  {
    std::unique_lock lock(st.wait_mutex);
    while (!all_exited() && Clock::now() < deadline) {
      st.wait_cv.wait_until(lock, std::min(deadline, Clock::now() + std::chrono::milliseconds(10)));
    }
  }
  std::size_t index = 0;
  for (std::size_t i = 0; i < st.partitions.size(); ++i) {
    std::size_t stuck = 0;
    std::string where;
    for (auto& w : st.partitions[i]->state().workers) {
      if (w->exited()) {
        threads[index].join();
      } else {
        ++stuck;
        threads[index].detach();
        sched::detail::SlicePublication& pub = w->publication();
        std::lock_guard lock(pub.slot_mutex);
        if (pub.location_slot && where.empty())
          where = describe(pub.location_slot->load(std::memory_order_relaxed));
      }
      ++index;
    }
    if (stuck > 0) {
      st.report(fmt::format(
          "parsel: shutdown: partition '{}' did not stop within {} ms ({} worker(s) still "
          "running, last at {}); leaving it running",
          st.partitions[i]->name(), st.spec.shutdown_timeout.count(), stuck,
          where.empty() ? "an unknown location" : where));
    }
  }
  monitor.reset();
  return st.failed.load() ? kExitFailure : kExitOk;
}

}  // namespace hallows::core
