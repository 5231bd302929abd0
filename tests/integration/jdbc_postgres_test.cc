// The JDBC connectors' PostgreSQL layer (libpq) against a real server from
// tests/support/postgres_server.h: typed round trips, metadata, the database's own errors and a
// lost connection.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "connectors/jdbc/database.h"
#include "connectors/jdbc/sql_builder.h"
#include "support/assertions.h"
#include "support/postgres_server.h"

namespace kanal::jdbc {
namespace {

using kanal::testing::is_ok;
using kanal::testing::PostgresServer;

class JdbcPostgresTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!PostgresServer::bin_dir()) return;
    auto s = PostgresServer::start();
    ASSERT_TRUE(is_ok(s));
    server_ = std::move(*s).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (!PostgresServer::bin_dir()) GTEST_SKIP() << "PostgreSQL server binaries not installed";
    ASSERT_NE(server_, nullptr);
  }
  static std::unique_ptr<Database> open(const std::string& password = PostgresServer::kPassword) {
    return open_database(
        parse_connection_url(server_->jdbc_url(), PostgresServer::kUser, password));
  }

  static PostgresServer* server_;
};

PostgresServer* JdbcPostgresTest::server_ = nullptr;

TEST_F(JdbcPostgresTest, RoundTripsEveryMappedType) {
  auto db = open();
  db->execute("DROP TABLE IF EXISTS types", {});
  db->execute(
      "CREATE TABLE types (id BIGSERIAL PRIMARY KEY, s SMALLINT, i INT NOT NULL, f REAL, "
      "d DOUBLE PRECISION, n NUMERIC(10,3), t TEXT, b BYTEA, day DATE, tod TIME, "
      "at TIMESTAMP, atz TIMESTAMPTZ, ok BOOLEAN)",
      {});

  db->execute(
      build_insert(DbKind::kPostgres, "types",
                   {"s", "i", "f", "d", "n", "t", "b", "day", "tod", "at", "atz", "ok"}),
      {Cell::integer(7), Cell::integer(-3), Cell::real(1.5), Cell::real(2.25), Cell::text("12.345"),
       Cell::text("héllo"), Cell::blob(std::string("\0\xff", 2)), Cell::text("2024-03-01"),
       Cell::text("10:11:12.5"), Cell::text("2024-03-01 10:11:12.123456"),
       Cell::text("2024-03-01 10:11:12+02"), Cell::text("true")});
  ResultSet rs = db->query("SELECT * FROM types WHERE i = $1", {Cell::integer(-3)});

  ASSERT_EQ(rs.rows.size(), 1u);
  const auto& r = rs.rows[0];
  EXPECT_EQ(r[0].i, 1);
  EXPECT_EQ(r[1].i, 7);
  EXPECT_EQ(r[3].kind, Cell::Kind::kReal);
  EXPECT_EQ(r[5].s, "12.345");
  EXPECT_EQ(rs.columns[5].type_name, "numeric");
  EXPECT_EQ(rs.columns[5].scale, 3);
  EXPECT_EQ(r[6].s, "héllo");
  EXPECT_EQ(r[7].kind, Cell::Kind::kBlob);
  EXPECT_EQ(r[7].s, std::string("\0\xff", 2));
  EXPECT_EQ(r[8].s, "2024-03-01");
  EXPECT_EQ(r[9].s, "10:11:12.5");
  EXPECT_EQ(r[10].s, "2024-03-01 10:11:12.123456");
  EXPECT_EQ(r[11].s, "2024-03-01 08:11:12+00");  // the session runs in UTC
  EXPECT_EQ(r[12].i, 1);
  EXPECT_EQ(connect_type_for_column(DbKind::kPostgres, rs.columns[2]).kind, SqlKind::kInt32);
  auto cols = db->table_columns("types");
  ASSERT_EQ(cols.size(), 13u);
  EXPECT_FALSE(cols[0].nullable);
  EXPECT_FALSE(cols[2].nullable);
  EXPECT_TRUE(cols[1].nullable);
  EXPECT_EQ(cols[5].scale, 3);
  EXPECT_EQ(db->table_columns("public.types").size(), 13u);
  EXPECT_TRUE(db->table_columns("nope").empty());
}

TEST_F(JdbcPostgresTest, UpsertsWithOnConflict) {
  auto db = open();
  db->execute("DROP TABLE IF EXISTS kv", {});
  db->execute(
      build_create_table(DbKind::kPostgres, "kv",
                         {{"k", {SqlKind::kString}, false}, {"v", {SqlKind::kInt64}, true}}, {"k"}),
      {});
  std::string upsert = build_upsert(DbKind::kPostgres, "kv", {"k"}, {"v"});

  db->execute(upsert, {Cell::text("a"), Cell::integer(1)});
  db->execute(upsert, {Cell::text("a"), Cell::integer(2)});
  db->execute(build_add_column(DbKind::kPostgres, "kv", {"note", {SqlKind::kString}, true}), {});

  ResultSet rs = db->query("SELECT k, v, note FROM kv", {});
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_EQ(rs.rows[0][1].i, 2);
  EXPECT_TRUE(rs.rows[0][2].is_null());
  EXPECT_EQ(db->list_tables(), (std::vector<std::string>{"kv", "types"}));
}

TEST_F(JdbcPostgresTest, WrongPasswordFailsWithTheServersMessage) {
  try {
    open("wrong");
    FAIL() << "connected with a wrong password";
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("password authentication failed for user \"kanal\""),
              std::string::npos)
        << e.what();
  }
}

TEST_F(JdbcPostgresTest, ReportsLostConnectionWhenServerStops) {
  auto db = open();
  db->query("SELECT 1", {});

  ASSERT_TRUE(is_ok(server_->stop()));
  bool lost = false;
  try {
    db->query("SELECT 1", {});
  } catch (const DbError& e) {
    lost = e.connection_lost();
  }
  ASSERT_TRUE(is_ok(server_->restart()));

  EXPECT_TRUE(lost);
  EXPECT_EQ(open()->query("SELECT 1", {}).rows.size(), 1u);
}

}  // namespace
}  // namespace kanal::jdbc
