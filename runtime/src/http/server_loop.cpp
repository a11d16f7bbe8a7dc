// The loop's skeleton: polling epoll, accepting, the timeout sweep, and stopping.
#include "server_loop.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "hallows/http/response.h"
#include "hallows/sched/task.h"

namespace hallows::http::detail {
namespace {

constexpr std::chrono::milliseconds kSweepEvery{100};
// Connections over max_connections that are still being answered 503; more are just closed.
constexpr std::size_t kMaxRejecting = 256;

std::string peer_text(const void* addr) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  auto* sa = static_cast<const sockaddr*>(addr);
  if (sa->sa_family == AF_INET) {
    auto* in = static_cast<const sockaddr_in*>(addr);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
    port = ntohs(in->sin_port);
    return fmt::format("{}:{}", host, port);
  }
  if (sa->sa_family == AF_INET6) {
    auto* in6 = static_cast<const sockaddr_in6*>(addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
    port = ntohs(in6->sin6_port);
    return fmt::format("[{}]:{}", host, port);
  }
  return "?";
}

}  // namespace

ServerLoop::ServerLoop(std::shared_ptr<const ServiceShared> shared, int listen_fd, int index)
    : shared_(std::move(shared)),
      limits_(shared_->spec.limits),
      index_(index),
      listen_fd_(listen_fd),
      dispatcher_(*shared_),
      metrics_(shared_->metrics),
      log_(shared_->access_fd, shared_->spec.name) {
  const Limits& l = limits_;
  // A whole request fits: head, body, and chunked framing (up to the body's size again).
  max_input_ = l.max_request_line_bytes + l.max_header_bytes + 2 * l.max_body_bytes + 64 * 1024;
  std::string body = problem_json(
      503, fmt::format("too many connections (at most {} per core)", l.max_connections));
  append_response(rejection_, 503, "application/problem+json", body, false);
}

ServerLoop::~ServerLoop() {
  close_all();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (timer_fd_ >= 0) ::close(timer_fd_);
  if (epfd_ >= 0) ::close(epfd_);
}

bool ServerLoop::open(std::string& error) {
  epfd_ = ::epoll_create1(EPOLL_CLOEXEC);
  timer_fd_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (epfd_ < 0 || timer_fd_ < 0) {
    error = fmt::format("cannot create an event loop: {}", std::strerror(errno));
    return false;
  }
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLET;
  ev.data.ptr = &listen_fd_;
  if (::epoll_ctl(epfd_, EPOLL_CTL_ADD, listen_fd_, &ev) != 0) {
    error = fmt::format("cannot watch the listening socket: {}", std::strerror(errno));
    return false;
  }
  ev.events = EPOLLIN;
  ev.data.ptr = &timer_fd_;
  ::epoll_ctl(epfd_, EPOLL_CTL_ADD, timer_fd_, &ev);
  return true;
}

std::size_t ServerLoop::poll(std::size_t) {
  now_ = Clock::now();
  if (!stopping_ && sched::stop_requested()) begin_stop();
  std::size_t work = 0;
  int n = ::epoll_wait(epfd_, events_, static_cast<int>(std::size(events_)), 0);
  for (int i = 0; i < n; ++i) {
    void* tag = events_[i].data.ptr;
    if (tag == &listen_fd_) {
      accept_all();
      ++work;
    } else if (tag == &timer_fd_) {
      std::uint64_t expirations;
      [[maybe_unused]] ssize_t r = ::read(timer_fd_, &expirations, sizeof expirations);
      next_sweep_ = now_;  // sweep below
    } else {
      on_event(*static_cast<Connection*>(tag), events_[i].events);
      ++work;
    }
  }
  if (!ready_.empty()) {
    ready_now_.swap(ready_);
    for (Connection* c : ready_now_) {
      if (c->fd < 0) continue;
      serve(*c);
      ++work;
    }
    ready_now_.clear();
  }
  if (now_ >= next_sweep_) sweep();
  if (log_.on()) log_.maybe_flush(now_);
  return work;
}

void ServerLoop::accept_all() {
  while (listen_fd_ >= 0) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      admit(fd, &addr, len);
      continue;
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
      // Edge-triggered: nothing wakes us for the connections still queued. The sweep retries.
      if (!accept_paused_)
        shared_->spec.report(fmt::format("basilisk: {}: cannot accept connections: {}",
                                         shared_->spec.name, std::strerror(errno)));
      accept_paused_ = true;
      set_timer(true);
    }
    return;  // EAGAIN, or an error the sweep retries
  }
}

void ServerLoop::admit(int fd, const void* addr, unsigned) {
  bool reject = admitted_ >= limits_.max_connections;
  if (reject && (stopping_ || open_.size() - admitted_ >= kMaxRejecting)) {
    ::close(fd);
    shared_->metrics.breach(Breach::kConnections);
    return;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  Connection* c;
  if (!free_.empty()) {
    c = free_.back();
    free_.pop_back();
  } else {
    owned_.push_back(std::make_unique<Connection>(limits_));
    c = owned_.back().get();
  }
  c->fd = fd;
  c->state = Connection::State::kOpen;
  c->timing = c->continue_sent = c->eof = c->hup_seen = c->paused = c->write_blocked = false;
  c->rejected = reject;
  c->requests = 0;
  c->last_active = now_;
  c->parser.reset();
  c->slot = static_cast<std::uint32_t>(open_.size());
  open_.push_back(c);
  if (log_.on()) c->peer = peer_text(addr);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.ptr = c;
  if (::epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
    close_now(*c);
    return;
  }
  set_timer(true);
  if (reject) {
    // Answered at once, best effort, then closed gracefully (so the 503 is not reset away).
    shared_->metrics.breach(Breach::kConnections);
    metrics_.request(shared_->metrics.none_slot(), 503, {});
    c->out = rejection_;
    c->state = Connection::State::kClosing;
    flush(*c);
    return;
  }
  ++admitted_;
  shared_->metrics.open().fetch_add(1, std::memory_order_relaxed);
}

void ServerLoop::schedule(Connection& c) {
  ready_.push_back(&c);
}

void ServerLoop::close_now(Connection& c) {
  if (c.fd < 0) return;
  ::close(c.fd);  // also leaves the epoll set
  c.fd = -1;
  if (!c.rejected) {
    --admitted_;
    shared_->metrics.open().fetch_sub(1, std::memory_order_relaxed);
  }
  // Swap-remove from open_.
  Connection* last = open_.back();
  open_[c.slot] = last;
  last->slot = c.slot;
  open_.pop_back();
  c.in.clear();
  c.out.clear();
  if (c.out.capacity() > InputBuffer::kKeepIdle) c.out.shrink_to_fit();
  c.out_sent = 0;
  c.peer.clear();
  free_.push_back(&c);
}

void ServerLoop::set_timer(bool on) {
  if (on == timer_on_) return;
  itimerspec spec{};
  if (on) {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(kSweepEvery).count();
    spec.it_value.tv_nsec = ns;
    spec.it_interval.tv_nsec = ns;
  }
  ::timerfd_settime(timer_fd_, 0, &spec, nullptr);
  timer_on_ = on;
}

void ServerLoop::sweep() {
  next_sweep_ = now_ + kSweepEvery;
  if (accept_paused_) {
    accept_paused_ = false;
    accept_all();
  }
  const auto request_timeout = limits_.request_timeout;
  const auto idle_timeout = limits_.idle_timeout;
  // Backwards: close_now() moves the last connection into the closed one's slot.
  for (std::size_t i = open_.size(); i-- > 0;) {
    if (i >= open_.size()) continue;
    Connection& c = *open_[i];
    if (c.state == Connection::State::kLingering) {
      if (now_ >= c.linger_until) close_now(c);
    } else if (c.write_blocked && now_ - c.write_since > request_timeout) {
      // The client stopped reading what we owe it.
      shared_->metrics.breach(Breach::kTimeout);
      close_now(c);
    } else if (c.timing && c.state == Connection::State::kOpen &&
               now_ - c.request_start > request_timeout) {
      fail(c, 408,
           fmt::format("the request was not complete within {} ms", request_timeout.count()));
      flush(c);
    } else if (c.idle() && (stopping_ || now_ - c.last_active > idle_timeout)) {
      close_now(c);
    }
  }
  if (stopping_ && now_ >= stop_deadline_) {
    while (!open_.empty()) close_now(*open_.back());
  }
  if (open_.empty() && !accept_paused_) set_timer(false);
}

void ServerLoop::begin_stop() {
  stopping_ = true;
  Clock::time_point deadline = sched::stop_deadline();
  if (deadline == Clock::time_point::max()) deadline = now_ + std::chrono::seconds(5);
  // Finish a little before the program's deadline, so the worker is seen to have stopped.
  auto margin = std::min<Clock::duration>(std::chrono::milliseconds(100), (deadline - now_) / 10);
  stop_deadline_ = deadline - margin;
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
  for (std::size_t i = open_.size(); i-- > 0;) {
    if (i >= open_.size()) continue;
    Connection& c = *open_[i];
    if (c.idle()) {
      close_now(c);
    } else if (c.state == Connection::State::kLingering) {
      c.linger_until = std::min(c.linger_until, stop_deadline_);
    }
  }
  set_timer(!open_.empty());
}

bool ServerLoop::done() {
  if (!stopping_) {
    if (!sched::stop_requested()) return false;
    now_ = Clock::now();
    begin_stop();
  }
  now_ = Clock::now();
  if (!open_.empty() && now_ >= next_sweep_) sweep();
  if (!open_.empty() && now_ < stop_deadline_) return false;
  close_all();
  return true;
}

void ServerLoop::close_all() {
  while (!open_.empty()) close_now(*open_.back());
  ready_.clear();
  if (log_.on()) log_.flush(Clock::now());
}

}  // namespace hallows::http::detail
