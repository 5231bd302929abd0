// RestApi's /admin/loggers resource, on kanal::log's level registry (Connect's
// LoggingResource): levels are changed here, for this worker, and their change times kept.
#include <chrono>

#include "common/log.h"
#include "rest/json_internal.h"
#include "rest/rest_api.h"

namespace kanal::rest {
namespace {

using detail::JsonOut;
using detail::Numbers;

const log::Logger& logger() {
  static const log::Logger* l = new log::Logger("kanal.rest");
  return *l;
}

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Same rule as the registry: "root" covers everything, "a.b" covers "a.b" and "a.b.c".
bool is_below(std::string_view name, std::string_view parent) {
  if (parent == "root") return true;
  return name == parent ||
         (name.size() > parent.size() && name.starts_with(parent) && name[parent.size()] == '.');
}

}  // namespace

HttpResponse RestApi::list_loggers(const RouteRequest&) {
  std::map<std::string, log::Level> levels = log::levels();
  std::map<std::string, int64_t> modified;
  {
    std::lock_guard lock(loggers_mu_);
    modified = logger_modified_ms_;
  }
  JsonOut out;
  out.w.StartObject();
  for (const auto& [name, level] : levels) {
    detail::write_string(out.w, name);
    out.w.StartObject();
    out.w.Key("level");
    out.w.String(log::level_name(level));
    out.w.Key("last_modified");
    if (auto it = modified.find(name); it != modified.end()) {
      out.w.Int64(it->second);
    } else {
      out.w.Null();
    }
    out.w.EndObject();
  }
  out.w.EndObject();
  return json_response(out.str());
}

HttpResponse RestApi::get_logger(const RouteRequest& r) {
  const std::string& name = r.param("logger");
  std::map<std::string, log::Level> levels = log::levels();
  auto it = levels.find(name);
  if (it == levels.end()) return error_response(404, "Logger " + name + " not found.");
  std::optional<int64_t> modified;
  {
    std::lock_guard lock(loggers_mu_);
    if (auto m = logger_modified_ms_.find(name); m != logger_modified_ms_.end()) {
      modified = m->second;
    }
  }
  JsonOut out;
  out.w.StartObject();
  out.w.Key("level");
  out.w.String(log::level_name(it->second));
  out.w.Key("last_modified");
  if (modified) {
    out.w.Int64(*modified);
  } else {
    out.w.Null();
  }
  out.w.EndObject();
  return json_response(out.str());
}

HttpResponse RestApi::set_logger(const RouteRequest& r) {
  const std::string& name = r.param("logger");
  auto doc = detail::parse_body(r.http.body, Numbers::kAsText);
  if (!doc.ok()) return error_response(doc.status());
  const rapidjson::Document& d = doc.value();
  // Type first: asking a non-object for its members is undefined (RapidJSON asserts).
  if (!d.IsObject() || !d.HasMember("level") || !d["level"].IsString()) {
    return error_response(400, "Desired 'level' parameter was not specified in request.");
  }
  std::string level_text = d["level"].GetString();
  // log4j's Level.toLevel accepts ALL too; kanal's finest level is TRACE.
  std::optional<log::Level> level = to_upper(level_text) == "ALL"
                                        ? std::optional(log::Level::kTrace)
                                        : log::parse_level(level_text);
  if (!level) {
    // Connect answers an unknown level with 404 (LoggingResource); kept for compatibility.
    return error_response(404, "invalid log level '" + level_text + "'.");
  }
  std::string scope = to_upper(r.query_value("scope").value_or("worker"));
  // In standalone mode the worker is the whole cluster, so a cluster-scoped change applies
  // here. TODO(#5): a distributed herder must publish it through the config topic instead.
  log::set_level(name, *level);
  int64_t stamp = now_ms();
  std::vector<std::string> affected;
  for (const auto& [n, l] : log::levels()) {
    if (is_below(n, name)) affected.push_back(n);
  }
  {
    std::lock_guard lock(loggers_mu_);
    for (const std::string& n : affected) logger_modified_ms_[n] = stamp;
  }
  logger().info("rest.logger.level", {{"logger", name},
                                      {"level", log::level_name(*level)},
                                      {"scope", scope == "CLUSTER" ? "cluster" : "worker"}});
  if (scope == "CLUSTER") return empty_response(204);
  JsonOut out;
  detail::write_string_list(out.w, affected);
  return json_response(out.str());
}

}  // namespace kanal::rest
