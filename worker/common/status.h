// kanal::Status and kanal::Result<T>: the outcome of every fallible worker operation.
//
// A Status is OK (free to create and copy) or carries a code, a message meant for the user and a
// retriable flag. Codes are few and map onto Kafka Connect's REST statuses (see http_status()).
// Thread-compatible: distinct objects may be used from distinct threads without locking.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace kanal {

class [[nodiscard]] Status {
 public:
  enum class Code : int {
    kOk = 0,
    kInvalidArgument,  // bad user input (config, request body) -> 400
    kNotFound,         // unknown connector, task, plugin -> 404
    kConflict,         // duplicate name, rebalance in progress -> 409
    kTimeout,          // a deadline passed -> 500
    kInternal,         // a bug or an unexpected failure -> 500
    kUnavailable,      // a dependency (Kafka, a database) cannot serve now; retriable
    kKafka,            // an error reported by librdkafka; retriable when it says so
    kIo,               // file system errors
  };

  Status() = default;

  static Status OK() { return Status(); }
  static Status invalid_argument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status not_found(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status conflict(std::string msg) { return Status(Code::kConflict, std::move(msg)); }
  static Status timeout(std::string msg) { return Status(Code::kTimeout, std::move(msg), true); }
  static Status internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }
  static Status unavailable(std::string msg) {
    return Status(Code::kUnavailable, std::move(msg), true);
  }
  static Status kafka_error(std::string msg, bool retriable = false) {
    return Status(Code::kKafka, std::move(msg), retriable);
  }
  static Status io_error(std::string msg) { return Status(Code::kIo, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  bool retriable() const { return retriable_; }

  // HTTP status Kafka Connect answers for this outcome (200 for OK).
  int http_status() const;
  // "<code name>: <message>" for logs.
  std::string to_string() const;
  static const char* code_name(Code code);

  // Returns a copy whose message is "<prefix>: <message>"; OK stays OK.
  Status with_context(std::string_view prefix) const;

 private:
  Status(Code code, std::string msg, bool retriable = false)
      : code_(code), message_(std::move(msg)), retriable_(retriable) {}

  Code code_ = Code::kOk;
  std::string message_;
  bool retriable_ = false;
};

// Either a value or a non-OK Status. Accessing value() of an error is a bug (asserted).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace kanal

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define KANAL_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::kanal::Status kanal_status_ = (expr);        \
    if (!kanal_status_.ok()) return kanal_status_; \
  } while (0)
