// SimpleHeaderConverter: Kafka's org.apache.kafka.connect.storage.SimpleHeaderConverter, the
// default header converter. A header value is written as the UTF-8 text of its string form
// (Values.convertToString) and read back by inferring the narrowest type (Values.parseString):
// booleans, integers (smallest of int8..int64 that fits), floating point numbers, null, JSON-ish
// arrays "[...]" and maps "{...}", ISO-8601 date/time/timestamp strings, otherwise a string.
// Not thread-safe (one instance per task).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "data/converter.h"

namespace kanal::data {

class SimpleHeaderConverter final : public HeaderConverter {
 public:
  static constexpr std::string_view kClassName =
      "org.apache.kafka.connect.storage.SimpleHeaderConverter";

  Status configure(const ConfigMap& configs) override;
  Status from_connect_header(std::string_view topic, std::string_view header_key,
                             const SchemaPtr& schema, const Value& value,
                             SerializedData& out) override;
  // Never fails on content: text that does not parse as a typed value becomes a string.
  Result<SchemaAndValue> to_connect_header(std::string_view topic, std::string_view header_key,
                                           std::optional<std::string_view> bytes) override;
};

// Values.convertToString: the text SimpleHeaderConverter writes for a value.
std::string values_convert_to_string(const SchemaPtr& schema, const Value& value);
// Values.parseString: infers a (schema, value) from text. Never fails: falls back to a string.
SchemaAndValue values_parse_string(std::string_view text);

}  // namespace kanal::data
