#include "connectors/file/file_source.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <utility>

namespace kanal::connectors {
namespace {

constexpr char kFileConfig[] = "file";
constexpr char kTopicConfig[] = "topic";
constexpr char kBatchSizeConfig[] = "batch.size";
constexpr char kFilenameField[] = "filename";
constexpr char kPositionField[] = "position";
constexpr int64_t kDefaultBatchSize = 2000;

// Kafka's FileStreamSourceTask waits one second for a missing file or for new lines. We check
// for new bytes ten times within that second, so a tailed file is picked up sooner.
constexpr std::chrono::milliseconds kIdleWait{1000};
constexpr std::chrono::milliseconds kRecheckInterval{100};

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string errno_text(int error) { return std::strerror(error); }

}  // namespace

kanal::ConfigDef FileStreamSourceConnector::config_def() {
  kanal::ConfigDef def;
  def.define_optional(kFileConfig, kanal::ConfigType::kString, kanal::Importance::kHigh,
                      "Source filename. If not specified, the standard input will be used");
  kanal::ConfigKey topic;
  topic.name = kTopicConfig;
  topic.type = kanal::ConfigType::kString;
  topic.importance = kanal::Importance::kHigh;
  topic.documentation = "The topic to publish data to";
  topic.validator = kanal::Validator::non_empty();
  def.define(std::move(topic));
  def.define(kBatchSizeConfig, kanal::ConfigType::kInt, std::to_string(kDefaultBatchSize),
             kanal::Importance::kLow,
             "The maximum number of records the source task can read from the file each time it "
             "is polled",
             kanal::Validator::at_least(1));
  return def;
}

void FileStreamSourceConnector::start(const kanal::Config& config) {
  kanal::Config parsed = config_def().parse(config);
  if (parsed.get(kTopicConfig).empty()) {
    throw kanal::ConfigError(
        "Invalid value \"\" for configuration topic: String must be non-empty");
  }
  if (parsed.get_int(kBatchSizeConfig) < 1) {
    throw kanal::ConfigError("Invalid value " + parsed.get(kBatchSizeConfig) +
                             " for configuration batch.size: Value must be at least 1");
  }
  config_ = config;
}

std::vector<kanal::Config> FileStreamSourceConnector::task_configs(int32_t max_tasks) {
  (void)max_tasks;  // Kafka's FileStreamSourceConnector always runs exactly one task
  return {config_};
}

FileStreamSourceTask::~FileStreamSourceTask() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

void FileStreamSourceTask::start(const kanal::Config& config) {
  kanal::Config parsed = FileStreamSourceConnector::config_def().parse(config);
  filename_ = parsed.get(kFileConfig);
  topic_ = parsed.get(kTopicConfig);
  if (topic_.empty()) {
    throw kanal::ConfigError(
        "Invalid value \"\" for configuration topic: String must be non-empty");
  }
  int64_t batch = parsed.get_long(kBatchSizeConfig, kDefaultBatchSize);
  if (batch < 1) {
    throw kanal::ConfigError("Invalid value " + std::to_string(batch) +
                             " for configuration batch.size: Value must be at least 1");
  }
  batch_size_ = static_cast<size_t>(batch);
  value_schema_ = kanal::Schema::string();
  partition_ = filename_.empty() ? kanal::Value::map().put(kFilenameField, kanal::Value())
                                 : kanal::Value::map().put(kFilenameField, kanal::Value(filename_));
  run_.topic = topic_;
  run_.value_schema = value_schema_;
  run_.source_partition = partition_.clone();
  run_.offset_keys = {kPositionField};
  if (filename_.empty()) {
    fd_ = STDIN_FILENO;
    owns_fd_ = false;
    logger().debug("Reading standard input");
  }
}

void FileStreamSourceTask::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
}

bool FileStreamSourceTask::wait(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  wake_.wait_for(lock, timeout, [this] { return stopping_; });
  return !stopping_;
}

bool FileStreamSourceTask::open_input() {
  int fd = ::open(filename_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int error = errno;
    if (error == ENOENT) return false;
    throw kanal::Error("Error while trying to open file " + filename_ + ": " + errno_text(error));
  }
  fd_ = fd;
  owns_fd_ = true;
  kanal::Value offset = context().offset(partition_);
  uint64_t position = 0;
  if (!offset.is_null()) {
    kanal::ValueView stored = offset.get(kPositionField);
    if (!stored.is_null()) {
      if (!kanal::is_integer(stored.type()) || stored.as_int64() < 0) {
        throw kanal::Error("Offset position is the incorrect type");
      }
      position = static_cast<uint64_t>(stored.as_int64());
    }
  }
  // Offsets count characters, so skipping reads and decodes the start of the file rather than
  // seeking: it stays right for non-ASCII text, where Kafka's byte skip would land too early.
  splitter_.skip(position);
  logger().debug("Opened " + filename_ + " for reading, skipping to position " +
                 std::to_string(position));
  return true;
}

bool FileStreamSourceTask::read_available() {
  if (!owns_fd_) {
    // Standard input may be a pipe or a terminal: read only what is there, never block.
    struct pollfd p {};
    p.fd = fd_;
    p.events = POLLIN;
    int ready = ::poll(&p, 1, 0);
    if (ready <= 0 || (p.revents & (POLLIN | POLLHUP)) == 0) return false;
  }
  std::span<char> area = splitter_.write_area();
  ssize_t n;
  do {
    n = ::read(fd_, area.data(), area.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    int error = errno;
    if (error == EAGAIN || error == EWOULDBLOCK) return false;
    throw kanal::Error("Error while reading " +
                       (filename_.empty() ? std::string("stdin") : "file " + filename_) + ": " +
                       errno_text(error));
  }
  splitter_.commit(static_cast<size_t>(n));
  return n > 0;
}

void FileStreamSourceTask::take_lines(std::vector<kanal::SourceRecord>& records, size_t& taken) {
  const int64_t timestamp = now_ms();
  if (filename_.empty()) {
    for (; taken < batch_size_; ++taken) {
      std::optional<LineSplitter::Line> line = splitter_.next();
      if (!line) return;
      kanal::SourceRecord& r = records.emplace_back();
      r.topic = topic_;
      r.value_schema = value_schema_;
      r.value = kanal::Value(line->text);
      r.timestamp = timestamp;
      r.source_partition = partition_.clone();
      r.source_offset = kanal::Value::map().put(kPositionField, kanal::Value());
    }
    return;
  }
  // The run borrows each line from the splitter's buffer, which stays put until the next read;
  // a repaired line lives only until the next line is taken, so the run is handed over first.
  run_.clear();  // nothing stale from a poll the worker refused
  run_.timestamp = timestamp;
  for (; taken < batch_size_; ++taken) {
    std::optional<LineSplitter::Line> line = splitter_.next();
    if (!line) break;
    run_.add(line->text, static_cast<int64_t>(line->position));
    if (line->replaced) append_run(run_);
  }
  if (!run_.empty()) append_run(run_);
}

void FileStreamSourceTask::poll(std::vector<kanal::SourceRecord>& records) {
  if (!wait(std::chrono::milliseconds(0))) return;
  if (fd_ < 0 && !open_input()) {
    // Kafka warns on every poll; once is enough to tell the user, the rest is noise.
    std::string line = "Couldn't find file " + filename_ +
                       " for FileStreamSourceTask, sleeping to wait for it to be created";
    if (missing_polls_++ == 0) {
      logger().warn(line);
    } else {
      logger().debug(line + " (repeated " + std::to_string(missing_polls_) + " times)");
    }
    wait(kIdleWait);
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + kIdleWait;
  size_t taken = 0;
  while (true) {
    take_lines(records, taken);
    if (taken >= batch_size_) return;
    if (read_available()) continue;
    if (taken > 0) return;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    if (!wait(std::min(left, kRecheckInterval))) return;
  }
}

}  // namespace kanal::connectors
