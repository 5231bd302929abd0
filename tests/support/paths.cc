#include "support/paths.h"

namespace kanal::testing {

std::filesystem::path kanal_binary() {
  return std::filesystem::path(KANAL_BINARY_DIR) / "bin/kanal";
}
std::filesystem::path plugins_dir() { return KANAL_PLUGIN_DIR; }
std::filesystem::path source_dir() { return KANAL_SOURCE_DIR; }
std::filesystem::path build_dir() { return KANAL_BINARY_DIR; }

}  // namespace kanal::testing
