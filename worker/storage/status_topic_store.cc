#include "storage/status_topic_store.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <charconv>
#include <string_view>
#include <utility>

namespace kanal::storage {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::string_view kConnectorPrefix = "status-connector-";
constexpr std::string_view kTaskPrefix = "status-task-";
constexpr std::string_view kTopicPrefix = "status-topic-";
constexpr std::string_view kTopicSeparator = ":connector-";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string connector_key(const std::string& c) { return std::string(kConnectorPrefix) + c; }
std::string task_key(const runtime::TaskId& id) {
  return std::string(kTaskPrefix) + id.connector + "-" + std::to_string(id.task);
}
std::string topic_key(const std::string& topic, const std::string& connector) {
  return std::string(kTopicPrefix) + topic + std::string(kTopicSeparator) + connector;
}

void write_string(JsonWriter& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// Connect's STATUS_SCHEMA_V0 field order: state, trace, worker_id, generation.
std::string status_value(const runtime::StateInfo& info, int32_t generation) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("state");
  write_string(w, info.state);
  w.Key("trace");
  if (info.trace) {
    write_string(w, *info.trace);
  } else {
    w.Null();
  }
  w.Key("worker_id");
  write_string(w, info.worker_id);
  w.Key("generation");
  w.Int(generation);
  if (info.version) {
    // Connect 4.1 status entries carry the plugin version; older readers ignore the field.
    w.Key("version");
    write_string(w, *info.version);
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string topic_value(const TopicStatus& s) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("topic");
  w.StartObject();
  w.Key("name");
  write_string(w, s.topic);
  w.Key("connector");
  write_string(w, s.connector);
  w.Key("task");
  w.Int(s.task);
  w.Key("discoverTimestamp");
  w.Int64(s.discover_timestamp_ms);
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

bool valid_state(std::string_view s) {
  return s == runtime::kUnassigned || s == runtime::kRunning || s == runtime::kPaused ||
         s == runtime::kFailed || s == runtime::kRestarting || s == runtime::kStopped;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

StatusTopicStore::StatusTopicStore(Options options)
    : options_(std::move(options)),
      log_(log::Logger("kanal.storage").with_context(options_.topic)) {}

StatusTopicStore::~StatusTopicStore() { stop(); }

Status StatusTopicStore::start() {
  KafkaBasedLog::Options log_options;
  log_options.topic = options_.topic;
  log_options.client_settings = options_.client_settings;
  // KafkaStatusBackingStore's producer: this class decides about resends (a stale status must
  // not be retried over a newer one), so the client does not retry and is not idempotent.
  log_options.producer_overrides = {{"retries", "0"}, {"enable.idempotence", "false"}};
  log_store_ = std::make_unique<KafkaBasedLog>(std::move(log_options),
                                               [this](const LogRecord& record) { apply(record); });
  Status started = log_store_->start(options_.start_timeout);
  if (!started.ok()) {
    return started.with_context("Status topic '" + options_.topic + "' (status.storage.topic)");
  }
  return Status::OK();
}

void StatusTopicStore::stop() {
  if (log_store_) log_store_->stop();
}

void StatusTopicStore::set_generation(int32_t generation) {
  std::lock_guard lock(mu_);
  generation_ = generation;
}

int32_t StatusTopicStore::generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

void StatusTopicStore::put_connector(const std::string& connector, runtime::StateInfo state) {
  put_status(connector_key(connector), state, false);
}

void StatusTopicStore::put_task(const runtime::TaskId& id, runtime::StateInfo state) {
  put_status(task_key(id), state, false);
}

bool StatusTopicStore::put_connector_safe(const std::string& connector, runtime::StateInfo state) {
  return put_status(connector_key(connector), state, true);
}

bool StatusTopicStore::put_task_safe(const runtime::TaskId& id, runtime::StateInfo state) {
  return put_status(task_key(id), state, true);
}

const StatusTopicStore::Cached* StatusTopicStore::cached_locked(const std::string& key) const {
  if (starts_with(key, kConnectorPrefix)) {
    auto it = connectors_.find(key.substr(kConnectorPrefix.size()));
    return it == connectors_.end() ? nullptr : &it->second;
  }
  std::string_view rest = std::string_view(key).substr(kTaskPrefix.size());
  size_t dash = rest.rfind('-');
  runtime::TaskId id{std::string(rest.substr(0, dash)), 0};
  std::string_view digits = rest.substr(dash + 1);
  std::from_chars(digits.data(), digits.data() + digits.size(), id.task);
  auto it = tasks_.find(id);
  return it == tasks_.end() ? nullptr : &it->second;
}

bool StatusTopicStore::put_status(const std::string& key, const runtime::StateInfo& state,
                                  bool safe) {
  uint64_t sequence = 0;
  int32_t generation = 0;
  {
    std::lock_guard lock(mu_);
    generation = generation_;
    if (safe) {
      // KafkaStatusBackingStore.CacheEntry.canWriteSafely: never overwrite the status a newer
      // owner wrote in a later generation.
      const Cached* last = cached_locked(key);
      if (last != nullptr && last->info.worker_id != state.worker_id &&
          last->generation > generation) {
        log_.debug("status.safe_write.skipped",
                   {{"key", key},
                    {"owner", last->info.worker_id},
                    {"owner_generation", std::to_string(last->generation)},
                    {"generation", std::to_string(generation)}});
        return false;
      }
    }
    sequence = ++sequences_[key];
  }
  send(key, status_value(state, generation), sequence, generation);
  return true;
}

void StatusTopicStore::write(const std::string& key, std::optional<std::string> value) {
  uint64_t sequence = 0;
  int32_t generation = 0;
  {
    std::lock_guard lock(mu_);
    generation = generation_;
    sequence = ++sequences_[key];
  }
  send(key, value, sequence, generation);
}

void StatusTopicStore::send(const std::string& key, const std::optional<std::string>& value,
                            uint64_t sequence, int32_t generation) {
  if (!log_store_) {
    log_.warn("status.write.dropped", {{"key", key}, {"reason", "the store is not started"}});
    return;
  }
  std::optional<std::string_view> bytes;
  if (value) bytes = *value;
  Status sent =
      log_store_->send(key, bytes, [this, key, value, sequence, generation](const Status& outcome) {
        if (outcome.ok()) return;
        if (!outcome.retriable()) {
          log_.warn("status.write.failed", {{"key", key}, {"error", outcome.message()}});
          return;
        }
        {
          std::lock_guard lock(mu_);
          if (sequences_[key] != sequence || generation_ != generation) return;
        }
        send(key, value, sequence, generation);
      });
  if (!sent.ok()) log_.warn("status.write.failed", {{"key", key}, {"error", sent.message()}});
}

std::optional<runtime::StateInfo> StatusTopicStore::connector(const std::string& connector) const {
  std::lock_guard lock(mu_);
  auto it = connectors_.find(connector);
  if (it == connectors_.end()) return std::nullopt;
  return it->second.info;
}

std::optional<runtime::StateInfo> StatusTopicStore::task(const runtime::TaskId& id) const {
  std::lock_guard lock(mu_);
  auto it = tasks_.find(id);
  if (it == tasks_.end()) return std::nullopt;
  return it->second.info;
}

std::vector<std::pair<int32_t, runtime::StateInfo>> StatusTopicStore::tasks(
    const std::string& connector) const {
  std::lock_guard lock(mu_);
  std::vector<std::pair<int32_t, runtime::StateInfo>> out;
  for (auto it = tasks_.lower_bound(runtime::TaskId{connector, INT32_MIN});
       it != tasks_.end() && it->first.connector == connector; ++it) {
    out.emplace_back(it->first.task, it->second.info);
  }
  return out;
}

std::optional<int32_t> StatusTopicStore::connector_generation(const std::string& connector) const {
  std::lock_guard lock(mu_);
  auto it = connectors_.find(connector);
  if (it == connectors_.end()) return std::nullopt;
  return it->second.generation;
}

std::optional<int32_t> StatusTopicStore::task_generation(const runtime::TaskId& id) const {
  std::lock_guard lock(mu_);
  auto it = tasks_.find(id);
  if (it == tasks_.end()) return std::nullopt;
  return it->second.generation;
}

std::vector<std::string> StatusTopicStore::connectors() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [name, cached] : connectors_) out.push_back(name);
  return out;
}

void StatusTopicStore::remove_connector(const std::string& connector) {
  std::vector<runtime::TaskId> tasks;
  {
    std::lock_guard lock(mu_);
    for (auto it = tasks_.lower_bound(runtime::TaskId{connector, INT32_MIN});
         it != tasks_.end() && it->first.connector == connector; ++it) {
      tasks.push_back(it->first);
    }
  }
  // Connect writes DESTROYED as a tombstone.
  write(connector_key(connector), std::nullopt);
  for (const runtime::TaskId& id : tasks) write(task_key(id), std::nullopt);
}

void StatusTopicStore::remove_task(const runtime::TaskId& id) { write(task_key(id), std::nullopt); }

void StatusTopicStore::put_topic(const std::string& connector, const std::string& topic) {
  put_topic(TopicStatus{topic, connector, 0, now_ms()});
}

void StatusTopicStore::put_topic(const TopicStatus& status) {
  {
    std::lock_guard lock(mu_);
    auto it = topics_.find(status.connector);
    if (it != topics_.end() && it->second.count(status.topic)) return;
  }
  write(topic_key(status.topic, status.connector), topic_value(status));
}

std::vector<std::string> StatusTopicStore::topics(const std::string& connector) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  auto it = topics_.find(connector);
  if (it == topics_.end()) return out;
  for (const auto& [topic, status] : it->second) out.push_back(topic);
  return out;
}

std::optional<TopicStatus> StatusTopicStore::topic_status(const std::string& connector,
                                                          const std::string& topic) const {
  std::lock_guard lock(mu_);
  auto it = topics_.find(connector);
  if (it == topics_.end()) return std::nullopt;
  auto t = it->second.find(topic);
  if (t == it->second.end()) return std::nullopt;
  return t->second;
}

void StatusTopicStore::reset_topics(const std::string& connector) {
  for (const std::string& topic : topics(connector)) {
    write(topic_key(topic, connector), std::nullopt);
  }
}

Status StatusTopicStore::refresh(std::chrono::milliseconds timeout) {
  if (!log_store_) {
    return Status::internal("Status topic '" + options_.topic + "' is not open");
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // Writes do not wait for their acknowledgement: flush first, or the end offsets read_to_end
  // captures may not cover them yet.
  KANAL_RETURN_IF_ERROR(log_store_->flush(timeout));
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return log_store_->read_to_end(std::max(left, std::chrono::milliseconds(1)));
}

void StatusTopicStore::apply(const LogRecord& record) {
  auto skip = [&](std::string_view reason) {
    log_.error("status.record.skipped", {{"key", record.key.value_or("<null>")},
                                         {"offset", std::to_string(record.offset)},
                                         {"reason", std::string(reason)}});
  };
  if (!record.key) return skip("null key");
  const std::string& key = *record.key;

  rapidjson::Document doc;
  if (record.value) {
    doc.Parse(record.value->data(), record.value->size());
    if (doc.HasParseError() || !doc.IsObject()) return skip("value is not a JSON object");
  }

  if (starts_with(key, kTopicPrefix)) {
    std::string_view rest = std::string_view(key).substr(kTopicPrefix.size());
    // Topic names cannot contain ':', so the first separator ends the topic name.
    size_t sep = rest.find(kTopicSeparator);
    if (sep == std::string_view::npos || sep == 0) return skip("no ':connector-' in topic key");
    std::string topic(rest.substr(0, sep));
    std::string connector(rest.substr(sep + kTopicSeparator.size()));
    if (!record.value) {
      std::lock_guard lock(mu_);
      auto it = topics_.find(connector);
      if (it != topics_.end()) {
        it->second.erase(topic);
        if (it->second.empty()) topics_.erase(it);
      }
      return;
    }
    auto t = doc.FindMember("topic");
    if (t == doc.MemberEnd() || !t->value.IsObject()) return skip("no \"topic\" object");
    const auto& o = t->value;
    auto task = o.FindMember("task");
    auto ts = o.FindMember("discoverTimestamp");
    TopicStatus status{topic, connector, 0, 0};
    if (task != o.MemberEnd() && task->value.IsInt()) status.task = task->value.GetInt();
    if (ts != o.MemberEnd() && ts->value.IsInt64())
      status.discover_timestamp_ms = ts->value.GetInt64();
    std::lock_guard lock(mu_);
    topics_[connector][topic] = status;
    return;
  }

  const bool is_connector = starts_with(key, kConnectorPrefix);
  if (!is_connector && !starts_with(key, kTaskPrefix)) {
    log_.warn("status.record.ignored", {{"key", key}, {"reason", "unknown key prefix"}});
    return;
  }
  runtime::TaskId id;
  if (is_connector) {
    id.connector = key.substr(kConnectorPrefix.size());
  } else {
    std::string_view rest = std::string_view(key).substr(kTaskPrefix.size());
    // The connector name may contain '-': the task id follows the last one.
    size_t dash = rest.rfind('-');
    if (dash == std::string_view::npos || dash == 0) return skip("no task id in the key");
    std::string_view digits = rest.substr(dash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id.task);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
      return skip("task id is not an integer");
    }
    id.connector = std::string(rest.substr(0, dash));
  }

  if (!record.value) {
    std::lock_guard lock(mu_);
    if (is_connector) {
      connectors_.erase(id.connector);
    } else {
      tasks_.erase(id);
    }
    return;
  }
  auto state = doc.FindMember("state");
  auto worker = doc.FindMember("worker_id");
  auto generation = doc.FindMember("generation");
  if (state == doc.MemberEnd() || !state->value.IsString() ||
      !valid_state(state->value.GetString())) {
    return skip("no valid \"state\"");
  }
  if (worker == doc.MemberEnd() || !worker->value.IsString()) return skip("no \"worker_id\"");
  if (generation == doc.MemberEnd() || !generation->value.IsInt()) return skip("no \"generation\"");
  Cached cached;
  cached.info.state = state->value.GetString();
  cached.info.worker_id = worker->value.GetString();
  if (auto trace = doc.FindMember("trace"); trace != doc.MemberEnd() && trace->value.IsString()) {
    cached.info.trace = trace->value.GetString();
  }
  if (auto version = doc.FindMember("version");
      version != doc.MemberEnd() && version->value.IsString()) {
    cached.info.version = version->value.GetString();
  }
  cached.generation = generation->value.GetInt();
  std::lock_guard lock(mu_);
  if (is_connector) {
    connectors_[id.connector] = std::move(cached);
  } else {
    tasks_[id] = std::move(cached);
  }
}

}  // namespace kanal::storage
