// JsonConverter: Kafka's org.apache.kafka.connect.json.JsonConverter, byte-compatible.
//
// Settings (Connect's keys): schemas.enable (default true: {"schema":...,"payload":...}
// envelope), schemas.cache.size (1000), decimal.format (BASE64 | NUMERIC),
// replace.null.with.default (true). Output is compact UTF-8 JSON, numbers formatted as Jackson
// writes them. The schema JSON of each SchemaPtr is cached (up to schemas.cache.size entries), so
// a record stream with one schema serializes it once.
// One instance per task and role; not thread-safe (used by one thread at a time).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "data/converter.h"

namespace kanal::data {

enum class DecimalFormat { kBase64, kNumeric };

struct JsonConverterOptions {
  bool schemas_enable = true;
  int schemas_cache_size = 1000;
  DecimalFormat decimal_format = DecimalFormat::kBase64;
  bool replace_null_with_default = true;
};

class JsonConverter final : public Converter, public HeaderConverter {
 public:
  static constexpr std::string_view kClassName = "org.apache.kafka.connect.json.JsonConverter";

  JsonConverter();
  explicit JsonConverter(JsonConverterOptions options);
  ~JsonConverter() override;
  JsonConverter(const JsonConverter&) = delete;
  JsonConverter& operator=(const JsonConverter&) = delete;

  const JsonConverterOptions& options() const { return options_; }

  // Converter
  Status configure(const ConfigMap& configs, bool is_key) override;
  const config::ConfigDef& config_def() const override;
  Status from_connect(std::string_view topic, Headers* headers, const SchemaPtr& schema,
                      const Value& value, SerializedData& out) override;
  Result<SchemaAndValue> to_connect(std::string_view topic, const Headers* headers,
                                    std::optional<std::string_view> bytes) override;

  // HeaderConverter (same encoding as a value)
  Status configure(const ConfigMap& configs) override;
  Status from_connect_header(std::string_view topic, std::string_view header_key,
                             const SchemaPtr& schema, const Value& value,
                             SerializedData& out) override;
  Result<SchemaAndValue> to_connect_header(std::string_view topic, std::string_view header_key,
                                           std::optional<std::string_view> bytes) override;

  // Appends the JSON of `schema` (the "schema" member) to `out`; "null" for a null schema.
  // Uses and fills the cache.
  void append_schema_json(const SchemaPtr& schema, std::string& out);
  // Parses a schema from its JSON text (the "schema" member); null schema for JSON null.
  Result<SchemaPtr> parse_schema_json(std::string_view json);

 private:
  // Parses `configs` (converter.type included) through config_def() and takes the options.
  Status apply(const ConfigMap& configs);

  struct Impl;
  JsonConverterOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kanal::data
