// SqliteOffsetStore: the standalone worker's source offsets, in a SQLite database.
//
// `offset.storage.file.filename` names the database file. Java's standalone worker writes a
// Java-serialized HashMap there instead; the two formats are not interchangeable (spec 13), and
// start() says so when pointed at a Java file. Keys and values are the offsets topic's bytes,
// so moving offsets between a standalone and a distributed worker is a copy of rows.
//
// Durability: WAL journal, synchronous=FULL, one transaction per set(): when set() returns OK the
// entries survive kill -9 and power loss; a crash mid-set() leaves none of them applied. The file
// is held with an exclusive lock while started, so a second worker on the same file fails to
// start instead of mixing offsets.
//
// Thread-safe: calls are serialized by an internal mutex (offset flushes are rare; no call is
// on the record path).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "common/log.h"
#include "storage/offset_store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace kanal::storage {

namespace detail {
// Keep <sqlite3.h> out of this header; both are defined in sqlite_offset_store.cc.
struct SqliteDeleter {
  void operator()(sqlite3* db) const noexcept;  // sqlite3_close_v2
};
struct SqliteStmtDeleter {
  void operator()(sqlite3_stmt* stmt) const noexcept;  // sqlite3_finalize
};
using SqlitePtr = std::unique_ptr<sqlite3, SqliteDeleter>;
using SqliteStmtPtr = std::unique_ptr<sqlite3_stmt, SqliteStmtDeleter>;
}  // namespace detail

class SqliteOffsetStore final : public OffsetBackingStore {
 public:
  // The file is not touched until start().
  explicit SqliteOffsetStore(std::filesystem::path path);
  ~SqliteOffsetStore() override;
  SqliteOffsetStore(const SqliteOffsetStore&) = delete;
  SqliteOffsetStore& operator=(const SqliteOffsetStore&) = delete;

  // Opens the database, creating it (and its schema) when the file is absent or empty, and
  // upgrading an older kanal schema in place. Errors name the file and the fix:
  //   kIo: the file cannot be opened or read, is corrupt, or is in use by another process;
  //   kInvalidArgument: the file is not SQLite (e.g. a Java worker's offsets file), is another
  //     application's SQLite database, or was written by a newer kanal.
  Status start() override;
  void stop() override;

  Result<std::map<std::string, std::optional<std::string>>> get(
      std::span<const std::string> keys) override;
  // Errors: kInvalidArgument for a malformed key; kUnavailable (retriable) when the disk is full
  // or an I/O error occurred; kInternal otherwise, or when the store is not started.
  Status set(std::span<const OffsetEntry> entries) override;
  Result<std::vector<StoredOffset>> list(std::string_view connector) override;

  const std::filesystem::path& path() const { return path_; }

 private:
  Status open_locked();
  Status check_ownership_locked();
  Status migrate_locked();
  Status prepare_locked();
  Status exec_locked(const char* sql);
  Status sql_error_locked(std::string_view action, int rc) const;
  void close_locked();

  const std::filesystem::path path_;
  const log::Logger log_;

  mutable std::mutex mu_;
  // Owner first: statements must be finalized before the connection closes.
  detail::SqlitePtr db_;                 // guarded by mu_
  detail::SqliteStmtPtr get_stmt_;       // guarded by mu_
  detail::SqliteStmtPtr upsert_stmt_;    // guarded by mu_
  detail::SqliteStmtPtr delete_stmt_;    // guarded by mu_
  detail::SqliteStmtPtr list_stmt_;      // guarded by mu_
  detail::SqliteStmtPtr begin_stmt_;     // guarded by mu_
  detail::SqliteStmtPtr commit_stmt_;    // guarded by mu_
  detail::SqliteStmtPtr rollback_stmt_;  // guarded by mu_
};

}  // namespace kanal::storage
