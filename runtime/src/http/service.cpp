// Service::start: resolving the host, one SO_REUSEPORT listening socket per core of the
// partition, one event loop per socket registered as a receiver pinned to its worker.
#include "hallows/http/service.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "hallows/core/partition.h"
#include "server_loop.h"
#include "service_shared.h"

namespace hallows::http {

struct Service::State {
  std::shared_ptr<detail::ServiceShared> shared;
  std::vector<std::shared_ptr<detail::ServerLoop>> loops;
  int port = 0;
};

namespace {

constexpr int kBacklog = 4096;
// After work, a loop's worker keeps polling this long before it sleeps: a request that comes
// right after a response is read without a wake-up (measured: one keep-alive client gets ~30%
// more requests/s and a ~25% lower p50; docs/basilisk-http.md).
constexpr std::chrono::nanoseconds kBusyPoll = std::chrono::microseconds(50);

struct Address {
  sockaddr_storage storage{};
  socklen_t size = 0;
  std::string text;  // "127.0.0.1" or "[::1]"
};

// IPv4 and IPv6 literals ("::1" or "[::1]"), "localhost" (127.0.0.1), "" (every IPv4 address).
bool resolve(const std::string& host, int port, Address& out, std::string& error) {
  std::string name = host.empty() ? "0.0.0.0" : host == "localhost" ? "127.0.0.1" : host;
  if (name.size() > 2 && name.front() == '[' && name.back() == ']')
    name = name.substr(1, name.size() - 2);
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
  if (inet_pton(AF_INET, name.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<std::uint16_t>(port));
    out.size = sizeof(sockaddr_in);
    out.text = name;
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
  if (inet_pton(AF_INET6, name.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<std::uint16_t>(port));
    out.size = sizeof(sockaddr_in6);
    out.text = "[" + name + "]";
    return true;
  }
  error = fmt::format("cannot listen on '{}': not an IPv4 or IPv6 address (or localhost)", host);
  return false;
}

void set_port(Address& address, int port) {
  auto p = htons(static_cast<std::uint16_t>(port));
  if (address.storage.ss_family == AF_INET)
    reinterpret_cast<sockaddr_in*>(&address.storage)->sin_port = p;
  else
    reinterpret_cast<sockaddr_in6*>(&address.storage)->sin6_port = p;
}

int listen_on(const Address& address, std::string& error) {
  int fd = ::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = fmt::format("socket: {}", std::strerror(errno));
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.size) != 0 ||
      ::listen(fd, kBacklog) != 0) {
    error = fmt::format("cannot listen on {}:{}: {}", address.text,
                        ntohs(reinterpret_cast<const sockaddr_in*>(&address.storage)->sin_port),
                        std::strerror(errno));
    ::close(fd);
    return -1;
  }
  return fd;
}

// SO_REUSEPORT would let a second program of the same user share a port that is in use (and
// take part of its connections). A probe socket without it finds out first.
bool port_is_free(const Address& address, std::string& error) {
  int fd = ::socket(address.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return true;  // the real bind reports the problem
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  bool free = ::bind(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.size) == 0;
  if (!free && errno == EADDRINUSE) {
    error = fmt::format(
        "cannot listen on {}:{}: the address is in use (another program listens "
        "there)",
        address.text, ntohs(reinterpret_cast<const sockaddr_in*>(&address.storage)->sin_port));
  } else {
    free = true;  // another error: the real bind reports it
  }
  ::close(fd);
  return free;
}

int bound_port(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
}

void report_to_stderr(std::string_view line) {
  std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  std::fflush(stderr);
}

}  // namespace

Service::Service(std::unique_ptr<State> state) : state_(std::move(state)) {}

// The loops stay alive as long as the partition's receivers (they hold them too).
Service::~Service() = default;

int Service::port() const noexcept {
  return state_->port;
}

const ServiceSpec& Service::spec() const noexcept {
  return state_->shared->spec;
}

std::unique_ptr<Service> Service::start(core::Partition& partition, ServiceSpec spec,
                                        std::string& error) {
  if (!spec.report) spec.report = report_to_stderr;
  if (spec.port < 0 || spec.port > 65535) {
    error = fmt::format("port {} is not between 0 and 65535", spec.port);
    return nullptr;
  }
  Address address;
  if (!resolve(spec.host, spec.port, address, error)) return nullptr;
  const bool address_port_fixed = spec.port != 0;

  auto state = std::make_unique<State>();
  try {
    state->shared = std::make_shared<detail::ServiceShared>(std::move(spec));
  } catch (const std::invalid_argument& e) {
    error = e.what();
    return nullptr;
  }
  detail::ServiceShared& shared = *state->shared;
  if (shared.spec.access_log == AccessLog::kStderr) {
    shared.access_fd = STDERR_FILENO;
  } else if (shared.spec.access_log == AccessLog::kFile) {
    shared.access_fd = ::open(shared.spec.access_log_path.c_str(),
                              O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (shared.access_fd < 0) {
      error = fmt::format("cannot open the access log '{}': {}", shared.spec.access_log_path,
                          std::strerror(errno));
      return nullptr;
    }
    shared.own_access_fd = true;
  }

  if (address_port_fixed && !port_is_free(address, error)) return nullptr;
  // One socket per core; with port 0 the first picks the port and the others share it.
  int cores = std::max(1, partition.spec().cores);
  std::vector<int> fds;
  auto close_fds = [&] {
    for (int fd : fds) ::close(fd);
  };
  for (int i = 0; i < cores; ++i) {
    int fd = listen_on(address, error);
    if (fd < 0) {
      close_fds();
      return nullptr;
    }
    fds.push_back(fd);
    if (i == 0) {
      state->port = bound_port(fd);
      set_port(address, state->port);
    }
  }
  for (int i = 0; i < cores; ++i) {
    auto loop = std::make_shared<detail::ServerLoop>(state->shared, fds[i], i);
    fds[i] = -1;  // the loop owns it now
    if (!loop->open(error)) {
      close_fds();
      return nullptr;
    }
    state->loops.push_back(std::move(loop));
  }
  try {
    for (int i = 0; i < cores; ++i) {
      std::shared_ptr<detail::ServerLoop> loop = state->loops[static_cast<std::size_t>(i)];
      core::Receiver receiver;
      receiver.name = fmt::format("http {} loop {}", shared.spec.name, i);
      receiver.wait_fd = loop->wait_fd();
      receiver.worker = i;
      receiver.busy_poll = kBusyPoll;
      receiver.poll = [loop](std::size_t max) { return loop->poll(max); };
      receiver.done = [loop] { return loop->done(); };
      receiver.on_closed = [loop] { loop->close_all(); };
      receiver.reset = [loop] { loop->close_all(); };
      partition.add_receiver(std::move(receiver));
    }
  } catch (const std::logic_error& e) {
    error = fmt::format("Service::start must be called before Program::run(): {}", e.what());
    return nullptr;
  }
  shared.spec.report(fmt::format("basilisk: {} listening on {}:{} ({} core{})", shared.spec.name,
                                 address.text, state->port, cores, cores == 1 ? "" : "s"));
  return std::unique_ptr<Service>(new Service(std::move(state)));
}

}  // namespace hallows::http
