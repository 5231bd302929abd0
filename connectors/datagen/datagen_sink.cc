#include "connectors/datagen/datagen_sink.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <utility>

#include "connectors/datagen/datagen_sequence.h"

namespace kanal::connectors {
namespace {

constexpr char kSummaryFileConfig[] = "summary.file";
constexpr char kSourceTasksConfig[] = "source.tasks";

// Trackers by summary file, kept for the life of the process: a rebalance stops every task and
// starts new ones, and the summary must still count what the old ones saw.
std::shared_ptr<SharedSeqTracker> tracker_for(const std::string& summary_file,
                                              uint32_t source_tasks) {
  if (summary_file.empty()) return std::make_shared<SharedSeqTracker>("", source_tasks);
  static std::mutex mu;
  static auto* trackers = new std::map<std::string, std::shared_ptr<SharedSeqTracker>>();
  std::lock_guard<std::mutex> lock(mu);
  std::shared_ptr<SharedSeqTracker>& t = (*trackers)[summary_file];
  if (!t) t = std::make_shared<SharedSeqTracker>(summary_file, source_tasks);
  return t;
}

}  // namespace

void SharedSeqTracker::observe(const kanal::SinkRecords& records) {
  std::lock_guard<std::mutex> lock(mu_);
  for (kanal::SinkRecord record : records) {
    kanal::ValueView value = record.value();
    kanal::Type type = value.type();
    std::optional<uint64_t> id;
    if (type == kanal::Type::kString || type == kanal::Type::kBytes) {
      id = parse_datagen_id(value.as_string());
    }
    tracker_.observe(record.topic(), record.partition(), id);
  }
}

SeqSummary SharedSeqTracker::write_summary() {
  SeqSummary summary;
  {
    std::lock_guard<std::mutex> lock(mu_);
    summary = tracker_.summary();
  }
  if (summary_file_.empty()) return summary;
  std::string json = summary.to_json() + "\n";
  std::lock_guard<std::mutex> lock(write_mu_);
  std::string temp = summary_file_ + ".tmp";
  std::FILE* f = std::fopen(temp.c_str(), "w");
  if (f == nullptr) {
    int error = errno;
    throw kanal::Error("DatagenSink: cannot write summary file '" + temp +
                       "': " + std::strerror(error));
  }
  bool ok = std::fwrite(json.data(), 1, json.size(), f) == json.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok || std::rename(temp.c_str(), summary_file_.c_str()) != 0) {
    int error = errno;
    throw kanal::Error("DatagenSink: cannot write summary file '" + summary_file_ +
                       "': " + std::strerror(error));
  }
  return summary;
}

kanal::ConfigDef DatagenSinkConnector::config_def() {
  return kanal::ConfigDef()
      .define_optional(kSummaryFileConfig, kanal::ConfigType::kString, kanal::Importance::kMedium,
                       "Where to write a JSON summary of the records seen, on every flush and on "
                       "stop; unset writes none")
      .define(kSourceTasksConfig, kanal::ConfigType::kInt, "1", kanal::Importance::kLow,
              "The task count of the DatagenSource that produced the records: order is checked "
              "per partition and per producing task",
              kanal::Validator::at_least(1));
}

void DatagenSinkConnector::start(const kanal::Config& config) {
  kanal::Config parsed = config_def().parse(config);
  if (parsed.get_int(kSourceTasksConfig) < 1) {
    throw kanal::ConfigError("Invalid value " + parsed.get(kSourceTasksConfig) +
                             " for configuration source.tasks: Value must be at least 1");
  }
  config_ = config;
}

std::vector<kanal::Config> DatagenSinkConnector::task_configs(int32_t max_tasks) {
  return std::vector<kanal::Config>(static_cast<size_t>(max_tasks < 1 ? 1 : max_tasks), config_);
}

void DatagenSinkTask::start(const kanal::Config& config) {
  kanal::Config parsed = DatagenSinkConnector::config_def().parse(config);
  int32_t source_tasks = parsed.get_int(kSourceTasksConfig);
  if (source_tasks < 1) {
    throw kanal::ConfigError("Invalid value " + parsed.get(kSourceTasksConfig) +
                             " for configuration source.tasks: Value must be at least 1");
  }
  tracker_ = tracker_for(parsed.get(kSummaryFileConfig), static_cast<uint32_t>(source_tasks));
}

void DatagenSinkTask::put(const kanal::SinkRecords& records) { tracker_->observe(records); }

void DatagenSinkTask::flush(const std::vector<kanal::TopicPartition>& offsets) {
  (void)offsets;
  tracker_->write_summary();
}

void DatagenSinkTask::stop() {
  if (!tracker_) return;
  SeqSummary s = tracker_->write_summary();
  logger().info("DatagenSink summary: " + s.to_json());
}

}  // namespace kanal::connectors
