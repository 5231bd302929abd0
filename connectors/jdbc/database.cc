#include "connectors/jdbc/database.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <map>

#include "connectors/jdbc/sql_builder.h"

namespace kanal::jdbc {
namespace {

constexpr std::string_view kSqlitePrefix = "jdbc:sqlite:";
constexpr std::string_view kPostgresPrefix = "jdbc:postgresql://";

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "%41" -> "A"; anything malformed stays as it is.
std::string url_decode(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

// --- SQLite ----------------------------------------------------------------------------------

struct SqliteDeleter {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using SqlitePtr = std::unique_ptr<sqlite3, SqliteDeleter>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

class SqliteDatabase : public Database {
 public:
  explicit SqliteDatabase(const std::string& path) {
    sqlite3* raw = nullptr;
    int rc =
        sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) {
      std::string message = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
      throw DbError("cannot open SQLite database '" + path + "': " + message, true);
    }
    sqlite3_busy_timeout(db_.get(), 5000);
    sqlite3_extended_result_codes(db_.get(), 0);
    // Opening is lazy: touch the schema so a file that is no database fails here.
    query("SELECT count(*) FROM sqlite_master", {});
  }

  DbKind kind() const override { return DbKind::kSqlite; }

  ResultSet query(const std::string& sql, const std::vector<Cell>& params) override {
    ResultSet out;
    run(sql, params, &out);
    return out;
  }

  int64_t execute(const std::string& sql, const std::vector<Cell>& params) override {
    run(sql, params, nullptr);
    return sqlite3_changes(db_.get());
  }

  std::vector<std::string> list_tables(bool include_views) override {
    std::string sql = "SELECT name FROM sqlite_master WHERE type IN ('table'";
    sql += include_views ? ",'view')" : ")";
    sql += " AND name NOT LIKE 'sqlite_%' ORDER BY name";
    std::vector<std::string> out;
    for (auto& row : query(sql, {}).rows) out.push_back(row[0].s);
    return out;
  }

  std::vector<ColumnMeta> table_columns(const std::string& table) override {
    std::vector<ColumnMeta> out;
    ResultSet rs = query("PRAGMA table_info(" + quote_table(DbKind::kSqlite, table) + ")", {});
    for (auto& row : rs.rows) {
      ColumnMeta c;
      c.name = row[1].s;
      c.type_name = lower(row[2].s);
      // A PRIMARY KEY INTEGER column is the rowid and never null.
      c.nullable = row[3].i == 0 && !(row[5].i > 0 && c.type_name == "integer");
      out.push_back(std::move(c));
    }
    return out;
  }

 private:
  [[noreturn]] void fail(int rc, const std::string& sql) {
    bool lost = rc == SQLITE_BUSY || rc == SQLITE_LOCKED || rc == SQLITE_IOERR ||
                rc == SQLITE_CANTOPEN || rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT;
    throw DbError(std::string(sqlite3_errmsg(db_.get())) + " (in: " + sql + ")", lost);
  }

  void run(const std::string& sql, const std::vector<Cell>& params, ResultSet* out) {
    sqlite3_stmt* raw = nullptr;
    int rc =
        sqlite3_prepare_v2(db_.get(), sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr);
    StmtPtr stmt(raw);
    if (rc != SQLITE_OK) fail(rc, sql);
    for (size_t i = 0; i < params.size(); ++i) {
      const Cell& p = params[i];
      int idx = static_cast<int>(i + 1);
      switch (p.kind) {
        case Cell::Kind::kNull:
          rc = sqlite3_bind_null(raw, idx);
          break;
        case Cell::Kind::kInt:
          rc = sqlite3_bind_int64(raw, idx, p.i);
          break;
        case Cell::Kind::kReal:
          rc = sqlite3_bind_double(raw, idx, p.d);
          break;
        case Cell::Kind::kText:
          rc = sqlite3_bind_text(raw, idx, p.s.data(), static_cast<int>(p.s.size()),
                                 SQLITE_TRANSIENT);
          break;
        case Cell::Kind::kBlob:
          rc = sqlite3_bind_blob(raw, idx, p.s.data(), static_cast<int>(p.s.size()),
                                 SQLITE_TRANSIENT);
          break;
      }
      if (rc != SQLITE_OK) fail(rc, sql);
    }
    int n = sqlite3_column_count(raw);
    if (out != nullptr) {
      for (int c = 0; c < n; ++c) {
        ColumnMeta m;
        m.name = sqlite3_column_name(raw, c);
        const char* decl = sqlite3_column_decltype(raw, c);
        m.type_name = decl ? lower(decl) : "";
        out->columns.push_back(std::move(m));
      }
    }
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
      if (out == nullptr) continue;
      std::vector<Cell>& row = out->rows.emplace_back();
      row.reserve(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) {
        switch (sqlite3_column_type(raw, c)) {
          case SQLITE_INTEGER:
            row.push_back(Cell::integer(sqlite3_column_int64(raw, c)));
            break;
          case SQLITE_FLOAT:
            row.push_back(Cell::real(sqlite3_column_double(raw, c)));
            break;
          case SQLITE_TEXT: {
            const unsigned char* t = sqlite3_column_text(raw, c);
            row.push_back(
                Cell::text(std::string(reinterpret_cast<const char*>(t),
                                       static_cast<size_t>(sqlite3_column_bytes(raw, c)))));
            break;
          }
          case SQLITE_BLOB: {
            const void* b = sqlite3_column_blob(raw, c);
            size_t len = static_cast<size_t>(sqlite3_column_bytes(raw, c));
            row.push_back(Cell::blob(len ? std::string(static_cast<const char*>(b), len) : ""));
            break;
          }
          default:
            row.push_back(Cell::null());
        }
      }
    }
    if (rc != SQLITE_DONE) fail(rc, sql);
  }

  SqlitePtr db_;
};

// --- PostgreSQL ------------------------------------------------------------------------------

struct PgConnDeleter {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct PgResultDeleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using PgConnPtr = std::unique_ptr<PGconn, PgConnDeleter>;
using PgResultPtr = std::unique_ptr<PGresult, PgResultDeleter>;

// Type names of the OIDs in pg_type that the connectors map; others read as text.
std::string pg_type_name(Oid oid) {
  static const std::map<Oid, std::string> kNames = {
      {16, "bool"},        {17, "bytea"},         {18, "char"},     {19, "name"},
      {20, "int8"},        {21, "int2"},          {23, "int4"},     {25, "text"},
      {26, "oid"},         {114, "json"},         {700, "float4"},  {701, "float8"},
      {1042, "bpchar"},    {1043, "varchar"},     {1082, "date"},   {1083, "time"},
      {1114, "timestamp"}, {1184, "timestamptz"}, {1266, "timetz"}, {1700, "numeric"},
      {2950, "uuid"},      {3802, "jsonb"}};
  auto it = kNames.find(oid);
  return it == kNames.end() ? "text" : it->second;
}

std::string trim_message(const char* m) {
  std::string s = m ? m : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class PostgresDatabase : public Database {
 public:
  explicit PostgresDatabase(const ConnectionSpec& spec) {
    std::vector<const char*> keys;
    std::vector<const char*> values;
    auto add = [&](const char* k, const std::string& v) {
      if (v.empty()) return;
      keys.push_back(k);
      values.push_back(v.c_str());
    };
    add("host", spec.host);
    add("port", spec.port);
    add("dbname", spec.database);
    add("user", spec.user);
    add("password", spec.password);
    const std::string timeout = "10";
    add("connect_timeout", timeout);
    const std::string app = "kanal-jdbc";
    add("application_name", app);
    keys.push_back(nullptr);
    values.push_back(nullptr);
    conn_.reset(PQconnectdbParams(keys.data(), values.data(), 0));
    if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
      std::string message = conn_ ? trim_message(PQerrorMessage(conn_.get())) : "out of memory";
      throw DbError("cannot connect to PostgreSQL at " + spec.host + ":" + spec.port + "/" +
                        spec.database + ": " + message,
                    true);
    }
    // NOTICEs ("table does not exist, skipping") are not errors; keep them off stderr.
    PQsetNoticeProcessor(
        conn_.get(), [](void*, const char*) {}, nullptr);
    execute("SET TIME ZONE 'UTC'", {});
    execute("SET DateStyle TO ISO, YMD", {});
  }

  DbKind kind() const override { return DbKind::kPostgres; }

  ResultSet query(const std::string& sql, const std::vector<Cell>& params) override {
    PgResultPtr res = run(sql, params);
    ResultSet out;
    int n = PQnfields(res.get());
    std::vector<Oid> types;
    for (int c = 0; c < n; ++c) {
      ColumnMeta m;
      m.name = PQfname(res.get(), c);
      Oid oid = PQftype(res.get(), c);
      types.push_back(oid);
      m.type_name = pg_type_name(oid);
      int mod = PQfmod(res.get(), c);
      if (oid == 1700 && mod >= 4) {
        m.precision = ((mod - 4) >> 16) & 0xffff;
        m.scale = (mod - 4) & 0xffff;
      }
      out.columns.push_back(std::move(m));
    }
    int rows = PQntuples(res.get());
    out.rows.reserve(static_cast<size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      std::vector<Cell>& row = out.rows.emplace_back();
      for (int c = 0; c < n; ++c) {
        if (PQgetisnull(res.get(), r, c)) {
          row.push_back(Cell::null());
          continue;
        }
        std::string text(PQgetvalue(res.get(), r, c),
                         static_cast<size_t>(PQgetlength(res.get(), r, c)));
        switch (types[static_cast<size_t>(c)]) {
          case 20:
          case 21:
          case 23:
          case 26:
            row.push_back(Cell::integer(std::stoll(text)));
            break;
          case 700:
          case 701:
            row.push_back(Cell::real(std::strtod(text.c_str(), nullptr)));
            break;
          case 16:
            row.push_back(Cell::integer(text == "t" ? 1 : 0));
            break;
          case 17: {
            size_t len = 0;
            unsigned char* raw =
                PQunescapeBytea(reinterpret_cast<const unsigned char*>(text.c_str()), &len);
            row.push_back(Cell::blob(std::string(reinterpret_cast<char*>(raw), len)));
            PQfreemem(raw);
            break;
          }
          default:
            row.push_back(Cell::text(std::move(text)));
        }
      }
    }
    return out;
  }

  int64_t execute(const std::string& sql, const std::vector<Cell>& params) override {
    PgResultPtr res = run(sql, params);
    const char* n = PQcmdTuples(res.get());
    return (n && *n) ? std::stoll(n) : 0;
  }

  std::vector<std::string> list_tables(bool include_views) override {
    std::string sql =
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        " AND table_type IN ('BASE TABLE'";
    sql += include_views ? ",'VIEW')" : ")";
    sql += " ORDER BY table_name";
    std::vector<std::string> out;
    for (auto& row : query(sql, {}).rows) out.push_back(row[0].s);
    return out;
  }

  std::vector<ColumnMeta> table_columns(const std::string& table) override {
    std::string schema_expr = "current_schema()";
    std::vector<Cell> params;
    size_t dot = table.find('.');
    if (dot == std::string::npos) {
      params.push_back(Cell::text(table));
    } else {
      params.push_back(Cell::text(table.substr(dot + 1)));
      params.push_back(Cell::text(table.substr(0, dot)));
      schema_expr = "$2";
    }
    ResultSet rs = query(
        "SELECT column_name, udt_name, is_nullable, numeric_precision, numeric_scale"
        " FROM information_schema.columns WHERE table_name = $1 AND table_schema = " +
            schema_expr + " ORDER BY ordinal_position",
        params);
    std::vector<ColumnMeta> out;
    for (auto& row : rs.rows) {
      ColumnMeta c;
      c.name = row[0].s;
      c.type_name = row[1].s;
      c.nullable = row[2].s == "YES";
      auto number = [](const Cell& cell) {
        return static_cast<int32_t>(cell.kind == Cell::Kind::kInt ? cell.i : std::stol(cell.s));
      };
      if (!row[3].is_null()) c.precision = number(row[3]);
      if (!row[4].is_null()) c.scale = number(row[4]);
      out.push_back(std::move(c));
    }
    return out;
  }

 private:
  PgResultPtr run(const std::string& sql, const std::vector<Cell>& params) {
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    std::vector<int> formats(params.size(), 0);
    for (size_t i = 0; i < params.size(); ++i) {
      const Cell& p = params[i];
      switch (p.kind) {
        case Cell::Kind::kNull:
          continue;
        case Cell::Kind::kInt:
          texts[i] = std::to_string(p.i);
          break;
        case Cell::Kind::kReal: {
          char buf[64];
          std::snprintf(buf, sizeof buf, "%.17g", p.d);
          texts[i] = buf;
          break;
        }
        case Cell::Kind::kText:
          texts[i] = p.s;
          break;
        case Cell::Kind::kBlob:
          texts[i] = p.s;
          formats[i] = 1;  // raw bytes: bytea's binary form
          break;
      }
      values[i] = texts[i].data();
      lengths[i] = static_cast<int>(texts[i].size());
    }
    PgResultPtr res(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(params.size()), nullptr,
                                 values.data(), lengths.data(), formats.data(), 0));
    ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      std::string message = res ? trim_message(PQresultErrorMessage(res.get())) : "";
      if (message.empty()) message = trim_message(PQerrorMessage(conn_.get()));
      bool lost = PQstatus(conn_.get()) != CONNECTION_OK;
      if (!lost && res) {
        // Class 08 (connection exception) and 57P01..03 (admin shutdown, crash, cannot connect).
        const char* state = PQresultErrorField(res.get(), PG_DIAG_SQLSTATE);
        std::string code = state ? state : "";
        lost = code.rfind("08", 0) == 0 || code.rfind("57P", 0) == 0;
      }
      throw DbError(message + " (in: " + sql + ")", lost);
    }
    return res;
  }

  PgConnPtr conn_;
};

}  // namespace

ConnectionSpec parse_connection_url(std::string_view url, std::string_view user,
                                    std::string_view password) {
  ConnectionSpec spec;
  if (url.rfind(kSqlitePrefix, 0) == 0) {
    spec.kind = DbKind::kSqlite;
    spec.sqlite_path = std::string(url.substr(kSqlitePrefix.size()));
    if (spec.sqlite_path.empty()) {
      throw std::invalid_argument("no database file after 'jdbc:sqlite:'");
    }
    return spec;
  }
  if (url.rfind(kPostgresPrefix, 0) != 0) {
    throw std::invalid_argument("unsupported URL '" + std::string(url) +
                                "': expected jdbc:sqlite:<file> or "
                                "jdbc:postgresql://<host>[:<port>]/<database>");
  }
  spec.kind = DbKind::kPostgres;
  std::string_view rest = url.substr(kPostgresPrefix.size());
  std::string_view query;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  spec.database = slash == std::string_view::npos ? "" : url_decode(rest.substr(slash + 1));
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    spec.host = std::string(authority.substr(0, colon));
    spec.port = std::string(authority.substr(colon + 1));
  } else {
    spec.host = std::string(authority);
    spec.port = "5432";
  }
  if (spec.host.empty()) spec.host = "localhost";
  if (spec.database.empty())
    throw std::invalid_argument("no database name in '" + std::string(url) + "'");
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view kv = query.substr(0, amp);
    size_t eq = kv.find('=');
    std::string key(kv.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : url_decode(kv.substr(eq + 1));
    if (key == "user") spec.user = value;
    if (key == "password") spec.password = value;
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  if (!user.empty()) spec.user = std::string(user);
  if (!password.empty()) spec.password = std::string(password);
  return spec;
}

std::unique_ptr<Database> open_database(const ConnectionSpec& spec) {
  if (spec.kind == DbKind::kSqlite) return std::make_unique<SqliteDatabase>(spec.sqlite_path);
  return std::make_unique<PostgresDatabase>(spec);
}

}  // namespace kanal::jdbc
