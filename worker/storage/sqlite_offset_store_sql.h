// The SQL of SqliteOffsetStore, as named constants (fluent-bit's tail_sql.h).
//
// The file is identified as kanal's by PRAGMA application_id = kOffsetsApplicationId; its schema
// version is PRAGMA user_version. Migrations are numbered and additive: kMigrations[n] takes a
// database from version n to n + 1, growing the schema with CREATE and ALTER TABLE ... ADD COLUMN
// only, so an older kanal's rows are always readable by a newer one. Never edit a released
// migration; append one.
#pragma once

#include <cstdint>
#include <iterator>

namespace kanal::storage::sql {

// "knlo" in ASCII.
inline constexpr int32_t kOffsetsApplicationId = 0x6B6E6C6F;

// Read before anything else: the first statement that touches the file tells whether it is
// SQLite at all.
inline constexpr const char kReadApplicationId[] = "PRAGMA application_id";
inline constexpr const char kReadUserVersion[] = "PRAGMA user_version";
inline constexpr const char kListTables[] =
    "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name";
inline constexpr const char kQuickCheck[] = "PRAGMA quick_check";

// Must run before the first WAL access: with it, SQLite keeps the WAL index in process memory
// and holds the file lock until close, so a second process cannot open the database.
inline constexpr const char kExclusiveLocking[] = "PRAGMA locking_mode = EXCLUSIVE";
inline constexpr const char kJournalModeWal[] = "PRAGMA journal_mode = WAL";
// FULL: in WAL mode NORMAL survives a process crash but may lose the last commits on power loss.
// Offsets are flushed once per offset.flush.interval.ms (60 s by default), so one fsync per
// flush costs nothing measurable and set() returning OK means durable.
inline constexpr const char kSynchronousFull[] = "PRAGMA synchronous = FULL";
inline constexpr const char kSetApplicationId[] = "PRAGMA application_id = 1802398831";
static_assert(kOffsetsApplicationId == 1802398831);
// Followed by the version number; PRAGMA takes no bound parameters.
inline constexpr const char kSetUserVersionPrefix[] = "PRAGMA user_version = ";

inline constexpr const char kBeginImmediate[] = "BEGIN IMMEDIATE";
inline constexpr const char kCommit[] = "COMMIT";
inline constexpr const char kRollback[] = "ROLLBACK";

// Version 0 -> 1. `key` and `value` are the offsets topic's record bytes; `connector` is the
// first element of the key, kept in a column so list() reads one connector's rows by index.
inline constexpr const char kMigration1[] =
    "CREATE TABLE source_offsets ("
    "  key BLOB NOT NULL PRIMARY KEY,"
    "  connector TEXT NOT NULL,"
    "  value BLOB NOT NULL,"
    "  updated_ms INTEGER NOT NULL"
    ");"
    "CREATE INDEX source_offsets_by_connector ON source_offsets (connector);";

inline constexpr const char* kMigrations[] = {kMigration1};
inline constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

inline constexpr const char kGetOffset[] = "SELECT value FROM source_offsets WHERE key = ?1";
// The row keeps its rowid (and so its place in list()) when its value changes.
inline constexpr const char kUpsertOffset[] =
    "INSERT INTO source_offsets (key, connector, value, updated_ms) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms";
inline constexpr const char kDeleteOffset[] = "DELETE FROM source_offsets WHERE key = ?1";
inline constexpr const char kListOffsets[] =
    "SELECT key, value FROM source_offsets WHERE connector = ?1 ORDER BY rowid";

}  // namespace kanal::storage::sql
