// register_plugin_components(), declared in plugin_registry.h.
#include <string>

#include "data/converter.h"
#include "plugins/plugin_converters.h"
#include "plugins/plugin_registry.h"
#include "plugins/plugin_transforms.h"
#include "transforms/transform_registry.h"

namespace kanal::plugins {
namespace {

Status register_one(const PluginRegistry& plugins, const std::shared_ptr<const PluginInfo>& info,
                    transforms::TransformRegistry& transforms, data::ConverterRegistry& converters,
                    const log::Logger& logger) {
  switch (info->kind) {
    case PluginKind::kTransformation:
      return transforms.register_transformation(
          info->class_name, info->version,
          [info, logger]() -> std::unique_ptr<transforms::Transformation> {
            auto t = PluginTransformation::create(info, info->class_name);
            if (t.ok()) return std::move(t).value();
            logger.error("plugin.create.failed",
                         {{"class", info->class_name}, {"error", t.status().message()}});
            return nullptr;  // the registry reports "Could not create transformation ..."
          });
    case PluginKind::kPredicate:
      return transforms.register_predicate(
          info->class_name, info->version,
          [info, logger]() -> std::unique_ptr<transforms::Predicate> {
            auto p = PluginPredicate::create(info, info->class_name);
            if (p.ok()) return std::move(p).value();
            logger.error("plugin.create.failed",
                         {{"class", info->class_name}, {"error", p.status().message()}});
            return nullptr;
          });
    case PluginKind::kConverter: {
      // The plugin object itself is created by configure(), which reports its failures.
      auto factory = [info]() -> std::unique_ptr<data::Converter> {
        auto c = PluginConverter::create(info);
        return c.ok() ? std::move(c).value() : nullptr;
      };
      Status st = converters.register_converter(info->class_name, {}, factory, info->version);
      if (!st.ok()) return st;
      for (std::string& alias : plugins.aliases_of(info->class_name)) {
        Status taken = converters.add_converter_alias(info->class_name, std::move(alias));
        if (!taken.ok()) logger.debug("plugin.alias.skipped", {{"reason", taken.message()}});
      }
      return Status::OK();
    }
    case PluginKind::kSource:
    case PluginKind::kSink:
      break;
  }
  return Status::OK();
}

}  // namespace

Status register_plugin_components(const PluginRegistry& plugins,
                                  transforms::TransformRegistry& transforms,
                                  data::ConverterRegistry& converters, const log::Logger& logger) {
  std::string failed;
  for (const auto& p : plugins.plugins()) {
    if (p->is_connector()) continue;
    // Every installed version is registered (KIP-891); connectors pick one with
    // `transforms.<alias>.plugin.version`, `key.converter.plugin.version`, ...
    Status st = register_one(plugins, p, transforms, converters, logger);
    if (st.ok()) {
      logger.debug("plugin.component.registered",
                   {{"class", p->class_name}, {"version", p->version}});
      continue;
    }
    logger.error("plugin.component.skipped", {{"class", p->class_name},
                                              {"version", p->version},
                                              {"path", p->library.string()},
                                              {"reason", st.message()}});
    failed += (failed.empty() ? "" : "; ") + st.message();
  }
  if (failed.empty()) return Status::OK();
  return Status::conflict("Some plugin components were not registered: " + failed);
}

}  // namespace kanal::plugins
