// The host side of the plugin ABI: the kanal_host table and the host objects behind its opaque
// handles. Private to worker/plugins.
//
// Handle representation (never visible to plugins):
//   kanal_schema*  is a data::SchemaPtr*. Owned handles are heap SchemaPtrs (schema_build,
//                  schema_copy); borrowed ones point at a SchemaPtr inside a host object (a
//                  record, a field, a struct), so lending a schema costs nothing.
//   kanal_value*   is a data::Value*, the same way: owned = heap, borrowed = inside a record.
#pragma once

#include <kanal/kanal.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/log.h"
#include "common/status.h"
#include "config/config_def.h"
#include "data/record.h"
#include "data/schema.h"
#include "data/value.h"
#include "plugins/contexts.h"

// Host objects behind the opaque handles. Global namespace: kanal.h declares them there.
struct kanal_context {
  kanal::log::Logger logger{"kanal.connector"};
  kanal::plugins::ConnectorContext* connector = nullptr;
  kanal::plugins::SourceOffsetReader* offsets = nullptr;
  kanal::plugins::SinkTaskContext* sink = nullptr;
  // Maps a plugin's borrowed sink record back to the host record (errant record reporting).
  const std::vector<kanal::data::SinkRecord>* sink_batch = nullptr;
  const std::vector<kanal_sink_record>* sink_views = nullptr;
};

struct kanal_source_batch {
  std::vector<kanal::data::SourceRecord>* out = nullptr;
};

struct kanal_task_configs {
  std::vector<kanal::config::ConfigMap> configs;
};

struct kanal_validation {
  std::vector<std::pair<std::string, std::string>> errors;  // key, message
};

// A transformation's result, applied by the host after apply() returns so `in` stays valid
// during the whole call.
struct kanal_record_out {
  bool dropped = false;
  uint32_t changed = 0;
  std::string topic;
  std::optional<int32_t> partition;
  kanal::data::SchemaPtr key_schema;
  kanal::data::Value key;
  kanal::data::SchemaPtr value_schema;
  kanal::data::Value value;
  std::optional<int64_t> timestamp;
  kanal::data::Headers headers;
};

struct kanal_buffer {
  std::string bytes;
};

namespace kanal::plugins::detail {

// The table handed to every plugin; lives for the process.
const kanal_host* host_table();

inline const kanal_schema* schema_handle(const data::SchemaPtr& schema) {
  return schema ? reinterpret_cast<const kanal_schema*>(&schema) : nullptr;
}
inline const data::SchemaPtr& schema_of(const kanal_schema* handle) {
  static const data::SchemaPtr kNone;
  return handle ? *reinterpret_cast<const data::SchemaPtr*>(handle) : kNone;
}
inline const kanal_value* value_handle(const data::Value& value) {
  return reinterpret_cast<const kanal_value*>(&value);
}
// Takes an owned value handle (NULL = null).
inline data::Value take_value(kanal_value* handle) {
  if (handle == nullptr) return data::Value();
  auto* v = reinterpret_cast<data::Value*>(handle);
  data::Value out = std::move(*v);
  delete v;
  return out;
}

inline kanal_str str(std::string_view s) { return kanal_str{s.data(), s.size()}; }
inline std::string_view view(kanal_str s) {
  return s.ptr == nullptr ? std::string_view() : std::string_view(s.ptr, s.len);
}

// A status built from a plugin call's result: KANAL_ERR_RETRIABLE -> retriable kUnavailable,
// KANAL_ERR_CONFIG -> kInvalidArgument, KANAL_ERR_NOT_FOUND -> kNotFound, else kInternal.
// `what` names the call and object, e.g. "Connector 'orders' failed to start".
Status plugin_status(kanal_status code, const char* err, std::string_view what);

// Converts source partitions/offsets between their ABI form (a MAP value with string keys) and
// the host's OrderedMap.
Result<data::OrderedMap> to_ordered_map(data::Value value, std::string_view what);
data::Value to_map_value(const data::OrderedMap& map);

// A kanal_config over a ConfigMap; `kvs` holds the entries and must outlive the result's use.
kanal_config make_config(const config::ConfigMap& map, std::vector<kanal_kv>& kvs);

}  // namespace kanal::plugins::detail
