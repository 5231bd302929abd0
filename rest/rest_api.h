// RestApi: Kafka Connect's REST resources over a Herder, without any network.
//
//   kanal::rest::RestApi api(herder, kanal::rest::RestApiOptions::from(worker_config));
//   kanal::rest::HttpResponse r = api.handle({.method = "GET", .path = "/connectors"});
//   // r.status == 200, r.body == R"(["orders-sink"])"
//
// Every route, status code and JSON shape follows spec section 1 (docs/rest-api.yaml lists
// them). Connector state is only ever read or changed through the Herder; the REST layer itself
// owns the logger levels of /admin/loggers (kanal::log's registry) and their change times.
//
// Deliberate differences from Kafka Connect (each a client mistake Connect answers with 500):
// malformed JSON, wrong JSON types, a POST without `config`, an unknown `initial_state` → 400;
// a connector name that is empty, contains '/' or control characters → 400 at create.
//
// Thread-safe: handle() may run on many threads at once; it blocks while the herder answers.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "config/worker_config.h"
#include "herder/herder.h"
#include "rest/http_message.h"
#include "rest/router.h"

namespace kanal::rest {

struct RestApiOptions {
  int64_t max_request_bytes = 10 * 1024 * 1024;  // rest.request.max.bytes; 413 above it
  bool topic_tracking_enable = true;             // topic.tracking.enable; 403 when false
  bool topic_tracking_allow_reset = true;        // topic.tracking.allow.reset; 403 when false
  // How long a /connectors request made while the worker starts waits for the herder to have
  // read its state (Connect's requests queue behind the herder's start-up), then 503.
  std::chrono::milliseconds startup_wait = std::chrono::seconds(60);

  // Reads the keys above from a worker config.
  static RestApiOptions from(const config::WorkerConfig& config);
};

// Which routes a listener serves: `admin.listeners` unset → kAll on `listeners`; set → the
// `listeners` serve kWithoutAdmin and the admin listeners kAdminOnly; empty → kWithoutAdmin.
enum class Exposure { kAll, kWithoutAdmin, kAdminOnly };

class RestApi {
 public:
  // `herder` is borrowed and must outlive this object.
  RestApi(herder::Herder& herder, RestApiOptions options);
  RestApi(const RestApi&) = delete;
  RestApi& operator=(const RestApi&) = delete;

  // Answers one request. Never throws: an exception from a handler or the herder is logged
  // (type, message, request id) and answered 500 with a generic message naming the request id.
  HttpResponse handle(const HttpRequest& request, Exposure exposure = Exposure::kAll) noexcept;

  // The route table (method, OpenAPI-style path), sorted; what docs/rest-api.yaml must list.
  std::vector<RouteInfo> routes() const { return router_.routes(); }

 private:
  void add_routes();

  HttpResponse server_info(const RouteRequest& r);
  HttpResponse health(const RouteRequest& r);
  HttpResponse list_connectors(const RouteRequest& r);
  HttpResponse create_connector(const RouteRequest& r);
  HttpResponse get_connector(const RouteRequest& r);
  HttpResponse delete_connector(const RouteRequest& r);
  HttpResponse get_connector_config(const RouteRequest& r);
  HttpResponse put_connector_config(const RouteRequest& r);
  HttpResponse patch_connector_config(const RouteRequest& r);
  HttpResponse connector_status(const RouteRequest& r);
  HttpResponse restart_connector(const RouteRequest& r);
  HttpResponse task_configs(const RouteRequest& r);
  HttpResponse task_status(const RouteRequest& r);
  HttpResponse restart_task(const RouteRequest& r);
  HttpResponse active_topics(const RouteRequest& r);
  HttpResponse reset_active_topics(const RouteRequest& r);
  HttpResponse get_offsets(const RouteRequest& r);
  HttpResponse alter_offsets(const RouteRequest& r);
  HttpResponse reset_offsets(const RouteRequest& r);
  HttpResponse list_plugins(const RouteRequest& r);
  HttpResponse plugin_config(const RouteRequest& r);
  HttpResponse validate_config(const RouteRequest& r);
  HttpResponse list_loggers(const RouteRequest& r);
  HttpResponse get_logger(const RouteRequest& r);
  HttpResponse set_logger(const RouteRequest& r);
  HttpResponse metrics_page(const RouteRequest& r);  // rest_api_metrics.cc

  herder::Herder& herder_;
  const RestApiOptions options_;
  Router router_;
  std::atomic<uint64_t> next_request_id_{1};
  std::mutex loggers_mu_;
  std::map<std::string, int64_t> logger_modified_ms_;  // guarded by loggers_mu_
};

}  // namespace kanal::rest
