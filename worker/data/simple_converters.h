// The simple built-in converters of Kafka Connect:
//   StringConverter      org.apache.kafka.connect.storage.StringConverter
//   ByteArrayConverter   org.apache.kafka.connect.converters.ByteArrayConverter
//   NumberConverter      org.apache.kafka.connect.converters.{Short,Integer,Long,Float,Double}
//                        Converter and BooleanConverter (Kafka client serializers: fixed-width
//                        big-endian, boolean one byte 0/1)
// Each is both a Converter and a HeaderConverter, as in Kafka. One instance per task and role;
// not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "data/converter.h"

namespace kanal::data {

class StringConverter final : public Converter, public HeaderConverter {
 public:
  static constexpr std::string_view kClassName = "org.apache.kafka.connect.storage.StringConverter";

  // Accepts converter.encoding (and the legacy serializer./deserializer.encoding); only UTF-8
  // (any case) is supported, another encoding is kInvalidArgument.
  Status configure(const ConfigMap& configs, bool is_key) override;
  const config::ConfigDef& config_def() const override;
  // Null -> null bytes; otherwise the value's Java string form (to_java_string).
  Status from_connect(std::string_view topic, Headers* headers, const SchemaPtr& schema,
                      const Value& value, SerializedData& out) override;
  // Gives (optional string schema, string or null).
  Result<SchemaAndValue> to_connect(std::string_view topic, const Headers* headers,
                                    std::optional<std::string_view> bytes) override;

  Status configure(const ConfigMap& configs) override;
  Status from_connect_header(std::string_view topic, std::string_view header_key,
                             const SchemaPtr& schema, const Value& value,
                             SerializedData& out) override;
  Result<SchemaAndValue> to_connect_header(std::string_view topic, std::string_view header_key,
                                           std::optional<std::string_view> bytes) override;
};

class ByteArrayConverter final : public Converter, public HeaderConverter {
 public:
  static constexpr std::string_view kClassName =
      "org.apache.kafka.connect.converters.ByteArrayConverter";

  Status configure(const ConfigMap& configs, bool is_key) override;
  const config::ConfigDef& config_def() const override;
  // Accepts a null schema or a BYTES schema and a bytes (or null) value; else kInvalidArgument.
  Status from_connect(std::string_view topic, Headers* headers, const SchemaPtr& schema,
                      const Value& value, SerializedData& out) override;
  // Gives (optional bytes schema, bytes or null).
  Result<SchemaAndValue> to_connect(std::string_view topic, const Headers* headers,
                                    std::optional<std::string_view> bytes) override;

  Status configure(const ConfigMap& configs) override;
  Status from_connect_header(std::string_view topic, std::string_view header_key,
                             const SchemaPtr& schema, const Value& value,
                             SerializedData& out) override;
  Result<SchemaAndValue> to_connect_header(std::string_view topic, std::string_view header_key,
                                           std::optional<std::string_view> bytes) override;
};

// Kafka's NumberConverter family; `type` is one of INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN.
class NumberConverter final : public Converter, public HeaderConverter {
 public:
  explicit NumberConverter(SchemaType type);

  // Connect class name for `type`, e.g. "org.apache.kafka.connect.converters.IntegerConverter".
  static const char* class_name_for(SchemaType type);

  Status configure(const ConfigMap& configs, bool is_key) override;
  const config::ConfigDef& config_def() const override;
  // Accepts any numeric value convertible to the type without loss of kind (Kafka casts the
  // Java object: a value of another kind is kInvalidArgument); null -> null bytes.
  Status from_connect(std::string_view topic, Headers* headers, const SchemaPtr& schema,
                      const Value& value, SerializedData& out) override;
  // Gives (optional schema of the type, value or null); wrong length is kInvalidArgument.
  Result<SchemaAndValue> to_connect(std::string_view topic, const Headers* headers,
                                    std::optional<std::string_view> bytes) override;

  Status configure(const ConfigMap& configs) override;
  Status from_connect_header(std::string_view topic, std::string_view header_key,
                             const SchemaPtr& schema, const Value& value,
                             SerializedData& out) override;
  Result<SchemaAndValue> to_connect_header(std::string_view topic, std::string_view header_key,
                                           std::optional<std::string_view> bytes) override;

 private:
  SchemaType type_;
};

}  // namespace kanal::data
