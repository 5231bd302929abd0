#include "connectors/file/file_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "connectors/file/java_text.h"

namespace kanal::connectors {
namespace {

constexpr char kFileConfig[] = "file";

// Lines are written once this much is buffered, and on every flush: large enough that write(2)
// calls stay rare at millions of lines per second.
constexpr size_t kWriteThresholdBytes = size_t{1} << 20;

// Appends the text Kafka's FileStreamSinkTask prints for a value (its Java toString()). Bytes
// are written raw, where Java would print an object id ("[B@1b6d3586"); logical types print in
// their physical form.
void append_value_text(kanal::ValueView v, std::string& out) {
  switch (v.type()) {
    case kanal::Type::kNull:
      out += "null";
      return;
    case kanal::Type::kString:
    case kanal::Type::kBytes:
      out += v.as_string();
      return;
    case kanal::Type::kInt8:
    case kanal::Type::kInt16:
    case kanal::Type::kInt32:
    case kanal::Type::kInt64:
      out += std::to_string(v.as_int64());
      return;
    case kanal::Type::kFloat32:
      append_java_number(static_cast<float>(v.as_double()), out);
      return;
    case kanal::Type::kFloat64:
      append_java_number(v.as_double(), out);
      return;
    case kanal::Type::kBoolean:
      out += v.as_bool() ? "true" : "false";
      return;
    case kanal::Type::kArray: {  // java.util.List.toString()
      out += '[';
      for (size_t i = 0, n = v.size(); i < n; ++i) {
        if (i > 0) out += ", ";
        append_value_text(v.at(i), out);
      }
      out += ']';
      return;
    }
    case kanal::Type::kMap: {  // java.util.Map.toString(), in insertion order
      out += '{';
      for (size_t i = 0, n = v.size(); i < n; ++i) {
        if (i > 0) out += ", ";
        auto [key, value] = v.entry(i);
        append_value_text(key, out);
        out += '=';
        append_value_text(value, out);
      }
      out += '}';
      return;
    }
    case kanal::Type::kStruct: {  // org.apache.kafka.connect.data.Struct.toString()
      out += "Struct{";
      bool first = true;
      for (const kanal::Field& field : v.struct_schema().fields()) {
        kanal::ValueView fv = v.get(field.name);
        if (fv.is_null()) continue;
        if (!first) out += ',';
        first = false;
        out += field.name;
        out += '=';
        append_value_text(fv, out);
      }
      out += '}';
      return;
    }
  }
  out += "null";
}

}  // namespace

kanal::ConfigDef FileStreamSinkConnector::config_def() {
  return kanal::ConfigDef().define_optional(
      kFileConfig, kanal::ConfigType::kString, kanal::Importance::kHigh,
      "Destination filename. If not specified, the standard output will be used");
}

void FileStreamSinkConnector::start(const kanal::Config& config) {
  config_def().parse(config);
  config_ = config;
}

std::vector<kanal::Config> FileStreamSinkConnector::task_configs(int32_t max_tasks) {
  return std::vector<kanal::Config>(static_cast<size_t>(max_tasks < 1 ? 1 : max_tasks), config_);
}

FileStreamSinkTask::~FileStreamSinkTask() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

void FileStreamSinkTask::start(const kanal::Config& config) {
  filename_ = config.get(kFileConfig);
  buffer_.reserve(kWriteThresholdBytes + 4096);
  if (filename_.empty()) {
    fd_ = STDOUT_FILENO;
    owns_fd_ = false;
    return;
  }
  int fd = ::open(filename_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    int error = errno;
    throw kanal::Error("Couldn't find or create file '" + filename_ +
                       "' for FileStreamSinkTask: " + std::strerror(error));
  }
  fd_ = fd;
  owns_fd_ = true;
}

void FileStreamSinkTask::put(const kanal::SinkRecords& records) {
  for (kanal::SinkRecord record : records) {
    append_value_text(record.value(), buffer_);
    buffer_ += '\n';
    if (buffer_.size() >= kWriteThresholdBytes) write_buffer();
  }
}

void FileStreamSinkTask::flush(const std::vector<kanal::TopicPartition>& offsets) {
  (void)offsets;
  write_buffer();
}

void FileStreamSinkTask::stop() {
  write_buffer();
  if (owns_fd_ && fd_ >= 0) {
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) {
      int error = errno;
      throw kanal::Error("Error closing file '" + filename_ + "': " + std::strerror(error));
    }
  }
}

void FileStreamSinkTask::write_buffer() {
  if (fd_ < 0) return;
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      // Keep what was not written: a retried flush writes it, nothing is lost or doubled.
      buffer_.erase(0, done);
      throw kanal::Error("Error writing to " +
                         (filename_.empty() ? std::string("stdout") : "file '" + filename_ + "'") +
                         ": " + std::strerror(error));
    }
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
}

}  // namespace kanal::connectors
