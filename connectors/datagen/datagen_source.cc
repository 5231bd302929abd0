#include "connectors/datagen/datagen_source.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

namespace kanal::connectors {
namespace {

constexpr char kTopicConfig[] = "topic";
constexpr char kCountConfig[] = "count";
constexpr char kRateConfig[] = "rate";
constexpr char kSizeConfig[] = "size";
constexpr char kKeysConfig[] = "keys";
constexpr char kBatchSizeConfig[] = "batch.size";
// Added by the connector to each task config.
constexpr char kTaskIndexConfig[] = "datagen.task.index";
constexpr char kTaskCountConfig[] = "datagen.task.count";
constexpr char kTaskField[] = "task";
constexpr char kSeqField[] = "seq";

constexpr std::chrono::milliseconds kIdleWait{1000};

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

[[noreturn]] void invalid(const std::string& key, const std::string& value,
                          const std::string& why) {
  throw kanal::ConfigError("Invalid value " + value + " for configuration " + key + ": " + why);
}

}  // namespace

kanal::ConfigDef DatagenSourceConnector::config_def() {
  kanal::ConfigDef def;
  kanal::ConfigKey topic;
  topic.name = kTopicConfig;
  topic.type = kanal::ConfigType::kString;
  topic.importance = kanal::Importance::kHigh;
  topic.documentation = "The topic to write the records to";
  topic.validator = kanal::Validator::non_empty();
  def.define(std::move(topic));
  def.define(kCountConfig, kanal::ConfigType::kLong, "-1", kanal::Importance::kHigh,
             "How many records to produce over all tasks; -1 produces without end",
             kanal::Validator::at_least(-1));
  def.define(kRateConfig, kanal::ConfigType::kDouble, "0", kanal::Importance::kMedium,
             "Records per second over all tasks; 0 produces as fast as possible",
             kanal::Validator::at_least(0));
  def.define(kSizeConfig, kanal::ConfigType::kInt, "100", kanal::Importance::kMedium,
             "Bytes of each value \"<id>:<padding>\" (longer when the id alone needs more)",
             kanal::Validator::at_least(0));
  def.define(kKeysConfig, kanal::ConfigType::kLong, "0", kanal::Importance::kMedium,
             "Distinct keys \"key-<id % keys>\"; 0 writes null keys",
             kanal::Validator::at_least(0));
  def.define(kBatchSizeConfig, kanal::ConfigType::kInt, "1000", kanal::Importance::kLow,
             "The maximum number of records a task returns from one poll",
             kanal::Validator::at_least(1));
  return def;
}

void DatagenSourceConnector::start(const kanal::Config& config) {
  kanal::Config parsed = config_def().parse(config);
  if (parsed.get(kTopicConfig).empty()) {
    invalid(kTopicConfig, "\"\"", "String must be non-empty");
  }
  count_ = parsed.get_long(kCountConfig);
  if (count_ < -1) invalid(kCountConfig, parsed.get(kCountConfig), "Value must be at least -1");
  config_ = config;
}

std::vector<kanal::Config> DatagenSourceConnector::task_configs(int32_t max_tasks) {
  int64_t tasks = std::max<int64_t>(1, max_tasks);
  if (count_ >= 0) tasks = std::max<int64_t>(1, std::min<int64_t>(tasks, count_));
  std::vector<kanal::Config> out;
  for (int64_t i = 0; i < tasks; ++i) {
    kanal::Config c = config_;
    c[kTaskIndexConfig] = std::to_string(i);
    c[kTaskCountConfig] = std::to_string(tasks);
    out.push_back(std::move(c));
  }
  return out;
}

void DatagenSourceTask::start(const kanal::Config& config) {
  kanal::Config parsed = DatagenSourceConnector::config_def().parse(config);
  topic_ = parsed.get(kTopicConfig);
  if (topic_.empty()) invalid(kTopicConfig, "\"\"", "String must be non-empty");
  task_ = parsed.get_int(kTaskIndexConfig, 0);
  tasks_ = parsed.get_int(kTaskCountConfig, 1);
  if (tasks_ < 1 || task_ < 0 || task_ >= tasks_) {
    throw kanal::ConfigError("DatagenSource task " + std::to_string(task_) + " of " +
                             std::to_string(tasks_) + ": not a valid task index");
  }
  int64_t count = parsed.get_long(kCountConfig);
  if (count < -1) invalid(kCountConfig, parsed.get(kCountConfig), "Value must be at least -1");
  double rate = parsed.get_double(kRateConfig);
  if (rate < 0) invalid(kRateConfig, parsed.get(kRateConfig), "Value must be at least 0");
  int64_t size = parsed.get_long(kSizeConfig);
  if (size < 0) invalid(kSizeConfig, parsed.get(kSizeConfig), "Value must be at least 0");
  int64_t keys = parsed.get_long(kKeysConfig);
  if (keys < 0) invalid(kKeysConfig, parsed.get(kKeysConfig), "Value must be at least 0");
  int64_t batch = parsed.get_long(kBatchSizeConfig);
  if (batch < 1)
    invalid(kBatchSizeConfig, parsed.get(kBatchSizeConfig), "Value must be at least 1");

  share_ = datagen_task_share(count, task_, tasks_);
  size_bytes_ = static_cast<size_t>(size);
  keys_ = static_cast<uint64_t>(keys);
  batch_size_ = static_cast<size_t>(batch);
  value_schema_ = kanal::Schema::string();
  if (keys_ > 0) key_schema_ = kanal::Schema::string();
  partition_ = kanal::Value::map().put(kTaskField, task_);

  kanal::Value offset = context().offset(partition_);
  if (!offset.is_null()) {
    kanal::ValueView seq = offset.get(kSeqField);
    if (!seq.is_null()) {
      if (!kanal::is_integer(seq.type()) || seq.as_int64() < 0) {
        throw kanal::Error("DatagenSource task " + std::to_string(task_) +
                           ": stored offset 'seq' is not a non-negative integer");
      }
      next_seq_ = static_cast<uint64_t>(seq.as_int64()) + 1;
    }
  }
  if (rate > 0) pacer_.emplace(rate / tasks_, RatePacer::Clock::now());
  logger().info("DatagenSource task " + std::to_string(task_) + " of " + std::to_string(tasks_) +
                " starts at seq " + std::to_string(next_seq_) + ", producing " +
                (share_ < 0 ? std::string("without end") : std::to_string(share_) + " in all"));
}

void DatagenSourceTask::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
}

bool DatagenSourceTask::wait(std::chrono::nanoseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  wake_.wait_for(lock, timeout, [this] { return stopping_; });
  return !stopping_;
}

void DatagenSourceTask::poll(std::vector<kanal::SourceRecord>& records) {
  if (!wait(std::chrono::nanoseconds(0))) return;
  uint64_t n = batch_size_;
  if (share_ >= 0) {
    uint64_t left =
        next_seq_ < static_cast<uint64_t>(share_) ? static_cast<uint64_t>(share_) - next_seq_ : 0;
    if (left == 0) {
      wait(kIdleWait);
      return;
    }
    n = std::min(n, left);
  }
  if (pacer_) {
    auto now = RatePacer::Clock::now();
    if (pacer_->allowed(now, n) == 0) {
      auto pause = std::min<RatePacer::Clock::duration>(pacer_->until_next(now), kIdleWait);
      if (!wait(pause)) return;
      now = RatePacer::Clock::now();
    }
    n = pacer_->allowed(now, n);
    pacer_->produced(n);
  }
  const int64_t timestamp = now_ms();
  records.reserve(n);
  for (uint64_t i = 0; i < n; ++i, ++next_seq_) {
    uint64_t id = datagen_record_id(next_seq_, task_, tasks_);
    kanal::SourceRecord& r = records.emplace_back();
    r.topic = topic_;
    if (keys_ > 0) {
      text_.clear();
      append_datagen_key(id, keys_, text_);
      r.key_schema = key_schema_;
      r.key = kanal::Value(std::string_view(text_));
    }
    text_.clear();
    append_datagen_value(id, size_bytes_, text_);
    r.value_schema = value_schema_;
    r.value = kanal::Value(std::string_view(text_));
    r.timestamp = timestamp;
    r.source_partition = partition_.clone();
    r.source_offset = kanal::Value::map().put(kSeqField, static_cast<int64_t>(next_seq_));
  }
}

}  // namespace kanal::connectors
