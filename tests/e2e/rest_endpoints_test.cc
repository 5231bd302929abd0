// The REST API of `kanal standalone`, end to end: every endpoint and error case of issue #5,
// driven over HTTP with a real client against one running worker (real broker, FileStream and
// Datagen connectors), checking status codes and JSON shapes against the Connect spec
// (/work/shared/spec/kafka-connect-interface.md, sections 1 and 2).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "e2e/rest_support.h"
#include "support/assertions.h"
#include "support/broker_environment.h"
#include "support/eventually.h"
#include "support/kafka_client.h"
#include "support/kanal_worker.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kMaxRequestBytes = 4096;

// "line-0000007": 12 characters and a newline, so line i starts at byte 13 * i.
std::string line(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "line-%07d", i);
  return buf;
}
constexpr int kLineBytes = 13;

void append_lines(const std::filesystem::path& path, int from, int to) {
  std::ofstream out(path, std::ios::app);
  for (int i = from; i < to; ++i) out << line(i) << '\n';
}

std::vector<std::string> lines(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back(line(i));
  return out;
}

std::string string_of(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key) || !v[key].IsString()) return "<missing>";
  return v[key].GetString();
}

// One worker for the whole suite; each test uses connectors and topics named after itself and
// deletes its connectors afterwards.
class RestEndpointsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_.start("kanal-rest-e2e", [](const TempDir&) {
      return KanalWorkerOptions{
          .worker = {{"rest.request.max.bytes", std::to_string(kMaxRequestBytes)}}};
    });
  }
  static void TearDownTestSuite() { suite_.stop(); }

  void SetUp() override { ASSERT_TRUE(suite_.ready()); }

  void TearDown() override {
    for (const std::string& n : created_) (void)call("DELETE", "/connectors/" + n);
    if (HasFailure())
      std::fprintf(stderr, "worker log:\n%s\n", suite_.worker().log_tail(20).c_str());
  }

  static HttpResult call(std::string_view method, const std::string& path,
                         std::string_view body = "",
                         std::string_view content_type = "application/json") {
    return rest::testing::request(method, suite_.worker().base_url() + path, body, content_type);
  }

  // POST /connectors; remembers the name for clean-up.
  HttpResult create(const std::string& name, const Props& config,
                    std::string_view initial_state = {}) {
    created_.push_back(name);
    return call("POST", "/connectors", create_body(name, config, initial_state));
  }

  Props file_source(const std::string& topic) const {
    return {{"connector.class", "FileStreamSource"},
            {"file", (files_ / "input.txt").string()},
            {"topic", topic}};
  }
  Props file_sink(const std::string& topic) const {
    return {{"connector.class", "FileStreamSink"},
            {"file", (files_ / "output.txt").string()},
            {"topics", topic}};
  }
  // A source that writes `count` records and then idles.
  static Props datagen(const std::string& topic, int tasks = 1, int count = 10) {
    return {{"connector.class", "DatagenSource"},
            {"topic", topic},
            {"count", std::to_string(count)},
            {"tasks.max", std::to_string(tasks)}};
  }

  // Waits until the connector and `tasks` tasks report `state` in GET .../status.
  ::testing::AssertionResult reaches(const std::string& name, const std::string& state,
                                     int tasks = 1) {
    std::string last;
    return eventually(
        [&] {
          HttpResult r = call("GET", "/connectors/" + name + "/status");
          last = r.body;
          if (r.status != 200) return false;
          rapidjson::Document d = parse_json(r);
          if (d.HasParseError() || string_of(d["connector"], "state") != state) return false;
          if (!d["tasks"].IsArray() || d["tasks"].Size() != static_cast<unsigned>(tasks)) {
            return false;
          }
          for (const auto& t : d["tasks"].GetArray()) {
            if (string_of(t, "state") != state) return false;
          }
          return true;
        },
        30s, [&] { return "last status: " + last; });
  }

  ::testing::AssertionResult task_reaches(const std::string& name, int task,
                                          const std::string& state) {
    return eventually([&] { return suite_.worker().task_state(name, task) == state; }, 30s,
                      [&] { return "task state: " + suite_.worker().task_state(name, task); });
  }

  static SuiteWorker suite_;

  std::string name_ = unique_test_name();
  std::string topic_ = unique_test_name("topic");
  TempDir files_;
  std::vector<std::string> created_;
};

SuiteWorker RestEndpointsTest::suite_;

// --- GET / and GET /health --------------------------------------------------------------------

TEST_F(RestEndpointsTest, ReturnsServerInfoWhenGettingRoot) {
  HttpResult r = call("GET", "/");

  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["Content-Type"].rfind("application/json", 0), 0u)
      << r.headers["Content-Type"];
  rapidjson::Document d = parse_json(r);
  ASSERT_TRUE(d.IsObject()) << r.body;
  EXPECT_NE(string_of(d, "version"), "<missing>") << r.body;
  EXPECT_FALSE(string_of(d, "version").empty()) << r.body;
  // The commit the worker was built from, 16 hex digits as Connect prints it (this test runs
  // from a git checkout).
  std::string commit = string_of(d, "commit");
  EXPECT_EQ(commit.size(), 16u) << r.body;
  EXPECT_EQ(commit.find_first_not_of("0123456789abcdef"), std::string::npos) << r.body;
  EXPECT_FALSE(string_of(d, "kafka_cluster_id").empty()) << r.body;
  EXPECT_NE(string_of(d, "kafka_cluster_id"), "<missing>") << r.body;
}

TEST_F(RestEndpointsTest, ReportsHealthyWhenWorkerHasStarted) {
  HttpResult r = call("GET", "/health");

  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = parse_json(r);
  EXPECT_EQ(string_of(d, "status"), "healthy") << r.body;
  EXPECT_NE(string_of(d, "message"), "<missing>") << r.body;
}

// --- GET /connectors ----------------------------------------------------------------------------

TEST_F(RestEndpointsTest, ListsCreatedConnectorOnceWhenGettingConnectors) {
  ASSERT_EQ(create(name_, datagen(topic_)).status, 201);

  HttpResult r = call("GET", "/connectors");

  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = parse_json(r);
  ASSERT_TRUE(d.IsArray()) << r.body;
  int seen = 0;
  for (const auto& n : d.GetArray()) seen += n.IsString() && n.GetString() == name_;
  EXPECT_EQ(seen, 1) << r.body;
}

TEST_F(RestEndpointsTest, ExpandsStatusAndInfoWhenBothAreRequested) {
  ASSERT_EQ(create(name_, datagen(topic_)).status, 201);
  ASSERT_TRUE(reaches(name_, "RUNNING"));

  HttpResult r = call("GET", "/connectors?expand=status&expand=info");

  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = parse_json(r);
  ASSERT_TRUE(d.IsObject() && d.HasMember(name_.c_str())) << r.body;
  const rapidjson::Value& c = d[name_.c_str()];
  ASSERT_TRUE(c.HasMember("status") && c.HasMember("info")) << r.body;
  EXPECT_EQ(string_of(c["status"], "name"), name_);
  EXPECT_EQ(string_of(c["status"]["connector"], "state"), "RUNNING");
  EXPECT_FALSE(string_of(c["status"]["connector"], "worker_id").empty());
  EXPECT_EQ(string_of(c["status"], "type"), "source");
  ASSERT_TRUE(c["status"]["tasks"].IsArray() && c["status"]["tasks"].Size() == 1) << r.body;
  EXPECT_EQ(c["status"]["tasks"][0]["id"].GetInt(), 0);
  EXPECT_EQ(string_of(c["info"], "name"), name_);
  EXPECT_EQ(string_of(c["info"]["config"], "topic"), topic_);
  EXPECT_EQ(string_of(c["info"], "type"), "source");
  ASSERT_TRUE(c["info"]["tasks"].IsArray() && c["info"]["tasks"].Size() == 1) << r.body;
  EXPECT_EQ(string_of(c["info"]["tasks"][0], "connector"), name_);
  EXPECT_EQ(c["info"]["tasks"][0]["task"].GetInt(), 0);
}

TEST_F(RestEndpointsTest, ExpandsOnlyStatusWhenStatusIsRequested) {
  ASSERT_EQ(create(name_, datagen(topic_)).status, 201);

  HttpResult r = call("GET", "/connectors?expand=status");

  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = parse_json(r);
  ASSERT_TRUE(d.IsObject() && d.HasMember(name_.c_str())) << r.body;
  EXPECT_TRUE(d[name_.c_str()].HasMember("status")) << r.body;
  EXPECT_FALSE(d[name_.c_str()].HasMember("info")) << r.body;
}

TEST_F(RestEndpointsTest, MapsConnectorToEmptyObjectWhenExpandValueIsUnknown) {
  ASSERT_EQ(create(name_, datagen(topic_)).status, 201);

  HttpResult r = call("GET", "/connectors?expand=everything");

  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"(")" + name_ + R"(":{})"), std::string::npos) << r.body;
}

// --- POST /connectors ---------------------------------------------------------------------------

TEST_F(RestEndpointsTest, Returns201WithInfoAndLocationWhenCreatingConnector) {
  HttpResult r = create(name_, datagen(topic_));

  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.headers["Location"], suite_.worker().base_url() + "/connectors/" + name_);
  rapidjson::Document d = parse_json(r);
  EXPECT_EQ(string_of(d, "name"), name_);
  EXPECT_EQ(string_of(d["config"], "name"), name_) << "the server inserts config.name";
  EXPECT_EQ(string_of(d["config"], "connector.class"), "DatagenSource");
  EXPECT_TRUE(d["tasks"].IsArray() && d["tasks"].Empty()) << r.body;
  EXPECT_EQ(string_of(d, "type"), "source");
  EXPECT_TRUE(reaches(name_, "RUNNING"));
}

TEST_F(RestEndpointsTest, AddressesConnectorByPercentEncodedNameWhenNameHasSpaces) {
  std::string name = name_ + " with space";
  ASSERT_EQ(create(name, datagen(topic_)).status, 201);
  std::string encoded = name_ + "%20with%20space";

  HttpResult r = call("GET", "/connectors/" + encoded);

  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(string_of(parse_json(r), "name"), name);
  created_.back() = encoded;
}

TEST_F(RestEndpointsTest, Returns409NamingConnectorWhenNameAlreadyExists) {
  ASSERT_EQ(create(name_, datagen(topic_)).status, 201);

  HttpResult r = create(name_, datagen(topic_ + "-other"));

  EXPECT_TRUE(is_error(r, 409, {name_}));
  EXPECT_EQ(string_of(parse_json(call("GET", "/connectors/" + name_ + "/config")), "topic"), topic_)
      << "the first config is kept";
}

TEST_F(RestEndpointsTest, Returns400NamingNearClassesWhenConnectorClassIsUnknown) {
  Props config = datagen(topic_);
  config["connector.class"] = "FileStreamSorce";

  HttpResult r = create(name_, config);

  EXPECT_TRUE(is_error(
      r, 400, {"FileStreamSorce", "org.apache.kafka.connect.file.FileStreamSourceConnector"}));
  EXPECT_EQ(call("GET", "/connectors/" + name_).status, 404);
}

TEST_F(RestEndpointsTest, AnswersBadNamesAndNullValuesInConnectsValidationForm) {
  const std::string datagen = R"("connector.class":"DatagenSource","topic":"t")";
  struct Case {
    std::string body;
    std::string fragment;
  };
  for (const Case& c :
       std::vector<Case>{{R"({"config":{)" + datagen + "}}", "String may not be empty"},
                         {R"({"name":"c\u0001x","config":{)" + datagen + "}}", "control sequences"},
                         {R"({"name":")" + name_ + R"(","config":{)" + datagen + R"(,"x.n":null}})",
                          "Null value can not be supplied"}}) {
    HttpResult r = call("POST", "/connectors", c.body);
    EXPECT_TRUE(
        is_error(r, 400, {"contains the following 1 error(s):", c.fragment, "config/validate"}))
        << c.body;
  }
  EXPECT_EQ(call("GET", "/connectors/" + name_).status, 404);
}

TEST_F(RestEndpointsTest, Returns400ListingFailingKeysWhenConfigIsInvalid) {
  Props config = {{"connector.class", "DatagenSource"}, {"tasks.max", "0"}};

  HttpResult r = create(name_, config);

  EXPECT_TRUE(is_error(r, 400, {"error(s)", "tasks.max", "topic", "config/validate"}));
  EXPECT_EQ(call("GET", "/connectors/" + name_).status, 404);
}

TEST_F(RestEndpointsTest, Returns400WhenConnectorClassIsMissing) {
  HttpResult r = create(name_, {{"topic", topic_}});

  EXPECT_TRUE(is_error(r, 400, {"connector type"}));
}

TEST_F(RestEndpointsTest, Returns400WithParserPositionWhenBodyIsMalformed) {
  HttpResult r = call("POST", "/connectors", R"({"name": "x", "config": {"topic": })");

  EXPECT_TRUE(is_error(r, 400, {"Malformed JSON", "at byte 34"}));
}

TEST_F(RestEndpointsTest, Returns400NamingBothWhenConfigNameDiffersFromName) {
  Props config = datagen(topic_);
  config["name"] = "someone-else";

  HttpResult r = create(name_, config);

  EXPECT_TRUE(is_error(r, 400, {"someone-else", name_}));
  EXPECT_EQ(call("GET", "/connectors/" + name_).status, 404);
}

TEST_F(RestEndpointsTest, Returns400WhenNameIsMissing) {
  HttpResult r = call("POST", "/connectors", "{\"config\":" + json_object(datagen(topic_)) + "}");

  EXPECT_TRUE(is_error(r, 400, {"name"}));
}

TEST_F(RestEndpointsTest, CreatesPausedConnectorWithoutTasksWhenInitialStateIsPaused) {
  HttpResult r = create(name_, datagen(topic_), "PAUSED");

  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(reaches(name_, "PAUSED", 0));
  EXPECT_EQ(call("GET", "/connectors/" + name_ + "/tasks").body, "[]");
  EXPECT_EQ(call("PUT", "/connectors/" + name_ + "/resume").status, 202);
  EXPECT_TRUE(reaches(name_, "RUNNING", 1));
}

TEST_F(RestEndpointsTest, ShowsPausedWithoutTasksWhenStoppedConnectorIsPaused) {
  ASSERT_EQ(create(name_, datagen(topic_)).status, 201);
  ASSERT_TRUE(reaches(name_, "RUNNING", 1));
  ASSERT_EQ(call("PUT", "/connectors/" + name_ + "/stop").status, 204);
  ASSERT_TRUE(reaches(name_, "STOPPED", 0));

  HttpResult paused = call("PUT", "/connectors/" + name_ + "/pause");

  EXPECT_EQ(paused.status, 202);
  EXPECT_TRUE(reaches(name_, "PAUSED", 0));
  EXPECT_EQ(call("PUT", "/connectors/" + name_ + "/resume").status, 202);
  EXPECT_TRUE(reaches(name_, "RUNNING", 1));
}

TEST_F(RestEndpointsTest, CreatesStoppedConnectorWithoutTasksWhenInitialStateIsStopped) {
  HttpResult r = create(name_, datagen(topic_), "stopped");

  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(reaches(name_, "STOPPED", 0));
  HttpResult tasks = call("GET", "/connectors/" + name_ + "/tasks");
  EXPECT_EQ(tasks.status, 200);
  EXPECT_EQ(tasks.body, "[]");
}

TEST_F(RestEndpointsTest, Returns400WhenInitialStateIsUnknown) {
  HttpResult r = create(name_, datagen(topic_), "SLEEPING");

  EXPECT_TRUE(is_error(r, 400, {"SLEEPING"}));
  EXPECT_EQ(call("GET", "/connectors/" + name_).status, 404);
}

TEST_F(RestEndpointsTest, Returns415WhenContentTypeIsNotJson) {
  HttpResult r = call("POST", "/connectors", create_body(name_, datagen(topic_)),
                      "application/x-www-form-urlencoded");

  EXPECT_TRUE(is_error(r, 415));
  EXPECT_EQ(call("GET", "/connectors/" + name_).status, 404);
}

// --- GET /connectors/{name} and config
// ------------------------------------------------------------

TEST_F(RestEndpointsTest, ReturnsConnectorInfoWithTasksWhenConnectorRuns) {
  ASSERT_EQ(create(name_, datagen(topic_, 2)).status, 201);
  ASSERT_TRUE(reaches(name_, "RUNNING", 2));

  HttpResult r = call("GET", "/connectors/" + name_);

  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"name":")" + name_ + R"(","config":)" +
                        json_object({{"connector.class", "DatagenSource"},
                                     {"count", "10"},
                                     {"name", name_},
                                     {"tasks.max", "2"},
                                     {"topic", topic_}}) +
                        R"(,"tasks":[{"connector":")" + name_ + R"(","task":0},{"connector":")" +
                        name_ + R"(","task":1}],"type":"source"})");
}

TEST_F(RestEndpointsTest, ReturnsConfigAsSubmittedWhenGettingConfig) {
  ASSERT_EQ(create(name_, datagen(topic_)).status, 201);

  HttpResult r = call("GET", "/connectors/" + name_ + "/config");

  ASSERT_EQ(r.status, 200) << r.body;
  Props expected = datagen(topic_);
  expected["name"] = name_;
  EXPECT_EQ(r.body, json_object(expected));
}

TEST_F(RestEndpointsTest, Returns201ThenOkWhenPuttingConfigTwice) {
  created_.push_back(name_);
  Props config = datagen(topic_);

  HttpResult first = call("PUT", "/connectors/" + name_ + "/config", json_object(config));
  config["count"] = "20";
  HttpResult second = call("PUT", "/connectors/" + name_ + "/config", json_object(config));

  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.headers["Location"], suite_.worker().base_url() + "/connectors/" + name_);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(string_of(parse_json(second), "name"), name_);
  EXPECT_EQ(string_of(parse_json(second)["config"], "count"), "20");
  EXPECT_EQ(string_of(parse_json(call("GET", "/connectors/" + name_ + "/config")), "count"), "20");
}

TEST_F(RestEndpointsTest, KeepsConnectorPausedWhenConfigIsReplaced) {
  ASSERT_EQ(create(name_, datagen(topic_), "PAUSED").status, 201);
  ASSERT_TRUE(reaches(name_, "PAUSED", 0));
  Props config = datagen(topic_);
  config["count"] = "20";

  HttpResult r = call("PUT", "/connectors/" + name_ + "/config", json_object(config));

  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(reaches(name_, "PAUSED", 0));
  EXPECT_EQ(call("PUT", "/connectors/" + name_ + "/resume").status, 202);
  EXPECT_TRUE(reaches(name_, "RUNNING", 1));
}

TEST_F(RestEndpointsTest, Returns400NamingBothWhenPutConfigNameDiffersFromUrl) {
  Props config = datagen(topic_);
  config["name"] = "someone-else";

  HttpResult r = call("PUT", "/connectors/" + name_ + "/config", json_object(config));

  EXPECT_TRUE(is_error(r, 400, {"someone-else", name_}));
  EXPECT_EQ(call("GET", "/connectors/" + name_).status, 404);
}

TEST_F(RestEndpointsTest, Returns400ListingFailingKeysWhenPutConfigIsInvalid) {
  ASSERT_EQ(create(name_, datagen(topic_)).status, 201);
  Props config = datagen(topic_);
  config["tasks.max"] = "0";

  HttpResult r = call("PUT", "/connectors/" + name_ + "/config", json_object(config));

  EXPECT_TRUE(is_error(r, 400, {"error(s)", "tasks.max"}));
  EXPECT_EQ(string_of(parse_json(call("GET", "/connectors/" + name_ + "/config")), "tasks.max"),
            "1");
}

TEST_F(RestEndpointsTest, SetsAndRemovesKeysWhenPatchingConfig) {
  Props config = datagen(topic_);
  config["size"] = "50";
  ASSERT_EQ(create(name_, config).status, 201);

  HttpResult r =
      call("PATCH", "/connectors/" + name_ + "/config", R"({"count": "30", "size": null})");

  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(string_of(parse_json(r)["config"], "count"), "30");
  rapidjson::Document stored = parse_json(call("GET", "/connectors/" + name_ + "/config"));
  EXPECT_EQ(string_of(stored, "count"), "30");
  EXPECT_EQ(string_of(stored, "topic"), topic_);
  EXPECT_FALSE(stored.HasMember("size"));
}

TEST_F(RestEndpointsTest, Returns404WhenPatchingUnknownConnector) {
  HttpResult r = call("PATCH", "/connectors/" + name_ + "/config", R"({"count": "30"})");

  EXPECT_TRUE(is_error(r, 404, {name_}));
  EXPECT_EQ(call("GET", "/connectors/" + name_).status, 404) << "PATCH never creates";
}

TEST_F(RestEndpointsTest, Returns404WithErrorBodyForEveryEndpointWhenConnectorIsUnknown) {
  std::string c = "/connectors/" + name_;
  std::vector<std::pair<std::string, std::string>> calls = {
      {"GET", c},
      {"GET", c + "/config"},
      {"GET", c + "/status"},
      {"GET", c + "/tasks"},
      {"GET", c + "/tasks/0/status"},
      {"POST", c + "/tasks/0/restart"},
      {"POST", c + "/restart"},
      {"POST", c + "/restart?includeTasks=true"},
      {"PUT", c + "/pause"},
      {"PUT", c + "/resume"},
      {"PUT", c + "/stop"},
      {"GET", c + "/offsets"},
      {"DELETE", c + "/offsets"},
      {"DELETE", c},
  };

  for (const auto& [method, path] : calls) {
    EXPECT_TRUE(is_error(call(method, path), 404, {name_})) << method << " " << path;
  }
}

// --- status, tasks, restart
// -----------------------------------------------------------------------

TEST_F(RestEndpointsTest, ReportsConnectorAndTasksSortedByIdWhenGettingStatus) {
  ASSERT_EQ(create(name_, datagen(topic_, 3)).status, 201);
  ASSERT_TRUE(reaches(name_, "RUNNING", 3));

  HttpResult r = call("GET", "/connectors/" + name_ + "/status");

  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = parse_json(r);
  EXPECT_EQ(string_of(d, "name"), name_);
  EXPECT_EQ(string_of(d, "type"), "source");
  std::string worker_id = string_of(d["connector"], "worker_id");
  EXPECT_EQ("http://" + worker_id, suite_.worker().base_url()) << "the advertised host:port";
  EXPECT_FALSE(d["connector"].HasMember("trace")) << "no trace while running";
  ASSERT_EQ(d["tasks"].Size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(d["tasks"][i]["id"].GetInt(), i);
    EXPECT_EQ(string_of(d["tasks"][i], "worker_id"), worker_id);
  }
}

TEST_F(RestEndpointsTest, ListsTaskConfigsWithTaskClassWhenGettingTasks) {
  ASSERT_EQ(create(name_, file_source(topic_)).status, 201);
  ASSERT_TRUE(reaches(name_, "RUNNING"));

  HttpResult r = call("GET", "/connectors/" + name_ + "/tasks");

  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = parse_json(r);
  ASSERT_TRUE(d.IsArray() && d.Size() == 1) << r.body;
  EXPECT_EQ(string_of(d[0]["id"], "connector"), name_);
  EXPECT_EQ(d[0]["id"]["task"].GetInt(), 0);
  EXPECT_EQ(string_of(d[0]["config"], "topic"), topic_);
  EXPECT_NE(string_of(d[0]["config"], "task.class"), "<missing>") << r.body;
}

TEST_F(RestEndpointsTest, ReturnsTaskStateWhenGettingTaskStatus) {
  ASSERT_EQ(create(name_, datagen(topic_)).status, 201);
  ASSERT_TRUE(reaches(name_, "RUNNING"));

  HttpResult r = call("GET", "/connectors/" + name_ + "/tasks/0/status");

  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = parse_json(r);
  EXPECT_EQ(d["id"].GetInt(), 0);
  EXPECT_EQ(string_of(d, "state"), "RUNNING");
  EXPECT_FALSE(string_of(d, "worker_id").empty());
}

TEST_F(RestEndpointsTest, Returns404WhenTaskIsUnknownOrNotANumber) {
  ASSERT_EQ(create(name_, datagen(topic_)).status, 201);
  ASSERT_TRUE(reaches(name_, "RUNNING"));

  HttpResult missing = call("GET", "/connectors/" + name_ + "/tasks/7/status");
  HttpResult word = call("GET", "/connectors/" + name_ + "/tasks/first/status");
  HttpResult restart = call("POST", "/connectors/" + name_ + "/tasks/7/restart");

  EXPECT_TRUE(is_error(missing, 404));
  EXPECT_TRUE(is_error(word, 404));
  EXPECT_TRUE(is_error(restart, 404));
}

TEST_F(RestEndpointsTest, Returns204AndKeepsRunningWhenRestartingConnectorWithoutFlags) {
  ASSERT_EQ(create(name_, datagen(topic_)).status, 201);
  ASSERT_TRUE(reaches(name_, "RUNNING"));

  HttpResult r = call("POST", "/connectors/" + name_ + "/restart");

  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty()) << r.body;
  EXPECT_TRUE(reaches(name_, "RUNNING"));
}

TEST_F(RestEndpointsTest, Returns202WithRestartingStatesWhenIncludeTasksIsTrue) {
  ASSERT_EQ(create(name_, datagen(topic_, 2)).status, 201);
  ASSERT_TRUE(reaches(name_, "RUNNING", 2));

  HttpResult r = call("POST", "/connectors/" + name_ + "/restart?includeTasks=true");

  ASSERT_EQ(r.status, 202) << r.body;
  rapidjson::Document d = parse_json(r);
  EXPECT_EQ(string_of(d, "name"), name_);
  EXPECT_EQ(string_of(d["connector"], "state"), "RESTARTING") << r.body;
  ASSERT_EQ(d["tasks"].Size(), 2u) << r.body;
  EXPECT_EQ(string_of(d["tasks"][0], "state"), "RESTARTING") << r.body;
  EXPECT_EQ(string_of(d["tasks"][1], "state"), "RESTARTING") << r.body;
  EXPECT_TRUE(reaches(name_, "RUNNING", 2));
}

TEST_F(RestEndpointsTest, Returns202WithCurrentStatesWhenOnlyFailedAndNothingFailed) {
  ASSERT_EQ(create(name_, datagen(topic_)).status, 201);
  ASSERT_TRUE(reaches(name_, "RUNNING"));

  HttpResult r =
      call("POST", "/connectors/" + name_ + "/restart?includeTasks=true&onlyFailed=true");

  ASSERT_EQ(r.status, 202) << r.body;
  rapidjson::Document d = parse_json(r);
  EXPECT_EQ(string_of(d["connector"], "state"), "RUNNING") << r.body;
  EXPECT_EQ(string_of(d["tasks"][0], "state"), "RUNNING") << r.body;
}

// A FileStreamSink whose output directory does not exist fails its task; once the directory
// exists, a restart heals it.
TEST_F(RestEndpointsTest, RestartsOnlyFailedTaskWhenOnlyFailedIsTrue) {
  Props config = file_sink(topic_);
  config["file"] = (files_ / "later" / "out.txt").string();
  ASSERT_EQ(create(name_, config).status, 201);
  ASSERT_TRUE(task_reaches(name_, 0, "FAILED"));
  EXPECT_FALSE(suite_.worker().task_trace(name_, 0).empty()) << "a FAILED task carries its trace";
  std::filesystem::create_directory(files_ / "later");

  HttpResult r =
      call("POST", "/connectors/" + name_ + "/restart?includeTasks=true&onlyFailed=true");

  ASSERT_EQ(r.status, 202) << r.body;
  rapidjson::Document d = parse_json(r);
  EXPECT_EQ(string_of(d["connector"], "state"), "RUNNING") << "not failed, not restarted";
  EXPECT_EQ(string_of(d["tasks"][0], "state"), "RESTARTING") << r.body;
  EXPECT_TRUE(task_reaches(name_, 0, "RUNNING"));
}

TEST_F(RestEndpointsTest, Returns204AndRunsTaskAgainWhenRestartingFailedTask) {
  Props config = file_sink(topic_);
  config["file"] = (files_ / "later" / "out.txt").string();
  ASSERT_EQ(create(name_, config).status, 201);
  ASSERT_TRUE(task_reaches(name_, 0, "FAILED"));
  std::filesystem::create_directory(files_ / "later");

  HttpResult r = call("POST", "/connectors/" + name_ + "/tasks/0/restart");

  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(task_reaches(name_, 0, "RUNNING"));
}

// --- pause, resume, stop, delete
// ------------------------------------------------------------------

TEST_F(RestEndpointsTest, PausesAndResumesWhenRequested) {
  ASSERT_EQ(create(name_, datagen(topic_, 2)).status, 201);
  ASSERT_TRUE(reaches(name_, "RUNNING", 2));

  HttpResult pause = call("PUT", "/connectors/" + name_ + "/pause");
  ASSERT_EQ(pause.status, 202) << pause.body;
  EXPECT_TRUE(pause.body.empty()) << pause.body;
  EXPECT_TRUE(reaches(name_, "PAUSED", 2));
  HttpResult again = call("PUT", "/connectors/" + name_ + "/pause");
  EXPECT_EQ(again.status, 202) << "idempotent: " << again.body;
  HttpResult resume = call("PUT", "/connectors/" + name_ + "/resume");

  ASSERT_EQ(resume.status, 202) << resume.body;
  EXPECT_TRUE(resume.body.empty()) << resume.body;
  EXPECT_TRUE(reaches(name_, "RUNNING", 2));
}

TEST_F(RestEndpointsTest, StopsConnectorAndDropsTasksThenResumesWhenRequested) {
  ASSERT_EQ(create(name_, datagen(topic_, 2)).status, 201);
  ASSERT_TRUE(reaches(name_, "RUNNING", 2));

  HttpResult stop = call("PUT", "/connectors/" + name_ + "/stop");
  ASSERT_EQ(stop.status, 204) << stop.body;
  EXPECT_TRUE(reaches(name_, "STOPPED", 0));
  EXPECT_EQ(call("GET", "/connectors/" + name_ + "/tasks").body, "[]");
  rapidjson::Document info = parse_json(call("GET", "/connectors/" + name_));
  EXPECT_TRUE(info["tasks"].IsArray() && info["tasks"].Empty());
  HttpResult resume = call("PUT", "/connectors/" + name_ + "/resume");

  EXPECT_EQ(resume.status, 202) << resume.body;
  EXPECT_TRUE(reaches(name_, "RUNNING", 2));
}

TEST_F(RestEndpointsTest, Returns204AndForgetsConnectorWhenDeleted) {
  ASSERT_EQ(create(name_, datagen(topic_)).status, 201);
  ASSERT_TRUE(reaches(name_, "RUNNING"));

  HttpResult r = call("DELETE", "/connectors/" + name_);

  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty());
  EXPECT_TRUE(is_error(call("GET", "/connectors/" + name_), 404));
  EXPECT_TRUE(is_error(call("GET", "/connectors/" + name_ + "/status"), 404));
  EXPECT_EQ(call("GET", "/connectors").body.find("\"" + name_ + "\""), std::string::npos);
}

TEST_F(RestEndpointsTest, AcceptsSameNameAgainWhenConnectorWasDeleted) {
  ASSERT_EQ(create(name_, datagen(topic_)).status, 201);
  ASSERT_EQ(call("DELETE", "/connectors/" + name_).status, 204);

  HttpResult r = create(name_, datagen(topic_ + "-second"));

  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(string_of(parse_json(r)["config"], "topic"), topic_ + "-second");
  EXPECT_TRUE(reaches(name_, "RUNNING"));
}

// --- topics --------------------------------------------------------------------------------------

TEST_F(RestEndpointsTest, ListsProducedTopicThenNoneWhenTopicsAreReset) {
  ASSERT_EQ(create(name_, datagen(topic_, 1, 5)).status, 201);
  std::string expected = R"({")" + name_ + R"(":{"topics":[")" + topic_ + R"("]}})";
  std::string last;
  ASSERT_TRUE(eventually(
      [&] { return (last = call("GET", "/connectors/" + name_ + "/topics").body) == expected; },
      30s, [&] { return last; }));

  HttpResult reset = call("PUT", "/connectors/" + name_ + "/topics/reset");

  EXPECT_EQ(reset.status, 202) << reset.body;
  EXPECT_TRUE(reset.body.empty()) << reset.body;
  HttpResult after = call("GET", "/connectors/" + name_ + "/topics");
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.body, R"({")" + name_ + R"(":{"topics":[]}})");
}

TEST_F(RestEndpointsTest, ReturnsEmptyTopicsWhenConnectorIsUnknown) {
  HttpResult r = call("GET", "/connectors/" + name_ + "/topics");

  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({")" + name_ + R"(":{"topics":[]}})");
}

// --- offsets -------------------------------------------------------------------------------------

std::string file_offsets(const std::filesystem::path& file, int position) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("offsets");
  w.StartArray();
  w.StartObject();
  w.Key("partition");
  w.StartObject();
  w.Key("filename");
  w.String(file.string().c_str());
  w.EndObject();
  w.Key("offset");
  w.StartObject();
  w.Key("position");
  w.Int(position);
  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return buf.GetString();
}

TEST_F(RestEndpointsTest, ReturnsFilePositionWhenGettingSourceOffsets) {
  append_lines(files_ / "input.txt", 0, 4);
  ASSERT_EQ(create(name_, file_source(topic_)).status, 201);
  std::string expected = file_offsets(files_ / "input.txt", 4 * kLineBytes);
  std::string last;

  EXPECT_TRUE(eventually(
      [&] { return (last = call("GET", "/connectors/" + name_ + "/offsets").body) == expected; },
      30s, [&] { return last; }));
}

TEST_F(RestEndpointsTest, ReturnsCommittedConsumerOffsetWhenGettingSinkOffsets) {
  ASSERT_TRUE(is_ok(produce(broker().bootstrap(), topic_, {"a", "b", "c"})));
  ASSERT_EQ(create(name_, file_sink(topic_)).status, 201);
  std::string expected = R"({"offsets":[{"partition":{"kafka_topic":")" + topic_ +
                         R"(","kafka_partition":0},"offset":{"kafka_offset":3}}]})";
  std::string last;

  EXPECT_TRUE(eventually(
      [&] { return (last = call("GET", "/connectors/" + name_ + "/offsets").body) == expected; },
      30s, [&] { return last; }));
  EXPECT_EQ(read_lines(files_ / "output.txt"), (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(RestEndpointsTest, Returns400AskingForStopWhenModifyingOffsetsOfRunningConnector) {
  append_lines(files_ / "input.txt", 0, 2);
  ASSERT_EQ(create(name_, file_source(topic_)).status, 201);
  ASSERT_TRUE(reaches(name_, "RUNNING"));

  HttpResult alter =
      call("PATCH", "/connectors/" + name_ + "/offsets", file_offsets(files_ / "input.txt", 0));
  HttpResult reset = call("DELETE", "/connectors/" + name_ + "/offsets");

  EXPECT_TRUE(is_error(alter, 400, {"STOPPED", "/stop"}));
  EXPECT_TRUE(is_error(reset, 400, {"STOPPED", "/stop"}));
}

TEST_F(RestEndpointsTest, Returns400WhenAlteredOffsetsListIsEmpty) {
  ASSERT_EQ(create(name_, file_source(topic_), "STOPPED").status, 201);

  HttpResult r = call("PATCH", "/connectors/" + name_ + "/offsets", R"({"offsets": []})");

  EXPECT_TRUE(is_error(r, 400));
}

TEST_F(RestEndpointsTest, ContinuesFromAlteredPositionWhenResumedAfterPatchingOffsets) {
  append_lines(files_ / "input.txt", 0, 10);
  ASSERT_EQ(create(name_, file_source(topic_)).status, 201);
  ASSERT_EQ(create(name_ + "-sink", file_sink(topic_)).status, 201);
  ASSERT_TRUE(eventually([&] { return read_lines(files_ / "output.txt").size() == 10; }, 30s));
  ASSERT_EQ(call("PUT", "/connectors/" + name_ + "/stop").status, 204);
  ASSERT_TRUE(reaches(name_, "STOPPED", 0));
  append_lines(files_ / "input.txt", 10, 20);

  // Skip lines 10..14: continue at line 15.
  HttpResult alter = call("PATCH", "/connectors/" + name_ + "/offsets",
                          file_offsets(files_ / "input.txt", 15 * kLineBytes));
  ASSERT_EQ(alter.status, 200) << alter.body;
  EXPECT_NE(string_of(parse_json(alter), "message").find("altered"), std::string::npos)
      << alter.body;
  EXPECT_EQ(call("GET", "/connectors/" + name_ + "/offsets").body,
            file_offsets(files_ / "input.txt", 15 * kLineBytes));
  ASSERT_EQ(call("PUT", "/connectors/" + name_ + "/resume").status, 202);

  ASSERT_TRUE(eventually([&] { return read_lines(files_ / "output.txt").size() >= 15; }, 30s,
                         [&] { return std::to_string(read_lines(files_ / "output.txt").size()); }));
  std::vector<std::string> expected = lines(0, 10);
  for (const auto& l : lines(15, 20)) expected.push_back(l);
  EXPECT_EQ(read_lines(files_ / "output.txt"), expected);
}

TEST_F(RestEndpointsTest, ReadsFileFromStartWhenResumedAfterResettingOffsets) {
  append_lines(files_ / "input.txt", 0, 5);
  ASSERT_EQ(create(name_, file_source(topic_)).status, 201);
  ASSERT_EQ(create(name_ + "-sink", file_sink(topic_)).status, 201);
  ASSERT_TRUE(eventually([&] { return read_lines(files_ / "output.txt").size() == 5; }, 30s));
  ASSERT_EQ(call("PUT", "/connectors/" + name_ + "/stop").status, 204);

  HttpResult reset = call("DELETE", "/connectors/" + name_ + "/offsets");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_NE(string_of(parse_json(reset), "message").find("reset"), std::string::npos) << reset.body;
  EXPECT_EQ(call("GET", "/connectors/" + name_ + "/offsets").body, R"({"offsets":[]})");
  ASSERT_EQ(call("PUT", "/connectors/" + name_ + "/resume").status, 202);

  ASSERT_TRUE(eventually([&] { return read_lines(files_ / "output.txt").size() >= 10; }, 30s));
  std::vector<std::string> expected = lines(0, 5);
  for (const auto& l : lines(0, 5)) expected.push_back(l);
  EXPECT_EQ(read_lines(files_ / "output.txt"), expected);
}

std::string sink_offsets(const std::string& topic, const std::string& offset) {
  return R"({"offsets":[{"partition":{"kafka_topic":")" + topic +
         R"(","kafka_partition":0},"offset":)" + offset + "}]}";
}

TEST_F(RestEndpointsTest, ContinuesSinkFromAlteredOffsetWhenResumedAfterPatchingOffsets) {
  ASSERT_TRUE(is_ok(produce(broker().bootstrap(), topic_, {"a", "b", "c", "d", "e"})));
  ASSERT_EQ(create(name_, file_sink(topic_)).status, 201);
  ASSERT_TRUE(eventually([&] { return read_lines(files_ / "output.txt").size() == 5; }, 30s));
  ASSERT_TRUE(eventually(
      [&] {
        return call("GET", "/connectors/" + name_ + "/offsets").body ==
               sink_offsets(topic_, R"({"kafka_offset":5})");
      },
      30s));
  ASSERT_EQ(call("PUT", "/connectors/" + name_ + "/stop").status, 204);

  HttpResult alter = call("PATCH", "/connectors/" + name_ + "/offsets",
                          sink_offsets(topic_, R"({"kafka_offset":3})"));
  ASSERT_EQ(alter.status, 200) << alter.body;
  EXPECT_NE(string_of(parse_json(alter), "message").find("altered"), std::string::npos)
      << alter.body;
  EXPECT_EQ(call("GET", "/connectors/" + name_ + "/offsets").body,
            sink_offsets(topic_, R"({"kafka_offset":3})"));
  ASSERT_EQ(call("PUT", "/connectors/" + name_ + "/resume").status, 202);

  ASSERT_TRUE(eventually([&] { return read_lines(files_ / "output.txt").size() >= 7; }, 30s,
                         [&] { return std::to_string(read_lines(files_ / "output.txt").size()); }));
  EXPECT_EQ(read_lines(files_ / "output.txt"),
            (std::vector<std::string>{"a", "b", "c", "d", "e", "d", "e"}));
}

TEST_F(RestEndpointsTest, ReadsTopicFromStartWhenResumedAfterResettingSinkOffsets) {
  ASSERT_TRUE(is_ok(produce(broker().bootstrap(), topic_, {"a", "b"})));
  ASSERT_EQ(create(name_, file_sink(topic_)).status, 201);
  ASSERT_TRUE(eventually([&] { return read_lines(files_ / "output.txt").size() == 2; }, 30s));
  ASSERT_TRUE(eventually(
      [&] {
        return call("GET", "/connectors/" + name_ + "/offsets").body ==
               sink_offsets(topic_, R"({"kafka_offset":2})");
      },
      30s));
  ASSERT_EQ(call("PUT", "/connectors/" + name_ + "/stop").status, 204);

  HttpResult reset = call("DELETE", "/connectors/" + name_ + "/offsets");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_NE(string_of(parse_json(reset), "message").find("reset"), std::string::npos) << reset.body;
  EXPECT_EQ(call("GET", "/connectors/" + name_ + "/offsets").body, R"({"offsets":[]})");
  ASSERT_EQ(call("PUT", "/connectors/" + name_ + "/resume").status, 202);

  ASSERT_TRUE(eventually([&] { return read_lines(files_ / "output.txt").size() >= 4; }, 30s));
  EXPECT_EQ(read_lines(files_ / "output.txt"), (std::vector<std::string>{"a", "b", "a", "b"}));
}

TEST_F(RestEndpointsTest, Returns400WhenSinkPartitionHasUnknownField) {
  ASSERT_EQ(create(name_, file_sink(topic_), "STOPPED").status, 201);

  HttpResult r = call("PATCH", "/connectors/" + name_ + "/offsets",
                      R"({"offsets":[{"partition":{"kafka_topic":")" + topic_ +
                          R"(","kafka_partition":0,"extra":1},"offset":{"kafka_offset":1}}]})");

  EXPECT_TRUE(is_error(r, 400, {"extra"}));
}

// --- connector plugins
// ----------------------------------------------------------------------------

std::vector<std::pair<std::string, std::string>> plugin_list(const HttpResult& r) {
  std::vector<std::pair<std::string, std::string>> out;  // (type, class)
  rapidjson::Document d = parse_json(r);
  if (!d.IsArray()) return out;
  for (const auto& p : d.GetArray()) out.emplace_back(string_of(p, "type"), string_of(p, "class"));
  return out;
}

TEST_F(RestEndpointsTest, ListsSinksThenSourcesWhenGettingConnectorPlugins) {
  HttpResult r = call("GET", "/connector-plugins");

  ASSERT_EQ(r.status, 200) << r.body;
  auto plugins = plugin_list(r);
  auto has = [&](const std::string& type, const std::string& cls) {
    return std::find(plugins.begin(), plugins.end(), std::pair(type, cls)) != plugins.end();
  };
  EXPECT_TRUE(has("source", "org.apache.kafka.connect.file.FileStreamSourceConnector")) << r.body;
  EXPECT_TRUE(has("sink", "org.apache.kafka.connect.file.FileStreamSinkConnector")) << r.body;
  EXPECT_TRUE(has("source", "dev.kanal.connect.datagen.DatagenSourceConnector")) << r.body;
  EXPECT_TRUE(has("sink", "dev.kanal.connect.datagen.DatagenSinkConnector")) << r.body;
  bool seen_source = false;
  for (const auto& [type, cls] : plugins) {
    EXPECT_TRUE(type == "source" || type == "sink") << cls << " is a " << type;
    if (type == "source") seen_source = true;
    EXPECT_FALSE(type == "sink" && seen_source) << "sink " << cls << " listed after a source";
  }
}

TEST_F(RestEndpointsTest, ListsTransformsPredicatesAndConvertersWhenConnectorsOnlyIsFalse) {
  HttpResult r = call("GET", "/connector-plugins?connectorsOnly=false");

  ASSERT_EQ(r.status, 200) << r.body;
  std::set<std::string> types;
  for (const auto& [type, cls] : plugin_list(r)) types.insert(type);
  for (const char* t : {"sink", "source", "transformation", "predicate", "converter"}) {
    EXPECT_TRUE(types.count(t)) << "no plugin of type " << t << " in " << r.body;
  }
  EXPECT_NE(r.body.find("org.apache.kafka.connect.json.JsonConverter"), std::string::npos);
  EXPECT_NE(r.body.find("org.apache.kafka.connect.transforms.InsertField$Value"),
            std::string::npos);
}

TEST_F(RestEndpointsTest, ReturnsPluginConfigKeysWhenGettingPluginConfig) {
  HttpResult r = call("GET", "/connector-plugins/FileStreamSource/config");

  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = parse_json(r);
  ASSERT_TRUE(d.IsArray()) << r.body;
  const rapidjson::Value* file = nullptr;
  for (const auto& k : d.GetArray()) {
    if (string_of(k, "name") == "file") file = &k;
  }
  ASSERT_NE(file, nullptr) << r.body;
  EXPECT_EQ(string_of(*file, "type"), "STRING");
  EXPECT_EQ(string_of(*file, "importance"), "HIGH");
  for (const char* member : {"required", "default_value", "documentation", "group", "width",
                             "display_name", "dependents", "order_in_group"}) {
    EXPECT_TRUE(file->HasMember(member)) << member << " missing in " << r.body;
  }
}

TEST_F(RestEndpointsTest, Returns404WhenPluginIsUnknown) {
  HttpResult r = call("GET", "/connector-plugins/NoSuchConnector/config");

  EXPECT_TRUE(is_error(r, 404, {"NoSuchConnector"}));
}

TEST_F(RestEndpointsTest, Returns400WhenPluginHasNoSuchVersion) {
  HttpResult r = call("GET", "/connector-plugins/FileStreamSource/config?version=9.9.9");

  EXPECT_TRUE(is_error(r, 400, {"9.9.9"}));
}

TEST_F(RestEndpointsTest, ReturnsConfigInfosWithErrorsWhenValidatingBadConfig) {
  Props config = datagen(topic_);
  config["name"] = name_;
  config["tasks.max"] = "0";

  HttpResult r =
      call("PUT", "/connector-plugins/DatagenSource/config/validate", json_object(config));

  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = parse_json(r);
  EXPECT_EQ(string_of(d, "name"), "DatagenSource") << "the class as given";
  ASSERT_TRUE(d["error_count"].IsInt());
  EXPECT_EQ(d["error_count"].GetInt(), 1) << r.body;
  ASSERT_TRUE(d["groups"].IsArray() && !d["groups"].Empty());
  EXPECT_EQ(std::string(d["groups"][0].GetString()), "Common");
  const rapidjson::Value* tasks_max = nullptr;
  for (const auto& c : d["configs"].GetArray()) {
    ASSERT_TRUE(c.HasMember("definition") && c.HasMember("value")) << r.body;
    if (c["value"].IsObject() && string_of(c["value"], "name") == "tasks.max") tasks_max = &c;
  }
  ASSERT_NE(tasks_max, nullptr) << r.body;
  EXPECT_EQ(string_of((*tasks_max)["definition"], "type"), "INT");
  EXPECT_EQ(string_of((*tasks_max)["definition"], "group"), "Common");
  const rapidjson::Value& value = (*tasks_max)["value"];
  EXPECT_EQ(string_of(value, "value"), "0");
  EXPECT_TRUE(value["recommended_values"].IsArray());
  EXPECT_TRUE(value["visible"].IsBool());
  ASSERT_TRUE(value["errors"].IsArray() && value["errors"].Size() == 1) << r.body;
  EXPECT_NE(std::string(value["errors"][0].GetString()).find("tasks.max"), std::string::npos);
}

TEST_F(RestEndpointsTest, ReturnsNoErrorsWhenValidatingGoodConfigUnderShortName) {
  Props config = file_sink(topic_);
  config["name"] = name_;
  config["connector.class"] = "org.apache.kafka.connect.file.FileStreamSinkConnector";

  HttpResult r =
      call("PUT", "/connector-plugins/FileStreamSink/config/validate", json_object(config));

  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = parse_json(r);
  EXPECT_EQ(d["error_count"].GetInt(), 0) << r.body;
  EXPECT_EQ(string_of(d, "name"), "org.apache.kafka.connect.file.FileStreamSinkConnector");
}

TEST_F(RestEndpointsTest, ListsPluginVersionKeysWithResolvedDefaultsWhenValidating) {
  Props config = file_source(topic_);
  config["name"] = name_;
  config["transforms"] = "mask";
  config["transforms.mask.type"] = "org.apache.kafka.connect.transforms.MaskField$Value";
  config["transforms.mask.fields"] = "f";

  HttpResult r =
      call("PUT", "/connector-plugins/FileStreamSource/config/validate", json_object(config));

  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = parse_json(r);
  EXPECT_EQ(d["error_count"].GetInt(), 0) << r.body;
  std::vector<std::string> names;
  std::map<std::string, const rapidjson::Value*> by_name;
  for (const auto& c : d["configs"].GetArray()) {
    names.push_back(string_of(c["value"], "name"));
    by_name[names.back()] = &c;
  }
  // KIP-891 keys in Connect 4.3.1's order (docs/compatibility.md, K6).
  const std::vector<std::string> head = {"name",
                                         "connector.class",
                                         "connector.plugin.version",
                                         "tasks.max",
                                         "tasks.max.enforce",
                                         "key.converter",
                                         "key.converter.plugin.version",
                                         "value.converter",
                                         "value.converter.plugin.version",
                                         "header.converter",
                                         "header.converter.plugin.version"};
  ASSERT_GE(names.size(), head.size()) << r.body;
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + head.size()), head) << r.body;
  for (const char* key : {"transaction.boundary.interval.ms", "transforms.mask.plugin.version"}) {
    EXPECT_EQ(by_name.count(key), 1u) << key << " in " << r.body;
  }
  const rapidjson::Value& version = *by_name.at("connector.plugin.version");
  std::string resolved = string_of(version["definition"], "default_value");
  EXPECT_FALSE(resolved.empty()) << r.body;
  EXPECT_NE(resolved, "<missing>") << r.body;
  EXPECT_EQ(string_of(version["value"], "value"), resolved) << r.body;
  const rapidjson::Value& mask = *by_name.at("transforms.mask.plugin.version");
  EXPECT_EQ(string_of(mask["definition"], "default_value"), "4.3.1") << r.body;
  EXPECT_EQ(string_of(mask["definition"], "group"), "Transforms: mask") << r.body;
  EXPECT_EQ(string_of((*by_name.at("offsets.storage.topic"))["definition"], "group"),
            "offsets.topic");
}

TEST_F(RestEndpointsTest, Returns400NamingAvailableVersionsWhenConverterVersionIsUnknown) {
  Props config = file_source(topic_);
  config["value.converter"] = "org.apache.kafka.connect.storage.StringConverter";
  config["value.converter.plugin.version"] = "9.9.9";

  HttpResult r = call("PUT", "/connectors/" + name_ + "/config", json_object(config));

  EXPECT_TRUE(is_error(r, 400,
                       {"error(s)",
                        "Plugin org.apache.kafka.connect.storage.StringConverter not found that "
                        "matches the version range [9.9.9,9.9.9], available versions: ["}))
      << r.body;
  EXPECT_EQ(call("GET", "/connectors/" + name_).status, 404);
}

TEST_F(RestEndpointsTest, Returns400InValidationFormWhenConnectorVersionIsUnknown) {
  Props config = file_source(topic_);
  config["connector.plugin.version"] = "9.9.9";

  HttpResult r = create(name_, config);

  EXPECT_TRUE(is_error(r, 400,
                       {"contains the following 1 error(s):",
                        "Plugin org.apache.kafka.connect.file.FileStreamSourceConnector not found "
                        "that matches the version range [9.9.9,9.9.9], available versions: [",
                        "config/validate"}))
      << r.body;
  EXPECT_EQ(call("GET", "/connectors/" + name_).status, 404);
}

TEST_F(RestEndpointsTest, ListsConfigKeysOfTransformationsAndPredicates) {
  HttpResult t = call(
      "GET", "/connector-plugins/org.apache.kafka.connect.transforms.InsertField$Value/config");
  EXPECT_EQ(t.status, 200) << t.body;
  EXPECT_NE(t.body.find(R"("name":"static.field")"), std::string::npos) << t.body;
  HttpResult p = call("GET", "/connector-plugins/TopicNameMatches/config");
  EXPECT_EQ(p.status, 200) << p.body;
  EXPECT_NE(p.body.find(R"("name":"pattern")"), std::string::npos) << p.body;
  // A known transformation without the asked version: 400, as for connectors.
  HttpResult v =
      call("GET",
           "/connector-plugins/org.apache.kafka.connect.transforms.InsertField$Value/config"
           "?version=9.9.9");
  EXPECT_TRUE(is_error(v, 400, {"9.9.9"})) << v.body;
}

TEST_F(RestEndpointsTest, ListsConfigKeysOfConvertersAndHeaderConverters) {
  auto names = [this](const std::string& plugin) {
    HttpResult r = call("GET", "/connector-plugins/" + plugin + "/config");
    EXPECT_EQ(r.status, 200) << plugin << ": " << r.body;
    std::vector<std::string> out;
    if (r.status != 200) return out;
    rapidjson::Document keys = parse_json(r);
    for (const auto& k : keys.GetArray()) out.push_back(string_of(k, "name"));
    return out;
  };
  // The keys Connect 4.3.1 lists for each (docs/compatibility.md).
  EXPECT_EQ(
      names("JsonConverter"),
      (std::vector<std::string>{"converter.type", "schemas.enable", "schemas.cache.size",
                                "schema.content", "decimal.format", "replace.null.with.default"}));
  EXPECT_EQ(names("org.apache.kafka.connect.storage.StringConverter"),
            (std::vector<std::string>{"converter.type", "converter.encoding"}));
  EXPECT_EQ(names("ByteArrayConverter"), std::vector<std::string>{"converter.type"});
  EXPECT_EQ(names("IntegerConverter"), std::vector<std::string>{"converter.type"});
  EXPECT_EQ(names("SimpleHeaderConverter"), std::vector<std::string>{});

  HttpResult json = call("GET", "/connector-plugins/JsonConverter/config");
  ASSERT_EQ(json.status, 200) << json.body;
  rapidjson::Document d = parse_json(json);
  const rapidjson::Value& schemas = d[1];
  EXPECT_EQ(string_of(schemas, "type"), "BOOLEAN");
  EXPECT_EQ(string_of(schemas, "default_value"), "true");
  EXPECT_EQ(string_of(schemas, "group"), "Schemas");
  EXPECT_TRUE(d[0]["required"].GetBool());  // converter.type
  const rapidjson::Value& content = d[3];
  EXPECT_EQ(string_of(content, "name"), "schema.content");
  EXPECT_EQ(string_of(content, "type"), "STRING");
  EXPECT_TRUE(content["default_value"].IsNull());
  EXPECT_FALSE(content["required"].GetBool());
  EXPECT_EQ(content["order_in_group"].GetInt(), 2);

  HttpResult v = call("GET", "/connector-plugins/JsonConverter/config?version=9.9.9");
  EXPECT_TRUE(is_error(v, 400, {"9.9.9", "JsonConverter"})) << v.body;
}

TEST_F(RestEndpointsTest, ValidatesSettingsOfConvertersTheConnectorNames) {
  Props config = file_source(topic_);
  config["name"] = name_;
  config["value.converter"] = "JsonConverter";
  config["value.converter.schemas.enable"] = "maybe";
  config["value.converter.decimal.format"] = "HEX";
  config["key.converter"] = "StringConverter";
  config["key.converter.converter.encoding"] = "ISO-8859-1";  // kanal converts UTF-8 only

  HttpResult r =
      call("PUT", "/connector-plugins/FileStreamSource/config/validate", json_object(config));

  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = parse_json(r);
  EXPECT_EQ(d["error_count"].GetInt(), 3) << r.body;
  std::map<std::string, std::pair<std::string, std::string>> seen;  // name -> (value, errors)
  for (const auto& c : d["configs"].GetArray()) {
    std::string errors;
    for (const auto& e : c["value"]["errors"].GetArray()) errors += e.GetString();
    const rapidjson::Value& value = c["value"]["value"];
    seen[string_of(c["value"], "name")] = {value.IsString() ? value.GetString() : "null", errors};
  }
  EXPECT_EQ(seen["value.converter.converter.type"].first, "value");
  EXPECT_EQ(seen["key.converter.converter.type"].first, "key");
  EXPECT_EQ(seen["key.converter.converter.encoding"].first, "ISO-8859-1");
  EXPECT_NE(seen["key.converter.converter.encoding"].second.find("only UTF-8 is supported"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(seen["value.converter.schemas.cache.size"],
            std::make_pair(std::string("1000"), std::string()));
  EXPECT_NE(seen["value.converter.schemas.enable"].second.find(
                "Invalid value maybe for configuration schemas.enable"),
            std::string::npos)
      << r.body;
  EXPECT_NE(seen["value.converter.decimal.format"].second.find(
                "String must be one of (case insensitive): NUMERIC, BASE64"),
            std::string::npos)
      << r.body;
  // Converters the connector does not name (here the worker's header converter) are not listed.
  EXPECT_EQ(seen.count("header.converter.converter.type"), 0u);
  std::vector<std::string> groups;
  for (const auto& g : d["groups"].GetArray()) groups.emplace_back(g.GetString());
  EXPECT_NE(std::find(groups.begin(), groups.end(), "Schemas"), groups.end()) << r.body;
  EXPECT_NE(std::find(groups.begin(), groups.end(), "Serialization"), groups.end()) << r.body;

  // A create with the same settings is refused and nothing is stored.
  Props create_config = config;
  create_config.erase("value.converter.decimal.format");
  create_config.erase("key.converter.converter.encoding");
  HttpResult c = create(name_, create_config);
  EXPECT_TRUE(
      is_error(c, 400, {"1 error(s)", "Invalid value maybe for configuration schemas.enable"}))
      << c.body;
  EXPECT_EQ(call("GET", "/connectors/" + name_).status, 404);
}

TEST_F(RestEndpointsTest, Returns400NamingNearClassesWhenValidatedClassIsUnknown) {
  Props config = datagen(topic_);
  config["connector.class"] = "DatagenSorce";

  HttpResult r =
      call("PUT", "/connector-plugins/DatagenSorce/config/validate", json_object(config));

  EXPECT_TRUE(
      is_error(r, 400, {"DatagenSorce", "dev.kanal.connect.datagen.DatagenSourceConnector"}));
}

TEST_F(RestEndpointsTest, Returns400WhenValidatedClassDiffersFromPath) {
  HttpResult r = call("PUT", "/connector-plugins/FileStreamSink/config/validate",
                      json_object(datagen(topic_)));

  EXPECT_TRUE(is_error(r, 400, {"DatagenSource", "FileStreamSink"}));
}

TEST_F(RestEndpointsTest, Returns400WhenValidatedConfigHasNoConnectorClass) {
  HttpResult r = call("PUT", "/connector-plugins/FileStreamSink/config/validate",
                      json_object({{"topics", topic_}}));

  EXPECT_TRUE(is_error(r, 400, {"connector type"}));
}

// --- admin/loggers -------------------------------------------------------------------------------

TEST_F(RestEndpointsTest, ListsRootLoggerWhenGettingLoggers) {
  HttpResult r = call("GET", "/admin/loggers");

  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = parse_json(r);
  ASSERT_TRUE(d.IsObject() && d.HasMember("root")) << r.body;
  EXPECT_NE(string_of(d["root"], "level"), "<missing>");
  EXPECT_TRUE(d["root"].HasMember("last_modified"));
}

// The herder logs "connector.created" on its thread before the create is answered, so the log
// shows, in order, what each level let through.
TEST_F(RestEndpointsTest, ChangesLevelOfRunningWorkerWhenLoggerIsSet) {
  std::string quiet = name_ + "-while-warn";
  std::string loud = name_ + "-after-info";

  HttpResult set = call("PUT", "/admin/loggers/kanal.herder", R"({"level": "warn"})");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_NE(set.body.find("\"kanal.herder\""), std::string::npos) << set.body;
  rapidjson::Document got = parse_json(call("GET", "/admin/loggers/kanal.herder"));
  EXPECT_EQ(string_of(got, "level"), "WARN");
  EXPECT_TRUE(got["last_modified"].IsInt64());
  ASSERT_EQ(create(quiet, datagen(topic_), "STOPPED").status, 201);
  HttpResult back = call("PUT", "/admin/loggers/kanal.herder", R"({"level": "INFO"})");
  ASSERT_EQ(back.status, 200) << back.body;
  ASSERT_EQ(create(loud, datagen(topic_), "STOPPED").status, 201);

  ASSERT_TRUE(eventually(
      [&] {
        auto log = read_file(suite_.worker().log_file());
        return log.ok() && log->find("connector.created connector=" + loud) != std::string::npos;
      },
      10s));
  auto log = read_file(suite_.worker().log_file());
  ASSERT_TRUE(is_ok(log));
  EXPECT_EQ(log->find("connector.created connector=" + quiet), std::string::npos);
}

TEST_F(RestEndpointsTest, Returns204WhenLoggerScopeIsCluster) {
  HttpResult r =
      call("PUT", "/admin/loggers/kanal.rest.access?scope=cluster", R"({"level": "INFO"})");

  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(string_of(parse_json(call("GET", "/admin/loggers/kanal.rest.access")), "level"),
            "INFO");
}

TEST_F(RestEndpointsTest, Returns400WhenLoggerLevelIsMissing) {
  HttpResult r = call("PUT", "/admin/loggers/kanal.rest", R"({"lvl": "DEBUG"})");

  EXPECT_TRUE(is_error(r, 400, {"level"}));
}

TEST_F(RestEndpointsTest, Returns404WhenLoggerLevelIsUnknown) {
  HttpResult r = call("PUT", "/admin/loggers/kanal.rest", R"({"level": "LOUD"})");

  EXPECT_TRUE(is_error(r, 404, {"LOUD"}));
}

TEST_F(RestEndpointsTest, Returns404WhenLoggerIsUnknown) {
  HttpResult r = call("GET", "/admin/loggers/" + name_);

  EXPECT_TRUE(is_error(r, 404, {name_}));
}

// --- framework errors ----------------------------------------------------------------------------

TEST_F(RestEndpointsTest, Returns404WithErrorBodyWhenRouteIsUnknown) {
  HttpResult r = call("GET", "/no-such-route");

  EXPECT_TRUE(is_error(r, 404));
}

TEST_F(RestEndpointsTest, Returns405WithErrorBodyWhenMethodIsWrong) {
  HttpResult plugins = call("POST", "/connector-plugins", "{}");
  HttpResult connectors = call("DELETE", "/connectors");

  EXPECT_TRUE(is_error(plugins, 405));
  EXPECT_TRUE(is_error(connectors, 405));
}

TEST_F(RestEndpointsTest, Returns413AndKeepsServingWhenBodyExceedsMaxRequestBytes) {
  Props config = datagen(topic_);
  config["padding"] = std::string(kMaxRequestBytes, 'x');

  HttpResult r = create(name_, config);

  EXPECT_TRUE(is_error(r, 413, {"rest.request.max.bytes"}));
  EXPECT_EQ(call("GET", "/connectors/" + name_).status, 404);
  EXPECT_EQ(call("GET", "/").status, 200);
}

}  // namespace
}  // namespace kanal::testing
