// FileStreamSource: Kafka's org.apache.kafka.connect.file.FileStreamSourceConnector and its
// FileStreamSourceTask, reading lines of a file (or standard input) into one topic.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <kanal/kanal.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "connectors/file/line_splitter.h"

namespace kanal::connectors {

// Settings: `file` (null/empty = stdin), `topic` (required), `batch.size` (default 2000).
// Always one task, whose config is the connector's.
class FileStreamSourceConnector : public kanal::SourceConnector {
 public:
  static kanal::ConfigDef config_def();

  // Throws ConfigError when `topic` is missing or empty or `batch.size` is not a number.
  void start(const kanal::Config& config) override;
  std::vector<kanal::Config> task_configs(int32_t max_tasks) override;
  void stop() override {}

 private:
  kanal::Config config_;
};

// Reads the file lazily on the first poll, resuming after the stored offset. poll() returns up
// to batch.size records, or none after about a second without a complete line; stop() may be
// called from any thread and makes a waiting poll() return at once.
class FileStreamSourceTask : public kanal::SourceTask {
 public:
  FileStreamSourceTask() = default;
  FileStreamSourceTask(const FileStreamSourceTask&) = delete;
  FileStreamSourceTask& operator=(const FileStreamSourceTask&) = delete;
  ~FileStreamSourceTask() override;

  void start(const kanal::Config& config) override;
  void poll(std::vector<kanal::SourceRecord>& records) override;
  void stop() override;

 private:
  // Opens the file and seeks past the stored offset; false when the file does not exist yet.
  // Throws kanal::Error on other I/O errors and on a stored offset that is not a position.
  bool open_input();
  // Reads what is available into the splitter without blocking; false when nothing was.
  bool read_available();
  // Hands over the complete lines buffered, up to batch.size records in this poll (`taken` so
  // far, updated).
  void take_lines(std::vector<kanal::SourceRecord>& records, size_t& taken);
  // Waits up to `timeout` or until stop(); false when stopping.
  bool wait(std::chrono::milliseconds timeout);

  std::string filename_;  // empty: standard input
  std::string topic_;
  size_t batch_size_ = 2000;
  int fd_ = -1;
  bool owns_fd_ = false;
  uint64_t missing_polls_ = 0;
  LineSplitter splitter_;
  kanal::Schema value_schema_;
  kanal::Value partition_;  // {"filename": <file>}, cloned into each record
  // Reading a file: lines go to the worker as one run per poll (topic, schema, partition and
  // timestamp shared; the offset is the position). Standard input keeps one SourceRecord per
  // line: its offset position is null, which a run cannot carry.
  kanal::SourceRun run_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
};

}  // namespace kanal::connectors
