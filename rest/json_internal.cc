#include "rest/json_internal.h"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <optional>

namespace kanal::rest::detail {

void write_string(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void write_optional_string(JsonWriter& w, const std::optional<std::string>& s) {
  if (s) {
    write_string(w, *s);
  } else {
    w.Null();
  }
}

void write_string_list(JsonWriter& w, const std::vector<std::string>& items) {
  w.StartArray();
  for (const std::string& s : items) write_string(w, s);
  w.EndArray();
}

void write_config_map(JsonWriter& w, const config::ConfigMap& config) {
  w.StartObject();
  for (const auto& [k, v] : config) {
    write_string(w, k);
    write_string(w, v);
  }
  w.EndObject();
}

void write_connector_info(JsonWriter& w, const herder::ConnectorInfo& info) {
  w.StartObject();
  w.Key("name");
  write_string(w, info.name);
  w.Key("config");
  write_config_map(w, info.config);
  w.Key("tasks");
  w.StartArray();
  for (const herder::TaskId& id : info.tasks) {
    w.StartObject();
    w.Key("connector");
    write_string(w, id.connector);
    w.Key("task");
    w.Int(id.task);
    w.EndObject();
  }
  w.EndArray();
  w.Key("type");
  w.String(herder::connector_type_name(info.type));
  w.EndObject();
}

namespace {

void write_state_fields(JsonWriter& w, const herder::StateInfo& state) {
  w.Key("state");
  write_string(w, state.state);
  w.Key("worker_id");
  write_string(w, state.worker_id);
  if (state.trace && !state.trace->empty()) {
    w.Key("trace");
    write_string(w, *state.trace);
  }
  if (state.version && !state.version->empty()) {
    w.Key("version");
    write_string(w, *state.version);
  }
}

}  // namespace

void write_task_state(JsonWriter& w, int32_t id, const herder::StateInfo& state) {
  w.StartObject();
  w.Key("id");
  w.Int(id);
  write_state_fields(w, state);
  w.EndObject();
}

void write_connector_status(JsonWriter& w, const herder::ConnectorStatus& status) {
  w.StartObject();
  w.Key("name");
  write_string(w, status.name);
  w.Key("connector");
  w.StartObject();
  write_state_fields(w, status.connector);
  w.EndObject();
  w.Key("tasks");
  std::vector<const herder::TaskState*> tasks;
  for (const herder::TaskState& t : status.tasks) tasks.push_back(&t);
  std::sort(tasks.begin(), tasks.end(), [](auto* a, auto* b) { return a->id < b->id; });
  w.StartArray();
  for (const herder::TaskState* t : tasks) write_task_state(w, t->id, t->state);
  w.EndArray();
  w.Key("type");
  w.String(herder::connector_type_name(status.type));
  w.EndObject();
}

void write_task_info(JsonWriter& w, const herder::TaskInfo& info) {
  w.StartObject();
  w.Key("id");
  w.StartObject();
  w.Key("connector");
  write_string(w, info.id.connector);
  w.Key("task");
  w.Int(info.id.task);
  w.EndObject();
  w.Key("config");
  write_config_map(w, info.config);
  w.EndObject();
}

void write_config_key_info(JsonWriter& w, const herder::ConfigKeyInfo& key) {
  w.StartObject();
  w.Key("name");
  write_string(w, key.name);
  w.Key("type");
  write_string(w, key.type);
  w.Key("required");
  w.Bool(key.required);
  w.Key("default_value");
  write_optional_string(w, key.default_value);
  w.Key("importance");
  write_string(w, key.importance);
  w.Key("documentation");
  write_string(w, key.documentation);
  w.Key("group");
  write_optional_string(w, key.group);
  // Connect 4.3.1 answers "order_in_group" here (observed, docs/compatibility.md K1), although
  // the spec's example says "order".
  w.Key("order_in_group");
  w.Int(key.order);
  w.Key("width");
  write_string(w, key.width);
  w.Key("display_name");
  write_string(w, key.display_name);
  w.Key("dependents");
  write_string_list(w, key.dependents);
  w.EndObject();
}

void write_config_infos(JsonWriter& w, const herder::ConfigInfos& infos) {
  w.StartObject();
  w.Key("name");
  write_string(w, infos.name);
  w.Key("error_count");
  w.Int(infos.error_count);
  w.Key("groups");
  write_string_list(w, infos.groups);
  w.Key("configs");
  w.StartArray();
  for (const herder::ConfigInfo& c : infos.configs) {
    w.StartObject();
    w.Key("definition");
    // A value with no definition (a key nobody declares) carries an empty definition name;
    // Connect prints "definition": null for it.
    if (c.definition.name.empty()) {
      w.Null();
    } else {
      write_config_key_info(w, c.definition);
    }
    w.Key("value");
    w.StartObject();
    w.Key("name");
    write_string(w, c.value.name.empty() ? c.definition.name : c.value.name);
    w.Key("value");
    write_optional_string(w, c.value.value);
    w.Key("recommended_values");
    write_string_list(w, c.value.recommended_values);
    w.Key("errors");
    write_string_list(w, c.value.errors);
    w.Key("visible");
    w.Bool(c.value.visible);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void write_plugin_info(JsonWriter& w, const herder::PluginInfo& plugin) {
  w.StartObject();
  w.Key("class");
  write_string(w, plugin.class_name);
  w.Key("type");
  write_string(w, plugin.type);
  if (!plugin.version.empty()) {
    w.Key("version");
    write_string(w, plugin.version);
  }
  w.EndObject();
}

void write_raw_json(JsonWriter& w, std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    w.Null();
  } else {
    doc.Accept(w);
  }
}

namespace {

// Jackson's default StreamReadConstraints.maxNestingDepth, which Connect's JSON provider uses.
constexpr int kMaxNestingDepth = 1000;

// The byte offset where `body` nests arrays and objects deeper than kMaxNestingDepth, if it
// does. rapidjson's parser and writer recurse once per level: without this check a body of a
// few megabytes of '[' overflows the stack of the thread handling the request and kills the
// worker.
std::optional<size_t> too_deep_at(std::string_view body) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxNestingDepth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<rapidjson::Document> parse_body(std::string_view body, Numbers numbers) {
  if (auto at = too_deep_at(body)) {
    return Status::invalid_argument(
        "Malformed JSON request body: nesting depth exceeds the "
        "maximum allowed (" +
        std::to_string(kMaxNestingDepth) + ") (at byte " + std::to_string(*at) + ")");
  }
  rapidjson::Document doc;
  if (numbers == Numbers::kAsText) {
    doc.Parse<rapidjson::kParseNumbersAsStringsFlag>(body.data(), body.size());
  } else {
    doc.Parse(body.data(), body.size());
  }
  if (doc.HasParseError()) {
    return Status::invalid_argument(std::string("Malformed JSON request body: ") +
                                    rapidjson::GetParseError_En(doc.GetParseError()) +
                                    " (at byte " + std::to_string(doc.GetErrorOffset()) + ")");
  }
  return doc;
}

Status config_map(const rapidjson::Value& object, std::string_view what, Nulls nulls,
                  config::ConfigMap* out, std::vector<std::string>* null_keys) {
  if (!object.IsObject()) {
    return Status::invalid_argument(std::string(what) +
                                    " must be a JSON object of string keys and values");
  }
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    std::string key(it->name.GetString(), it->name.GetStringLength());
    const rapidjson::Value& v = it->value;
    if (v.IsString()) {
      (*out)[key] = std::string(v.GetString(), v.GetStringLength());
    } else if (v.IsBool()) {
      (*out)[key] = v.GetBool() ? "true" : "false";
    } else if (v.IsNumber()) {
      (*out)[key] = to_json(v);
    } else if (v.IsNull() && nulls == Nulls::kCollect && null_keys != nullptr) {
      null_keys->push_back(key);
    } else if (v.IsNull()) {
      return Status::invalid_argument(
          config_invalid_message("Null value can not be supplied as the configuration value ('" +
                                 key + "' is null in the " + std::string(what) + ")."));
    } else {
      return Status::invalid_argument(std::string(what) + ": the value of '" + key +
                                      "' must be a string, got a JSON " +
                                      (v.IsArray() ? "array" : "object"));
    }
  }
  return Status::OK();
}

std::string config_invalid_message(const std::string& error) {
  return "Connector configuration is invalid and contains the following 1 error(s):\n" + error +
         "\nYou can also find the above list of errors at the endpoint "
         "`/connector-plugins/{connectorType}/config/validate`";
}

std::string to_json(const rapidjson::Value& value) {
  JsonOut out;
  value.Accept(out.w);
  return out.str();
}

}  // namespace kanal::rest::detail
