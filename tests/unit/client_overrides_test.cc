// Connector client overrides (issue #10 part 4): connector.client.config.override.policy and the
// hardening that keeps connectors from making the worker's Kafka clients load code, run
// commands or read local files outside kanal.connector.client.config.allowed.paths.
#include "runtime/client_overrides.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/temp_dir.h"

namespace kanal::runtime {
namespace {

using Errors = std::vector<std::pair<std::string, std::string>>;

const std::string* error_for(const Errors& errors, const std::string& key) {
  for (const auto& [k, m] : errors) {
    if (k == key) return &m;
  }
  return nullptr;
}

TEST(OverridePolicyTest, AllowsEveryOverrideWhenPolicyIsAll) {
  auto errors = check_override_policy("All", {{"producer.override.acks", "1"}});

  EXPECT_TRUE(errors.empty());
}

TEST(OverridePolicyTest, RefusesEveryOverrideWhenPolicyIsNone) {
  auto errors = check_override_policy(
      "None", {{"producer.override.acks", "1"}, {"consumer.override.max.poll.records", "5"}});

  ASSERT_EQ(errors.size(), 2u);
  ASSERT_NE(error_for(errors, "producer.override.acks"), nullptr);
  EXPECT_EQ(*error_for(errors, "producer.override.acks"),
            "The 'None' policy does not allow 'acks' to be overridden in the connector "
            "configuration.");
}

TEST(OverridePolicyTest, AllowsOnlyPrincipalSettingsWhenPolicyIsPrincipal) {
  auto errors = check_override_policy(
      "org.apache.kafka.connect.connector.policy.PrincipalConnectorClientConfigOverridePolicy",
      {{"producer.override.sasl.jaas.config", "x"},
       {"admin.override.security.protocol", "SASL_SSL"},
       {"consumer.override.group.id", "g"}});

  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].first, "consumer.override.group.id");
}

TEST(OverrideSafetyTest, AlwaysRefusesPluginLibrariesAndKinitCommand) {
  auto errors = check_override_safety({{"producer.override.plugin.library.paths", "/tmp/evil.so"},
                                       {"consumer.override.sasl.kerberos.kinit.cmd", "sh -c id"}},
                                      {"/tmp"});

  ASSERT_EQ(errors.size(), 2u);
  ASSERT_NE(error_for(errors, "producer.override.plugin.library.paths"), nullptr);
  EXPECT_NE(error_for(errors, "producer.override.plugin.library.paths")
                ->find("load code or run a command"),
            std::string::npos);
  EXPECT_NE(error_for(errors, "consumer.override.sasl.kerberos.kinit.cmd"), nullptr);
}

TEST(OverrideSafetyTest, RefusesLocalFileWhenNoPathIsAllowed) {
  auto errors = check_override_safety({{"producer.override.ssl.ca.location", "/etc/ca.pem"}}, {});

  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].second.find("'producer.override.ssl.ca.location' names a local file"),
            std::string::npos);
  EXPECT_NE(errors[0].second.find("kanal.connector.client.config.allowed.paths"),
            std::string::npos);
}

TEST(OverrideSafetyTest, AllowsLocalFileBelowAllowedPath) {
  testing::TempDir dir("kanal-overrides");

  auto errors = check_override_safety(
      {{"producer.override.ssl.key.location", (dir / "client.key").string()},
       {"admin.override.ssl.truststore.location", (dir / "sub" / "trust.jks").string()}},
      {dir.path().string()});

  EXPECT_TRUE(errors.empty());
}

TEST(OverrideSafetyTest, RefusesDotDotAndSymlinkEscapesFromAllowedPath) {
  testing::TempDir dir("kanal-overrides");
  std::filesystem::create_directories(dir / "certs");
  std::filesystem::create_symlink("/etc", dir / "certs" / "etc");

  auto errors = check_override_safety(
      {{"producer.override.ssl.ca.location", (dir / "certs" / ".." / "x.pem").string()},
       {"consumer.override.sasl.kerberos.keytab", (dir / "certs" / "etc" / "krb5.keytab").string()},
       {"admin.override.ssl.keystore.location", "certs/relative.p12"}},
      {(dir / "certs").string()});

  EXPECT_EQ(errors.size(), 3u);
}

TEST(OverrideSafetyTest, LeavesOrdinarySettingsAlone) {
  auto errors = check_override_safety(
      {{"producer.override.acks", "all"}, {"producer.override.ssl.ca.location", "probe"}}, {});

  EXPECT_TRUE(errors.empty());
}

TEST(OverrideSafetyTest, SafeOverridesDropsRefusedKeys) {
  Errors dropped;

  auto out = safe_overrides({{"producer.override.acks", "1"},
                             {"producer.override.plugin.library.paths", "/x.so"},
                             {"consumer.override.acks", "0"}},
                            "producer", {}, &dropped);

  EXPECT_EQ(out, (config::ConfigMap{{"acks", "1"}}));
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0].first, "producer.override.plugin.library.paths");
}

}  // namespace
}  // namespace kanal::runtime
