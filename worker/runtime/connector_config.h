// The settings every connector has (Kafka Connect's ConnectorConfig, SourceConnectorConfig and
// SinkConnectorConfig): name, connector.class, tasks.max, converters, transforms, predicates,
// errors.*, topics/topics.regex and the DLQ for sinks, topic.creation.* for sources.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "config/config_def.h"

namespace kanal::runtime {

enum class ConnectorKind { kSource, kSink };

// The definition of the common settings for a kind of connector (groups Common, Transforms,
// Predicates, Error Handling, Topic Creation as Connect names them).
const config::ConfigDef& connector_config_def(ConnectorKind kind);

// Names of the groups, in the order Connect lists them in validation responses.
std::vector<std::string> connector_config_groups(ConnectorKind kind);

// Checks the cross-field rules Connect enforces beyond the definition, returning errors by key:
// sinks need exactly one of topics / topics.regex; the DLQ topic must not be one of the
// consumed topics; transforms.<a>.negate needs a predicate; topic.creation.* needs the default
// group's replication.factor and partitions once present. Keys absent from the map are fine.
std::vector<std::pair<std::string, std::string>> check_connector_rules(
    ConnectorKind kind, const config::ConfigMap& config);

// `<prefix>.*` settings with the prefix stripped.
config::ConfigMap sub_config(const config::ConfigMap& config, std::string_view prefix);

}  // namespace kanal::runtime
