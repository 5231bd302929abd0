// Client overrides of a connector (`producer.override.*`, `consumer.override.*`,
// `admin.override.*`): the worker's override policy (Kafka Connect's
// ConnectorClientConfigOverridePolicy) and kanal's hardening of what an override may name.
//
// Whatever the policy, an override may not make the worker's Kafka clients load code or run
// commands (plugin.library.paths, sasl.kerberos.kinit.cmd, ssl.engine.location, ...), and may
// name a local file (ssl.ca.location, ssl.key.location, sasl.kerberos.keytab, ...) only below a
// directory of kanal.connector.client.config.allowed.paths. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config_def.h"

namespace kanal::runtime {

// The override keys of `connector_config` that `policy` (All, None, Principal or one of
// Connect's policy class names) forbids, each with Connect's message.
std::vector<std::pair<std::string, std::string>> check_override_policy(
    const std::string& policy, const config::ConfigMap& connector_config);

// The override keys of `connector_config` (values already resolved by the config providers)
// that load code, run a command, or name a file outside `allowed_paths`, each with a message
// naming the key and the fix. `allowed_paths` must be absolute directories; empty = none.
std::vector<std::pair<std::string, std::string>> check_override_safety(
    const config::ConfigMap& connector_config, const std::vector<std::string>& allowed_paths);

// `<kind>.override.*` of `connector_config` with the prefix stripped, minus the keys
// check_override_safety refuses (a config stored by an older or differently configured worker
// never reaches a client with them). `dropped` receives the refused keys with their reasons.
config::ConfigMap safe_overrides(const config::ConfigMap& connector_config, std::string_view kind,
                                 const std::vector<std::string>& allowed_paths,
                                 std::vector<std::pair<std::string, std::string>>* dropped);

}  // namespace kanal::runtime
