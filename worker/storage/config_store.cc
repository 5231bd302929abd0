#include "storage/config_store.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <functional>
#include <string_view>
#include <utility>

namespace kanal::storage {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::string_view kConnectorPrefix = "connector-";
constexpr std::string_view kTaskPrefix = "task-";
constexpr std::string_view kCommitPrefix = "commit-";
constexpr std::string_view kTargetStatePrefix = "target-state-";
constexpr std::string_view kRestartPrefix = "restart-connector-";
constexpr std::string_view kLoggerPrefix = "logger-cluster-";
constexpr std::string_view kFencingPrefix = "tasks-fencing-";
constexpr std::string_view kSessionKey = "session-key";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string connector_key(const std::string& c) { return std::string(kConnectorPrefix) + c; }
std::string target_state_key(const std::string& c) { return std::string(kTargetStatePrefix) + c; }

// {"properties":{...}}: the JsonConverter's schemaless form of Connect's CONNECTOR_CONFIGURATION_V0
// and TASK_CONFIGURATION_V0 structs.
std::string properties_value(const config::ConfigMap& properties) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("properties");
  w.StartObject();
  for (const auto& [k, v] : properties) {
    w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

// Parses `bytes` as a JSON object; an error message otherwise.
Result<rapidjson::Document> parse_object(const std::string& bytes) {
  rapidjson::Document doc;
  doc.Parse(bytes.data(), bytes.size());
  if (doc.HasParseError()) return Status::invalid_argument("value is not JSON");
  if (!doc.IsObject()) return Status::invalid_argument("value is not a JSON object");
  return doc;
}

// The string map under "properties". Null property values (Connect allows them) are left out;
// numbers and booleans, which a hand-written record may carry, keep their JSON text.
Result<config::ConfigMap> parse_properties(const rapidjson::Document& doc) {
  auto it = doc.FindMember("properties");
  if (it == doc.MemberEnd() || !it->value.IsObject()) {
    return Status::invalid_argument("value has no \"properties\" object");
  }
  config::ConfigMap out;
  for (const auto& m : it->value.GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    if (m.value.IsString()) {
      out[key] = std::string(m.value.GetString(), m.value.GetStringLength());
    } else if (m.value.IsNull()) {
      continue;
    } else if (m.value.IsBool() || m.value.IsNumber()) {
      rapidjson::StringBuffer buf;
      JsonWriter w(buf);
      m.value.Accept(w);
      out[key] = buf.GetString();
    } else {
      return Status::invalid_argument("property '" + key + "' is not a string");
    }
  }
  return out;
}

std::optional<TargetState> parse_state(const rapidjson::Value& v) {
  if (!v.IsString()) return std::nullopt;
  std::string_view s(v.GetString(), v.GetStringLength());
  if (s == "STARTED") return TargetState::kStarted;
  if (s == "PAUSED") return TargetState::kPaused;
  if (s == "STOPPED") return TargetState::kStopped;
  return std::nullopt;
}

bool bool_or_false(const rapidjson::Document& doc, const char* name) {
  auto it = doc.FindMember(name);
  return it != doc.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

}  // namespace

const char* to_connect_string(TargetState state) {
  switch (state) {
    case TargetState::kStarted:
      return "STARTED";
    case TargetState::kPaused:
      return "PAUSED";
    case TargetState::kStopped:
      return "STOPPED";
  }
  return "STARTED";
}

TargetState ConfigSnapshot::target_state(const std::string& connector) const {
  auto it = target_states.find(connector);
  return it == target_states.end() ? TargetState::kStarted : it->second;
}

int32_t ConfigSnapshot::task_count(const std::string& connector) const {
  auto it = task_configs.find(connector);
  return it == task_configs.end() ? 0 : static_cast<int32_t>(it->second.size());
}

std::vector<std::string> ConfigSnapshot::connectors() const {
  std::vector<std::string> out;
  out.reserve(connector_configs.size());
  for (const auto& [name, config] : connector_configs) out.push_back(name);
  return out;
}

ConfigStore::ConfigStore(Options options)
    : options_(std::move(options)),
      log_(log::Logger("kanal.storage").with_context(options_.topic)) {}

ConfigStore::~ConfigStore() { stop(); }

void ConfigStore::set_listener(Listener* listener) {
  std::lock_guard lock(mu_);
  listener_ = listener;
}

Status ConfigStore::start() {
  KafkaBasedLog::Options log_options;
  log_options.topic = options_.topic;
  log_options.client_settings = options_.client_settings;
  log_store_ = std::make_unique<KafkaBasedLog>(std::move(log_options),
                                               [this](const LogRecord& record) { apply(record); });
  Status started = log_store_->start(options_.start_timeout);
  if (!started.ok()) {
    return started.with_context("Config topic '" + options_.topic + "' (config.storage.topic)");
  }
  if (int partitions = log_store_->partition_count(); partitions > 1) {
    log_store_->stop();
    return Status::invalid_argument(
        "Topic '" + options_.topic +
        "' supplied via the 'config.storage.topic' property is required to have a single "
        "partition in order to guarantee consistency of connector configurations, but found " +
        std::to_string(partitions) + " partitions.");
  }
  std::lock_guard lock(mu_);
  started_ = true;
  log_.info("config.store.started",
            {{"connectors", std::to_string(state_.connector_configs.size())},
             {"offset", std::to_string(state_.offset)}});
  return Status::OK();
}

void ConfigStore::stop() {
  {
    std::lock_guard lock(mu_);
    started_ = false;
  }
  if (log_store_) log_store_->stop();
}

Status ConfigStore::write(std::span<const LogEntry> entries) {
  {
    std::lock_guard lock(mu_);
    if (!started_) return Status::internal("Config topic '" + options_.topic + "' is not open");
  }
  const auto deadline = std::chrono::steady_clock::now() + options_.write_timeout;
  KANAL_RETURN_IF_ERROR(log_store_->send_and_wait(entries, options_.write_timeout));
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return log_store_->read_to_end(std::max(left, std::chrono::milliseconds(1)));
}

Status ConfigStore::put_connector_config(const std::string& connector,
                                         const config::ConfigMap& config,
                                         std::optional<TargetState> initial_state) {
  std::vector<LogEntry> entries;
  if (initial_state) {
    // Connect writes the target state first, so a worker never starts a connector that was
    // created PAUSED or STOPPED.
    entries.push_back(LogEntry{target_state_key(connector), std::nullopt});
  }
  entries.push_back(LogEntry{connector_key(connector), properties_value(config)});
  if (initial_state) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    w.Key("state");
    w.String(*initial_state == TargetState::kStarted ? "STARTED" : "PAUSED");
    w.Key("state.v2");
    w.String(to_connect_string(*initial_state));
    w.EndObject();
    entries.front().value = std::string(buf.GetString(), buf.GetSize());
  }
  return write(entries);
}

Status ConfigStore::remove_connector_config(const std::string& connector) {
  const LogEntry entries[] = {{connector_key(connector), std::nullopt},
                              {target_state_key(connector), std::nullopt}};
  return write(entries);
}

Status ConfigStore::put_task_configs(const std::string& connector,
                                     const std::vector<config::ConfigMap>& task_configs) {
  {
    std::lock_guard lock(mu_);
    if (!started_) return Status::internal("Config topic '" + options_.topic + "' is not open");
  }
  std::vector<LogEntry> tasks;
  tasks.reserve(task_configs.size());
  for (size_t i = 0; i < task_configs.size(); ++i) {
    tasks.push_back(LogEntry{std::string(kTaskPrefix) + connector + "-" + std::to_string(i),
                             properties_value(task_configs[i])});
  }
  // The commit goes out only after every task record is acknowledged: a reader that sees the
  // commit has seen every task it names (Connect's putTaskConfigs flushes in between).
  KANAL_RETURN_IF_ERROR(log_store_->send_and_wait(tasks, options_.write_timeout));
  const LogEntry commit[] = {{std::string(kCommitPrefix) + connector,
                              "{\"tasks\":" + std::to_string(task_configs.size()) + "}"}};
  return write(commit);
}

Status ConfigStore::put_target_state(const std::string& connector, TargetState state) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("state");
  // Pre-3.5 readers know only STARTED and PAUSED: STOPPED reads as PAUSED for them.
  w.String(state == TargetState::kStarted ? "STARTED" : "PAUSED");
  w.Key("state.v2");
  w.String(to_connect_string(state));
  w.EndObject();
  const LogEntry entries[] = {{target_state_key(connector), std::string(buf.GetString())}};
  return write(entries);
}

Status ConfigStore::put_restart_request(const RestartRequest& request) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("include-tasks");
  w.Bool(request.include_tasks);
  w.Key("only-failed");
  w.Bool(request.only_failed);
  w.EndObject();
  const LogEntry entries[] = {
      {std::string(kRestartPrefix) + request.connector, std::string(buf.GetString())}};
  return write(entries);
}

Status ConfigStore::put_logger_level(const std::string& logger_namespace,
                                     const std::string& level) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("level");
  w.String(level.data(), static_cast<rapidjson::SizeType>(level.size()));
  w.EndObject();
  const LogEntry entries[] = {
      {std::string(kLoggerPrefix) + logger_namespace, std::string(buf.GetString())}};
  return write(entries);
}

Status ConfigStore::put_session_key(const SessionKey& key) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("key");
  w.String(key.key_base64.data(), static_cast<rapidjson::SizeType>(key.key_base64.size()));
  w.Key("algorithm");
  w.String(key.algorithm.data(), static_cast<rapidjson::SizeType>(key.algorithm.size()));
  w.Key("creation-timestamp");
  w.Int64(key.creation_timestamp_ms);
  w.EndObject();
  const LogEntry entries[] = {{std::string(kSessionKey), std::string(buf.GetString())}};
  return write(entries);
}

Status ConfigStore::refresh(std::chrono::milliseconds timeout) {
  {
    std::lock_guard lock(mu_);
    if (!started_) return Status::internal("Config topic '" + options_.topic + "' is not open");
  }
  return log_store_->read_to_end(timeout);
}

ConfigSnapshot ConfigStore::snapshot() const {
  std::lock_guard lock(mu_);
  return state_;
}

void ConfigStore::apply(const LogRecord& record) {
  auto skip = [&](std::string_view reason) {
    log_.error("config.record.skipped", {{"key", record.key.value_or("<null>")},
                                         {"offset", std::to_string(record.offset)},
                                         {"reason", std::string(reason)}});
  };
  // The notification to send once the lock is released (the listener may call snapshot()).
  std::function<void(Listener&)> notify;
  {
    std::lock_guard lock(mu_);
    state_.offset = record.offset + 1;
  }
  if (!record.key) return skip("null key");
  const std::string& key = *record.key;

  std::optional<rapidjson::Document> doc;
  if (record.value) {
    auto parsed = parse_object(*record.value);
    if (!parsed.ok()) return skip(parsed.status().message());
    doc = std::move(parsed).value();
  }

  std::unique_lock lock(mu_);
  if (starts_with(key, kConnectorPrefix)) {
    std::string connector = key.substr(kConnectorPrefix.size());
    if (!doc) {
      // Connect drops the task configs with the connector; the target state has its own
      // tombstone.
      state_.connector_configs.erase(connector);
      state_.task_configs.erase(connector);
      state_.inconsistent.erase(connector);
      staged_.erase(connector);
      notify = [connector](Listener& l) { l.on_connector_config_remove(connector); };
    } else {
      auto props = parse_properties(*doc);
      if (!props.ok()) {
        lock.unlock();
        return skip(props.status().message());
      }
      state_.connector_configs[connector] = std::move(props).value();
      notify = [connector](Listener& l) { l.on_connector_config_update(connector); };
    }
  } else if (starts_with(key, kTaskPrefix)) {
    std::string_view rest = std::string_view(key).substr(kTaskPrefix.size());
    // The connector name may contain '-': the task id follows the last one.
    size_t dash = rest.rfind('-');
    int32_t task = -1;
    if (dash == std::string_view::npos || dash == 0 || dash + 1 == rest.size()) {
      lock.unlock();
      return skip("no task id after the connector name");
    }
    std::string_view digits = rest.substr(dash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), task);
    if (ec != std::errc() || end != digits.data() + digits.size() || task < 0) {
      lock.unlock();
      return skip("task id is not a non-negative integer");
    }
    if (!doc) {
      lock.unlock();
      return skip("task configuration is unexpectedly null");
    }
    auto props = parse_properties(*doc);
    if (!props.ok()) {
      lock.unlock();
      return skip(props.status().message());
    }
    staged_[std::string(rest.substr(0, dash))][task] = std::move(props).value();
  } else if (starts_with(key, kCommitPrefix)) {
    std::string connector = key.substr(kCommitPrefix.size());
    if (!doc) {
      lock.unlock();
      return skip("task commit is unexpectedly null");
    }
    auto it = doc->FindMember("tasks");
    if (it == doc->MemberEnd() || !it->value.IsInt() || it->value.GetInt() < 0) {
      lock.unlock();
      return skip("\"tasks\" is not a non-negative integer");
    }
    const int32_t count = it->value.GetInt();
    std::map<int32_t, config::ConfigMap>& staged = staged_[connector];
    std::vector<config::ConfigMap>& applied = state_.task_configs[connector];
    // KafkaConfigBackingStore's commit: tasks 0..N-1 must each have a config, staged now or
    // applied by an earlier commit; otherwise nothing is applied and the leader must regenerate.
    bool complete = true;
    for (int32_t i = 0; i < count; ++i) {
      if (!staged.count(i) && i >= static_cast<int32_t>(applied.size())) complete = false;
    }
    if (!complete) {
      log_.error("config.tasks.inconsistent",
                 {{"connector", connector},
                  {"tasks", std::to_string(count)},
                  {"staged", std::to_string(staged.size())},
                  {"reason", "the commit names task ids whose configuration was never written"}});
      state_.inconsistent.insert(connector);
    } else {
      applied.resize(count);
      for (auto& [task, props] : staged) {
        if (task < count) applied[task] = std::move(props);
      }
      state_.inconsistent.erase(connector);
    }
    // Connect clears the staged configs even when it did not apply them.
    staged_.erase(connector);
    notify = [connector, count](Listener& l) { l.on_task_configs_commit(connector, count); };
  } else if (starts_with(key, kTargetStatePrefix)) {
    std::string connector = key.substr(kTargetStatePrefix.size());
    if (!doc) {
      state_.target_states.erase(connector);
      // With the connector config still present, its state falls back to STARTED: a change.
      if (state_.connector_configs.count(connector)) {
        notify = [connector](Listener& l) { l.on_target_state_change(connector); };
      }
    } else {
      // state.v2 (3.5+) holds STOPPED too; legacy records have only state.
      std::optional<TargetState> state;
      if (auto v2 = doc->FindMember("state.v2"); v2 != doc->MemberEnd())
        state = parse_state(v2->value);
      if (!state) {
        if (auto v1 = doc->FindMember("state"); v1 != doc->MemberEnd())
          state = parse_state(v1->value);
      }
      if (!state) {
        lock.unlock();
        return skip("no valid \"state\" or \"state.v2\"");
      }
      state_.target_states[connector] = *state;
      notify = [connector](Listener& l) { l.on_target_state_change(connector); };
    }
  } else if (starts_with(key, kRestartPrefix)) {
    if (!doc) {
      lock.unlock();
      return skip("restart request is unexpectedly null");
    }
    RestartRequest request{key.substr(kRestartPrefix.size()), bool_or_false(*doc, "include-tasks"),
                           bool_or_false(*doc, "only-failed")};
    notify = [request](Listener& l) { l.on_restart_request(request); };
  } else if (starts_with(key, kLoggerPrefix)) {
    auto it = doc ? doc->FindMember("level") : rapidjson::Value::MemberIterator();
    if (!doc || it == doc->MemberEnd() || !it->value.IsString()) {
      lock.unlock();
      return skip("no \"level\" string");
    }
    std::string ns = key.substr(kLoggerPrefix.size());
    std::string level(it->value.GetString(), it->value.GetStringLength());
    notify = [ns, level](Listener& l) { l.on_logger_level(ns, level); };
  } else if (key == kSessionKey) {
    if (!doc) {
      lock.unlock();
      return skip("session key is unexpectedly null");
    }
    auto k = doc->FindMember("key");
    auto a = doc->FindMember("algorithm");
    auto t = doc->FindMember("creation-timestamp");
    if (k == doc->MemberEnd() || !k->value.IsString() || a == doc->MemberEnd() ||
        !a->value.IsString() || t == doc->MemberEnd() || !t->value.IsInt64()) {
      lock.unlock();
      return skip("session key needs \"key\", \"algorithm\" and \"creation-timestamp\"");
    }
    SessionKey sk{k->value.GetString(), a->value.GetString(), t->value.GetInt64()};
    state_.session_key = sk;
    notify = [sk](Listener& l) { l.on_session_key_update(sk); };
  } else if (starts_with(key, kFencingPrefix)) {
    // Exactly-once source support reads these; until then they are known and ignored.
  } else {
    lock.unlock();
    log_.warn("config.record.ignored", {{"key", key}, {"reason", "unknown key prefix"}});
    return;
  }
  Listener* listener = started_ ? listener_ : nullptr;
  lock.unlock();
  if (listener != nullptr && notify) notify(*listener);
}

}  // namespace kanal::storage
