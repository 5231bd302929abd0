#include "storage/sqlite_offset_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "storage/offset_codec.h"
#include "storage/sqlite_offset_store_sql.h"

namespace kanal::storage {

namespace detail {
void SqliteDeleter::operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
void SqliteStmtDeleter::operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
}  // namespace detail

namespace {

constexpr char kSqliteMagic[16] = "SQLite format 3";  // 15 characters and the NUL: 16 bytes
constexpr char kFixNewFile[] =
    "point offset.storage.file.filename at a new file, or remove this one (its source offsets "
    "are then lost and source connectors start from scratch)";

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

// Resets the statement whatever step() returned, so a failed statement never keeps a read
// transaction open.
class StepGuard {
 public:
  explicit StepGuard(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StepGuard() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StepGuard(const StepGuard&) = delete;
  StepGuard& operator=(const StepGuard&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

int bind_text(sqlite3_stmt* stmt, int index, std::string_view text) {
  return sqlite3_bind_text64(stmt, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

int bind_blob(sqlite3_stmt* stmt, int index, std::string_view bytes) {
  return sqlite3_bind_blob64(stmt, index, bytes.data(), bytes.size(), SQLITE_STATIC);
}

std::string column_bytes(sqlite3_stmt* stmt, int index) {
  const void* data = sqlite3_column_blob(stmt, index);
  int size = sqlite3_column_bytes(stmt, index);
  if (data == nullptr || size <= 0) return {};
  return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Checks with plain POSIX calls what SQLite would only report as "unable to open database file"
// or "file is not a database", so the start-up error can say which it is.
Status precheck_file(const std::filesystem::path& path) {
  std::error_code ec;
  auto st = std::filesystem::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return Status::io_error("Cannot access offsets database " + quoted(path) + ": " + ec.message() +
                            "; fix the path or its permissions");
  }
  if (!std::filesystem::exists(st)) {
    auto dir = path.parent_path();
    if (!dir.empty() && !std::filesystem::is_directory(dir, ec)) {
      return Status::io_error("Cannot create offsets database " + quoted(path) + ": directory " +
                              quoted(dir) +
                              " does not exist; create it or point "
                              "offset.storage.file.filename at a file in an existing directory");
    }
    return Status::OK();
  }
  if (std::filesystem::is_directory(st)) {
    return Status::io_error("Offsets database " + quoted(path) +
                            " is a directory; point offset.storage.file.filename at a file");
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::io_error("Cannot read offsets database " + quoted(path) + ": " +
                            std::strerror(errno) +
                            "; fix its permissions or point offset.storage.file.filename at "
                            "another file");
  }
  unsigned char header[16];
  ssize_t n;
  do {
    n = ::pread(fd, header, sizeof header, 0);
  } while (n < 0 && errno == EINTR);
  int read_errno = errno;
  ::close(fd);
  if (n < 0) {
    return Status::io_error("Cannot read offsets database " + quoted(path) + ": " +
                            std::strerror(read_errno) +
                            "; fix the file system or point offset.storage.file.filename at "
                            "another file");
  }
  if (n == 0) return Status::OK();  // an empty file is an empty SQLite database
  if (static_cast<size_t>(n) < sizeof header || std::memcmp(header, kSqliteMagic, 16) != 0) {
    std::string msg = "Offsets file " + quoted(path) + " is not a SQLite database";
    // Java's ObjectOutputStream starts with STREAM_MAGIC 0xACED: connect-standalone's file.
    if (n >= 2 && header[0] == 0xAC && header[1] == 0xED) {
      msg +=
          " but a Java-serialized file, probably a Java Kafka Connect standalone worker's "
          "offsets; kanal keeps standalone offsets in SQLite and cannot read that format";
    }
    msg += "; ";
    msg += kFixNewFile;
    return Status::invalid_argument(std::move(msg));
  }
  return Status::OK();
}

}  // namespace

SqliteOffsetStore::SqliteOffsetStore(std::filesystem::path path)
    : path_(std::move(path)), log_("kanal.storage") {}

SqliteOffsetStore::~SqliteOffsetStore() { stop(); }

Status SqliteOffsetStore::start() {
  std::lock_guard<std::mutex> lock(mu_);
  assert(db_ == nullptr && "SqliteOffsetStore::start called twice");
  Status s = open_locked();
  if (!s.ok()) {
    close_locked();
    log_.error("offsets.store.open.failed", {{"path", path_.string()}, {"error", s.message()}});
    return s;
  }
  log_.info("offsets.store.opened",
            {{"path", path_.string()}, {"schema_version", std::to_string(sql::kSchemaVersion)}});
  return Status::OK();
}

void SqliteOffsetStore::stop() {
  std::lock_guard<std::mutex> lock(mu_);
  if (db_ == nullptr) return;
  close_locked();
  log_.info("offsets.store.closed", {{"path", path_.string()}});
}

void SqliteOffsetStore::close_locked() {
  get_stmt_.reset();
  upsert_stmt_.reset();
  delete_stmt_.reset();
  list_stmt_.reset();
  begin_stmt_.reset();
  commit_stmt_.reset();
  rollback_stmt_.reset();
  // Closing the last connection checkpoints the WAL into the main file and removes it.
  db_.reset();
}

Status SqliteOffsetStore::open_locked() {
  KANAL_RETURN_IF_ERROR(precheck_file(path_));

  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path_.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  db_.reset(raw);  // a handle comes back even on failure and must be closed
  if (rc != SQLITE_OK) return sql_error_locked("opening", rc);
  sqlite3_extended_result_codes(db_.get(), 1);

  KANAL_RETURN_IF_ERROR(exec_locked(sql::kExclusiveLocking));
  KANAL_RETURN_IF_ERROR(check_ownership_locked());
  if (sqlite3_db_readonly(db_.get(), "main") == 1) {
    return Status::io_error("Offsets database " + quoted(path_) +
                            " can only be opened read-only; make it and its directory writable, "
                            "or point offset.storage.file.filename at another file");
  }
  KANAL_RETURN_IF_ERROR(migrate_locked());
  return prepare_locked();
}

Status SqliteOffsetStore::check_ownership_locked() {
  // The first read of the file: a non-SQLite, corrupt, locked or unreadable file fails here.
  int app_id = 0;
  {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), sql::kReadApplicationId, -1, &raw, nullptr);
    detail::SqliteStmtPtr stmt(raw);
    if (rc != SQLITE_OK) return sql_error_locked("reading the file header", rc);
    rc = sqlite3_step(stmt.get());
    if (rc != SQLITE_ROW) return sql_error_locked("reading the file header", rc);
    app_id = sqlite3_column_int(stmt.get(), 0);
  }

  std::vector<std::string> tables;
  {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), sql::kListTables, -1, &raw, nullptr);
    detail::SqliteStmtPtr stmt(raw);
    if (rc != SQLITE_OK) return sql_error_locked("reading the schema", rc);
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      const unsigned char* name = sqlite3_column_text(stmt.get(), 0);
      tables.emplace_back(name != nullptr ? reinterpret_cast<const char*>(name) : "");
    }
    if (rc != SQLITE_DONE) return sql_error_locked("reading the schema", rc);
  }

  if (app_id != sql::kOffsetsApplicationId && (app_id != 0 || !tables.empty())) {
    std::string msg = "Offsets database " + quoted(path_) +
                      " is a SQLite database but not a kanal offsets database (";
    if (tables.empty()) {
      char id[16];
      std::snprintf(id, sizeof id, "0x%08X", static_cast<unsigned>(app_id));
      msg += "it belongs to the application with id ";
      msg += id;
    } else {
      msg += "it holds tables ";
      for (size_t i = 0; i < tables.size(); ++i) {
        if (i > 0) msg += ", ";
        msg += tables[i];
      }
    }
    msg += "); ";
    msg += kFixNewFile;
    return Status::invalid_argument(std::move(msg));
  }
  return Status::OK();
}

Status SqliteOffsetStore::migrate_locked() {
  int version = 0;
  {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), sql::kReadUserVersion, -1, &raw, nullptr);
    detail::SqliteStmtPtr stmt(raw);
    if (rc != SQLITE_OK) return sql_error_locked("reading the schema version", rc);
    rc = sqlite3_step(stmt.get());
    if (rc != SQLITE_ROW) return sql_error_locked("reading the schema version", rc);
    version = sqlite3_column_int(stmt.get(), 0);
  }
  if (version > sql::kSchemaVersion) {
    return Status::invalid_argument(
        "Offsets database " + quoted(path_) + " has format version " + std::to_string(version) +
        ", written by a newer kanal; this kanal reads up to version " +
        std::to_string(sql::kSchemaVersion) +
        ". Run the newer kanal, or point offset.storage.file.filename at a new file");
  }

  // WAL before the first write, while no other statement is open.
  {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), sql::kJournalModeWal, -1, &raw, nullptr);
    detail::SqliteStmtPtr stmt(raw);
    if (rc != SQLITE_OK) return sql_error_locked("switching to WAL", rc);
    rc = sqlite3_step(stmt.get());
    if (rc != SQLITE_ROW) return sql_error_locked("switching to WAL", rc);
    const unsigned char* mode = sqlite3_column_text(stmt.get(), 0);
    std::string_view got = mode != nullptr ? reinterpret_cast<const char*>(mode) : "";
    if (got != "wal") {
      return Status::io_error("Offsets database " + quoted(path_) +
                              " cannot use write-ahead logging (journal mode stays '" +
                              std::string(got) +
                              "'); put it on a local file system that supports it");
    }
  }
  KANAL_RETURN_IF_ERROR(exec_locked(sql::kSynchronousFull));

  if (version > 0) {
    // Catch a damaged file at start rather than at the first flush or, worse, by reading a
    // wrong offset: quick_check reads every page (milliseconds for an offsets database).
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), sql::kQuickCheck, -1, &raw, nullptr);
    detail::SqliteStmtPtr stmt(raw);
    if (rc != SQLITE_OK) return sql_error_locked("checking integrity", rc);
    std::string problems;
    int count = 0;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt.get(), 0);
      std::string_view line = text != nullptr ? reinterpret_cast<const char*>(text) : "";
      if (line == "ok") continue;
      if (count++ < 3) {
        if (!problems.empty()) problems += "; ";
        problems += line;
      }
    }
    if (rc != SQLITE_DONE) return sql_error_locked("checking integrity", rc);
    if (count > 0) {
      return Status::io_error("Offsets database " + quoted(path_) +
                              " is corrupt (integrity check: " + problems +
                              "); restore it from a backup, or " + kFixNewFile);
    }
  }

  if (version == sql::kSchemaVersion) return Status::OK();
  KANAL_RETURN_IF_ERROR(exec_locked(sql::kBeginImmediate));
  Status s;
  for (int v = version; v < sql::kSchemaVersion && s.ok(); ++v) {
    s = exec_locked(sql::kMigrations[v]);
  }
  if (s.ok() && version == 0) s = exec_locked(sql::kSetApplicationId);
  if (s.ok()) {
    s = exec_locked(
        (std::string(sql::kSetUserVersionPrefix) + std::to_string(sql::kSchemaVersion)).c_str());
  }
  if (s.ok()) s = exec_locked(sql::kCommit);
  if (!s.ok()) {
    (void)exec_locked(sql::kRollback);
    return s;
  }
  log_.info("offsets.store.migrated", {{"path", path_.string()},
                                       {"from_version", std::to_string(version)},
                                       {"to_version", std::to_string(sql::kSchemaVersion)}});
  return Status::OK();
}

Status SqliteOffsetStore::prepare_locked() {
  struct Prepared {
    detail::SqliteStmtPtr* stmt;
    const char* sql;
  };
  const Prepared all[] = {
      {&get_stmt_, sql::kGetOffset},        {&upsert_stmt_, sql::kUpsertOffset},
      {&delete_stmt_, sql::kDeleteOffset},  {&list_stmt_, sql::kListOffsets},
      {&begin_stmt_, sql::kBeginImmediate}, {&commit_stmt_, sql::kCommit},
      {&rollback_stmt_, sql::kRollback},
  };
  for (const auto& p : all) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), p.sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    p.stmt->reset(raw);
    if (rc != SQLITE_OK) return sql_error_locked("preparing statements", rc);
  }
  return Status::OK();
}

Status SqliteOffsetStore::exec_locked(const char* sql) {
  int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sql_error_locked("executing '" + std::string(sql) + "'", rc);
  return Status::OK();
}

Status SqliteOffsetStore::sql_error_locked(std::string_view action, int rc) const {
  std::string detail = db_ != nullptr ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(rc);
  int sys_errno = db_ != nullptr ? sqlite3_system_errno(db_.get()) : 0;
  if (sys_errno != 0) {
    detail += " (";
    detail += std::strerror(sys_errno);
    detail += ")";
  }
  const std::string where = "Offsets database " + quoted(path_);
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
      return Status::invalid_argument("Offsets file " + quoted(path_) +
                                      " is not a SQLite database (" + detail + "); " + kFixNewFile);
    case SQLITE_CORRUPT:
      return Status::io_error(where + " is corrupt (" + detail +
                              "); restore it from a backup, or " + kFixNewFile);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::io_error(where +
                              " is in use by another process (another kanal worker?); stop "
                              "that process or point offset.storage.file.filename at another "
                              "file");
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      return Status::io_error("Cannot open offsets database " + quoted(path_) + " (" + detail +
                              "); fix its permissions or point offset.storage.file.filename at "
                              "another file");
    case SQLITE_FULL:
    case SQLITE_IOERR:
      return Status::unavailable(where + ": " + std::string(action) + " failed: " + detail);
    default:
      return Status::internal(where + ": " + std::string(action) + " failed: " + detail);
  }
}

Result<std::map<std::string, std::optional<std::string>>> SqliteOffsetStore::get(
    std::span<const std::string> keys) {
  std::map<std::string, std::optional<std::string>> out;
  std::lock_guard<std::mutex> lock(mu_);
  if (db_ == nullptr) return Status::internal("Offsets database " + quoted(path_) + " is closed");
  for (const auto& key : keys) {
    sqlite3_stmt* stmt = get_stmt_.get();
    StepGuard guard(stmt);
    int rc = bind_blob(stmt, 1, key);
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      out[key] = column_bytes(stmt, 0);
    } else if (rc == SQLITE_DONE) {
      out.try_emplace(key);
    } else {
      return sql_error_locked("reading an offset", rc);
    }
  }
  return out;
}

Status SqliteOffsetStore::set(std::span<const OffsetEntry> entries) {
  if (entries.empty()) return Status::OK();
  // Decode outside the lock: only the connector name is kept, for the `connector` column.
  std::vector<std::string> connectors;
  connectors.reserve(entries.size());
  for (const auto& e : entries) {
    auto key = decode_offset_key(e.key);
    if (!key.ok()) {
      return key.status().with_context("Refusing to store source offsets with the key '" + e.key +
                                       "'");
    }
    connectors.push_back(std::move(key->connector));
  }
  const int64_t updated_ms = now_ms();

  std::lock_guard<std::mutex> lock(mu_);
  if (db_ == nullptr) return Status::internal("Offsets database " + quoted(path_) + " is closed");
  {
    StepGuard guard(begin_stmt_.get());
    int rc = sqlite3_step(begin_stmt_.get());
    if (rc != SQLITE_DONE) return sql_error_locked("starting a transaction", rc);
  }
  auto write_all = [&]() -> Status {
    for (size_t i = 0; i < entries.size(); ++i) {
      const OffsetEntry& e = entries[i];
      int rc;
      if (e.value.has_value()) {
        sqlite3_stmt* stmt = upsert_stmt_.get();
        StepGuard guard(stmt);
        rc = bind_blob(stmt, 1, e.key);
        if (rc == SQLITE_OK) rc = bind_text(stmt, 2, connectors[i]);
        if (rc == SQLITE_OK) rc = bind_blob(stmt, 3, *e.value);
        if (rc == SQLITE_OK) rc = sqlite3_bind_int64(stmt, 4, updated_ms);
        if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
      } else {
        sqlite3_stmt* stmt = delete_stmt_.get();
        StepGuard guard(stmt);
        rc = bind_blob(stmt, 1, e.key);
        if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
      }
      if (rc != SQLITE_DONE) return sql_error_locked("writing an offset", rc);
    }
    StepGuard guard(commit_stmt_.get());
    int rc = sqlite3_step(commit_stmt_.get());
    if (rc != SQLITE_DONE) return sql_error_locked("committing offsets", rc);
    return Status::OK();
  };
  Status s = write_all();
  if (!s.ok() && sqlite3_get_autocommit(db_.get()) == 0) {
    StepGuard guard(rollback_stmt_.get());
    (void)sqlite3_step(rollback_stmt_.get());
  }
  return s;
}

Result<std::vector<StoredOffset>> SqliteOffsetStore::list(std::string_view connector) {
  std::vector<std::pair<std::string, std::string>> rows;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (db_ == nullptr) {
      return Status::internal("Offsets database " + quoted(path_) + " is closed");
    }
    sqlite3_stmt* stmt = list_stmt_.get();
    StepGuard guard(stmt);
    int rc = bind_text(stmt, 1, connector);
    if (rc == SQLITE_OK) {
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        rows.emplace_back(column_bytes(stmt, 0), column_bytes(stmt, 1));
      }
    }
    if (rc != SQLITE_DONE) return sql_error_locked("listing offsets", rc);
  }

  std::vector<StoredOffset> out;
  out.reserve(rows.size());
  for (auto& [key_bytes, value_bytes] : rows) {
    auto key = decode_offset_key(key_bytes);
    auto value = key.ok() ? decode_offset_value(value_bytes)
                          : Result<std::optional<data::OrderedMap>>(key.status());
    if (!value.ok() || !value->has_value()) {
      log_.warn("offsets.entry.skipped",
                {{"path", path_.string()},
                 {"key", key_bytes},
                 {"error", value.ok() ? "value is null" : value.status().message()}});
      continue;
    }
    out.push_back(StoredOffset{std::move(key_bytes), std::move(value_bytes),
                               std::move(key->partition), std::move(**value)});
  }
  return out;
}

}  // namespace kanal::storage
