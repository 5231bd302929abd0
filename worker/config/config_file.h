// Reading configuration files: Java .properties, YAML (.yaml/.yml) and JSON (.json).
//
// Every format yields a flat ConfigMap of string keys to string values, as Kafka Connect sees a
// config. Nested YAML/JSON maps are flattened with '.' (`producer: {acks: all}` becomes
// `producer.acks=all`); lists become comma-separated values; null becomes an empty string.
// A connector JSON file may be either a flat map or Connect's REST shape
// `{"name": ..., "config": {...}}` (the name is then copied into the config).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "config/config_def.h"

namespace kanal::config {

// Parses Java .properties text: `#`/`!` comments, `=`, `:` or whitespace separators, backslash
// line continuations and escapes (\t \n \r \f \uXXXX). Never fails: malformed lines become keys
// with empty values, as java.util.Properties does.
ConfigMap parse_properties(std::string_view text);

// Parses YAML / JSON text. Fails with the parser's message and position.
Result<ConfigMap> parse_yaml(std::string_view text);
Result<ConfigMap> parse_json(std::string_view text);

// Reads `path` and picks the parser by extension (.properties or anything else → properties,
// .yaml/.yml → YAML, .json → JSON). Errors name the file.
Result<ConfigMap> load_config_file(const std::string& path);

}  // namespace kanal::config
