// Running code that must panic in a forked child, so the test process survives.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace hallows::testing {

struct ChildResult {
  int exit_status = -1;  // -1 when the child did not exit normally
  std::string stderr_text;
  std::string stdout_text;
};

// Runs f() in a child process and captures its exit status, stdout and stderr.
template <class F>
ChildResult run_in_child(F f) {
  int err_pipe[2];
  int out_pipe[2];
  if (pipe(err_pipe) != 0 || pipe(out_pipe) != 0) std::abort();
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(err_pipe[1], 2);
    dup2(out_pipe[1], 1);
    close(err_pipe[0]);
    close(out_pipe[0]);
    f();
    std::fflush(stdout);
    _exit(0);
  }
  close(err_pipe[1]);
  close(out_pipe[1]);
  ChildResult result;
  auto drain = [](int fd, std::string& into) {
    char buffer[4096];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0) into.append(buffer, static_cast<size_t>(n));
    close(fd);
  };
  // The outputs are small, so reading one pipe after the other cannot deadlock.
  drain(out_pipe[0], result.stdout_text);
  drain(err_pipe[0], result.stderr_text);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
  return result;
}

}  // namespace hallows::testing
