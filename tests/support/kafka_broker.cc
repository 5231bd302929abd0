#include "support/kafka_broker.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "support/kafka_client.h"
#include "support/ports.h"

namespace kanal::testing {
namespace {

using std::chrono::milliseconds;

// A small heap and the C1 compiler only: the broker starts in about half the time and a test
// cluster never needs C2's peak throughput. -XX:-UsePerfData keeps /tmp/hsperfdata_* away.
const std::vector<std::string> kJvmFlags = {
    "-Xms128m",
    "-Xmx512m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-Xshare:auto",
    "-XX:-UsePerfData",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
    "-Djava.net.preferIPv4Stack=true",
};

// Harness defaults; KafkaBrokerOptions::properties may override any of them.
std::map<std::string, std::string> default_properties(const std::filesystem::path& data,
                                                      uint16_t port, uint16_t controller_port) {
  const std::string broker = "127.0.0.1:" + std::to_string(port);
  const std::string controller = "127.0.0.1:" + std::to_string(controller_port);
  return {
      {"process.roles", "broker,controller"},
      {"node.id", "1"},
      // Static quorum: the storage is formatted without --standalone.
      {"controller.quorum.voters", "1@" + controller},
      {"listeners", "PLAINTEXT://" + broker + ",CONTROLLER://" + controller},
      {"advertised.listeners", "PLAINTEXT://" + broker},
      {"controller.listener.names", "CONTROLLER"},
      {"inter.broker.listener.name", "PLAINTEXT"},
      {"listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"},
      {"log.dirs", data.string()},
      // One node: every internal topic has replication factor 1.
      {"offsets.topic.replication.factor", "1"},
      {"transaction.state.log.replication.factor", "1"},
      {"transaction.state.log.min.isr", "1"},
      {"share.coordinator.state.topic.replication.factor", "1"},
      {"share.coordinator.state.topic.min.isr", "1"},
      // One partition per coordinator topic: the coordinator loads at once instead of 50 times.
      {"offsets.topic.num.partitions", "1"},
      {"transaction.state.log.num.partitions", "1"},
      {"share.coordinator.state.topic.num.partitions", "1"},
      // Groups (Connect's worker group among them) rebalance without the 3 s wait.
      {"group.initial.rebalance.delay.ms", "0"},
      {"num.partitions", "1"},
      // A broker restarted after kill -9 cannot register again until the controller expired
      // the old session (DuplicateBrokerRegistrationException): 5 s instead of 9 s of waiting.
      {"broker.heartbeat.interval.ms", "1000"},
      {"broker.session.timeout.ms", "5000"},
      // Two cores shared by many test processes: fewer threads, a smaller cleaner buffer.
      {"num.network.threads", "2"},
      {"num.io.threads", "2"},
      {"log.cleaner.dedupe.buffer.size", "16777216"},
  };
}

std::string properties_text(const std::map<std::string, std::string>& props) {
  std::string out = "# Written by kanal's test harness (tests/support/kafka_broker.cc).\n";
  for (const auto& [k, v] : props) out += k + "=" + v + "\n";
  return out;
}

// log4j2 configuration: everything at INFO into one file; nothing on the console.
std::string log4j2_text(const std::filesystem::path& log_file) {
  return "status = warn\n"
         "appender.file.type = File\n"
         "appender.file.name = FILE\n"
         "appender.file.fileName = " +
         log_file.string() +
         "\n"
         "appender.file.layout.type = PatternLayout\n"
         "appender.file.layout.pattern = [%d] %p %m (%c)%n\n"
         "rootLogger.level = INFO\n"
         "rootLogger.appenderRef.file.ref = FILE\n"
         // The request logger writes one line per request at DEBUG/TRACE; keep it quiet.
         "logger.request.name = kafka.request.logger\n"
         "logger.request.level = WARN\n";
}

// A random Kafka cluster id: 16 random bytes in unpadded base64url, as Uuid.randomUuid() gives.
// Like Kafka's Uuid.randomUuid(), it draws again when the id would start with '-', which the
// storage tool's argument parser would take for an option (about 1 start in 64 failed so).
std::string random_cluster_id() {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::random_device rd;
  unsigned char bytes[16];
  do {
    for (unsigned char& b : bytes) b = static_cast<unsigned char>(rd());
  } while (kAlphabet[bytes[0] >> 2] == '-');
  std::string out;
  for (size_t i = 0; i < sizeof bytes; i += 3) {
    uint32_t chunk = static_cast<uint32_t>(bytes[i]) << 16;
    const size_t n = std::min<size_t>(3, sizeof bytes - i);
    if (n > 1) chunk |= static_cast<uint32_t>(bytes[i + 1]) << 8;
    if (n > 2) chunk |= bytes[i + 2];
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    if (n > 1) out += kAlphabet[(chunk >> 6) & 63];
    if (n > 2) out += kAlphabet[chunk & 63];
  }
  return out;  // 22 characters
}

Result<std::filesystem::path> find_java() {
  const char* java_home = std::getenv("JAVA_HOME");
  if (java_home != nullptr && *java_home != '\0') {
    std::filesystem::path java = std::filesystem::path(java_home) / "bin" / "java";
    if (std::filesystem::exists(java)) return java;
  }
  Result<std::filesystem::path> java = find_program("java");
  if (!java.ok()) {
    return Status::not_found("cannot start the Kafka broker: " + java.status().message() +
                             "; install Java 17 (run scripts/setup) or set JAVA_HOME");
  }
  return java;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

const char* pinned_kafka_version() { return KANAL_KAFKA_VERSION; }

Result<std::filesystem::path> find_kafka_libs() {
  std::filesystem::path libs;
  std::string origin;
  if (const char* env = std::getenv("KANAL_KAFKA_LIBS"); env != nullptr && *env != '\0') {
    libs = env;
    origin = " (from KANAL_KAFKA_LIBS)";
  } else {
    std::filesystem::path cache;
    if (const char* c = std::getenv("KANAL_CACHE_DIR"); c != nullptr && *c != '\0') {
      cache = c;
    } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
      cache = std::filesystem::path(home) / ".cache" / "kanal";
    } else {
      return Status::not_found(
          "cannot locate the Kafka jars: neither KANAL_KAFKA_LIBS, KANAL_CACHE_DIR nor HOME is "
          "set");
    }
    libs = cache / ("kafka-" + std::string(KANAL_KAFKA_VERSION)) / "libs";
  }
  std::error_code ec;
  if (std::filesystem::is_directory(libs, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(libs, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("kafka_", 0) == 0 && name.ends_with(".jar")) return libs;
    }
  }
  return Status::not_found("Apache Kafka " + std::string(KANAL_KAFKA_VERSION) +
                           " broker jars not found: " + libs.string() + origin +
                           " holds no kafka_*.jar. Run scripts/setup (it fetches them into "
                           "${KANAL_CACHE_DIR:-$HOME/.cache/kanal}), or set KANAL_KAFKA_LIBS to "
                           "a directory with the broker's jars.");
}

KafkaBroker::KafkaBroker(KafkaBrokerOptions options) : options_(std::move(options)) {}

KafkaBroker::~KafkaBroker() {
  if (jvm_) jvm_->kill9();
}

std::string KafkaBroker::bootstrap() const { return "127.0.0.1:" + std::to_string(port_); }

pid_t KafkaBroker::pid() const { return jvm_ && !jvm_->exit_status() ? jvm_->pid() : -1; }

std::filesystem::path KafkaBroker::dir() const { return dir_ ? dir_->path() : ""; }
std::filesystem::path KafkaBroker::data_dir() const { return dir() / "data"; }
std::filesystem::path KafkaBroker::log_file() const { return dir() / "broker.log"; }
std::filesystem::path KafkaBroker::stdout_file() const { return dir() / "broker.stdout.log"; }

std::string KafkaBroker::log_tail(size_t lines) const {
  if (!dir_) return "(the broker was never started)\n";
  return "--- end of " + log_file().string() + " ---\n" + tail_of_file(log_file(), lines) +
         "--- end of " + stdout_file().string() + " ---\n" + tail_of_file(stdout_file(), 10);
}

bool KafkaBroker::running() { return jvm_ && jvm_->running(); }

Status KafkaBroker::prepare() {
  Result<std::filesystem::path> libs = find_kafka_libs();
  if (!libs.ok()) return libs.status();
  Result<std::filesystem::path> java = find_java();
  if (!java.ok()) return java.status();
  libs_ = *libs;
  java_ = *java;
  dir_.emplace("kanal-kafka");
  port_ = free_tcp_port();
  controller_port_ = free_tcp_port();
  cluster_id_ = random_cluster_id();

  std::map<std::string, std::string> props =
      default_properties(data_dir(), port_, controller_port_);
  for (const auto& [k, v] : options_.properties) props[k] = v;
  KANAL_RETURN_IF_ERROR(write_file(dir() / "server.properties", properties_text(props)));
  KANAL_RETURN_IF_ERROR(write_file(dir() / "log4j2.properties", log4j2_text(log_file())));

  ProcessSpec spec;
  spec.program = java_.string();
  spec.args = kJvmFlags;
  spec.args.push_back("-Dlog4j2.configurationFile=" + (dir() / "log4j2.properties").string());
  spec.args.insert(spec.args.end(), {"-cp", (libs_ / "*").string(), "kafka.tools.StorageTool",
                                     "format", "--cluster-id", cluster_id_, "--config",
                                     (dir() / "server.properties").string()});
  spec.log_file = dir() / "format.log";
  Result<Process> format = Process::spawn(spec);
  if (!format.ok()) return format.status().with_context("format Kafka storage");
  const std::optional<ExitStatus> exit = format->wait(std::chrono::seconds(60));
  if (!exit || !exit->success()) {
    const std::string how = exit ? exit->to_string() : "no exit within 60 s";
    format->kill9();
    return Status::internal("kafka.tools.StorageTool format failed (" + how + "):\n" +
                            tail_of_file(spec.log_file));
  }
  return Status::OK();
}

Status KafkaBroker::start() {
  if (running()) return Status::conflict("Kafka broker at " + bootstrap() + " already runs");
  if (!dir_) {
    Status prepared = prepare();
    if (!prepared.ok()) {
      return prepared.with_context("start Kafka " + std::string(KANAL_KAFKA_VERSION) + " broker");
    }
  }
  const auto started = std::chrono::steady_clock::now();
  ProcessSpec spec;
  spec.program = java_.string();
  spec.args = kJvmFlags;
  spec.args.push_back("-Dlog4j2.configurationFile=" + (dir() / "log4j2.properties").string());
  spec.args.insert(spec.args.end(), {"-cp", (libs_ / "*").string(), "kafka.Kafka",
                                     (dir() / "server.properties").string()});
  spec.log_file = stdout_file();
  // The JVM runs in the temp dir, so anything it drops in its working directory (hs_err files)
  // is removed with it.
  spec.working_dir = dir();
  Result<Process> jvm = Process::spawn(spec);
  if (!jvm.ok()) return jvm.status().with_context("start Kafka broker");
  jvm_.emplace(std::move(jvm).value());

  Status ready = wait_until_ready();
  if (!ready.ok()) {
    jvm_->kill9();
    return ready;
  }
  std::fprintf(stderr, "[kanal test harness] Kafka %s ready at %s in %.1f s (pid %d, dir %s)\n",
               KANAL_KAFKA_VERSION, bootstrap().c_str(), seconds_since(started),
               static_cast<int>(jvm_->pid()), dir().c_str());
  return Status::OK();
}

Status KafkaBroker::wait_until_ready() {
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  Status last = Status::unavailable("not probed yet");
  while (true) {
    if (!jvm_->running()) {
      return Status::internal("Kafka broker (pid " + std::to_string(jvm_->pid()) +
                              ") exited during start-up with " + jvm_->exit_status()->to_string() +
                              "\n" + log_tail());
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      return Status::timeout("Kafka broker at " + bootstrap() + " not ready within " +
                             std::to_string(options_.start_timeout.count()) +
                             " ms; last probe: " + last.message() + "\n" + log_tail());
    }
    // Each probe blocks up to 2 s waiting for answers, so this loop paces itself; the short
    // pause only matters when a probe fails fast.
    last = check_broker_ready(
        bootstrap(),
        std::min(milliseconds(2000), std::chrono::duration_cast<milliseconds>(deadline - now)));
    if (last.ok()) return Status::OK();
    std::this_thread::sleep_for(milliseconds(100));
  }
}

Status KafkaBroker::stop() {
  if (!jvm_ || !jvm_->running()) return Status::OK();
  const pid_t pid = jvm_->pid();
  const ExitStatus exit = jvm_->stop(options_.stop_timeout);
  if (!exit.exited && exit.signal == 9) {
    return Status::timeout("Kafka broker (pid " + std::to_string(pid) + ") ignored SIGTERM for " +
                           std::to_string(options_.stop_timeout.count()) + " ms and was killed\n" +
                           log_tail());
  }
  return Status::OK();
}

Status KafkaBroker::restart() {
  KANAL_RETURN_IF_ERROR(stop());
  return start();
}

void KafkaBroker::kill9() {
  if (jvm_) jvm_->kill9();
}

}  // namespace kanal::testing
