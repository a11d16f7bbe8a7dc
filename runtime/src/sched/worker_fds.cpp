// Sleeping in epoll: a worker whose receivers have a wait_fd (an HTTP loop's epoll fd, a pipe)
// sleeps on those fds and on an eventfd of its own that the partition's Parker writes, so that
// input on a receiver's fd and a notify() or stop both wake it at once.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "worker.h"

namespace hallows::sched::detail {

void Worker::open_wait_set() {
  bool wanted = false;
  for (const ReceiverSlot& slot : receivers_) wanted = wanted || slot.receiver.wait_fd >= 0;
  if (!wanted) return;
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) {
    partition_.program.report("parsel: partition '" + partition_.spec.name +
                              "': cannot make an epoll set (" + std::strerror(errno) +
                              "); its event loops are polled every park_timeout");
    close_wait_set();
    return;
  }
  epoll_event ev{};
  ev.events = EPOLLIN;  // level-triggered: readable until the eventfd is read
  ev.data.fd = wake_fd_;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  for (const ReceiverSlot& slot : receivers_) {
    int fd = slot.receiver.wait_fd;
    if (fd < 0) continue;
    fd_busy_poll_ = std::max(fd_busy_poll_, slot.receiver.busy_poll);
    ev.events = EPOLLIN;  // level-triggered: the receiver may leave input for its next poll
    ev.data.fd = fd;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0 && errno != EEXIST) {
      partition_.program.report("parsel: partition '" + partition_.spec.name + "' receiver '" +
                                slot.receiver.name + "': cannot wait on fd " + std::to_string(fd) +
                                ": " + std::strerror(errno));
    }
  }
  partition_.parker.add_wake_fd(wake_fd_);
}

void Worker::close_wait_set() {
  if (wake_fd_ >= 0) {
    partition_.parker.remove_wake_fd(wake_fd_);
    ::close(wake_fd_);
    wake_fd_ = -1;
  }
  if (epoll_fd_ >= 0) {
    ::close(epoll_fd_);
    epoll_fd_ = -1;
  }
}

void Worker::sleep_on_fds(Clock::time_point deadline) {
  Clock::duration left = deadline - Clock::now();
  if (left < Clock::duration::zero()) left = Clock::duration::zero();
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
  timespec timeout{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
  epoll_event events[16];
  int n = ::epoll_pwait2(epoll_fd_, events, 16, &timeout, nullptr);
  for (int i = 0; i < n; ++i) {
    if (events[i].data.fd != wake_fd_) continue;
    std::uint64_t count = 0;
    [[maybe_unused]] ssize_t r = ::read(wake_fd_, &count, sizeof count);
  }
}

void Worker::drain_fd_receivers(Clock::time_point deadline) {
  for (;;) {
    std::size_t total = 0;
    bool left = false;
    for (ReceiverSlot& slot : receivers_) {
      if (slot.receiver.wait_fd < 0 || slot.finished) continue;
      std::size_t handled = 0;
      poll_one(slot, partition_.spec.batch_size, handled);
      total += handled;
      left = left || !slot.finished;
    }
    Clock::time_point now = Clock::now();
    if (!left || now >= deadline) return;
    if (total > 0) continue;
    // Nothing to do right now: sleep until a receiver's fd is readable (or 10 ms, since the
    // receivers' own timers are read on their polls).
    Clock::time_point until = std::min(deadline, now + std::chrono::milliseconds(10));
    if (epoll_fd_ >= 0) {
      sleep_on_fds(until);
    } else {
      std::this_thread::sleep_until(until);
    }
  }
}

}  // namespace hallows::sched::detail
