// JdbcSinkConnector: writes records with STRUCT values into SQLite or PostgreSQL tables, in
// Confluent's insert modes and primary-key modes, creating and evolving tables on demand.
#pragma once

#include <chrono>
#include <cstdint>
#include <kanal/kanal.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "connectors/jdbc/database.h"
#include "connectors/jdbc/jdbc_common.h"
#include "connectors/jdbc/sql_builder.h"

namespace kanal::jdbc {

class JdbcSinkConnector : public kanal::SinkConnector {
 public:
  static kanal::ConfigDef config_def();

  void start(const kanal::Config& config) override;
  std::vector<kanal::Config> task_configs(int32_t max_tasks) override;
  void stop() override {}
  void validate(const kanal::Config& config, kanal::Validation& out) override;

 private:
  kanal::Config config_;
};

enum class InsertMode { kInsert, kUpsert, kUpdate };
enum class PkMode { kNone, kKafka, kRecordKey, kRecordValue };

// Each put() runs in one transaction: every record of the batch is written, or none is.
class JdbcSinkTask : public kanal::SinkTask {
 public:
  void start(const kanal::Config& config) override;
  void put(const kanal::SinkRecords& records) override;
  void stop() override { conn_.close(); }

 private:
  // A record's columns and values, keys first.
  struct Row {
    std::vector<SinkColumn> keys;
    std::vector<Cell> key_values;
    std::vector<SinkColumn> values;
    std::vector<Cell> value_values;
  };
  Row row_of(DbKind db, const kanal::SinkRecord& record, bool tombstone) const;
  // Creates or evolves `table` so that it has every column of `row` (auto.create/auto.evolve).
  void ensure_table(Database& db, const std::string& table, const Row& row);
  void write(Database& db, const kanal::SinkRecord& record);

  ManagedConnection conn_;
  InsertMode insert_mode_ = InsertMode::kInsert;
  PkMode pk_mode_ = PkMode::kNone;
  std::vector<std::string> pk_fields_;
  std::set<std::string> fields_whitelist_;
  std::string table_format_ = "${topic}";
  bool auto_create_ = false;
  bool auto_evolve_ = false;
  bool delete_enabled_ = false;
  int64_t batch_size_ = 3000;
  int32_t max_retries_ = 10;
  int64_t retry_backoff_ms_ = 3000;
  int32_t failures_ = 0;
  // The columns each table is known to have; refreshed when a record brings a new field.
  std::map<std::string, std::set<std::string>> table_columns_;
};

}  // namespace kanal::jdbc
