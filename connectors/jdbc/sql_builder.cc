#include "connectors/jdbc/sql_builder.h"

#include <cstdlib>

namespace kanal::jdbc {
namespace {

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// "numeric(10,2)" -> scale 2; -1 when the declaration has none.
int32_t declared_scale(std::string_view type) {
  size_t comma = type.find(',');
  if (comma == std::string_view::npos) return -1;
  return static_cast<int32_t>(std::atoi(std::string(type.substr(comma + 1)).c_str()));
}

// SQLite: Confluent's SQLite dialect reads the declared type the way SQLite's affinity rules do,
// with the usual names for the logical types.
ConnectType sqlite_type(const ColumnMeta& c, const Cell* first_value) {
  const std::string& t = c.type_name;
  if (t.empty()) {
    if (first_value != nullptr && first_value->kind == Cell::Kind::kInt) return {SqlKind::kInt64};
    if (first_value != nullptr && first_value->kind == Cell::Kind::kReal) {
      return {SqlKind::kFloat64};
    }
    if (first_value != nullptr && first_value->kind == Cell::Kind::kBlob) return {SqlKind::kBytes};
    return {SqlKind::kString};
  }
  if (contains(t, "bool")) return {SqlKind::kBoolean};
  if (contains(t, "tinyint")) return {SqlKind::kInt8};
  if (contains(t, "smallint")) return {SqlKind::kInt16};
  if (contains(t, "bigint")) return {SqlKind::kInt64};
  if (contains(t, "mediumint")) return {SqlKind::kInt32};
  if (contains(t, "int")) return {SqlKind::kInt64};
  if (contains(t, "char") || contains(t, "clob") || contains(t, "text")) return {SqlKind::kString};
  if (contains(t, "blob") || contains(t, "binary")) return {SqlKind::kBytes};
  if (contains(t, "timestamp") || contains(t, "datetime")) return {SqlKind::kTimestamp};
  if (contains(t, "date")) return {SqlKind::kDate};
  if (contains(t, "time")) return {SqlKind::kTime};
  if (contains(t, "float") && !contains(t, "double")) return {SqlKind::kFloat64};
  if (contains(t, "real") || contains(t, "doub") || contains(t, "floa")) {
    return {SqlKind::kFloat64};
  }
  if (contains(t, "numeric") || contains(t, "decimal")) {
    int32_t scale = declared_scale(t);
    if (scale >= 0) return {SqlKind::kDecimal, scale};
    return {SqlKind::kFloat64};
  }
  return {SqlKind::kString};
}

ConnectType postgres_type(const ColumnMeta& c) {
  const std::string& t = c.type_name;
  if (t == "bool") return {SqlKind::kBoolean};
  if (t == "int2") return {SqlKind::kInt16};
  if (t == "int4") return {SqlKind::kInt32};
  if (t == "int8" || t == "oid") return {SqlKind::kInt64};
  if (t == "float4") return {SqlKind::kFloat32};
  if (t == "float8") return {SqlKind::kFloat64};
  if (t == "bytea") return {SqlKind::kBytes};
  if (t == "date") return {SqlKind::kDate};
  if (t == "time") return {SqlKind::kTime};
  if (t == "timestamp" || t == "timestamptz") return {SqlKind::kTimestamp};
  if (t == "numeric") {
    // An unconstrained NUMERIC has no fixed scale a schema could carry.
    if (c.scale >= 0) return {SqlKind::kDecimal, c.scale};
    return {SqlKind::kFloat64};
  }
  return {SqlKind::kString};
}

std::string join_quoted(DbKind db, const std::vector<std::string>& cols) {
  std::string out;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) out += ", ";
    out += quote_identifier(db, cols[i]);
  }
  return out;
}

// "a" = ?n AND "b" = ?n+1 ...
std::string equalities(DbKind db, const std::vector<std::string>& cols, int first,
                       std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) out += sep;
    out += quote_identifier(db, cols[i]) + " = " + placeholder(db, first + static_cast<int>(i));
  }
  return out;
}

}  // namespace

std::string quote_identifier(DbKind, std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string quote_table(DbKind db, std::string_view table) {
  std::string out;
  size_t start = 0;
  while (true) {
    size_t dot = table.find('.', start);
    out += quote_identifier(db, table.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    out += '.';
    start = dot + 1;
  }
  return out;
}

std::string placeholder(DbKind db, int n) {
  return (db == DbKind::kSqlite ? "?" : "$") + std::to_string(n);
}

ConnectType connect_type_for_column(DbKind db, const ColumnMeta& column, const Cell* first_value) {
  return db == DbKind::kSqlite ? sqlite_type(column, first_value) : postgres_type(column);
}

std::string sql_type_for(DbKind db, const ConnectType& type) {
  bool pg = db == DbKind::kPostgres;
  switch (type.kind) {
    case SqlKind::kInt8:
    case SqlKind::kInt16:
      return pg ? "SMALLINT" : "INTEGER";
    case SqlKind::kInt32:
      return pg ? "INT" : "INTEGER";
    case SqlKind::kInt64:
      return pg ? "BIGINT" : "INTEGER";
    case SqlKind::kFloat32:
      return "REAL";
    case SqlKind::kFloat64:
      return pg ? "DOUBLE PRECISION" : "REAL";
    case SqlKind::kBoolean:
      return pg ? "BOOLEAN" : "BOOLEAN";
    case SqlKind::kString:
      return "TEXT";
    case SqlKind::kBytes:
      return pg ? "BYTEA" : "BLOB";
    case SqlKind::kDecimal:
      return pg ? "DECIMAL" : "NUMERIC(38," + std::to_string(type.scale) + ")";
    case SqlKind::kDate:
      return "DATE";
    case SqlKind::kTime:
      return "TIME";
    case SqlKind::kTimestamp:
      return "TIMESTAMP";
  }
  return "TEXT";
}

std::string build_source_query(const SourceQuerySpec& spec) {
  const DbKind db = spec.db;
  std::string sql = spec.table.empty() ? "SELECT * FROM (" + spec.query + ") AS kanal_query"
                                       : "SELECT * FROM " + quote_table(db, spec.table);
  std::string ts;
  if (!spec.timestamp_columns.empty()) {
    if (spec.timestamp_columns.size() == 1) {
      ts = quote_identifier(db, spec.timestamp_columns[0]);
    } else {
      ts = "COALESCE(" + join_quoted(db, spec.timestamp_columns) + ")";
    }
    // SQLite keeps timestamps as text; normalise them so they compare as instants.
    if (db == DbKind::kSqlite) ts = "strftime('%Y-%m-%d %H:%M:%f', " + ts + ")";
  }
  std::string inc = spec.incrementing_column.empty()
                        ? std::string()
                        : quote_identifier(db, spec.incrementing_column);
  switch (spec.mode) {
    case SourceMode::kBulk:
      return sql;
    case SourceMode::kIncrementing:
      sql += " WHERE " + inc + " > " + placeholder(db, 1) + " ORDER BY " + inc + " ASC";
      break;
    case SourceMode::kTimestamp:
      sql += " WHERE " + ts + " > " + placeholder(db, 1) + " AND " + ts + " < " +
             placeholder(db, 2) + " ORDER BY " + ts + " ASC";
      return sql;  // no LIMIT: rows of one timestamp must come together
    case SourceMode::kTimestampIncrementing:
      sql += " WHERE " + ts + " < " + placeholder(db, 2) + " AND ((" + ts + " = " +
             placeholder(db, 1) + " AND " + inc + " > " + placeholder(db, 3) + ") OR " + ts +
             " > " + placeholder(db, 1) + ") ORDER BY " + ts + ", " + inc + " ASC";
      break;
  }
  if (spec.limit > 0) sql += " LIMIT " + std::to_string(spec.limit);
  return sql;
}

std::string build_insert(DbKind db, std::string_view table, const std::vector<std::string>& cols) {
  std::string sql =
      "INSERT INTO " + quote_table(db, table) + " (" + join_quoted(db, cols) + ") VALUES (";
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) sql += ", ";
    sql += placeholder(db, static_cast<int>(i + 1));
  }
  return sql + ")";
}

std::string build_upsert(DbKind db, std::string_view table, const std::vector<std::string>& keys,
                         const std::vector<std::string>& others) {
  std::vector<std::string> cols = keys;
  cols.insert(cols.end(), others.begin(), others.end());
  std::string sql = build_insert(db, table, cols) + " ON CONFLICT (" + join_quoted(db, keys) + ")";
  if (others.empty()) return sql + " DO NOTHING";
  sql += " DO UPDATE SET ";
  for (size_t i = 0; i < others.size(); ++i) {
    if (i) sql += ", ";
    std::string c = quote_identifier(db, others[i]);
    sql += c + " = excluded." + c;
  }
  return sql;
}

std::string build_update(DbKind db, std::string_view table, const std::vector<std::string>& keys,
                         const std::vector<std::string>& others) {
  return "UPDATE " + quote_table(db, table) + " SET " + equalities(db, others, 1, ", ") +
         " WHERE " + equalities(db, keys, static_cast<int>(others.size()) + 1, " AND ");
}

std::string build_delete(DbKind db, std::string_view table, const std::vector<std::string>& keys) {
  return "DELETE FROM " + quote_table(db, table) + " WHERE " + equalities(db, keys, 1, " AND ");
}

std::string build_create_table(DbKind db, std::string_view table,
                               const std::vector<SinkColumn>& columns,
                               const std::vector<std::string>& keys) {
  std::string sql = "CREATE TABLE " + quote_table(db, table) + " (";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) sql += ", ";
    sql += quote_identifier(db, columns[i].name) + " " + sql_type_for(db, columns[i].type);
    if (!columns[i].optional) sql += " NOT NULL";
  }
  if (!keys.empty()) sql += ", PRIMARY KEY(" + join_quoted(db, keys) + ")";
  return sql + ")";
}

std::string build_add_column(DbKind db, std::string_view table, const SinkColumn& column) {
  std::string sql = "ALTER TABLE " + quote_table(db, table) + " ADD COLUMN " +
                    quote_identifier(db, column.name) + " " + sql_type_for(db, column.type);
  if (!column.optional) sql += " NOT NULL";
  return sql;
}

}  // namespace kanal::jdbc
