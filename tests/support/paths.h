// Where the build put the things tests run. Paths are fixed at configure time.
#pragma once

#include <filesystem>

namespace kanal::testing {

// The kanal worker executable: <build>/bin/kanal. It may not be built yet; callers check.
std::filesystem::path kanal_binary();
// The bundled plugins: <build>/plugins (one sub-folder per plugin).
std::filesystem::path plugins_dir();
// The top of the source tree (for config templates, scripts/versions.env).
std::filesystem::path source_dir();
// The top of the build tree.
std::filesystem::path build_dir();

}  // namespace kanal::testing
