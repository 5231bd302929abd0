#include "herder/standalone_herder.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/log.h"
#include "config/config_provider.h"
#include "herder/connector_offsets.h"
#include "herder/plugin_versions.h"
#include "kafka/client.h"
#include "runtime/connector_config.h"
#include "runtime/converters.h"
#include "storage/offset_codec.h"
#include "transforms/transform_chain.h"

namespace kanal::herder {
namespace {

using runtime::ConnectorKind;

constexpr auto kRequestTimeout = std::chrono::seconds(90);

ConnectorType type_of(ConnectorKind k) {
  return k == ConnectorKind::kSource ? ConnectorType::kSource : ConnectorType::kSink;
}

using config::get_or;

// Adds `msg` to the entry named `key`, creating one (with a minimal definition) if needed.
void add_error(ConfigInfos& infos, const std::string& key, const std::string& msg) {
  for (auto& ci : infos.configs) {
    if (ci.value.name == key) {
      ci.value.errors.push_back(msg);
      return;
    }
  }
  ConfigInfo ci;
  ci.definition.name = key;
  ci.definition.type = "STRING";
  ci.definition.importance = "HIGH";
  ci.definition.width = "NONE";
  ci.definition.display_name = key;
  ci.value.name = key;
  ci.value.errors.push_back(msg);
  infos.configs.push_back(std::move(ci));
}

void append(ConfigInfos& infos, const config::ConfigDef& def,
            const std::vector<config::ConfigValueInfo>& values) {
  for (const auto& v : values) {
    ConfigInfo ci;
    if (const config::ConfigKey* k = def.find(v.name))
      ci.definition = key_info(*k);
    else
      ci.definition.name = v.name;
    ci.value = v;
    infos.configs.push_back(std::move(ci));
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// How far `asked` is from a connector class: the closest of its full name, simple name and
// simple name without "Connector" (the aliases Connect accepts), ignoring case.
size_t class_distance(std::string_view asked, std::string_view class_name) {
  std::string a = lower(asked);
  std::string full = lower(class_name);
  std::string simple = full.substr(full.rfind('.') == std::string::npos ? 0 : full.rfind('.') + 1);
  std::string alias = simple;
  if (alias.size() > 9 && alias.ends_with("connector")) alias.resize(alias.size() - 9);
  return std::min({edit_distance(a, full), edit_distance(a, simple), edit_distance(a, alias)});
}

// The lookup's message plus the (up to three) installed connectors nearest to `asked`, so a
// typo in connector.class gets an answer naming what the user probably meant.
Status unknown_connector_class(const Status& lookup, const std::string& asked,
                               std::vector<PluginInfo> connectors) {
  std::stable_sort(
      connectors.begin(), connectors.end(), [&](const PluginInfo& x, const PluginInfo& y) {
        return class_distance(asked, x.class_name) < class_distance(asked, y.class_name);
      });
  std::string near;
  for (size_t i = 0; i < connectors.size() && i < 3; ++i) {
    near += (i ? ", " : "") + connectors[i].class_name;
  }
  if (near.empty()) {
    return Status::invalid_argument(lookup.message() + "; no connector is installed");
  }
  return Status::invalid_argument(lookup.message() + "; the nearest installed connectors are " +
                                  near);
}

void add_group(std::vector<std::string>& groups, const std::string& g) {
  if (!g.empty() && std::find(groups.begin(), groups.end(), g) == groups.end()) {
    groups.push_back(g);
  }
}

// Connect 3.8+ (AbstractHerder's converter validation): a converter the connector names itself
// has its own settings checked too. They are listed as "<role>.<key>" entries, with
// `converter.type` set to the role, and the converter's groups join the answer's. A class or
// version that cannot be loaded is reported on the class key elsewhere; nothing is added here.
void check_converter_settings(const config::WorkerConfig& wc,
                              const data::ConverterRegistry& converters, const ConfigMap& config,
                              ConfigInfos& infos) {
  for (const std::string role : {"key.converter", "value.converter", "header.converter"}) {
    runtime::ConverterChoice choice = runtime::choose_converter(wc, config, role);
    if (!choice.from_connector) continue;
    const bool header = role == "header.converter";
    std::unique_ptr<data::Converter> converter;
    std::unique_ptr<data::HeaderConverter> header_converter;
    const config::ConfigDef* def = nullptr;
    if (header) {
      auto h = converters.create_header_converter(choice.cls, choice.version_spec);
      if (!h.ok()) continue;
      header_converter = std::move(*h);
      def = &header_converter->config_def();
    } else {
      auto c = converters.create_converter(choice.cls, choice.version_spec);
      if (!c.ok()) continue;
      converter = std::move(*c);
      def = &converter->config_def();
    }
    const std::string prefix = role + ".";
    ConfigMap settings;
    for (const auto& [k, v] : config) {
      if (k.starts_with(prefix)) settings[k.substr(prefix.size())] = v;
    }
    settings["converter.type"] = header ? "header" : role.substr(0, role.find('.'));
    for (const auto& v : def->validate(settings)) {
      ConfigInfo ci;
      if (const config::ConfigKey* k = def->find(v.name)) {
        ci.definition = key_info(*k);
        add_group(infos.groups, k->group);
      }
      ci.definition.name = prefix + v.name;
      ci.value = v;
      ci.value.name = prefix + v.name;
      infos.configs.push_back(std::move(ci));
    }
  }
}

}  // namespace

Result<std::vector<ConfigKeyInfo>> plugin_config_keys(
    runtime::PluginCatalog& catalog, const data::ConverterRegistry& converters,
    const transforms::TransformRegistry& transforms, const std::string& plugin_class,
    const std::string& version) {
  std::vector<ConfigKeyInfo> out;
  auto list = [&out](const config::ConfigDef& def) {
    for (const auto& k : def.keys()) out.push_back(key_info(k));
    return out;
  };
  auto connector = catalog.connector(plugin_class, "");
  if (connector.ok()) {
    auto p = version.empty() ? std::move(connector) : catalog.connector(plugin_class, version);
    if (!p.ok()) return Status::invalid_argument(p.status().message());
    return list((*p)->config_def());
  }
  // Transformations and predicates: only the plugin's own keys (spec 1).
  if (transforms.resolve(plugin_class, transforms::PluginType::kTransformation).ok()) {
    auto t = transforms.create_transformation(plugin_class, version);
    if (!t.ok()) return Status::invalid_argument(t.status().message());
    return list((*t)->config_def());
  }
  if (transforms.resolve(plugin_class, transforms::PluginType::kPredicate).ok()) {
    auto p = transforms.create_predicate(plugin_class, version);
    if (!p.ok()) return Status::invalid_argument(p.status().message());
    return list((*p)->config_def());
  }
  // A class that is both (the built-ins) answers with its converter keys, as Connect does.
  if (converters.converter_version(plugin_class).ok()) {
    auto c = converters.create_converter(plugin_class, version);
    if (!c.ok()) return Status::invalid_argument(c.status().message());
    return list((*c)->config_def());
  }
  if (converters.header_converter_version(plugin_class).ok()) {
    auto h = converters.create_header_converter(plugin_class, version);
    if (!h.ok()) return Status::invalid_argument(h.status().message());
    return list((*h)->config_def());
  }
  return Status::not_found(connector.status().message());
}

ConfigKeyInfo key_info(const config::ConfigKey& k) {
  ConfigKeyInfo out;
  out.name = k.name;
  out.type = config::type_name(k.type);
  out.required = k.required();
  if (k.default_value) {
    out.default_value = k.type == config::Type::kPassword ? "[hidden]" : *k.default_value;
  }
  out.importance = config::importance_name(k.importance);
  out.documentation = k.documentation;
  if (!k.group.empty()) out.group = k.group;
  out.order = k.order_in_group;
  out.width = config::width_name(k.width);
  out.display_name = k.display_name.empty() ? k.name : k.display_name;
  out.dependents = k.dependents;
  return out;
}

std::string validation_failure_message(const ConfigInfos& infos) {
  std::string msg = "Connector configuration is invalid and contains the following " +
                    std::to_string(infos.error_count) + " error(s):";
  for (const auto& ci : infos.configs) {
    for (const auto& e : ci.value.errors) msg += "\n" + e;
  }
  msg +=
      "\nYou can also find the above list of errors at the endpoint "
      "`/connector-plugins/{connectorType}/config/validate`";
  return msg;
}

Result<ConfigInfos> validate_connector(const config::WorkerConfig& wc,
                                       runtime::PluginCatalog& catalog,
                                       const data::ConverterRegistry& converters,
                                       const transforms::TransformRegistry& transforms,
                                       const std::string& plugin_class,
                                       const ConfigMap& raw_config) {
  // Connect's AbstractHerder.validateConnectorConfig resolves provider references first, so a
  // provider failure refuses the config; the answer still shows only the references.
  auto resolved = wc.providers().resolve(raw_config);
  if (!resolved.ok()) return resolved.status();
  const ConfigMap& config = *resolved;
  auto plugin = catalog.connector(plugin_class, get_or(config, "connector.plugin.version"));
  if (!plugin.ok()) {
    if (!config::trim(get_or(config, "connector.plugin.version")).empty()) return plugin.status();
    return unknown_connector_class(plugin.status(), plugin_class, catalog.plugins(true));
  }
  runtime::ConnectorPlugin* p = *plugin;
  ConfigInfos infos;
  // Connect names the result after connector.class as the request gave it.
  infos.name = get_or(raw_config, "connector.class", plugin_class);
  const config::ConfigDef& common = runtime::connector_config_def(p->kind());
  infos.groups = runtime::connector_config_groups(p->kind());
  append(infos, common, common.validate(config));
  for (const auto& [k, msg] : runtime::check_connector_rules(p->kind(), config))
    add_error(infos, k, msg);
  for (const auto& [k, msg] : runtime::check_override_policy(
           wc.parsed().get_string("connector.client.config.override.policy"), config)) {
    add_error(infos, k, msg);
  }
  for (const auto& [k, msg] : runtime::check_override_safety(config, wc.client_allowed_paths())) {
    add_error(infos, k, msg);
  }
  check_plugin_versions(wc, catalog, *p, converters, config, infos);
  check_converter_settings(wc, converters, config, infos);
  transforms::ChainValidation chain = transforms::TransformChain::validate(config, transforms);
  for (const auto& g : chain.groups) add_group(infos.groups, g);
  for (const auto& v : chain.values) {
    if (v.name == "transforms" || v.name == "predicates") {
      for (const auto& e : v.errors) add_error(infos, v.name, e);
      continue;
    }
    ConfigInfo ci;
    if (const config::ConfigKey* k = chain.definitions.find(v.name))
      ci.definition = key_info(*k);
    else
      ci.definition.name = v.name;
    ci.value = v;
    infos.configs.push_back(std::move(ci));
  }
  const config::ConfigDef& own = p->config_def();
  for (const auto& k : own.keys()) add_group(infos.groups, k.group);
  auto own_values = p->validate(config);
  for (const auto& v : own_values) {
    bool dup = false;
    for (auto& ci : infos.configs) {
      if (ci.value.name == v.name) {
        for (const auto& e : v.errors) ci.value.errors.push_back(e);
        dup = true;
      }
    }
    if (dup) continue;
    ConfigInfo ci;
    if (const config::ConfigKey* k = own.find(v.name))
      ci.definition = key_info(*k);
    else
      ci.definition.name = v.name;
    ci.value = v;
    infos.configs.push_back(std::move(ci));
  }
  infos.error_count = 0;
  for (auto& ci : infos.configs) {
    infos.error_count += static_cast<int32_t>(ci.value.errors.size());
    auto raw = raw_config.find(ci.value.name);
    if (raw == raw_config.end() || !config::has_reference(raw->second)) continue;
    const std::string& value = config.at(ci.value.name);
    if (ci.value.value && *ci.value.value != "[hidden]") ci.value.value = raw->second;
    for (std::string& e : ci.value.errors) {
      for (size_t at = 0; !value.empty() && (at = e.find(value, at)) != std::string::npos;
           at += raw->second.size()) {
        e.replace(at, value.size(), raw->second);
      }
    }
  }
  for (auto& ci : infos.configs) {
    for (std::string& e : ci.value.errors) e = log::redact(e);
  }
  return infos;
}

namespace {

// The checks a create or update runs before anything is written: connector.class present,
// known, and the whole config valid. Returns the connector's kind.
Result<ConnectorKind> check_connector_config(const config::WorkerConfig& wc,
                                             runtime::PluginCatalog& catalog,
                                             const data::ConverterRegistry& converters,
                                             const transforms::TransformRegistry& transforms,
                                             const std::string& name, const ConfigMap& config) {
  std::string cls = get_or(config, "connector.class");
  if (config::trim(cls).empty()) {
    return Status::invalid_argument("Connector config {" + name + "} contains no connector type");
  }
  auto infos = validate_connector(wc, catalog, converters, transforms, cls, config);
  if (!infos.ok()) {
    // An unknown connector.plugin.version is a config error to Connect: its validation form.
    if (infos.status().code() == Status::Code::kInvalidArgument &&
        !config::trim(get_or(config, "connector.plugin.version")).empty()) {
      ConfigInfos one;
      one.error_count = 1;
      one.configs.emplace_back();
      one.configs.back().value.errors.push_back(infos.status().message());
      return Status::invalid_argument(validation_failure_message(one));
    }
    return infos.status();
  }
  if (infos->error_count > 0) return Status::invalid_argument(validation_failure_message(*infos));
  auto plugin = catalog.connector(cls, get_or(config, "connector.plugin.version"));
  if (!plugin.ok()) return plugin.status();
  return (*plugin)->kind();
}

}  // namespace

StandaloneHerder::StandaloneHerder(const config::WorkerConfig& config, runtime::Worker& worker,
                                   runtime::StatusStore& status,
                                   storage::OffsetBackingStore& offsets,
                                   runtime::PluginCatalog& catalog,
                                   const data::ConverterRegistry& converters,
                                   const transforms::TransformRegistry& transforms,
                                   std::string worker_id, std::string kafka_cluster_id)
    : config_(config),
      worker_(worker),
      status_(status),
      offsets_(offsets),
      catalog_(catalog),
      converters_(converters),
      transforms_(transforms),
      worker_id_(std::move(worker_id)),
      cluster_id_(std::move(kafka_cluster_id)),
      logger_("kanal.herder") {}

StandaloneHerder::~StandaloneHerder() { stop(); }

void StandaloneHerder::start() {
  thread_ = std::thread([this] { run(); });
}

void StandaloneHerder::stop() {
  requests_.close();
  if (thread_.joinable()) thread_.join();
}

void StandaloneHerder::run() {
  while (auto batch = requests_.take(std::chrono::minutes(10))) {
    for (auto& fn : *batch) {
      // The herder loop's catch-all boundary: a request that throws answers 500 (its promise is
      // broken) and the herder keeps serving.
      try {
        fn();
      } catch (const std::exception& e) {
        logger_.error("herder.request.failed", {{"error", e.what()}});
      }
    }
  }
  ready_ = false;
  for (auto& [name, st] : connectors_) {
    (void)st;
    logger_.info("connector.stopping", {{"connector", name}});
  }
  worker_.stop_all();
}

StandaloneHerder::ConnectorState* StandaloneHerder::find(const std::string& name) {
  auto it = connectors_.find(name);
  return it == connectors_.end() ? nullptr : &it->second;
}

namespace {
Status unknown_connector(const std::string& name) {
  return Status::not_found("Connector " + name + " not found");
}
}  // namespace

ServerInfo StandaloneHerder::server_info() {
  return {KANAL_VERSION_STRING, KANAL_GIT_COMMIT, cluster_id_};
}

Status StandaloneHerder::start_connector_and_tasks(const std::string& name) {
  ConnectorState& st = connectors_.at(name);
  Status s = worker_.start_connector(name, st.config, st.target, *this);
  if (!s.ok() || st.target == TargetState::kStopped) {
    st.task_configs.clear();
    return Status::OK();  // the failure is in the connector's status
  }
  if (st.target == TargetState::kPaused && st.task_configs.empty()) {
    // Created paused (initial_state=PAUSED) or paused while stopped: Connect generates no task
    // configs until the connector is resumed.
    return Status::OK();
  }
  auto configs = worker_.connector_task_configs(name);
  if (!configs.ok()) {
    status_.put_connector(name, StateInfo{runtime::kFailed, worker_id_,
                                          "org.apache.kafka.connect.errors.ConnectException: " +
                                              configs.status().message(),
                                          std::nullopt});
    return Status::OK();
  }
  st.task_configs = std::move(configs).value();
  for (size_t i = 0; i < st.task_configs.size(); ++i) {
    TaskId id{name, static_cast<int32_t>(i)};
    (void)worker_.start_task(id, st.config, st.task_configs[i], st.target);
  }
  return Status::OK();
}

void StandaloneHerder::stop_connector_and_tasks(const std::string& name) {
  worker_.stop_tasks(worker_.tasks_of(name));
  worker_.stop_connector(name);
}

void StandaloneHerder::reconfigure(const std::string& name) {
  ConnectorState* st = find(name);
  if (!st || st->target == TargetState::kStopped || !worker_.connector_running(name)) return;
  auto configs = worker_.connector_task_configs(name);
  if (!configs.ok()) {
    logger_.error("connector.reconfigure.failed",
                  {{"connector", name}, {"error", configs.status().message()}});
    return;
  }
  if (*configs == st->task_configs) return;
  worker_.stop_tasks(worker_.tasks_of(name));
  for (size_t i = configs->size(); i < st->task_configs.size(); ++i) {
    status_.remove_task(TaskId{name, static_cast<int32_t>(i)});
  }
  st->task_configs = std::move(configs).value();
  for (size_t i = 0; i < st->task_configs.size(); ++i) {
    (void)worker_.start_task(TaskId{name, static_cast<int32_t>(i)}, st->config, st->task_configs[i],
                             st->target);
  }
}

void StandaloneHerder::request_task_reconfiguration() {
  // The connector does not say which one it is; reconfigure every running connector whose task
  // configs changed (cheap: configs are compared).
  post([this] {
    for (auto& [name, st] : connectors_) reconfigure(name);
  });
}

void StandaloneHerder::raise_error(const Status& error) {
  logger_.error("connector.raised_error", {{"error", error.message()}});
}

ConnectorInfo StandaloneHerder::info_of(const std::string& name, const ConnectorState& st) {
  ConnectorInfo info{name, st.config, {}, type_of(st.kind)};
  for (size_t i = 0; i < st.task_configs.size(); ++i) {
    info.tasks.push_back(TaskId{name, static_cast<int32_t>(i)});
  }
  return info;
}

ConnectorStatus StandaloneHerder::status_of(const std::string& name, const ConnectorState& st) {
  ConnectorStatus out;
  out.name = name;
  out.type = type_of(st.kind);
  out.connector = status_.connector(name).value_or(
      StateInfo{runtime::kUnassigned, worker_id_, std::nullopt, std::nullopt});
  for (auto& [id, state] : status_.tasks(name)) out.tasks.push_back(TaskState{id, state});
  return out;
}

Result<std::vector<std::string>> StandaloneHerder::connectors() {
  return call<std::vector<std::string>>([this]() -> Result<std::vector<std::string>> {
    std::vector<std::string> out;
    for (const auto& [n, st] : connectors_) out.push_back(n);
    return out;
  });
}

Result<ConnectorInfo> StandaloneHerder::connector_info(const std::string& name) {
  return call<ConnectorInfo>([this, name]() -> Result<ConnectorInfo> {
    ConnectorState* st = find(name);
    if (!st) return unknown_connector(name);
    return info_of(name, *st);
  });
}

Result<ConfigMap> StandaloneHerder::connector_config(const std::string& name) {
  return call<ConfigMap>([this, name]() -> Result<ConfigMap> {
    ConnectorState* st = find(name);
    if (!st) return unknown_connector(name);
    return st->config;
  });
}

Result<PutResult> StandaloneHerder::put_connector_config(const std::string& name, ConfigMap config,
                                                         bool allow_replace,
                                                         std::optional<TargetState> initial) {
  config["name"] = name;
  auto checked = check_connector_config(config_, catalog_, converters_, transforms_, name, config);
  if (!checked.ok()) return checked.status();
  ConnectorKind kind = checked.value();
  return call<PutResult>([this, name, config, allow_replace, initial, kind]() -> Result<PutResult> {
    ConnectorState* existing = find(name);
    if (existing && !allow_replace) {
      return Status::conflict("Connector " + name + " already exists");
    }
    bool created = existing == nullptr;
    if (existing) {
      stop_connector_and_tasks(name);
      existing->config = config;
      existing->kind = kind;
    } else {
      ConnectorState st;
      st.config = config;
      st.kind = kind;
      st.target = initial.value_or(TargetState::kStarted);
      connectors_[name] = std::move(st);
    }
    logger_.info(created ? "connector.created" : "connector.updated", {{"connector", name}});
    (void)start_connector_and_tasks(name);
    PutResult result{info_of(name, connectors_.at(name)), created};
    // Connect answers a create before the tasks exist: its body lists no tasks.
    if (created) result.info.tasks.clear();
    return result;
  });
}

Result<ConnectorInfo> StandaloneHerder::patch_connector_config(const std::string& name,
                                                               ConfigMap set,
                                                               std::vector<std::string> remove) {
  // Read, merge and validate off the herder thread, then write only if no other change came in
  // meanwhile, else start over: concurrent PATCHes of one connector keep each other's keys.
  constexpr int kAttempts = 100;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto current = connector_config(name);
    if (!current.ok()) return current.status();
    ConfigMap merged = current.value();
    for (const auto& [k, v] : set) merged[k] = v;
    for (const auto& k : remove) merged.erase(k);
    merged["name"] = name;
    auto checked =
        check_connector_config(config_, catalog_, converters_, transforms_, name, merged);
    if (!checked.ok()) return checked.status();
    using Written = std::optional<ConnectorInfo>;  // nullopt: changed meanwhile
    auto written = call<Written>([this, name, expected = std::move(current).value(), merged,
                                  kind = checked.value()]() -> Result<Written> {
      ConnectorState* st = find(name);
      if (!st) return unknown_connector(name);
      if (st->config != expected) return Written();
      stop_connector_and_tasks(name);
      st->config = merged;
      st->kind = kind;
      logger_.info("connector.updated", {{"connector", name}});
      (void)start_connector_and_tasks(name);
      return Written(info_of(name, *st));
    });
    if (!written.ok()) return written.status();
    if (written.value()) return *std::move(written).value();
  }
  return Status::conflict("Connector " + name +
                          " config kept changing while the patch was applied; retry the request");
}

Status StandaloneHerder::delete_connector(const std::string& name) {
  return call_status([this, name]() -> Status {
    if (!find(name)) return unknown_connector(name);
    stop_connector_and_tasks(name);
    connectors_.erase(name);
    status_.remove_connector(name);
    logger_.info("connector.deleted", {{"connector", name}});
    return Status::OK();
  });
}

Result<ConnectorStatus> StandaloneHerder::connector_status(const std::string& name) {
  return call<ConnectorStatus>([this, name]() -> Result<ConnectorStatus> {
    ConnectorState* st = find(name);
    if (!st) return unknown_connector(name);
    return status_of(name, *st);
  });
}

Result<StateInfo> StandaloneHerder::task_status(const TaskId& id) {
  return call<StateInfo>([this, id]() -> Result<StateInfo> {
    ConnectorState* st = find(id.connector);
    if (!st) return unknown_connector(id.connector);
    auto s = status_.task(id);
    if (!s || id.task < 0 || id.task >= static_cast<int32_t>(st->task_configs.size())) {
      return Status::not_found("No status found for task " + id.connector + "-" +
                               std::to_string(id.task));
    }
    return *s;
  });
}

Result<std::vector<TaskInfo>> StandaloneHerder::task_configs(const std::string& name) {
  return call<std::vector<TaskInfo>>([this, name]() -> Result<std::vector<TaskInfo>> {
    ConnectorState* st = find(name);
    if (!st) return unknown_connector(name);
    std::vector<TaskInfo> out;
    for (size_t i = 0; i < st->task_configs.size(); ++i) {
      out.push_back(TaskInfo{TaskId{name, static_cast<int32_t>(i)}, st->task_configs[i]});
    }
    return out;
  });
}

Result<std::optional<ConnectorStatus>> StandaloneHerder::restart_connector(const std::string& name,
                                                                           bool include_tasks,
                                                                           bool only_failed) {
  using R = std::optional<ConnectorStatus>;
  return call<R>([this, name, include_tasks, only_failed]() -> Result<R> {
    ConnectorState* st = find(name);
    if (!st) return unknown_connector(name);
    auto conn_state = status_.connector(name);
    bool conn_failed = conn_state && conn_state->state == runtime::kFailed;
    bool restart_conn = !only_failed || conn_failed;
    std::vector<TaskId> restart_tasks;
    if (include_tasks) {
      for (auto& [id, state] : status_.tasks(name)) {
        if (!only_failed || state.state == runtime::kFailed) restart_tasks.push_back({name, id});
      }
    }
    R answer;
    if (include_tasks || only_failed) {
      ConnectorStatus cs = status_of(name, *st);
      if (restart_conn) cs.connector.state = runtime::kRestarting;
      for (auto& t : cs.tasks) {
        if (std::find(restart_tasks.begin(), restart_tasks.end(), TaskId{name, t.id}) !=
            restart_tasks.end()) {
          t.state.state = runtime::kRestarting;
        }
      }
      answer = std::move(cs);
    }
    if (restart_conn) {
      worker_.stop_connector(name);
      (void)worker_.start_connector(name, st->config, st->target, *this);
    }
    if (!restart_tasks.empty()) {
      worker_.stop_tasks(restart_tasks);
      for (const TaskId& id : restart_tasks) {
        if (id.task < static_cast<int32_t>(st->task_configs.size())) {
          (void)worker_.start_task(id, st->config, st->task_configs[id.task], st->target);
        }
      }
    }
    if (restart_conn) reconfigure(name);
    return answer;
  });
}

Status StandaloneHerder::restart_task(const TaskId& id) {
  return call_status([this, id]() -> Status {
    ConnectorState* st = find(id.connector);
    if (!st) return unknown_connector(id.connector);
    if (id.task < 0 || id.task >= static_cast<int32_t>(st->task_configs.size())) {
      return Status::not_found("Task " + id.connector + "-" + std::to_string(id.task) +
                               " not found");
    }
    worker_.stop_tasks({id});
    return worker_.start_task(id, st->config, st->task_configs[id.task], st->target).ok()
               ? Status::OK()
               : Status::OK();
  });
}

Status StandaloneHerder::pause_connector(const std::string& name) {
  return call_status([this, name]() -> Status {
    ConnectorState* st = find(name);
    if (!st) return unknown_connector(name);
    if (st->target == TargetState::kStopped) {
      // Connect shows a stopped connector that is paused as PAUSED, still without tasks.
      st->target = TargetState::kPaused;
      auto conn = status_.connector(name);
      status_.put_connector(name, StateInfo{runtime::kPaused, worker_id_, std::nullopt,
                                            conn ? conn->version : std::nullopt});
      return Status::OK();
    }
    st->target = TargetState::kPaused;
    worker_.set_target_state(name, TargetState::kPaused);
    return Status::OK();
  });
}

Status StandaloneHerder::resume_connector(const std::string& name) {
  return call_status([this, name]() -> Status {
    ConnectorState* st = find(name);
    if (!st) return unknown_connector(name);
    TargetState before = st->target;
    st->target = TargetState::kStarted;
    if (before == TargetState::kStopped || !worker_.connector_running(name)) {
      stop_connector_and_tasks(name);
      return start_connector_and_tasks(name);
    }
    worker_.set_target_state(name, TargetState::kStarted);
    // A connector created paused has no task configs yet: generate them now.
    if (st->task_configs.empty()) reconfigure(name);
    return Status::OK();
  });
}

Status StandaloneHerder::stop_connector(const std::string& name) {
  return call_status([this, name]() -> Status {
    ConnectorState* st = find(name);
    if (!st) return unknown_connector(name);
    st->target = TargetState::kStopped;
    auto tasks = worker_.tasks_of(name);
    stop_connector_and_tasks(name);
    for (const auto& id : tasks) status_.remove_task(id);
    for (size_t i = 0; i < st->task_configs.size(); ++i) {
      status_.remove_task(TaskId{name, static_cast<int32_t>(i)});
    }
    st->task_configs.clear();
    auto conn = status_.connector(name);
    status_.put_connector(name, StateInfo{runtime::kStopped, worker_id_, std::nullopt,
                                          conn ? conn->version : std::nullopt});
    return Status::OK();
  });
}

Result<std::vector<std::string>> StandaloneHerder::active_topics(const std::string& name) {
  return call<std::vector<std::string>>([this, name]() -> Result<std::vector<std::string>> {
    if (!find(name)) return unknown_connector(name);
    return status_.topics(name);
  });
}

Status StandaloneHerder::reset_active_topics(const std::string& name) {
  if (!config_.parsed().get_bool("topic.tracking.allow.reset")) {
    return Status::conflict("Topic tracking reset is disabled.");
  }
  return call_status([this, name]() -> Status {
    if (!find(name)) return unknown_connector(name);
    status_.reset_topics(name);
    return Status::OK();
  });
}

Result<std::vector<PartitionOffset>> StandaloneHerder::connector_offsets(const std::string& name) {
  return call<std::vector<PartitionOffset>>([this, name]() -> Result<std::vector<PartitionOffset>> {
    ConnectorState* st = find(name);
    if (!st) return unknown_connector(name);
    if (st->kind == ConnectorKind::kSink) return sink_offsets(worker_, name, st->config);
    return source_offsets(offsets_, name);
  });
}

Result<std::string> StandaloneHerder::modify_offsets(const std::string& name,
                                                     std::vector<PartitionOffset> offsets,
                                                     bool reset) {
  ConnectorState* st = find(name);
  if (!st) return unknown_connector(name);
  if (st->target != TargetState::kStopped || !worker_.tasks_of(name).empty()) {
    return Status::invalid_argument(
        "Connectors must be in the STOPPED state before their offsets can be modified. This can "
        "be done for the specified connector by issuing a 'PUT' request to the "
        "'/connectors/" +
        name + "/stop' endpoint");
  }
  return modify_connector_offsets(worker_, offsets_, st->kind, name, st->config, std::move(offsets),
                                  reset);
}

Result<std::string> StandaloneHerder::alter_connector_offsets(
    const std::string& name, std::vector<PartitionOffset> offsets) {
  return call<std::string>([this, name, offsets = std::move(offsets)]() mutable {
    return modify_offsets(name, std::move(offsets), false);
  });
}

Result<std::string> StandaloneHerder::reset_connector_offsets(const std::string& name) {
  return call<std::string>([this, name]() { return modify_offsets(name, {}, true); });
}

std::vector<PluginInfo> StandaloneHerder::plugins(bool connectors_only) {
  return catalog_.plugins(connectors_only);
}

Result<std::vector<ConfigKeyInfo>> StandaloneHerder::plugin_config(const std::string& plugin_class,
                                                                   const std::string& version) {
  return plugin_config_keys(catalog_, converters_, transforms_, plugin_class, version);
}

Result<ConfigInfos> StandaloneHerder::validate_connector_config(const std::string& plugin_class,
                                                                ConfigMap config) {
  return validate_connector(config_, catalog_, converters_, transforms_, plugin_class, config);
}

}  // namespace kanal::herder
