// The stall detector: a thread that looks at every worker a few times per stall bound and
// reports, once per slice, a task (or receiver, or unit) that has run longer than its
// partition's stall_bound without suspending, with the .pt location it is at. The same thread
// flushes stdout every 100 ms while the program runs.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace hallows::core::detail {

struct ProgramState;

class StallMonitor {
 public:
  explicit StallMonitor(ProgramState& program);
  ~StallMonitor();  // stops and joins the thread
  StallMonitor(const StallMonitor&) = delete;
  StallMonitor& operator=(const StallMonitor&) = delete;

 private:
  void run();
  void check();

  ProgramState& program_;
  std::vector<std::uint64_t> reported_seq_;  // per worker: the slice last reported
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace hallows::core::detail
