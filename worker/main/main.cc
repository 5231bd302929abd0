// The `kanal` executable: argument parsing, configuration loading, signal handling.
//
// Exit codes: 0 after a clean stop, 2 for bad usage or configuration (the message names the key
// and the reason), 1 for a failure at run time (e.g. brokers unreachable at start-up).
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "common/log.h"
#include "config/config_file.h"
#include "config/worker_config.h"
#include "kafka/client.h"
#include "storage/internal_topics.h"

namespace {

using kanal::Status;
using kanal::config::ConfigMap;
using kanal::config::WorkerConfig;
using kanal::config::WorkerMode;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

const char* kUsage =
    "Usage:\n"
    "  kanal standalone WORKER_CONFIG [CONNECTOR_CONFIG ...]\n"
    "  kanal distributed WORKER_CONFIG\n"
    "  kanal --version | --help\n"
    "\n"
    "A Kafka Connect compatible connector worker.\n"
    "\n"
    "  standalone    run one worker; connectors come from the CONNECTOR_CONFIG files and the\n"
    "                REST API, source offsets are kept in offset.storage.file.filename.\n"
    "  distributed   join the cluster named by group.id; configs, offsets and statuses live in\n"
    "                the config/offset/status storage topics.\n"
    "\n"
    "Config files may be Java .properties, .yaml/.yml or .json (chosen by extension) and use\n"
    "Kafka Connect's setting names. bootstrap.servers=embedded runs an in-process Kafka for\n"
    "development (the quickstart). Logging: KANAL_LOG_LEVEL=TRACE|DEBUG|INFO|WARN|ERROR.\n";

const kanal::log::Logger& logger() {
  static const kanal::log::Logger l("kanal.worker");
  return l;
}

int exit_code_for(const Status& s) {
  return s.code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailure;
}

int fail(const std::string& what, const Status& s) {
  std::fprintf(stderr, "kanal: %s: %s\n", what.c_str(), s.message().c_str());
  logger().error("worker.start.failed", {{"reason", what + ": " + s.message()}});
  return exit_code_for(s);
}

// Blocks SIGINT/SIGTERM in every thread (call before starting any) so that the main thread
// alone receives them through sigwait().
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return set;
}

int wait_for_stop_signal(const sigset_t& set) {
  int sig = 0;
  sigwait(&set, &sig);
  logger().info("worker.stopping", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
  return sig;
}

int run(WorkerMode mode, const std::string& worker_path,
        const std::vector<std::string>& connector_paths) {
  sigset_t stop_signals = block_stop_signals();

  auto props = kanal::config::load_config_file(worker_path);
  if (!props.ok()) return fail("worker config", props.status());
  auto config = WorkerConfig::create(std::move(props).value(), mode);
  if (!config.ok()) return fail("worker config '" + worker_path + "'", config.status());
  for (const std::string& key : config->unused_keys()) {
    logger().warn("config.unused", {{"key", key}, {"file", worker_path}});
  }

  std::vector<ConfigMap> connectors;
  for (const std::string& path : connector_paths) {
    auto c = kanal::config::load_config_file(path);
    if (!c.ok()) return fail("connector config", c.status());
    for (const char* required : {"name", "connector.class"}) {
      auto it = c->find(required);
      if (it == c->end() || kanal::config::trim(it->second).empty()) {
        return fail("connector config '" + path + "'",
                    Status::invalid_argument(std::string("Missing required configuration \"") +
                                             required + "\" which has no default value."));
      }
    }
    connectors.push_back(std::move(c).value());
  }

  std::unique_ptr<kanal::kafka::EmbeddedCluster> embedded;
  ConfigMap overrides;
  if (config->embedded_kafka()) {
    auto cluster = kanal::kafka::EmbeddedCluster::start();
    if (!cluster.ok()) return fail("embedded Kafka", cluster.status());
    embedded = std::move(cluster).value();
    logger().info("kafka.embedded.started", {{"bootstrap", embedded->bootstrap()},
                                             {"note", "development only, data is not kept"}});
    ConfigMap with_bootstrap = config->originals();
    with_bootstrap["bootstrap.servers"] = embedded->bootstrap();
    auto rebased = WorkerConfig::create(std::move(with_bootstrap), mode);
    if (!rebased.ok()) return fail("worker config", rebased.status());
    config = std::move(rebased);
  }

  if (mode == WorkerMode::kDistributed) {
    auto admin = kanal::kafka::Admin::create(config->internal_client_config());
    if (!admin.ok()) return fail("Kafka admin client", admin.status());
    auto cluster_id = admin->cluster_id(std::chrono::seconds(30));
    if (!cluster_id.ok()) return fail("connecting to Kafka", cluster_id.status());
    logger().info("kafka.connected", {{"cluster_id", *cluster_id}});
    Status topics = kanal::storage::ensure_internal_topics(*config, *admin);
    if (!topics.ok()) return fail("internal topics", topics);
  }

  logger().info("worker.started",
                {{"mode", mode == WorkerMode::kStandalone ? "standalone" : "distributed"},
                 {"version", KANAL_VERSION},
                 {"connectors", std::to_string(connectors.size())}});
  wait_for_stop_signal(stop_signals);
  logger().info("worker.stopped");
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return kExitUsage;
  }
  const std::string& cmd = args[0];
  if (cmd == "--version" || cmd == "-V" || cmd == "version") {
    std::printf("kanal %s\n", KANAL_VERSION);
    return kExitOk;
  }
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  if (cmd == "standalone") {
    if (args.size() < 2) {
      std::fprintf(stderr, "kanal: standalone needs a worker config file\n\n%s", kUsage);
      return kExitUsage;
    }
    return run(WorkerMode::kStandalone, args[1], {args.begin() + 2, args.end()});
  }
  if (cmd == "distributed") {
    if (args.size() != 2) {
      std::fprintf(stderr, "kanal: distributed takes exactly one worker config file\n\n%s", kUsage);
      return kExitUsage;
    }
    return run(WorkerMode::kDistributed, args[1], {});
  }
  std::fprintf(stderr, "kanal: unknown command '%s'\n\n%s", cmd.c_str(), kUsage);
  return kExitUsage;
}
