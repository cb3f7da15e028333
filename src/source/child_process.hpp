#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>

namespace arraycast {

// A command run by `/bin/sh -c`, so that a user can write a pipeline. The
// child leads a process group of its own (so that stopping it stops the
// whole pipeline), reads /dev/null, writes to two pipes, and inherits none
// of the server's other descriptors (the listening socket, the clients').
//
// posix_spawn, not fork: glibc spawns with CLONE_VFORK, which neither copies
// a large server's page tables nor runs any of our code in the child of a
// multithreaded process; and its file actions close every other descriptor
// (closefrom) in the child. The exit is watched through a pidfd, which Asio
// can wait on like any descriptor: no process-wide SIGCHLD handler.
struct child_process {
  pid_t pid = 0;       // and process group
  int stdout_fd = -1;  // the caller owns the three descriptors, close-on-exec
  int stderr_fd = -1;
  int exit_fd = -1;    // a pidfd: readable once the child has exited
};

// Throws std::system_error when the shell cannot be started.
child_process spawn_shell(const std::string& command);

// Reaps `pid` if it has exited: its wait status, or -1 while it runs.
int try_reap(pid_t pid);

// SIGTERM to the child's group; SIGKILL after `grace` if the child is still
// there; the child reaped either way. Blocks the caller for at most about `grace`.
int terminate_group(pid_t pid, int exit_fd, std::chrono::milliseconds grace);

// "exited with status 1", "killed by signal 9 (Killed)"
std::string describe_status(int status);
bool exited_cleanly(int status);

}  // namespace arraycast
