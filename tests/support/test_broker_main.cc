// kanal_test_broker: runs the harness's Kafka broker in the foreground, for trying kanal by
// hand and for the harness's own orphan-JVM test.
//
//   kanal_test_broker [--exit-after-seconds N]
//
// Prints one line "ready bootstrap=127.0.0.1:<port> pid=<jvm pid> dir=<temp dir>" on stdout
// when the broker serves, then waits for SIGINT/SIGTERM (or N seconds) and stops it. If this
// process is killed with SIGKILL, the kernel kills the JVM too (PDEATHSIG).
#include <signal.h>
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "support/kafka_broker.h"

int main(int argc, char** argv) {
  long exit_after_seconds = -1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--exit-after-seconds") == 0 && i + 1 < argc) {
      exit_after_seconds = std::strtol(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: %s [--exit-after-seconds N]\n", argv[0]);
      return 2;
    }
  }
  // Signals are taken synchronously with sigtimedwait below; the mask is not inherited by the
  // JVM (Process resets it in the child).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  sigprocmask(SIG_BLOCK, &stop_signals, nullptr);

  kanal::testing::KafkaBroker broker;
  kanal::Status started = broker.start();
  if (!started.ok()) {
    std::fprintf(stderr, "%s\n", started.to_string().c_str());
    return 1;
  }
  std::printf("ready bootstrap=%s pid=%d dir=%s\n", broker.bootstrap().c_str(),
              static_cast<int>(broker.pid()), broker.dir().c_str());
  std::fflush(stdout);

  timespec limit{};
  limit.tv_sec = exit_after_seconds >= 0 ? exit_after_seconds : 0;
  const int sig = exit_after_seconds >= 0 ? sigtimedwait(&stop_signals, nullptr, &limit)
                                          : sigwaitinfo(&stop_signals, nullptr);
  std::fprintf(stderr, "kanal_test_broker: %s, stopping the broker\n",
               sig > 0 ? strsignal(sig) : "time is up");
  kanal::Status stopped = broker.stop();
  if (!stopped.ok()) std::fprintf(stderr, "%s\n", stopped.to_string().c_str());
  return 0;
}
