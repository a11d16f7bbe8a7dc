// One Basilisk event loop: a listening socket and its connections, polled by one partition
// worker (a core::Receiver whose wait_fd is the loop's epoll fd, pinned to its worker).
//
// Everything is edge-triggered and registered once per connection (EPOLLIN | EPOLLOUT |
// EPOLLRDHUP): reading stops at a short read (unless epoll reported the client's FIN: then on to
// EOF, since that edge does not come again), all complete requests in the input are answered
// into one output buffer, and that buffer goes out in one send(). Timeouts are checked by a sweep
// over the open connections every 100 ms (a timerfd, armed while connections are open), against
// a clock read once per poll: no system call per request for timers.
#pragma once

#include <sys/epoll.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "access_log.h"
#include "dispatch.h"
#include "hallows/http/parser.h"
#include "http_metrics.h"
#include "input_buffer.h"
#include "service_shared.h"

namespace hallows::http::detail {

using Clock = std::chrono::steady_clock;

struct Connection {
  enum class State : std::uint8_t {
    kOpen,       // reading requests
    kClosing,    // its last response is queued: close once it is written
    kLingering,  // written and SHUT_WR sent: input is discarded until EOF, then close
  };

  explicit Connection(const Limits& limits) : parser(limits) {}

  int fd = -1;
  State state = State::kOpen;
  bool timing = false;         // a request has begun: request_timeout runs from request_start
  bool continue_sent = false;  // 100 Continue written for the current request
  bool eof = false;            // the client shut down its side
  bool hup_seen = false;       // epoll reported its FIN (or a hang-up): read on to EOF
  bool paused = false;         // output backlog too large: input is left unread
  bool write_blocked = false;  // output pending and the socket was full at write_since
  bool rejected = false;       // over max_connections: a 503 and close
  std::uint32_t slot = 0;      // index in ServerLoop::open_
  std::size_t requests = 0;
  Clock::time_point request_start{}, last_active{}, write_since{}, linger_until{};
  RequestParser parser;
  InputBuffer in;
  std::string out;
  std::size_t out_sent = 0;
  std::string peer;  // "ip:port", kept only with an access log

  bool idle() const noexcept {
    return state == State::kOpen && in.empty() && !parser.started() && out_sent == out.size();
  }
};

class ServerLoop {
 public:
  ServerLoop(std::shared_ptr<const ServiceShared> shared, int listen_fd, int index);
  ~ServerLoop();
  ServerLoop(const ServerLoop&) = delete;
  ServerLoop& operator=(const ServerLoop&) = delete;

  // Creates the epoll set and the sweep timer; false with `error` set on failure.
  bool open(std::string& error);
  int wait_fd() const noexcept { return epfd_; }

  // The receiver's callables (worker thread). poll() returns the units of work done (events,
  // connections served); done() is true once a stop has closed every connection (or the
  // shutdown deadline came); close_all() closes everything (on_closed, reset).
  std::size_t poll(std::size_t max);
  bool done();
  void close_all();

 private:
  // server_loop.cpp: accepting, timers, stopping, connection bookkeeping.
  void accept_all();
  void admit(int fd, const void* addr, unsigned addr_len);
  void sweep();
  void begin_stop();
  void set_timer(bool on);
  void close_now(Connection& c);
  void schedule(Connection& c);

  // connection.cpp: reading, answering, writing, closing.
  void on_event(Connection& c, std::uint32_t events);
  void serve(Connection& c);
  void read_input(Connection& c);
  void process_input(Connection& c);
  void answer(Connection& c, const Request& request, bool keep_alive);
  void fail(Connection& c, int status, std::string_view detail);
  void flush(Connection& c);
  void after_flush(Connection& c);
  void discard_input(Connection& c);

  std::shared_ptr<const ServiceShared> shared_;
  const Limits& limits_;
  const int index_;
  int listen_fd_;
  int epfd_ = -1;
  int timer_fd_ = -1;
  bool timer_on_ = false;
  bool stopping_ = false;
  bool accept_paused_ = false;  // out of file descriptors: the sweep retries accept
  Clock::time_point now_{};
  Clock::time_point next_sweep_{};
  Clock::time_point stop_deadline_ = Clock::time_point::max();
  std::size_t max_input_;          // the input buffer's cap, from the limits
  std::size_t admitted_ = 0;       // open connections that count against max_connections
  std::vector<Connection*> open_;  // every open connection (slot: index)
  std::vector<std::unique_ptr<Connection>> owned_;  // every Connection ever made (reused)
  std::vector<Connection*> free_;                   // closed, ready for reuse
  std::vector<Connection*> ready_, ready_now_;      // to serve without a new event
  Dispatcher dispatcher_;
  LoopMetrics metrics_;
  AccessLog log_;
  std::string rejection_;  // the 503 response for connections over the limit
  epoll_event events_[256];
};

}  // namespace hallows::http::detail
