// Supervision: what happens when a task, receiver or queued unit of a partition fails (throws,
// or panics on a worker thread, which throws hallows::Panic).
#pragma once

#include <chrono>
#include <deque>
#include <exception>
#include <string>
#include <string_view>

#include "hallows/core/location.h"

namespace hallows::core::detail {

struct PartitionState;

// The restarts of one task (or receiver) inside the partition's restart window. Owned and
// touched by the worker that runs the task.
struct RestartHistory {
  std::deque<std::chrono::steady_clock::time_point> restarts;
};

enum class Verdict { restart, stop };

// Reports the failure (one line, with `where` and the error's message) and decides from the
// partition's on_failure and restart limit. `what` names the failing thing: "task 'produce'",
// "receiver 'readings'", "request". On Verdict::stop with on_failure = stop_program, or past
// the restart limit, it begins the program's stop with exit status 70. While the program is
// stopping nothing restarts.
Verdict handle_failure(PartitionState& partition, std::string_view what, const SourceLoc* where,
                       std::exception_ptr error, RestartHistory& history);

// The message of an exception: what() for std::exception (hallows::Panic included).
std::string describe_error(std::exception_ptr error);

}  // namespace hallows::core::detail
