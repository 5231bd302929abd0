#include "support/process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "support/assertions.h"
#include "support/eventually.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string log_of(const Process& p) {
  Result<std::string> content = read_file(p.log_file());
  return content.ok() ? *content : content.status().to_string();
}

// True while `pid` exists and is not a zombie.
bool alive(pid_t pid) {
  Result<std::string> stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  if (!stat.ok()) return false;
  const size_t paren = stat->rfind(')');
  return paren != std::string::npos && paren + 2 < stat->size() && (*stat)[paren + 2] != 'Z';
}

class ProcessTest : public ::testing::Test {
 protected:
  Result<Process> spawn_sh(const std::string& script, std::vector<std::string> extra_args = {},
                           std::map<std::string, std::string> env = {}) {
    std::vector<std::string> args = {"-c", script, "sh"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    return Process::spawn({.program = "sh", .args = args, .env = env, .log_file = dir_ / "sh.log"});
  }

  TempDir dir_{"kanal-process-test"};
};

TEST_F(ProcessTest, ReturnsExitCodeAndLogsBothStreamsWhenProgramExits) {
  Result<Process> p = spawn_sh("echo to-stdout; echo to-stderr >&2; exit 3");
  ASSERT_TRUE(is_ok(p));

  std::optional<ExitStatus> status = p->wait(seconds(10));

  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->exited);
  EXPECT_EQ(status->code, 3);
  EXPECT_FALSE(p->running());
  EXPECT_EQ(log_of(*p), "to-stdout\nto-stderr\n");
}

TEST_F(ProcessTest, PassesArgumentsAndEnvironmentToTheProgram) {
  Result<Process> p = spawn_sh("echo \"$1|$KANAL_PROCESS_TEST\"", {"an argument"},
                               {{"KANAL_PROCESS_TEST", "a value"}});
  ASSERT_TRUE(is_ok(p));

  ASSERT_TRUE(p->wait(seconds(10)).has_value());

  EXPECT_EQ(log_of(*p), "an argument|a value\n");
}

TEST_F(ProcessTest, StopsWithSigtermWhenProgramHonoursIt) {
  Result<Process> p = Process::spawn({.program = "sleep", .args = {"60"}, .log_file = dir_ / "l"});
  ASSERT_TRUE(is_ok(p));

  ExitStatus status = p->stop(seconds(10));

  EXPECT_FALSE(status.exited);
  EXPECT_EQ(status.signal, SIGTERM) << status.to_string();
}

TEST_F(ProcessTest, KillsAfterTimeoutWhenProgramIgnoresSigterm) {
  // exec keeps the ignored disposition, so sleep itself ignores SIGTERM.
  Result<Process> p = spawn_sh("trap '' TERM; echo ready; exec sleep 60");
  ASSERT_TRUE(is_ok(p));
  ASSERT_TRUE(eventually([&] { return log_of(*p) == "ready\n"; }, seconds(10)));

  ExitStatus status = p->stop(milliseconds(300));

  EXPECT_EQ(status.signal, SIGKILL) << status.to_string();
}

TEST_F(ProcessTest, KillsAndReapsTheChildWhenDestroyed) {
  pid_t pid = -1;

  {
    Result<Process> p =
        Process::spawn({.program = "sleep", .args = {"60"}, .log_file = dir_ / "l"});
    ASSERT_TRUE(is_ok(p));
    pid = p->pid();
  }

  EXPECT_EQ(::kill(pid, 0), -1);  // reaped: the pid no longer exists, not even as a zombie
  EXPECT_EQ(errno, ESRCH);
}

TEST_F(ProcessTest, ReportsTheProgramWhenItCannotBeExecuted) {
  Result<Process> p =
      Process::spawn({.program = "/nonexistent/kanal-program", .log_file = dir_ / "l"});

  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("/nonexistent/kanal-program"), std::string::npos)
      << p.status().to_string();
}

TEST_F(ProcessTest, ReportsNotFoundWhenProgramIsNotInPath) {
  Result<Process> p = Process::spawn({.program = "kanal-no-such-program", .log_file = dir_ / "l"});

  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Status::Code::kNotFound) << p.status().to_string();
}

TEST_F(ProcessTest, ChildDiesWhenTheProcessThatSpawnedItIsKilled) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t middle = ::fork();
  ASSERT_GE(middle, 0);
  if (middle == 0) {
    // Stands in for a test binary: spawns a child, reports its pid, then waits to be killed.
    ::close(pipe_fds[0]);
    Result<Process> p =
        Process::spawn({.program = "sleep", .args = {"60"}, .log_file = dir_ / "l"});
    const pid_t child = p.ok() ? p->pid() : -1;
    [[maybe_unused]] ssize_t n = ::write(pipe_fds[1], &child, sizeof child);
    ::pause();
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  pid_t child = -1;
  ASSERT_EQ(::read(pipe_fds[0], &child, sizeof child), static_cast<ssize_t>(sizeof child));
  ::close(pipe_fds[0]);
  ASSERT_GT(child, 0);
  ASSERT_TRUE(alive(child));

  ::kill(middle, SIGKILL);
  ::waitpid(middle, nullptr, 0);

  EXPECT_TRUE(eventually([&] { return !alive(child); }, seconds(10),
                         [&] { return "pid " + std::to_string(child) + " alive"; }));
}

TEST(ExitStatusTest, DescribesExitCodesAndSignals) {
  const ExitStatus exited{.exited = true, .code = 3};
  const ExitStatus killed{.signal = SIGKILL};

  EXPECT_EQ(exited.to_string(), "exit code 3");
  EXPECT_EQ(killed.to_string(), "killed by signal 9 (SIGKILL)");
}

}  // namespace
}  // namespace kanal::testing
