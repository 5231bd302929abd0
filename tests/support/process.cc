#include "support/process.h"

#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <thread>
#include <utility>

#include "support/temp_dir.h"

extern char** environ;

namespace kanal::testing {
namespace {

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

// Pids of live children, read by the signal handler. A fixed array of lock-free atomics is the
// only shape a handler may touch safely. A full registry only loses the signal-time kill;
// PDEATHSIG still covers those children.
constexpr size_t kMaxChildren = 256;
std::array<std::atomic<pid_t>, kMaxChildren> g_children{};
static_assert(std::atomic<pid_t>::is_always_lock_free);

void register_child(pid_t pid) {
  for (auto& slot : g_children) {
    pid_t expected = 0;
    if (slot.compare_exchange_strong(expected, pid)) return;
  }
}

void unregister_child(pid_t pid) {
  for (auto& slot : g_children) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

extern "C" void kill_children_and_reraise(int sig) {
  const int saved_errno = errno;
  for (auto& slot : g_children) {
    const pid_t pid = slot.load(std::memory_order_relaxed);
    if (pid > 0) ::kill(pid, SIGKILL);
  }
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  ::sigaction(sig, &dfl, nullptr);
  // `sig` is blocked while this handler runs: it is delivered, with the default action, as soon
  // as the handler returns, so the test binary still dies of the signal it got.
  ::raise(sig);
  errno = saved_errno;
}

// What the child reports through the exec-error pipe before it exits.
struct ChildError {
  int stage;  // 0: exec, 1: chdir, 2: parent already gone, 3: stdio setup
  int err;
};

std::string errno_text(int err) { return std::string(::strerror(err)); }

}  // namespace

ExitStatus ExitStatus::from_wait_status(int wstatus) {
  ExitStatus s;
  if (WIFEXITED(wstatus)) {
    s.exited = true;
    s.code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    s.signal = WTERMSIG(wstatus);
  }
  return s;
}

std::string ExitStatus::to_string() const {
  if (exited) return "exit code " + std::to_string(code);
  if (signal == 0) return "unknown exit status (reaped elsewhere)";
  const char* name = ::sigabbrev_np(signal);
  return "killed by signal " + std::to_string(signal) + " (SIG" + (name ? name : "?") + ")";
}

Result<std::filesystem::path> find_program(const std::string& program) {
  if (program.empty()) return Status::invalid_argument("empty program name");
  if (program.find('/') != std::string::npos) return std::filesystem::path(program);
  const char* path_env = std::getenv("PATH");
  std::string path = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    if (dir.empty()) dir = ".";
    std::filesystem::path candidate = std::filesystem::path(dir) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return Status::not_found("program '" + program + "' not found in PATH (" + path + ")");
}

Result<Process> Process::spawn(const ProcessSpec& spec) {
  if (spec.log_file.empty()) {
    return Status::invalid_argument("ProcessSpec for '" + spec.program + "' has no log_file");
  }
  Result<std::filesystem::path> program = find_program(spec.program);
  if (!program.ok()) return program.status();

  // Everything the child needs is built before fork(): between fork() and exec() a child of a
  // multi-threaded process may only call async-signal-safe functions (no malloc).
  std::vector<std::string> arg_storage;
  arg_storage.push_back(spec.program);
  arg_storage.insert(arg_storage.end(), spec.args.begin(), spec.args.end());
  std::vector<char*> argv;
  for (std::string& a : arg_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::map<std::string, std::string> env_map;
  if (spec.inherit_environment) {
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
      std::string_view kv(*e);
      size_t eq = kv.find('=');
      if (eq == std::string_view::npos) continue;
      env_map.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
    }
  }
  for (const std::string& name : spec.unset_env) env_map.erase(name);
  for (const auto& [k, v] : spec.env) env_map[k] = v;
  std::vector<std::string> env_storage;
  for (const auto& [k, v] : env_map) env_storage.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (std::string& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  const std::string working_dir = spec.working_dir.string();
  const std::string exe = program->string();

  const int log_fd = ::open(spec.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return Status::io_error("cannot open log file " + spec.log_file.string() + " for '" +
                            spec.program + "': " + errno_text(errno));
  }
  int err_pipe[2];
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    const int err = errno;
    ::close(log_fd);
    return Status::internal("pipe2: " + errno_text(err));
  }

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(log_fd);
    ::close(err_pipe[0]);
    ::close(err_pipe[1]);
    return Status::internal("fork for '" + spec.program + "': " + errno_text(err));
  }
  if (pid == 0) {
    // Child: async-signal-safe calls only.
    auto fail = [&](int stage, int err) {
      ChildError ce{stage, err};
      [[maybe_unused]] ssize_t n = ::write(err_pipe[1], &ce, sizeof ce);
      ::_exit(127);
    };
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // The parent may have died between fork() and prctl(): then no death signal will come.
    if (::getppid() != parent) fail(2, 0);
    // Blocked signals and ignored dispositions survive exec; start the child clean.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig = 1; sig < NSIG; ++sig) {
      if (sig == SIGKILL || sig == SIGSTOP) continue;
      struct sigaction dfl {};
      dfl.sa_handler = SIG_DFL;
      ::sigaction(sig, &dfl, nullptr);
    }
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd < 0 || ::dup2(null_fd, STDIN_FILENO) < 0) fail(3, errno);
    if (::dup2(log_fd, STDOUT_FILENO) < 0 || ::dup2(log_fd, STDERR_FILENO) < 0) fail(3, errno);
    if (!working_dir.empty() && ::chdir(working_dir.c_str()) != 0) fail(1, errno);
    // Descriptors the test process opened without O_CLOEXEC (sockets, files) must not leak
    // into the child. Best effort: needs Linux 5.11.
    ::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    ::execve(exe.c_str(), argv.data(), envp.data());
    fail(0, errno);
  }

  ::close(log_fd);
  ::close(err_pipe[1]);
  ChildError ce{};
  ssize_t n;
  do {
    n = ::read(err_pipe[0], &ce, sizeof ce);
  } while (n < 0 && errno == EINTR);
  ::close(err_pipe[0]);
  if (n == static_cast<ssize_t>(sizeof ce)) {
    int wstatus = 0;
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    switch (ce.stage) {
      case 0:
        return Status::invalid_argument("cannot execute " + exe + ": " + errno_text(ce.err));
      case 1:
        return Status::io_error("cannot chdir to " + working_dir + " for " + exe + ": " +
                                errno_text(ce.err));
      case 2:
        return Status::internal("test process lost its child " + exe + " during spawn");
      default:
        return Status::io_error("cannot set up stdio for " + exe + ": " + errno_text(ce.err));
    }
  }
  register_child(pid);
  return Process(pid, spec.log_file);
}

Process::Process(pid_t pid, std::filesystem::path log_file)
    : pid_(pid), log_file_(std::move(log_file)) {}

Process::Process(Process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      log_file_(std::move(other.log_file_)),
      exit_status_(std::move(other.exit_status_)) {}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0 && !exit_status_) kill9();
    pid_ = std::exchange(other.pid_, -1);
    log_file_ = std::move(other.log_file_);
    exit_status_ = std::move(other.exit_status_);
  }
  return *this;
}

Process::~Process() {
  if (pid_ > 0 && !exit_status_) kill9();
}

bool Process::try_reap() {
  if (exit_status_) return true;
  if (pid_ <= 0) return false;
  int wstatus = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &wstatus, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0) return false;
  unregister_child(pid_);
  // r < 0 (ECHILD): someone else reaped it, e.g. SIGCHLD set to SIG_IGN; the status is lost.
  exit_status_ = r == pid_ ? ExitStatus::from_wait_status(wstatus) : ExitStatus{};
  return true;
}

void Process::reap_blocking() {
  if (exit_status_ || pid_ <= 0) return;
  int wstatus = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &wstatus, 0);
  } while (r < 0 && errno == EINTR);
  unregister_child(pid_);
  exit_status_ = r == pid_ ? ExitStatus::from_wait_status(wstatus) : ExitStatus{};
}

bool Process::running() { return pid_ > 0 && !try_reap(); }

bool Process::signal(int sig) {
  if (pid_ <= 0 || exit_status_) return false;
  // An exited but unreaped child is a zombie: kill() succeeds and does nothing, which is fine.
  return ::kill(pid_, sig) == 0;
}

std::optional<ExitStatus> Process::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // Bounded polling: waitpid has no timeout and SIGCHLD handling would be process-global.
  auto pause = std::chrono::milliseconds(1);
  while (!try_reap()) {
    if (pid_ <= 0) return std::nullopt;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return std::nullopt;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
  return exit_status_;
}

ExitStatus Process::stop(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return ExitStatus{};
  if (try_reap()) return *exit_status_;
  signal(SIGTERM);
  if (std::optional<ExitStatus> s = wait(timeout)) return *s;
  return kill9();
}

ExitStatus Process::kill9() {
  if (pid_ <= 0) return ExitStatus{};
  if (try_reap()) return *exit_status_;
  ::kill(pid_, SIGKILL);
  reap_blocking();
  return *exit_status_;
}

void install_child_cleanup_on_signals() {
  static const bool installed = [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction sa {};
      sa.sa_handler = kill_children_and_reraise;
      sigemptyset(&sa.sa_mask);
      ::sigaction(sig, &sa, nullptr);
    }
    return true;
  }();
  (void)installed;
}

RunResult run_to_exit(const ProcessSpec& spec, std::chrono::milliseconds timeout) {
  std::error_code ignored;
  std::filesystem::remove(spec.log_file, ignored);  // the output of this run only
  auto p = Process::spawn(spec);
  if (!p.ok()) {
    ADD_FAILURE() << "cannot run " << spec.program << ": " << p.status().message();
    return {};
  }
  auto status = p->wait(timeout);
  if (!status) status = p->stop(std::chrono::seconds(5));
  auto output = read_file(spec.log_file);
  return {*status, output.ok() ? *output : std::string()};
}

}  // namespace kanal::testing
