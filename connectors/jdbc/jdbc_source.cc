#include "connectors/jdbc/jdbc_source.h"

#include <algorithm>
#include <set>
#include <utility>

#include "connectors/jdbc/jdbc_data.h"
#include "connectors/jdbc/value_codec.h"

namespace kanal::jdbc {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kModeConfig[] = "mode";
constexpr char kIncrementingColumnConfig[] = "incrementing.column.name";
constexpr char kTimestampColumnConfig[] = "timestamp.column.name";
constexpr char kWhitelistConfig[] = "table.whitelist";
constexpr char kBlacklistConfig[] = "table.blacklist";
constexpr char kIncludeListConfig[] = "table.include.list";
constexpr char kExcludeListConfig[] = "table.exclude.list";
constexpr char kQueryConfig[] = "query";
constexpr char kTopicPrefixConfig[] = "topic.prefix";
constexpr char kPollIntervalConfig[] = "poll.interval.ms";
constexpr char kBatchMaxRowsConfig[] = "batch.max.rows";
constexpr char kTablePollIntervalConfig[] = "table.poll.interval.ms";
constexpr char kTimestampDelayConfig[] = "timestamp.delay.interval.ms";
constexpr char kValidateNonNullConfig[] = "validate.non.null";
constexpr char kTableTypesConfig[] = "table.types";
constexpr char kTablesConfig[] = "tables";  // task config: this task's tables

constexpr char kIncrementingField[] = "incrementing";
constexpr char kTimestampField[] = "timestamp";
constexpr char kTimestampNanosField[] = "timestamp_nanos";

constexpr auto kMaxWait = std::chrono::seconds(1);

SourceMode parse_mode(const std::string& mode) {
  if (mode == "incrementing") return SourceMode::kIncrementing;
  if (mode == "timestamp") return SourceMode::kTimestamp;
  if (mode == "timestamp+incrementing") return SourceMode::kTimestampIncrementing;
  if (mode == "bulk") return SourceMode::kBulk;
  throw kanal::ConfigError("Invalid value " + mode +
                           " for configuration mode: String must be one of: bulk, timestamp, "
                           "incrementing, timestamp+incrementing");
}

bool uses_incrementing(SourceMode m) {
  return m == SourceMode::kIncrementing || m == SourceMode::kTimestampIncrementing;
}
bool uses_timestamp(SourceMode m) {
  return m == SourceMode::kTimestamp || m == SourceMode::kTimestampIncrementing;
}

std::vector<std::string> merged_list(const kanal::Config& c, const char* a, const char* b) {
  std::vector<std::string> out = c.get_list(a);
  for (std::string& s : c.get_list(b)) out.push_back(std::move(s));
  return out;
}

// Mode/column/list combinations that cannot work; "" when fine.
std::pair<std::string, std::string> check_settings(const kanal::Config& c) {
  std::string mode = c.get(kModeConfig);
  if (mode.empty()) return {};  // the ConfigDef reports the missing key
  SourceMode m;
  try {
    m = parse_mode(mode);
  } catch (const kanal::ConfigError& e) {
    return {kModeConfig, e.what()};
  }
  if (uses_incrementing(m) && c.get(kIncrementingColumnConfig).empty()) {
    return {kIncrementingColumnConfig,
            "Mode " + mode + " requires incrementing.column.name to be set"};
  }
  if (uses_timestamp(m) && c.get_list(kTimestampColumnConfig).empty()) {
    return {kTimestampColumnConfig, "Mode " + mode + " requires timestamp.column.name to be set"};
  }
  bool include = !merged_list(c, kWhitelistConfig, kIncludeListConfig).empty();
  bool exclude = !merged_list(c, kBlacklistConfig, kExcludeListConfig).empty();
  if (include && exclude) {
    return {kWhitelistConfig,
            "table.whitelist/table.include.list and table.blacklist/table.exclude.list cannot "
            "both be set"};
  }
  if (!c.get(kQueryConfig).empty() && (include || exclude)) {
    return {kQueryConfig, "query cannot be combined with table include or exclude lists"};
  }
  return {};
}

}  // namespace

kanal::ConfigDef JdbcSourceConnector::config_def() {
  using kanal::ConfigType;
  using kanal::Importance;
  kanal::ConfigDef def;
  define_connection_settings(def);
  def.define(kModeConfig, ConfigType::kString, Importance::kHigh,
             "The mode for updating a table each time it is polled: bulk, incrementing, "
             "timestamp or timestamp+incrementing.");
  def.define(kIncrementingColumnConfig, ConfigType::kString, "", Importance::kMedium,
             "The name of the strictly incrementing column used to detect new rows.");
  def.define(kTimestampColumnConfig, ConfigType::kList, "", Importance::kMedium,
             "Timestamp columns used to detect new or modified rows; with several, the first "
             "non-null one (COALESCE) is used.");
  def.define(kWhitelistConfig, ConfigType::kList, "", Importance::kMedium,
             "Tables to include in copying; others are ignored.");
  def.define(kBlacklistConfig, ConfigType::kList, "", Importance::kMedium,
             "Tables to exclude from copying.");
  def.define(kIncludeListConfig, ConfigType::kList, "", Importance::kMedium,
             "Same as table.whitelist.");
  def.define(kExcludeListConfig, ConfigType::kList, "", Importance::kMedium,
             "Same as table.blacklist.");
  def.define(kQueryConfig, ConfigType::kString, "", Importance::kMedium,
             "If set, copy the result of this query instead of whole tables.");
  def.define(kTopicPrefixConfig, ConfigType::kString, Importance::kHigh,
             "Prefix prepended to table names to get the topic name; the topic itself when "
             "'query' is used.");
  def.define(kPollIntervalConfig, ConfigType::kInt, "5000", Importance::kHigh,
             "Frequency in ms to poll for new data in each table.", kanal::Validator::at_least(1));
  def.define(kBatchMaxRowsConfig, ConfigType::kInt, "100", Importance::kLow,
             "Maximum number of rows to include in a single batch.", kanal::Validator::at_least(1));
  def.define(kTablePollIntervalConfig, ConfigType::kLong, "60000", Importance::kLow,
             "Frequency in ms to poll for new or removed tables.", kanal::Validator::at_least(1));
  def.define(kTimestampDelayConfig, ConfigType::kLong, "0", Importance::kHigh,
             "How long after a row with a certain timestamp appears before it is included.",
             kanal::Validator::at_least(0));
  def.define(kValidateNonNullConfig, ConfigType::kBoolean, "true", Importance::kLow,
             "Check that the incrementing and timestamp columns are NOT NULL.");
  def.define(kTableTypesConfig, ConfigType::kList, "TABLE", Importance::kLow,
             "Table types to copy: TABLE, VIEW.");
  return def;
}

void JdbcSourceConnector::validate(const kanal::Config& config, kanal::Validation& out) {
  auto [key, message] = check_settings(config);
  if (!key.empty()) out.add_error(key, message);
  validate_connection(config, out);
}

std::vector<std::string> JdbcSourceConnector::list_tables(Database& db) const {
  bool views = false;
  for (const std::string& t : config_.get_list(kTableTypesConfig)) {
    if (t == "VIEW" || t == "view") views = true;
  }
  std::vector<std::string> include = merged_list(config_, kWhitelistConfig, kIncludeListConfig);
  std::vector<std::string> exclude = merged_list(config_, kBlacklistConfig, kExcludeListConfig);
  std::vector<std::string> out;
  for (std::string& t : db.list_tables(views)) {
    auto in = [&](const std::vector<std::string>& list) {
      return std::find(list.begin(), list.end(), t) != list.end();
    };
    if (!include.empty() && !in(include)) continue;
    if (in(exclude)) continue;
    out.push_back(std::move(t));
  }
  return out;
}

void JdbcSourceConnector::start(const kanal::Config& config) {
  config_ = config_def().parse(config);
  auto [key, message] = check_settings(config_);
  if (!key.empty()) throw kanal::ConfigError(message);
  parse_mode(config_.get(kModeConfig));  // throws for an empty mode
  stopping_ = false;
  if (!config_.get(kQueryConfig).empty()) return;
  ConnectionSpec spec = connection_spec(config_);
  try {
    auto db = open_database(spec);
    tables_ = list_tables(*db);
  } catch (const DbError& e) {
    throw kanal::Error(std::string("JdbcSourceConnector could not list tables: ") + e.what());
  }
  logger().info("JdbcSourceConnector found " + std::to_string(tables_.size()) + " table(s)");
  auto interval = std::chrono::milliseconds(config_.get_long(kTablePollIntervalConfig));
  monitor_ = std::thread([this, interval] { monitor_tables(interval); });
}

void JdbcSourceConnector::monitor_tables(std::chrono::milliseconds interval) {
  ConnectionSpec spec = connection_spec(config_);
  std::unique_ptr<Database> db;
  std::unique_lock<std::mutex> lock(mu_);
  while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
    lock.unlock();
    std::vector<std::string> now;
    bool ok = true;
    try {
      if (!db) db = open_database(spec);
      now = list_tables(*db);
    } catch (const DbError& e) {
      db.reset();
      ok = false;
      logger().warn(std::string("JdbcSourceConnector could not list tables: ") + e.what());
    }
    lock.lock();
    if (ok && now != tables_ && !stopping_) {
      tables_ = std::move(now);
      logger().info("JdbcSourceConnector: the set of tables changed, reconfiguring tasks");
      context().request_task_reconfiguration();
    }
  }
}

std::vector<kanal::Config> JdbcSourceConnector::task_configs(int32_t max_tasks) {
  std::vector<kanal::Config> out;
  if (!config_.get(kQueryConfig).empty()) {
    out.push_back(config_);
    return out;
  }
  std::vector<std::string> tables;
  {
    std::lock_guard<std::mutex> lock(mu_);
    tables = tables_;
  }
  if (tables.empty()) return out;
  size_t groups = std::min<size_t>(static_cast<size_t>(std::max(max_tasks, 1)), tables.size());
  // Contiguous groups, the larger ones first (Connect's ConnectorUtils.groupPartitions).
  size_t per = tables.size() / groups;
  size_t extra = tables.size() % groups;
  size_t next = 0;
  for (size_t g = 0; g < groups; ++g) {
    size_t n = per + (g < extra ? 1 : 0);
    std::string list;
    for (size_t i = 0; i < n; ++i) {
      if (i) list += ',';
      list += tables[next++];
    }
    kanal::Config c = config_;
    c[kTablesConfig] = list;
    out.push_back(std::move(c));
  }
  return out;
}

void JdbcSourceConnector::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (monitor_.joinable()) monitor_.join();
}

// --- task ------------------------------------------------------------------------------------

void JdbcSourceTask::start(const kanal::Config& config) {
  kanal::Config c = JdbcSourceConnector::config_def().parse(config);
  conn_.configure(c);
  mode_ = parse_mode(c.get(kModeConfig));
  query_ = c.get(kQueryConfig);
  incrementing_column_ = c.get(kIncrementingColumnConfig);
  timestamp_columns_ = c.get_list(kTimestampColumnConfig);
  poll_interval_ = std::chrono::milliseconds(c.get_long(kPollIntervalConfig));
  timestamp_delay_ = std::chrono::milliseconds(c.get_long(kTimestampDelayConfig));
  batch_max_rows_ = c.get_long(kBatchMaxRowsConfig);
  validate_non_null_ = c.get_bool(kValidateNonNullConfig, true);
  const std::string prefix = c.get(kTopicPrefixConfig);

  std::vector<std::string> names;
  if (query_.empty()) {
    names = c.get_list(kTablesConfig);
  } else {
    names.push_back("");
  }
  tables_.clear();
  for (const std::string& name : names) {
    TableState& t = tables_.emplace_back();
    t.table = name;
    t.topic = prefix + name;
    t.partition = name.empty() ? kanal::Value::map().put("query", "query")
                               : kanal::Value::map().put("table", name);
    kanal::Value offset = context().offset(t.partition);
    if (offset.is_null()) continue;
    kanal::ValueView inc = offset.get(kIncrementingField);
    if (!inc.is_null()) t.last_incrementing = inc.as_int64();
    kanal::ValueView ts = offset.get(kTimestampField);
    if (!ts.is_null()) {
      kanal::ValueView nanos = offset.get(kTimestampNanosField);
      t.last_timestamp_nanos = timestamp_from_offset(
          ts.as_int64(), nanos.is_null() ? (ts.as_int64() % 1000) * 1000000 : nanos.as_int64());
    }
  }
  logger().info("JdbcSourceTask copies " + std::to_string(tables_.size()) + " table(s)" +
                (query_.empty() ? std::string() : std::string(" (query)")));
}

void JdbcSourceTask::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
}

bool JdbcSourceTask::wait(Clock::duration timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  wake_.wait_for(lock, timeout, [this] { return stopping_; });
  return !stopping_;
}

kanal::Value JdbcSourceTask::offset_of(const TableState& t) const {
  if (mode_ == SourceMode::kBulk) return kanal::Value::null();
  kanal::Value offset = kanal::Value::map();
  if (uses_timestamp(mode_) && t.last_timestamp_nanos) {
    offset.put(kTimestampField, timestamp_millis(*t.last_timestamp_nanos));
    offset.put(kTimestampNanosField, timestamp_nanos_of_second(*t.last_timestamp_nanos));
  }
  if (uses_incrementing(mode_) && t.last_incrementing) {
    offset.put(kIncrementingField, *t.last_incrementing);
  }
  return offset;
}

void JdbcSourceTask::run_query(TableState& t, Database& db) {
  if (!t.table.empty() && t.table_columns.empty()) {
    t.table_columns = db.table_columns(t.table);
    if (t.table_columns.empty()) {
      throw kanal::Error("JdbcSourceTask: table '" + t.table + "' does not exist");
    }
    if (validate_non_null_) {
      std::vector<std::string> checked;
      if (uses_timestamp(mode_)) checked = timestamp_columns_;
      if (uses_incrementing(mode_)) checked.push_back(incrementing_column_);
      for (const std::string& col : checked) {
        for (const ColumnMeta& m : t.table_columns) {
          if (m.name == col && m.nullable) {
            throw kanal::ConfigError("Cannot make incremental queries using column " + col +
                                     " on " + t.table +
                                     " because this column is nullable (set "
                                     "validate.non.null=false to allow it).");
          }
        }
      }
    }
  }
  SourceQuerySpec spec;
  spec.db = db.kind();
  spec.mode = mode_;
  spec.table = t.table;
  spec.query = query_;
  spec.incrementing_column = incrementing_column_;
  spec.timestamp_columns = timestamp_columns_;
  spec.limit = batch_max_rows_;
  std::vector<Cell> params;
  int digits = db.kind() == DbKind::kSqlite ? 3 : 6;
  if (uses_timestamp(mode_)) {
    auto now = std::chrono::system_clock::now() - timestamp_delay_;
    int64_t upper =
        std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
    params.push_back(Cell::text(format_timestamp(t.last_timestamp_nanos.value_or(0), digits)));
    params.push_back(Cell::text(format_timestamp(upper, digits)));
  }
  if (uses_incrementing(mode_)) params.push_back(Cell::integer(t.last_incrementing.value_or(-1)));
  std::string sql = build_source_query(spec);
  t.pending = db.query(sql, params);
  t.pending_next = 0;
  t.pending_full =
      (mode_ == SourceMode::kIncrementing || mode_ == SourceMode::kTimestampIncrementing) &&
      static_cast<int64_t>(t.pending.rows.size()) >= batch_max_rows_;
  // The value schema, from the result's columns and the table's nullability.
  t.types.clear();
  kanal::SchemaBuilder b = kanal::SchemaBuilder::structure();
  if (!t.table.empty()) b.name(t.table);
  for (size_t i = 0; i < t.pending.columns.size(); ++i) {
    const ColumnMeta& col = t.pending.columns[i];
    ColumnMeta meta = col;
    bool nullable = true;
    for (const ColumnMeta& m : t.table_columns) {
      if (m.name == col.name) {
        nullable = m.nullable;
        if (meta.scale < 0) meta.scale = m.scale;
      }
    }
    const Cell* first = t.pending.rows.empty() ? nullptr : &t.pending.rows[0][i];
    t.types.push_back(connect_type_for_column(db.kind(), meta, first));
    b.field(col.name, schema_for(t.types.back(), nullable));
  }
  t.schema = b.build();
}

void JdbcSourceTask::emit(TableState& t, std::vector<kanal::SourceRecord>& records) {
  const std::vector<ColumnMeta>& cols = t.pending.columns;
  int inc_index = -1;
  std::vector<int> ts_index;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].name == incrementing_column_) inc_index = static_cast<int>(i);
  }
  for (const std::string& name : timestamp_columns_) {
    for (size_t i = 0; i < cols.size(); ++i) {
      if (cols[i].name == name) ts_index.push_back(static_cast<int>(i));
    }
  }
  if (uses_incrementing(mode_) && inc_index < 0) {
    throw kanal::ConfigError("incrementing column '" + incrementing_column_ +
                             "' is not in the result of " +
                             (t.table.empty() ? std::string("the query") : t.table));
  }
  if (uses_timestamp(mode_) && ts_index.empty()) {
    throw kanal::ConfigError("no timestamp column of timestamp.column.name is in the result of " +
                             (t.table.empty() ? std::string("the query") : t.table));
  }
  size_t end =
      std::min(t.pending.rows.size(), t.pending_next + static_cast<size_t>(batch_max_rows_));
  for (; t.pending_next < end; ++t.pending_next) {
    const std::vector<Cell>& row = t.pending.rows[t.pending_next];
    kanal::Struct value(t.schema);
    for (size_t i = 0; i < cols.size(); ++i) {
      value.put(cols[i].name, value_for(t.types[i], row[i], cols[i].name));
    }
    if (inc_index >= 0 && uses_incrementing(mode_)) {
      const Cell& c = row[static_cast<size_t>(inc_index)];
      t.last_incrementing = c.kind == Cell::Kind::kInt ? c.i : std::stoll(c.s);
    }
    if (uses_timestamp(mode_)) {
      for (int i : ts_index) {
        const Cell& c = row[static_cast<size_t>(i)];
        if (c.is_null()) continue;
        std::optional<int64_t> ns = c.kind == Cell::Kind::kInt
                                        ? std::optional<int64_t>(c.i * 1000000)
                                        : parse_timestamp(c.s);
        if (ns) t.last_timestamp_nanos = *ns;
        break;
      }
    }
    kanal::SourceRecord& r = records.emplace_back();
    r.topic = t.topic;
    r.value_schema = t.schema;
    r.value = std::move(value);
    r.source_partition = t.partition.clone();
    r.source_offset = offset_of(t);
  }
}

void JdbcSourceTask::poll(std::vector<kanal::SourceRecord>& records) {
  if (!wait(Clock::duration::zero()) || tables_.empty()) {
    if (tables_.empty()) wait(kMaxWait);
    return;
  }
  // The table that is due first; tables with rows left over go at once.
  TableState* next = &tables_[0];
  for (TableState& t : tables_) {
    if (t.pending_next < t.pending.rows.size()) {
      next = &t;
      break;
    }
    if (t.next_run < next->next_run) next = &t;
  }
  TableState& t = *next;
  if (t.pending_next >= t.pending.rows.size()) {
    auto now = Clock::now();
    if (t.next_run > now) {
      wait(std::min<Clock::duration>(t.next_run - now, kMaxWait));
      return;
    }
    if (now < retry_at_) {
      wait(std::min<Clock::duration>(retry_at_ - now, kMaxWait));
      return;
    }
    try {
      Database& db = conn_.get();
      try {
        run_query(t, db);
        conn_.succeeded();
      } catch (const DbError& e) {
        conn_.fail(e, "JdbcSourceTask query of " + (t.table.empty() ? query_ : t.table));
      }
    } catch (const kanal::RetriableError& e) {
      // Retried here rather than by the worker (whose retries of poll() depend on
      // errors.retry.timeout), paced by connection.backoff.ms; after connection.attempts
      // failures in a row ManagedConnection throws the error that fails the task.
      retry_at_ = Clock::now() + std::chrono::milliseconds(conn_.backoff_ms());
      logger().warn(e.what());
      return;
    }
  }
  emit(t, records);
  if (t.pending_next >= t.pending.rows.size()) {
    t.pending = ResultSet();
    t.pending_next = 0;
    t.next_run = t.pending_full ? Clock::now() : Clock::now() + poll_interval_;
  }
}

}  // namespace kanal::jdbc
