// Config providers (issue #10 part 4): `${file:...}`, `${dir:...}` and `${env:...}` references,
// KIP-993's allowed.paths (with `..` and symlink escapes) and KIP-887's allowlist.pattern, and
// the worker config resolving its own references.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "config/config_provider.h"
#include "config/worker_config.h"
#include "support/temp_dir.h"

namespace kanal::config {
namespace {

using testing::TempDir;
using testing::write_file;

constexpr const char* kFileClass = "org.apache.kafka.common.config.provider.FileConfigProvider";

ConfigMap providers_config(const std::string& allowed) {
  ConfigMap c{{"config.providers", "file,dir,env"},
              {"config.providers.file.class", kFileClass},
              {"config.providers.dir.class", "DirectoryConfigProvider"},
              {"config.providers.env.class", "EnvVarConfigProvider"},
              {"config.providers.env.param.allowlist.pattern", "KANAL_TEST_.*"}};
  if (!allowed.empty()) {
    c["config.providers.file.param.allowed.paths"] = allowed;
    c["config.providers.dir.param.allowed.paths"] = allowed;
  }
  return c;
}

class ConfigProvidersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_ / "allowed" / "secrets");
    std::filesystem::create_directories(dir_ / "outside");
    ASSERT_TRUE(
        write_file(dir_ / "allowed" / "db.properties", "user=app\npassword=hunter22\n").ok());
    ASSERT_TRUE(write_file(dir_ / "allowed" / "secrets" / "token", "tok-123456").ok());
    ASSERT_TRUE(write_file(dir_ / "outside" / "db.properties", "password=leaked\n").ok());
  }

  ConfigProviders providers() {
    auto p = ConfigProviders::create(providers_config((dir_ / "allowed").string()));
    EXPECT_TRUE(p.ok()) << p.status().to_string();
    return p.ok() ? std::move(p).value() : ConfigProviders();
  }

  std::string allowed(const std::string& name) { return (dir_ / "allowed" / name).string(); }

  TempDir dir_{"kanal-providers"};
};

TEST(ConfigReferenceTest, SplitsProviderPathAndKey) {
  auto refs = find_references("jdbc:${file:/etc/db.properties:url}?user=${env:USER}");

  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].text, "${file:/etc/db.properties:url}");
  EXPECT_EQ(refs[0].provider, "file");
  EXPECT_EQ(refs[0].path, "/etc/db.properties");
  EXPECT_EQ(refs[0].key, "url");
  EXPECT_EQ(refs[1].provider, "env");
  EXPECT_EQ(refs[1].path, "");
  EXPECT_EQ(refs[1].key, "USER");
}

TEST_F(ConfigProvidersTest, ResolvesKeyFromPropertiesFile) {
  auto r = providers().resolve(
      {{"connection.password", "${file:" + allowed("db.properties") + ":password}"}});

  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->at("connection.password"), "hunter22");
}

TEST_F(ConfigProvidersTest, ResolvesReferenceInsideLongerValue) {
  auto r = providers().resolve({{"url", "db://${file:" + allowed("db.properties") + ":user}@h"}});

  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->at("url"), "db://app@h");
}

TEST_F(ConfigProvidersTest, ResolvesFileContentFromDirectory) {
  auto r = providers().resolve({{"token", "${dir:" + allowed("secrets") + ":token}"}});

  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->at("token"), "tok-123456");
}

TEST_F(ConfigProvidersTest, RefusesDirectoryKeyThatLeavesTheDirectory) {
  auto r = providers().resolve({{"token", "${dir:" + allowed("secrets") + ":../db.properties}"}});

  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a file name inside directory"), std::string::npos)
      << r.status().message();
}

TEST_F(ConfigProvidersTest, RefusesPathOutsideAllowedPaths) {
  std::string ref = "${file:" + (dir_ / "outside" / "db.properties").string() + ":password}";

  auto r = providers().resolve({{"connection.password", ref}});

  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("is not below allowed.paths"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find(ref), std::string::npos) << r.status().message();
  EXPECT_EQ(r.status().message().find("leaked"), std::string::npos);
}

TEST_F(ConfigProvidersTest, RefusesDotDotEscapeFromAllowedPath) {
  std::string ref = "${file:" + allowed("../outside/db.properties") + ":password}";

  auto r = providers().resolve({{"p", ref}});

  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("is not below allowed.paths"), std::string::npos)
      << r.status().message();
}

TEST_F(ConfigProvidersTest, RefusesSymlinkEscapeFromAllowedPath) {
  std::filesystem::create_symlink(dir_ / "outside" / "db.properties", dir_ / "allowed" / "link");

  auto r = providers().resolve({{"p", "${file:" + allowed("link") + ":password}"}});

  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("is not below allowed.paths"), std::string::npos)
      << r.status().message();
}

TEST_F(ConfigProvidersTest, AllowsEverythingWhenAllowedPathsIsUnset) {
  auto p = ConfigProviders::create(providers_config(""));
  ASSERT_TRUE(p.ok());

  auto r =
      p->resolve({{"p", "${file:" + (dir_ / "outside" / "db.properties").string() + ":password}"}});

  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->at("p"), "leaked");
}

TEST_F(ConfigProvidersTest, FailsNamingMissingKey) {
  auto r = providers().resolve({{"p", "${file:" + allowed("db.properties") + ":nope}"}});

  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("key 'nope' is not in properties file"), std::string::npos)
      << r.status().message();
}

TEST_F(ConfigProvidersTest, FailsNamingMissingFile) {
  auto r = providers().resolve({{"p", "${file:" + allowed("absent.properties") + ":k}"}});

  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("does not exist"), std::string::npos) << r.status().message();
}

TEST_F(ConfigProvidersTest, ResolvesEnvironmentVariableMatchingAllowlist) {
  ::setenv("KANAL_TEST_SECRET", "from-env-42", 1);

  auto r = providers().resolve({{"p", "${env:KANAL_TEST_SECRET}"}});

  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->at("p"), "from-env-42");
}

TEST_F(ConfigProvidersTest, RefusesEnvironmentVariableOutsideAllowlist) {
  ::setenv("OTHER_SECRET_FOR_KANAL", "nope", 1);

  auto r = providers().resolve({{"p", "${env:OTHER_SECRET_FOR_KANAL}"}});

  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("does not match allowlist.pattern"), std::string::npos)
      << r.status().message();
}

TEST_F(ConfigProvidersTest, LeavesReferenceToUnknownProviderAsIs) {
  auto r = providers().resolve({{"p", "${vault:secret/db:password}"}});

  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->at("p"), "${vault:secret/db:password}");
}

TEST(ConfigProvidersCreateTest, RefusesUnknownProviderClass) {
  auto p = ConfigProviders::create(
      {{"config.providers", "x"}, {"config.providers.x.class", "com.example.Vault"}});

  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("Unknown config provider class com.example.Vault"),
            std::string::npos)
      << p.status().message();
}

TEST(ConfigProvidersCreateTest, RefusesRelativeAllowedPath) {
  auto p = ConfigProviders::create({{"config.providers", "file"},
                                    {"config.providers.file.class", "FileConfigProvider"},
                                    {"config.providers.file.param.allowed.paths", "secrets"}});

  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("must be an absolute path"), std::string::npos);
}

TEST(RestoreReferencesTest, PutsReferencesBackIntoTaskConfigs) {
  ConfigMap raw{{"file", "${file:/s.properties:input}"}, {"topic", "t"}};
  ConfigMap resolved{{"file", "/data/in-secret.txt"}, {"topic", "t"}};
  std::vector<ConfigMap> tasks{
      {{"file", "/data/in-secret.txt"}, {"copy", "/data/in-secret.txt"}, {"topic", "t"}}};

  restore_references(tasks, raw, resolved);

  EXPECT_EQ(tasks[0].at("file"), "${file:/s.properties:input}");
  EXPECT_EQ(tasks[0].at("copy"), "${file:/s.properties:input}");
  EXPECT_EQ(tasks[0].at("topic"), "t");
}

TEST_F(ConfigProvidersTest, WorkerConfigResolvesItsOwnReferences) {
  ConfigMap props = providers_config((dir_ / "allowed").string());
  props.insert({{"key.converter", "org.apache.kafka.connect.json.JsonConverter"},
                {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
                {"offset.storage.file.filename", "/tmp/offsets.db"},
                {"producer.sasl.password", "${file:" + allowed("db.properties") + ":password}"}});

  auto c = WorkerConfig::create(props, WorkerMode::kStandalone);

  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->client_config("producer").at("sasl.password"), "hunter22");
  EXPECT_FALSE(c->providers().empty());
}

TEST_F(ConfigProvidersTest, WorkerConfigFailsWhenAReferenceCannotBeResolved) {
  ConfigMap props = providers_config((dir_ / "allowed").string());
  props.insert({{"key.converter", "org.apache.kafka.connect.json.JsonConverter"},
                {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
                {"offset.storage.file.filename", "/tmp/offsets.db"},
                {"producer.sasl.password",
                 "${file:" + (dir_ / "outside" / "db.properties").string() + ":password}"}});

  auto c = WorkerConfig::create(props, WorkerMode::kStandalone);

  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("producer.sasl.password"), std::string::npos)
      << c.status().message();
}

TEST(WorkerConfigPolicyTest, RefusesUnknownOverridePolicy) {
  ConfigMap props{{"key.converter", "org.apache.kafka.connect.json.JsonConverter"},
                  {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
                  {"offset.storage.file.filename", "/tmp/offsets.db"},
                  {"connector.client.config.override.policy", "Sometimes"}};

  auto c = WorkerConfig::create(props, WorkerMode::kStandalone);

  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("connector.client.config.override.policy"), std::string::npos)
      << c.status().message();
}

TEST(WorkerConfigPolicyTest, AcceptsConnectPolicyClassName) {
  ConfigMap props{{"key.converter", "org.apache.kafka.connect.json.JsonConverter"},
                  {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
                  {"offset.storage.file.filename", "/tmp/offsets.db"},
                  {"connector.client.config.override.policy",
                   "org.apache.kafka.connect.connector.policy."
                   "PrincipalConnectorClientConfigOverridePolicy"},
                  {"kanal.connector.client.config.allowed.paths", "/etc/kanal/tls, /run/tls"}};

  auto c = WorkerConfig::create(props, WorkerMode::kStandalone);

  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->client_allowed_paths(), (std::vector<std::string>{"/etc/kanal/tls", "/run/tls"}));
}

TEST(WorkerConfigPolicyTest, RefusesProviderReferenceInPluginPath) {
  ConfigMap props{{"key.converter", "org.apache.kafka.connect.json.JsonConverter"},
                  {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
                  {"offset.storage.file.filename", "/tmp/offsets.db"},
                  {"plugin.path", "${env:PLUGINS}"}};

  auto c = WorkerConfig::create(props, WorkerMode::kStandalone);

  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("plugin.path"), std::string::npos);
}

}  // namespace
}  // namespace kanal::config
