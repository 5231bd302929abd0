// kanalctl without a worker: how the command line is read, how tables line up, and what each
// command prints and returns for given REST answers (a scripted Transport stands in for HTTP).
#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "rest/kanalctl/commands.h"
#include "rest/kanalctl/options.h"
#include "rest/kanalctl/rest_client.h"
#include "rest/kanalctl/table.h"

namespace kanal::ctl {
namespace {

Options parsed(std::vector<std::string> args, const char* env_url = nullptr) {
  Result<Options> r = parse_args(args, env_url);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : Options{};
}

std::string parse_error(std::vector<std::string> args) {
  Result<Options> r = parse_args(args, nullptr);
  return r.ok() ? "<parsed>" : r.status().message();
}

TEST(KanalctlOptionsTest, UsesLocalhostWhenNeitherUrlNorEnvironmentIsSet) {
  Options o = parsed({"list"});

  EXPECT_EQ(o.url, "http://localhost:8083");
  EXPECT_EQ(o.command, "list");
  EXPECT_EQ(o.output, OutputFormat::kTable);
}

TEST(KanalctlOptionsTest, PrefersUrlOptionOverEnvironment) {
  EXPECT_EQ(parsed({"list"}, "http://env:1").url, "http://env:1");
  EXPECT_EQ(parsed({"--url", "http://opt:2/", "list"}, "http://env:1").url, "http://opt:2");
  EXPECT_EQ(parsed({"list", "--url=http://opt:3"}, "http://env:1").url, "http://opt:3");
}

TEST(KanalctlOptionsTest, ReadsCaFileForHttps) {
  EXPECT_EQ(parsed({"--cacert", "ca.pem", "list"}).ca_file, "ca.pem");
  EXPECT_NE(parse_error({"list", "--cacert"}).find("--cacert needs"), std::string::npos);
}

TEST(KanalctlOptionsTest, AcceptsOptionsAfterTheCommand) {
  Options o = parsed({"restart", "orders", "--failed", "-o", "json", "--tasks"});

  EXPECT_EQ(o.command, "restart");
  EXPECT_EQ(o.args, std::vector<std::string>{"orders"});
  EXPECT_TRUE(o.only_failed);
  EXPECT_TRUE(o.include_tasks);
  EXPECT_EQ(o.output, OutputFormat::kJson);
}

TEST(KanalctlOptionsTest, ReadsOffsetsSubCommandAndItsArguments) {
  Options o = parsed({"offsets", "alter", "orders", "offsets.json"});

  EXPECT_EQ(o.command, "offsets alter");
  EXPECT_EQ(o.args, (std::vector<std::string>{"orders", "offsets.json"}));
}

TEST(KanalctlOptionsTest, AcceptsHelpWithoutACommand) {
  EXPECT_TRUE(parsed({"--help"}).help);
  EXPECT_TRUE(parsed({"--version"}).version);
}

TEST(KanalctlOptionsTest, RejectsBadCommandLinesWithAMessageNamingTheProblem) {
  EXPECT_NE(parse_error({}).find("no command"), std::string::npos);
  EXPECT_NE(parse_error({"lsit"}).find("unknown command 'lsit'"), std::string::npos);
  EXPECT_NE(parse_error({"describe"}).find("needs NAME"), std::string::npos);
  EXPECT_NE(parse_error({"delete", "a", "b"}).find("extra argument 'b'"), std::string::npos);
  EXPECT_NE(parse_error({"offsets"}).find("get, reset or alter"), std::string::npos);
  EXPECT_NE(parse_error({"offsets", "drop", "a"}).find("unknown command 'offsets drop'"),
            std::string::npos);
  EXPECT_NE(parse_error({"-o", "yaml", "list"}).find("unknown output format 'yaml'"),
            std::string::npos);
  EXPECT_NE(parse_error({"list", "--verbose"}).find("unknown option '--verbose'"),
            std::string::npos);
  EXPECT_NE(parse_error({"delete", "a", "--failed"}).find("'delete' does not take --failed"),
            std::string::npos);
  EXPECT_NE(parse_error({"--url", "localhost:8083", "list"}).find("http://"), std::string::npos);
}

TEST(KanalctlTableTest, PadsEachColumnToItsWidestCellWithoutTrailingBlanks) {
  Table t({"NAME", "STATE"});
  t.add_row({"orders-sink", "RUNNING"});
  t.add_row({"a", "PAUSED"});

  EXPECT_EQ(t.render(),
            "NAME         STATE\n"
            "orders-sink  RUNNING\n"
            "a            PAUSED\n");
}

TEST(KanalctlTableTest, CountsUtf8CharactersNotBytesAndKeepsOneLinePerRow) {
  Table t({"NAME", "X"});
  t.add_row({"café", "1"});
  t.add_row({"two\nlines", "2"});

  EXPECT_EQ(t.render(2),
            "  NAME        X\n"
            "  café        1\n"
            "  two\\nlines  2\n");
}

TEST(KanalctlUrlTest, EncodesNamesAsOnePathSegmentAndHidesCredentials) {
  EXPECT_EQ(encode_segment("my sink/1"), "my%20sink%2F1");
  EXPECT_EQ(redact_url("http://admin:secret@host:8083/x"), "http://host:8083/x");
  EXPECT_EQ(redact_url("http://host:8083"), "http://host:8083");
}

// Answers requests from a script, in order, and records them.
class ScriptedTransport : public Transport {
 public:
  struct Request {
    std::string method, path, body;
  };
  void answer(int status, std::string body) { answers_.push_back(Response{status, body}); }
  void unreachable() { answers_.push_back(std::nullopt); }

  Result<Response> send(std::string_view method, std::string_view path,
                        std::string_view body) override {
    requests.push_back({std::string(method), std::string(path), std::string(body)});
    if (answers_.empty()) return Response{500, R"({"error_code":500,"message":"unscripted"})"};
    std::optional<Response> next = answers_.front();
    answers_.pop_front();
    if (!next) return Status::unavailable("cannot reach the worker at http://h:1: refused");
    return *next;
  }

  std::vector<Request> requests;

 private:
  std::deque<std::optional<Response>> answers_;
};

struct Outcome {
  int code;
  std::string out, err;
};

Outcome run(ScriptedTransport& t, std::vector<std::string> args) {
  std::ostringstream out, err;
  int code = run_command(parsed(std::move(args)), t, out, err);
  return {code, out.str(), err.str()};
}

TEST(KanalctlCommandsTest, ListShowsStateAndRunningOverTotalTasksSortedByName) {
  ScriptedTransport t;
  t.answer(200, R"({
    "zeta": {"status": {"name": "zeta", "type": "sink",
                        "connector": {"state": "RUNNING", "worker_id": "w:1"},
                        "tasks": [{"id": 0, "state": "RUNNING", "worker_id": "w:1"},
                                  {"id": 1, "state": "FAILED", "worker_id": "w:1"}]},
             "info": {"name": "zeta", "type": "sink", "tasks": [],
                      "config": {"connector.class": "FileStreamSink"}}},
    "alpha": {"status": {"name": "alpha", "type": "source",
                         "connector": {"state": "PAUSED", "worker_id": "w:1"}, "tasks": []},
              "info": {"name": "alpha", "type": "source", "tasks": [],
                       "config": {"connector.class": "DatagenSource"}}}})");

  Outcome o = run(t, {"list"});

  EXPECT_EQ(o.code, kExitOk) << o.err;
  EXPECT_EQ(t.requests.at(0).path, "/connectors?expand=status&expand=info");
  EXPECT_EQ(o.out,
            "NAME   TYPE    STATE    TASKS  CLASS\n"
            "alpha  source  PAUSED   0/0    DatagenSource\n"
            "zeta   sink    RUNNING  1/2    FileStreamSink\n");
}

TEST(KanalctlCommandsTest, PrintsConnectErrorMessageWithHttpStatusAndExits1) {
  ScriptedTransport t;
  t.answer(404, R"({"error_code":404,"message":"Connector nope not found"})");

  Outcome o = run(t, {"describe", "nope"});

  EXPECT_EQ(o.code, kExitFailed);
  EXPECT_EQ(o.err, "kanalctl: Connector nope not found (HTTP 404)\n");
}

TEST(KanalctlCommandsTest, Exits3WithTheTransportMessageWhenTheWorkerCannotBeReached) {
  ScriptedTransport t;
  t.unreachable();

  Outcome o = run(t, {"pause", "a"});

  EXPECT_EQ(o.code, kExitUnreachable);
  EXPECT_NE(o.err.find("cannot reach the worker at http://h:1"), std::string::npos) << o.err;
}

TEST(KanalctlCommandsTest, DescribeShowsWhatIsAvailableWhenSomePartsFail) {
  ScriptedTransport t;
  t.answer(200, R"({"name":"s","type":"source","tasks":[{"connector":"s","task":0}],
                   "config":{"connector.class":"FileStreamSource","topic":"t"}})");
  t.answer(200, R"({"name":"s","type":"source","connector":{"state":"RUNNING","worker_id":"w:1"},
                   "tasks":[{"id":0,"state":"FAILED","worker_id":"w:1","trace":"boom\nat x"}]})");
  t.answer(200, R"([{"id":{"connector":"s","task":0},"config":{}}])");
  t.answer(403, R"({"error_code":403,"message":"Topic tracking is disabled."})");
  t.answer(400, R"({"error_code":400,"message":"offsets need a stopped connector"})");

  Outcome o = run(t, {"describe", "s"});

  EXPECT_EQ(o.code, kExitOk) << o.err;
  EXPECT_NE(o.out.find("State:   RUNNING"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("topic            t"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("0   FAILED  w:1"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Task 0 trace:\n    boom\n    at x"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("not available: Topic tracking is disabled. (HTTP 403)"), std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("not available: offsets need a stopped connector (HTTP 400)"),
            std::string::npos)
      << o.out;
}

TEST(KanalctlCommandsTest, RestartSendsIncludeTasksAndOnlyFailed) {
  ScriptedTransport t;
  t.answer(202, R"({"name":"a b","connector":{"state":"RUNNING","worker_id":"w:1"},
                   "tasks":[{"id":0,"state":"RESTARTING","worker_id":"w:1"}]})");

  Outcome o = run(t, {"restart", "a b", "--tasks", "--failed"});

  EXPECT_EQ(o.code, kExitOk) << o.err;
  EXPECT_EQ(t.requests.at(0).method, "POST");
  EXPECT_EQ(t.requests.at(0).path, "/connectors/a%20b/restart?includeTasks=true&onlyFailed=true");
  EXPECT_NE(o.out.find("task 0     RESTARTING"), std::string::npos) << o.out;
}

class KanalctlFileCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kanalctl-unit-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }

  std::filesystem::path dir_;
};

TEST_F(KanalctlFileCommandsTest, ApplyPutsTheFlatConfigAndSaysCreatedOrUpdated) {
  std::string file = write("c.json", R"({"name":"orders","config":{"connector.class":"X",
                                          "tasks.max":2}})");
  ScriptedTransport t;
  t.answer(201, R"({"name":"orders","config":{},"tasks":[],"type":"source"})");
  t.answer(200, R"({"name":"orders","config":{},"tasks":[],"type":"source"})");

  Outcome first = run(t, {"apply", file});
  Outcome second = run(t, {"apply", file});

  EXPECT_EQ(t.requests.at(0).method, "PUT");
  EXPECT_EQ(t.requests.at(0).path, "/connectors/orders/config");
  EXPECT_EQ(t.requests.at(0).body, R"({"connector.class":"X","name":"orders","tasks.max":"2"})");
  EXPECT_EQ(first.out, "connector orders created\n");
  EXPECT_EQ(second.out, "connector orders updated\n");
}

TEST_F(KanalctlFileCommandsTest, ApplyWithoutANameIsAUsageError) {
  std::string file = write("c.properties", "connector.class=X\n");
  ScriptedTransport t;

  Outcome o = run(t, {"apply", file});

  EXPECT_EQ(o.code, kExitUsage);
  EXPECT_NE(o.err.find("--name"), std::string::npos) << o.err;
  EXPECT_TRUE(t.requests.empty());
}

TEST_F(KanalctlFileCommandsTest, ValidatePrintsEachErrorByKeyAndExits1) {
  std::string file = write("c.properties", "connector.class=FileStreamSink\ntasks.max=0\n");
  ScriptedTransport t;
  t.answer(200, R"({"name":"FileStreamSink","error_count":1,"groups":[],"configs":[
      {"definition":null,"value":{"name":"tasks.max","value":"0","errors":["must be at least 1"],
                                  "recommended_values":[],"visible":true}},
      {"definition":null,"value":{"name":"topics","value":null,"errors":[],
                                  "recommended_values":[],"visible":true}}]})");

  Outcome o = run(t, {"validate", file});

  EXPECT_EQ(o.code, kExitFailed);
  EXPECT_EQ(t.requests.at(0).path, "/connector-plugins/FileStreamSink/config/validate");
  EXPECT_NE(o.out.find("1 error(s)"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("tasks.max  must be at least 1"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("topics"), std::string::npos) << o.out;
}

TEST_F(KanalctlFileCommandsTest, OffsetsAlterWrapsABareListInConnectsBody) {
  std::string file = write("o.json", R"([{"partition":{"f":"a"},"offset":{"p":0}}])");
  ScriptedTransport t;
  t.answer(200, R"({"message":"The offsets for this connector have been altered successfully"})");

  Outcome o = run(t, {"offsets", "alter", "s", file});

  EXPECT_EQ(o.code, kExitOk) << o.err;
  EXPECT_EQ(t.requests.at(0).method, "PATCH");
  EXPECT_EQ(t.requests.at(0).body, R"({"offsets":[{"partition":{"f":"a"},"offset":{"p":0}}]})");
  EXPECT_EQ(o.out, "The offsets for this connector have been altered successfully\n");
}

}  // namespace
}  // namespace kanal::ctl
