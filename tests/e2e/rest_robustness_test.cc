// Requests that try to break the worker: whatever the body, the answer is an error body and the
// worker keeps serving (issue #5: "No request can crash, hang or corrupt the worker").
#include <gtest/gtest.h>

#include "e2e/rest_support.h"
#include "support/assertions.h"
#include "support/kanal_worker.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

// A worker with the default rest.request.max.bytes (10 MiB).
class RestRobustnessTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(is_ok(worker_.start())); }

  TempDir dir_{"kanal-rest-robust"};
  KanalWorker worker_{{.dir = dir_.path(), .worker = {}, .connectors = {}}};
};

TEST_F(RestRobustnessTest, Returns400AndKeepsServingWhenBodyNestsMillionDeep) {
  std::string body(1'000'000, '[');

  HttpResult r = worker_.http("POST", "/connectors", body);

  EXPECT_TRUE(is_error(r, 400)) << r.body.substr(0, 300);
  EXPECT_TRUE(worker_.running()) << worker_.log_tail();
  EXPECT_EQ(worker_.http("GET", "/").status, 200);
}

TEST_F(RestRobustnessTest, Returns400AndKeepsServingWhenValidatedValueNestsMillionDeep) {
  std::string body = R"({"connector.class":"FileStreamSink","topics":)" +
                     std::string(1'000'000, '[') + std::string(1'000'000, ']') + "}";

  HttpResult r = worker_.http("PUT", "/connector-plugins/FileStreamSink/config/validate", body);

  EXPECT_TRUE(is_error(r, 400, {"nesting depth"})) << r.body.substr(0, 300);
  EXPECT_TRUE(worker_.running()) << worker_.log_tail();
  EXPECT_EQ(worker_.http("GET", "/").status, 200);
}

TEST_F(RestRobustnessTest, ChecksValueRulesWhenOffsetPartitionNestsWithinLimit) {
  std::string deep = std::string(500, '[') + "1" + std::string(500, ']');
  Props config{{"connector.class", "FileStreamSource"}, {"topic", "t"}};
  ASSERT_EQ(worker_.http("POST", "/connectors", create_body("src", config, "STOPPED")).status, 201);

  HttpResult r = worker_.http(
      "PATCH", "/connectors/src/offsets",
      R"({"offsets":[{"partition":{"filename":)" + deep + R"(},"offset":{"position":1}}]})");

  EXPECT_TRUE(is_error(r, 400)) << "a partition value must be a primitive: " << r.body;
  EXPECT_EQ(r.body.find("nesting depth"), std::string::npos) << r.body;
  EXPECT_TRUE(worker_.running()) << worker_.log_tail();
}

TEST_F(RestRobustnessTest, AnswersOddRequestsWithConnectErrorBodyWhenTheyAreMalformed) {
  struct Case {
    const char* method;
    std::string path;
    std::string body;
    int status;
  };
  std::vector<Case> cases = {
      {"GET", "/connectors/x/tasks/99999999999/status", "", 404},
      {"GET", "/connectors/x/tasks/-1/status", "", 404},
      {"POST", "/connectors", "null", 400},
      {"POST", "/connectors", "\"just a string\"", 400},
      {"POST", "/connectors", R"({"name":"n","config":["a"]})", 400},
      {"POST", "/connectors", R"({"name":7,"config":{}})", 400},
      {"POST", "/connectors",
       R"({"name":"n","config":{"connector.class":"FileStreamSink"},)"
       R"("initial_state":5})",
       400},
      {"POST", "/connectors", "{\"name\":\"\xff\xfe\",\"config\":{}}", 400},
      {"POST", "/connectors",
       R"({"name":"a\u0000b","config":{"connector.class":"FileStreamSink"}})", 400},
      {"PUT", "/connectors/x/config", "[]", 400},
      {"PUT", "/connectors/x/config", R"({"a":{"b":"c"}})", 400},
      {"PATCH", "/connectors/x/config", "7", 400},
      {"PATCH", "/connectors/x/offsets", R"({"offsets":[1]})", 400},
      {"PATCH", "/connectors/x/offsets", R"({"offsets":"all"})", 400},
      {"PUT", "/admin/loggers/kanal", "\"DEBUG\"", 400},
      {"PUT", "/admin/loggers/kanal", R"({"level":7})", 404},  // Connect: unknown level
      {"PUT", "/connector-plugins/FileStreamSink/config/validate", "{}", 400},
      {"PUT", "/connector-plugins/FileStreamSink/config/validate", "", 400},
  };

  for (const Case& c : cases) {
    HttpResult r = worker_.http(c.method, c.path, c.body);

    EXPECT_TRUE(is_error(r, c.status)) << c.method << " " << c.path << " " << c.body;
  }
  EXPECT_TRUE(worker_.running()) << worker_.log_tail();
}

// A request line whose URI cannot be decoded (bad percent escape) is refused with 400 before
// routing, as Connect's Jetty does (Jetty 12 answers 400 with an HTML page, not Connect's JSON
// body; kanal's cpprestsdk listener answers 400 without a body). The worker keeps serving.
TEST_F(RestRobustnessTest, Answers400WhenPathHasInvalidPercentEscape) {
  HttpResult r = worker_.http("GET", "/connectors/%zz");

  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(worker_.running()) << worker_.log_tail();
  EXPECT_EQ(worker_.http("GET", "/connectors").status, 200);
}

}  // namespace
}  // namespace kanal::testing
