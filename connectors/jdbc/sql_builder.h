// SQL text of the JDBC connectors, per database, without the SDK: identifier quoting, the
// source's incremental queries, the sink's insert/upsert/update/delete and DDL, and the mapping
// between column types and Connect types. Pure functions; unit tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/jdbc/database.h"

namespace kanal::jdbc {

// A Connect type as the connectors use it: the physical type or one of the logical types.
enum class SqlKind {
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kFloat32,
  kFloat64,
  kBoolean,
  kString,
  kBytes,
  kDecimal,
  kDate,
  kTime,
  kTimestamp,
};

struct ConnectType {
  SqlKind kind = SqlKind::kString;
  int32_t scale = 0;  // kDecimal
};

// `name` in the database's identifier quotes ("a""b" for a"b).
std::string quote_identifier(DbKind db, std::string_view name);
// A table name, each dot-separated part quoted: public.orders -> "public"."orders".
std::string quote_table(DbKind db, std::string_view table);
// The n-th (from 1) parameter: "?n" (SQLite) or "$n" (PostgreSQL).
std::string placeholder(DbKind db, int n);

// The Connect type of a result column (Confluent's default mapping, numeric.mapping=none).
// `first_value` decides for a SQLite expression column without a declared type.
ConnectType connect_type_for_column(DbKind db, const ColumnMeta& column,
                                    const Cell* first_value = nullptr);
// The column type the sink creates for a Connect type.
std::string sql_type_for(DbKind db, const ConnectType& type);

enum class SourceMode { kBulk, kIncrementing, kTimestamp, kTimestampIncrementing };

// The source's query for one table (or a custom `query`, wrapped as a subquery) in `mode`.
// Parameters: ?1 = last timestamp, ?2 = upper timestamp bound, ?3 = last incrementing value
// (timestamp+incrementing); ?1 = last incrementing value (incrementing). `limit` 0 = none.
struct SourceQuerySpec {
  DbKind db = DbKind::kSqlite;
  SourceMode mode = SourceMode::kBulk;
  std::string table;  // empty when `query` is used
  std::string query;
  std::string incrementing_column;
  std::vector<std::string> timestamp_columns;
  int64_t limit = 0;
};
std::string build_source_query(const SourceQuerySpec& spec);

// A sink column with its Connect type.
struct SinkColumn {
  std::string name;
  ConnectType type;
  bool optional = true;
};

std::string build_insert(DbKind db, std::string_view table, const std::vector<std::string>& cols);
// INSERT ... ON CONFLICT (keys) DO UPDATE SET non-key = excluded.non-key (DO NOTHING when every
// column is a key).
std::string build_upsert(DbKind db, std::string_view table, const std::vector<std::string>& keys,
                         const std::vector<std::string>& others);
// UPDATE table SET others = ?1.. WHERE keys = ?k..; parameters: others first, then keys.
std::string build_update(DbKind db, std::string_view table, const std::vector<std::string>& keys,
                         const std::vector<std::string>& others);
std::string build_delete(DbKind db, std::string_view table, const std::vector<std::string>& keys);
std::string build_create_table(DbKind db, std::string_view table,
                               const std::vector<SinkColumn>& columns,
                               const std::vector<std::string>& keys);
std::string build_add_column(DbKind db, std::string_view table, const SinkColumn& column);

}  // namespace kanal::jdbc
