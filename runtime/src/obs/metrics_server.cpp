// The metrics endpoint: one thread running a poll() loop over a loopback listening socket, a
// self-pipe that stop() writes to, and the connected clients (non-blocking).
//
// Each connection carries one request: the head is read (at most 8 KiB, else 431), answered,
// and the connection closed after the response is written (`Connection: close`), which is all a
// Prometheus scraper or curl needs. A client that sends or accepts nothing for 5 s is closed.
//   GET /metrics  -> 200, Prometheus text 0.0.4 from Registry::global()
//   GET /healthz  -> 200 "ok\n"
//   GET other     -> 404;  another method -> 405 with `Allow: GET`;  a malformed head -> 400
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "hallows/obs/metrics.h"

namespace hallows::obs {
namespace {

constexpr std::size_t kMaxHead = 8 * 1024;
constexpr std::chrono::seconds kIdle{5};
constexpr std::chrono::seconds kDrain{1};
constexpr std::size_t kMaxClients = 64;

using Clock = std::chrono::steady_clock;

struct Client {
  int fd = -1;
  std::string peer;
  std::string in;         // the request head so far
  std::string out;        // the response, once known
  std::size_t sent = 0;   // bytes of `out` written
  bool draining = false;  // response written and our side shut down; waiting for the client's EOF
  Clock::time_point deadline;
};

std::string response(int status, std::string_view reason, std::string_view content_type,
                     std::string_view body, std::string_view extra_headers = {}) {
  return fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}Connection: close\r\n\r\n{}",
      status, reason, content_type, body.size(), extra_headers, body);
}

std::string text_response(int status, std::string_view reason, std::string_view body,
                          std::string_view extra_headers = {}) {
  return response(status, reason, "text/plain; charset=utf-8", body, extra_headers);
}

// The answer to a complete request head (request line first, terminated by an empty line).
std::string answer(std::string_view head) {
  std::string_view line = head.substr(0, head.find_first_of("\r\n"));
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp1 == 0 || sp2 == std::string_view::npos || !line.substr(sp2 + 1).starts_with("HTTP/1."))
    return text_response(400, "Bad Request", "malformed request line\n");
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  target = target.substr(0, target.find('?'));
  if (method != "GET")
    return text_response(405, "Method Not Allowed", "use GET\n", "Allow: GET\r\n");
  if (target == "/metrics") {
    std::string body;
    try {
      body = Registry::global().render_prometheus();
    } catch (const std::exception& e) {
      return text_response(500, "Internal Server Error",
                           fmt::format("metrics: rendering failed: {}\n", e.what()));
    }
    return response(200, "OK", "text/plain; version=0.0.4; charset=utf-8", body);
  }
  if (target == "/healthz") return text_response(200, "OK", "ok\n");
  return text_response(404, "Not Found", "not found; try /metrics or /healthz\n");
}

// Where the head ends (just past the empty line), or npos.
std::size_t head_end(std::string_view in) {
  std::size_t crlf = in.find("\r\n\r\n");
  std::size_t lf = in.find("\n\n");
  if (crlf != std::string_view::npos && (lf == std::string_view::npos || crlf < lf))
    return crlf + 4;
  return lf == std::string_view::npos ? lf : lf + 2;
}

}  // namespace

struct MetricsServer::State {
  std::string host;
  int port;
  std::function<void(std::string_view)> report;
  int listen_fd = -1;
  int wake_read = -1;
  int wake_write = -1;
  std::atomic<int> bound_port{0};
  std::thread thread;
  // After accept() fails for want of descriptors or memory, the listener rests until then
  // (it would stay readable and spin the loop otherwise). Server thread only.
  Clock::time_point accept_paused_until{};
  std::mutex lifecycle;  // serializes start() and stop()

  void run();
  void accept_clients(std::vector<Client>& clients);
  // Reads or writes what the client is ready for; returns false when it is done with.
  bool serve(Client& client, short revents);
  void say(std::string_view line) {
    if (report) report(line);
  }
  void close_fds() {
    for (int* fd : {&listen_fd, &wake_read, &wake_write}) {
      if (*fd >= 0) ::close(*fd);
      *fd = -1;
    }
  }
};

MetricsServer::MetricsServer(std::string host, int port,
                             std::function<void(std::string_view)> report)
    : state_(std::make_unique<State>()) {
  state_->host = std::move(host);
  state_->port = port;
  state_->report = std::move(report);
}

MetricsServer::~MetricsServer() {
  stop();
}

int MetricsServer::port() const noexcept {
  return state_->bound_port.load();
}

std::string MetricsServer::start() {
  State& s = *state_;
  std::lock_guard lock(s.lifecycle);
  if (s.thread.joinable()) return "metrics: already started";
  std::string where = fmt::format("{}:{}", s.host, s.port);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(s.port));
  std::string ip = s.host == "localhost" ? "127.0.0.1" : s.host;
  if (s.port < 0 || s.port > 65535 || inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) != 1)
    return fmt::format("metrics: cannot listen on {}: not an IPv4 address and port", where);
  auto fail = [&](std::string_view what) {
    std::string message = fmt::format("metrics: cannot listen on {}: {}", where, what);
    s.close_fds();
    return message;
  };
  s.listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s.listen_fd < 0) return fail(std::strerror(errno));
  int one = 1;
  if (setsockopt(s.listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
    return fail(std::strerror(errno));
  if (::bind(s.listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return fail(std::strerror(errno));
  if (::listen(s.listen_fd, 64) != 0) return fail(std::strerror(errno));
  socklen_t len = sizeof addr;
  if (getsockname(s.listen_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return fail(std::strerror(errno));
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_NONBLOCK | O_CLOEXEC) != 0) return fail(std::strerror(errno));
  s.wake_read = pipe_fds[0];
  s.wake_write = pipe_fds[1];
  s.bound_port.store(ntohs(addr.sin_port));
  try {
    s.thread = std::thread([&s] { s.run(); });
  } catch (const std::system_error& e) {
    return fail(e.what());
  }
  return {};
}

void MetricsServer::stop() {
  State& s = *state_;
  std::lock_guard lock(s.lifecycle);
  if (!s.thread.joinable()) return;
  char byte = 1;
  // The pipe is empty or holds a byte already; either way the loop wakes.
  while (::write(s.wake_write, &byte, 1) < 0 && errno == EINTR) {
  }
  s.thread.join();
  s.close_fds();
}

void MetricsServer::State::run() {
  std::vector<Client> clients;
  std::vector<pollfd> fds;
  for (;;) {
    fds.clear();
    fds.push_back({wake_read, POLLIN, 0});
    // At the client limit the listener waits in its backlog until a slot frees.
    auto now = Clock::now();
    bool accepting = clients.size() < kMaxClients && now >= accept_paused_until;
    fds.push_back({listen_fd, static_cast<short>(accepting ? POLLIN : 0), 0});
    auto next_deadline = now + kIdle;
    if (now < accept_paused_until) next_deadline = std::min(next_deadline, accept_paused_until);
    for (const Client& c : clients) {
      bool writing = !c.out.empty() && !c.draining;
      fds.push_back({c.fd, static_cast<short>(writing ? POLLOUT : POLLIN), 0});
      next_deadline = std::min(next_deadline, c.deadline);
    }
    auto wait = std::chrono::ceil<std::chrono::milliseconds>(next_deadline - now).count();
    int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(wait, 0)));
    if (ready < 0) {
      if (errno == EINTR) continue;
      say(fmt::format("metrics: poll failed: {}; the endpoint stops", std::strerror(errno)));
      break;
    }
    if (fds[0].revents != 0) break;  // stop()
    now = Clock::now();
    std::vector<Client> kept;
    kept.reserve(clients.size());
    for (std::size_t i = 0; i < clients.size(); ++i) {
      Client& c = clients[i];
      short revents = fds[i + 2].revents;
      bool keep = revents == 0 || serve(c, revents);
      if (keep && revents == 0 && now >= c.deadline) {
        if (!c.draining)
          say(fmt::format("metrics: closed {}: silent for {} s", c.peer, kIdle.count()));
        keep = false;
      }
      if (keep)
        kept.push_back(std::move(c));
      else
        ::close(c.fd);
    }
    clients = std::move(kept);
    if ((fds[1].revents & POLLIN) != 0) accept_clients(clients);
  }
  for (Client& c : clients) ::close(c.fd);
}

void MetricsServer::State::accept_clients(std::vector<Client>& clients) {
  while (clients.size() < kMaxClients) {
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &len,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED)
        return;
      // Out of descriptors or memory: say so, and rest the listener for a second.
      say(fmt::format("metrics: accept failed: {}; retrying in 1 s", std::strerror(errno)));
      accept_paused_until = Clock::now() + std::chrono::seconds(1);
      return;
    }
    char ip[INET_ADDRSTRLEN] = "?";
    inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
    Client& c = clients.emplace_back();
    c.fd = fd;
    c.peer = fmt::format("{}:{}", ip, ntohs(peer.sin_port));
    c.deadline = Clock::now() + kIdle;
  }
}

bool MetricsServer::State::serve(Client& c, short revents) {
  char buf[4096];
  if (c.draining) {
    // Discard whatever the client still sends until it closes, so that closing our end does not
    // reset the connection before it has read the response.
    for (;;) {
      ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
      if (n > 0) continue;
      if (n < 0 && errno == EINTR) continue;
      return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
  }
  if (c.out.empty()) {
    for (;;) {
      ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
      if (n > 0) {
        c.in.append(buf, static_cast<std::size_t>(n));
        c.deadline = Clock::now() + kIdle;
        std::size_t end = head_end(c.in);
        if (end != std::string::npos && end <= kMaxHead) {
          c.out = answer(std::string_view(c.in).substr(0, end));
          break;
        }
        if (c.in.size() >= kMaxHead) {
          c.out =
              text_response(431, "Request Header Fields Too Large", "request head over 8 KiB\n");
          break;
        }
        continue;
      }
      if (n == 0) return false;  // closed before a full request: nothing to answer
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
      return false;  // reset by the peer
    }
  } else if ((revents & (POLLERR | POLLHUP)) != 0 && (revents & POLLOUT) == 0) {
    return false;
  }
  // Write as much of the response as the socket takes now; the rest on POLLOUT.
  while (c.sent < c.out.size()) {
    ssize_t n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
    if (n > 0) {
      c.sent += static_cast<std::size_t>(n);
      c.deadline = Clock::now() + kIdle;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    return false;  // the peer went away
  }
  // Done: half-close so the client sees the end of the response, then wait (briefly) for its
  // close.
  ::shutdown(c.fd, SHUT_WR);
  c.draining = true;
  c.deadline = Clock::now() + kDrain;
  return true;
}

}  // namespace hallows::obs
