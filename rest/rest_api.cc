#include "rest/rest_api.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <memory>
#include <thread>
#include <typeinfo>

#include "common/log.h"
#include "rest/json_internal.h"
#include "rest/ui.h"
#include "rest/url.h"

namespace kanal::rest {
namespace {

using detail::JsonOut;
using detail::Nulls;
using detail::Numbers;

const log::Logger& logger() {
  static const log::Logger* l = new log::Logger("kanal.rest");
  return *l;
}

// "std::runtime_error" rather than "St13runtime_error" in the log.
std::string type_name(const std::type_info& type) {
  int rc = 0;
  std::unique_ptr<char, decltype(&std::free)> name(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &rc), &std::free);
  return rc == 0 && name ? std::string(name.get()) : std::string(type.name());
}

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Jersey reads a boolean query parameter with Boolean.valueOf: "true" in any case is true,
// anything else false; absent gives the default.
bool bool_param(const RouteRequest& r, std::string_view key, bool default_value) {
  auto v = r.query_value(key);
  if (!v) return default_value;
  return to_upper(*v) == "TRUE";
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Connect rejects ISO control characters in names (ConnectorConfig's name validator); kanal
// also rejects '/', since such a connector could not be addressed by its URL. The messages have
// Connect's validation form (spec 1.1: tools grep for "error(s)").
Status check_connector_name(std::string_view name) {
  if (name.empty()) {
    return Status::invalid_argument(detail::config_invalid_message(
        "Invalid value  for configuration name: String may not be empty"));
  }
  // Java's Character.isISOControl: U+0000-U+001F, U+007F and the C1 range U+0080-U+009F,
  // which UTF-8 spells C2 80 .. C2 9F.
  for (size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    auto next = i + 1 < name.size() ? static_cast<unsigned char>(name[i + 1]) : 0;
    if (c < 0x20 || c == 0x7f || (c == 0xc2 && next >= 0x80 && next <= 0x9f)) {
      return Status::invalid_argument(detail::config_invalid_message(
          "Invalid value " + std::string(name) +
          " for configuration name: String may not contain control sequences but had the "
          "following ASCII chars: " +
          std::to_string(c == 0xc2 ? static_cast<int>(next) : static_cast<int>(c))));
    }
  }
  if (name.find('/') != std::string_view::npos) {
    return Status::invalid_argument("Connector name '" + std::string(name) +
                                    "' contains '/', which cannot be used in a REST path");
  }
  return Status::OK();
}

// Connect's message for a config whose "name" differs from the connector's name.
Status check_config_name(const config::ConfigMap& config, const std::string& name) {
  auto it = config.find("name");
  if (it != config.end() && it->second != name) {
    return Status::invalid_argument("Connector name configuration (" + it->second +
                                    ") doesn't match connector name in the URL (" + name + ")");
  }
  return Status::OK();
}

// Connect prints a config map as Java does: {a=1, b=2}.
std::string java_map_string(const config::ConfigMap& config) {
  std::string out = "{";
  for (const auto& [k, v] : config) {
    if (out.size() > 1) out += ", ";
    out += k + "=" + v;
  }
  return out + "}";
}

std::string_view normalized_plugin_name(std::string_view name) {
  constexpr std::string_view kSuffix = "Connector";
  if (name.size() > kSuffix.size() && name.ends_with(kSuffix)) {
    name.remove_suffix(kSuffix.size());
  }
  return name;
}

int plugin_kind_rank(std::string_view type) {
  static constexpr std::string_view kOrder[] = {"sink",      "source",    "transformation",
                                                "predicate", "converter", "header_converter"};
  for (size_t i = 0; i < std::size(kOrder); ++i) {
    if (kOrder[i] == type) return static_cast<int>(i);
  }
  return static_cast<int>(std::size(kOrder));
}

// Reads the `{"name":..., "config":..., "initial_state":...}` body of POST /connectors.
struct CreateRequest {
  std::string name;
  config::ConfigMap config;
  std::optional<herder::TargetState> initial_state;
};

Result<CreateRequest> parse_create_request(std::string_view body) {
  auto doc = detail::parse_body(body, Numbers::kAsText);
  if (!doc.ok()) return doc.status();
  const rapidjson::Document& d = doc.value();
  if (!d.IsObject()) {
    return Status::invalid_argument(
        "The request body must be a JSON object with 'name' and 'config' members");
  }
  CreateRequest out;
  if (auto it = d.FindMember("name"); it != d.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsString()) return Status::invalid_argument("'name' must be a string");
    out.name = std::string(trim_spaces(it->value.GetString()));
  }
  auto config = d.FindMember("config");
  if (config == d.MemberEnd() || config->value.IsNull()) {
    return Status::invalid_argument(
        "The request body has no 'config' object; give the "
        "connector's settings in 'config'");
  }
  KANAL_RETURN_IF_ERROR(
      detail::config_map(config->value, "Connector configuration", Nulls::kReject, &out.config));
  if (auto it = d.FindMember("initial_state"); it != d.MemberEnd() && !it->value.IsNull()) {
    std::optional<herder::TargetState> state;
    if (it->value.IsString()) state = herder::parse_target_state(to_upper(it->value.GetString()));
    if (!state) {
      return Status::invalid_argument("Invalid initial_state " + detail::to_json(it->value) +
                                      "; it must be one of RUNNING, PAUSED, STOPPED");
    }
    out.initial_state = state;
  }
  return out;
}

HttpResponse created_response(const RouteRequest& r, const herder::ConnectorInfo& info) {
  JsonOut out;
  detail::write_connector_info(out.w, info);
  HttpResponse resp = json_response(out.str(), 201);
  resp.headers.emplace_back("Location",
                            r.http.base_url + "/connectors/" + percent_encode_segment(info.name));
  return resp;
}

}  // namespace

RestApiOptions RestApiOptions::from(const config::WorkerConfig& config) {
  RestApiOptions o;
  const config::ParsedConfig& p = config.parsed();
  if (p.has("rest.request.max.bytes")) o.max_request_bytes = p.get_long("rest.request.max.bytes");
  if (p.has("topic.tracking.enable")) o.topic_tracking_enable = p.get_bool("topic.tracking.enable");
  if (p.has("topic.tracking.allow.reset")) {
    o.topic_tracking_allow_reset = p.get_bool("topic.tracking.allow.reset");
  }
  return o;
}

RestApi::RestApi(herder::Herder& herder, RestApiOptions options)
    : herder_(herder), options_(options) {
  add_routes();
}

void RestApi::add_routes() {
  auto bind = [this](HttpResponse (RestApi::*method)(const RouteRequest&)) {
    return [this, method](const RouteRequest& r) { return (this->*method)(r); };
  };
  constexpr bool kJson = true;
  Router& t = router_;
  t.add("GET", "/", bind(&RestApi::server_info));
  t.add("GET", "/health", bind(&RestApi::health));
  t.add("GET", "/connectors", bind(&RestApi::list_connectors));
  t.add("POST", "/connectors", bind(&RestApi::create_connector), kJson);
  t.add("GET", "/connectors/{name}", bind(&RestApi::get_connector));
  t.add("DELETE", "/connectors/{name}", bind(&RestApi::delete_connector));
  t.add("GET", "/connectors/{name}/config", bind(&RestApi::get_connector_config));
  t.add("PUT", "/connectors/{name}/config", bind(&RestApi::put_connector_config), kJson);
  t.add("PATCH", "/connectors/{name}/config", bind(&RestApi::patch_connector_config), kJson);
  t.add("GET", "/connectors/{name}/status", bind(&RestApi::connector_status));
  t.add("POST", "/connectors/{name}/restart", bind(&RestApi::restart_connector));
  t.add("PUT", "/connectors/{name}/pause", [this](const RouteRequest& r) {
    Status s = herder_.pause_connector(r.param("name"));
    return s.ok() ? empty_response(202) : error_response(s);
  });
  t.add("PUT", "/connectors/{name}/resume", [this](const RouteRequest& r) {
    Status s = herder_.resume_connector(r.param("name"));
    return s.ok() ? empty_response(202) : error_response(s);
  });
  t.add("PUT", "/connectors/{name}/stop", [this](const RouteRequest& r) {
    Status s = herder_.stop_connector(r.param("name"));
    return s.ok() ? empty_response(204) : error_response(s);
  });
  t.add("GET", "/connectors/{name}/tasks", bind(&RestApi::task_configs));
  t.add("GET", "/connectors/{name}/tasks/{task:int}/status", bind(&RestApi::task_status));
  t.add("POST", "/connectors/{name}/tasks/{task:int}/restart", bind(&RestApi::restart_task));
  t.add("GET", "/connectors/{name}/topics", bind(&RestApi::active_topics));
  t.add("PUT", "/connectors/{name}/topics/reset", bind(&RestApi::reset_active_topics));
  t.add("GET", "/connectors/{name}/offsets", bind(&RestApi::get_offsets));
  t.add("PATCH", "/connectors/{name}/offsets", bind(&RestApi::alter_offsets), kJson);
  t.add("DELETE", "/connectors/{name}/offsets", bind(&RestApi::reset_offsets));
  t.add("GET", "/connector-plugins", bind(&RestApi::list_plugins));
  t.add("GET", "/connector-plugins/{plugin}/config", bind(&RestApi::plugin_config));
  t.add("PUT", "/connector-plugins/{plugin}/config/validate", bind(&RestApi::validate_config),
        kJson);
  t.add("GET", "/admin/loggers", bind(&RestApi::list_loggers));
  t.add("GET", "/admin/loggers/{logger}", bind(&RestApi::get_logger));
  t.add("PUT", "/admin/loggers/{logger}", bind(&RestApi::set_logger), kJson);
  t.add("GET", "/metrics", bind(&RestApi::metrics_page));  // Prometheus text format
  // The dashboard (rest/ui.h); outside Kafka Connect's paths, so no Connect route changes.
  t.add("GET", "/ui", serve_dashboard);
  t.add("GET", "/ui/{asset}", serve_dashboard);
}

HttpResponse RestApi::handle(const HttpRequest& request, Exposure exposure) noexcept {
  uint64_t id = next_request_id_.fetch_add(1, std::memory_order_relaxed);
  try {
    if (static_cast<int64_t>(request.body.size()) > options_.max_request_bytes) {
      return error_response(413, "Request body is " + std::to_string(request.body.size()) +
                                     " bytes, more than rest.request.max.bytes (" +
                                     std::to_string(options_.max_request_bytes) + ")");
    }
    bool admin = request.path == "/admin" || request.path.starts_with("/admin/");
    if ((admin && exposure == Exposure::kWithoutAdmin) ||
        (!admin && exposure == Exposure::kAdminOnly)) {
      return error_response(404, "HTTP 404 Not Found");
    }
    // Before the herder has read the cluster's state, "no connectors" would be a wrong answer:
    // wait for it, as Connect's requests wait behind its herder's start-up.
    if (request.path.starts_with("/connectors") && !herder_.ready()) {
      auto deadline = std::chrono::steady_clock::now() + options_.startup_wait;
      while (!herder_.ready() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (!herder_.ready()) {
        return error_response(503, "Worker is still starting up; try again shortly");
      }
    }
    return router_.dispatch(request);
  } catch (const std::exception& e) {
    logger().error("rest.request.exception", {{"request_id", std::to_string(id)},
                                              {"method", request.method},
                                              {"path", request.path},
                                              {"exception", type_name(typeid(e))},
                                              {"error", e.what()}});
  } catch (...) {
    logger().error("rest.request.exception", {{"request_id", std::to_string(id)},
                                              {"method", request.method},
                                              {"path", request.path},
                                              {"exception", "unknown"}});
  }
  try {
    return error_response(500, "Internal server error while handling request " +
                                   std::to_string(id) + "; the worker log has the details");
  } catch (...) {
    return empty_response(500);
  }
}

HttpResponse RestApi::server_info(const RouteRequest&) {
  herder::ServerInfo info = herder_.server_info();
  JsonOut out;
  out.w.StartObject();
  out.w.Key("version");
  detail::write_string(out.w, info.version);
  out.w.Key("commit");
  detail::write_string(out.w, info.commit);
  out.w.Key("kafka_cluster_id");
  detail::write_string(out.w, info.kafka_cluster_id);
  out.w.EndObject();
  return json_response(out.str());
}

HttpResponse RestApi::health(const RouteRequest&) {
  // Connect 3.9 (KIP-1017) runs a no-op through the herder's request loop. Listing connectors
  // is a read through that loop and carries the herder's deadline: a timeout means the loop is
  // stuck.
  auto answer = [](int status, const char* state, const char* message) {
    JsonOut out;
    out.w.StartObject();
    out.w.Key("status");
    out.w.String(state);
    out.w.Key("message");
    out.w.String(message);
    out.w.EndObject();
    return json_response(out.str(), status);
  };
  if (!herder_.ready()) return answer(503, "starting", "Worker is still starting up.");
  auto probe = herder_.connectors();
  if (!probe.ok() && probe.status().code() == Status::Code::kTimeout) {
    return answer(500, "unhealthy",
                  "Worker was unable to handle this request and may be unable to handle other "
                  "requests.");
  }
  return answer(200, "healthy", "Worker has completed startup and is ready to handle requests.");
}

HttpResponse RestApi::list_connectors(const RouteRequest& r) {
  auto names = herder_.connectors();
  if (!names.ok()) return error_response(names.status());
  bool any_expand = false;
  std::vector<std::string> expansions;
  for (const auto& [k, v] : r.query) {
    if (k != "expand") continue;
    any_expand = true;
    if ((v == "status" || v == "info") &&
        std::find(expansions.begin(), expansions.end(), v) == expansions.end()) {
      expansions.push_back(v);
    }
  }
  JsonOut out;
  if (!any_expand) {
    detail::write_string_list(out.w, names.value());
    return json_response(out.str());
  }
  out.w.StartObject();
  for (const std::string& name : names.value()) {
    // Each connector is looked up in full before it is written, so one that disappears while
    // the list is built is left out (Connect's ConnectorsResource does the same).
    JsonOut entry;
    entry.w.StartObject();
    bool gone = false;
    for (const std::string& e : expansions) {
      if (e == "status") {
        auto status = herder_.connector_status(name);
        if (!status.ok()) {
          if (status.status().code() == Status::Code::kNotFound) {
            gone = true;
            break;
          }
          return error_response(status.status());
        }
        entry.w.Key("status");
        detail::write_connector_status(entry.w, status.value());
      } else {
        auto info = herder_.connector_info(name);
        if (!info.ok()) {
          if (info.status().code() == Status::Code::kNotFound) {
            gone = true;
            break;
          }
          return error_response(info.status());
        }
        entry.w.Key("info");
        detail::write_connector_info(entry.w, info.value());
      }
    }
    if (gone) continue;
    entry.w.EndObject();
    detail::write_string(out.w, name);
    out.w.RawValue(entry.buf.GetString(), entry.buf.GetSize(), rapidjson::kObjectType);
  }
  out.w.EndObject();
  return json_response(out.str());
}

HttpResponse RestApi::create_connector(const RouteRequest& r) {
  auto req = parse_create_request(r.http.body);
  if (!req.ok()) return error_response(req.status());
  CreateRequest& c = req.value();
  Status name_ok = check_connector_name(c.name);
  if (!name_ok.ok()) return error_response(name_ok);
  Status same = check_config_name(c.config, c.name);
  if (!same.ok()) return error_response(same);
  c.config["name"] = c.name;
  auto result = herder_.put_connector_config(c.name, std::move(c.config), /*allow_replace=*/false,
                                             c.initial_state);
  if (!result.ok()) return error_response(result.status());
  return created_response(r, result->info);
}

HttpResponse RestApi::get_connector(const RouteRequest& r) {
  auto info = herder_.connector_info(r.param("name"));
  if (!info.ok()) return error_response(info.status());
  JsonOut out;
  detail::write_connector_info(out.w, info.value());
  return json_response(out.str());
}

HttpResponse RestApi::delete_connector(const RouteRequest& r) {
  Status s = herder_.delete_connector(r.param("name"));
  return s.ok() ? empty_response(204) : error_response(s);
}

HttpResponse RestApi::get_connector_config(const RouteRequest& r) {
  auto config = herder_.connector_config(r.param("name"));
  if (!config.ok()) return error_response(config.status());
  JsonOut out;
  detail::write_config_map(out.w, config.value());
  return json_response(out.str());
}

HttpResponse RestApi::put_connector_config(const RouteRequest& r) {
  const std::string& name = r.param("name");
  auto doc = detail::parse_body(r.http.body, Numbers::kAsText);
  if (!doc.ok()) return error_response(doc.status());
  config::ConfigMap config;
  Status s = detail::config_map(doc.value(), "Connector configuration", Nulls::kReject, &config);
  if (s.ok()) s = check_connector_name(name);
  if (s.ok()) s = check_config_name(config, name);
  if (!s.ok()) return error_response(s);
  config["name"] = name;
  auto result =
      herder_.put_connector_config(name, std::move(config), /*allow_replace=*/true, std::nullopt);
  if (!result.ok()) return error_response(result.status());
  if (result->created) return created_response(r, result->info);
  JsonOut out;
  detail::write_connector_info(out.w, result->info);
  return json_response(out.str());
}

HttpResponse RestApi::patch_connector_config(const RouteRequest& r) {
  const std::string& name = r.param("name");
  auto doc = detail::parse_body(r.http.body, Numbers::kAsText);
  if (!doc.ok()) return error_response(doc.status());
  config::ConfigMap set;
  std::vector<std::string> remove;
  Status s = detail::config_map(doc.value(), "Connector configuration patch", Nulls::kCollect, &set,
                                &remove);
  if (s.ok()) s = check_config_name(set, name);
  if (s.ok() && std::find(remove.begin(), remove.end(), "name") != remove.end()) {
    s = Status::invalid_argument("Connector name configuration cannot be removed by a patch");
  }
  if (!s.ok()) return error_response(s);
  auto result = herder_.patch_connector_config(name, std::move(set), std::move(remove));
  if (!result.ok()) return error_response(result.status());
  JsonOut out;
  detail::write_connector_info(out.w, result.value());
  return json_response(out.str());
}

HttpResponse RestApi::connector_status(const RouteRequest& r) {
  auto status = herder_.connector_status(r.param("name"));
  if (!status.ok()) return error_response(status.status());
  JsonOut out;
  detail::write_connector_status(out.w, status.value());
  return json_response(out.str());
}

HttpResponse RestApi::restart_connector(const RouteRequest& r) {
  auto result = herder_.restart_connector(r.param("name"), bool_param(r, "includeTasks", false),
                                          bool_param(r, "onlyFailed", false));
  if (!result.ok()) return error_response(result.status());
  if (!result.value()) return empty_response(204);
  JsonOut out;
  detail::write_connector_status(out.w, *result.value());
  return json_response(out.str(), 202);
}

HttpResponse RestApi::task_configs(const RouteRequest& r) {
  auto tasks = herder_.task_configs(r.param("name"));
  if (!tasks.ok()) return error_response(tasks.status());
  JsonOut out;
  out.w.StartArray();
  for (const herder::TaskInfo& t : tasks.value()) detail::write_task_info(out.w, t);
  out.w.EndArray();
  return json_response(out.str());
}

HttpResponse RestApi::task_status(const RouteRequest& r) {
  herder::TaskId id{r.param("name"), std::stoi(r.param("task"))};
  auto state = herder_.task_status(id);
  if (!state.ok()) return error_response(state.status());
  JsonOut out;
  detail::write_task_state(out.w, id.task, state.value());
  return json_response(out.str());
}

HttpResponse RestApi::restart_task(const RouteRequest& r) {
  Status s = herder_.restart_task(herder::TaskId{r.param("name"), std::stoi(r.param("task"))});
  return s.ok() ? empty_response(204) : error_response(s);
}

HttpResponse RestApi::active_topics(const RouteRequest& r) {
  if (!options_.topic_tracking_enable) {
    return error_response(403, "Topic tracking is disabled.");
  }
  const std::string& name = r.param("name");
  auto topics = herder_.active_topics(name);
  // Connect answers an unknown connector with an empty topic set, not 404.
  if (!topics.ok() && topics.status().code() != Status::Code::kNotFound) {
    return error_response(topics.status());
  }
  JsonOut out;
  out.w.StartObject();
  detail::write_string(out.w, name);
  out.w.StartObject();
  out.w.Key("topics");
  detail::write_string_list(out.w, topics.ok() ? topics.value() : std::vector<std::string>{});
  out.w.EndObject();
  out.w.EndObject();
  return json_response(out.str());
}

HttpResponse RestApi::reset_active_topics(const RouteRequest& r) {
  if (!options_.topic_tracking_enable) {
    return error_response(403, "Topic tracking is disabled.");
  }
  if (!options_.topic_tracking_allow_reset) {
    return error_response(403, "Topic tracking reset is disabled.");
  }
  Status s = herder_.reset_active_topics(r.param("name"));
  return s.ok() ? empty_response(202) : error_response(s);
}

HttpResponse RestApi::get_offsets(const RouteRequest& r) {
  auto offsets = herder_.connector_offsets(r.param("name"));
  if (!offsets.ok()) return error_response(offsets.status());
  JsonOut out;
  out.w.StartObject();
  out.w.Key("offsets");
  out.w.StartArray();
  for (const herder::PartitionOffset& o : offsets.value()) {
    out.w.StartObject();
    out.w.Key("partition");
    detail::write_raw_json(out.w, o.partition_json);
    out.w.Key("offset");
    detail::write_raw_json(out.w, o.offset_json);
    out.w.EndObject();
  }
  out.w.EndArray();
  out.w.EndObject();
  return json_response(out.str());
}

HttpResponse RestApi::alter_offsets(const RouteRequest& r) {
  auto doc = detail::parse_body(r.http.body, Numbers::kAsNumbers);
  if (!doc.ok()) return error_response(doc.status());
  const rapidjson::Document& d = doc.value();
  if (!d.IsObject()) {
    return error_response(400, "The request body must be a JSON object with an 'offsets' list");
  }
  auto list = d.FindMember("offsets");
  // ConnectorsResource checks this before asking the herder (so before 404 for the name).
  if (list == d.MemberEnd() || !list->value.IsArray() || list->value.Empty()) {
    return error_response(400,
                          "Partitions / offsets need to be provided for an alter offsets "
                          "request");
  }
  std::vector<herder::PartitionOffset> offsets;
  for (const rapidjson::Value& entry : list->value.GetArray()) {
    // Only objects have members: asking a non-object for MemberEnd() is undefined (RapidJSON
    // asserts), so the type is checked first.
    if (!entry.IsObject() || !entry.HasMember("partition") || !entry["partition"].IsObject()) {
      return error_response(
          400, "Each entry of 'offsets' needs a 'partition' object, got " + detail::to_json(entry));
    }
    auto partition = entry.FindMember("partition");
    auto offset = entry.FindMember("offset");
    bool null_offset = offset == entry.MemberEnd() || offset->value.IsNull();
    if (!null_offset && !offset->value.IsObject()) {
      return error_response(400, "The 'offset' of each entry must be an object or null, got " +
                                     detail::to_json(offset->value));
    }
    offsets.push_back({detail::to_json(partition->value),
                       null_offset ? std::string("null") : detail::to_json(offset->value)});
  }
  auto message = herder_.alter_connector_offsets(r.param("name"), std::move(offsets));
  if (!message.ok()) return error_response(message.status());
  JsonOut out;
  out.w.StartObject();
  out.w.Key("message");
  detail::write_string(out.w, message.value());
  out.w.EndObject();
  return json_response(out.str());
}

HttpResponse RestApi::reset_offsets(const RouteRequest& r) {
  auto message = herder_.reset_connector_offsets(r.param("name"));
  if (!message.ok()) return error_response(message.status());
  JsonOut out;
  out.w.StartObject();
  out.w.Key("message");
  detail::write_string(out.w, message.value());
  out.w.EndObject();
  return json_response(out.str());
}

HttpResponse RestApi::list_plugins(const RouteRequest& r) {
  bool connectors_only = bool_param(r, "connectorsOnly", true);
  std::vector<herder::PluginInfo> plugins = herder_.plugins(connectors_only);
  if (connectors_only) {
    std::erase_if(plugins, [](const herder::PluginInfo& p) {
      return p.type != "source" && p.type != "sink";
    });
  }
  // Connect's order: sinks, sources, transformations, predicates, converters, header
  // converters; by class name, then version, inside each kind.
  std::stable_sort(plugins.begin(), plugins.end(),
                   [](const herder::PluginInfo& a, const herder::PluginInfo& b) {
                     int ra = plugin_kind_rank(a.type);
                     int rb = plugin_kind_rank(b.type);
                     if (ra != rb) return ra < rb;
                     if (a.class_name != b.class_name) return a.class_name < b.class_name;
                     return a.version < b.version;
                   });
  JsonOut out;
  out.w.StartArray();
  for (const herder::PluginInfo& p : plugins) detail::write_plugin_info(out.w, p);
  out.w.EndArray();
  return json_response(out.str());
}

HttpResponse RestApi::plugin_config(const RouteRequest& r) {
  auto keys = herder_.plugin_config(r.param("plugin"), r.query_value("version").value_or(""));
  if (!keys.ok()) return error_response(keys.status());
  JsonOut out;
  out.w.StartArray();
  for (const herder::ConfigKeyInfo& k : keys.value()) detail::write_config_key_info(out.w, k);
  out.w.EndArray();
  return json_response(out.str());
}

HttpResponse RestApi::validate_config(const RouteRequest& r) {
  const std::string& plugin = r.param("plugin");
  auto doc = detail::parse_body(r.http.body, Numbers::kAsText);
  if (!doc.ok()) return error_response(doc.status());
  config::ConfigMap config;
  Status s = detail::config_map(doc.value(), "Connector configuration", Nulls::kReject, &config);
  if (!s.ok()) return error_response(s);
  auto cls = config.find("connector.class");
  if (cls == config.end()) {
    return error_response(
        400, "Connector config " + java_map_string(config) + " contains no connector type");
  }
  if (!normalized_plugin_name(cls->second).ends_with(normalized_plugin_name(plugin))) {
    return error_response(
        400, "Included connector type " + cls->second + " does not match request type " + plugin);
  }
  auto infos = herder_.validate_connector_config(plugin, std::move(config));
  if (!infos.ok()) return error_response(infos.status());
  JsonOut out;
  detail::write_config_infos(out.w, infos.value());
  return json_response(out.str());
}

}  // namespace kanal::rest
