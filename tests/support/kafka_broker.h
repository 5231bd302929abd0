// kanal::testing::KafkaBroker: a real, single-node Apache Kafka broker (KRaft, combined
// broker+controller) for integration and e2e tests, listening on 127.0.0.1 only.
//
// The broker is the pinned version fetched by scripts/setup (scripts/versions.env), run as
// `java -cp '<libs>/*' kafka.Kafka server.properties` under a Process, so it cannot outlive the
// test binary (PDEATHSIG; see support/process.h: construct and start it from the main thread).
// Everything it writes (data, server.properties, broker.log, stdout) lives in one temporary
// directory, removed by the destructor (kept with KANAL_KEEP_TEST_DIRS=1).
//
// Settings are tuned for a fast, small, single-node test cluster: replication factors 1, one
// partition for __consumer_offsets and __transaction_state (fast coordinator load), no initial
// rebalance delay, a small JVM heap. A typical start takes 2-4 s.
//
// Most tests do not create one: integration and e2e binaries get a running broker from
// kanal::testing::broker() (support/broker_environment.h). Not thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace kanal::testing {

struct KafkaBrokerOptions {
  // server.properties entries added to, or replacing, the harness defaults.
  std::map<std::string, std::string> properties;
  // start() fails when the broker does not serve metadata and consumer groups by then.
  std::chrono::milliseconds start_timeout = std::chrono::seconds(60);
  // stop() kills the JVM when a graceful shutdown takes longer.
  std::chrono::milliseconds stop_timeout = std::chrono::seconds(30);
};

class KafkaBroker {
 public:
  explicit KafkaBroker(KafkaBrokerOptions options = {});
  KafkaBroker(const KafkaBroker&) = delete;
  KafkaBroker& operator=(const KafkaBroker&) = delete;
  // Kills the JVM if it runs (SIGKILL: its data is about to be deleted anyway) and removes the
  // temporary directory.
  ~KafkaBroker();

  // First call: locates the Kafka jars, picks two free loopback ports (broker and controller),
  // writes the configuration and formats the storage with a fresh cluster id. Every call: starts
  // the JVM and blocks until the broker serves Metadata and its group coordinator answers (see
  // check_broker_ready()). A later call restarts the broker on the same ports and data, which is
  // what fault tests need. Errors: jars missing (names the path and "run scripts/setup"), format
  // failure, the JVM exiting, or the start timeout; each carries the end of the broker log.
  // Error if already running.
  Status start();
  // Graceful shutdown (SIGTERM), SIGKILL after options.stop_timeout. Keeps ports and data for a
  // later start(). OK if not running. Returns an error only if the JVM had to be killed.
  Status stop();
  // stop() then start().
  Status restart();
  // SIGKILL the JVM and reap it: a broker crash. start() afterwards recovers the data.
  void kill9();
  // True while the JVM runs (it may not be serving yet, or any more).
  bool running();

  // "127.0.0.1:<port>": bootstrap.servers for clients. Valid after the first start() attempt.
  std::string bootstrap() const;
  uint16_t port() const { return port_; }
  uint16_t controller_port() const { return controller_port_; }
  // The cluster id the storage was formatted with (22 characters of base64url). Empty before
  // the first start().
  const std::string& cluster_id() const { return cluster_id_; }
  // Pid of the JVM, or -1 when not running.
  pid_t pid() const;
  // The temporary directory; data_dir() is its "data" folder (log.dirs and the KRaft metadata
  // log, including meta.properties).
  std::filesystem::path dir() const;
  std::filesystem::path data_dir() const;
  // The broker's own log (log4j2) and the JVM's stdout/stderr.
  std::filesystem::path log_file() const;
  std::filesystem::path stdout_file() const;
  // The end of both logs, for failure messages.
  std::string log_tail(size_t lines = 40) const;

 private:
  Status prepare();
  Status wait_until_ready();

  KafkaBrokerOptions options_;
  std::optional<TempDir> dir_;
  std::filesystem::path libs_;
  std::filesystem::path java_;
  uint16_t port_ = 0;
  uint16_t controller_port_ = 0;
  std::string cluster_id_;
  std::optional<Process> jvm_;  // declared after dir_: destroyed (killed) before dir_ is removed
};

// The directory holding the broker's jars: $KANAL_KAFKA_LIBS if set, else
// ${KANAL_CACHE_DIR:-$HOME/.cache/kanal}/kafka-<pinned version>/libs. Error, naming the path
// and the fix (run scripts/setup), when it holds no kafka_*.jar.
Result<std::filesystem::path> find_kafka_libs();

// The Kafka version pinned in scripts/versions.env when the tests were configured.
const char* pinned_kafka_version();

}  // namespace kanal::testing
