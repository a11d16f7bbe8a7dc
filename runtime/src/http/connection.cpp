// One connection's I/O: reading until a short read, answering every complete request in the
// input into one output buffer, writing it with one send(), and closing gracefully (the last
// response is written, then SHUT_WR, then input is discarded until the client closes) so that
// an error response is never lost to a reset.
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "hallows/http/response.h"
#include "hallows/sched/task.h"
#include "server_loop.h"

namespace hallows::http::detail {
namespace {

// Past this much unwritten output a connection's input is left unread until the client reads.
constexpr std::size_t kMaxBacklog = 256 * 1024;
constexpr std::size_t kReadRoom = 2048;  // the least free space a read is given
constexpr std::chrono::seconds kLinger{2};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace

void ServerLoop::on_event(Connection& c, std::uint32_t events) {
  if (c.fd < 0) return;  // closed earlier in this batch of events
  if (c.state == Connection::State::kLingering) {
    discard_input(c);
    return;
  }
  if (events & EPOLLERR) {
    close_now(c);
    return;
  }
  // Edge-triggered: a FIN that came with the last data is reported now and never again, and a
  // short read does not show it. Kept, so the next read goes on to EOF (also after a pause).
  if (events & (EPOLLRDHUP | EPOLLHUP)) c.hup_seen = true;
  if ((events & EPOLLOUT) && c.out_sent < c.out.size()) {
    flush(c);
    if (c.fd < 0) return;
  }
  if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) && !c.paused) serve(c);
}

void ServerLoop::serve(Connection& c) {
  if (c.state == Connection::State::kLingering) {
    discard_input(c);
    return;
  }
  if (c.state != Connection::State::kOpen) return;
  // Input left unanswered while paused comes first; then whatever the socket holds.
  if (!c.in.empty()) process_input(c);
  if (c.state == Connection::State::kOpen && !c.paused && !c.eof) read_input(c);
  if (c.fd < 0) return;
  if (c.out_sent < c.out.size()) {
    flush(c);
  } else if (c.eof) {
    close_now(c);
  }
}

void ServerLoop::read_input(Connection& c) {
  for (;;) {
    if (!c.in.make_room(kReadRoom, max_input_)) {
      // Full at the cap and still no complete request: only framing can do that (tiny chunks).
      fail(c, 413, "the request's framing exceeds the body limit");
      return;
    }
    std::size_t room = c.in.room();
    ssize_t n = ::recv(c.fd, c.in.tail(), room, 0);
    if (n > 0) {
      c.in.commit(static_cast<std::size_t>(n));
      c.last_active = now_;
      process_input(c);
      if (c.state != Connection::State::kOpen || c.paused) return;
      // A short read emptied the socket: edge-triggered epoll reports the next data (but not a
      // FIN already reported: then the next recv() sees EOF).
      if (static_cast<std::size_t>(n) < room && !c.hup_seen) return;
      continue;
    }
    if (n == 0) {
      c.eof = true;  // answered what was complete; the caller closes after the writes
      return;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) close_now(c);
    return;
  }
}

void ServerLoop::process_input(Connection& c) {
  while (c.state == Connection::State::kOpen) {
    if (c.out.size() - c.out_sent > kMaxBacklog) {
      c.paused = true;  // resumed by after_flush() once the client has read it
      break;
    }
    std::size_t consumed = 0;
    ParseStatus status = c.parser.parse(c.in.data(), consumed);
    if (status == ParseStatus::kNeedMore) {
      if (!c.timing && c.parser.started()) {
        c.timing = true;
        c.request_start = now_;
      }
      if (c.parser.head_complete() && !c.continue_sent && c.parser.request().expect_continue &&
          c.parser.request().version_minor == 1) {
        c.out += kContinue;
        c.continue_sent = true;
      }
      break;
    }
    if (status == ParseStatus::kError) {
      const ParseError& error = c.parser.error();
      fail(c, error.status, error.reason);
      break;
    }
    const Request& request = c.parser.request();
    ++c.requests;
    bool keep_alive = request.keep_alive;
    if (limits_.max_requests_per_connection != 0 &&
        c.requests >= limits_.max_requests_per_connection)
      keep_alive = false;
    // Stopping: the last request the input holds is answered with `Connection: close` (the
    // stop may have begun during this batch: a flag load, for the last request only).
    if (consumed == c.in.size() && (stopping_ || sched::stop_requested())) keep_alive = false;
    answer(c, request, keep_alive);
    c.in.consume(consumed);
    c.parser.reset();
    c.timing = false;
    c.continue_sent = false;
    if (!keep_alive) c.state = Connection::State::kClosing;
  }
  c.in.shrink_if_idle();
}

void ServerLoop::answer(Connection& c, const Request& request, bool keep_alive) {
  std::size_t before = c.out.size();
  Answered answered = dispatcher_.answer(request, keep_alive, c.out);
  Clock::time_point end = Clock::now();
  metrics_.request(answered.slot, answered.status, end - now_);
  if (log_.on()) {
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(end - now_).count();
    log_.record(request.method_token, request.path, shared_->metrics.route_label(answered.slot),
                answered.status, c.out.size() - before, micros, c.peer);
  }
}

void ServerLoop::fail(Connection& c, int status, std::string_view detail) {
  shared_->metrics.breach(breach_of(status));
  std::size_t before = c.out.size();
  append_response(c.out, status, "application/problem+json", problem_json(status, detail), false);
  metrics_.request(shared_->metrics.none_slot(), status, {});
  if (log_.on()) {
    log_.record("", "", shared_->metrics.route_label(shared_->metrics.none_slot()), status,
                c.out.size() - before, 0, c.peer);
  }
  c.state = Connection::State::kClosing;
  c.timing = false;
}

void ServerLoop::flush(Connection& c) {
  while (c.out_sent < c.out.size()) {
    std::size_t want = c.out.size() - c.out_sent;
    ssize_t n = ::send(c.fd, c.out.data() + c.out_sent, want, MSG_NOSIGNAL);
    if (n > 0) {
      c.out_sent += static_cast<std::size_t>(n);
      if (static_cast<std::size_t>(n) < want) break;  // the socket is full: wait for EPOLLOUT
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    close_now(c);  // reset by the client, or another error: nothing more can be sent
    return;
  }
  if (c.out_sent < c.out.size()) {
    if (!c.write_blocked) {
      c.write_blocked = true;
      c.write_since = now_;
    }
    return;
  }
  after_flush(c);
}

void ServerLoop::after_flush(Connection& c) {
  c.out.clear();
  c.out_sent = 0;
  c.write_blocked = false;
  if (c.eof) {
    close_now(c);  // the client has finished sending and has every answer
    return;
  }
  if (c.state == Connection::State::kClosing) {
    ::shutdown(c.fd, SHUT_WR);
    c.state = Connection::State::kLingering;
    c.linger_until = std::min(now_ + kLinger, stop_deadline_);
    c.in.clear();
    discard_input(c);
    return;
  }
  if (c.paused) {
    c.paused = false;
    schedule(c);  // its input (buffered, and maybe unread in the socket) is served next poll
    return;
  }
  if (stopping_ && c.idle()) close_now(c);
}

void ServerLoop::discard_input(Connection& c) {
  char sink[4096];
  for (;;) {
    ssize_t n = ::recv(c.fd, sink, sizeof sink, 0);
    if (n > 0) continue;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    close_now(c);  // EOF or an error: the client has the response
    return;
  }
}

}  // namespace hallows::http::detail
