// RestServer over loopback only: an in-process server on a port it picks, the same way the
// librdkafka mock cluster is used in unit tests. No other network, no broker.
#include "rest/rest_server.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "config/worker_config.h"
#include "rest/testing/fake_herder.h"
#include "rest/testing/http_client.h"
#include "support/eventually.h"

namespace kanal::rest {
namespace {

using testing::FakeHerder;
using testing::request;

config::WorkerConfig worker_config(config::ConfigMap extra) {
  config::ConfigMap props = {{"bootstrap.servers", "localhost:9092"},
                             {"key.converter", "org.apache.kafka.connect.json.JsonConverter"},
                             {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
                             {"offset.storage.file.filename", "/tmp/offsets.db"},
                             {"listeners", "http://127.0.0.1:0"}};
  for (auto& [k, v] : extra) props[k] = v;
  auto c = config::WorkerConfig::create(props, config::WorkerMode::kStandalone);
  EXPECT_TRUE(c.ok()) << c.status().to_string();
  return c.value();
}

class RestServerTest : public ::testing::Test {
 protected:
  void start(config::ConfigMap extra = {}) {
    server_ = std::make_unique<RestServer>(worker_config(std::move(extra)), herder_);
    Status s = server_->start();
    ASSERT_TRUE(s.ok()) << s.to_string();
    ASSERT_FALSE(server_->bound_ports().empty());
    base_ = "http://127.0.0.1:" + std::to_string(server_->bound_ports()[0]);
  }

  FakeHerder herder_;
  std::unique_ptr<RestServer> server_;
  std::string base_;
};

TEST_F(RestServerTest, BindsFreePortAndAdvertisesItWhenListenerPortIsZero) {
  start();

  int port = server_->bound_ports()[0];

  EXPECT_GT(port, 0);
  EXPECT_EQ(server_->advertised_url(), "http://127.0.0.1:" + std::to_string(port) + "/");
}

TEST_F(RestServerTest, AnswersJsonOverHttpWhenStarted) {
  start();

  testing::HttpResult r = request("GET", base_ + "/connectors");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "[]");
  EXPECT_EQ(r.headers["Content-Type"].rfind("application/json", 0), 0u)
      << r.headers["Content-Type"];
}

TEST_F(RestServerTest, CreatesAndFindsConnectorWhenNameNeedsEncoding) {
  start();

  testing::HttpResult created =
      request("POST", base_ + "/connectors",
              R"({"name":"my sink","config":{"connector.class":"FileStreamSink","topics":"t"}})");
  testing::HttpResult found = request("GET", base_ + "/connectors/my%20sink");

  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.headers["Location"], base_ + "/connectors/my%20sink");
  EXPECT_EQ(found.status, 200) << found.body;
}

TEST_F(RestServerTest, LogsOneAccessLineWhenServingRequest) {
  start();
  ::testing::internal::CaptureStderr();

  testing::HttpResult r = request("GET", base_ + "/connectors/nope?x=1");

  std::string log;
  bool logged = kanal::testing::eventually(
      [&] {
        log += ::testing::internal::GetCapturedStderr();
        ::testing::internal::CaptureStderr();
        return log.find("event=rest.access") != std::string::npos;
      },
      std::chrono::seconds(5), [&] { return log; });
  ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(r.status, 404);
  ASSERT_TRUE(logged);
  EXPECT_NE(log.find("INFO access event=rest.access method=GET path=\"/connectors/nope?x=1\" "
                     "status=404 duration_ms="),
            std::string::npos)
      << log;
}

TEST_F(RestServerTest, Returns204WithoutBodyWhenDeleting) {
  start();
  ASSERT_EQ(request("PUT", base_ + "/connectors/a/config",
                    R"({"connector.class":"FileStreamSink","topics":"t"})")
                .status,
            201);

  testing::HttpResult r = request("DELETE", base_ + "/connectors/a");

  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
}

TEST_F(RestServerTest, Returns405WithErrorBodyWhenMethodIsWrong) {
  start();

  testing::HttpResult r = request("PATCH", base_ + "/connectors");

  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.body, R"({"error_code":405,"message":"HTTP 405 Method Not Allowed"})");
}

TEST_F(RestServerTest, Returns415WhenFormEncodedBodyIsPosted) {
  start();

  testing::HttpResult r =
      request("POST", base_ + "/connectors", "name=a", "application/x-www-form-urlencoded");

  EXPECT_EQ(r.status, 415);
}

TEST_F(RestServerTest, Returns413WhenBodyExceedsRequestMaxBytes) {
  start({{"rest.request.max.bytes", "32"}});

  testing::HttpResult r = request("POST", base_ + "/connectors", std::string(1000, ' '));

  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find(R"("error_code":413)"), std::string::npos) << r.body;
}

TEST_F(RestServerTest, HidesAdminRoutesWhenAdminListenersIsEmpty) {
  start({{"admin.listeners", ""}});

  EXPECT_EQ(request("GET", base_ + "/admin/loggers").status, 404);
  EXPECT_EQ(request("GET", base_ + "/connectors").status, 200);
}

TEST_F(RestServerTest, ServesAdminRoutesOnlyOnAdminListenersWhenTheyAreSet) {
  start({{"admin.listeners", "http://127.0.0.1:0"}});
  ASSERT_EQ(server_->bound_ports().size(), 2u);
  std::string admin = "http://127.0.0.1:" + std::to_string(server_->bound_ports()[1]);

  EXPECT_EQ(request("GET", base_ + "/admin/loggers").status, 404);
  EXPECT_EQ(request("GET", admin + "/admin/loggers").status, 200);
  EXPECT_EQ(request("GET", admin + "/connectors").status, 404);
}

TEST_F(RestServerTest, ServesEveryListenerWhenSeveralAreConfigured) {
  start({{"listeners", "http://127.0.0.1:0,http://localhost:0"}});
  ASSERT_EQ(server_->bound_ports().size(), 2u);

  for (int port : server_->bound_ports()) {
    EXPECT_EQ(request("GET", "http://127.0.0.1:" + std::to_string(port) + "/").status, 200);
  }
}

TEST_F(RestServerTest, FailsToStartWhenPortIsTaken) {
  start();
  RestServer second(worker_config({{"listeners", "http://127.0.0.1:" +
                                                     std::to_string(server_->bound_ports()[0])}}),
                    herder_);

  Status s = second.start();

  EXPECT_EQ(s.code(), Status::Code::kUnavailable) << s.to_string();
}

TEST_F(RestServerTest, RefusesToStartWhenHttpsListenerHasNoCertificate) {
  RestServer server(worker_config({{"listeners", "https://127.0.0.1:0"}}), herder_);

  Status s = server.start();

  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << s.to_string();
  EXPECT_NE(s.message().find("ssl.keystore.location"), std::string::npos) << s.to_string();
}

TEST_F(RestServerTest, StaysConsistentWhenManyClientsCreateAndDeleteConcurrently) {
  start();
  constexpr int kClients = 8;
  constexpr int kPerClient = 20;
  std::vector<std::thread> clients;
  std::vector<int> server_errors(kClients, 0);

  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; i < kPerClient; ++i) {
        std::string name = "c" + std::to_string(c) + "-" + std::to_string(i);
        auto created = request("PUT", base_ + "/connectors/" + name + "/config",
                               R"({"connector.class":"FileStreamSink","topics":"t"})");
        auto listed = request("GET", base_ + "/connectors?expand=status");
        auto removed = i % 2 == 0 ? request("DELETE", base_ + "/connectors/" + name) : created;
        for (const auto* r : {&created, &listed, &removed}) {
          if (r->status == 0 || r->status >= 500) ++server_errors[c];
        }
      }
    });
  }
  for (auto& t : clients) t.join();

  for (int c = 0; c < kClients; ++c) EXPECT_EQ(server_errors[c], 0) << "client " << c;
  auto names = herder_.connectors();
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names->size(), static_cast<size_t>(kClients * kPerClient / 2));
}

}  // namespace
}  // namespace kanal::rest
