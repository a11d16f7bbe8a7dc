#include "supervisor.h"

#include <fmt/format.h>

#include "state.h"

namespace hallows::core::detail {

std::string describe_error(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

namespace {
std::string seconds(std::chrono::nanoseconds d) {
  return fmt::format("{:g} s", std::chrono::duration<double>(d).count());
}
}  // namespace

Verdict handle_failure(PartitionState& partition, std::string_view what, const SourceLoc* where,
                       std::exception_ptr error, RestartHistory& history) {
  ProgramState& program = partition.program;
  const PartitionSpec& spec = partition.spec;
  std::string head = fmt::format("parsel: partition '{}' {} failed at {}: {}", spec.name, what,
                                 describe(where), describe_error(error));
  if (program.stopping.load(std::memory_order_acquire)) {
    program.report(head + "; the program is stopping");
    if (spec.on_failure == OnFailure::stop_program) program.request_stop(true);
    return Verdict::stop;
  }
  if (spec.on_failure == OnFailure::stop_program) {
    program.report(head + "; stopping the program (on_failure: stop_program)");
    program.request_stop(true);
    return Verdict::stop;
  }
  auto now = std::chrono::steady_clock::now();
  while (!history.restarts.empty() && now - history.restarts.front() > spec.restart_window)
    history.restarts.pop_front();
  if (static_cast<int>(history.restarts.size()) >= spec.max_restarts) {
    program.report(
        fmt::format("{}; restarted {} times within {} already (the limit), stopping the program",
                    head, history.restarts.size(), seconds(spec.restart_window)));
    program.request_stop(true);
    return Verdict::stop;
  }
  history.restarts.push_back(now);
  program.report(
      fmt::format("{}; restarting ({} of {})", head, history.restarts.size(), spec.max_restarts));
  return Verdict::restart;
}

}  // namespace hallows::core::detail
