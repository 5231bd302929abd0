// JdbcSource and JdbcSink through `kanal standalone`, the real broker and real databases: SQLite
// files in temporary directories and a PostgreSQL server from tests/support/postgres_server.h.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "connectors/jdbc/database.h"
#include "connectors/jdbc/sql_builder.h"
#include "support/assertions.h"
#include "support/broker_environment.h"
#include "support/eventually.h"
#include "support/kafka_client.h"
#include "support/paths.h"
#include "support/ports.h"
#include "support/postgres_server.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

using namespace std::chrono_literals;
using jdbc::Cell;
using jdbc::Database;

// One `kanal standalone` run with the given connector configs (name -> properties text).
class Standalone {
 public:
  Standalone(const TempDir& dir, std::map<std::string, std::string> connectors)
      : dir_(dir), connectors_(std::move(connectors)), port_(free_tcp_port()) {}
  ~Standalone() { stop(); }

  void start() {
    std::string worker =
        "bootstrap.servers=" + broker().bootstrap() +
        "\nkey.converter=org.apache.kafka.connect.json.JsonConverter"
        "\nvalue.converter=org.apache.kafka.connect.json.JsonConverter"
        "\nkey.converter.schemas.enable=true\nvalue.converter.schemas.enable=true"
        "\noffset.storage.file.filename=" +
        (dir_ / "offsets.db").string() +
        "\noffset.flush.interval.ms=200\nlisteners=http://127.0.0.1:" + std::to_string(port_) +
        "\n";
    ASSERT_TRUE(is_ok(write_file(dir_ / "worker.properties", worker)));
    std::vector<std::string> args = {"standalone", (dir_ / "worker.properties").string()};
    for (const auto& [name, props] : connectors_) {
      auto path = dir_ / (name + ".properties");
      ASSERT_TRUE(is_ok(write_file(path, "name=" + name + "\n" + props)));
      args.push_back(path.string());
    }
    auto p = Process::spawn(
        {.program = kanal_binary().string(), .args = args, .log_file = dir_ / "kanal.log"});
    ASSERT_TRUE(is_ok(p));
    process_.emplace(std::move(*p));
  }

  ExitStatus stop() {
    if (!process_) return {};
    ExitStatus s = process_->stop(30s);
    process_.reset();
    return s;
  }

  std::optional<ExitStatus> wait_exit(std::chrono::milliseconds timeout) {
    return process_ ? process_->wait(timeout) : std::nullopt;
  }

  // GET /connectors/<name>/status through curl ("" when it does not answer).
  std::string status(const std::string& connector) {
    auto log = dir_ / "curl.out";
    std::filesystem::remove(log);
    auto p = Process::spawn({.program = "curl",
                             .args = {"-s", "-m", "5",
                                      "http://127.0.0.1:" + std::to_string(port_) + "/connectors/" +
                                          connector + "/status"},
                             .log_file = log});
    if (!p.ok()) return "";
    p->wait(10s);
    auto text = read_file(log);
    return text.ok() ? *text : "";
  }

  std::string log() const { return tail_of_file(dir_ / "kanal.log", 60); }

 private:
  const TempDir& dir_;
  std::map<std::string, std::string> connectors_;
  uint16_t port_;
  std::optional<Process> process_;
};

std::vector<std::string> values_of(const std::string& topic) {
  auto v = consume_values(broker().bootstrap(), topic, 10s);
  return v.ok() ? *v : std::vector<std::string>{};
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += s + "\n";
  return out;
}

// The value of "<field>": in a JSON payload, as text up to the next ',' or '}'.
std::string json_field(const std::string& json, const std::string& field) {
  size_t payload = json.find("\"payload\":");
  size_t at = json.find("\"" + field + "\":", payload == std::string::npos ? 0 : payload);
  if (at == std::string::npos) return "";
  at += field.size() + 3;
  size_t end = json.find_first_of(",}", at);
  return json.substr(at, end - at);
}

std::unique_ptr<Database> sqlite(const TempDir& dir, const std::string& file) {
  return jdbc::open_database(jdbc::parse_connection_url("jdbc:sqlite:" + (dir / file).string()));
}

std::string key_json(int64_t id) {
  return "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"int64\",\"optional\":false,"
         "\"field\":\"id\"}],\"optional\":false},\"payload\":{\"id\":" +
         std::to_string(id) + "}}";
}

std::string value_json(int64_t id, const std::string& name, const std::string& note = "") {
  std::string fields =
      "[{\"type\":\"int64\",\"optional\":false,\"field\":\"id\"},"
      "{\"type\":\"string\",\"optional\":false,\"field\":\"name\"},"
      "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
      "\"version\":1,\"parameters\":{\"scale\":\"2\"},\"field\":\"price\"}";
  std::string payload =
      "{\"id\":" + std::to_string(id) + ",\"name\":\"" + name + "\",\"price\":\"ATk=\"";  // 3.13
  if (!note.empty()) {
    fields += ",{\"type\":\"string\",\"optional\":true,\"field\":\"note\"}";
    payload += ",\"note\":\"" + note + "\"";
  }
  return "{\"schema\":{\"type\":\"struct\",\"fields\":" + fields +
         "],\"optional\":false,\"name\":\"item\"},\"payload\":" + payload + "}}";
}

constexpr char kTombstone[] = "{\"schema\":null,\"payload\":null}";

// Runs one connector per source mode, each over its own table of `db`, and checks that inserts
// and updates made while they run arrive as each mode promises. `now` is the database's
// current-timestamp expression with sub-second precision.
void check_every_source_mode(Database& db, const std::string& connection, const std::string& now,
                             const TempDir& dir) {
  const std::string prefix = unique_test_name() + "-";
  const std::vector<std::string> modes = {"bulk", "incrementing", "timestamp",
                                          "timestamp+incrementing"};
  std::map<std::string, std::string> connectors;
  auto table_of = [](const std::string& mode) {
    std::string t = "mode_" + mode;
    std::replace(t.begin(), t.end(), '+', '_');
    return t;
  };
  for (const std::string& mode : modes) {
    std::string table = table_of(mode);
    ASSERT_TRUE(is_ok(create_topic(broker().bootstrap(), prefix + table)));
    db.execute("CREATE TABLE " + table +
                   " (id INTEGER PRIMARY KEY, name TEXT NOT NULL, updated TIMESTAMP NOT NULL)",
               {});
    db.execute("INSERT INTO " + table + " VALUES (1, 'a', " + now + "), (2, 'b', " + now + ")", {});
    connectors["src-" + table] = "connector.class=JdbcSource\n" + connection + "mode=" + mode +
                                 "\nincrementing.column.name=id\ntimestamp.column.name=updated"
                                 "\ntable.whitelist=" +
                                 table + "\ntopic.prefix=" + prefix +
                                 "\npoll.interval.ms=" + (mode == "bulk" ? "2000" : "200") + "\n";
  }
  Standalone kanal(dir, connectors);
  kanal.start();
  auto ids = [&](const std::string& mode) {
    std::vector<std::string> out;
    for (const std::string& v : values_of(prefix + table_of(mode))) {
      out.push_back(json_field(v, "id") + json_field(v, "name"));
    }
    return out;
  };
  auto wait_for = [&](const std::string& mode, const std::vector<std::string>& want) {
    return eventually(
        [&] {
          auto got = ids(mode);
          return got.size() >= want.size() && std::equal(want.begin(), want.end(), got.begin());
        },
        60s, [&] { return mode + ": " + joined(ids(mode)) + kanal.log(); });
  };
  for (const std::string& mode : modes) {
    ASSERT_TRUE(wait_for(mode, {"1\"a\"", "2\"b\""}));
  }
  std::string first = values_of(prefix + table_of("timestamp"))[0];
  EXPECT_NE(first.find("\"name\":\"org.apache.kafka.connect.data.Timestamp\",\"version\":1,"
                       "\"field\":\"updated\""),
            std::string::npos)
      << first;
  EXPECT_NE(first.find("{\"type\":\"string\",\"optional\":false,\"field\":\"name\"}"),
            std::string::npos)
      << first;

  for (const std::string& mode : modes) {
    std::string table = table_of(mode);
    db.execute("UPDATE " + table + " SET name = 'a2', updated = " + now + " WHERE id = 1", {});
    db.execute("INSERT INTO " + table + " VALUES (3, 'c', " + now + ")", {});
  }

  ASSERT_TRUE(wait_for("incrementing", {"1\"a\"", "2\"b\"", "3\"c\""}));
  ASSERT_TRUE(wait_for("timestamp", {"1\"a\"", "2\"b\"", "1\"a2\"", "3\"c\""}));
  ASSERT_TRUE(wait_for("timestamp+incrementing", {"1\"a\"", "2\"b\"", "1\"a2\"", "3\"c\""}));
  ASSERT_TRUE(eventually(
      [&] {
        auto got = ids("bulk");
        return std::find(got.begin(), got.end(), "1\"a2\"") != got.end() &&
               std::find(got.begin(), got.end(), "3\"c\"") != got.end();
      },
      60s, [&] { return joined(ids("bulk")); }));
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(ids("incrementing").size(), 3u) << joined(ids("incrementing"));
  EXPECT_EQ(ids("timestamp").size(), 4u) << joined(ids("timestamp"));
  EXPECT_EQ(ids("timestamp+incrementing").size(), 4u) << joined(ids("timestamp+incrementing"));
}

// --- SQLite ----------------------------------------------------------------------------------

TEST(JdbcSqlitePipelineTest, SourceIncrementingResumesAfterRestartWithoutDuplicates) {
  TempDir dir("kanal-jdbc-e2e");
  const std::string prefix = unique_test_name() + "-";
  const std::string topic = prefix + "orders";
  ASSERT_TRUE(is_ok(create_topic(broker().bootstrap(), topic)));
  auto db = sqlite(dir, "shop.db");
  db->execute(
      "CREATE TABLE orders (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "
      "name TEXT NOT NULL, price NUMERIC(8,2), created DATE, paid BOOLEAN, data BLOB)",
      {});
  auto add = [&](const std::string& name) {
    db->execute(
        "INSERT INTO orders (name, price, created, paid, data) VALUES "
        "(?1, 12.5, '2024-03-01', 1, x'0102')",
        {Cell::text(name)});
  };
  add("a");
  add("b");
  add("c");
  std::map<std::string, std::string> connectors = {
      {"sqlite-source",
       "connector.class=JdbcSource\nconnection.url=jdbc:sqlite:" + (dir / "shop.db").string() +
           "\nmode=incrementing\nincrementing.column.name=id\ntopic.prefix=" + prefix +
           "\ntable.whitelist=orders\npoll.interval.ms=200\nbatch.max.rows=2\n"}};
  Standalone kanal(dir, connectors);
  kanal.start();

  ASSERT_TRUE(eventually([&] { return values_of(topic).size() >= 3; }, 60s,
                         [&] { return joined(values_of(topic)) + kanal.log(); }));
  add("d");
  ASSERT_TRUE(eventually([&] { return values_of(topic).size() >= 4; }, 30s,
                         [&] { return joined(values_of(topic)); }));
  std::string first = values_of(topic)[0];
  EXPECT_NE(first.find("{\"type\":\"int64\",\"optional\":false,\"field\":\"id\"}"),
            std::string::npos)
      << first;
  EXPECT_NE(first.find("\"name\":\"org.apache.kafka.connect.data.Decimal\""), std::string::npos)
      << first;
  EXPECT_NE(first.find("\"name\":\"org.apache.kafka.connect.data.Date\""), std::string::npos)
      << first;
  EXPECT_NE(first.find("{\"type\":\"boolean\",\"optional\":true,\"field\":\"paid\"}"),
            std::string::npos)
      << first;
  EXPECT_NE(first.find("\"name\":\"orders\""), std::string::npos) << first;
  EXPECT_EQ(json_field(first, "id"), "1");
  EXPECT_EQ(json_field(first, "price"), "\"BOI=\"");  // 1250 at scale 2
  EXPECT_EQ(json_field(first, "created"), "19783");
  EXPECT_EQ(json_field(first, "data"), "\"AQI=\"");

  ASSERT_TRUE(kanal.stop().exited) << kanal.log();
  add("e");
  Standalone again(dir, connectors);
  again.start();
  ASSERT_TRUE(eventually([&] { return values_of(topic).size() >= 5; }, 60s,
                         [&] { return joined(values_of(topic)) + again.log(); }));
  std::this_thread::sleep_for(1s);  // several polls: nothing else may arrive

  std::vector<std::string> all = values_of(topic);
  std::vector<std::string> ids;
  for (const std::string& v : all) ids.push_back(json_field(v, "id"));
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "3", "4", "5"})) << joined(all);
}

TEST(JdbcSqlitePipelineTest, EverySourceModeSeesInsertsAndUpdates) {
  TempDir dir("kanal-jdbc-e2e");
  auto db = sqlite(dir, "modes.db");

  check_every_source_mode(*db, "connection.url=jdbc:sqlite:" + (dir / "modes.db").string() + "\n",
                          "strftime('%Y-%m-%d %H:%M:%f', 'now')", dir);
}

TEST(JdbcSqlitePipelineTest, SinkUpsertsDeletesCreatesAndEvolvesTable) {
  TempDir dir("kanal-jdbc-e2e");
  const std::string topic = unique_test_name();
  ASSERT_TRUE(is_ok(create_topic(broker().bootstrap(), topic)));
  Standalone kanal(
      dir, {{"sqlite-sink", "connector.class=JdbcSink\ntopics=" + topic +
                                "\nconnection.url=jdbc:sqlite:" + (dir / "out.db").string() +
                                "\ninsert.mode=upsert\npk.mode=record_key\n"
                                "pk.fields=id\nauto.create=true\nauto.evolve=true\n"
                                "delete.enabled=true\ntable.name.format=items\n"}});
  kanal.start();

  ASSERT_TRUE(is_ok(produce_keyed(broker().bootstrap(), topic,
                                  {{key_json(1), value_json(1, "a")},
                                   {key_json(2), value_json(2, "b")},
                                   {key_json(1), value_json(1, "a2")},
                                   {key_json(2), kTombstone},
                                   {key_json(3), value_json(3, "c", "new")}})));

  auto db = sqlite(dir, "out.db");
  auto rows = [&] {
    try {
      return db->query("SELECT id, name, price, note FROM items ORDER BY id", {}).rows;
    } catch (const jdbc::DbError&) {
      return std::vector<std::vector<Cell>>{};
    }
  };
  auto describe = [&] {
    std::string out;
    for (auto& r : rows()) out += std::to_string(r[0].i) + ":" + r[1].s + " ";
    return out + "\n" + kanal.log();
  };
  ASSERT_TRUE(eventually(
      [&] {
        auto r = rows();
        return r.size() == 2 && r[1][0].i == 3;
      },
      60s, describe));
  auto r = rows();
  EXPECT_EQ(r[0][0].i, 1);
  EXPECT_EQ(r[0][1].s, "a2");
  EXPECT_EQ(r[0][2].kind, Cell::Kind::kReal);
  EXPECT_DOUBLE_EQ(r[0][2].d, 3.13);
  EXPECT_TRUE(r[0][3].is_null());
  EXPECT_EQ(r[1][3].s, "new");
  auto cols = db->table_columns("items");
  ASSERT_EQ(cols.size(), 4u);
  EXPECT_EQ(cols[3].name, "note");
}

TEST(JdbcSqlitePipelineTest, SinkHonoursKafkaAndValueKeysUpdateModeAndFieldList) {
  TempDir dir("kanal-jdbc-e2e");
  const std::string topic = unique_test_name();
  ASSERT_TRUE(is_ok(create_topic(broker().bootstrap(), topic)));
  auto db = sqlite(dir, "out.db");
  db->execute("CREATE TABLE upd_rows (id INTEGER PRIMARY KEY, name TEXT, price NUMERIC(38,2))", {});
  db->execute("INSERT INTO upd_rows (id, name) VALUES (1, 'x'), (2, 'y'), (5, 'z')", {});
  const std::string common = "connector.class=JdbcSink\ntopics=" + topic +
                             "\nconnection.url=jdbc:sqlite:" + (dir / "out.db").string() +
                             "\nauto.create=true\n";
  Standalone kanal(dir,
                   {{"by-kafka", common + "pk.mode=kafka\nfields.whitelist=name\n"
                                          "table.name.format=kafka_rows\n"},
                    {"by-value", common + "insert.mode=upsert\npk.mode=record_value\npk.fields=id\n"
                                          "table.name.format=value_rows\n"},
                    {"updates", common + "insert.mode=update\npk.mode=record_value\npk.fields=id\n"
                                         "table.name.format=upd_rows\n"}});
  kanal.start();

  ASSERT_TRUE(is_ok(produce_keyed(broker().bootstrap(), topic,
                                  {{key_json(1), value_json(1, "a")},
                                   {key_json(2), value_json(2, "b")},
                                   {key_json(1), value_json(1, "a2")}})));

  auto rows = [&](const std::string& sql) {
    try {
      return db->query(sql, {}).rows;
    } catch (const jdbc::DbError&) {
      return std::vector<std::vector<Cell>>{};
    }
  };
  ASSERT_TRUE(eventually(
      [&] {
        return rows("SELECT * FROM kafka_rows").size() == 3 &&
               rows("SELECT * FROM value_rows").size() == 2 &&
               rows("SELECT name FROM upd_rows WHERE id = 1 AND name = 'a2'").size() == 1;
      },
      60s, [&] { return kanal.log(); }));
  auto k = rows(
      "SELECT __connect_topic, __connect_partition, __connect_offset, name "
      "FROM kafka_rows ORDER BY __connect_offset");
  EXPECT_EQ(k[2][0].s, topic);
  EXPECT_EQ(k[2][2].i, 2);
  EXPECT_EQ(k[2][3].s, "a2");
  EXPECT_EQ(db->table_columns("kafka_rows").size(), 4u);  // id and price left out
  auto v = rows("SELECT id, name FROM value_rows ORDER BY id");
  EXPECT_EQ(v[0][1].s, "a2");
  EXPECT_EQ(v[1][1].s, "b");
  auto u = rows("SELECT id, name FROM upd_rows ORDER BY id");
  ASSERT_EQ(u.size(), 3u);
  EXPECT_EQ(u[1][1].s, "b");
  EXPECT_EQ(u[2][1].s, "z");
}

TEST(JdbcSqlitePipelineTest, RefusesConnectorWhoseDatabaseCannotBeOpened) {
  TempDir dir("kanal-jdbc-e2e");
  Standalone kanal(dir, {{"bad-source", "connector.class=JdbcSource\nconnection.url=jdbc:sqlite:" +
                                            (dir / "missing" / "x.db").string() +
                                            "\nmode=bulk\ntopic.prefix=x-\n"}});
  kanal.start();

  auto exit = kanal.wait_exit(60s);

  ASSERT_TRUE(exit.has_value()) << kanal.log();
  EXPECT_EQ(exit->code, 3) << kanal.log();
  std::string log = kanal.log();
  EXPECT_NE(log.find("connection.url"), std::string::npos) << log;
  EXPECT_NE(log.find("unable to open database file"), std::string::npos) << log;
}

// --- PostgreSQL ------------------------------------------------------------------------------

class JdbcPostgresPipelineTest : public ::testing::Test {
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
  static std::unique_ptr<Database> open() {
    return jdbc::open_database(jdbc::parse_connection_url(
        server_->jdbc_url(), PostgresServer::kUser, PostgresServer::kPassword));
  }
  static std::string connection(const std::string& password = PostgresServer::kPassword) {
    return "connection.url=" + server_->jdbc_url() + "\nconnection.user=" + PostgresServer::kUser +
           "\nconnection.password=" + password + "\n";
  }

  static PostgresServer* server_;
};

PostgresServer* JdbcPostgresPipelineTest::server_ = nullptr;

TEST_F(JdbcPostgresPipelineTest, SourceTimestampIncrementingSeesInsertsAndUpdatesAndResumes) {
  TempDir dir("kanal-jdbc-e2e");
  const std::string prefix = unique_test_name() + "-";
  const std::string topic = prefix + "events";
  ASSERT_TRUE(is_ok(create_topic(broker().bootstrap(), topic)));
  auto db = open();
  db->execute(
      "CREATE TABLE events (id SERIAL PRIMARY KEY, name TEXT NOT NULL, "
      "amount NUMERIC(10,2), updated TIMESTAMP NOT NULL DEFAULT now())",
      {});
  db->execute("INSERT INTO events (name, amount) VALUES ('a', 1.50), ('b', NULL)", {});
  std::map<std::string, std::string> connectors = {
      {"pg-source", "connector.class=dev.kanal.connect.jdbc.JdbcSourceConnector\n" + connection() +
                        "mode=timestamp+incrementing\nincrementing.column.name=id\n"
                        "timestamp.column.name=updated\ntable.include.list=events\n"
                        "topic.prefix=" +
                        prefix + "\npoll.interval.ms=200\n"}};
  Standalone kanal(dir, connectors);
  kanal.start();

  ASSERT_TRUE(eventually([&] { return values_of(topic).size() >= 2; }, 60s,
                         [&] { return joined(values_of(topic)) + kanal.log(); }));
  db->execute("UPDATE events SET name = 'a2', updated = now() WHERE id = 1", {});
  ASSERT_TRUE(eventually([&] { return values_of(topic).size() >= 3; }, 30s,
                         [&] { return joined(values_of(topic)) + kanal.log(); }));
  std::string first = values_of(topic)[0];
  EXPECT_NE(first.find("{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"}"),
            std::string::npos)
      << first;
  EXPECT_NE(first.find("\"name\":\"org.apache.kafka.connect.data.Timestamp\""), std::string::npos)
      << first;
  EXPECT_NE(first.find("\"parameters\":{\"scale\":\"2\"}"), std::string::npos) << first;
  EXPECT_EQ(json_field(first, "amount"), "\"AJY=\"");  // 150 at scale 2
  EXPECT_EQ(json_field(values_of(topic)[2], "name"), "\"a2\"");

  ASSERT_TRUE(kanal.stop().exited) << kanal.log();
  db->execute("INSERT INTO events (name) VALUES ('c')", {});
  Standalone again(dir, connectors);
  again.start();
  ASSERT_TRUE(eventually([&] { return values_of(topic).size() >= 4; }, 60s,
                         [&] { return joined(values_of(topic)) + again.log(); }));
  std::this_thread::sleep_for(1s);

  std::vector<std::string> ids;
  for (const std::string& v : values_of(topic)) ids.push_back(json_field(v, "id"));
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "1", "3"})) << joined(values_of(topic));
}

TEST_F(JdbcPostgresPipelineTest, EverySourceModeSeesInsertsAndUpdates) {
  TempDir dir("kanal-jdbc-e2e");
  auto db = open();

  check_every_source_mode(*db, connection(), "clock_timestamp()", dir);
}

TEST_F(JdbcPostgresPipelineTest, SourceIncrementingSpreadsTablesOverTasks) {
  TempDir dir("kanal-jdbc-e2e");
  const std::string prefix = unique_test_name() + "-";
  auto db = open();
  for (const std::string t : {"left_t", "right_t"}) {
    ASSERT_TRUE(is_ok(create_topic(broker().bootstrap(), prefix + t)));
    db->execute("CREATE TABLE " + t + " (id BIGSERIAL PRIMARY KEY, v BYTEA, d DATE)", {});
    db->execute("INSERT INTO " + t + " (v, d) VALUES ('\\x0102', '1970-01-03'), (NULL, NULL)", {});
  }
  Standalone kanal(dir, {{"pg-inc", "connector.class=JdbcSource\n" + connection() +
                                        "mode=incrementing\nincrementing.column.name=id\n"
                                        "table.whitelist=left_t,right_t\ntasks.max=2\n"
                                        "topic.prefix=" +
                                        prefix + "\npoll.interval.ms=200\n"}});
  kanal.start();

  for (const std::string t : {"left_t", "right_t"}) {
    ASSERT_TRUE(eventually([&] { return values_of(prefix + t).size() >= 2; }, 60s,
                           [&] { return joined(values_of(prefix + t)) + kanal.log(); }));
    std::string v = values_of(prefix + t)[0];
    EXPECT_EQ(json_field(v, "v"), "\"AQI=\"") << v;
    EXPECT_EQ(json_field(v, "d"), "2") << v;
  }
  std::string status = kanal.status("pg-inc");
  EXPECT_NE(status.find("\"id\":1"), std::string::npos) << status;  // two tasks run
}

TEST_F(JdbcPostgresPipelineTest, SinkUpsertsDeletesCreatesAndEvolvesTable) {
  TempDir dir("kanal-jdbc-e2e");
  // A dot in a table name separates the schema, so the topic has none.
  std::string topic = unique_test_name();
  std::replace(topic.begin(), topic.end(), '.', '_');
  ASSERT_TRUE(is_ok(create_topic(broker().bootstrap(), topic)));
  Standalone kanal(dir,
                   {{"pg-sink", "connector.class=JdbcSink\ntopics=" + topic + "\n" + connection() +
                                    "insert.mode=upsert\npk.mode=record_key\n"
                                    "pk.fields=id\nauto.create=true\nauto.evolve=true\n"
                                    "delete.enabled=true\ntable.name.format=sink_${topic}\n"}});
  kanal.start();

  ASSERT_TRUE(is_ok(produce_keyed(broker().bootstrap(), topic,
                                  {{key_json(1), value_json(1, "a")},
                                   {key_json(2), value_json(2, "b")},
                                   {key_json(1), value_json(1, "a2")},
                                   {key_json(2), kTombstone},
                                   {key_json(3), value_json(3, "c", "new")}})));

  auto db = open();
  const std::string table = "sink_" + topic;
  auto rows = [&] {
    try {
      return db
          ->query("SELECT id, name, price, note FROM " +
                      jdbc::quote_table(jdbc::DbKind::kPostgres, table) + " ORDER BY id",
                  {})
          .rows;
    } catch (const jdbc::DbError&) {
      return std::vector<std::vector<Cell>>{};
    }
  };
  ASSERT_TRUE(eventually(
      [&] {
        auto r = rows();
        return r.size() == 2 && r[1][0].i == 3;
      },
      60s, [&] { return kanal.log(); }));
  auto r = rows();
  EXPECT_EQ(r[0][1].s, "a2");
  EXPECT_EQ(r[0][2].s, "3.13");
  EXPECT_TRUE(r[0][3].is_null());
  EXPECT_EQ(r[1][3].s, "new");
}

TEST_F(JdbcPostgresPipelineTest, SinkRetriesWhileDatabaseIsDownAndWritesOnceItIsBack) {
  TempDir dir("kanal-jdbc-e2e");
  std::string topic = unique_test_name();
  std::replace(topic.begin(), topic.end(), '.', '_');
  ASSERT_TRUE(is_ok(create_topic(broker().bootstrap(), topic)));
  Standalone kanal(dir,
                   {{"pg-retry", "connector.class=JdbcSink\ntopics=" + topic + "\n" + connection() +
                                     "insert.mode=upsert\npk.mode=record_key\n"
                                     "auto.create=true\nmax.retries=30\n"
                                     "retry.backoff.ms=300\n"}});
  kanal.start();
  ASSERT_TRUE(
      is_ok(produce_keyed(broker().bootstrap(), topic, {{key_json(1), value_json(1, "before")}})));
  auto db = open();
  auto count = [&] {
    try {
      return db->query("SELECT count(*) FROM \"" + topic + "\"", {}).rows[0][0].i;
    } catch (const jdbc::DbError&) {
      db = open();
      return int64_t{-1};
    }
  };
  ASSERT_TRUE(eventually([&] { return count() == 1; }, 60s, [&] { return kanal.log(); }));

  ASSERT_TRUE(is_ok(server_->stop()));
  ASSERT_TRUE(
      is_ok(produce_keyed(broker().bootstrap(), topic, {{key_json(2), value_json(2, "during")}})));
  std::this_thread::sleep_for(2s);  // several failed attempts
  ASSERT_TRUE(is_ok(server_->restart()));
  db = open();

  ASSERT_TRUE(eventually([&] { return count() == 2; }, 60s, [&] { return kanal.log(); }));
  EXPECT_NE(kanal.log().find("attempt 1 of 31"), std::string::npos) << kanal.log();
  EXPECT_NE(kanal.status("pg-retry").find("RUNNING"), std::string::npos);
}

TEST_F(JdbcPostgresPipelineTest, RefusesConnectorWithWrongPassword) {
  TempDir dir("kanal-jdbc-e2e");
  Standalone kanal(
      dir, {{"pg-bad", "connector.class=JdbcSink\ntopics=x\n" + connection("not-the-password")}});
  kanal.start();

  auto exit = kanal.wait_exit(60s);

  ASSERT_TRUE(exit.has_value()) << kanal.log();
  EXPECT_EQ(exit->code, 3) << kanal.log();
  std::string log = kanal.log();
  EXPECT_NE(log.find("connection.password"), std::string::npos) << log;
  EXPECT_NE(log.find("password authentication failed for user \"kanal\""), std::string::npos)
      << log;
}

TEST_F(JdbcPostgresPipelineTest, SourceTaskRetriesThenFailsWhenDatabaseIsLost) {
  TempDir dir("kanal-jdbc-e2e");
  const std::string prefix = unique_test_name() + "-";
  auto db = open();
  db->execute("CREATE TABLE lost (id SERIAL PRIMARY KEY)", {});
  db->execute("INSERT INTO lost DEFAULT VALUES", {});
  ASSERT_TRUE(is_ok(create_topic(broker().bootstrap(), prefix + "lost")));
  Standalone kanal(dir, {{"pg-lost", "connector.class=JdbcSource\n" + connection() +
                                         "mode=incrementing\nincrementing.column.name=id\n"
                                         "table.whitelist=lost\ntopic.prefix=" +
                                         prefix +
                                         "\npoll.interval.ms=100\nconnection.attempts=3\n"
                                         "connection.backoff.ms=300\n"}});
  kanal.start();
  ASSERT_TRUE(eventually([&] { return values_of(prefix + "lost").size() >= 1; }, 60s,
                         [&] { return kanal.log(); }));

  ASSERT_TRUE(is_ok(server_->stop()));
  std::string status;
  bool failed = eventually(
      [&] {
        status = kanal.status("pg-lost");
        return status.find("FAILED") != std::string::npos;
      },
      60s, [&] { return status + "\n" + kanal.log(); });
  ASSERT_TRUE(is_ok(server_->restart()));

  ASSERT_TRUE(failed);
  EXPECT_NE(status.find("3 times in a row"), std::string::npos) << status;
  EXPECT_NE(kanal.log().find("attempt 1 of 3"), std::string::npos) << kanal.log();
}

}  // namespace
}  // namespace kanal::testing
