// kanal_plugin_probe <library-or-folder>...: loads plugins as the worker does and prints one
// line per component ("<type> <class> <version>"); exits 1 when any library failed to load.
#include <iostream>

#include "plugins/plugin_registry.h"

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> path(argv + 1, argv + argc);
  auto registry = kanal::plugins::PluginRegistry::scan(path);
  for (const auto& p : registry.plugins()) {
    std::cout << kanal::plugins::to_connect_string(p->kind) << " " << p->class_name << " "
              << p->version << "\n";
  }
  for (const auto& e : registry.errors()) {
    std::cout << "error " << e.path.string() << ": " << e.reason << "\n";
  }
  return registry.errors().empty() ? 0 : 1;
}
