// The broker's event loop: one thread, epoll (level-triggered), non-blocking sockets.
//
// Per connection: an input buffer cut into frames (i32 size | request); a queue of response
// slots in request order, each filled now (most APIs), later (a Produce waiting for its
// durability point, a long-polling Fetch, a JoinGroup waiting for the rebalance) or never
// (Produce acks=0 has no slot). Only the head of the queue is written, so responses leave in
// request order. Fetch record bytes go out with sendfile() from the segment file.
//
// Back-pressure: a connection with too many responses queued (count or bytes) is not read
// until they drain; one that does not read them for request_timeout is cut off. Every close
// the broker decides is reported with its reason.
//
// Wake-ups from other threads (the Log's appenders and flusher) arrive through an eventfd;
// the Waker that owns it is shared with the Log listener, so a Log that outlives the broker
// calls into a disarmed Waker, never into freed memory.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "hallows/log/broker.h"
#include "kafka_api.h"
#include "kafka_groups.h"
#include "kafka_handlers.h"
#include "kafka_request.h"

namespace hallows::log {

using namespace kafka;

namespace {

constexpr std::uint64_t kListenerId = 1;
constexpr std::uint64_t kWakeId = 2;
constexpr std::uint64_t kFirstConnectionId = 16;
constexpr std::size_t kReadChunk = 64 * 1024;
// Requests whose responses are still queued before we stop reading a connection: librdkafka
// keeps at most max.in.flight (default 1000000, but 5 per broker in practice) outstanding.
constexpr std::size_t kMaxQueuedResponses = 1024;
constexpr int kMaxIovecs = 64;

std::string errno_text(int err) {
  return std::strerror(err);
}

}  // namespace

struct Waker {
  std::mutex mutex;
  int fd = -1;  // the eventfd; -1 once the broker is gone
  std::atomic<bool> armed{false};

  // Cheap when called often: one eventfd write until the loop has taken the wake-up.
  void wake() {
    if (armed.exchange(true)) return;
    std::lock_guard lock(mutex);
    if (fd < 0) return;
    std::uint64_t one = 1;
    if (::write(fd, &one, sizeof one) < 0) {
      // EAGAIN only when the counter is about to overflow: the loop is awake anyway.
    }
  }
};

namespace {

struct Slot {
  bool ready = false;
  ResponseBody frame;     // size | response header | body, once ready
  std::size_t piece = 0;  // send progress: the piece and the bytes of it already sent
  std::size_t offset = 0;
};

struct Connection {
  std::uint64_t id = 0;
  int fd = -1;
  std::string peer;
  std::vector<std::byte> in;
  std::size_t in_begin = 0;  // the first byte of the frame being received
  std::size_t in_end = 0;
  Clock::time_point frame_started;  // when the first byte of the incomplete frame arrived
  Clock::time_point last_activity;
  Clock::time_point write_blocked_since{};  // zero while the socket takes what we write
  std::deque<std::shared_ptr<Slot>> out;
  std::size_t queued_bytes = 0;  // bytes of ready responses not yet written
  std::uint32_t events = 0;      // the epoll interest set now
  bool closing = false;
};

struct Parked {
  std::uint64_t connection_id;
  std::shared_ptr<Slot> slot;
  std::int32_t correlation_id;
  std::unique_ptr<PendingResponse> op;
};

}  // namespace

struct Broker::State {
  State(Log& l, BrokerConfig c) : log(l), config(std::move(c)) {
    if (!config.report)
      config.report = [](std::string_view line) {
        std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
      };
  }

  Log& log;
  BrokerConfig config;
  std::shared_ptr<Waker> waker = std::make_shared<Waker>();
  int listen_fd = -1;
  int epoll_fd = -1;
  int port = 0;
  bool listening_armed = true;
  Clock::time_point accept_paused_until{};
  std::thread thread;
  std::atomic<bool> stopping{false};
  std::unique_ptr<BrokerContext> ctx;
  std::unique_ptr<GroupCoordinator> groups;
  std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections;
  std::uint64_t next_id = kFirstConnectionId;
  std::list<Parked> parked;
  std::vector<std::pair<std::uint64_t, std::string>> to_close;  // id, reason ("" = quiet)
  // Connections whose buffered requests wait for room in their response queue, which a
  // response completed outside their own events (a group callback) may have made.
  std::vector<std::uint64_t> to_service;
  Clock::time_point last_housekeeping{};

  void report(std::string_view line) const { config.report(line); }

  std::string start();
  void stop();
  void run();
  void accept_all();
  void on_readable(Connection& c);
  void process_frames(Connection& c);
  void process_frame(Connection& c, std::span<std::byte> frame);
  void respond_now(Connection& c, std::int32_t correlation_id, ResponseBody body);
  void complete(Connection& c, Slot& slot, std::int32_t correlation_id, ResponseBody body);
  void flush(Connection& c);
  void update_interest(Connection& c);
  void service(Connection& c);
  bool throttled(const Connection& c) const {
    return c.out.size() >= kMaxQueuedResponses ||
           c.queued_bytes >= config.max_queued_response_bytes;
  }
  // Whether a whole frame waits in the buffer (held back by a full response queue: not a
  // slow sender).
  static bool has_whole_frame(const Connection& c) {
    if (c.in_end - c.in_begin < 4) return false;
    const auto* p = c.in.data() + c.in_begin;
    auto size = (std::to_integer<std::uint32_t>(p[0]) << 24) |
                (std::to_integer<std::uint32_t>(p[1]) << 16) |
                (std::to_integer<std::uint32_t>(p[2]) << 8) | std::to_integer<std::uint32_t>(p[3]);
    return c.in_end - c.in_begin >= 4 + static_cast<std::size_t>(size);
  }
  void close_later(Connection& c, std::string reason);
  void close_now(std::uint64_t id, const std::string& reason);
  void close_pending();
  void poll_parked(Clock::time_point now, bool only_expired);
  void housekeeping(Clock::time_point now);
  Connection* find(std::uint64_t id) {
    auto it = connections.find(id);
    return it == connections.end() ? nullptr : it->second.get();
  }
};

Broker::Broker(Log& log, BrokerConfig config)
    : state_(std::make_unique<State>(log, std::move(config))) {
  // Registered once, before the Log opens if the host follows docs/slytherin-kafka.md. The
  // listener holds the Waker, not the broker: it stays safe after the broker is gone.
  std::weak_ptr<Waker> weak = state_->waker;
  log.add_listener([weak](PartitionLog&) {
    if (auto w = weak.lock()) w->wake();
  });
}

Broker::~Broker() {
  stop();
}

std::string Broker::start() {
  return state_->start();
}
void Broker::stop() {
  state_->stop();
}
int Broker::port() const noexcept {
  return state_->port;
}

std::string Broker::State::start() {
  if (thread.joinable()) return "broker already started";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(config.port));
  if (inet_pton(AF_INET, config.host.c_str(), &addr.sin_addr) != 1) {
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    int rc = getaddrinfo(config.host.c_str(), nullptr, &hints, &found);
    if (rc != 0 || found == nullptr)
      return fmt::format("cannot resolve listen host {}: {}", config.host, gai_strerror(rc));
    addr.sin_addr = reinterpret_cast<sockaddr_in*>(found->ai_addr)->sin_addr;
    freeaddrinfo(found);
  }
  listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listen_fd < 0) return "socket: " + errno_text(errno);
  int one = 1;
  ::setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  auto fail = [&](std::string what) {
    auto err = fmt::format("{} {}:{}: {}", what, config.host, config.port, errno_text(errno));
    ::close(listen_fd);
    listen_fd = -1;
    return err;
  };
  if (::bind(listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return fail("cannot bind");
  if (::listen(listen_fd, 1024) != 0) return fail("cannot listen on");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);

  epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  int wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd < 0 || wake_fd < 0) {
    auto err = "epoll/eventfd: " + errno_text(errno);
    if (wake_fd >= 0) ::close(wake_fd);
    if (epoll_fd >= 0) ::close(epoll_fd);
    ::close(listen_fd);
    listen_fd = epoll_fd = -1;
    return err;
  }
  {
    std::lock_guard lock(waker->mutex);
    waker->fd = wake_fd;
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kListenerId;
  ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd, &ev);
  ev.data.u64 = kWakeId;
  ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &ev);

  std::string advertised = config.advertised_host.empty() ? config.host : config.advertised_host;
  ctx =
      std::make_unique<BrokerContext>(BrokerContext{log, config, advertised, port, config.report});
  groups = std::make_unique<GroupCoordinator>(log, config.node_id, advertised, port,
                                              config.reserved_groups, config.report);
  stopping = false;
  thread = std::thread([this] { run(); });
  report(fmt::format("slytherin: listening on {}:{}", config.host, port));
  return {};
}

void Broker::State::stop() {
  if (!thread.joinable()) return;
  stopping = true;
  {
    std::lock_guard lock(waker->mutex);
    std::uint64_t one = 1;
    if (waker->fd >= 0 && ::write(waker->fd, &one, sizeof one) < 0) {
      // The counter is non-zero already: the loop wakes anyway.
    }
  }
  thread.join();
  parked.clear();
  for (auto& [id, c] : connections) {
    groups->connection_closed(id);
    ::close(c->fd);
  }
  connections.clear();
  groups.reset();
  ctx.reset();
  {
    std::lock_guard lock(waker->mutex);
    ::close(waker->fd);
    waker->fd = -1;
  }
  ::close(listen_fd);
  ::close(epoll_fd);
  listen_fd = epoll_fd = -1;
}

void Broker::State::run() {
  // sendfile() has no MSG_NOSIGNAL: a client that resets its connection mid-fetch would kill
  // the process with SIGPIPE. Blocked in this thread only, the write fails with EPIPE instead
  // (the signal is thread-directed and stays pending here, harmlessly).
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  std::vector<epoll_event> events(128);
  while (!stopping.load()) {
    auto now = Clock::now();
    // Sleep until the nearest parked deadline, at most 100 ms (groups need a tick that often).
    auto wake_at = now + std::chrono::milliseconds(100);
    for (const auto& p : parked) wake_at = std::min(wake_at, p.op->deadline);
    auto timeout_ms = std::chrono::duration_cast<std::chrono::milliseconds>(wake_at - now).count();
    if (timeout_ms < 0) timeout_ms = 0;
    // Round up: waking a millisecond early would only spin.
    if (wake_at > now && timeout_ms < 100) ++timeout_ms;
    int n = ::epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()),
                         static_cast<int>(timeout_ms));
    if (n < 0 && errno != EINTR) {
      report("slytherin: epoll_wait: " + errno_text(errno));
      break;
    }
    bool woken = false;
    for (int i = 0; i < n; ++i) {
      auto id = events[i].data.u64;
      auto what = events[i].events;
      if (id == kListenerId) {
        accept_all();
      } else if (id == kWakeId) {
        std::uint64_t count;
        while (::read(waker->fd, &count, sizeof count) > 0) {
        }
        // An exchange, not a store: it reads the last appender's exchange(true), so the
        // offsets that appender published before waking us are visible to the polls below.
        waker->armed.exchange(false);
        woken = true;
      } else if (auto* c = find(id)) {
        if (c->closing) continue;
        // A hung-up socket we are not reading (full response queue) would be reported again
        // at once, forever: the client is gone, close it.
        if ((what & (EPOLLHUP | EPOLLERR)) && throttled(*c))
          close_later(*c, (what & EPOLLERR) ? "socket error" : "");
        else if (what & (EPOLLIN | EPOLLHUP | EPOLLERR))
          on_readable(*c);
        if (!c->closing && (what & EPOLLOUT)) service(*c);
      }
    }
    if (stopping.load()) break;
    now = Clock::now();
    poll_parked(now, !woken);
    housekeeping(now);
    while (!to_service.empty()) {
      auto ids = std::move(to_service);
      to_service.clear();
      for (auto id : ids)
        if (auto* c = find(id); c != nullptr && !c->closing) service(*c);
    }
    close_pending();
  }
}

void Broker::State::accept_all() {
  for (;;) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
      if (errno == ECONNABORTED) continue;
      // Out of descriptors (EMFILE, ENFILE) or memory: stop accepting for a moment instead of
      // spinning on a listener that stays readable.
      report("slytherin: accept: " + errno_text(errno) + " (accepting paused for 100 ms)");
      ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, listen_fd, nullptr);
      listening_armed = false;
      accept_paused_until = Clock::now() + std::chrono::milliseconds(100);
      return;
    }
    char ip[INET_ADDRSTRLEN] = "?";
    inet_ntop(AF_INET, &addr.sin_addr, ip, sizeof ip);
    std::string peer = fmt::format("{}:{}", ip, ntohs(addr.sin_port));
    if (connections.size() >= config.max_connections) {
      report(fmt::format("slytherin: refused {}: max_connections {} reached", peer,
                         config.max_connections));
      ::close(fd);
      continue;
    }
    int one = 1;
    // Small responses (acks, metadata) must not wait for Nagle; big ones are written whole.
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto c = std::make_unique<Connection>();
    c->id = next_id++;
    c->fd = fd;
    c->peer = std::move(peer);
    c->last_activity = Clock::now();
    c->events = EPOLLIN;
    epoll_event ev{};
    ev.events = c->events;
    ev.data.u64 = c->id;
    ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
    connections.emplace(c->id, std::move(c));
  }
}

void Broker::State::on_readable(Connection& c) {
  for (int rounds = 0; rounds < 16 && !c.closing && !throttled(c); ++rounds) {
    if (c.in.size() - c.in_end < kReadChunk) {
      // Move the incomplete frame to the front before growing.
      if (c.in_begin > 0) {
        std::memmove(c.in.data(), c.in.data() + c.in_begin, c.in_end - c.in_begin);
        c.in_end -= c.in_begin;
        c.in_begin = 0;
      }
      if (c.in.size() - c.in_end < kReadChunk) c.in.resize(c.in_end + kReadChunk);
    }
    auto n = ::read(c.fd, c.in.data() + c.in_end, c.in.size() - c.in_end);
    if (n == 0) {
      // The client hung up. Nothing to report unless it left half a request behind.
      if (c.in_end > c.in_begin)
        close_later(c, fmt::format("connection closed by the client in the middle of a "
                                   "request ({} bytes received)",
                                   c.in_end - c.in_begin));
      else
        close_later(c, "");
      return;
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      close_later(c, "read: " + errno_text(errno));
      return;
    }
    auto now = Clock::now();
    if (c.in_end == c.in_begin) c.frame_started = now;
    c.in_end += static_cast<std::size_t>(n);
    c.last_activity = now;
    process_frames(c);
  }
}

void Broker::State::process_frames(Connection& c) {
  while (!c.closing && !throttled(c) && c.in_end - c.in_begin >= 4) {
    auto* p = c.in.data() + c.in_begin;
    std::int32_t size = static_cast<std::int32_t>((std::to_integer<std::uint32_t>(p[0]) << 24) |
                                                  (std::to_integer<std::uint32_t>(p[1]) << 16) |
                                                  (std::to_integer<std::uint32_t>(p[2]) << 8) |
                                                  std::to_integer<std::uint32_t>(p[3]));
    if (size < 0 || static_cast<std::size_t>(size) > config.max_request_bytes) {
      close_later(c, fmt::format("frame of {} bytes exceeds max_request_bytes {}", size,
                                 config.max_request_bytes));
      return;
    }
    auto whole = 4 + static_cast<std::size_t>(size);
    if (c.in_end - c.in_begin < whole) {
      // Make room for the whole frame now: one read can then take the rest of it.
      if (c.in.size() - c.in_begin < whole) {
        std::memmove(c.in.data(), c.in.data() + c.in_begin, c.in_end - c.in_begin);
        c.in_end -= c.in_begin;
        c.in_begin = 0;
        if (c.in.size() < whole) c.in.resize(whole + kReadChunk);
      }
      return;
    }
    std::span<std::byte> frame(c.in.data() + c.in_begin + 4, static_cast<std::size_t>(size));
    c.in_begin += whole;
    if (c.in_begin == c.in_end) {
      process_frame(c, frame);
      // The frame's bytes were used in place; only now may the buffer be reused.
      if (c.in_begin == c.in_end) c.in_begin = c.in_end = 0;
    } else {
      c.frame_started = Clock::now();
      process_frame(c, frame);
    }
  }
  // Shrink a buffer a large produce grew, once it is empty again.
  if (c.in_begin == c.in_end && c.in.size() > 4 * kReadChunk) {
    c.in_begin = c.in_end = 0;
    c.in.resize(kReadChunk);
    c.in.shrink_to_fit();
  }
}

void Broker::State::process_frame(Connection& c, std::span<std::byte> frame) {
  RequestHeader header;
  if (!peek_request_header(frame, header)) {
    close_later(c,
                fmt::format("request of {} bytes is shorter than a request header", frame.size()));
    return;
  }
  if (!is_supported(header.api_key, header.api_version)) {
    // UNSUPPORTED_VERSION, in a layout the client can read: ApiVersions answers v0 with our
    // list (librdkafka then retries at a version we have); other APIs get the bare error code.
    ResponseBody body;
    if (header.api_key == api::api_versions) {
      encode_api_versions_response(0, error::unsupported_version, body);
    } else {
      wire::Writer(body.bytes()).i16(error::unsupported_version);
      report(fmt::format("slytherin: {}: {} v{} is not supported: answered UNSUPPORTED_VERSION",
                         c.peer, api_name(header.api_key), header.api_version));
    }
    respond_now(c, header.correlation_id, std::move(body));
    return;
  }
  std::size_t body_offset = 0;
  auto err = decode_request_header(frame, header, body_offset);
  if (!err.empty()) {
    close_later(c, fmt::format("{} v{}: {}", api_name(header.api_key), header.api_version, err));
    return;
  }
  auto body = frame.subspan(body_offset);
  if (GroupCoordinator::handles(header.api_key)) {
    auto slot = std::make_shared<Slot>();
    c.out.push_back(slot);
    auto id = c.id;
    auto correlation_id = header.correlation_id;
    try {
      groups->handle(id, header.api_key, header.api_version, body,
                     [this, id, slot, correlation_id](std::vector<std::byte> bytes) {
                       auto* conn = find(id);
                       if (conn == nullptr || conn->closing) return;
                       ResponseBody b;
                       b.bytes() = std::move(bytes);
                       complete(*conn, *slot, correlation_id, std::move(b));
                     });
    } catch (const std::exception& e) {
      close_later(
          c, fmt::format("{} v{}: {}", api_name(header.api_key), header.api_version, e.what()));
    }
    return;
  }
  HandleResult result;
  switch (header.api_key) {
    case api::api_versions:
      result = handle_api_versions(*ctx, header, body);
      break;
    case api::metadata:
      result = handle_metadata(*ctx, header, body);
      break;
    case api::produce:
      result = handle_produce(*ctx, header, body);
      break;
    case api::fetch:
      result = handle_fetch(*ctx, header, body);
      break;
    case api::list_offsets:
      result = handle_list_offsets(*ctx, header, body);
      break;
    default:
      close_later(c, fmt::format("{} v{}: advertised but not dispatched", api_name(header.api_key),
                                 header.api_version));
      return;
  }
  switch (result.kind) {
    case HandleResult::Kind::respond:
      respond_now(c, header.correlation_id, std::move(result.body));
      break;
    case HandleResult::Kind::no_response:
      break;
    case HandleResult::Kind::pending: {
      auto slot = std::make_shared<Slot>();
      c.out.push_back(slot);
      parked.push_back({c.id, slot, header.correlation_id, std::move(result.pending)});
      break;
    }
    case HandleResult::Kind::close:
      close_later(c, result.reason);
      break;
  }
}

void Broker::State::respond_now(Connection& c, std::int32_t correlation_id, ResponseBody body) {
  auto slot = std::make_shared<Slot>();
  c.out.push_back(slot);
  complete(c, *slot, correlation_id, std::move(body));
}

void Broker::State::complete(Connection& c, Slot& slot, std::int32_t correlation_id,
                             ResponseBody body) {
  // Every response header we write is v0: no advertised version is flexible.
  slot.frame = frame_response(correlation_id, false, std::move(body));
  slot.ready = true;
  c.queued_bytes += slot.frame.size();
  flush(c);
  if (c.in_end - c.in_begin >= 4) to_service.push_back(c.id);
}

void Broker::State::flush(Connection& c) {
  while (!c.closing && !c.out.empty() && c.out.front()->ready) {
    Slot& s = *c.out.front();
    while (s.piece < s.frame.pieces.size()) {
      auto& piece = s.frame.pieces[s.piece];
      ssize_t n;
      if (piece.is_file) {
        auto left = piece.file.data.size() - s.offset;
        if (piece.file.fd >= 0) {
          off_t at = static_cast<off_t>(piece.file.position + static_cast<std::int64_t>(s.offset));
          n = ::sendfile(c.fd, piece.file.fd, &at, left);
          if (n < 0 && (errno == EINVAL || errno == ENOSYS)) {
            piece.file.fd = -1;  // this file cannot be sent: copy from the mapping instead
            continue;
          }
          if (n == 0) {
            // The segment ends before the range the log gave us: never spin on it.
            report(fmt::format("slytherin: sendfile to {}: segment file ended {} bytes early",
                               c.peer, left));
            close_later(c, "fetch response cut short by a segment file");
            return;
          }
        } else {
          n = ::send(c.fd, piece.file.data.data() + s.offset, left, MSG_NOSIGNAL);
        }
      } else {
        // Gather this piece and the byte pieces after it, up to the next file range.
        iovec iov[kMaxIovecs];
        int count = 0;
        std::size_t i = s.piece;
        for (; i < s.frame.pieces.size() && count < kMaxIovecs && !s.frame.pieces[i].is_file; ++i) {
          auto& b = s.frame.pieces[i].bytes;
          std::size_t skip = i == s.piece ? s.offset : 0;
          iov[count].iov_base = b.data() + skip;
          iov[count].iov_len = b.size() - skip;
          ++count;
        }
        bool more = i < s.frame.pieces.size();  // a file range follows: hold the segment
        msghdr msg{};
        msg.msg_iov = iov;
        msg.msg_iovlen = static_cast<std::size_t>(count);
        n = ::sendmsg(c.fd, &msg, MSG_NOSIGNAL | (more ? MSG_MORE : 0));
      }
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          if (c.write_blocked_since == Clock::time_point{}) c.write_blocked_since = Clock::now();
          update_interest(c);
          return;
        }
        close_later(c, "write: " + errno_text(errno));
        return;
      }
      auto sent = static_cast<std::size_t>(n);
      c.queued_bytes -= std::min(c.queued_bytes, sent);
      c.last_activity = Clock::now();
      c.write_blocked_since = Clock::time_point{};
      // Advance over what was sent, across pieces.
      while (sent > 0 && s.piece < s.frame.pieces.size()) {
        auto left = s.frame.pieces[s.piece].size() - s.offset;
        if (sent >= left) {
          sent -= left;
          ++s.piece;
          s.offset = 0;
        } else {
          s.offset += sent;
          sent = 0;
        }
      }
      // Skip empty pieces (an empty file range is never added, but stay safe).
      while (s.piece < s.frame.pieces.size() && s.frame.pieces[s.piece].size() == s.offset) {
        ++s.piece;
        s.offset = 0;
      }
    }
    c.out.pop_front();
  }
  update_interest(c);
}

void Broker::State::update_interest(Connection& c) {
  if (c.closing) return;
  std::uint32_t want = 0;
  if (!throttled(c)) want |= EPOLLIN;
  if (!c.out.empty() && c.out.front()->ready) want |= EPOLLOUT;
  if (want == c.events) return;
  c.events = want;
  epoll_event ev{};
  ev.events = want;
  ev.data.u64 = c.id;
  ::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c.fd, &ev);
}

void Broker::State::service(Connection& c) {
  // Write what is ready; if that made room, take the requests already buffered.
  flush(c);
  if (!c.closing && !throttled(c) && c.in_end - c.in_begin >= 4) {
    process_frames(c);
    flush(c);
  }
}

void Broker::State::close_later(Connection& c, std::string reason) {
  if (c.closing) return;
  c.closing = true;
  to_close.emplace_back(c.id, std::move(reason));
}

void Broker::State::close_now(std::uint64_t id, const std::string& reason) {
  auto it = connections.find(id);
  if (it == connections.end()) return;
  auto& c = *it->second;
  if (!reason.empty()) report(fmt::format("slytherin: closed {}: {}", c.peer, reason));
  ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c.fd, nullptr);
  ::close(c.fd);
  groups->connection_closed(id);
  parked.remove_if([id](const Parked& p) { return p.connection_id == id; });
  connections.erase(it);
}

void Broker::State::close_pending() {
  // Closing can run group callbacks that close others: loop until nothing is left.
  while (!to_close.empty()) {
    auto batch = std::move(to_close);
    to_close.clear();
    for (auto& [id, reason] : batch) close_now(id, reason);
  }
}

void Broker::State::poll_parked(Clock::time_point now, bool only_expired) {
  for (auto it = parked.begin(); it != parked.end();) {
    if (only_expired && now < it->op->deadline) {
      ++it;
      continue;
    }
    auto* c = find(it->connection_id);
    if (c == nullptr || c->closing) {
      it = parked.erase(it);
      continue;
    }
    ResponseBody body;
    if (!it->op->poll(now, body)) {
      ++it;
      continue;
    }
    auto slot = it->slot;
    auto correlation_id = it->correlation_id;
    it = parked.erase(it);
    complete(*c, *slot, correlation_id, std::move(body));
    service(*c);
  }
}

void Broker::State::housekeeping(Clock::time_point now) {
  if (now - last_housekeeping < std::chrono::milliseconds(100)) return;
  last_housekeeping = now;
  groups->tick(now);
  if (!listening_armed && now >= accept_paused_until) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kListenerId;
    ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd, &ev);
    listening_armed = true;
  }
  auto ms = [](Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  };
  for (auto& [id, cp] : connections) {
    auto& c = *cp;
    if (c.closing) continue;
    if (c.write_blocked_since != Clock::time_point{} &&
        now - c.write_blocked_since > config.request_timeout) {
      close_later(c, fmt::format("not reading its responses ({} bytes queued) for {} ms",
                                 c.queued_bytes, ms(now - c.write_blocked_since)));
    } else if (c.in_end > c.in_begin && !has_whole_frame(c) &&
               now - c.frame_started > config.request_timeout) {
      close_later(c, fmt::format("request incomplete after {} ms ({} bytes received)",
                                 ms(now - c.frame_started), c.in_end - c.in_begin));
    } else if (c.out.empty() && now - c.last_activity > config.idle_timeout) {
      close_later(c, fmt::format("idle for {} ms", ms(now - c.last_activity)));
    }
  }
}

}  // namespace hallows::log
