#include "runtime/worker.h"

#include <algorithm>
#include <string_view>

#include "common/log.h"
#include "config/config_provider.h"
#include "metrics/metrics.h"
#include "runtime/connector_config.h"
#include "runtime/converters.h"
#include "runtime/sink_task_runner.h"
#include "runtime/source_task_runner.h"

namespace kanal::runtime {
namespace {

using Clock = std::chrono::steady_clock;

using config::get_or;

void overlay(config::ConfigMap& into, const config::ConfigMap& from) {
  for (const auto& [k, v] : from) into[k] = v;
}

constexpr const char* kConfigException = "org.apache.kafka.common.config.ConfigException: ";

// `s` with config-provider values masked in its message (log::redact): plugins' messages may
// quote a setting, and the herder puts them into status traces.
Status redacted(const Status& s) {
  std::string m = log::redact(s.message());
  if (m == s.message()) return s;
  switch (s.code()) {
    case Status::Code::kOk:
      return s;
    case Status::Code::kInvalidArgument:
      return Status::invalid_argument(std::move(m));
    case Status::Code::kNotFound:
      return Status::not_found(std::move(m));
    case Status::Code::kConflict:
      return Status::conflict(std::move(m));
    case Status::Code::kTimeout:
      return Status::timeout(std::move(m));
    case Status::Code::kInternal:
      return Status::internal(std::move(m));
    case Status::Code::kUnavailable:
      return Status::unavailable(std::move(m));
    case Status::Code::kKafka:
      return Status::kafka_error(std::move(m), s.retriable());
    case Status::Code::kIo:
      return Status::io_error(std::move(m));
  }
  return Status::internal(std::move(m));
}

// connect-worker-metrics' startup counters (herder thread: their one writer).
void count_startup(metrics::WorkerMetrics& m, std::string_view state, bool task = false) {
  bool failed = state == kFailed;
  (task ? m.task_startup_attempts : m.connector_startup_attempts).add();
  if (task) {
    (failed ? m.task_startup_failure : m.task_startup_success).add();
  } else {
    (failed ? m.connector_startup_failure : m.connector_startup_success).add();
  }
}

}  // namespace

config::ConfigMap Worker::client_overrides(const std::string& connector,
                                           const config::ConfigMap& cc,
                                           std::string_view kind) const {
  // The herder asks for admin settings with the stored config (offsets API): resolve here too.
  auto resolved = s_.config->providers().resolve(cc);
  std::vector<std::pair<std::string, std::string>> dropped;
  config::ConfigMap out = safe_overrides(resolved.ok() ? *resolved : cc, kind,
                                         s_.config->client_allowed_paths(), &dropped);
  for (const auto& [k, why] : dropped) {
    logger_.warn("client.override.refused",
                 {{"connector", connector}, {"key", k}, {"reason", why}});
  }
  return out;
}

Worker::Worker(WorkerServices services) : s_(std::move(services)), logger_("kanal.worker") {}

Worker::~Worker() { stop_all(); }

Result<ConnectorPlugin*> Worker::plugin_for(const config::ConfigMap& c) {
  std::string cls = std::string(config::trim(get_or(c, "connector.class", "")));
  if (cls.empty()) {
    return Status::invalid_argument(
        "Connector config must contain a 'connector.class' setting naming the connector plugin");
  }
  return s_.plugins->connector(cls, get_or(c, "connector.plugin.version", ""));
}

Status Worker::start_connector(const std::string& name, const config::ConfigMap& config,
                               TargetState state, ConnectorContext& ctx) {
  auto report = [&](const char* st, std::optional<std::string> trace, const std::string& ver) {
    if (std::string_view(st) != kStopped) count_startup(metrics::Registry::global().worker(), st);
    if (trace) trace = log::redact(*trace);
    s_.status->put_connector(name, herder::StateInfo{st, s_.worker_id, std::move(trace), ver});
  };
  auto resolved = s_.config->providers().resolve(config);
  if (!resolved.ok()) {
    report(kFailed, kConfigException + resolved.status().message(), "");
    logger_.error("connector.failed",
                  {{"connector", name}, {"error", resolved.status().message()}});
    return resolved.status();
  }
  auto plugin = plugin_for(*resolved);
  if (!plugin.ok()) {
    report(kFailed,
           "org.apache.kafka.connect.errors.ConnectException: " + plugin.status().message(), "");
    return plugin.status();
  }
  ConnectorPlugin* p = *plugin;
  if (state == TargetState::kStopped) {
    connectors_.erase(name);
    report(kStopped, std::nullopt, p->version());
    return Status::OK();
  }
  auto instance = p->create_connector(ctx);
  if (!instance.ok()) {
    report(kFailed,
           "org.apache.kafka.connect.errors.ConnectException: " + instance.status().message(),
           p->version());
    return instance.status();
  }
  Status s = (*instance)->start(*resolved);
  if (!s.ok()) {
    report(kFailed, "org.apache.kafka.connect.errors.ConnectException: " + s.message(),
           p->version());
    logger_.error("connector.failed", {{"connector", name}, {"error", s.message()}});
    return s;
  }
  connectors_[name] = ConnectorEntry{
      std::move(instance).value(), p->kind(), *resolved, config, p->version(), p->task_class()};
  report(state == TargetState::kPaused ? kPaused : kRunning, std::nullopt, p->version());
  logger_.info("connector.started",
               {{"connector", name}, {"class", p->class_name()}, {"version", p->version()}});
  return Status::OK();
}

bool Worker::connector_running(const std::string& name) const {
  return connectors_.count(name) > 0;
}

Result<std::vector<config::ConfigMap>> Worker::connector_task_configs(const std::string& name) {
  auto it = connectors_.find(name);
  if (it == connectors_.end()) return Status::not_found("Connector " + name + " is not running");
  int32_t max_tasks = std::stoi(get_or(it->second.config, "tasks.max", "1"));
  auto configs = it->second.instance->task_configs(max_tasks);
  if (!configs.ok()) return redacted(configs.status());
  // Connect adds the task class to every task config it stores.
  for (auto& c : *configs) c.emplace("task.class", it->second.task_class);
  // Connect's AbstractHerder.reverseTransform: stored task configs keep the references.
  config::restore_references(*configs, it->second.raw, it->second.config);
  bool enforce = get_or(it->second.config, "tasks.max.enforce", "true") != "false";
  if (enforce && static_cast<int32_t>(configs->size()) > max_tasks) {
    return Status::invalid_argument("The connector " + name + " has generated " +
                                    std::to_string(configs->size()) +
                                    " tasks, which is greater than " + std::to_string(max_tasks) +
                                    ", the maximum number of tasks it is configured to create.");
  }
  return configs;
}

void Worker::stop_connector(const std::string& name) {
  auto it = connectors_.find(name);
  if (it == connectors_.end()) return;
  Status s = it->second.instance->stop();
  if (!s.ok()) logger_.warn("connector.stop.failed", {{"connector", name}, {"error", s.message()}});
  connectors_.erase(it);
  logger_.info("connector.stopped", {{"connector", name}});
}

config::ConfigMap Worker::producer_settings(const std::string& connector, int32_t task,
                                            const config::ConfigMap& cc) const {
  // Connect's task producer defaults, made idempotent: acks=all and idempotence keep order and
  // avoid duplicates from internal retries; message.timeout.ms=0 retries until delivered
  // (Connect's delivery.timeout.ms=Integer.MAX_VALUE). murmur2_random picks the partition Java's
  // default partitioner picks for a key.
  config::ConfigMap out{
      {"acks", "all"},
      {"enable.idempotence", "true"},
      {"message.timeout.ms", "0"},
      {"partitioner", "murmur2_random"},
      {"linger.ms", "5"},
      {"client.id", "connector-producer-" + connector + "-" + std::to_string(task)}};
  overlay(out, s_.config->client_config("producer"));
  overlay(out, client_overrides(connector, cc, "producer"));
  return out;
}

config::ConfigMap Worker::consumer_settings(const std::string& connector, int32_t task,
                                            const config::ConfigMap& cc) const {
  config::ConfigMap out{
      {"group.id", "connect-" + connector},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "earliest"},
      {"client.id", "connector-consumer-" + connector + "-" + std::to_string(task)}};
  overlay(out, s_.config->client_config("consumer"));
  overlay(out, client_overrides(connector, cc, "consumer"));
  return out;
}

config::ConfigMap Worker::admin_settings(const std::string& connector,
                                         const config::ConfigMap& cc) const {
  config::ConfigMap out{{"client.id", "connector-adminclient-" + connector}};
  overlay(out, s_.config->client_config("admin"));
  overlay(out, client_overrides(connector, cc, "admin"));
  return out;
}

Status Worker::start_task(const herder::TaskId& id, const config::ConfigMap& raw_cc,
                          const config::ConfigMap& raw_task_config, TargetState state) {
  auto fail = [&](const Status& s,
                  const char* kind = "org.apache.kafka.connect.errors.ConnectException: ") {
    count_startup(metrics::Registry::global().worker(), kFailed, /*task=*/true);
    s_.status->put_task(id, herder::StateInfo{kFailed, s_.worker_id,
                                              log::redact(kind + s.message()), std::nullopt});
    logger_.error(
        "task.failed",
        {{"connector", id.connector}, {"task", std::to_string(id.task)}, {"error", s.message()}});
    return s;
  };
  auto resolved_cc = s_.config->providers().resolve(raw_cc);
  if (!resolved_cc.ok()) return fail(resolved_cc.status(), kConfigException);
  auto resolved_task = s_.config->providers().resolve(raw_task_config);
  if (!resolved_task.ok()) return fail(resolved_task.status(), kConfigException);
  const config::ConfigMap& cc = *resolved_cc;
  const config::ConfigMap& task_config = *resolved_task;
  auto plugin = plugin_for(cc);
  if (!plugin.ok()) return fail(plugin.status());
  auto converters = TaskConverters::create(*s_.converters, *s_.config, cc);
  if (!converters.ok()) return fail(converters.status());
  auto chain = transforms::TransformChain::create(cc, *s_.transforms);
  if (!chain.ok()) return fail(chain.status());
  std::unique_ptr<TaskRunner> runner;
  const auto& wc = *s_.config;
  if ((*plugin)->kind() == ConnectorKind::kSource) {
    auto task = (*plugin)->create_source_task(id.connector, id.task);
    if (!task.ok()) return fail(task.status());
    SourceTaskSetup setup;
    setup.id = id;
    setup.connector_config = cc;
    setup.task_config = task_config;
    setup.producer_settings = producer_settings(id.connector, id.task, cc);
    setup.admin_settings = admin_settings(id.connector, cc);
    setup.offset_flush_interval_ms = wc.offset_flush_interval_ms();
    setup.offset_flush_timeout_ms = wc.offset_flush_timeout_ms();
    setup.topic_creation_enabled = wc.parsed().get_bool("topic.creation.enable");
    setup.task = std::move(task).value();
    setup.converters = std::move(converters).value();
    setup.transforms = std::move(chain).value();
    setup.offsets = s_.offsets;
    runner = std::make_unique<SourceTaskRunner>(std::move(setup), *s_.status, s_.worker_id);
  } else {
    auto task = (*plugin)->create_sink_task(id.connector, id.task);
    if (!task.ok()) return fail(task.status());
    SinkTaskSetup setup;
    setup.id = id;
    setup.connector_config = cc;
    setup.task_config = task_config;
    setup.consumer_settings = consumer_settings(id.connector, id.task, cc);
    setup.producer_settings = producer_settings(id.connector, id.task, cc);
    setup.admin_settings = admin_settings(id.connector, cc);
    setup.offset_flush_interval_ms = wc.offset_flush_interval_ms();
    setup.task = std::move(task).value();
    setup.converters = std::move(converters).value();
    setup.transforms = std::move(chain).value();
    runner = std::make_unique<SinkTaskRunner>(std::move(setup), *s_.status, s_.worker_id);
  }
  runner->start(state == TargetState::kPaused);
  count_startup(metrics::Registry::global().worker(), kRunning, /*task=*/true);
  tasks_[id] = std::move(runner);
  logger_.info("task.started", {{"connector", id.connector}, {"task", std::to_string(id.task)}});
  return Status::OK();
}

void Worker::stop_tasks(const std::vector<herder::TaskId>& ids) {
  std::vector<std::pair<herder::TaskId, std::unique_ptr<TaskRunner>>> stopping;
  for (const auto& id : ids) {
    auto it = tasks_.find(id);
    if (it == tasks_.end()) continue;
    it->second->request_stop();
    stopping.emplace_back(id, std::move(it->second));
    tasks_.erase(it);
  }
  auto deadline =
      Clock::now() + std::chrono::milliseconds(s_.config->task_shutdown_graceful_timeout_ms());
  for (auto& [id, runner] : stopping) {
    if (!runner->await_stop(deadline)) {
      runner->abandon();
      (void)runner.release();  // the abandoned thread still uses it
      s_.status->put_task(id, herder::StateInfo{kFailed, s_.worker_id,
                                                "org.apache.kafka.connect.errors.ConnectException: "
                                                "task did not stop within "
                                                "task.shutdown.graceful.timeout.ms and was "
                                                "abandoned",
                                                std::nullopt});
    }
  }
}

std::vector<herder::TaskId> Worker::tasks_of(const std::string& connector) const {
  std::vector<herder::TaskId> out;
  for (const auto& [id, r] : tasks_) {
    if (id.connector == connector) out.push_back(id);
  }
  return out;
}

void Worker::set_target_state(const std::string& connector, TargetState state) {
  for (auto& [id, r] : tasks_) {
    if (id.connector == connector) r->set_paused(state == TargetState::kPaused);
  }
  auto it = connectors_.find(connector);
  if (it != connectors_.end() && state != TargetState::kStopped) {
    s_.status->put_connector(connector,
                             herder::StateInfo{state == TargetState::kPaused ? kPaused : kRunning,
                                               s_.worker_id, std::nullopt, it->second.version});
  }
}

void Worker::stop_all() {
  std::vector<herder::TaskId> ids;
  for (const auto& [id, r] : tasks_) ids.push_back(id);
  stop_tasks(ids);
  std::vector<std::string> names;
  for (const auto& [n, c] : connectors_) names.push_back(n);
  for (const auto& n : names) stop_connector(n);
}

}  // namespace kanal::runtime
