// SqliteOffsetStore: the standalone worker's offsets file.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "storage/offset_codec.h"
#include "storage/sqlite_offset_store.h"
#include "support/temp_dir.h"

namespace kanal::storage {
namespace {

using data::OrderedMap;
using data::Value;
using testing::TempDir;

std::string key_for(std::string_view connector, std::string_view file) {
  auto key = encode_offset_key(connector, OrderedMap{{"filename", Value::string(file)}});
  return key.ok() ? *key : std::string();
}

std::string position(int64_t n) {
  auto value = encode_offset_value(OrderedMap{{"position", Value::int64(n)}});
  return value.ok() ? *value : std::string();
}

std::optional<std::string> get_one(OffsetBackingStore& store, const std::string& key) {
  std::vector<std::string> keys{key};
  auto got = store.get(keys);
  EXPECT_TRUE(got.ok()) << got.status().to_string();
  if (!got.ok()) return std::nullopt;
  EXPECT_EQ(got->count(key), 1u);
  return got->at(key);
}

// Runs `sql` on a database of our own making, outside the store under test.
void run_sql(const std::filesystem::path& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  std::string message = err != nullptr ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

void write_bytes(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A store with enough rows to span many pages, closed again.
void fill_database(const std::filesystem::path& path) {
  SqliteOffsetStore store(path);
  ASSERT_TRUE(store.start().ok());
  std::vector<OffsetEntry> entries;
  for (int i = 0; i < 400; ++i) {
    entries.push_back({key_for("filler", "/data/file-" + std::to_string(i) + std::string(100, 'x')),
                       position(i)});
  }
  ASSERT_TRUE(store.set(entries).ok());
  store.stop();
}

class SqliteOffsetStoreTest : public ::testing::Test {
 protected:
  TempDir dir_{"offsets-store"};
  std::filesystem::path path_ = dir_ / "offsets.db";
};

TEST_F(SqliteOffsetStoreTest, ReturnsWhatWasSetAndNulloptForUnknownKeys) {
  SqliteOffsetStore store(path_);
  ASSERT_TRUE(store.start().ok());
  std::vector<OffsetEntry> entries{{key_for("src", "a.txt"), position(10)},
                                   {key_for("src", "b.txt"), position(20)}};

  ASSERT_TRUE(store.set(entries).ok());
  std::vector<std::string> keys{key_for("src", "a.txt"), key_for("src", "b.txt"),
                                key_for("src", "c.txt")};
  auto got = store.get(keys);

  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(got->size(), 3u);
  EXPECT_EQ(got->at(keys[0]), position(10));
  EXPECT_EQ(got->at(keys[1]), position(20));
  EXPECT_EQ(got->at(keys[2]), std::nullopt);
}

TEST_F(SqliteOffsetStoreTest, KeepsOffsetsAfterReopen) {
  {
    SqliteOffsetStore store(path_);
    ASSERT_TRUE(store.start().ok());
    std::vector<OffsetEntry> entries{{key_for("src", "a.txt"), position(1)}};
    ASSERT_TRUE(store.set(entries).ok());
    entries[0].value = position(2048);
    ASSERT_TRUE(store.set(entries).ok());
    store.stop();
  }

  SqliteOffsetStore reopened(path_);
  ASSERT_TRUE(reopened.start().ok());

  EXPECT_EQ(get_one(reopened, key_for("src", "a.txt")), position(2048));
}

TEST_F(SqliteOffsetStoreTest, DeletesKeyWhenValueIsTombstone) {
  SqliteOffsetStore store(path_);
  ASSERT_TRUE(store.start().ok());
  std::vector<OffsetEntry> entries{{key_for("src", "a.txt"), position(5)}};
  ASSERT_TRUE(store.set(entries).ok());

  entries[0].value = std::nullopt;
  ASSERT_TRUE(store.set(entries).ok());

  EXPECT_EQ(get_one(store, key_for("src", "a.txt")), std::nullopt);
  auto listed = store.list("src");
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
}

TEST_F(SqliteOffsetStoreTest, ListsOnlyTheConnectorsOffsetsDecoded) {
  SqliteOffsetStore store(path_);
  ASSERT_TRUE(store.start().ok());
  std::vector<OffsetEntry> entries{{key_for("src", "a.txt"), position(1)},
                                   {key_for("other", "a.txt"), position(2)},
                                   {key_for("src", "b.txt"), position(3)}};
  ASSERT_TRUE(store.set(entries).ok());

  auto listed = store.list("src");

  ASSERT_TRUE(listed.ok()) << listed.status().to_string();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].key, key_for("src", "a.txt"));
  EXPECT_EQ((*listed)[0].partition, (OrderedMap{{"filename", Value::string("a.txt")}}));
  EXPECT_EQ((*listed)[0].offset, (OrderedMap{{"position", Value::int64(1)}}));
  EXPECT_EQ((*listed)[1].partition, (OrderedMap{{"filename", Value::string("b.txt")}}));
  EXPECT_EQ((*listed)[1].value, position(3));
}

TEST_F(SqliteOffsetStoreTest, RejectsWholeSetWhenOneKeyIsMalformed) {
  SqliteOffsetStore store(path_);
  ASSERT_TRUE(store.start().ok());
  std::vector<OffsetEntry> entries{{key_for("src", "a.txt"), position(1)},
                                   {R"({"not":"a key"})", position(2)}};

  Status s = store.set(entries);

  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(get_one(store, key_for("src", "a.txt")), std::nullopt);
}

TEST_F(SqliteOffsetStoreTest, FailsToStartWhenFileIsAnotherApplicationsDatabase) {
  run_sql(path_, "CREATE TABLE users (id INTEGER); CREATE TABLE orders (id INTEGER);");
  SqliteOffsetStore store(path_);

  Status s = store.start();

  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "Offsets database '" + path_.string() +
                             "' is a SQLite database but not a kanal offsets database (it holds "
                             "tables orders, users); point offset.storage.file.filename at a new "
                             "file, or remove this one (its source offsets are then lost and "
                             "source connectors start from scratch)");
}

TEST_F(SqliteOffsetStoreTest, FailsToStartWhenDatabaseHasAnotherApplicationId) {
  run_sql(path_, "PRAGMA application_id = 42;");
  SqliteOffsetStore store(path_);

  Status s = store.start();

  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("not a kanal offsets database (it belongs to the application with "
                             "id 0x0000002A)"),
            std::string::npos)
      << s.message();
}

TEST_F(SqliteOffsetStoreTest, FailsToStartWhenFileIsNotSqlite) {
  write_bytes(path_, "filename=/tmp/in.txt position=2048\n");
  SqliteOffsetStore store(path_);

  Status s = store.start();

  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "Offsets file '" + path_.string() +
                             "' is not a SQLite database; point offset.storage.file.filename "
                             "at a new file, or remove this one (its source offsets are then "
                             "lost and source connectors start from scratch)");
}

TEST_F(SqliteOffsetStoreTest, NamesJavaWorkerFileWhenFileIsJavaSerialized) {
  static constexpr char kJavaSerialized[] = "\xAC\xED\x00\x05sr\x00\x11java.util.HashMap";
  write_bytes(path_, std::string_view(kJavaSerialized, sizeof kJavaSerialized - 1));
  SqliteOffsetStore store(path_);

  Status s = store.start();

  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("Java Kafka Connect standalone worker's offsets"), std::string::npos)
      << s.message();
}

TEST_F(SqliteOffsetStoreTest, FailsToStartWhenFileIsTruncated) {
  fill_database(path_);
  std::filesystem::resize_file(path_, std::filesystem::file_size(path_) / 2);
  SqliteOffsetStore store(path_);

  Status s = store.start();

  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("'" + path_.string() + "' is corrupt"), std::string::npos)
      << s.message();
}

TEST_F(SqliteOffsetStoreTest, FailsToStartWhenPagesAreCorrupt) {
  fill_database(path_);
  {
    std::fstream f(path_, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(4096);  // page 2 onwards: the b-tree roots of the offsets table and its indexes
    std::string garbage(3 * 4096, '\xA5');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  SqliteOffsetStore store(path_);

  Status s = store.start();

  EXPECT_EQ(s.code(), Status::Code::kIo);
  EXPECT_NE(s.message().find("'" + path_.string() + "' is corrupt"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("restore it from a backup"), std::string::npos);
}

TEST_F(SqliteOffsetStoreTest, FailsToStartWhenFileIsUnreadable) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  fill_database(path_);
  ::chmod(path_.c_str(), 0);
  SqliteOffsetStore store(path_);

  Status s = store.start();

  EXPECT_EQ(s.code(), Status::Code::kIo);
  EXPECT_NE(s.message().find("Cannot read offsets database '" + path_.string() + "'"),
            std::string::npos)
      << s.message();
}

TEST_F(SqliteOffsetStoreTest, FailsToStartWhenPathIsADirectory) {
  std::filesystem::create_directory(path_);
  SqliteOffsetStore store(path_);

  Status s = store.start();

  EXPECT_EQ(s.code(), Status::Code::kIo);
  EXPECT_NE(s.message().find("is a directory"), std::string::npos) << s.message();
}

TEST_F(SqliteOffsetStoreTest, FailsToStartWhenDirectoryIsMissing) {
  SqliteOffsetStore store(dir_ / "missing" / "offsets.db");

  Status s = store.start();

  EXPECT_EQ(s.code(), Status::Code::kIo);
  EXPECT_NE(s.message().find("does not exist"), std::string::npos) << s.message();
}

TEST_F(SqliteOffsetStoreTest, FailsToStartWhenAnotherStoreHoldsTheFile) {
  fill_database(path_);  // an existing file: opening it writes nothing, yet must lock it
  SqliteOffsetStore first(path_);
  ASSERT_TRUE(first.start().ok());
  SqliteOffsetStore second(path_);

  Status s = second.start();

  EXPECT_EQ(s.code(), Status::Code::kIo);
  EXPECT_NE(s.message().find("is in use by another process"), std::string::npos) << s.message();
}

TEST_F(SqliteOffsetStoreTest, FailsToStartWhenWrittenByNewerKanal) {
  {
    SqliteOffsetStore store(path_);
    ASSERT_TRUE(store.start().ok());
  }
  run_sql(path_, "PRAGMA user_version = 99;");
  SqliteOffsetStore store(path_);

  Status s = store.start();

  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("has format version 99, written by a newer kanal"), std::string::npos)
      << s.message();
}

TEST_F(SqliteOffsetStoreTest, AdoptsEmptyFile) {
  write_bytes(path_, "");
  SqliteOffsetStore store(path_);

  ASSERT_TRUE(store.start().ok());
  std::vector<OffsetEntry> entries{{key_for("src", "a.txt"), position(1)}};

  EXPECT_TRUE(store.set(entries).ok());
}

TEST_F(SqliteOffsetStoreTest, FailsCallsAfterStop) {
  SqliteOffsetStore store(path_);
  ASSERT_TRUE(store.start().ok());
  store.stop();
  std::vector<OffsetEntry> entries{{key_for("src", "a.txt"), position(1)}};

  Status s = store.set(entries);

  EXPECT_FALSE(s.ok());
}

// Kills a child that writes offsets in a loop; every set() the child reported as done must be
// in the file afterwards, and each set() must be all-or-nothing.
TEST_F(SqliteOffsetStoreTest, KeepsEveryAcknowledgedSetWhenWriterIsKilled) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string key_a = key_for("src", "a.txt");
  const std::string key_b = key_for("src", "b.txt");
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    SqliteOffsetStore store(path_);
    if (!store.start().ok()) ::_exit(2);
    for (int64_t n = 1;; ++n) {
      std::vector<OffsetEntry> entries{{key_a, position(n)}, {key_b, position(n)}};
      if (!store.set(entries).ok()) ::_exit(3);
      if (::write(fds[1], &n, sizeof n) != sizeof n) ::_exit(4);
    }
  }
  ::close(fds[1]);
  int64_t last_acked = 0;
  int64_t n = 0;
  while (last_acked < 50 && ::read(fds[0], &n, sizeof n) == sizeof n) last_acked = n;

  ::kill(child, SIGKILL);
  int wstatus = 0;
  ::waitpid(child, &wstatus, 0);
  while (::read(fds[0], &n, sizeof n) == sizeof n) last_acked = n;
  ::close(fds[0]);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "writer exited early with " << WEXITSTATUS(wstatus);

  SqliteOffsetStore store(path_);
  Status started = store.start();
  ASSERT_TRUE(started.ok()) << started.to_string();
  auto a = get_one(store, key_a);
  auto b = get_one(store, key_b);
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(*a, *b) << "one set() was applied in part";
  auto decoded = decode_offset_value(*a);
  ASSERT_TRUE(decoded.ok() && decoded->has_value());
  int64_t stored = (*decoded)->find("position")->as_int64();
  EXPECT_GE(stored, last_acked);
  EXPECT_LE(stored, last_acked + 1);  // at most the set() in progress when killed
}

}  // namespace
}  // namespace kanal::storage
