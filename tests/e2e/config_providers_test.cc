// Config providers and client-override hardening end to end (issue #10 part 4), plus JSON log
// lines (part 2): a `kanal standalone` worker with file/dir/env providers runs a FileStream
// source whose input file is given as `${file:...}`; the records prove the worker used the
// resolved value, and no REST answer and no log line may show it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "e2e/rest_support.h"
#include "support/assertions.h"
#include "support/broker_environment.h"
#include "support/eventually.h"
#include "support/kafka_broker.h"
#include "support/kafka_client.h"
#include "support/kanal_worker.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

using namespace std::chrono_literals;

// Part of the input file's name: the secret value the test hunts for.
constexpr const char* kMarker = "kanal-secret-8c1f4e";

class ConfigProvidersE2eTest : public ::testing::Test {
 protected:
  static SuiteWorker suite_;  // one kanal standalone for the suite

  static void SetUpTestSuite() {
    suite_.start("kanal-providers-e2e", [](const TempDir& dir) {
      std::filesystem::path secrets = dir / "secrets";
      std::filesystem::create_directories(secrets);
      std::filesystem::create_directories(dir / "outside");
      return KanalWorkerOptions{
          .worker = {{"config.providers", "file,dir"},
                     {"config.providers.file.class",
                      "org.apache.kafka.common.config.provider.FileConfigProvider"},
                     {"config.providers.file.param.allowed.paths", secrets.string()},
                     {"config.providers.dir.class", "DirectoryConfigProvider"},
                     {"config.providers.dir.param.allowed.paths", secrets.string()},
                     {"kanal.log.format", "json"}}};
    });
  }
  static void TearDownTestSuite() { suite_.stop(); }

  static std::filesystem::path secrets() { return suite_.dir() / "secrets"; }

  void SetUp() override { ASSERT_TRUE(suite_.ready()); }

  void TearDown() override {
    for (const std::string& n : created_) (void)call("DELETE", "/connectors/" + n);
    if (HasFailure())
      std::fprintf(stderr, "worker log:\n%s\n", suite_.worker().log_tail(30).c_str());
  }

  static HttpResult call(std::string_view method, const std::string& path,
                         std::string_view body = "") {
    return rest::testing::request(method, suite_.worker().base_url() + path, body,
                                  "application/json");
  }

  HttpResult create(const std::string& name, const Props& config) {
    created_.push_back(name);
    return call("POST", "/connectors", create_body(name, config));
  }

  std::string name_ = unique_test_name();
  std::string topic_ = unique_test_name("topic");
  std::vector<std::string> created_;
};

SuiteWorker ConfigProvidersE2eTest::suite_;

TEST_F(ConfigProvidersE2eTest, UsesResolvedSecretButNeverShowsItInRestOrLog) {
  std::filesystem::path input = suite_.dir().path() / (std::string(kMarker) + "-input.txt");
  {
    std::ofstream out(input);
    out << "first\nsecond\n";
  }
  {
    std::ofstream props(secrets() / "source.properties");
    props << "input.file=" << input.string() << "\n";
  }
  std::string reference = "${file:" + (secrets() / "source.properties").string() + ":input.file}";
  Props config{{"connector.class", "FileStreamSource"}, {"file", reference}, {"topic", topic_}};

  HttpResult created = create(name_, config);

  ASSERT_EQ(created.status, 201) << created.body;
  std::vector<std::string> seen;
  ASSERT_TRUE(eventually(
      [&] {
        auto v = consume_values(broker().bootstrap(), topic_, 5s);
        if (v.ok()) seen = *v;
        return seen.size() >= 2;
      },
      60s, [&] { return "records seen: " + std::to_string(seen.size()); }));
  EXPECT_EQ(seen, (std::vector<std::string>{"first", "second"}));
  std::vector<std::pair<std::string, HttpResult>> answers;
  for (const std::string& path :
       {"/connectors/" + name_, "/connectors/" + name_ + "/config",
        "/connectors/" + name_ + "/tasks", "/connectors/" + name_ + "/status",
        "/connectors/" + name_ + "/tasks/0/status", std::string("/connectors?expand=info"),
        std::string("/connectors?expand=status")}) {
    answers.emplace_back(path, call("GET", path));
  }
  answers.emplace_back("validate",
                       call("PUT", "/connector-plugins/FileStreamSource/config/validate",
                            json_object({{"connector.class", "FileStreamSource"},
                                         {"name", name_},
                                         {"file", reference},
                                         {"topic", topic_}})));
  for (const auto& [path, r] : answers) {
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    EXPECT_EQ(r.body.find(kMarker), std::string::npos) << path << " shows the secret: " << r.body;
  }
  HttpResult cfg = call("GET", "/connectors/" + name_ + "/config");
  rapidjson::Document d = parse_json(cfg);
  ASSERT_TRUE(d.IsObject() && d.HasMember("file") && d["file"].IsString()) << cfg.body;
  EXPECT_EQ(std::string(d["file"].GetString()), reference);
  HttpResult tasks = call("GET", "/connectors/" + name_ + "/tasks");
  EXPECT_NE(tasks.body.find(reference), std::string::npos) << tasks.body;
  auto log = read_file(suite_.worker().log_file());
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->find(kMarker), std::string::npos) << "the worker log shows the secret";
}

TEST_F(ConfigProvidersE2eTest, MasksResolvedValueInPluginLogLines) {
  std::filesystem::path missing = suite_.dir().path() / (std::string(kMarker) + "-missing.txt");
  {
    std::ofstream props(secrets() / "missing.properties");
    props << "missing.file=" << missing.string() << "\n";
  }
  std::string reference =
      "${file:" + (secrets() / "missing.properties").string() + ":missing.file}";
  Props config{{"connector.class", "FileStreamSource"}, {"file", reference}, {"topic", topic_}};

  ASSERT_EQ(create(name_, config).status, 201);

  // FileStreamSource warns "Couldn't find file <path> ..." with the resolved path.
  std::string log;
  EXPECT_TRUE(eventually(
      [&] {
        auto l = read_file(suite_.worker().log_file());
        if (l.ok()) log = *l;
        return log.find("Couldn't find file " + reference) != std::string::npos;
      },
      30s, [&] { return suite_.worker().log_tail(10); }));
  EXPECT_EQ(log.find(kMarker), std::string::npos) << "the worker log shows the secret";
}

TEST_F(ConfigProvidersE2eTest, FailsConnectorNamingReferenceWhenSecretFileDisappears) {
  std::filesystem::path props = secrets() / "vanishing.properties";
  {
    std::ofstream out(props);
    out << "input.file="
        << (suite_.dir().path() / (std::string(kMarker) + "-vanishing.txt")).string() << "\n";
  }
  std::string reference = "${file:" + props.string() + ":input.file}";
  Props config{{"connector.class", "FileStreamSource"}, {"file", reference}, {"topic", topic_}};
  ASSERT_EQ(create(name_, config).status, 201);
  std::filesystem::remove(props);

  HttpResult restart = call("POST", "/connectors/" + name_ + "/restart?includeTasks=true");

  EXPECT_EQ(restart.status, 202) << restart.body;
  std::string status;
  EXPECT_TRUE(eventually(
      [&] {
        status = call("GET", "/connectors/" + name_ + "/status").body;
        return status.find("FAILED") != std::string::npos;
      },
      30s, [&] { return status; }));
  EXPECT_NE(status.find(reference), std::string::npos) << status;
  EXPECT_NE(status.find("does not exist"), std::string::npos) << status;
  EXPECT_EQ(status.find(kMarker), std::string::npos) << status;
}

TEST_F(ConfigProvidersE2eTest, RefusesProviderPathOutsideAllowedPaths) {
  {
    std::ofstream props(suite_.dir().path() / "outside" / "source.properties");
    props << "input.file=/tmp/whatever.txt\n";
  }
  std::string reference =
      "${file:" + (suite_.dir().path() / "outside" / "source.properties").string() + ":input.file}";
  Props config{{"connector.class", "FileStreamSource"}, {"file", reference}, {"topic", topic_}};

  HttpResult created = create(name_, config);
  HttpResult validated = call("PUT", "/connector-plugins/FileStreamSource/config/validate",
                              json_object({{"connector.class", "FileStreamSource"},
                                           {"name", name_},
                                           {"file", reference},
                                           {"topic", topic_}}));

  EXPECT_TRUE(is_error(created, 400, {reference, "is not below allowed.paths"}));
  EXPECT_TRUE(is_error(validated, 400, {reference, "is not below allowed.paths"}));
  EXPECT_EQ(call("GET", "/connectors/" + name_).status, 404);
}

TEST_F(ConfigProvidersE2eTest, RefusesClientOverrideThatLoadsALibrary) {
  Props config{{"connector.class", "FileStreamSource"},
               {"file", (suite_.dir().path() / "in.txt").string()},
               {"topic", topic_},
               {"producer.override.plugin.library.paths", "/tmp/evil.so"}};

  HttpResult created = create(name_, config);

  EXPECT_TRUE(is_error(created, 400, {"producer.override.plugin.library.paths"}));
  EXPECT_EQ(call("GET", "/connectors/" + name_).status, 404);
}

TEST_F(ConfigProvidersE2eTest, RefusesOverridesTheNonePolicyForbids) {
  TempDir dir("kanal-policy-e2e");
  KanalWorkerOptions options;
  options.dir = dir.path();
  options.worker = {{"connector.client.config.override.policy", "None"}};
  KanalWorker worker(std::move(options));
  ASSERT_TRUE(worker.start().ok()) << worker.log_tail();
  Props config{{"connector.class", "FileStreamSource"},
               {"name", name_},
               {"file", (dir / "in.txt").string()},
               {"topic", topic_},
               {"producer.override.acks", "1"}};

  HttpResult created = worker.http("POST", "/connectors", create_body(name_, config));
  HttpResult validated = worker.http("PUT", "/connector-plugins/FileStreamSource/config/validate",
                                     json_object(config));

  EXPECT_TRUE(is_error(created, 400,
                       {"The 'None' policy does not allow 'acks' to be overridden in the connector "
                        "configuration."}));
  ASSERT_EQ(validated.status, 200) << validated.body;
  rapidjson::Document d = parse_json(validated);
  ASSERT_TRUE(d.IsObject() && d["configs"].IsArray()) << validated.body;
  bool flagged = false;
  for (const auto& c : d["configs"].GetArray()) {
    if (c["value"]["name"].GetString() == std::string("producer.override.acks")) {
      flagged = c["value"]["errors"].Size() == 1;
    }
  }
  EXPECT_TRUE(flagged) << validated.body;
}

TEST_F(ConfigProvidersE2eTest, WritesJsonLogLinesWithTaskAndWorkerContext) {
  Props config{{"connector.class", "FileStreamSource"},
               {"file", (suite_.dir().path() / "json-log-input.txt").string()},
               {"topic", topic_}};

  ASSERT_EQ(create(name_, config).status, 201);

  std::string found;
  EXPECT_TRUE(eventually(
      [&] {
        for (const std::string& l : read_lines(suite_.worker().log_file())) {
          if (l.empty() || l[0] != '{') continue;
          rapidjson::Document d;
          d.Parse(l.c_str());
          if (d.HasParseError() || !d.IsObject() || !d.HasMember("connector") ||
              !d["connector"].IsString() || d["connector"].GetString() != name_ ||
              !d.HasMember("task") || !d.HasMember("worker") || !d.HasMember("event")) {
            continue;
          }
          found = l;
          return true;
        }
        return false;
      },
      30s, [&] { return suite_.worker().log_tail(10); }));
  EXPECT_NE(found.find("\"task\":\"0\""), std::string::npos) << found;
}

}  // namespace
}  // namespace kanal::testing
