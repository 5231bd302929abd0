// RestSecurity (basic auth, CORS) and TlsSettings (which ssl.* keys apply) from worker configs,
// without network: the answers a request gets before routing.
#include "rest/rest_security.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/worker_config.h"
#include "rest/client/tls_settings.h"
#include "rest/testing/http_client.h"

namespace kanal::rest {
namespace {

using testing::basic_auth;

config::WorkerConfig worker_config(config::ConfigMap extra) {
  config::ConfigMap props = {{"bootstrap.servers", "localhost:9092"},
                             {"key.converter", "org.apache.kafka.connect.json.JsonConverter"},
                             {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
                             {"offset.storage.file.filename", "/tmp/offsets.db"}};
  for (auto& [k, v] : extra) props[k] = v;
  auto c = config::WorkerConfig::create(props, config::WorkerMode::kStandalone);
  EXPECT_TRUE(c.ok()) << c.status().to_string();
  return c.value();
}

std::string header_of(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "<absent>";
}

class BasicAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = std::filesystem::temp_directory_path() /
            ("kanal-credentials-" + std::to_string(getpid()) + ".properties");
    std::ofstream(file_) << "# users\nadmin: pa:ss word\nreader=r\n";
  }
  void TearDown() override { std::filesystem::remove(file_); }

  RestSecurity security() {
    auto s = RestSecurity::from(
        worker_config({{"rest.extension.classes", "BasicAuthSecurityRestExtension"},
                       {"kanal.rest.basic.auth.credentials.file", file_.string()}}));
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return std::move(s).value();
  }

  std::filesystem::path file_;
};

TEST_F(BasicAuthTest, LetsRequestThroughWhenCredentialsMatch) {
  RestSecurity s = security();

  auto early = s.screen("GET", {{"authorization", basic_auth("admin", "pa:ss word")}});

  EXPECT_FALSE(early.has_value());
}

TEST_F(BasicAuthTest, Answers401WithChallengeWhenHeaderIsMissing) {
  RestSecurity s = security();

  auto early = s.screen("GET", {});

  ASSERT_TRUE(early.has_value());
  EXPECT_EQ(early->status, 401);
  EXPECT_EQ(early->body, R"({"error_code":401,"message":"User cannot access the resource."})");
  EXPECT_EQ(header_of(*early, "WWW-Authenticate").rfind("Basic realm=\"kanal\"", 0), 0u);
}

TEST_F(BasicAuthTest, Answers401WhenPasswordIsOnlyAPrefix) {
  RestSecurity s = security();

  auto early = s.screen("GET", {{"authorization", basic_auth("admin", "pa")}});

  ASSERT_TRUE(early.has_value());
  EXPECT_EQ(early->status, 401);
}

TEST_F(BasicAuthTest, Answers401WhenPasswordBelongsToAnotherUser) {
  RestSecurity s = security();

  auto early = s.screen("GET", {{"authorization", basic_auth("admin", "r")}});

  ASSERT_TRUE(early.has_value());
  EXPECT_EQ(early->status, 401);
}

TEST_F(BasicAuthTest, Answers401WhenSchemeIsNotBasicOrBase64IsBroken) {
  RestSecurity s = security();

  auto bearer = s.screen("GET", {{"authorization", "Bearer abc"}});
  auto broken = s.screen("GET", {{"authorization", "Basic !!!"}});

  ASSERT_TRUE(bearer.has_value() && broken.has_value());
  EXPECT_EQ(bearer->status, 401);
  EXPECT_EQ(broken->status, 401);
}

TEST_F(BasicAuthTest, RefusesToStartWhenCredentialsFileHoldsNoUser) {
  std::ofstream(file_) << "# nobody\n";

  auto s = RestSecurity::from(
      worker_config({{"rest.extension.classes", std::string(kBasicAuthExtension)},
                     {"kanal.rest.basic.auth.credentials.file", file_.string()}}));

  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find(file_.string()), std::string::npos) << s.status().message();
}

TEST(RestSecurityTest, RefusesToStartWhenBasicAuthHasNoCredentialsFile) {
  auto s = RestSecurity::from(
      worker_config({{"rest.extension.classes", std::string(kBasicAuthExtension)}}));

  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("kanal.rest.basic.auth.credentials.file"), std::string::npos);
}

TEST(RestSecurityTest, RefusesToStartWhenExtensionIsUnknown) {
  auto s = RestSecurity::from(worker_config({{"rest.extension.classes", "com.example.Ext"}}));

  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("rest.extension.classes"), std::string::npos);
}

TEST(RestSecurityTest, LetsEverythingThroughWhenNothingIsConfigured) {
  auto s = RestSecurity::from(worker_config({}));
  ASSERT_TRUE(s.ok());

  auto early = s->screen("DELETE", {{"origin", "https://a.example.com"}});

  EXPECT_FALSE(early.has_value());
}

TEST(CorsTest, AnswersPreflightWhenOriginMatchesWildcardPattern) {
  auto s =
      RestSecurity::from(worker_config({{"access.control.allow.origin", "https://*.example.com"}}));
  ASSERT_TRUE(s.ok());

  auto early = s->screen(
      "OPTIONS", {{"origin", "https://ui.example.com"}, {"access-control-request-method", "POST"}});

  ASSERT_TRUE(early.has_value());
  EXPECT_EQ(early->status, 204);
  EXPECT_EQ(header_of(*early, "Access-Control-Allow-Origin"), "https://ui.example.com");
  EXPECT_EQ(header_of(*early, "Access-Control-Allow-Methods"), "GET,POST,HEAD");
}

TEST(CorsTest, DoesNotAnswerPreflightForMethodNotAllowed) {
  auto s = RestSecurity::from(worker_config({{"access.control.allow.origin", "*"}}));
  ASSERT_TRUE(s.ok());

  auto early = s->screen("OPTIONS", {{"origin", "https://ui.example.com"},
                                     {"access-control-request-method", "DELETE"}});

  EXPECT_FALSE(early.has_value());
}

TEST(CorsTest, DecoratesOnlyAllowedOrigins) {
  auto s = RestSecurity::from(
      worker_config({{"access.control.allow.origin", "https://a.example.com, https://b.example"},
                     {"access.control.allow.methods", "GET, PUT"}}));
  ASSERT_TRUE(s.ok());
  HttpResponse allowed = json_response("[]");
  HttpResponse other = json_response("[]");

  s->decorate({{"origin", "https://b.example"}}, allowed);
  s->decorate({{"origin", "https://c.example"}}, other);

  EXPECT_EQ(header_of(allowed, "Access-Control-Allow-Origin"), "https://b.example");
  EXPECT_EQ(header_of(allowed, "Access-Control-Allow-Methods"), "GET,PUT");
  EXPECT_TRUE(other.headers.empty());
}

TEST(TlsSettingsTest, ReadsOnlyListenerKeysWhenAnyListenerKeyIsSet) {
  auto t = client::TlsSettings::from(
      worker_config({{"ssl.keystore.location", "/top.pem"},
                     {"ssl.truststore.location", "/top-ca.pem"},
                     {"listeners.https.ssl.keystore.location", "/listener.pem"}}));

  ASSERT_TRUE(t.ok()) << t.status().to_string();
  EXPECT_EQ(t->keystore_location, "/listener.pem");
  EXPECT_EQ(t->truststore_location, "");
}

TEST(TlsSettingsTest, ReadsTopLevelKeysWhenNoListenerKeyIsSet) {
  auto t = client::TlsSettings::from(worker_config({{"ssl.keystore.location", "/top.pem"}}));

  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->keystore_location, "/top.pem");
}

TEST(TlsSettingsTest, RefusesKeystoreTypeOtherThanPem) {
  auto t = client::TlsSettings::from(worker_config({{"ssl.keystore.type", "PKCS12"}}));

  EXPECT_EQ(t.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(t.status().message().find("Invalid value PKCS12 for configuration ssl.keystore.type"),
            std::string::npos)
      << t.status().message();
}

TEST(TlsSettingsTest, RefusesUnknownClientAuthValue) {
  auto t =
      client::TlsSettings::from(worker_config({{"listeners.https.ssl.client.auth", "sometimes"}}));

  EXPECT_EQ(t.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(t.status().message().find("listeners.https.ssl.client.auth"), std::string::npos);
}

}  // namespace
}  // namespace kanal::rest
