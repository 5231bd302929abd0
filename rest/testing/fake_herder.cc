#include "rest/testing/fake_herder.h"

#include <algorithm>

namespace kanal::rest::testing {
namespace {

using herder::ConnectorType;
using herder::StateInfo;
using herder::TargetState;

ConnectorType type_of(const config::ConfigMap& config) {
  auto it = config.find("connector.class");
  if (it == config.end()) return ConnectorType::kUnknown;
  if (it->second.find("Source") != std::string::npos) return ConnectorType::kSource;
  if (it->second.find("Sink") != std::string::npos) return ConnectorType::kSink;
  return ConnectorType::kUnknown;
}

const char* state_name(TargetState t) {
  switch (t) {
    case TargetState::kStarted:
      return "RUNNING";
    case TargetState::kPaused:
      return "PAUSED";
    case TargetState::kStopped:
      return "STOPPED";
  }
  return "RUNNING";
}

}  // namespace

void FakeHerder::fail_with(std::optional<Status> status) {
  std::lock_guard lock(mu_);
  fail_ = std::move(status);
}

void FakeHerder::set_ready(bool ready) {
  std::lock_guard lock(mu_);
  ready_ = ready;
}

void FakeHerder::fail_task(const herder::TaskId& id, std::string trace) {
  std::lock_guard lock(mu_);
  connectors_.at(id.connector).failed_tasks[id.task] = std::move(trace);
}

void FakeHerder::hide_from_lookups(const std::string& name) {
  std::lock_guard lock(mu_);
  hidden_.push_back(name);
}

bool FakeHerder::ready() const {
  std::lock_guard lock(mu_);
  return ready_;
}

herder::ServerInfo FakeHerder::server_info() {
  return {"0.1.0-test", "abcdef0123456789", "fake-cluster-id"};
}

Status FakeHerder::injected() const { return fail_ ? *fail_ : Status::OK(); }

Result<FakeHerder::Connector*> FakeHerder::find(const std::string& name) {
  KANAL_RETURN_IF_ERROR(injected());
  auto it = connectors_.find(name);
  if (it == connectors_.end() || std::find(hidden_.begin(), hidden_.end(), name) != hidden_.end()) {
    return Status::not_found("Connector " + name + " not found");
  }
  return &it->second;
}

std::optional<std::string> FakeHerder::full_class(const std::string& name) {
  for (const char* cls : {kSourceClass, kSinkClass}) {
    std::string full = cls;
    std::string simple = full.substr(full.rfind('.') + 1);
    std::string alias = simple.substr(0, simple.size() - std::string("Connector").size());
    if (name == full || name == simple || name == alias) return full;
  }
  return std::nullopt;
}

Status FakeHerder::validate(const config::ConfigMap& config) {
  auto cls = config.find("connector.class");
  if (cls == config.end()) {
    return Status::invalid_argument("Connector config contains no connector type");
  }
  if (!full_class(cls->second)) {
    return Status::invalid_argument(
        "Failed to find any class that implements Connector and which name matches " + cls->second +
        ", available connectors are: FileStreamSinkConnector, "
        "FileStreamSourceConnector");
  }
  auto tasks = config.find("tasks.max");
  if (tasks != config.end() && tasks->second == "0") {
    return Status::invalid_argument(
        "Connector configuration is invalid and contains the following 1 error(s):\n"
        "Invalid value 0 for configuration tasks.max: Value must be at least 1\n"
        "You can also find the above list of errors at the endpoint "
        "`/connector-plugins/{connectorType}/config/validate`");
  }
  return Status::OK();
}

herder::ConnectorInfo FakeHerder::info_of(const std::string& name, const Connector& c) const {
  herder::ConnectorInfo info{name, c.config, {}, type_of(c.config)};
  for (int i = 0; i < c.tasks; ++i) info.tasks.push_back({name, i});
  return info;
}

herder::ConnectorStatus FakeHerder::status_of(const std::string& name, const Connector& c) const {
  herder::ConnectorStatus s{
      name, StateInfo{state_name(c.target), kWorkerId, {}, {}}, {}, type_of(c.config)};
  for (int i = c.tasks - 1; i >= 0; --i) {  // reversed: the REST layer must sort by id
    StateInfo task{state_name(c.target), kWorkerId, {}, {}};
    if (auto f = c.failed_tasks.find(i); f != c.failed_tasks.end()) {
      task.state = "FAILED";
      task.trace = f->second;
    }
    s.tasks.push_back({i, task});
  }
  return s;
}

Result<std::vector<std::string>> FakeHerder::connectors() {
  std::lock_guard lock(mu_);
  KANAL_RETURN_IF_ERROR(injected());
  std::vector<std::string> out;
  for (const auto& [name, c] : connectors_) out.push_back(name);
  return out;
}

Result<herder::ConnectorInfo> FakeHerder::connector_info(const std::string& name) {
  std::lock_guard lock(mu_);
  auto c = find(name);
  if (!c.ok()) return c.status();
  return info_of(name, **c);
}

Result<config::ConfigMap> FakeHerder::connector_config(const std::string& name) {
  std::lock_guard lock(mu_);
  auto c = find(name);
  if (!c.ok()) return c.status();
  return (*c)->config;
}

Result<herder::PutResult> FakeHerder::put_connector_config(
    const std::string& name, config::ConfigMap config, bool allow_replace,
    std::optional<herder::TargetState> initial_state) {
  std::lock_guard lock(mu_);
  KANAL_RETURN_IF_ERROR(injected());
  bool exists = connectors_.count(name) > 0;
  if (exists && !allow_replace) {
    return Status::conflict("Connector " + name + " already exists");
  }
  KANAL_RETURN_IF_ERROR(validate(config));
  Connector& c = connectors_[name];
  int tasks = 1;
  if (auto t = config.find("tasks.max"); t != config.end()) tasks = std::stoi(t->second);
  c.config = std::move(config);
  if (!exists) c.target = initial_state.value_or(TargetState::kStarted);
  c.tasks = c.target == TargetState::kStopped ? 0 : tasks;
  herder::ConnectorInfo info = info_of(name, c);
  if (!exists) info.tasks.clear();  // Connect: a new connector has no task configs yet
  return herder::PutResult{info, !exists};
}

Result<herder::ConnectorInfo> FakeHerder::patch_connector_config(const std::string& name,
                                                                 config::ConfigMap set,
                                                                 std::vector<std::string> remove) {
  std::lock_guard lock(mu_);
  auto c = find(name);
  if (!c.ok()) return c.status();
  config::ConfigMap merged = (*c)->config;
  for (auto& [k, v] : set) merged[k] = v;
  for (const std::string& k : remove) merged.erase(k);
  KANAL_RETURN_IF_ERROR(validate(merged));
  (*c)->config = std::move(merged);
  return info_of(name, **c);
}

Status FakeHerder::delete_connector(const std::string& name) {
  std::lock_guard lock(mu_);
  auto c = find(name);
  if (!c.ok()) return c.status();
  connectors_.erase(name);
  return Status::OK();
}

Result<herder::ConnectorStatus> FakeHerder::connector_status(const std::string& name) {
  std::lock_guard lock(mu_);
  auto c = find(name);
  if (!c.ok()) return c.status();
  return status_of(name, **c);
}

Result<herder::StateInfo> FakeHerder::task_status(const herder::TaskId& id) {
  std::lock_guard lock(mu_);
  auto c = find(id.connector);
  if (!c.ok()) return c.status();
  if (id.task < 0 || id.task >= (*c)->tasks) {
    return Status::not_found("No status found for task " + id.connector + "-" +
                             std::to_string(id.task));
  }
  for (const herder::TaskState& t : status_of(id.connector, **c).tasks) {
    if (t.id == id.task) return t.state;
  }
  return Status::internal("unreachable");
}

Result<std::vector<herder::TaskInfo>> FakeHerder::task_configs(const std::string& name) {
  std::lock_guard lock(mu_);
  auto c = find(name);
  if (!c.ok()) return c.status();
  std::vector<herder::TaskInfo> out;
  for (int i = 0; i < (*c)->tasks; ++i) {
    config::ConfigMap tc = (*c)->config;
    tc["task.class"] = "org.apache.kafka.connect.file.FileStreamSourceTask";
    out.push_back({{name, i}, tc});
  }
  return out;
}

Result<std::optional<herder::ConnectorStatus>> FakeHerder::restart_connector(
    const std::string& name, bool include_tasks, bool only_failed) {
  std::lock_guard lock(mu_);
  auto c = find(name);
  if (!c.ok()) return c.status();
  if (!include_tasks && !only_failed) return std::optional<herder::ConnectorStatus>();
  herder::ConnectorStatus s = status_of(name, **c);
  if (!only_failed) s.connector.state = "RESTARTING";
  if (include_tasks) {
    for (herder::TaskState& t : s.tasks) {
      if (!only_failed || t.state.state == "FAILED") {
        t.state.state = "RESTARTING";
        t.state.trace.reset();
      }
    }
  }
  return std::optional(s);
}

Status FakeHerder::restart_task(const herder::TaskId& id) {
  std::lock_guard lock(mu_);
  auto c = find(id.connector);
  if (!c.ok()) return c.status();
  if (id.task < 0 || id.task >= (*c)->tasks) {
    return Status::not_found("Task " + id.connector + "-" + std::to_string(id.task) + " not found");
  }
  (*c)->failed_tasks.erase(id.task);
  return Status::OK();
}

Status FakeHerder::pause_connector(const std::string& name) {
  std::lock_guard lock(mu_);
  auto c = find(name);
  if (!c.ok()) return c.status();
  (*c)->target = TargetState::kPaused;
  return Status::OK();
}

Status FakeHerder::resume_connector(const std::string& name) {
  std::lock_guard lock(mu_);
  auto c = find(name);
  if (!c.ok()) return c.status();
  if ((*c)->target == TargetState::kStopped) (*c)->tasks = 1;
  (*c)->target = TargetState::kStarted;
  return Status::OK();
}

Status FakeHerder::stop_connector(const std::string& name) {
  std::lock_guard lock(mu_);
  auto c = find(name);
  if (!c.ok()) return c.status();
  (*c)->target = TargetState::kStopped;
  (*c)->tasks = 0;
  return Status::OK();
}

Result<std::vector<std::string>> FakeHerder::active_topics(const std::string& name) {
  std::lock_guard lock(mu_);
  auto c = find(name);
  if (!c.ok()) return c.status();
  if (auto t = (*c)->config.find("topic"); t != (*c)->config.end()) {
    return std::vector<std::string>{t->second};
  }
  return std::vector<std::string>{};
}

Status FakeHerder::reset_active_topics(const std::string& name) {
  std::lock_guard lock(mu_);
  auto c = find(name);
  return c.ok() ? Status::OK() : c.status();
}

Result<std::vector<herder::PartitionOffset>> FakeHerder::connector_offsets(
    const std::string& name) {
  std::lock_guard lock(mu_);
  auto c = find(name);
  if (!c.ok()) return c.status();
  std::vector<herder::PartitionOffset> out;
  for (const auto& [p, o] : (*c)->offsets) out.push_back({p, o});
  return out;
}

Result<std::string> FakeHerder::alter_connector_offsets(
    const std::string& name, std::vector<herder::PartitionOffset> offsets) {
  std::lock_guard lock(mu_);
  auto c = find(name);
  if (!c.ok()) return c.status();
  if ((*c)->target != TargetState::kStopped) {
    return Status::invalid_argument(
        "Connectors must be in the STOPPED state before their offsets can be modified. This "
        "can be done for the specified connector by issuing a 'PUT' request to the "
        "'/connectors/" +
        name + "/stop' endpoint");
  }
  for (const herder::PartitionOffset& o : offsets) {
    if (o.offset_json == "null") {
      (*c)->offsets.erase(o.partition_json);
    } else {
      (*c)->offsets[o.partition_json] = o.offset_json;
    }
  }
  return std::string("The offsets for this connector have been altered successfully");
}

Result<std::string> FakeHerder::reset_connector_offsets(const std::string& name) {
  std::lock_guard lock(mu_);
  auto c = find(name);
  if (!c.ok()) return c.status();
  if ((*c)->target != TargetState::kStopped) {
    return Status::invalid_argument(
        "Connectors must be in the STOPPED state before their offsets can be modified");
  }
  (*c)->offsets.clear();
  return std::string("The offsets for this connector have been reset successfully");
}

std::vector<herder::PluginInfo> FakeHerder::plugins(bool connectors_only) {
  // Deliberately unordered: the REST layer sorts.
  std::vector<herder::PluginInfo> out = {
      {"org.apache.kafka.connect.json.JsonConverter", "converter", "3.9.0"},
      {kSourceClass, "source", "3.9.0"},
      {"org.apache.kafka.connect.transforms.InsertField$Value", "transformation", "3.9.0"},
      {kSinkClass, "sink", "3.9.0"},
      {"org.apache.kafka.connect.transforms.predicates.TopicNameMatches", "predicate", ""},
      {"org.apache.kafka.connect.storage.SimpleHeaderConverter", "header_converter", "3.9.0"},
  };
  if (connectors_only) {
    std::erase_if(out, [](const auto& p) { return p.type != "source" && p.type != "sink"; });
  }
  return out;
}

Result<std::vector<herder::ConfigKeyInfo>> FakeHerder::plugin_config(
    const std::string& plugin_class, const std::string&) {
  if (!full_class(plugin_class)) {
    return Status::not_found("Unknown plugin " + plugin_class + ".");
  }
  herder::ConfigKeyInfo file{
      "file",       "STRING", false,
      std::nullopt, "HIGH",   "Source filename. If not specified, the standard input will be used",
      std::nullopt, -1,       "NONE",
      "file",       {}};
  return std::vector<herder::ConfigKeyInfo>{file};
}

Result<herder::ConfigInfos> FakeHerder::validate_connector_config(const std::string& plugin_class,
                                                                  config::ConfigMap config) {
  std::lock_guard lock(mu_);
  KANAL_RETURN_IF_ERROR(injected());
  auto cls = full_class(config["connector.class"]);
  if (!cls) {
    return Status::invalid_argument(
        "Failed to find any class that implements Connector and "
        "which name matches " +
        plugin_class +
        ", available connectors are: FileStreamSinkConnector, "
        "FileStreamSourceConnector");
  }
  herder::ConfigInfos infos;
  infos.name = config["connector.class"];
  infos.groups = {"Common", "Transforms", "Predicates", "Error Handling"};
  herder::ConfigKeyInfo tasks_max{
      "tasks.max", "INT",  false,
      "1",         "HIGH", "Maximum number of tasks to use for this connector.",
      "Common",    3,      "SHORT",
      "Tasks max", {}};
  config::ConfigValueInfo tasks_value{"tasks.max", std::nullopt, {}, {}, true};
  if (auto t = config.find("tasks.max"); t != config.end()) {
    tasks_value.value = t->second;
    if (t->second == "0") {
      tasks_value.errors.push_back(
          "Invalid value 0 for configuration tasks.max: Value must be at least 1");
    }
  } else {
    tasks_value.value = "1";
  }
  infos.error_count = static_cast<int32_t>(tasks_value.errors.size());
  infos.configs.push_back({tasks_max, tasks_value});
  // A key nobody defines: "definition": null.
  for (const auto& [k, v] : config) {
    if (k == "tasks.max" || k == "connector.class" || k == "name" || k == "file" || k == "topic" ||
        k == "topics") {
      continue;
    }
    infos.configs.push_back({herder::ConfigKeyInfo{}, config::ConfigValueInfo{k, v, {}, {}, true}});
  }
  return infos;
}

}  // namespace kanal::rest::testing
