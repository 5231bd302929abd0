// JSON for the REST layer: writers for the herder's entities in Kafka Connect's shapes (spec
// section 1.3 and 2) and readers for request bodies. RapidJSON stays inside rest/*.cc.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/config_def.h"
#include "herder/herder.h"

namespace kanal::rest::detail {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Collects compact JSON: `JsonOut out; out.w.StartObject(); ...; out.str()`.
struct JsonOut {
  rapidjson::StringBuffer buf;
  JsonWriter w{buf};
  std::string str() const { return std::string(buf.GetString(), buf.GetSize()); }
};

void write_string(JsonWriter& w, std::string_view s);
void write_optional_string(JsonWriter& w, const std::optional<std::string>& s);  // null if empty
void write_string_list(JsonWriter& w, const std::vector<std::string>& items);
void write_config_map(JsonWriter& w, const config::ConfigMap& config);
void write_connector_info(JsonWriter& w, const herder::ConnectorInfo& info);
// TaskState: {"id":0,"state":"RUNNING","worker_id":"h:8083"[,"trace":..][,"version":..]}.
void write_task_state(JsonWriter& w, int32_t id, const herder::StateInfo& state);
// ConnectorStateInfo; tasks sorted by id; `trace` omitted when absent or empty.
void write_connector_status(JsonWriter& w, const herder::ConnectorStatus& status);
void write_task_info(JsonWriter& w, const herder::TaskInfo& info);
void write_config_key_info(JsonWriter& w, const herder::ConfigKeyInfo& key);
void write_config_infos(JsonWriter& w, const herder::ConfigInfos& infos);
void write_plugin_info(JsonWriter& w, const herder::PluginInfo& plugin);
// Writes `json` (compact JSON text from the herder) as a value; null if it does not parse.
void write_raw_json(JsonWriter& w, std::string_view json);

// How request bodies keep numbers: as their exact text (config maps, where Connect's mapper
// turns 1 into "1") or as numbers (offsets, which are written back as JSON).
enum class Numbers { kAsText, kAsNumbers };

// Parses a request body. kInvalidArgument with the parser's message and byte offset, e.g.
// "Malformed JSON request body: Missing a name for object member. (at byte 1)".
Result<rapidjson::Document> parse_body(std::string_view body, Numbers numbers);

// What config_map() does with a JSON null value.
enum class Nulls { kReject, kCollect };

// Reads a flat object of strings (numbers and booleans become their text) into `out`.
// Nested objects/arrays → kInvalidArgument naming the key. Nulls: rejected naming the key, or
// (kCollect, PATCH) their keys appended to `null_keys`.
Status config_map(const rapidjson::Value& object, std::string_view what, Nulls nulls,
                  config::ConfigMap* out, std::vector<std::string>* null_keys = nullptr);

// Compact JSON text of a parsed value.
std::string to_json(const rapidjson::Value& value);

// Connect's 400 message for a config that fails validation with one error, in the multi-line
// form tools look for ("... contains the following 1 error(s):\n<error>\nYou can also ...").
std::string config_invalid_message(const std::string& error);

}  // namespace kanal::rest::detail
