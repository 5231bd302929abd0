// kanal::testing::Process: a child process owned by a test (a Kafka broker JVM, a kanal worker,
// PostgreSQL, a shell command).
//
// Guarantees that matter for a test suite:
//   - The child never outlives the test process. The destructor kills (SIGKILL) and reaps it,
//     and the child is spawned with prctl(PR_SET_PDEATHSIG, SIGKILL), so the kernel kills it
//     even when the test binary itself is killed with SIGKILL or crashes.
//     PDEATHSIG follows the *thread* that forked, not the process: a child spawned from a
//     thread is killed when that thread exits. Spawn from the main thread (GoogleTest runs tests
//     and environments there) or from a thread that lives as long as the child.
//   - stdout and stderr of the child go to one log file, appended to, so a failing test can show
//     the end of it (see tail_of_file() in support/temp_dir.h).
//   - Every live child's pid is in a process-wide registry that an async-signal-safe handler
//     (kill_children_and_reraise, installed by install_child_cleanup_on_signals()) kills on
//     SIGINT/SIGTERM/SIGHUP, so Ctrl-C on a test binary leaves nothing behind.
//
// Not thread-safe: one thread drives a Process at a time. Move-only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace kanal::testing {

// How a child ended.
struct ExitStatus {
  bool exited = false;  // true: returned from main/exit(); `code` is set
  int code = 0;         // exit code when `exited`
  int signal = 0;       // terminating signal when !exited

  static ExitStatus from_wait_status(int wstatus);
  bool success() const { return exited && code == 0; }
  // "exit code 3" or "killed by signal 9 (Killed)".
  std::string to_string() const;
};

// Designated initializers work: Process::spawn({.program = "sh", .args = {"-c", "true"},
// .log_file = dir / "sh.log"}).
struct ProcessSpec {
  // Program to run: an absolute path, or a name looked up in PATH.
  std::string program = {};
  // Arguments after argv[0] (argv[0] is `program`).
  std::vector<std::string> args = {};
  // Variables set in the child on top of the inherited environment (or instead of it when
  // `inherit_environment` is false). An empty value sets the variable to "".
  std::map<std::string, std::string> env = {};
  bool inherit_environment = true;
  // Variables removed from the inherited environment.
  std::vector<std::string> unset_env = {};
  // stdout and stderr are appended to this file (created if missing). Required.
  std::filesystem::path log_file = {};
  // Working directory of the child; empty keeps the test's.
  std::filesystem::path working_dir = {};
};

class Process {
 public:
  // Starts the program. Returns an error when the program cannot be found or executed (the
  // exec error is reported synchronously through a close-on-exec pipe) or the log file cannot
  // be opened. Call from the main thread (see PDEATHSIG above).
  static Result<Process> spawn(const ProcessSpec& spec);

  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  // Kills the child with SIGKILL if it still runs and reaps it. Never blocks for long: SIGKILL
  // cannot be ignored.
  ~Process();

  // Pid of the child; stays valid (for messages) after it was reaped.
  pid_t pid() const { return pid_; }
  const std::filesystem::path& log_file() const { return log_file_; }

  // True while the child has not exited. Reaps it if it has (the status is kept).
  bool running();
  // Exit status once the child was reaped, by running(), wait(), stop() or kill9().
  const std::optional<ExitStatus>& exit_status() const { return exit_status_; }

  // Sends `sig` to the child. Returns false when it has already been reaped or kill() failed.
  bool signal(int sig);
  // Waits up to `timeout` for the child to exit; nullopt when it still runs. Does not signal.
  std::optional<ExitStatus> wait(std::chrono::milliseconds timeout);
  // Graceful stop: SIGTERM, wait up to `timeout`, then SIGKILL and reap. Returns how the child
  // ended (signal 9 means it had to be killed). Returns the kept status if already reaped.
  ExitStatus stop(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // SIGKILL and reap: simulates a crash. Returns the kept status if already reaped.
  ExitStatus kill9();

 private:
  Process(pid_t pid, std::filesystem::path log_file);
  // Non-blocking reap; true when the child has been reaped (now or before).
  bool try_reap();
  void reap_blocking();

  pid_t pid_ = -1;
  std::filesystem::path log_file_;
  std::optional<ExitStatus> exit_status_;
};

// How a program run to its end ended, and what it wrote (its log file is emptied first).
struct RunResult {
  ExitStatus status;
  std::string output;
};
// Runs `spec` until it exits, or stops it once `timeout` has passed. A program that cannot be
// started fails the calling test (and gives an empty output).
RunResult run_to_exit(const ProcessSpec& spec, std::chrono::milliseconds timeout);

// Installs handlers for SIGINT, SIGTERM and SIGHUP that SIGKILL every live child spawned by
// Process, restore the default disposition and re-raise the signal, so the test binary still
// dies of it. Idempotent. Called by kanal_test_broker_main's main(); other mains may call it.
void install_child_cleanup_on_signals();

// Resolves `program` like execvp would: returns it unchanged if it contains '/', else the first
// executable PATH entry. Error when nothing is found.
Result<std::filesystem::path> find_program(const std::string& program);

}  // namespace kanal::testing
