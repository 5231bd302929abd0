// kanalctl, the operator CLI, end to end: the built binary against a running `kanal standalone`
// (real broker, FileStream connectors). Each test runs kanalctl as a user would and checks its
// exit code and output, and the worker's state over REST.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/assertions.h"
#include "support/eventually.h"
#include "support/kanal_worker.h"
#include "support/paths.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

using namespace std::chrono_literals;

struct CtlRun {
  ExitStatus status;
  std::string out;  // stdout
  std::string err;  // stderr
  int code() const { return status.exited ? status.code : -1; }
  std::string describe() const {
    return status.to_string() + "\nstdout:\n" + out + "stderr:\n" + err;
  }
};

std::filesystem::path kanalctl_binary() { return build_dir() / "bin" / "kanalctl"; }

// Writes `lines` as a .properties file.
std::string properties(const std::vector<std::pair<std::string, std::string>>& lines) {
  std::string text;
  for (const auto& [k, v] : lines) text += k + "=" + v + "\n";
  return text;
}

// The cells of the table row whose first cell is `first` (empty when there is none).
std::vector<std::string> row_of(const std::string& table, const std::string& first) {
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream cells(line);
    std::vector<std::string> row;
    for (std::string c; cells >> c;) row.push_back(c);
    if (!row.empty() && row[0] == first) return row;
  }
  return {};
}

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  return d;
}

// Runs the kanalctl binary with `args` (no --url added) and $KANAL_URL set to `env_url` when
// non-empty (unset otherwise); its output files go to `dir`.
CtlRun run_kanalctl(const TempDir& dir, std::vector<std::string> args,
                    const std::string& env_url = "") {
  static int runs = 0;
  ++runs;
  auto out = dir / ("out-" + std::to_string(runs));
  auto err = dir / ("err-" + std::to_string(runs));
  // sh keeps stderr apart from stdout (Process sends both to one log file).
  std::vector<std::string> sh_args = {"-c", "exec \"$0\" \"$@\" 2>\"$KANALCTL_TEST_ERR\"",
                                      kanalctl_binary().string()};
  sh_args.insert(sh_args.end(), args.begin(), args.end());
  ProcessSpec spec{.program = "sh",
                   .args = sh_args,
                   .env = {{"KANALCTL_TEST_ERR", err.string()}},
                   .unset_env = {"KANAL_URL"},
                   .log_file = out};
  if (!env_url.empty()) spec.env["KANAL_URL"] = env_url;
  RunResult r = run_to_exit(spec, 120s);
  auto err_text = read_file(err);
  return {r.status, r.output, err_text.ok() ? *err_text : ""};
}

class KanalctlTest : public ::testing::Test {
 protected:
  static SuiteWorker suite_;  // one kanal standalone for the suite

  static void SetUpTestSuite() {
    suite_.start("kanal-kanalctl-e2e", [](const TempDir&) { return KanalWorkerOptions{}; });
  }
  static void TearDownTestSuite() { suite_.stop(); }

  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kanalctl_binary())) << kanalctl_binary();
    ASSERT_TRUE(suite_.ready());
  }

  void TearDown() override {
    (void)suite_.worker().http("DELETE", "/connectors/" + name_);
    if (HasFailure())
      std::fprintf(stderr, "worker log:\n%s\n", suite_.worker().log_tail(20).c_str());
  }

  CtlRun run_raw(std::vector<std::string> args, const std::string& env_url = "") {
    return run_kanalctl(files_, std::move(args), env_url);
  }

  // Runs kanalctl against the test worker.
  CtlRun run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--url", suite_.worker().base_url()});
    return run_raw(std::move(args));
  }

  std::string write(const std::string& file, const std::string& text) {
    EXPECT_TRUE(is_ok(write_file(files_ / file, text)));
    return (files_ / file).string();
  }

  // A FileStreamSource config reading input.txt into `topic`, as a .properties file.
  std::string source_file(const std::string& file, const std::string& topic) {
    if (!std::filesystem::exists(files_ / "input.txt")) {
      EXPECT_TRUE(is_ok(write_file(files_ / "input.txt", "")));
    }
    return write(file, properties({{"name", name_},
                                   {"connector.class", "FileStreamSource"},
                                   {"tasks.max", "1"},
                                   {"file", (files_ / "input.txt").string()},
                                   {"topic", topic}}));
  }

  ::testing::AssertionResult reaches(const std::string& state) {
    return eventually([&] { return suite_.worker().connector_state(name_) == state; }, 30s,
                      [&] { return "state: " + suite_.worker().connector_state(name_); });
  }

  std::string rest_config(const std::string& key) {
    auto r = suite_.worker().http("GET", "/connectors/" + name_ + "/config");
    rapidjson::Document d = parse(r.body);
    if (r.status != 200 || !d.IsObject() || !d.HasMember(key.c_str())) return "<" + r.body + ">";
    return d[key.c_str()].GetString();
  }

  std::string name_ = unique_test_name();
  std::string topic_ = unique_test_name("topic");
  TempDir files_{"kanalctl-files"};
};

SuiteWorker KanalctlTest::suite_;

TEST_F(KanalctlTest, AppliesPropertiesFileAndListsTheConnectorRunning) {
  std::string file = source_file("c.properties", topic_);

  CtlRun apply = run({"apply", file});

  ASSERT_EQ(apply.code(), 0) << apply.describe();
  EXPECT_EQ(apply.out, "connector " + name_ + " created\n");
  ASSERT_TRUE(reaches("RUNNING"));
  std::string last;
  EXPECT_TRUE(eventually(
      [&] {
        CtlRun list = run({"list"});
        last = list.describe();
        return list.code() == 0 && list.out.rfind("NAME", 0) == 0 &&
               row_of(list.out, name_) ==
                   std::vector<std::string>{name_, "source", "RUNNING", "1/1", "FileStreamSource"};
      },
      30s, [&] { return last; }));
}

TEST_F(KanalctlTest, UpdatesTheConfigWhenAppliedAgainWithAChange) {
  ASSERT_EQ(run({"apply", source_file("c.properties", topic_)}).code(), 0);
  std::string changed = source_file("c2.properties", topic_ + "-2");

  CtlRun again = run({"apply", changed});

  ASSERT_EQ(again.code(), 0) << again.describe();
  EXPECT_EQ(again.out, "connector " + name_ + " updated\n");
  EXPECT_EQ(rest_config("topic"), topic_ + "-2");
  CtlRun describe = run({"describe", name_});
  EXPECT_EQ(describe.code(), 0) << describe.describe();
  EXPECT_NE(describe.out.find("topic            " + topic_ + "-2\n"), std::string::npos)
      << describe.out;
}

TEST_F(KanalctlTest, AppliesYamlAndJsonFilesWithTheNameFromTheCommandLine) {
  std::string yaml = write(
      "c.yaml", "connector.class: FileStreamSource\nfile: " + (files_ / "input.txt").string() +
                    "\ntopic: " + topic_ + "\n");
  std::string json = write("c.json", R"({"name": ")" + name_ +
                                         R"(", "config": {"connector.class": "FileStreamSource",
                                         "file": "x.txt", "topic": ")" +
                                         topic_ + R"(-json"}})");

  CtlRun from_yaml = run({"apply", yaml, "--name", name_});
  CtlRun from_json = run({"apply", json});

  EXPECT_EQ(from_yaml.code(), 0) << from_yaml.describe();
  EXPECT_EQ(from_yaml.out, "connector " + name_ + " created\n");
  EXPECT_EQ(from_json.code(), 0) << from_json.describe();
  EXPECT_EQ(from_json.out, "connector " + name_ + " updated\n");
  EXPECT_EQ(rest_config("topic"), topic_ + "-json");
}

TEST_F(KanalctlTest, PausesAndResumesTheConnector) {
  ASSERT_EQ(run({"apply", source_file("c.properties", topic_)}).code(), 0);
  ASSERT_TRUE(reaches("RUNNING"));

  CtlRun pause = run({"pause", name_});

  ASSERT_EQ(pause.code(), 0) << pause.describe();
  EXPECT_TRUE(reaches("PAUSED"));
  CtlRun resume = run({"resume", name_});
  ASSERT_EQ(resume.code(), 0) << resume.describe();
  EXPECT_TRUE(reaches("RUNNING"));
}

TEST_F(KanalctlTest, RestartsConnectorAndTasksShowingThemRestarting) {
  ASSERT_EQ(run({"apply", source_file("c.properties", topic_)}).code(), 0);
  ASSERT_TRUE(reaches("RUNNING"));
  ASSERT_TRUE(eventually([&] { return suite_.worker().task_state(name_, 0) == "RUNNING"; }, 30s));

  CtlRun restart = run({"restart", name_, "--tasks"});

  ASSERT_EQ(restart.code(), 0) << restart.describe();
  EXPECT_NE(restart.out.find("task 0"), std::string::npos) << restart.out;
  EXPECT_NE(restart.out.find("RESTARTING"), std::string::npos) << restart.out;
  EXPECT_TRUE(eventually([&] { return suite_.worker().task_state(name_, 0) == "RUNNING"; }, 30s));
}

TEST_F(KanalctlTest, StopsThenGetsAltersAndResetsOffsets) {
  ASSERT_TRUE(is_ok(write_file(files_ / "input.txt", "one\ntwo\nthree\n")));
  ASSERT_EQ(run({"apply", source_file("c.properties", topic_)}).code(), 0);
  std::string last;
  ASSERT_TRUE(eventually(
      [&] {
        last = suite_.worker().http("GET", "/connectors/" + name_ + "/offsets").body;
        return last.find("\"position\":14") != std::string::npos;
      },
      30s, [&] { return last; }));

  CtlRun stop = run({"stop", name_});
  ASSERT_EQ(stop.code(), 0) << stop.describe();
  ASSERT_TRUE(reaches("STOPPED"));
  CtlRun get = run({"-o", "json", "offsets", "get", name_});
  ASSERT_EQ(get.code(), 0) << get.describe();
  rapidjson::Document offsets = parse(get.out);
  ASSERT_TRUE(offsets.IsObject() && offsets.HasMember("offsets") && offsets["offsets"].IsArray() &&
              offsets["offsets"].Size() == 1)
      << get.out;
  EXPECT_EQ(offsets["offsets"][0]["offset"]["position"].GetInt(), 14) << get.out;
  CtlRun table = run({"offsets", "get", name_});
  EXPECT_NE(table.out.find("{\"position\":14}"), std::string::npos) << table.describe();
  std::string alter_file = write("offsets.json", R"({"offsets": [{"partition": {"filename": ")" +
                                                     (files_ / "input.txt").string() +
                                                     R"("}, "offset": {"position": 4}}]})");

  CtlRun alter = run({"offsets", "alter", name_, alter_file});

  ASSERT_EQ(alter.code(), 0) << alter.describe();
  EXPECT_NE(alter.out.find("altered"), std::string::npos) << alter.out;
  EXPECT_NE(
      suite_.worker().http("GET", "/connectors/" + name_ + "/offsets").body.find("\"position\":4}"),
      std::string::npos);
  CtlRun reset = run({"offsets", "reset", name_});
  ASSERT_EQ(reset.code(), 0) << reset.describe();
  EXPECT_NE(reset.out.find("reset"), std::string::npos) << reset.out;
  EXPECT_EQ(suite_.worker().http("GET", "/connectors/" + name_ + "/offsets").body,
            R"({"offsets":[]})");
}

TEST_F(KanalctlTest, RefusesOffsetChangesOfARunningConnectorWithWorkersMessage) {
  ASSERT_EQ(run({"apply", source_file("c.properties", topic_)}).code(), 0);
  ASSERT_TRUE(reaches("RUNNING"));

  CtlRun reset = run({"offsets", "reset", name_});

  EXPECT_EQ(reset.code(), 1) << reset.describe();
  EXPECT_EQ(reset.err.rfind("kanalctl: ", 0), 0u) << reset.err;
  EXPECT_NE(reset.err.find("(HTTP 400)\n"), std::string::npos) << reset.err;
}

TEST_F(KanalctlTest, ValidateOfABadFileExits1NamingTheKey) {
  std::string bad = write("bad.properties", properties({{"connector.class", "FileStreamSink"},
                                                        {"tasks.max", "0"},
                                                        {"topics", topic_},
                                                        {"file", "out.txt"}}));
  std::string good = write("good.properties", properties({{"connector.class", "FileStreamSink"},
                                                          {"name", name_},
                                                          {"topics", topic_},
                                                          {"file", "out.txt"}}));

  CtlRun invalid = run({"validate", bad});
  CtlRun valid = run({"validate", good});

  EXPECT_EQ(invalid.code(), 1) << invalid.describe();
  EXPECT_NE(invalid.out.find("\ntasks.max  "), std::string::npos) << invalid.out;
  EXPECT_EQ(valid.code(), 0) << valid.describe();
  EXPECT_NE(valid.out.find("valid"), std::string::npos) << valid.out;
}

TEST_F(KanalctlTest, DeletesTheConnector) {
  ASSERT_EQ(run({"apply", source_file("c.properties", topic_)}).code(), 0);

  CtlRun del = run({"delete", name_});

  ASSERT_EQ(del.code(), 0) << del.describe();
  EXPECT_EQ(del.out, "connector " + name_ + " deleted\n");
  EXPECT_EQ(suite_.worker().http("GET", "/connectors/" + name_).status, 404);
}

TEST_F(KanalctlTest, UnknownConnectorExits1WithTheWorkersMessage) {
  CtlRun r = run({"describe", name_});

  EXPECT_EQ(r.code(), 1) << r.describe();
  EXPECT_EQ(r.err.rfind("kanalctl: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(name_), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(HTTP 404)\n"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(KanalctlTest, UnreachableUrlExits3NamingTheUrl) {
  std::string url = "http://127.0.0.1:" + std::to_string(free_tcp_port());

  CtlRun r = run_raw({"--url", url, "list"});

  EXPECT_EQ(r.code(), 3) << r.describe();
  EXPECT_NE(r.err.find("cannot reach the worker at " + url), std::string::npos) << r.err;
}

TEST_F(KanalctlTest, UsesKanalUrlFromTheEnvironment) {
  CtlRun r = run_raw({"plugins"}, suite_.worker().base_url());

  EXPECT_EQ(r.code(), 0) << r.describe();
  EXPECT_NE(r.out.find("FileStreamSource"), std::string::npos) << r.out;
}

TEST_F(KanalctlTest, BadCommandLineExits2) {
  CtlRun r = run({"describe"});

  EXPECT_EQ(r.code(), 2) << r.describe();
  EXPECT_NE(r.err.find("needs NAME"), std::string::npos) << r.err;
}

TEST_F(KanalctlTest, JsonOutputParsesForScripts) {
  ASSERT_EQ(run({"apply", source_file("c.properties", topic_)}).code(), 0);
  ASSERT_TRUE(reaches("RUNNING"));

  CtlRun list = run({"list", "-o", "json"});
  CtlRun describe = run({"-o", "json", "describe", name_});
  CtlRun plugins = run({"--output=json", "plugins", "--all"});

  ASSERT_EQ(list.code(), 0) << list.describe();
  rapidjson::Document l = parse(list.out);
  ASSERT_TRUE(l.IsObject() && l.HasMember(name_.c_str())) << list.out;
  EXPECT_STREQ(l[name_.c_str()]["status"]["connector"]["state"].GetString(), "RUNNING");
  ASSERT_EQ(describe.code(), 0) << describe.describe();
  rapidjson::Document d = parse(describe.out);
  ASSERT_TRUE(d.IsObject() && d.HasMember("info") && d["info"].IsObject()) << describe.out;
  EXPECT_STREQ(d["info"]["config"]["topic"].GetString(), topic_.c_str());
  ASSERT_TRUE(d["status"].IsObject()) << describe.out;
  ASSERT_EQ(plugins.code(), 0) << plugins.describe();
  rapidjson::Document p = parse(plugins.out);
  ASSERT_TRUE(p.IsArray()) << plugins.out;
  bool has_transform = false;
  for (const auto& plugin : p.GetArray()) {
    has_transform |= std::string(plugin["type"].GetString()) == "transformation";
  }
  EXPECT_TRUE(has_transform) << plugins.out;
}

// A worker that asks for HTTP basic credentials: kanalctl sends those given in the URL.
TEST(KanalctlAuthTest, SendsBasicCredentialsGivenInTheUrl) {
  TempDir dir("kanal-kanalctl-auth");
  ASSERT_TRUE(is_ok(write_file(dir / "credentials.properties", "ops=s3cret\n")));
  KanalWorker worker(
      {.dir = dir.path(),
       .worker = {{"rest.extension.classes", "BasicAuthSecurityRestExtension"},
                  {"kanal.rest.basic.auth.credentials.file",
                   (dir / "credentials.properties").string()}},
       .connectors = {},
       .client = {.headers = {{"Authorization", rest::testing::basic_auth("ops", "s3cret")}}}});
  ASSERT_TRUE(is_ok(worker.start()));
  std::string with_user = worker.base_url();
  with_user.insert(with_user.find("://") + 3, "ops:s3cret@");

  CtlRun authorized = run_kanalctl(dir, {"--url", with_user, "plugins"});
  CtlRun anonymous = run_kanalctl(dir, {"--url", worker.base_url(), "plugins"});

  EXPECT_EQ(authorized.code(), 0) << authorized.describe();
  EXPECT_NE(authorized.out.find("FileStreamSource"), std::string::npos) << authorized.out;
  EXPECT_EQ(anonymous.code(), 1) << anonymous.describe();
  EXPECT_NE(anonymous.err.find("(HTTP 401)"), std::string::npos) << anonymous.err;
}

// Runs the openssl CLI; fails the test with its output when it fails.
void openssl(const TempDir& dir, std::vector<std::string> args) {
  RunResult r = run_to_exit(
      {.program = "openssl", .args = std::move(args), .log_file = dir / "openssl.log"}, 60s);
  ASSERT_TRUE(r.status.success()) << r.output;
}

// An https worker whose certificate is signed by a CA of the test's own: kanalctl trusts it
// with --cacert and refuses the connection without.
TEST(KanalctlTlsTest, TrustsTheCaGivenWithCacert) {
  TempDir dir("kanal-kanalctl-tls");
  auto p = [&](const char* name) { return (dir / name).string(); };
  openssl(dir, {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p("ca.key"), "-out",
                p("ca.pem"), "-days", "2", "-subj", "/CN=kanalctl test CA"});
  openssl(dir, {"req", "-newkey", "rsa:2048", "-nodes", "-keyout", p("server.key"), "-out",
                p("server.csr"), "-subj", "/CN=localhost"});
  ASSERT_TRUE(is_ok(write_file(dir / "san.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n")));
  openssl(dir,
          {"x509", "-req", "-in", p("server.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"),
           "-CAcreateserial", "-out", p("server.crt"), "-days", "2", "-extfile", p("san.ext")});
  auto key = read_file(dir / "server.key");
  auto crt = read_file(dir / "server.crt");
  ASSERT_TRUE(is_ok(key) && is_ok(crt));
  ASSERT_TRUE(is_ok(write_file(dir / "server.pem", *key + *crt)));
  KanalWorker worker({.dir = dir.path(),
                      .worker = {{"listeners.https.ssl.keystore.type", "PEM"},
                                 {"listeners.https.ssl.keystore.location", p("server.pem")}},
                      .connectors = {},
                      .scheme = "https",
                      .client = {.ca_file = dir / "ca.pem"}});
  ASSERT_TRUE(is_ok(worker.start()));

  CtlRun trusted = run_kanalctl(dir, {"--url", worker.base_url(), "--cacert", p("ca.pem"), "list"});
  CtlRun untrusted = run_kanalctl(dir, {"--url", worker.base_url(), "list"});

  EXPECT_EQ(trusted.code(), 0) << trusted.describe();
  EXPECT_EQ(untrusted.code(), 3) << untrusted.describe();
  EXPECT_NE(untrusted.err.find("cannot reach the worker at " + worker.base_url()),
            std::string::npos)
      << untrusted.err;
}

}  // namespace
}  // namespace kanal::testing
