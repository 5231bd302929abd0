// The SDK-free core of the JDBC connectors: URLs, SQL text per database, type mapping, value
// codecs, and the SQLite database layer against real files in temporary directories.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "connectors/jdbc/database.h"
#include "connectors/jdbc/sql_builder.h"
#include "connectors/jdbc/value_codec.h"
#include "support/temp_dir.h"

namespace kanal::jdbc {
namespace {

using kanal::testing::TempDir;

TEST(JdbcUrlTest, ParsesSqliteUrl) {
  ConnectionSpec s = parse_connection_url("jdbc:sqlite:/tmp/x.db");

  EXPECT_EQ(s.kind, DbKind::kSqlite);
  EXPECT_EQ(s.sqlite_path, "/tmp/x.db");
}

TEST(JdbcUrlTest, ParsesPostgresUrlWithParametersAndLetsSettingsWin) {
  ConnectionSpec s =
      parse_connection_url("jdbc:postgresql://db.local:6543/shop?user=u&password=p%40ss");
  ConnectionSpec o = parse_connection_url("jdbc:postgresql://db.local/shop?user=u", "admin", "pw");

  EXPECT_EQ(s.kind, DbKind::kPostgres);
  EXPECT_EQ(s.host, "db.local");
  EXPECT_EQ(s.port, "6543");
  EXPECT_EQ(s.database, "shop");
  EXPECT_EQ(s.user, "u");
  EXPECT_EQ(s.password, "p@ss");
  EXPECT_EQ(o.port, "5432");
  EXPECT_EQ(o.user, "admin");
  EXPECT_EQ(o.password, "pw");
}

TEST(JdbcUrlTest, RejectsOtherDatabases) {
  EXPECT_THROW(parse_connection_url("jdbc:mysql://h/db"), std::invalid_argument);
  EXPECT_THROW(parse_connection_url("jdbc:sqlite:"), std::invalid_argument);
  EXPECT_THROW(parse_connection_url("jdbc:postgresql://h:5432/"), std::invalid_argument);
}

TEST(JdbcSqlTest, QuotesIdentifiersAndSchemaQualifiedTables) {
  EXPECT_EQ(quote_identifier(DbKind::kPostgres, "we\"ird"), "\"we\"\"ird\"");
  EXPECT_EQ(quote_table(DbKind::kPostgres, "public.orders"), "\"public\".\"orders\"");
  EXPECT_EQ(quote_table(DbKind::kSqlite, "orders"), "\"orders\"");
}

TEST(JdbcSqlTest, BuildsIncrementingQueryPerDatabase) {
  SourceQuerySpec s{DbKind::kPostgres, SourceMode::kIncrementing, "orders", "", "id", {}, 100};

  EXPECT_EQ(build_source_query(s),
            "SELECT * FROM \"orders\" WHERE \"id\" > $1 ORDER BY \"id\" ASC LIMIT 100");
  s.db = DbKind::kSqlite;
  EXPECT_EQ(build_source_query(s),
            "SELECT * FROM \"orders\" WHERE \"id\" > ?1 ORDER BY \"id\" ASC LIMIT 100");
}

TEST(JdbcSqlTest, BuildsTimestampIncrementingQueryOverCustomQuery) {
  SourceQuerySpec s{DbKind::kPostgres,
                    SourceMode::kTimestampIncrementing,
                    "",
                    "SELECT * FROM t",
                    "id",
                    {"updated"},
                    10};

  EXPECT_EQ(build_source_query(s),
            "SELECT * FROM (SELECT * FROM t) AS kanal_query WHERE \"updated\" < $2 AND "
            "((\"updated\" = $1 AND \"id\" > $3) OR \"updated\" > $1) ORDER BY \"updated\", "
            "\"id\" ASC LIMIT 10");
}

TEST(JdbcSqlTest, NormalisesSqliteTimestampsAndCoalescesSeveralColumns) {
  SourceQuerySpec s{DbKind::kSqlite, SourceMode::kTimestamp, "t", "", "", {"a", "b"}, 10};

  EXPECT_EQ(build_source_query(s),
            "SELECT * FROM \"t\" WHERE strftime('%Y-%m-%d %H:%M:%f', COALESCE(\"a\", \"b\")) > ?1 "
            "AND strftime('%Y-%m-%d %H:%M:%f', COALESCE(\"a\", \"b\")) < ?2 ORDER BY "
            "strftime('%Y-%m-%d %H:%M:%f', COALESCE(\"a\", \"b\")) ASC");
}

TEST(JdbcSqlTest, BuildsSinkStatements) {
  EXPECT_EQ(build_upsert(DbKind::kPostgres, "t", {"id"}, {"name", "n"}),
            "INSERT INTO \"t\" (\"id\", \"name\", \"n\") VALUES ($1, $2, $3) ON CONFLICT "
            "(\"id\") DO UPDATE SET \"name\" = excluded.\"name\", \"n\" = excluded.\"n\"");
  EXPECT_EQ(build_upsert(DbKind::kSqlite, "t", {"id"}, {}),
            "INSERT INTO \"t\" (\"id\") VALUES (?1) ON CONFLICT (\"id\") DO NOTHING");
  EXPECT_EQ(build_update(DbKind::kPostgres, "t", {"a", "b"}, {"c"}),
            "UPDATE \"t\" SET \"c\" = $1 WHERE \"a\" = $2 AND \"b\" = $3");
  EXPECT_EQ(build_delete(DbKind::kSqlite, "t", {"id"}), "DELETE FROM \"t\" WHERE \"id\" = ?1");
  EXPECT_EQ(build_create_table(DbKind::kPostgres, "t",
                               {{"id", {SqlKind::kInt64}, false},
                                {"price", {SqlKind::kDecimal, 2}, true},
                                {"at", {SqlKind::kTimestamp}, true}},
                               {"id"}),
            "CREATE TABLE \"t\" (\"id\" BIGINT NOT NULL, \"price\" DECIMAL, \"at\" TIMESTAMP, "
            "PRIMARY KEY(\"id\"))");
  EXPECT_EQ(build_add_column(DbKind::kSqlite, "t", {"note", {SqlKind::kString}, true}),
            "ALTER TABLE \"t\" ADD COLUMN \"note\" TEXT");
}

TEST(JdbcTypesTest, MapsColumnTypesToConnectTypes) {
  auto pg = [](std::string t, int32_t scale = -1) {
    ColumnMeta c;
    c.type_name = std::move(t);
    c.scale = scale;
    return connect_type_for_column(DbKind::kPostgres, c);
  };
  auto lite = [](std::string t) {
    ColumnMeta c;
    c.type_name = std::move(t);
    return connect_type_for_column(DbKind::kSqlite, c);
  };

  EXPECT_EQ(pg("int2").kind, SqlKind::kInt16);
  EXPECT_EQ(pg("int4").kind, SqlKind::kInt32);
  EXPECT_EQ(pg("int8").kind, SqlKind::kInt64);
  EXPECT_EQ(pg("float4").kind, SqlKind::kFloat32);
  EXPECT_EQ(pg("numeric", 3).kind, SqlKind::kDecimal);
  EXPECT_EQ(pg("numeric", 3).scale, 3);
  EXPECT_EQ(pg("bytea").kind, SqlKind::kBytes);
  EXPECT_EQ(pg("timestamptz").kind, SqlKind::kTimestamp);
  EXPECT_EQ(pg("bool").kind, SqlKind::kBoolean);
  EXPECT_EQ(pg("varchar").kind, SqlKind::kString);
  EXPECT_EQ(lite("integer").kind, SqlKind::kInt64);
  EXPECT_EQ(lite("numeric(10,2)").kind, SqlKind::kDecimal);
  EXPECT_EQ(lite("numeric(10,2)").scale, 2);
  EXPECT_EQ(lite("datetime").kind, SqlKind::kTimestamp);
  EXPECT_EQ(lite("date").kind, SqlKind::kDate);
  EXPECT_EQ(lite("time").kind, SqlKind::kTime);
  EXPECT_EQ(lite("blob").kind, SqlKind::kBytes);
  EXPECT_EQ(lite("varchar(20)").kind, SqlKind::kString);
  EXPECT_EQ(lite("boolean").kind, SqlKind::kBoolean);
}

TEST(JdbcCodecTest, RoundTripsDatesTimesAndTimestamps) {
  EXPECT_EQ(parse_date("1970-01-02"), 1);
  EXPECT_EQ(parse_date("1969-12-31"), -1);
  EXPECT_EQ(format_date(19783), "2024-03-01");
  EXPECT_EQ(parse_time("01:00:00.5"), 3600500);
  EXPECT_EQ(format_time(3600500), "01:00:00.500");
  EXPECT_EQ(parse_timestamp("1970-01-01 00:00:01.000000123"), 1000000123);
  EXPECT_EQ(parse_timestamp("1970-01-01T02:00:00+02"), 0);
  EXPECT_EQ(parse_timestamp("2024-03-01"), int64_t{19783} * 86400 * 1000000000);
  EXPECT_EQ(format_timestamp(1500000, 6), "1970-01-01 00:00:00.001500");
  EXPECT_EQ(format_timestamp(-1000000, 3), "1969-12-31 23:59:59.999");
  EXPECT_EQ(parse_timestamp("soon"), std::nullopt);
}

TEST(JdbcCodecTest, SplitsTimestampsIntoConnectOffsetFields) {
  int64_t ns = 1700000000123456789;

  EXPECT_EQ(timestamp_millis(ns), 1700000000123);
  EXPECT_EQ(timestamp_nanos_of_second(ns), 123456789);
  EXPECT_EQ(timestamp_from_offset(1700000000123, 123456789), ns);
}

TEST(JdbcCodecTest, EncodesDecimalsAsBigIntegerBytes) {
  EXPECT_EQ(decimal_text_to_unscaled("1.23", 2), std::string("\x7b", 1));
  EXPECT_EQ(decimal_text_to_unscaled("-1.5", 2), std::string("\xff\x6a", 2));  // -150
  EXPECT_EQ(decimal_text_to_unscaled("128", 0), std::string("\x00\x80", 2));
  EXPECT_EQ(decimal_text_to_unscaled("0", 3), std::string("\x00", 1));
  EXPECT_EQ(decimal_text_to_unscaled("1.999", 1), std::string("\x13", 1));  // truncated to 1.9
  EXPECT_EQ(decimal_text_to_unscaled("12a", 0), std::nullopt);
  std::string big = *decimal_text_to_unscaled("-123456789012345678901234567890.12", 2);
  EXPECT_EQ(unscaled_to_decimal_text(big, 2), "-123456789012345678901234567890.12");
  EXPECT_EQ(unscaled_to_decimal_text(std::string("\xff\x6a", 2), 2), "-1.50");
  EXPECT_EQ(unscaled_to_decimal_text(std::string("\x05", 1), 3), "0.005");
}

class JdbcSqliteTest : public ::testing::Test {
 protected:
  std::unique_ptr<Database> open() {
    return open_database(parse_connection_url("jdbc:sqlite:" + (dir_ / "db.sqlite").string()));
  }
  TempDir dir_{"kanal-jdbc"};
};

TEST_F(JdbcSqliteTest, RunsParameterisedStatementsAndReadsTypedCells) {
  auto db = open();
  db->execute(
      "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price NUMERIC(8,2), "
      "data BLOB, at TIMESTAMP)",
      {});

  db->execute(build_insert(DbKind::kSqlite, "t", {"id", "name", "price", "data", "at"}),
              {Cell::integer(1), Cell::text("a"), Cell::real(2.5),
               Cell::blob(std::string("\0x", 2)), Cell::text("2024-01-01 10:00:00")});
  ResultSet rs = db->query("SELECT * FROM t WHERE id > ?1", {Cell::integer(0)});

  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_EQ(rs.columns[2].type_name, "numeric(8,2)");
  EXPECT_EQ(rs.rows[0][1].s, "a");
  EXPECT_EQ(rs.rows[0][2].kind, Cell::Kind::kReal);
  EXPECT_EQ(rs.rows[0][3].s, std::string("\0x", 2));
  auto cols = db->table_columns("t");
  ASSERT_EQ(cols.size(), 5u);
  EXPECT_FALSE(cols[0].nullable);
  EXPECT_FALSE(cols[1].nullable);
  EXPECT_TRUE(cols[2].nullable);
  EXPECT_EQ(db->list_tables(), std::vector<std::string>{"t"});
  EXPECT_TRUE(db->table_columns("missing").empty());
}

TEST_F(JdbcSqliteTest, UpsertsAndComparesNormalisedTimestamps) {
  auto db = open();
  db->execute("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, at TIMESTAMP)", {});
  std::string upsert = build_upsert(DbKind::kSqlite, "t", {"id"}, {"n", "at"});

  db->execute(upsert, {Cell::integer(1), Cell::integer(1), Cell::text("2024-01-01 10:00:00")});
  db->execute(upsert, {Cell::integer(1), Cell::integer(2), Cell::text("2024-01-01 10:00:01.5")});
  SourceQuerySpec spec{DbKind::kSqlite, SourceMode::kTimestamp, "t", "", "", {"at"}, 0};
  ResultSet newer = db->query(build_source_query(spec), {Cell::text("2024-01-01 10:00:01.000"),
                                                         Cell::text("2030-01-01 00:00:00.000")});

  ASSERT_EQ(newer.rows.size(), 1u);
  EXPECT_EQ(newer.rows[0][1].i, 2);
}

TEST_F(JdbcSqliteTest, FailsWithTheDatabaseMessage) {
  auto db = open();

  try {
    db->execute("SELECT * FROM nope", {});
    FAIL() << "no error";
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("no such table: nope"), std::string::npos) << e.what();
    EXPECT_FALSE(e.connection_lost());
  }
  EXPECT_THROW(open_database(parse_connection_url("jdbc:sqlite:/nonexistent/dir/x.db")), DbError);
}

}  // namespace
}  // namespace kanal::jdbc
