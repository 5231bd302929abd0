#include "connectors/jdbc/jdbc_common.h"

#include <stdexcept>

namespace kanal::jdbc {

kanal::ConfigDef& define_connection_settings(kanal::ConfigDef& def) {
  using kanal::ConfigType;
  using kanal::Importance;
  def.define(kConnectionUrlConfig, ConfigType::kString, Importance::kHigh,
             "JDBC connection URL: jdbc:sqlite:<file> or "
             "jdbc:postgresql://<host>[:<port>]/<database>.");
  def.define_optional(kConnectionUserConfig, ConfigType::kString, Importance::kHigh,
                      "JDBC connection user.");
  def.define_optional(kConnectionPasswordConfig, ConfigType::kPassword, Importance::kHigh,
                      "JDBC connection password.");
  def.define(kConnectionAttemptsConfig, ConfigType::kInt, "3", Importance::kLow,
             "Maximum number of attempts to retrieve a valid JDBC connection; a task fails after "
             "this many failures in a row.",
             kanal::Validator::at_least(1));
  def.define(kConnectionBackoffConfig, ConfigType::kLong, "10000", Importance::kLow,
             "Backoff time in milliseconds between connection attempts.",
             kanal::Validator::at_least(0));
  return def;
}

ConnectionSpec connection_spec(const kanal::Config& config) {
  try {
    return parse_connection_url(config.get(kConnectionUrlConfig), config.get(kConnectionUserConfig),
                                config.get(kConnectionPasswordConfig));
  } catch (const std::invalid_argument& e) {
    throw kanal::ConfigError("Invalid value for configuration connection.url: " +
                             std::string(e.what()));
  }
}

void validate_connection(const kanal::Config& config, kanal::Validation& out) {
  if (!config.has(kConnectionUrlConfig)) return;  // the ConfigDef reports the missing key
  ConnectionSpec spec;
  try {
    spec = parse_connection_url(config.get(kConnectionUrlConfig), config.get(kConnectionUserConfig),
                                config.get(kConnectionPasswordConfig));
  } catch (const std::invalid_argument& e) {
    out.add_error(kConnectionUrlConfig, std::string(kConnectionUrlConfig) + ": " + e.what());
    return;
  }
  try {
    open_database(spec);
  } catch (const DbError& e) {
    std::string message = e.what();
    bool auth = message.find("password") != std::string::npos ||
                message.find("authentication") != std::string::npos;
    const char* key = auth ? kConnectionPasswordConfig : kConnectionUrlConfig;
    out.add_error(key, std::string(key) + ": could not connect to the database: " + message);
  }
}

void ManagedConnection::configure(const kanal::Config& config) {
  spec_ = connection_spec(config);
  attempts_ = config.get_int(kConnectionAttemptsConfig, 3);
  backoff_ms_ = config.get_long(kConnectionBackoffConfig, 10000);
}

Database& ManagedConnection::get() {
  if (!db_) {
    try {
      db_ = open_database(spec_);
    } catch (const DbError& e) {
      fail(e, "connect");
    }
  }
  return *db_;
}

void ManagedConnection::fail(const DbError& e, const std::string& what) {
  if (!e.connection_lost()) throw kanal::Error(what + " failed: " + e.what());
  db_.reset();
  if (++failures_ >= attempts_) {
    throw kanal::Error(what + " failed " + std::to_string(failures_) +
                       " times in a row, giving up: " + e.what());
  }
  throw kanal::RetriableError(what + " failed (attempt " + std::to_string(failures_) + " of " +
                              std::to_string(attempts_) + "): " + e.what());
}

}  // namespace kanal::jdbc
