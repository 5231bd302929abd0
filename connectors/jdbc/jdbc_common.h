// Settings and helpers the JDBC source and sink share (SDK side).
#pragma once

#include <cstdint>
#include <kanal/kanal.hpp>
#include <memory>
#include <string>

#include "connectors/jdbc/database.h"

namespace kanal::jdbc {

inline constexpr char kConnectionUrlConfig[] = "connection.url";
inline constexpr char kConnectionUserConfig[] = "connection.user";
inline constexpr char kConnectionPasswordConfig[] = "connection.password";
inline constexpr char kConnectionAttemptsConfig[] = "connection.attempts";
inline constexpr char kConnectionBackoffConfig[] = "connection.backoff.ms";

// Adds connection.url / .user / .password / .attempts / .backoff.ms to `def`.
kanal::ConfigDef& define_connection_settings(kanal::ConfigDef& def);

// The ConnectionSpec of `config`; throws kanal::ConfigError naming connection.url.
ConnectionSpec connection_spec(const kanal::Config& config);

// Connector::validate's connection check: opens the database once and, on failure, adds an
// error naming the key (connection.password for an authentication failure, else
// connection.url) with the database's own message.
void validate_connection(const kanal::Config& config, kanal::Validation& out);

// A task's connection with Connect's retry contract: a lost or unreachable database makes
// calls throw kanal::RetriableError up to `attempts` times in a row, then kanal::Error with the
// database's message, which fails the task. Any success resets the count.
class ManagedConnection {
 public:
  ManagedConnection() = default;
  void configure(const kanal::Config& config);

  // The open connection, connecting first when needed. Throws as described above.
  Database& get();
  // Reports a failed call on the connection; rethrows as RetriableError, Error or ConfigError.
  [[noreturn]] void fail(const DbError& e, const std::string& what);
  void succeeded() { failures_ = 0; }
  int64_t backoff_ms() const { return backoff_ms_; }
  // Overrides connection.attempts / connection.backoff.ms (the sink's max.retries + 1 and
  // retry.backoff.ms).
  void set_retry_policy(int32_t attempts, int64_t backoff_ms) {
    attempts_ = attempts;
    backoff_ms_ = backoff_ms;
  }
  void close() { db_.reset(); }

 private:
  ConnectionSpec spec_;
  int32_t attempts_ = 3;
  int64_t backoff_ms_ = 10000;
  int32_t failures_ = 0;
  std::unique_ptr<Database> db_;
};

}  // namespace kanal::jdbc
