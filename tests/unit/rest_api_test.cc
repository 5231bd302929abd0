#include "rest/rest_api.h"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/log.h"
#include "rest/testing/fake_herder.h"

namespace kanal::rest {
namespace {

using testing::FakeHerder;

constexpr const char* kSinkBody =
    R"({"name":"local-file-sink","config":{"connector.class":"FileStreamSink","tasks.max":"1",)"
    R"("file":"out.txt","topics":"lines"}})";
constexpr const char* kSourceConfig =
    R"({"connector.class":"FileStreamSource","tasks.max":"2","file":"in.txt","topic":"lines"})";

class RestApiTest : public ::testing::Test {
 protected:
  explicit RestApiTest(RestApiOptions options = {}) : api_(herder_, options) {}

  HttpResponse call(std::string method, std::string target, std::string body = "",
                    std::string content_type = "application/json") {
    HttpRequest r;
    r.method = std::move(method);
    size_t q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) r.query = target.substr(q + 1);
    r.body = std::move(body);
    if (!r.body.empty()) r.content_type = std::move(content_type);
    r.base_url = "http://localhost:8083";
    return api_.handle(r);
  }

  // Creates `name` as a FileStreamSource with two tasks.
  void create_source(const std::string& name) {
    HttpResponse r = call("PUT", "/connectors/" + name + "/config", kSourceConfig);
    ASSERT_EQ(r.status, 201) << r.body;
  }

  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  FakeHerder herder_;
  RestApi api_;
};

// --- GET / and GET /health ------------------------------------------------------------------

TEST_F(RestApiTest, ReturnsServerInfoWhenGettingRoot) {
  HttpResponse r = call("GET", "/");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(
      r.body,
      R"({"version":"0.1.0-test","commit":"abcdef0123456789","kafka_cluster_id":"fake-cluster-id"})");
}

TEST_F(RestApiTest, ReportsHealthyWhenHerderIsReady) {
  HttpResponse r = call("GET", "/health");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body,
            R"({"status":"healthy","message":"Worker has completed startup and is ready to )"
            R"(handle requests."})");
}

TEST_F(RestApiTest, Returns503StartingWhenHerderIsNotReady) {
  herder_.set_ready(false);

  HttpResponse r = call("GET", "/health");

  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, R"({"status":"starting","message":"Worker is still starting up."})");
}

RestApiOptions short_startup_wait() {
  RestApiOptions o;
  o.startup_wait = std::chrono::milliseconds(300);
  return o;
}

class StartingRestApiTest : public RestApiTest {
 protected:
  StartingRestApiTest() : RestApiTest(short_startup_wait()) {}
};

TEST_F(StartingRestApiTest, ConnectorRequestsWaitForTheHerderThen503) {
  herder_.set_ready(false);

  HttpResponse r = call("GET", "/connectors");

  // Not an empty list: the worker does not know its connectors yet.
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("starting up"), std::string::npos) << r.body;
  EXPECT_EQ(call("GET", "/").status, 200);  // the rest does not wait
}

TEST_F(StartingRestApiTest, ConnectorRequestsAnsweredOnceTheHerderIsReady) {
  herder_.set_ready(false);
  std::thread starter([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    herder_.set_ready(true);
  });

  HttpResponse r = call("GET", "/connectors");
  starter.join();

  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(RestApiTest, Returns500UnhealthyWhenHerderLoopTimesOut) {
  herder_.fail_with(Status::timeout("Request timed out"));

  HttpResponse r = call("GET", "/health");

  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find(R"("status":"unhealthy")"), std::string::npos) << r.body;
}

// --- GET /connectors ------------------------------------------------------------------------

TEST_F(RestApiTest, ReturnsEmptyListWhenNoConnectorExists) {
  HttpResponse r = call("GET", "/connectors");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "[]");
}

TEST_F(RestApiTest, ListsConnectorNamesWhenNotExpanded) {
  create_source("a");
  create_source("b");

  HttpResponse r = call("GET", "/connectors");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"(["a","b"])");
}

TEST_F(RestApiTest, ExpandsStatusAndInfoWhenBothAreRequested) {
  ASSERT_EQ(call("PUT", "/connectors/s/config",
                 R"({"connector.class":"FileStreamSink","topics":"t","tasks.max":"1"})")
                .status,
            201);

  HttpResponse r = call("GET", "/connectors?expand=status&expand=info");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(
      r.body,
      R"({"s":{"status":{"name":"s","connector":{"state":"RUNNING","worker_id":)"
      R"("127.0.0.1:8083"},"tasks":[{"id":0,"state":"RUNNING","worker_id":"127.0.0.1:8083"}],)"
      R"("type":"sink"},"info":{"name":"s","config":{"connector.class":"FileStreamSink",)"
      R"("name":"s","tasks.max":"1","topics":"t"},"tasks":[{"connector":"s","task":0}],)"
      R"("type":"sink"}}})");
}

TEST_F(RestApiTest, ExpandsOnlyStatusWhenStatusIsRequested) {
  create_source("a");

  HttpResponse r = call("GET", "/connectors?expand=status");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.rfind(R"({"a":{"status":{"name":"a",)", 0), 0u) << r.body;
  EXPECT_EQ(r.body.find(R"("info")"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, MapsConnectorToEmptyObjectWhenExpandValueIsUnknown) {
  create_source("a");

  HttpResponse r = call("GET", "/connectors?expand=nonsense");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"a":{}})");
}

TEST_F(RestApiTest, OmitsConnectorWhenItDisappearsDuringExpansion) {
  create_source("a");
  create_source("b");
  herder_.hide_from_lookups("a");

  HttpResponse r = call("GET", "/connectors?expand=info");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find(R"("a")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"({"b":{"info")"), std::string::npos) << r.body;
}

// --- POST /connectors -----------------------------------------------------------------------

TEST_F(RestApiTest, Returns201WithInfoAndLocationWhenCreatingConnector) {
  HttpResponse r = call("POST", "/connectors", kSinkBody);

  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body,
            R"({"name":"local-file-sink","config":{"connector.class":"FileStreamSink",)"
            R"("file":"out.txt","name":"local-file-sink","tasks.max":"1","topics":"lines"},)"
            R"("tasks":[],"type":"sink"})");
  EXPECT_EQ(header(r, "Location"), "http://localhost:8083/connectors/local-file-sink");
}

TEST_F(RestApiTest, PercentEncodesLocationWhenNameHasSpaces) {
  HttpResponse r =
      call("POST", "/connectors",
           R"({"name":"my sink","config":{"connector.class":"FileStreamSink","topics":"t"}})");

  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(header(r, "Location"), "http://localhost:8083/connectors/my%20sink");
}

TEST_F(RestApiTest, Returns409WhenConnectorNameAlreadyExists) {
  ASSERT_EQ(call("POST", "/connectors", kSinkBody).status, 201);

  HttpResponse r = call("POST", "/connectors", kSinkBody);

  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body, R"({"error_code":409,"message":"Connector local-file-sink already exists"})");
}

TEST_F(RestApiTest, Returns400WhenConfigNameDiffersFromName) {
  HttpResponse r = call("POST", "/connectors",
                        R"({"name":"a","config":{"connector.class":"FileStreamSink","name":"b"}})");

  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            R"({"error_code":400,"message":"Connector name configuration (b) doesn't match )"
            R"j(connector name in the URL (a)"})j");
}

TEST_F(RestApiTest, TrimsNameWhenCreatingConnector) {
  HttpResponse r =
      call("POST", "/connectors",
           R"({"name":"  padded  ","config":{"connector.class":"FileStreamSink","topics":"t"}})");

  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(call("GET", "/connectors").body, R"(["padded"])");
}

TEST_F(RestApiTest, Returns400WhenNameIsMissing) {
  HttpResponse r =
      call("POST", "/connectors", R"({"config":{"connector.class":"FileStreamSink"}})");

  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find(R"("error_code":400)"), std::string::npos);
}

TEST_F(RestApiTest, Returns400WhenNameContainsSlash) {
  HttpResponse r = call("POST", "/connectors",
                        R"({"name":"a/b","config":{"connector.class":"FileStreamSink"}})");

  EXPECT_EQ(r.status, 400);
}

TEST_F(RestApiTest, Returns400WhenNameContainsControlCharacters) {
  HttpResponse r = call("POST", "/connectors",
                        R"({"name":"a\u0001b","config":{"connector.class":"FileStreamSink"}})");

  EXPECT_EQ(r.status, 400);
}

TEST_F(RestApiTest, Returns400WhenNameContainsC1ControlCharacter) {
  HttpResponse r = call("POST", "/connectors",
                        R"({"name":"e\u0085x","config":{"connector.class":"FileStreamSink"}})");

  EXPECT_EQ(r.status, 400);
}

TEST_F(RestApiTest, AcceptsNameWhenItHasNonControlUnicode) {
  HttpResponse r = call("POST", "/connectors",
                        R"({"name":"caf\u00e9","config":{"connector.class":"FileStreamSink"}})");

  EXPECT_NE(r.status, 400) << r.body;
}

TEST_F(RestApiTest, Returns400WhenConfigIsMissing) {
  HttpResponse r = call("POST", "/connectors", R"({"name":"a"})");

  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("'config'"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, StringifiesNumbersAndBooleansWhenConfigHasScalars) {
  HttpResponse r = call("POST", "/connectors",
                        R"({"name":"a","config":{"connector.class":"FileStreamSink",)"
                        R"("tasks.max":3,"ratio":1.50,"flag":true,"topics":"t"}})");

  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.body.find(R"("tasks.max":"3")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("ratio":"1.50")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("flag":"true")"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, Returns400WhenConfigValueIsNested) {
  HttpResponse r = call("POST", "/connectors",
                        R"({"name":"a","config":{"connector.class":"FileStreamSink","x":[1]}})");

  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("'x'"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, Returns400WhenConfigValueIsNull) {
  HttpResponse r = call("POST", "/connectors",
                        R"({"name":"a","config":{"connector.class":"FileStreamSink","x":null}})");

  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("'x'"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, CreatesPausedConnectorWhenInitialStateIsPaused) {
  ASSERT_EQ(call("POST", "/connectors",
                 R"({"name":"a","config":{"connector.class":"FileStreamSink","topics":"t"},)"
                 R"("initial_state":"paused"})")
                .status,
            201);

  HttpResponse r = call("GET", "/connectors/a/status");

  EXPECT_NE(r.body.find(R"("connector":{"state":"PAUSED")"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, Returns400WhenInitialStateIsUnknown) {
  HttpResponse r = call("POST", "/connectors",
                        R"({"name":"a","config":{"connector.class":"FileStreamSink"},)"
                        R"("initial_state":"SLEEPING"})");

  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("SLEEPING"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, Returns400WithParserMessageAndPositionWhenBodyIsMalformed) {
  HttpResponse r = call("POST", "/connectors", R"({"name": "a", })");

  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find(R"("error_code":400,"message":"Malformed JSON request body: )"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("(at byte 14)"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, Returns400WhenBodyIsNotAnObject) {
  HttpResponse r = call("POST", "/connectors", R"(["a"])");

  EXPECT_EQ(r.status, 400);
}

TEST_F(RestApiTest, Returns400WhenBodyIsEmpty) {
  HttpRequest req{"POST", "/connectors", "", "", "application/json", ""};

  HttpResponse r = api_.handle(req);

  EXPECT_EQ(r.status, 400);
}

TEST_F(RestApiTest, Returns400ListingNearNamesWhenConnectorClassIsUnknown) {
  HttpResponse r =
      call("POST", "/connectors", R"({"name":"a","config":{"connector.class":"FileStreamSinc"}})");

  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("FileStreamSinkConnector"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, Returns400WithFailingKeysWhenConfigIsInvalid) {
  HttpResponse r = call("POST", "/connectors",
                        R"({"name":"a","config":{"connector.class":"FileStreamSink",)"
                        R"("tasks.max":"0"}})");

  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("tasks.max"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("error(s)"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, Returns415WhenContentTypeIsNotJson) {
  HttpResponse r = call("POST", "/connectors", kSinkBody, "application/x-www-form-urlencoded");

  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.body, R"({"error_code":415,"message":"HTTP 415 Unsupported Media Type"})");
}

TEST_F(RestApiTest, AcceptsJsonWithCharsetWhenContentTypeHasParameters) {
  HttpResponse r = call("POST", "/connectors", kSinkBody, "Application/JSON; charset=utf-8");

  EXPECT_EQ(r.status, 201) << r.body;
}

TEST_F(RestApiTest, Returns409WhenHerderIsRebalancing) {
  herder_.fail_with(
      Status::conflict("Cannot complete request because of a conflicting "
                       "operation (e.g. worker rebalance)"));

  HttpResponse r = call("POST", "/connectors", kSinkBody);

  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find(R"("error_code":409)"), std::string::npos);
}

TEST_F(RestApiTest, Returns500WhenHerderTimesOut) {
  herder_.fail_with(Status::timeout("Request timed out"));

  HttpResponse r = call("GET", "/connectors");

  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, R"({"error_code":500,"message":"Request timed out"})");
}

class SmallBodyRestApiTest : public RestApiTest {
 protected:
  SmallBodyRestApiTest() : RestApiTest(RestApiOptions{.max_request_bytes = 16}) {}
};

TEST_F(SmallBodyRestApiTest, Returns413WhenBodyExceedsMaxRequestBytes) {
  HttpResponse r = call("POST", "/connectors", kSinkBody);

  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find(R"({"error_code":413,"message":")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("rest.request.max.bytes"), std::string::npos) << r.body;
}

// --- /connectors/{name} and its config -------------------------------------------------------

TEST_F(RestApiTest, ReturnsConnectorInfoWhenConnectorExists) {
  create_source("src");

  HttpResponse r = call("GET", "/connectors/src");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body,
            R"({"name":"src","config":{"connector.class":"FileStreamSource","file":"in.txt",)"
            R"("name":"src","tasks.max":"2","topic":"lines"},"tasks":[{"connector":"src",)"
            R"("task":0},{"connector":"src","task":1}],"type":"source"})");
}

TEST_F(RestApiTest, Returns404WithErrorBodyWhenConnectorIsUnknown) {
  HttpResponse r = call("GET", "/connectors/nope");

  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"error_code":404,"message":"Connector nope not found"})");
}

TEST_F(RestApiTest, DecodesPercentEncodedNameWhenAddressingConnector) {
  ASSERT_EQ(call("POST", "/connectors",
                 R"({"name":"my sink-1","config":{"connector.class":"FileStreamSink"}})")
                .status,
            201);

  HttpResponse r = call("GET", "/connectors/my%20sink-1/config");

  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("name":"my sink-1")"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, ReturnsStoredConfigWhenGettingConfig) {
  create_source("src");

  HttpResponse r = call("GET", "/connectors/src/config");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"connector.class":"FileStreamSource","file":"in.txt","name":"src",)"
                    R"("tasks.max":"2","topic":"lines"})");
}

TEST_F(RestApiTest, Returns404WhenGettingConfigOfUnknownConnector) {
  EXPECT_EQ(call("GET", "/connectors/nope/config").status, 404);
}

TEST_F(RestApiTest, Returns201WithLocationWhenPutCreatesConnector) {
  HttpResponse r = call("PUT", "/connectors/src/config", kSourceConfig);

  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(header(r, "Location"), "http://localhost:8083/connectors/src");
  EXPECT_NE(r.body.find(R"("name":"src")"), std::string::npos);
}

TEST_F(RestApiTest, Returns200WhenPutUpdatesConnector) {
  create_source("src");

  HttpResponse r = call("PUT", "/connectors/src/config",
                        R"({"connector.class":"FileStreamSource","tasks.max":"1","topic":"x"})");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"name":"src","config":{"connector.class":"FileStreamSource","name":"src",)"
                    R"("tasks.max":"1","topic":"x"},"tasks":[{"connector":"src","task":0}],)"
                    R"("type":"source"})");
}

TEST_F(RestApiTest, Returns400WhenPutBodyNameDiffersFromUrl) {
  HttpResponse r =
      call("PUT", "/connectors/a/config", R"({"connector.class":"FileStreamSink","name":"b"})");

  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("(b)"), std::string::npos);
  EXPECT_NE(r.body.find("(a)"), std::string::npos);
}

TEST_F(RestApiTest, Returns400WhenPutBodyIsMalformed) {
  EXPECT_EQ(call("PUT", "/connectors/a/config", "{").status, 400);
}

TEST_F(RestApiTest, SetsAndRemovesKeysWhenPatchingConfig) {
  create_source("src");

  HttpResponse r =
      call("PATCH", "/connectors/src/config", R"({"file":null,"topic":"other","batch.size":5})");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(call("GET", "/connectors/src/config").body,
            R"({"batch.size":"5","connector.class":"FileStreamSource","name":"src",)"
            R"("tasks.max":"2","topic":"other"})");
}

TEST_F(RestApiTest, Returns404WhenPatchingUnknownConnector) {
  EXPECT_EQ(call("PATCH", "/connectors/nope/config", R"({"a":"b"})").status, 404);
}

TEST_F(RestApiTest, Returns400WhenPatchChangesName) {
  create_source("src");

  EXPECT_EQ(call("PATCH", "/connectors/src/config", R"({"name":"other"})").status, 400);
}

TEST_F(RestApiTest, Returns204WhenDeletingConnector) {
  create_source("src");

  HttpResponse r = call("DELETE", "/connectors/src");

  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(call("GET", "/connectors/src").status, 404);
}

TEST_F(RestApiTest, Returns404WhenDeletingUnknownConnector) {
  EXPECT_EQ(call("DELETE", "/connectors/nope").status, 404);
}

// --- status, restart, pause/resume/stop --------------------------------------------------------

TEST_F(RestApiTest, ReturnsStatusWithTasksSortedByIdWhenGettingStatus) {
  create_source("src");

  HttpResponse r = call("GET", "/connectors/src/status");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"name":"src","connector":{"state":"RUNNING","worker_id":"127.0.0.1:8083"},)"
                    R"("tasks":[{"id":0,"state":"RUNNING","worker_id":"127.0.0.1:8083"},{"id":1,)"
                    R"("state":"RUNNING","worker_id":"127.0.0.1:8083"}],"type":"source"})");
}

TEST_F(RestApiTest, IncludesTraceWhenTaskFailed) {
  create_source("src");
  herder_.fail_task({"src", 1}, "boom\n\tat here");

  HttpResponse r = call("GET", "/connectors/src/status");

  EXPECT_NE(r.body.find(R"({"id":1,"state":"FAILED","worker_id":"127.0.0.1:8083",)"
                        R"("trace":"boom\n\tat here"})"),
            std::string::npos)
      << r.body;
}

TEST_F(RestApiTest, Returns404WhenGettingStatusOfUnknownConnector) {
  EXPECT_EQ(call("GET", "/connectors/nope/status").status, 404);
}

TEST_F(RestApiTest, Returns204WhenRestartingWithoutFlags) {
  create_source("src");

  HttpResponse r = call("POST", "/connectors/src/restart");

  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
}

TEST_F(RestApiTest, Returns202WithRestartingStatesWhenIncludeTasksIsTrue) {
  create_source("src");

  HttpResponse r = call("POST", "/connectors/src/restart?includeTasks=true");

  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.body,
            R"({"name":"src","connector":{"state":"RESTARTING","worker_id":"127.0.0.1:8083"},)"
            R"("tasks":[{"id":0,"state":"RESTARTING","worker_id":"127.0.0.1:8083"},{"id":1,)"
            R"("state":"RESTARTING","worker_id":"127.0.0.1:8083"}],"type":"source"})");
}

TEST_F(RestApiTest, RestartsOnlyFailedTasksWhenOnlyFailedIsTrue) {
  create_source("src");
  herder_.fail_task({"src", 0}, "boom");

  HttpResponse r = call("POST", "/connectors/src/restart?includeTasks=TRUE&onlyFailed=true");

  EXPECT_EQ(r.status, 202);
  EXPECT_NE(r.body.find(R"({"id":0,"state":"RESTARTING")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"({"id":1,"state":"RUNNING")"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, Returns404WhenRestartingUnknownConnector) {
  EXPECT_EQ(call("POST", "/connectors/nope/restart?includeTasks=true").status, 404);
}

TEST_F(RestApiTest, Returns202WithoutBodyWhenPausing) {
  create_source("src");

  HttpResponse r = call("PUT", "/connectors/src/pause");

  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.body, "");
  EXPECT_NE(call("GET", "/connectors/src/status").body.find("PAUSED"), std::string::npos);
}

TEST_F(RestApiTest, Returns202WithoutBodyWhenResuming) {
  create_source("src");
  ASSERT_EQ(call("PUT", "/connectors/src/pause").status, 202);

  HttpResponse r = call("PUT", "/connectors/src/resume");

  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.body, "");
}

TEST_F(RestApiTest, Returns204WithoutBodyWhenStopping) {
  create_source("src");

  HttpResponse r = call("PUT", "/connectors/src/stop");

  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
}

TEST_F(RestApiTest, Returns404WhenPausingResumingOrStoppingUnknownConnector) {
  EXPECT_EQ(call("PUT", "/connectors/nope/pause").status, 404);
  EXPECT_EQ(call("PUT", "/connectors/nope/resume").status, 404);
  EXPECT_EQ(call("PUT", "/connectors/nope/stop").status, 404);
}

// --- tasks ----------------------------------------------------------------------------------

TEST_F(RestApiTest, ReturnsTaskInfosWhenGettingTasks) {
  ASSERT_EQ(call("PUT", "/connectors/s/config",
                 R"({"connector.class":"FileStreamSource","tasks.max":"1"})")
                .status,
            201);

  HttpResponse r = call("GET", "/connectors/s/tasks");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"([{"id":{"connector":"s","task":0},"config":{"connector.class":)"
                    R"("FileStreamSource","name":"s","task.class":)"
                    R"("org.apache.kafka.connect.file.FileStreamSourceTask","tasks.max":"1"}}])");
}

TEST_F(RestApiTest, ReturnsTaskStateWhenGettingTaskStatus) {
  create_source("src");

  HttpResponse r = call("GET", "/connectors/src/tasks/1/status");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"id":1,"state":"RUNNING","worker_id":"127.0.0.1:8083"})");
}

TEST_F(RestApiTest, Returns404WhenTaskIdIsNotAnInteger) {
  create_source("src");

  HttpResponse r = call("GET", "/connectors/src/tasks/abc/status");

  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"error_code":404,"message":"HTTP 404 Not Found"})");
}

TEST_F(RestApiTest, Returns404WhenTaskIsUnknown) {
  create_source("src");

  EXPECT_EQ(call("GET", "/connectors/src/tasks/7/status").status, 404);
  EXPECT_EQ(call("POST", "/connectors/src/tasks/7/restart").status, 404);
}

TEST_F(RestApiTest, Returns204WhenRestartingTask) {
  create_source("src");

  HttpResponse r = call("POST", "/connectors/src/tasks/0/restart");

  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
}

// --- topics ---------------------------------------------------------------------------------

TEST_F(RestApiTest, ReturnsActiveTopicsWhenGettingTopics) {
  create_source("src");

  HttpResponse r = call("GET", "/connectors/src/topics");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"src":{"topics":["lines"]}})");
}

TEST_F(RestApiTest, ReturnsEmptyTopicsWhenConnectorIsUnknown) {
  HttpResponse r = call("GET", "/connectors/nope/topics");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"nope":{"topics":[]}})");
}

TEST_F(RestApiTest, Returns202WhenResettingTopics) {
  create_source("src");

  HttpResponse r = call("PUT", "/connectors/src/topics/reset");

  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.body, "");
}

class NoTopicTrackingRestApiTest : public RestApiTest {
 protected:
  NoTopicTrackingRestApiTest() : RestApiTest(RestApiOptions{.topic_tracking_enable = false}) {}
};

TEST_F(NoTopicTrackingRestApiTest, Returns403WhenTopicTrackingIsDisabled) {
  create_source("src");

  HttpResponse get = call("GET", "/connectors/src/topics");
  HttpResponse reset = call("PUT", "/connectors/src/topics/reset");

  EXPECT_EQ(get.status, 403);
  EXPECT_EQ(get.body, R"({"error_code":403,"message":"Topic tracking is disabled."})");
  EXPECT_EQ(reset.status, 403);
}

class NoTopicResetRestApiTest : public RestApiTest {
 protected:
  NoTopicResetRestApiTest() : RestApiTest(RestApiOptions{.topic_tracking_allow_reset = false}) {}
};

TEST_F(NoTopicResetRestApiTest, Returns403WhenTopicResetIsDisallowed) {
  create_source("src");

  HttpResponse r = call("PUT", "/connectors/src/topics/reset");

  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body, R"({"error_code":403,"message":"Topic tracking reset is disabled."})");
}

// --- offsets --------------------------------------------------------------------------------

TEST_F(RestApiTest, ReturnsEmptyOffsetListWhenNoOffsetsAreStored) {
  create_source("src");

  HttpResponse r = call("GET", "/connectors/src/offsets");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"offsets":[]})");
}

TEST_F(RestApiTest, AltersOffsetsWhenConnectorIsStopped) {
  create_source("src");
  ASSERT_EQ(call("PUT", "/connectors/src/stop").status, 204);

  HttpResponse r = call("PATCH", "/connectors/src/offsets",
                        R"({"offsets":[{"partition":{"filename":"in.txt"},)"
                        R"("offset":{"position":2048}}]})");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body,
            R"({"message":"The offsets for this connector have been altered successfully"})");
  EXPECT_EQ(call("GET", "/connectors/src/offsets").body,
            R"({"offsets":[{"partition":{"filename":"in.txt"},"offset":{"position":2048}}]})");
}

TEST_F(RestApiTest, RemovesPartitionOffsetWhenOffsetIsNull) {
  create_source("src");
  ASSERT_EQ(call("PUT", "/connectors/src/stop").status, 204);
  ASSERT_EQ(call("PATCH", "/connectors/src/offsets",
                 R"({"offsets":[{"partition":{"f":"a"},"offset":{"p":1}}]})")
                .status,
            200);

  HttpResponse r = call("PATCH", "/connectors/src/offsets",
                        R"({"offsets":[{"partition":{"f":"a"},"offset":null}]})");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(call("GET", "/connectors/src/offsets").body, R"({"offsets":[]})");
}

TEST_F(RestApiTest, Returns400WhenAlteringOffsetsOfRunningConnector) {
  create_source("src");

  HttpResponse r = call("PATCH", "/connectors/src/offsets",
                        R"({"offsets":[{"partition":{"f":"a"},"offset":{"p":1}}]})");

  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("STOPPED"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, Returns400WhenOffsetsListIsEmpty) {
  HttpResponse r = call("PATCH", "/connectors/nope/offsets", R"({"offsets":[]})");

  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Partitions / offsets need to be provided"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, Returns400WhenOffsetEntryHasNoPartition) {
  create_source("src");

  HttpResponse r = call("PATCH", "/connectors/src/offsets", R"({"offsets":[{"offset":{"p":1}}]})");

  EXPECT_EQ(r.status, 400);
}

TEST_F(RestApiTest, Returns404WhenAlteringOffsetsOfUnknownConnector) {
  HttpResponse r = call("PATCH", "/connectors/nope/offsets",
                        R"({"offsets":[{"partition":{"f":"a"},"offset":{"p":1}}]})");

  EXPECT_EQ(r.status, 404);
}

TEST_F(RestApiTest, ResetsOffsetsWhenConnectorIsStopped) {
  create_source("src");
  ASSERT_EQ(call("PUT", "/connectors/src/stop").status, 204);

  HttpResponse r = call("DELETE", "/connectors/src/offsets");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"message":"The offsets for this connector have been reset successfully"})");
}

TEST_F(RestApiTest, Returns404WhenGettingOffsetsOfUnknownConnector) {
  EXPECT_EQ(call("GET", "/connectors/nope/offsets").status, 404);
  EXPECT_EQ(call("DELETE", "/connectors/nope/offsets").status, 404);
}

// --- connector plugins ------------------------------------------------------------------------

TEST_F(RestApiTest, ListsSinksThenSourcesWhenConnectorsOnlyIsDefault) {
  HttpResponse r = call("GET", "/connector-plugins");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body,
            R"([{"class":"org.apache.kafka.connect.file.FileStreamSinkConnector","type":"sink",)"
            R"("version":"3.9.0"},{"class":)"
            R"("org.apache.kafka.connect.file.FileStreamSourceConnector","type":"source",)"
            R"("version":"3.9.0"}])");
}

TEST_F(RestApiTest, ListsEveryKindInConnectOrderWhenConnectorsOnlyIsFalse) {
  HttpResponse r = call("GET", "/connector-plugins?connectorsOnly=false");

  EXPECT_EQ(r.status, 200);
  std::vector<std::string> kinds = {"sink",      "source",    "transformation",
                                    "predicate", "converter", "header_converter"};
  size_t pos = 0;
  for (const std::string& kind : kinds) {
    size_t at = r.body.find(R"("type":")" + kind + "\"", pos);
    ASSERT_NE(at, std::string::npos) << kind << " missing or out of order in " << r.body;
    pos = at;
  }
}

TEST_F(RestApiTest, OmitsVersionWhenPluginReportsNone) {
  HttpResponse r = call("GET", "/connector-plugins?connectorsOnly=false");

  EXPECT_NE(r.body.find(R"({"class":"org.apache.kafka.connect.transforms.predicates.)"
                        R"(TopicNameMatches","type":"predicate"})"),
            std::string::npos)
      << r.body;
}

TEST_F(RestApiTest, ReturnsConfigKeysWhenGettingPluginConfig) {
  HttpResponse r = call("GET", "/connector-plugins/FileStreamSource/config");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body,
            R"([{"name":"file","type":"STRING","required":false,"default_value":null,)"
            R"("importance":"HIGH","documentation":"Source filename. If not specified, the )"
            R"(standard input will be used","group":null,"order_in_group":-1,"width":"NONE",)"
            R"("display_name":"file","dependents":[]}])");
}

TEST_F(RestApiTest, Returns404WhenPluginIsUnknown) {
  EXPECT_EQ(call("GET", "/connector-plugins/Nope/config").status, 404);
}

TEST_F(RestApiTest, ReturnsConfigInfosWithErrorsWhenValidating) {
  HttpResponse r = call("PUT", "/connector-plugins/FileStreamSinkConnector/config/validate",
                        R"({"connector.class":"FileStreamSinkConnector","tasks.max":"0",)"
                        R"("extra":"x"})");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(
      r.body,
      R"({"name":"FileStreamSinkConnector","error_count":1,"groups":["Common",)"
      R"("Transforms","Predicates","Error Handling"],"configs":[{"definition":)"
      R"({"name":"tasks.max","type":"INT","required":false,"default_value":"1",)"
      R"("importance":"HIGH","documentation":"Maximum number of tasks to use for this )"
      R"(connector.","group":"Common","order_in_group":3,"width":"SHORT",)"
      R"("display_name":"Tasks max","dependents":[]},"value":{"name":"tasks.max","value":"0",)"
      R"("recommended_values":[],"errors":["Invalid value 0 for configuration tasks.max: )"
      R"(Value must be at least 1"],"visible":true}},{"definition":null,"value":)"
      R"({"name":"extra","value":"x","recommended_values":[],"errors":[],)"
      R"("visible":true}}]})");
}

TEST_F(RestApiTest, AcceptsShortPluginNameWhenValidating) {
  HttpResponse r =
      call("PUT", "/connector-plugins/FileStreamSink/config/validate",
           R"({"connector.class":"org.apache.kafka.connect.file.FileStreamSinkConnector"})");

  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(RestApiTest, Returns400WhenValidateBodyHasNoConnectorClass) {
  HttpResponse r =
      call("PUT", "/connector-plugins/FileStreamSink/config/validate", R"({"tasks.max":"1"})");

  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("contains no connector type"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, Returns400WhenValidateClassDiffersFromPath) {
  HttpResponse r = call("PUT", "/connector-plugins/FileStreamSource/config/validate",
                        R"({"connector.class":"FileStreamSink"})");

  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            R"({"error_code":400,"message":"Included connector type FileStreamSink does not )"
            R"(match request type FileStreamSource"})");
}

TEST_F(RestApiTest, Returns400WhenValidatedClassIsUnknown) {
  HttpResponse r =
      call("PUT", "/connector-plugins/Nope/config/validate", R"({"connector.class":"Nope"})");

  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("available connectors"), std::string::npos) << r.body;
}

// --- /admin/loggers -------------------------------------------------------------------------

TEST_F(RestApiTest, ListsRootLoggerWhenGettingLoggers) {
  HttpResponse r = call("GET", "/admin/loggers");

  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("root":{"level":")"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, ReturnsAffectedLoggersWhenSettingWorkerScopedLevel) {
  log::Logger child("kanal.resttest.one.child");

  HttpResponse r = call("PUT", "/admin/loggers/kanal.resttest.one", R"({"level":"debug"})");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"(["kanal.resttest.one","kanal.resttest.one.child"])");
  EXPECT_TRUE(child.enabled(log::Level::kDebug));
}

TEST_F(RestApiTest, ReportsLevelAndLastModifiedWhenLoggerWasSet) {
  ASSERT_EQ(call("PUT", "/admin/loggers/kanal.resttest.two", R"({"level":"WARN"})").status, 200);

  HttpResponse r = call("GET", "/admin/loggers/kanal.resttest.two");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.rfind(R"({"level":"WARN","last_modified":)", 0), 0u) << r.body;
  EXPECT_EQ(r.body.find("null"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, ReportsNullLastModifiedWhenLevelWasNeverSetOverRest) {
  HttpResponse r = call("GET", "/admin/loggers/root");

  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("last_modified":null)"), std::string::npos) << r.body;
}

TEST_F(RestApiTest, Returns404WhenLoggerIsUnknown) {
  HttpResponse r = call("GET", "/admin/loggers/no.such.logger");

  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"error_code":404,"message":"Logger no.such.logger not found."})");
}

TEST_F(RestApiTest, Returns400WhenLevelIsMissing) {
  HttpResponse r = call("PUT", "/admin/loggers/kanal.resttest.three", R"({"lvl":"DEBUG"})");

  EXPECT_EQ(r.status, 400);
}

TEST_F(RestApiTest, Returns404WhenLevelIsUnknown) {
  HttpResponse r = call("PUT", "/admin/loggers/kanal.resttest.four", R"({"level":"LOUD"})");

  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("LOUD"), std::string::npos);
}

TEST_F(RestApiTest, Returns204WhenScopeIsCluster) {
  HttpResponse r =
      call("PUT", "/admin/loggers/kanal.resttest.five?scope=cluster", R"({"level":"ERROR"})");

  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
  EXPECT_NE(call("GET", "/admin/loggers/kanal.resttest.five").body.find("ERROR"),
            std::string::npos);
}

// --- routing errors and the catch-all boundary ---------------------------------------------

TEST_F(RestApiTest, Returns404WithErrorBodyWhenRouteIsUnknown) {
  HttpResponse r = call("GET", "/no/such/route");

  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"error_code":404,"message":"HTTP 404 Not Found"})");
}

TEST_F(RestApiTest, Returns405WithErrorBodyWhenMethodIsWrong) {
  HttpResponse r = call("DELETE", "/connectors");

  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.body, R"({"error_code":405,"message":"HTTP 405 Method Not Allowed"})");
  EXPECT_EQ(header(r, "Allow"), "GET, POST");
}

TEST_F(RestApiTest, AnswersHeadLikeGetWithoutBodyWhenMethodIsHead) {
  HttpResponse r = call("HEAD", "/connectors");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
}

class ThrowingHerder : public FakeHerder {
 public:
  Result<std::vector<std::string>> connectors() override {
    throw std::runtime_error("secret internal detail");
  }
};

TEST(RestApiBoundaryTest, Returns500WithoutDetailsWhenHerderThrows) {
  ThrowingHerder herder;
  RestApi api(herder, {});

  HttpResponse r = api.handle(HttpRequest{"GET", "/connectors", "", "", "", ""});

  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find(R"({"error_code":500,"message":"Internal server error while handling )"
                        R"(request )"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(r.body.find("secret"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace kanal::rest
