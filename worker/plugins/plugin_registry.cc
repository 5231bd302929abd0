#include "plugins/plugin_registry.h"

#include <algorithm>
#include <set>

#include "plugins/version.h"

namespace kanal::plugins {
namespace {

const char* suffix_of(PluginKind kind) {
  switch (kind) {
    case PluginKind::kSource:
    case PluginKind::kSink:
      return "Connector";
    case PluginKind::kTransformation:
      return "Transformation";
    case PluginKind::kPredicate:
      return "Predicate";
    case PluginKind::kConverter:
      return "Converter";
  }
  return "";
}

std::string simple_name(std::string_view class_name) {
  size_t dot = class_name.rfind('.');
  return std::string(dot == std::string_view::npos ? class_name : class_name.substr(dot + 1));
}

// Connect's PluginUtils.prunedName: the simple name without the kind's suffix, unless that would
// leave nothing.
std::string pruned_name(std::string_view class_name, PluginKind kind) {
  std::string simple = simple_name(class_name);
  std::string_view suffix = suffix_of(kind);
  if (simple.size() > suffix.size() &&
      simple.compare(simple.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return simple.substr(0, simple.size() - suffix.size());
  }
  return simple;
}

bool kind_in(PluginKind kind, std::initializer_list<PluginKind> kinds) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::string kinds_text(std::initializer_list<PluginKind> kinds) {
  if (kind_in(PluginKind::kSource, kinds) || kind_in(PluginKind::kSink, kinds)) return "Connector";
  if (kind_in(PluginKind::kTransformation, kinds)) return "Transformation";
  if (kind_in(PluginKind::kPredicate, kinds)) return "Predicate";
  return "Converter";
}

}  // namespace

PluginRegistry::PluginRegistry(std::vector<std::shared_ptr<const PluginInfo>> plugins,
                               std::vector<LoadError> errors)
    : plugins_(std::move(plugins)), errors_(std::move(errors)) {
  compute_aliases();
}

PluginRegistry PluginRegistry::scan(const std::vector<std::filesystem::path>& plugin_path,
                                    const log::Logger& logger) {
  LoadResult loaded = load_plugin_path(plugin_path, logger);
  PluginRegistry registry(std::move(loaded.plugins), std::move(loaded.errors));
  logger.info("plugins.scanned", {{"plugins", std::to_string(registry.plugins_.size())},
                                  {"errors", std::to_string(registry.errors_.size())}});
  return registry;
}

void PluginRegistry::compute_aliases() {
  std::map<std::string, std::set<std::string>, std::less<>> claims;
  std::set<std::string> class_names;
  for (const auto& p : plugins_) class_names.insert(p->class_name);
  for (const auto& p : plugins_) {
    claims[simple_name(p->class_name)].insert(p->class_name);
    claims[pruned_name(p->class_name, p->kind)].insert(p->class_name);
    for (const std::string& a : p->aliases) claims[a].insert(p->class_name);
  }
  aliases_.clear();
  ambiguous_.clear();
  for (auto& [alias, classes] : claims) {
    if (class_names.count(alias)) continue;  // a full class name always means that class
    if (classes.size() == 1) {
      aliases_.emplace(alias, *classes.begin());
    } else {
      ambiguous_.emplace(alias, std::vector<std::string>(classes.begin(), classes.end()));
    }
  }
}

std::string PluginRegistry::resolve_class_name(std::string_view name) const {
  for (const auto& p : plugins_) {
    if (p->class_name == name) return p->class_name;
  }
  auto it = aliases_.find(name);
  return it == aliases_.end() ? std::string() : it->second;
}

std::vector<std::string> PluginRegistry::aliases_of(std::string_view class_name) const {
  std::vector<std::string> out;
  for (const auto& [alias, cls] : aliases_) {
    if (cls == class_name) out.push_back(alias);
  }
  return out;
}

Result<std::shared_ptr<const PluginInfo>> PluginRegistry::find(
    std::string_view name, std::initializer_list<PluginKind> kinds,
    std::string_view version_requirement) const {
  std::string class_name = resolve_class_name(name);
  std::vector<std::shared_ptr<const PluginInfo>> candidates;
  for (const auto& p : plugins_) {
    if (p->class_name == class_name && kind_in(p->kind, kinds)) candidates.push_back(p);
  }
  if (candidates.empty()) {
    std::string message = "Failed to find any class that implements " + kinds_text(kinds) +
                          " and which name matches " + std::string(name);
    if (auto it = ambiguous_.find(name); it != ambiguous_.end()) {
      message += " (the alias is ambiguous: it matches";
      for (const std::string& c : it->second) message += " " + c;
      message += "; use the full class name)";
    }
    return Status::not_found(std::move(message));
  }
  std::vector<std::string> available;
  for (const auto& p : candidates) available.push_back(p->version);
  auto version = select_version(class_name, version_requirement, available);
  if (!version.ok()) return version.status();
  for (const auto& p : candidates) {
    if (p->version == *version) return p;
  }
  return Status::internal("Plugin " + class_name + " lost version " + *version);
}

}  // namespace kanal::plugins
