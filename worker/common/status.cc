#include "common/status.h"

namespace kanal {

int Status::http_status() const {
  switch (code_) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kNotFound:
      return 404;
    case Code::kConflict:
      return 409;
    case Code::kTimeout:
    case Code::kInternal:
    case Code::kUnavailable:
    case Code::kKafka:
    case Code::kIo:
      return 500;
  }
  return 500;
}

const char* Status::code_name(Code code) {
  switch (code) {
    case Code::kOk:
      return "OK";
    case Code::kInvalidArgument:
      return "InvalidArgument";
    case Code::kNotFound:
      return "NotFound";
    case Code::kConflict:
      return "Conflict";
    case Code::kTimeout:
      return "Timeout";
    case Code::kInternal:
      return "Internal";
    case Code::kUnavailable:
      return "Unavailable";
    case Code::kKafka:
      return "Kafka";
    case Code::kIo:
      return "IO";
  }
  return "Unknown";
}

std::string Status::to_string() const {
  if (ok()) return "OK";
  return std::string(code_name(code_)) + ": " + message_;
}

Status Status::with_context(std::string_view prefix) const {
  if (ok()) return *this;
  Status s = *this;
  s.message_ = std::string(prefix) + ": " + message_;
  return s;
}

}  // namespace kanal
