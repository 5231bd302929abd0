// Converter and HeaderConverter interfaces (Kafka's org.apache.kafka.connect.storage.Converter and
// HeaderConverter) and the registry that creates them by class name or alias.
//
// A converter turns a Connect (schema, value) into Kafka bytes and back. One instance serves one
// task and one role (key or value); it is used by one thread at a time (the task's thread), so
// implementations need no locking. Errors are kInvalidArgument Statuses (Connect's
// DataException) whose message names the problem; the error handler turns them into tolerated
// failures or DLQ records.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/config_def.h"
#include "data/record.h"
#include "data/schema.h"
#include "data/value.h"

namespace kanal::data {

using ConfigMap = config::ConfigMap;

// Serialized Kafka bytes, reused across records: converters clear() `bytes` and write into it,
// keeping its capacity. `is_null` distinguishes Kafka's null (e.g. a tombstone) from empty bytes;
// when it is set, `bytes` is empty.
struct SerializedData {
  std::string bytes;
  bool is_null = false;

  void set_null() {
    bytes.clear();
    is_null = true;
  }
  // Clears the buffer (keeping capacity) and marks the data as non-null.
  std::string& reset() {
    bytes.clear();
    is_null = false;
    return bytes;
  }
  std::optional<std::string_view> view() const {
    if (is_null) return std::nullopt;
    return std::string_view(bytes);
  }
};

class Converter {
 public:
  virtual ~Converter() = default;

  // Configures the instance with its settings (the worker strips "key.converter."/
  // "value.converter." before calling). kInvalidArgument naming the key on a bad value.
  // Called once, before any conversion.
  virtual Status configure(const ConfigMap& configs, bool is_key) = 0;

  // The settings configure() understands (Connect's Converter.config()): what
  // GET /connector-plugins/{converter}/config lists and what validation checks. Keys are
  // unprefixed ("schemas.enable"). Default: none.
  virtual const config::ConfigDef& config_def() const;

  // Serializes (schema, value) for `topic` into `out` (overwritten; capacity reused). `headers`
  // may be null; converters may read or add to them (Kafka's headers-aware overload).
  // A null value may produce null bytes (out.is_null), as Kafka converters do.
  virtual Status from_connect(std::string_view topic, Headers* headers, const SchemaPtr& schema,
                              const Value& value, SerializedData& out) = 0;

  // Deserializes Kafka bytes (nullopt = Kafka null) for `topic`. The result owns its data;
  // `bytes` is only borrowed for the call. `headers` may be null.
  virtual Result<SchemaAndValue> to_connect(std::string_view topic, const Headers* headers,
                                            std::optional<std::string_view> bytes) = 0;
};

class HeaderConverter {
 public:
  virtual ~HeaderConverter() = default;

  // As Converter::configure (the worker strips "header.converter.").
  virtual Status configure(const ConfigMap& configs) = 0;

  // As Converter::config_def (Connect's HeaderConverter.config()). Default: none.
  virtual const config::ConfigDef& config_def() const;

  // Serializes one header value into `out` (overwritten). A null value gives null bytes.
  virtual Status from_connect_header(std::string_view topic, std::string_view header_key,
                                     const SchemaPtr& schema, const Value& value,
                                     SerializedData& out) = 0;

  // Deserializes one header's bytes (nullopt = null header value).
  virtual Result<SchemaAndValue> to_connect_header(std::string_view topic,
                                                   std::string_view header_key,
                                                   std::optional<std::string_view> bytes) = 0;
};

// Connect's ConverterConfig key `converter.type` ("key", "value" or "header"), which every
// built-in converter except SimpleHeaderConverter declares first. Validation fills it with the
// role being checked.
config::ConfigKey converter_type_key();

// Creates converters by Kafka class name or alias. Built-in converters are registered by
// with_builtins(); the plugin loader registers plugin-provided converters with
// register_converter()/register_header_converter() before the registry is shared.
//
// Several versions of one class may be registered side by side (KIP-891: plugin libraries
// shipping the same converter class). create_*() takes the version requirement of
// `key.converter.plugin.version` etc. (exact version or Maven range, see plugins/version.h) and
// creates the newest version it allows; no requirement means the newest installed. Built-ins
// carry the worker's version (builtin_version()).
// Thread-safety: registration is not synchronized (do it at start-up, from one thread); the const
// methods are safe to call concurrently afterwards.
class ConverterRegistry {
 public:
  using ConverterFactory = std::function<std::unique_ptr<Converter>()>;
  using HeaderConverterFactory = std::function<std::unique_ptr<HeaderConverter>()>;

  // One registered class in one version, for plugin listings.
  struct Listed {
    std::string class_name;
    std::string version;
  };

  ConverterRegistry() = default;
  // A registry holding kanal's built-in converters under Connect's class names and aliases:
  //   org.apache.kafka.connect.json.JsonConverter               (JsonConverter, Json)
  //   org.apache.kafka.connect.storage.StringConverter          (StringConverter, String)
  //   org.apache.kafka.connect.converters.ByteArrayConverter    (ByteArrayConverter, ByteArray)
  //   org.apache.kafka.connect.converters.{Integer,Long,Short,Float,Double,Boolean}Converter
  //   org.apache.kafka.connect.storage.SimpleHeaderConverter    (header converter only)
  // Every built-in Converter is also a HeaderConverter, as in Kafka.
  static ConverterRegistry with_builtins();

  // The version built-in converters report: kanal's own version.
  static std::string builtin_version();

  // Registers `factory` as `version` of `class_name` (empty: builtin_version()) under the class
  // name and each alias. kConflict when a name belongs to another class, or when this version of
  // the class is already registered. Other versions of the class stay registered.
  Status register_converter(std::string class_name, std::vector<std::string> aliases,
                            ConverterFactory factory, std::string version = {});
  Status register_header_converter(std::string class_name, std::vector<std::string> aliases,
                                   HeaderConverterFactory factory, std::string version = {});
  // Adds `alias` for an already registered converter class; kConflict when the alias is taken
  // by another class, kNotFound when the class is not registered.
  Status add_converter_alias(std::string_view class_name, std::string alias);

  // A new, unconfigured instance of the newest version `version_spec` allows (empty: the newest).
  // kNotFound naming the class when unknown (Connect's message "Failed to find any class that
  // implements Converter and which name matches ..."); kInvalidArgument when `version_spec` is
  // malformed or matches no registered version ("Plugin X not found that matches the version
  // range ..., available versions: [...]").
  Result<std::unique_ptr<Converter>> create_converter(std::string_view class_or_alias,
                                                      std::string_view version_spec = {}) const;
  Result<std::unique_ptr<HeaderConverter>> create_header_converter(
      std::string_view class_or_alias, std::string_view version_spec = {}) const;

  // The version create_*() would pick, errors as create_*() (no instance is made).
  Result<std::string> converter_version(std::string_view class_or_alias,
                                        std::string_view version_spec = {}) const;
  Result<std::string> header_converter_version(std::string_view class_or_alias,
                                               std::string_view version_spec = {}) const;

  // Every registered version of the class `class_or_alias` names, oldest first (empty when
  // unknown).
  std::vector<std::string> converter_versions(std::string_view class_or_alias) const;
  std::vector<std::string> header_converter_versions(std::string_view class_or_alias) const;

  // Full class names (no aliases), sorted, for plugin listings.
  std::vector<std::string> converter_classes() const;
  std::vector<std::string> header_converter_classes() const;
  // Every class in every registered version, sorted by class name, then oldest version first.
  std::vector<Listed> converter_plugins() const;
  std::vector<Listed> header_converter_plugins() const;

 private:
  template <typename Factory>
  struct Versions {
    std::vector<std::pair<std::string, Factory>> by_version;  // registration order
  };
  template <typename Factory>
  struct Table {
    std::map<std::string, std::string, std::less<>> names;  // class name or alias -> class name
    std::map<std::string, Versions<Factory>, std::less<>> classes;
  };

  Table<ConverterFactory> converters_;
  Table<HeaderConverterFactory> header_converters_;
};

}  // namespace kanal::data
