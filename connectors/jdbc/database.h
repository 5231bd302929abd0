// The JDBC connectors' database layer, without the SDK: a connection to SQLite (sqlite3) or
// PostgreSQL (libpq) that runs parameterised SQL and reads table metadata. Tests use it directly.
//
// Not thread-safe: one thread uses a Database at a time (each task owns its own).
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kanal::jdbc {

enum class DbKind { kSqlite, kPostgres };

// What `connection.url` (plus `connection.user` / `connection.password`) names.
struct ConnectionSpec {
  DbKind kind = DbKind::kSqlite;
  std::string sqlite_path;  // kSqlite: the file after "jdbc:sqlite:"
  std::string host;         // kPostgres
  std::string port;
  std::string database;
  std::string user;
  std::string password;
};

// A database failure with the database's own message. `connection_lost` is true when the
// connection is gone or could not be made (the caller may reconnect and retry); false for an
// error in the statement itself.
class DbError : public std::runtime_error {
 public:
  DbError(const std::string& message, bool connection_lost)
      : std::runtime_error(message), connection_lost_(connection_lost) {}
  bool connection_lost() const { return connection_lost_; }

 private:
  bool connection_lost_;
};

// Parses "jdbc:sqlite:<path>" or "jdbc:postgresql://host[:port]/db[?user=..&password=..]".
// `user`/`password` (from connection.user/.password) win over URL parameters when not empty.
// Throws std::invalid_argument with a message for any other text.
ConnectionSpec parse_connection_url(std::string_view url, std::string_view user = {},
                                    std::string_view password = {});

// One value read from or bound to a statement. Integers (and booleans, as 0/1) are kInt, floats
// kReal, bytes kBlob; everything else (numeric, dates, times, timestamps) travels as kText in
// the database's text form.
struct Cell {
  enum class Kind { kNull, kInt, kReal, kText, kBlob };
  Kind kind = Kind::kNull;
  int64_t i = 0;
  double d = 0;
  std::string s;  // kText and kBlob

  static Cell null() { return Cell{}; }
  static Cell integer(int64_t v) { return Cell{Kind::kInt, v, 0, {}}; }
  static Cell real(double v) { return Cell{Kind::kReal, 0, v, {}}; }
  static Cell text(std::string v) { return Cell{Kind::kText, 0, 0, std::move(v)}; }
  static Cell blob(std::string v) { return Cell{Kind::kBlob, 0, 0, std::move(v)}; }
  bool is_null() const { return kind == Kind::kNull; }
};

// A result or table column. `type_name` is lower case: SQLite's declared type ("" when the
// column is an expression) or PostgreSQL's type name ("int4", "numeric", "timestamptz", ...).
struct ColumnMeta {
  std::string name;
  std::string type_name;
  int32_t precision = -1;  // NUMERIC(p, s); -1 when unknown
  int32_t scale = -1;
  bool nullable = true;
};

struct ResultSet {
  std::vector<ColumnMeta> columns;
  std::vector<std::vector<Cell>> rows;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual DbKind kind() const = 0;
  // Runs a statement that returns rows. Parameters are numbered from 1 in the SQL ("?1" for
  // SQLite, "$1" for PostgreSQL, see placeholder()). Throws DbError.
  virtual ResultSet query(const std::string& sql, const std::vector<Cell>& params = {}) = 0;
  // Runs a statement; returns the number of rows it changed. Throws DbError.
  virtual int64_t execute(const std::string& sql, const std::vector<Cell>& params = {}) = 0;
  // Tables (and, when `include_views`, views) visible by default: SQLite's main schema,
  // PostgreSQL's current schema. Sorted. Throws DbError.
  virtual std::vector<std::string> list_tables(bool include_views = false) = 0;
  // The columns of `table` ("name" or "schema.name", unquoted) in order; empty when the table
  // does not exist. Throws DbError.
  virtual std::vector<ColumnMeta> table_columns(const std::string& table) = 0;
};

// Connects. Throws DbError (connection_lost = true) with the database's message on failure.
std::unique_ptr<Database> open_database(const ConnectionSpec& spec);

}  // namespace kanal::jdbc
