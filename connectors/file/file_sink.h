// FileStreamSink: Kafka's org.apache.kafka.connect.file.FileStreamSinkConnector and its
// FileStreamSinkTask, appending each record value as a line to a file (or standard output).
#pragma once

#include <kanal/kanal.hpp>
#include <string>
#include <vector>

namespace kanal::connectors {

// Settings: `file` (null/empty = stdout) plus the framework's `topics` / `topics.regex`.
// Every task gets the connector's config.
class FileStreamSinkConnector : public kanal::SinkConnector {
 public:
  static kanal::ConfigDef config_def();

  void start(const kanal::Config& config) override;
  std::vector<kanal::Config> task_configs(int32_t max_tasks) override;
  void stop() override {}

 private:
  kanal::Config config_;
};

// Buffers lines in memory and writes them on flush() (each offset commit), when the buffer is
// full, and on stop(). A write holds whole lines only, so tasks appending to one file interleave
// lines, never parts of lines. Throws kanal::Error when the file cannot be opened or written.
class FileStreamSinkTask : public kanal::SinkTask {
 public:
  FileStreamSinkTask() = default;
  FileStreamSinkTask(const FileStreamSinkTask&) = delete;
  FileStreamSinkTask& operator=(const FileStreamSinkTask&) = delete;
  ~FileStreamSinkTask() override;

  void start(const kanal::Config& config) override;
  void put(const kanal::SinkRecords& records) override;
  void flush(const std::vector<kanal::TopicPartition>& offsets) override;
  void stop() override;

 private:
  // Writes the buffer out; throws kanal::Error on an I/O error.
  void write_buffer();

  std::string filename_;  // empty: standard output
  int fd_ = -1;
  bool owns_fd_ = false;
  std::string buffer_;
};

}  // namespace kanal::connectors
