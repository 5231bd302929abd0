// Finds and opens plugin libraries on `plugin.path`.
//
// Each plugin.path entry is one of:
//   - a shared library (*.so), which is one plugin;
//   - a folder holding one plugin's library and its private dependencies (libraries without the
//     entry symbol, found by the plugin through RPATH $ORIGIN or because they are opened first);
//   - a folder of such folders (the build tree's `plugins/<name>/` layout).
// Libraries are opened RTLD_NOW | RTLD_LOCAL, so two plugins carrying different versions of a
// same-named symbol each bind their own. Only the descriptor is read (no code is scanned).
// A library that fails to open, lacks `kanal_plugin_entry`, reports another ABI major, has a
// descriptor that fails validation, or whose entry returns an error is logged (one ERROR line
// naming the file and the reason), closed, and skipped; the others still load. Libraries that
// load stay loaded until the process ends (instances may run their code at any time).
// Thread-compatible; normally called once at start-up.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/status.h"
#include "plugins/plugin_info.h"

namespace kanal::plugins {

struct LoadError {
  std::filesystem::path path;  // the library (or entry) that failed
  std::string reason;
};

struct LoadResult {
  std::vector<std::shared_ptr<const PluginInfo>> plugins;
  std::vector<LoadError> errors;
};

// Loads every plugin found under the entries of plugin.path, in order. Errors are logged with
// `logger` and returned; they never stop the scan.
LoadResult load_plugin_path(const std::vector<std::filesystem::path>& plugin_path,
                            const log::Logger& logger);

// Loads one library: its components, or the reason it was refused (the library is then closed).
Result<std::vector<std::shared_ptr<const PluginInfo>>> load_library(
    const std::filesystem::path& library);

// Translates an ABI config definition into the worker's ConfigDef. kInvalidArgument naming the
// key for an out-of-range type, importance, width or validator.
Result<config::ConfigDef> translate_config_def(const kanal_config_def* def);

}  // namespace kanal::plugins
