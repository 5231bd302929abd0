// The `kanal` executable: argument parsing, configuration loading, wiring and signal handling.
//
// Exit codes: 0 after a clean stop; 2 for bad usage or configuration (the message names the key
// and the reason); 3 when a connector given on the command line cannot be created (as Connect's
// connect-standalone); 1 for any other start-up failure (brokers unreachable, offsets file
// unusable).
#include <limits.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#if KANAL_WITH_MIMALLOC
#include <mimalloc.h>
#endif

#include "common/log.h"
#include "config/config_file.h"
#include "config/worker_config.h"
#include "data/converter.h"
#include "herder/distributed_herder.h"
#include "herder/standalone_herder.h"
#include "kafka/client.h"
#include "plugins/plugin_registry.h"
#include "rest/rest_server.h"
#include "runtime/plugin_catalog.h"
#include "runtime/status.h"
#include "runtime/worker.h"
#include "storage/config_store.h"
#include "storage/internal_topics.h"
#include "storage/kafka_offset_store.h"
#include "storage/sqlite_offset_store.h"
#include "storage/status_topic_store.h"
#include "transforms/transform_registry.h"

namespace {

using kanal::Status;
using kanal::config::ConfigMap;
using kanal::config::WorkerConfig;
using kanal::config::WorkerMode;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitConnector = 3;

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
    "development (the quickstart). Logging: KANAL_LOG_LEVEL=TRACE|DEBUG|INFO|WARN|ERROR,\n"
    "KANAL_LOG_FORMAT=text|json (or kanal.log.format in the worker config).\n";

// Which allocator serves malloc in this process: "mimalloc <version>" when the build links it and
// it really took over malloc (a pointer from calloc lies in its heap), else "system".
std::string allocator_name() {
#if KANAL_WITH_MIMALLOC
  void* probe = std::calloc(1, 16);  // zeroed: GCC warns of a const pointer to unset bytes
  bool ours = mi_is_in_heap_region(probe);
  std::free(probe);
  if (ours) {
    int v = mi_version();
    return "mimalloc " + std::to_string(v / 100) + "." + std::to_string(v / 10 % 10) + "." +
           std::to_string(v % 10);
  }
#endif
  return "system";
}

const kanal::log::Logger& logger() {
  static const kanal::log::Logger l("kanal.worker");
  return l;
}

int fail(const std::string& what, const Status& s, int code) {
  std::fprintf(stderr, "kanal: %s: %s\n", what.c_str(), s.message().c_str());
  logger().error("worker.start.failed", {{"reason", what + ": " + s.message()}});
  return code;
}

int fail(const std::string& what, const Status& s) {
  return fail(what, s, s.code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailure);
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

void wait_for_stop_signal(const sigset_t& set) {
  int sig = 0;
  sigwait(&set, &sig);
  logger().info("worker.stopping", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
}

// The bundled plugins: <dir of the executable>/../plugins (the build tree and an installed
// tree both have this layout), else the build-time path.
std::vector<std::filesystem::path> plugin_path(const WorkerConfig& config) {
  std::vector<std::filesystem::path> out;
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  std::filesystem::path bundled = KANAL_BUNDLED_PLUGIN_DIR;
  if (n > 0) {
    self[n] = '\0';
    auto candidate = std::filesystem::path(self).parent_path().parent_path() / "plugins";
    if (std::filesystem::is_directory(candidate)) bundled = candidate;
  }
  out.push_back(bundled);
  for (const std::string& p : config.plugin_path()) out.emplace_back(p);
  return out;
}

// "host:port" of an advertised URL "http://host:port/".
std::string worker_id_from_url(std::string url) {
  auto scheme = url.find("://");
  if (scheme != std::string::npos) url = url.substr(scheme + 3);
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// Installed plugins plus the built-in converters and transforms, with the plugins'
// transformations, predicates and converters registered beside the built-ins.
struct PluginSet {
  kanal::plugins::PluginRegistry plugins;
  kanal::data::ConverterRegistry converters;
  kanal::transforms::TransformRegistry transforms;
};

PluginSet load_plugins(const WorkerConfig& config) {
  PluginSet set{kanal::plugins::PluginRegistry::scan(plugin_path(config)),
                kanal::data::ConverterRegistry::with_builtins(),
                kanal::transforms::TransformRegistry::with_builtins()};
  Status components =
      kanal::plugins::register_plugin_components(set.plugins, set.transforms, set.converters);
  if (!components.ok()) logger().warn("plugins.components", {{"error", components.message()}});
  return set;
}

struct ConnectorFile {
  std::string path;
  ConfigMap config;
};

int run_standalone(const WorkerConfig& config, const std::vector<ConnectorFile>& files,
                   const sigset_t& stop_signals) {
  auto admin = kanal::kafka::Admin::create(config.internal_client_config());
  if (!admin.ok()) return fail("Kafka admin client", admin.status());
  auto cluster_id = admin->cluster_id(std::chrono::seconds(30));
  if (!cluster_id.ok()) return fail("connecting to Kafka", cluster_id.status(), kExitFailure);
  logger().info("kafka.connected", {{"cluster_id", *cluster_id}});

  kanal::storage::SqliteOffsetStore offsets(
      config.parsed().get_string("offset.storage.file.filename"));
  Status opened = offsets.start();
  if (!opened.ok()) return fail("offsets file", opened, kExitFailure);

  PluginSet loaded = load_plugins(config);
  auto& [plugins, converters, transforms] = loaded;
  kanal::runtime::RegistryCatalog catalog(plugins, converters, transforms);
  kanal::runtime::MemoryStatusStore status;
  kanal::runtime::Worker worker(
      {&config, &catalog, &converters, &transforms, &offsets, &status, ""});
  kanal::herder::StandaloneHerder herder(config, worker, status, offsets, catalog, converters,
                                         transforms, "", *cluster_id);
  kanal::rest::RestServer rest(config, herder);
  Status served = rest.start();
  if (!served.ok()) return fail("REST server", served);
  std::string worker_id = worker_id_from_url(rest.advertised_url());
  worker.set_worker_id(worker_id);
  herder.set_worker_id(worker_id);
  herder.start();
  logger().info("rest.started", {{"url", rest.advertised_url()}});

  for (const ConnectorFile& f : files) {
    std::string name = f.config.at("name");
    std::optional<kanal::herder::TargetState> initial;
    auto it = f.config.find("initial_state");
    ConfigMap cfg = f.config;
    if (it != f.config.end()) {
      initial = kanal::herder::parse_target_state(it->second);
      cfg.erase("initial_state");
    }
    auto created = herder.put_connector_config(name, cfg, false, initial);
    if (!created.ok()) {
      rest.stop();
      herder.stop();
      return fail("connector config '" + f.path + "'", created.status(), kExitConnector);
    }
  }
  herder.set_ready();
  logger().info("worker.started", {{"mode", "standalone"},
                                   {"version", KANAL_VERSION},
                                   {"allocator", allocator_name()},
                                   {"worker_id", worker_id},
                                   {"connectors", std::to_string(files.size())}});
  wait_for_stop_signal(stop_signals);
  rest.stop();
  herder.stop();
  offsets.stop();
  logger().info("worker.stopped");
  return kExitOk;
}

int run_distributed(const WorkerConfig& given, const sigset_t& stop_signals) {
  // offset.storage.file.filename is standalone's offsets file; here it would be taken for an
  // offsets-topic setting (prefix offset.storage.) and fail the topic's creation.
  std::optional<WorkerConfig> without_file;
  if (given.originals().count("offset.storage.file.filename")) {
    ConfigMap originals = given.originals();
    originals.erase("offset.storage.file.filename");
    auto rebuilt = WorkerConfig::create(std::move(originals), WorkerMode::kDistributed);
    if (!rebuilt.ok()) return fail("worker config", rebuilt.status());
    without_file = std::move(rebuilt).value();
    logger().warn("config.ignored",
                  {{"key", "offset.storage.file.filename"},
                   {"reason", "standalone only; offsets live in offset.storage.topic"}});
  }
  const WorkerConfig& config = without_file ? *without_file : given;
  auto admin = kanal::kafka::Admin::create(config.internal_client_config());
  if (!admin.ok()) return fail("Kafka admin client", admin.status());
  auto cluster_id = admin->cluster_id(std::chrono::seconds(30));
  if (!cluster_id.ok()) return fail("connecting to Kafka", cluster_id.status(), kExitFailure);
  logger().info("kafka.connected", {{"cluster_id", *cluster_id}});
  Status topics = kanal::storage::ensure_internal_topics(config, *admin);
  if (!topics.ok()) return fail("internal topics", topics);

  const kanal::config::ParsedConfig& p = config.parsed();
  ConfigMap clients = config.internal_client_config();
  kanal::storage::KafkaOffsetStore offsets(
      {.topic = p.get_string("offset.storage.topic"),
       .client_settings = clients,
       .write_timeout = std::chrono::milliseconds(config.offset_flush_timeout_ms())});
  Status opened = offsets.start();
  if (!opened.ok()) return fail("offsets topic", opened, kExitFailure);
  kanal::storage::StatusTopicStore status(
      {.topic = p.get_string("status.storage.topic"), .client_settings = clients});
  opened = status.start();
  if (!opened.ok()) return fail("status topic", opened, kExitFailure);
  kanal::storage::ConfigStore configs(
      {.topic = p.get_string("config.storage.topic"), .client_settings = clients});

  PluginSet loaded = load_plugins(config);
  auto& [plugins, converters, transforms] = loaded;
  kanal::runtime::RegistryCatalog catalog(plugins, converters, transforms);
  kanal::runtime::Worker worker(
      {&config, &catalog, &converters, &transforms, &offsets, &status, ""});
  kanal::herder::DistributedHerder herder(config, worker, configs, status, offsets, catalog,
                                          converters, transforms, *cluster_id);
  kanal::rest::RestServer rest(config, herder);
  Status served = rest.start();
  if (!served.ok()) return fail("REST server", served);
  std::string worker_id = worker_id_from_url(rest.advertised_url());
  worker.set_worker_id(worker_id);
  herder.set_identity(worker_id, rest.advertised_url());
  Status joined = herder.start();
  if (!joined.ok()) {
    rest.stop();
    herder.stop();
    return fail("joining the cluster", joined, kExitFailure);
  }
  logger().info("worker.started", {{"mode", "distributed"},
                                   {"version", KANAL_VERSION},
                                   {"allocator", allocator_name()},
                                   {"worker_id", worker_id},
                                   {"group", p.get_string("group.id")}});
  wait_for_stop_signal(stop_signals);
  rest.stop();
  herder.stop();
  status.stop();
  offsets.stop();
  logger().info("worker.stopped");
  return kExitOk;
}

int run(WorkerMode mode, const std::string& worker_path,
        const std::vector<std::string>& connector_paths) {
  sigset_t stop_signals = block_stop_signals();

  auto props = kanal::config::load_config_file(worker_path);
  if (!props.ok()) return fail("worker config", props.status());
  auto config = WorkerConfig::create(std::move(props).value(), mode);
  if (!config.ok()) return fail("worker config '" + worker_path + "'", config.status());
  if (auto f = kanal::log::parse_format(config->parsed().get_string("kanal.log.format"))) {
    kanal::log::set_format(*f);
  }
  for (const std::string& key : config->unused_keys()) {
    logger().warn("config.unused", {{"key", key}, {"file", worker_path}});
  }
  // Certificates, credentials and listeners are checked before connecting to Kafka: a typo
  // there should not wait for the brokers.
  Status rest_settings = kanal::rest::RestServer::check_config(*config);
  if (!rest_settings.ok()) return fail("worker config '" + worker_path + "'", rest_settings);

  std::vector<ConnectorFile> connectors;
  for (const std::string& path : connector_paths) {
    auto c = kanal::config::load_config_file(path);
    if (!c.ok()) return fail("connector config", c.status(), kExitConnector);
    for (const char* required : {"name", "connector.class"}) {
      auto it = c->find(required);
      if (it == c->end() || kanal::config::trim(it->second).empty()) {
        return fail("connector config '" + path + "'",
                    Status::invalid_argument(std::string("Missing required configuration \"") +
                                             required + "\" which has no default value."),
                    kExitConnector);
      }
    }
    connectors.push_back({path, std::move(c).value()});
  }

  std::unique_ptr<kanal::kafka::EmbeddedCluster> embedded;
  if (config->embedded_kafka()) {
    auto cluster = kanal::kafka::EmbeddedCluster::start();
    if (!cluster.ok()) return fail("embedded Kafka", cluster.status());
    embedded = std::move(cluster).value();
    logger().info("kafka.embedded.started", {{"bootstrap", embedded->bootstrap()},
                                             {"note", "development only, data is not kept"}});
    // Topics the command-line connectors name get one partition, so the quickstart keeps the
    // order of its lines end to end.
    for (const ConnectorFile& f : connectors) {
      for (const char* key : {"topic", "topics"}) {
        auto it = f.config.find(key);
        if (it == f.config.end()) continue;
        for (const std::string& t : kanal::config::split_list(it->second)) {
          (void)embedded->create_topic(t, 1);
        }
      }
    }
    ConfigMap with_bootstrap = config->originals();
    with_bootstrap["bootstrap.servers"] = embedded->bootstrap();
    auto rebased = WorkerConfig::create(std::move(with_bootstrap), mode);
    if (!rebased.ok()) return fail("worker config", rebased.status());
    config = std::move(rebased);
  }

  if (mode == WorkerMode::kDistributed) return run_distributed(*config, stop_signals);
  return run_standalone(*config, connectors, stop_signals);
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
    std::printf("kanal %s\nallocator: %s\n", KANAL_VERSION, allocator_name().c_str());
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
