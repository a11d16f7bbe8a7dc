#include "driver/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace pt {

bool read_file(const fs::path& path, std::string& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    error = "read error";
    return false;
  }
  out = text.str();
  return true;
}

bool replace_file(const fs::path& path, std::string_view text, std::string& error) {
  std::error_code ec;  // is_symlink sets it for a path that does not exist yet: no error here
  fs::path target = path;
  if (fs::is_symlink(path, ec)) {
    target = fs::canonical(path, ec);
    if (ec) {
      error = ec.message();
      return false;
    }
  }
  mode_t mode = 0644;
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0) {
    mode = st.st_mode & 07777;
  } else if (errno != ENOENT) {
    error = std::strerror(errno);
    return false;
  }
  std::string temp = target.string() + ".parsel-XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  bool ok = true;
  std::size_t done = 0;
  while (ok && done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ok = false;
    if (n > 0) done += static_cast<std::size_t>(n);
  }
  if (ok && ::fchmod(fd, mode) != 0) ok = false;
  if (ok && ::fsync(fd) != 0) ok = false;
  int saved = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (ok && ::rename(temp.c_str(), target.c_str()) != 0) {
    ok = false;
    saved = errno;
  }
  if (!ok) {
    error = std::strerror(saved != 0 ? saved : EIO);
    ::unlink(temp.c_str());
    return false;
  }
  return true;
}

int take_stdout_for_protocol() {
  std::fflush(stdout);
  int protocol = ::dup(STDOUT_FILENO);
  if (protocol < 0) return -1;
  if (::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    int saved = errno;
    ::close(protocol);
    errno = saved;
    return -1;
  }
  std::signal(SIGPIPE, SIG_IGN);
  return protocol;
}

}  // namespace pt
