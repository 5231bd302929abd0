#include "connectors/jdbc/jdbc_sink.h"

#include <algorithm>
#include <utility>

#include "connectors/jdbc/jdbc_data.h"

namespace kanal::jdbc {
namespace {

constexpr char kInsertModeConfig[] = "insert.mode";
constexpr char kPkModeConfig[] = "pk.mode";
constexpr char kPkFieldsConfig[] = "pk.fields";
constexpr char kAutoCreateConfig[] = "auto.create";
constexpr char kAutoEvolveConfig[] = "auto.evolve";
constexpr char kTableNameFormatConfig[] = "table.name.format";
constexpr char kDeleteEnabledConfig[] = "delete.enabled";
constexpr char kBatchSizeConfig[] = "batch.size";
constexpr char kFieldsWhitelistConfig[] = "fields.whitelist";
constexpr char kMaxRetriesConfig[] = "max.retries";
constexpr char kRetryBackoffConfig[] = "retry.backoff.ms";

constexpr char kKafkaTopicColumn[] = "__connect_topic";
constexpr char kKafkaPartitionColumn[] = "__connect_partition";
constexpr char kKafkaOffsetColumn[] = "__connect_offset";
constexpr char kDefaultKeyColumn[] = "__connect_key";

InsertMode parse_insert_mode(const std::string& m) {
  if (m == "upsert") return InsertMode::kUpsert;
  if (m == "update") return InsertMode::kUpdate;
  return InsertMode::kInsert;
}

PkMode parse_pk_mode(const std::string& m) {
  if (m == "kafka") return PkMode::kKafka;
  if (m == "record_key") return PkMode::kRecordKey;
  if (m == "record_value") return PkMode::kRecordValue;
  return PkMode::kNone;
}

// The key and message of an impossible combination; empty when fine.
std::pair<std::string, std::string> check_settings(const kanal::Config& c) {
  std::string insert = c.get(kInsertModeConfig, "insert");
  std::string pk = c.get(kPkModeConfig, "none");
  if ((insert == "upsert" || insert == "update") && pk == "none") {
    return {kPkModeConfig, "insert.mode=" + insert + " requires pk.mode other than none"};
  }
  if (c.get(kDeleteEnabledConfig) == "true" && pk != "record_key") {
    return {kDeleteEnabledConfig, "delete.enabled=true requires pk.mode=record_key"};
  }
  if (pk == "kafka") {
    size_t n = c.get_list(kPkFieldsConfig).size();
    if (n != 0 && n != 3) {
      return {kPkFieldsConfig,
              "pk.mode=kafka takes no pk.fields or exactly three (topic, partition, offset)"};
    }
  }
  return {};
}

bool has_column(const std::vector<SinkColumn>& cols, const std::string& name) {
  return std::any_of(cols.begin(), cols.end(), [&](const SinkColumn& c) { return c.name == name; });
}

}  // namespace

kanal::ConfigDef JdbcSinkConnector::config_def() {
  using kanal::ConfigType;
  using kanal::Importance;
  using kanal::Validator;
  kanal::ConfigDef def;
  define_connection_settings(def);
  def.define(kInsertModeConfig, ConfigType::kString, "insert", Importance::kHigh,
             "The insertion mode: insert, upsert or update.",
             Validator::one_of({"insert", "upsert", "update"}, true));
  def.define(kPkModeConfig, ConfigType::kString, "none", Importance::kHigh,
             "The primary key mode: none, kafka, record_key or record_value.",
             Validator::one_of({"none", "kafka", "record_key", "record_value"}, true));
  def.define(kPkFieldsConfig, ConfigType::kList, "", Importance::kMedium,
             "Primary key field names; their meaning depends on pk.mode.");
  def.define(kAutoCreateConfig, ConfigType::kBoolean, "false", Importance::kMedium,
             "Create a missing destination table (CREATE TABLE) from the record schema.");
  def.define(kAutoEvolveConfig, ConfigType::kBoolean, "false", Importance::kMedium,
             "Add missing columns (ALTER TABLE ... ADD COLUMN) for new optional fields.");
  def.define(kTableNameFormatConfig, ConfigType::kString, "${topic}", Importance::kMedium,
             "Destination table name; ${topic} is replaced by the record's topic.");
  def.define(kDeleteEnabledConfig, ConfigType::kBoolean, "false", Importance::kMedium,
             "Treat null record values (tombstones) as deletes; requires pk.mode=record_key.");
  def.define(kBatchSizeConfig, ConfigType::kInt, "3000", Importance::kMedium,
             "Records written together where possible.", Validator::at_least(0));
  def.define(kFieldsWhitelistConfig, ConfigType::kList, "", Importance::kMedium,
             "Record value fields to write; empty means all.");
  def.define(kMaxRetriesConfig, ConfigType::kInt, "10", Importance::kMedium,
             "Times to retry after a lost connection before the task fails.",
             Validator::at_least(0));
  def.define(kRetryBackoffConfig, ConfigType::kInt, "3000", Importance::kMedium,
             "Time in ms to wait after a failed write before retrying.", Validator::at_least(0));
  return def;
}

void JdbcSinkConnector::validate(const kanal::Config& config, kanal::Validation& out) {
  auto [key, message] = check_settings(config);
  if (!key.empty()) out.add_error(key, message);
  validate_connection(config, out);
}

void JdbcSinkConnector::start(const kanal::Config& config) {
  config_ = config_def().parse(config);
  auto [key, message] = check_settings(config_);
  if (!key.empty()) throw kanal::ConfigError(message);
}

std::vector<kanal::Config> JdbcSinkConnector::task_configs(int32_t max_tasks) {
  return std::vector<kanal::Config>(static_cast<size_t>(std::max(max_tasks, 1)), config_);
}

// --- task ------------------------------------------------------------------------------------

void JdbcSinkTask::start(const kanal::Config& config) {
  kanal::Config c = JdbcSinkConnector::config_def().parse(config);
  auto [key, message] = check_settings(c);
  if (!key.empty()) throw kanal::ConfigError(message);
  conn_.configure(c);
  max_retries_ = c.get_int(kMaxRetriesConfig);
  retry_backoff_ms_ = c.get_long(kRetryBackoffConfig);
  conn_.set_retry_policy(max_retries_ + 1, retry_backoff_ms_);
  insert_mode_ = parse_insert_mode(c.get(kInsertModeConfig));
  pk_mode_ = parse_pk_mode(c.get(kPkModeConfig));
  pk_fields_ = c.get_list(kPkFieldsConfig);
  for (std::string& f : c.get_list(kFieldsWhitelistConfig)) fields_whitelist_.insert(f);
  table_format_ = c.get(kTableNameFormatConfig);
  auto_create_ = c.get_bool(kAutoCreateConfig);
  auto_evolve_ = c.get_bool(kAutoEvolveConfig);
  delete_enabled_ = c.get_bool(kDeleteEnabledConfig);
  batch_size_ = c.get_long(kBatchSizeConfig);
}

JdbcSinkTask::Row JdbcSinkTask::row_of(DbKind db, const kanal::SinkRecord& record,
                                       bool tombstone) const {
  Row row;
  auto add = [&](std::vector<SinkColumn>& cols, std::vector<Cell>& cells, std::string name,
                 const kanal::Schema& schema, kanal::ValueView value, bool key) {
    std::optional<ConnectType> type = connect_type_of(schema);
    if (!type) {
      throw kanal::Error("JdbcSinkTask: field '" + name + "' of topic " +
                         std::string(record.topic()) +
                         " has a type a column cannot hold (struct, array or map)");
    }
    bool optional = !key && (schema.is_optional() || !schema.default_value().is_null());
    cells.push_back(cell_for(db, *type, value));
    cols.push_back(SinkColumn{std::move(name), *type, optional});
  };

  kanal::Schema value_schema = record.value_schema();
  kanal::ValueView value = record.value();
  if (!tombstone && (!value_schema || value_schema.type() != kanal::Type::kStruct)) {
    throw kanal::Error("JdbcSinkTask needs record values with a STRUCT schema (topic " +
                       std::string(record.topic()) + ", offset " + std::to_string(record.offset()) +
                       "); use a converter with schemas, e.g. JsonConverter with "
                       "schemas.enable=true");
  }

  switch (pk_mode_) {
    case PkMode::kNone:
      break;
    case PkMode::kKafka: {
      std::string t = pk_fields_.size() == 3 ? pk_fields_[0] : kKafkaTopicColumn;
      std::string p = pk_fields_.size() == 3 ? pk_fields_[1] : kKafkaPartitionColumn;
      std::string o = pk_fields_.size() == 3 ? pk_fields_[2] : kKafkaOffsetColumn;
      row.keys.push_back(SinkColumn{t, {SqlKind::kString}, false});
      row.key_values.push_back(Cell::text(std::string(record.topic())));
      row.keys.push_back(SinkColumn{p, {SqlKind::kInt32}, false});
      row.key_values.push_back(Cell::integer(record.partition()));
      row.keys.push_back(SinkColumn{o, {SqlKind::kInt64}, false});
      row.key_values.push_back(Cell::integer(record.offset()));
      break;
    }
    case PkMode::kRecordKey: {
      kanal::Schema ks = record.key_schema();
      kanal::ValueView key = record.key();
      if (!ks || key.is_null()) {
        throw kanal::Error(
            "JdbcSinkTask: pk.mode=record_key needs records with a key and a "
            "key schema (topic " +
            std::string(record.topic()) + ", offset " + std::to_string(record.offset()) + ")");
      }
      if (ks.type() == kanal::Type::kStruct) {
        for (const kanal::Field& f : ks.fields()) {
          std::string name(f.name);
          if (!pk_fields_.empty() &&
              std::find(pk_fields_.begin(), pk_fields_.end(), name) == pk_fields_.end()) {
            continue;
          }
          add(row.keys, row.key_values, name, f.schema, key.get(f.name), true);
        }
      } else {
        add(row.keys, row.key_values, pk_fields_.empty() ? kDefaultKeyColumn : pk_fields_[0], ks,
            key, true);
      }
      break;
    }
    case PkMode::kRecordValue:
      if (tombstone) break;
      for (const kanal::Field& f : value_schema.fields()) {
        std::string name(f.name);
        if (!pk_fields_.empty() &&
            std::find(pk_fields_.begin(), pk_fields_.end(), name) == pk_fields_.end()) {
          continue;
        }
        add(row.keys, row.key_values, name, f.schema, value.get(f.name), true);
      }
      break;
  }
  if (tombstone) return row;
  for (const kanal::Field& f : value_schema.fields()) {
    std::string name(f.name);
    if (has_column(row.keys, name)) continue;
    if (!fields_whitelist_.empty() && !fields_whitelist_.count(name)) continue;
    add(row.values, row.value_values, name, f.schema, value.get(f.name), false);
  }
  return row;
}

void JdbcSinkTask::ensure_table(Database& db, const std::string& table, const Row& row) {
  auto known = table_columns_.find(table);
  auto load = [&] {
    std::set<std::string> names;
    for (const ColumnMeta& c : db.table_columns(table)) names.insert(c.name);
    return names;
  };
  if (known == table_columns_.end()) {
    std::set<std::string> names = load();
    if (names.empty()) {
      if (!auto_create_) {
        throw kanal::Error("Table \"" + table + "\" is missing and auto-creation is disabled");
      }
      std::vector<SinkColumn> cols = row.keys;
      cols.insert(cols.end(), row.values.begin(), row.values.end());
      std::vector<std::string> keys;
      for (const SinkColumn& k : row.keys) keys.push_back(k.name);
      db.execute(build_create_table(db.kind(), table, cols, keys));
      logger().info("JdbcSinkTask created table \"" + table + "\"");
      for (const SinkColumn& c : cols) names.insert(c.name);
    }
    known = table_columns_.emplace(table, std::move(names)).first;
  }
  auto missing = [&](const std::set<std::string>& names) {
    std::vector<const SinkColumn*> out;
    for (const auto* cols : {&row.keys, &row.values}) {
      for (const SinkColumn& c : *cols) {
        if (!names.count(c.name)) out.push_back(&c);
      }
    }
    return out;
  };
  if (missing(known->second).empty()) return;
  known->second = load();  // another task may have evolved it already
  std::vector<const SinkColumn*> absent = missing(known->second);
  if (absent.empty()) return;
  if (!auto_evolve_) {
    throw kanal::Error("Table \"" + table + "\" is missing field '" + absent[0]->name +
                       "' and auto-evolution is disabled");
  }
  for (const SinkColumn* c : absent) {
    if (!c->optional) {
      throw kanal::Error("Cannot ALTER TABLE \"" + table + "\" to add missing field '" + c->name +
                         "', as the field is not optional and does not have a "
                         "default value");
    }
    db.execute(build_add_column(db.kind(), table, *c));
    known->second.insert(c->name);
    logger().info("JdbcSinkTask added column '" + c->name + "' to table \"" + table + "\"");
  }
}

void JdbcSinkTask::write(Database& db, const kanal::SinkRecord& record) {
  std::string table = table_format_;
  for (size_t at = table.find("${topic}"); at != std::string::npos;
       at = table.find("${topic}", at)) {
    table.replace(at, 8, record.topic());
    at += record.topic().size();
  }
  bool tombstone = record.value().is_null();
  if (tombstone && !delete_enabled_) return;  // nothing to write
  Row row = row_of(db.kind(), record, tombstone);
  std::vector<std::string> keys;
  for (const SinkColumn& k : row.keys) keys.push_back(k.name);
  std::vector<std::string> others;
  for (const SinkColumn& c : row.values) others.push_back(c.name);
  if (tombstone) {
    if (table_columns_.find(table) == table_columns_.end() && db.table_columns(table).empty()) {
      return;  // nothing to delete from
    }
    db.execute(build_delete(db.kind(), table, keys), row.key_values);
    return;
  }
  ensure_table(db, table, row);
  std::vector<Cell> params;
  switch (insert_mode_) {
    case InsertMode::kInsert: {
      std::vector<std::string> cols = keys;
      cols.insert(cols.end(), others.begin(), others.end());
      params = std::move(row.key_values);
      for (Cell& c : row.value_values) params.push_back(std::move(c));
      db.execute(build_insert(db.kind(), table, cols), params);
      break;
    }
    case InsertMode::kUpsert:
      params = std::move(row.key_values);
      for (Cell& c : row.value_values) params.push_back(std::move(c));
      db.execute(build_upsert(db.kind(), table, keys, others), params);
      break;
    case InsertMode::kUpdate:
      if (others.empty()) return;
      params = std::move(row.value_values);
      for (Cell& c : row.key_values) params.push_back(std::move(c));
      db.execute(build_update(db.kind(), table, keys, others), params);
      break;
  }
}

void JdbcSinkTask::put(const kanal::SinkRecords& records) {
  if (records.empty()) return;
  Database* db = nullptr;
  try {
    db = &conn_.get();
  } catch (const kanal::RetriableError&) {
    context().timeout(std::chrono::milliseconds(retry_backoff_ms_));
    throw;
  }
  try {
    db->execute("BEGIN");
    for (kanal::SinkRecord record : records) write(*db, record);
    db->execute("COMMIT");
    conn_.succeeded();
  } catch (const DbError& e) {
    try {
      db->execute("ROLLBACK");
    } catch (const DbError&) {
    }
    table_columns_.clear();  // DDL of the batch was rolled back with it
    if (e.connection_lost()) context().timeout(std::chrono::milliseconds(retry_backoff_ms_));
    conn_.fail(e, "JdbcSinkTask write of " + std::to_string(records.size()) + " record(s)");
  } catch (...) {
    try {
      db->execute("ROLLBACK");
    } catch (const DbError&) {
    }
    table_columns_.clear();
    throw;
  }
}

}  // namespace kanal::jdbc
