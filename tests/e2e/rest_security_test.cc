// REST security end to end (issue #10, part 3): `kanal` with an https listener whose certificate
// the test makes with the openssl CLI (a self-signed CA and a server certificate for 127.0.0.1),
// HTTP basic authentication (BasicAuthSecurityRestExtension + a credentials file) and CORS;
// start-up errors for bad settings (exit code 2, message naming the key or file); and a follower
// forwarding a write to the leader over https with the caller's credentials.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "support/assertions.h"
#include "support/broker_environment.h"
#include "support/eventually.h"
#include "support/kanal_worker.h"
#include "support/paths.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

using namespace std::chrono_literals;
using rest::testing::basic_auth;
using rest::testing::HttpResult;
using rest::testing::RequestOptions;

constexpr const char* kUser = "ops";
constexpr const char* kPassword = "s3cret:with colon";
constexpr const char* kAllowedOrigin = "https://console.example.com";
constexpr const char* kKeyPassword = "key-pass";

// Runs the openssl CLI in `dir`; fails the test with its output when it fails.
void openssl(const TempDir& dir, std::vector<std::string> args) {
  RunResult r =
      run_to_exit({.program = "openssl", .args = args, .log_file = dir / "openssl.log"}, 60s);
  ASSERT_TRUE(r.status.success()) << r.output;
}

// A CA (ca.pem), a server certificate for 127.0.0.1/localhost signed by it, the keystore file
// server.pem (key + certificate), and the key encrypted with kKeyPassword (server-enc.key).
void make_certificates(const TempDir& dir) {
  auto p = [&](const char* name) { return (dir / name).string(); };
  openssl(dir, {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p("ca.key"), "-out",
                p("ca.pem"), "-days", "2", "-subj", "/CN=kanal test CA"});
  openssl(dir, {"req", "-newkey", "rsa:2048", "-nodes", "-keyout", p("server.key"), "-out",
                p("server.csr"), "-subj", "/CN=localhost"});
  ASSERT_TRUE(is_ok(write_file(dir / "san.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n")));
  openssl(dir,
          {"x509", "-req", "-in", p("server.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"),
           "-CAcreateserial", "-out", p("server.crt"), "-days", "2", "-extfile", p("san.ext")});
  openssl(dir, {"pkcs8", "-topk8", "-in", p("server.key"), "-out", p("server-enc.key"), "-v2",
                "aes-256-cbc", "-passout", std::string("pass:") + kKeyPassword});
  auto key = read_file(dir / "server.key");
  auto crt = read_file(dir / "server.crt");
  ASSERT_TRUE(is_ok(key) && is_ok(crt));
  ASSERT_TRUE(is_ok(write_file(dir / "server.pem", *key + *crt)));
}

// Worker settings for an https listener with basic auth and CORS.
Props secure_settings(const TempDir& dir) {
  return {{"listeners.https.ssl.keystore.type", "PEM"},
          {"listeners.https.ssl.keystore.location", (dir / "server.pem").string()},
          {"rest.extension.classes",
           "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension"},
          {"kanal.rest.basic.auth.credentials.file", (dir / "credentials.properties").string()},
          {"access.control.allow.origin", kAllowedOrigin},
          {"access.control.allow.methods", "GET,POST,PUT,DELETE"}};
}

RequestOptions trusted(const TempDir& dir, bool with_credentials = true) {
  RequestOptions o{.timeout = 30s, .ca_file = dir / "ca.pem"};
  if (with_credentials) o.headers["Authorization"] = basic_auth(kUser, kPassword);
  return o;
}

std::string header_of(const HttpResult& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
  }
  return "<absent>";
}

class RestSecurityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    admin_port_ = free_tcp_port();
    suite_.start("kanal-rest-security", [](const TempDir& dir) {
      make_certificates(dir);
      EXPECT_TRUE(
          is_ok(write_file(dir / "credentials.properties",
                           "# user=password, as Connect's PropertyFileLoginModule reads it\n"
                           "ops: s3cret:with colon\n"
                           "viewer=another\n")));
      Props settings = secure_settings(dir);
      settings["admin.listeners"] = "https://127.0.0.1:" + std::to_string(admin_port_);
      return KanalWorkerOptions{.worker = settings, .scheme = "https", .client = trusted(dir)};
    });
  }
  static void TearDownTestSuite() { suite_.stop(); }

  void SetUp() override { ASSERT_TRUE(suite_.ready()); }

  std::string url(const std::string& path) const { return suite_.worker().base_url() + path; }

  static SuiteWorker suite_;  // one kanal standalone (https, basic auth, CORS) for the suite
  static uint16_t admin_port_;
};

SuiteWorker RestSecurityTest::suite_;
uint16_t RestSecurityTest::admin_port_ = 0;

TEST_F(RestSecurityTest, AnswersGetRootOverHttpsWhenCaIsTrusted) {
  HttpResult r = rest::testing::request("GET", url("/"), "", trusted(suite_.dir()));

  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("\"version\""), std::string::npos) << r.body;
}

TEST_F(RestSecurityTest, RefusesPlainHttpOnHttpsPort) {
  std::string plain = "http://" + url("/").substr(std::string("https://").size());

  HttpResult r = rest::testing::request("GET", plain, "", RequestOptions{.timeout = 10s});

  EXPECT_NE(r.status, 200) << r.body;
}

TEST_F(RestSecurityTest, FailsHandshakeWhenClientDoesNotTrustCa) {
  RequestOptions untrusted{.timeout = 10s};
  untrusted.headers["Authorization"] = basic_auth(kUser, kPassword);

  HttpResult r = rest::testing::request("GET", url("/"), "", untrusted);

  EXPECT_EQ(r.status, 0) << r.body;
}

TEST_F(RestSecurityTest, Returns401WithChallengeWhenCredentialsAreMissing) {
  HttpResult r =
      rest::testing::request("GET", url("/connectors"), "", trusted(suite_.dir(), false));

  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, R"({"error_code":401,"message":"User cannot access the resource."})");
  EXPECT_EQ(header_of(r, "WWW-Authenticate").rfind("Basic realm=", 0), 0u)
      << header_of(r, "WWW-Authenticate");
}

TEST_F(RestSecurityTest, Returns401WhenPasswordIsWrong) {
  RequestOptions wrong = trusted(suite_.dir(), false);
  wrong.headers["Authorization"] = basic_auth(kUser, "s3cret");

  HttpResult r = rest::testing::request("GET", url("/connectors"), "", wrong);

  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("\"error_code\":401"), std::string::npos) << r.body;
}

TEST_F(RestSecurityTest, Returns401WhenUserIsUnknown) {
  RequestOptions unknown = trusted(suite_.dir(), false);
  unknown.headers["Authorization"] = basic_auth("mallory", kPassword);

  HttpResult r = rest::testing::request("GET", url("/"), "", unknown);

  EXPECT_EQ(r.status, 401);
}

TEST_F(RestSecurityTest, CreatesNothingWhenPostHasNoCredentials) {
  std::string body = R"({"name":"unauthorized","config":{"connector.class":"FileStreamSource",)"
                     R"("file":")" +
                     (suite_.dir() / "in.txt").string() + R"(","topic":"unauthorized"}})";

  HttpResult r =
      rest::testing::request("POST", url("/connectors"), body, trusted(suite_.dir(), false));

  EXPECT_EQ(r.status, 401) << r.body;
  HttpResult list = suite_.worker().http("GET", "/connectors");
  EXPECT_EQ(list.status, 200);
  EXPECT_EQ(list.body, "[]");
}

TEST_F(RestSecurityTest, CreatesAndDeletesConnectorWithRightCredentials) {
  std::string topic = unique_test_name("lines");
  std::string body = R"({"name":"authorized","config":{"connector.class":"FileStreamSource",)"
                     R"("file":")" +
                     (suite_.dir() / "in.txt").string() + R"(","topic":")" + topic + R"("}})";

  HttpResult created = suite_.worker().http("POST", "/connectors", body);

  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(header_of(created, "Location").rfind("https://", 0), 0u)
      << header_of(created, "Location");
  EXPECT_EQ(suite_.worker().http("GET", "/connectors").body, R"(["authorized"])");
  EXPECT_EQ(suite_.worker().http("DELETE", "/connectors/authorized").status, 204);
}

TEST_F(RestSecurityTest, AcceptsSecondUserOfCredentialsFile) {
  RequestOptions viewer = trusted(suite_.dir(), false);
  viewer.headers["Authorization"] = basic_auth("viewer", "another");

  HttpResult r = rest::testing::request("GET", url("/connector-plugins"), "", viewer);

  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(RestSecurityTest, AddsCorsHeadersWhenOriginIsAllowed) {
  RequestOptions o = trusted(suite_.dir());
  o.headers["Origin"] = kAllowedOrigin;

  HttpResult r = rest::testing::request("GET", url("/connectors"), "", o);

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(header_of(r, "Access-Control-Allow-Origin"), kAllowedOrigin);
  EXPECT_EQ(header_of(r, "Access-Control-Allow-Methods"), "GET,POST,PUT,DELETE");
}

TEST_F(RestSecurityTest, AddsNoCorsHeadersWhenOriginIsNotAllowed) {
  RequestOptions o = trusted(suite_.dir());
  o.headers["Origin"] = "https://evil.example.net";

  HttpResult r = rest::testing::request("GET", url("/connectors"), "", o);

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(header_of(r, "Access-Control-Allow-Origin"), "<absent>");
}

TEST_F(RestSecurityTest, AnswersPreflightWithoutCredentials) {
  RequestOptions o = trusted(suite_.dir(), false);
  o.headers["Origin"] = kAllowedOrigin;
  o.headers["Access-Control-Request-Method"] = "POST";
  o.headers["Access-Control-Request-Headers"] = "authorization,content-type";

  HttpResult r = rest::testing::request("OPTIONS", url("/connectors"), "", o);

  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(header_of(r, "Access-Control-Allow-Origin"), kAllowedOrigin);
  EXPECT_EQ(header_of(r, "Access-Control-Allow-Methods"), "GET,POST,PUT,DELETE");
  EXPECT_NE(header_of(r, "Access-Control-Allow-Headers").find("Authorization"), std::string::npos);
  EXPECT_EQ(header_of(r, "WWW-Authenticate"), "<absent>");
}

TEST_F(RestSecurityTest, ChallengesPreflightFromOriginNotAllowed) {
  RequestOptions o = trusted(suite_.dir(), false);
  o.headers["Origin"] = "https://evil.example.net";
  o.headers["Access-Control-Request-Method"] = "POST";

  HttpResult r = rest::testing::request("OPTIONS", url("/connectors"), "", o);

  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(header_of(r, "Access-Control-Allow-Origin"), "<absent>");
}

TEST_F(RestSecurityTest, ServesAdminRoutesOnlyOnHttpsAdminListenerWithCredentials) {
  std::string admin = "https://127.0.0.1:" + std::to_string(admin_port_) + "/admin/loggers";

  HttpResult on_admin = rest::testing::request("GET", admin, "", trusted(suite_.dir()));
  HttpResult without_credentials =
      rest::testing::request("GET", admin, "", trusted(suite_.dir(), false));
  HttpResult on_main = suite_.worker().http("GET", "/admin/loggers");

  EXPECT_EQ(on_admin.status, 200) << on_admin.body;
  EXPECT_EQ(without_credentials.status, 401);
  EXPECT_EQ(on_main.status, 404);
}

// ---- Start-up errors: exit code 2 and a message naming the key or the file ----

// Runs `kanal standalone` with the secure settings plus `extra` until it exits.
RunResult run_kanal(const TempDir& dir, const Props& extra) {
  KanalWorker w({.dir = dir.path(), .worker = {}, .connectors = {}, .scheme = "https"});
  Props props = w.worker_config();
  for (const auto& [k, v] : secure_settings(dir)) props[k] = v;
  for (const auto& [k, v] : extra) props[k] = v;
  std::string text;
  for (const auto& [k, v] : props) {
    if (!v.empty()) text += k + "=" + v + "\n";
  }
  EXPECT_TRUE(is_ok(write_file(dir / "bad.properties", text)));
  return run_to_exit({.program = kanal_binary().string(),
                      .args = {"standalone", (dir / "bad.properties").string()},
                      .log_file = dir / "bad.log"},
                     60s);
}

class RestSecurityStartupTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("kanal-rest-security-startup");
    make_certificates(*dir_);
    ASSERT_TRUE(is_ok(write_file(*dir_ / "credentials.properties", "ops=pw\n")));
  }
  static void TearDownTestSuite() { delete dir_; }

  void expect_exit_2_naming(const Props& extra, const std::string& needle) {
    RunResult r = run_kanal(*dir_, extra);
    EXPECT_TRUE(r.status.exited) << r.status.to_string();
    EXPECT_EQ(r.status.code, 2) << r.output;
    EXPECT_NE(r.output.find(needle), std::string::npos) << r.output;
  }

  static TempDir* dir_;
};

TempDir* RestSecurityStartupTest::dir_ = nullptr;

TEST_F(RestSecurityStartupTest, ExitsWithCode2WhenKeystoreTypeIsNotPem) {
  expect_exit_2_naming({{"listeners.https.ssl.keystore.type", "JKS"}},
                       "Invalid value JKS for configuration listeners.https.ssl.keystore.type");
}

TEST_F(RestSecurityStartupTest, ExitsWithCode2NamingKeystoreFileWhenItIsMissing) {
  std::string missing = (*dir_ / "no-such.pem").string();

  expect_exit_2_naming({{"listeners.https.ssl.keystore.location", missing}},
                       "listeners.https.ssl.keystore.location '" + missing + "'");
}

TEST_F(RestSecurityStartupTest, ExitsWithCode2WhenHttpsListenerHasNoCertificate) {
  expect_exit_2_naming({{"listeners.https.ssl.keystore.type", ""},
                        {"listeners.https.ssl.keystore.location", ""},
                        {"listeners.https.ssl.client.auth", "none"}},
                       "An https listener needs a certificate");
}

TEST_F(RestSecurityStartupTest, ExitsWithCode2WhenKeyPasswordIsWrong) {
  auto chain = read_file(*dir_ / "server.crt");
  auto key = read_file(*dir_ / "server-enc.key");
  ASSERT_TRUE(is_ok(chain) && is_ok(key));
  auto one_line = [](std::string s) {
    for (char& c : s) c = c == '\n' ? ' ' : c;
    return s;
  };

  expect_exit_2_naming({{"listeners.https.ssl.keystore.location", ""},
                        {"listeners.https.ssl.keystore.certificate.chain", one_line(*chain)},
                        {"listeners.https.ssl.keystore.key", one_line(*key)},
                        {"listeners.https.ssl.key.password", "wrong"}},
                       "wrong or missing listeners.https.ssl.key.password");
}

TEST_F(RestSecurityStartupTest, ExitsWithCode2WhenRestExtensionIsUnknown) {
  expect_exit_2_naming({{"rest.extension.classes", "com.example.MyExtension"}},
                       "Invalid value com.example.MyExtension for configuration "
                       "rest.extension.classes");
}

TEST_F(RestSecurityStartupTest, ExitsWithCode2NamingCredentialsFileWhenItIsMissing) {
  std::string missing = (*dir_ / "no-such.properties").string();

  expect_exit_2_naming({{"kanal.rest.basic.auth.credentials.file", missing}},
                       "kanal.rest.basic.auth.credentials.file '" + missing + "'");
}

TEST_F(RestSecurityStartupTest, ServesHttpsWithInlinePemAndEncryptedKey) {
  auto chain = read_file(*dir_ / "server.crt");
  auto key = read_file(*dir_ / "server-enc.key");
  ASSERT_TRUE(is_ok(chain) && is_ok(key));
  auto one_line = [](std::string s) {
    for (char& c : s) c = c == '\n' ? ' ' : c;
    return s;
  };
  TempDir work("kanal-rest-security-inline");
  KanalWorker w({.dir = work.path(),
                 .worker = {{"listeners.https.ssl.keystore.certificate.chain", one_line(*chain)},
                            {"listeners.https.ssl.keystore.key", one_line(*key)},
                            {"listeners.https.ssl.key.password", kKeyPassword}},
                 .connectors = {},
                 .scheme = "https",
                 .client = {.timeout = 30s, .ca_file = *dir_ / "ca.pem"}});

  Status s = w.start();

  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(w.http("GET", "/connectors").status, 200);
}

// ---- Distributed: a follower forwards a write to the leader over https ----

TEST(RestSecurityDistributedTest, FollowerForwardsCreateToLeaderOverHttpsWithCallerCredentials) {
  TempDir certs("kanal-rest-security-cluster");
  make_certificates(certs);
  ASSERT_TRUE(is_ok(write_file(certs / "credentials.properties", "ops: s3cret:with colon\n")));
  std::string base = unique_test_name();
  Props props = secure_settings(certs);
  props.insert({{"group.id", base + "-group"},
                {"config.storage.topic", base + "-configs"},
                {"offset.storage.topic", base + "-offsets"},
                {"status.storage.topic", base + "-status"},
                {"config.storage.replication.factor", "1"},
                {"offset.storage.replication.factor", "1"},
                {"status.storage.replication.factor", "1"},
                {"offset.storage.partitions", "1"},
                {"status.storage.partitions", "1"},
                {"listeners.https.ssl.truststore.location", (certs / "ca.pem").string()}});
  std::vector<std::unique_ptr<TempDir>> dirs;
  std::vector<std::unique_ptr<KanalWorker>> workers;
  for (int i = 0; i < 2; ++i) {
    dirs.push_back(std::make_unique<TempDir>());
    workers.push_back(std::make_unique<KanalWorker>(KanalWorkerOptions{.mode = "distributed",
                                                                       .dir = dirs.back()->path(),
                                                                       .worker = props,
                                                                       .connectors = {},
                                                                       .scheme = "https",
                                                                       .client = trusted(certs)}));
    Status s = workers.back()->start();
    ASSERT_TRUE(s.ok()) << s.message();
  }
  // The leader is the worker that published an assignment naming both members.
  auto published_both = [&](size_t i) {
    std::string log = tail_of_file(workers[i]->log_file(), 400);
    size_t at = log.find("event=assignment.published");
    return at != std::string::npos && log.find("members=2", at) != std::string::npos;
  };
  ASSERT_TRUE(eventually([&] { return published_both(0) || published_both(1); }, 60s,
                         [&] { return workers[0]->log_tail(20) + workers[1]->log_tail(20); }));
  size_t leader = published_both(0) ? 0 : 1;
  size_t follower = 1 - leader;
  std::string body = R"({"name":"forwarded","config":{"connector.class":"DatagenSource",)"
                     R"("topic":")" +
                     base + R"(-gen","count":"1","tasks.max":"1"}})";

  HttpResult created;
  bool ok = eventually(
      [&] {
        created = workers[follower]->http("POST", "/connectors", body);
        return created.status == 201;
      },
      60s,
      [&] {
        return std::to_string(created.status) + " " + created.body + "\n" +
               workers[follower]->log_tail(30);
      });

  ASSERT_TRUE(ok);
  EXPECT_EQ(tail_of_file(workers[follower]->log_file(), 400).find("event=connector.created"),
            std::string::npos)
      << "the follower wrote the connector itself: it was the leader";
  std::string leader_log;
  EXPECT_TRUE(eventually(
      [&] {
        leader_log = tail_of_file(workers[leader]->log_file(), 400);
        return leader_log.find("event=connector.created") != std::string::npos;
      },
      30s, [&] { return leader_log; }));
  HttpResult unauthenticated = rest::testing::request(
      "POST", workers[follower]->base_url() + "/connectors", body, trusted(certs, false));
  EXPECT_EQ(unauthenticated.status, 401);
  EXPECT_EQ(workers[leader]->http("DELETE", "/connectors/forwarded").status, 204);
}

}  // namespace
}  // namespace kanal::testing
