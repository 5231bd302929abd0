#include "storage/kafka_offset_store.h"

#include <algorithm>
#include <utility>

#include "storage/offset_codec.h"

namespace kanal::storage {

KafkaOffsetStore::KafkaOffsetStore(Options options)
    : options_(std::move(options)),
      log_(log::Logger("kanal.storage").with_context(options_.topic)) {}

KafkaOffsetStore::~KafkaOffsetStore() { stop(); }

Status KafkaOffsetStore::start() {
  KafkaBasedLog::Options log_options;
  log_options.topic = options_.topic;
  log_options.client_settings = options_.client_settings;
  log_store_ = std::make_unique<KafkaBasedLog>(std::move(log_options),
                                               [this](const LogRecord& record) { apply(record); });
  Status started = log_store_->start(options_.start_timeout);
  if (!started.ok()) {
    return started.with_context("Offsets topic '" + options_.topic + "' (offset.storage.topic)");
  }
  std::lock_guard lock(mu_);
  started_ = true;
  log_.info("offsets.store.started", {{"keys", std::to_string(data_.size())}});
  return Status::OK();
}

void KafkaOffsetStore::stop() {
  {
    std::lock_guard lock(mu_);
    started_ = false;
  }
  if (log_store_) log_store_->stop();
}

void KafkaOffsetStore::apply(const LogRecord& record) {
  if (!record.key) {
    log_.warn("offsets.record.skipped", {{"partition", std::to_string(record.partition)},
                                         {"offset", std::to_string(record.offset)},
                                         {"reason", "null key"}});
    return;
  }
  // Connect's KafkaOffsetBackingStore (via OffsetUtils.processPartitionKey) ignores keys that
  // are not [connector, partition]; they cannot belong to any connector.
  auto key = decode_offset_key(*record.key);
  if (!key.ok()) {
    log_.warn("offsets.record.skipped", {{"partition", std::to_string(record.partition)},
                                         {"offset", std::to_string(record.offset)},
                                         {"key", *record.key},
                                         {"reason", key.status().message()}});
    return;
  }
  std::lock_guard lock(mu_);
  if (!record.value) {
    data_.erase(*record.key);
    return;
  }
  auto [it, inserted] = data_.try_emplace(*record.key);
  it->second.value = *record.value;
  if (inserted) {
    it->second.connector = std::move(key->connector);
    it->second.order = next_order_++;
  }
}

Result<std::map<std::string, std::optional<std::string>>> KafkaOffsetStore::get(
    std::span<const std::string> keys) {
  {
    std::lock_guard lock(mu_);
    if (!started_) return Status::internal("Offsets topic '" + options_.topic + "' is not open");
  }
  KANAL_RETURN_IF_ERROR(log_store_->read_to_end(options_.write_timeout));
  std::map<std::string, std::optional<std::string>> out;
  std::lock_guard lock(mu_);
  for (const std::string& k : keys) {
    auto it = data_.find(k);
    out[k] = it == data_.end() ? std::nullopt : std::optional<std::string>(it->second.value);
  }
  return out;
}

Status KafkaOffsetStore::set(std::span<const OffsetEntry> entries) {
  std::vector<LogEntry> records;
  records.reserve(entries.size());
  for (const OffsetEntry& e : entries) {
    auto key = decode_offset_key(e.key);
    if (!key.ok()) {
      return key.status().with_context("Refusing to store source offsets with the key '" + e.key +
                                       "'");
    }
    records.push_back(LogEntry{e.key, e.value});
  }
  {
    std::lock_guard lock(mu_);
    if (!started_) return Status::internal("Offsets topic '" + options_.topic + "' is not open");
  }
  return log_store_->send_and_wait(records, options_.write_timeout);
}

Result<std::vector<StoredOffset>> KafkaOffsetStore::list(std::string_view connector) {
  {
    std::lock_guard lock(mu_);
    if (!started_) return Status::internal("Offsets topic '" + options_.topic + "' is not open");
  }
  KANAL_RETURN_IF_ERROR(log_store_->read_to_end(options_.write_timeout));
  std::vector<std::pair<uint64_t, std::pair<std::string, std::string>>> rows;
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, stored] : data_) {
      if (stored.connector == connector) rows.push_back({stored.order, {key, stored.value}});
    }
  }
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<StoredOffset> out;
  out.reserve(rows.size());
  for (auto& [order, row] : rows) {
    auto& [key_bytes, value_bytes] = row;
    auto key = decode_offset_key(key_bytes);
    auto value = decode_offset_value(value_bytes);
    if (!key.ok() || !value.ok() || !value->has_value()) {
      log_.warn("offsets.entry.skipped",
                {{"key", key_bytes},
                 {"value", value_bytes},
                 {"reason", value.ok() ? "the value is JSON null" : value.status().message()}});
      continue;
    }
    StoredOffset s;
    s.key = std::move(key_bytes);
    s.value = std::move(value_bytes);
    s.partition = std::move(key->partition);
    s.offset = std::move(**value);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace kanal::storage
