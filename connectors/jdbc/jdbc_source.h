// JdbcSourceConnector: copies tables (or a query) of SQLite or PostgreSQL into Kafka topics,
// in Confluent's modes bulk, incrementing, timestamp and timestamp+incrementing.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <kanal/kanal.hpp>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "connectors/jdbc/database.h"
#include "connectors/jdbc/jdbc_common.h"
#include "connectors/jdbc/sql_builder.h"

namespace kanal::jdbc {

// Settings: see docs/connectors/jdbc.md. Tables are split over `tasks.max` tasks in contiguous
// groups; a background thread re-lists the tables every `table.poll.interval.ms` and asks for
// new task configs when the set changed.
class JdbcSourceConnector : public kanal::SourceConnector {
 public:
  static kanal::ConfigDef config_def();

  ~JdbcSourceConnector() override { stop(); }
  void start(const kanal::Config& config) override;
  std::vector<kanal::Config> task_configs(int32_t max_tasks) override;
  void stop() override;
  void validate(const kanal::Config& config, kanal::Validation& out) override;

 private:
  // The tables to copy now (include/exclude lists applied). Throws DbError.
  std::vector<std::string> list_tables(Database& db) const;
  void monitor_tables(std::chrono::milliseconds interval);

  kanal::Config config_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;            // guarded by mu_
  std::vector<std::string> tables_;  // guarded by mu_
  std::thread monitor_;
};

// One table (or the query) a task copies, with its offset.
struct TableState {
  std::string table;  // empty for a query
  std::string topic;
  kanal::Value partition;
  std::optional<int64_t> last_incrementing;
  std::optional<int64_t> last_timestamp_nanos;
  std::chrono::steady_clock::time_point next_run{};
  std::vector<ColumnMeta> table_columns;  // for nullability; empty for a query
  // Rows read and not yet handed over, with the schema built for them.
  ResultSet pending;
  size_t pending_next = 0;
  bool pending_full = false;  // the query returned `batch.max.rows` rows: run again at once
  kanal::Schema schema;
  std::vector<ConnectType> types;
};

class JdbcSourceTask : public kanal::SourceTask {
 public:
  void start(const kanal::Config& config) override;
  void poll(std::vector<kanal::SourceRecord>& records) override;
  void stop() override;

 private:
  bool wait(std::chrono::steady_clock::duration timeout);
  void run_query(TableState& t, Database& db);
  void emit(TableState& t, std::vector<kanal::SourceRecord>& records);
  kanal::Value offset_of(const TableState& t) const;

  ManagedConnection conn_;
  SourceMode mode_ = SourceMode::kBulk;
  std::string query_;
  std::string incrementing_column_;
  std::vector<std::string> timestamp_columns_;
  std::chrono::milliseconds poll_interval_{5000};
  std::chrono::milliseconds timestamp_delay_{0};
  int64_t batch_max_rows_ = 100;
  bool validate_non_null_ = true;
  std::chrono::steady_clock::time_point retry_at_{};
  std::vector<TableState> tables_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
};

}  // namespace kanal::jdbc
