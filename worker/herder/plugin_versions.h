// The KIP-891 plugin version keys of a validate response (PUT
// /connector-plugins/{plugin}/config/validate), as Kafka Connect 4.1+ fills them:
// `connector.plugin.version` and `key.converter.plugin.version`, `value.converter.plugin.version`,
// `header.converter.plugin.version` get the version that would be used as `default_value`, the
// requested (or default) version as `value` and every installed version as `recommended_values`.
// A class that is not installed, or a version requirement no installed copy satisfies, becomes a
// validation error on the class key and on its version key (Connect reports both), the latter with
// Connect's text "Plugin X not found that matches the version range [...], available versions:
// [...]". The transforms/predicates version keys are filled by TransformChain::validate().
#pragma once

#include "config/worker_config.h"
#include "data/converter.h"
#include "herder/herder.h"
#include "runtime/worker.h"

namespace kanal::herder {

// Completes the entries of `infos` named above (they must already be listed, from the common
// connector definition) for a connector of `plugin` with `config` (provider references
// resolved). Pure function of its arguments apart from the catalog lookups; any thread.
void check_plugin_versions(const config::WorkerConfig& worker_config,
                           runtime::PluginCatalog& catalog, runtime::ConnectorPlugin& plugin,
                           const data::ConverterRegistry& converters, const ConfigMap& config,
                           ConfigInfos& infos);

}  // namespace kanal::herder
