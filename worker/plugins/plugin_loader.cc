#include "plugins/plugin_loader.h"

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <set>
#include <system_error>

#include "plugins/host_api_internal.h"

namespace kanal::plugins {

const char* to_connect_string(PluginKind kind) {
  switch (kind) {
    case PluginKind::kSource:
      return "source";
    case PluginKind::kSink:
      return "sink";
    case PluginKind::kTransformation:
      return "transformation";
    case PluginKind::kPredicate:
      return "predicate";
    case PluginKind::kConverter:
      return "converter";
  }
  return "source";
}

namespace {

namespace fs = std::filesystem;
using detail::view;

// The size of each struct as ABI 1.0 defined it: a plugin built against 1.0 writes at least this
// much. These stay at their 1.0 values when later minors append fields.
#define KANAL_END_OF(type, field) (offsetof(type, field) + sizeof(((type*)0)->field))
// struct_size, abi_major and abi_minor lead the descriptor in every ABI major.
constexpr size_t kVersionPrefix = KANAL_END_OF(kanal_plugin_descriptor, abi_minor);
constexpr size_t kMinPluginDescriptor = KANAL_END_OF(kanal_plugin_descriptor, converter_count);
constexpr size_t kMinConnectorDescriptor = KANAL_END_OF(kanal_connector_descriptor, sink_task_ops);
constexpr size_t kMinTransformationDescriptor = KANAL_END_OF(kanal_transformation_descriptor, ops);
constexpr size_t kMinPredicateDescriptor = KANAL_END_OF(kanal_predicate_descriptor, ops);
constexpr size_t kMinConverterDescriptor = KANAL_END_OF(kanal_converter_descriptor, ops);
constexpr size_t kMinConnectorOps = KANAL_END_OF(kanal_connector_ops, destroy);
constexpr size_t kMinSourceTaskOps = KANAL_END_OF(kanal_source_task_ops, destroy);
constexpr size_t kMinSinkTaskOps = KANAL_END_OF(kanal_sink_task_ops, destroy);
constexpr size_t kMinTransformationOps = KANAL_END_OF(kanal_transformation_ops, destroy);
constexpr size_t kMinPredicateOps = KANAL_END_OF(kanal_predicate_ops, destroy);
constexpr size_t kMinConverterOps = KANAL_END_OF(kanal_converter_ops, destroy);
constexpr size_t kMinConfigDef = KANAL_END_OF(kanal_config_def, key_count);
constexpr size_t kMinConfigKey = KANAL_END_OF(kanal_config_key, allowed_count);
#undef KANAL_END_OF

bool is_library(const fs::path& p) {
  std::string name = p.filename().string();
  return (name.size() > 3 && name.compare(name.size() - 3, 3, ".so") == 0) ||
         name.find(".so.") != std::string::npos ||
         (name.size() > 6 && name.compare(name.size() - 6, 6, ".dylib") == 0);
}

std::string dl_error() {
  const char* e = dlerror();
  return e ? e : "unknown dlopen error";
}

std::string str_of(kanal_str s) { return std::string(view(s)); }

std::vector<std::string> strings_of(const kanal_str* items, size_t count) {
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) out.push_back(str_of(items[i]));
  return out;
}

std::string number_text(double v, config::Type type) {
  if (type != config::Type::kDouble && std::floor(v) == v && std::fabs(v) < 9.2e18) {
    return std::to_string(static_cast<long long>(v));
  }
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s += '0';
  return s;
}

// Connect's ConfigDef.Range: "Value must be at least 1" / "Value must be no more than 10".
config::Validator range_validator(std::optional<double> min, std::optional<double> max,
                                  config::Type type) {
  config::Validator v;
  std::string lo = min ? number_text(*min, type) : "...";
  std::string hi = max ? number_text(*max, type) : "...";
  v.description = !max   ? "[" + lo + ",...]"
                  : !min ? "[...," + hi + "]"
                         : "[" + lo + ",...," + hi + "]";
  v.check = [min, max, lo, hi](const config::Value& value) -> std::optional<std::string> {
    double d;
    if (auto* i = std::get_if<int64_t>(&value)) {
      d = static_cast<double>(*i);
    } else if (auto* f = std::get_if<double>(&value)) {
      d = *f;
    } else {
      return std::nullopt;
    }
    if (min && d < *min) return "Value must be at least " + lo;
    if (max && d > *max) return "Value must be no more than " + hi;
    return std::nullopt;
  };
  return v;
}

Status check_str(kanal_str s, std::string_view what) {
  if (s.len > 0 && s.ptr == nullptr) {
    return Status::invalid_argument(std::string(what) + " has a NULL pointer with a length");
  }
  return Status::OK();
}

template <typename T>
Status check_array(const T* items, size_t count, std::string_view what) {
  if (count > 0 && items == nullptr) {
    return Status::invalid_argument(std::string(what) + " is NULL but its count is " +
                                    std::to_string(count));
  }
  return Status::OK();
}

Status check_common(const char* kind, uint32_t size, size_t min_size, kanal_str class_name,
                    const kanal_str* aliases, size_t alias_count, const void* ops) {
  if (size < min_size) {
    return Status::invalid_argument(std::string(kind) + " descriptor is smaller (" +
                                    std::to_string(size) + " bytes) than ABI 1.0 defines (" +
                                    std::to_string(min_size) + ")");
  }
  KANAL_RETURN_IF_ERROR(check_str(class_name, std::string(kind) + " class name"));
  if (class_name.len == 0) {
    return Status::invalid_argument(std::string(kind) + " descriptor has an empty class name");
  }
  KANAL_RETURN_IF_ERROR(check_array(aliases, alias_count, str_of(class_name) + " aliases"));
  if (ops == nullptr) {
    return Status::invalid_argument(str_of(class_name) + " has no ops table");
  }
  return Status::OK();
}

Status missing_op(const std::string& class_name, const char* table, const char* op) {
  return Status::invalid_argument(class_name + ": " + table + "." + op + " is NULL");
}

Result<std::shared_ptr<PluginInfo>> connector_info(const kanal_connector_descriptor* d) {
  if (d == nullptr) return Status::invalid_argument("a connector descriptor pointer is NULL");
  KANAL_RETURN_IF_ERROR(check_common("connector", d->struct_size, kMinConnectorDescriptor,
                                     d->class_name, d->aliases, d->alias_count, d->ops));
  std::string name = str_of(d->class_name);
  const kanal_connector_ops* ops = d->ops;
  if (ops->struct_size < kMinConnectorOps) {
    return Status::invalid_argument(name + ": kanal_connector_ops is smaller than ABI 1.0");
  }
  if (!ops->create) return missing_op(name, "kanal_connector_ops", "create");
  if (!ops->start) return missing_op(name, "kanal_connector_ops", "start");
  if (!ops->task_configs) return missing_op(name, "kanal_connector_ops", "task_configs");
  if (!ops->stop) return missing_op(name, "kanal_connector_ops", "stop");
  if (!ops->destroy) return missing_op(name, "kanal_connector_ops", "destroy");
  auto info = std::make_shared<PluginInfo>();
  if (d->type == KANAL_CONNECTOR_SOURCE) {
    const kanal_source_task_ops* t = d->source_task_ops;
    if (t == nullptr)
      return Status::invalid_argument(name + ": source connector without source_task_ops");
    if (t->struct_size < kMinSourceTaskOps) {
      return Status::invalid_argument(name + ": kanal_source_task_ops is smaller than ABI 1.0");
    }
    if (!t->create) return missing_op(name, "kanal_source_task_ops", "create");
    if (!t->start) return missing_op(name, "kanal_source_task_ops", "start");
    if (!t->poll) return missing_op(name, "kanal_source_task_ops", "poll");
    if (!t->stop) return missing_op(name, "kanal_source_task_ops", "stop");
    if (!t->destroy) return missing_op(name, "kanal_source_task_ops", "destroy");
    info->kind = PluginKind::kSource;
  } else if (d->type == KANAL_CONNECTOR_SINK) {
    const kanal_sink_task_ops* t = d->sink_task_ops;
    if (t == nullptr)
      return Status::invalid_argument(name + ": sink connector without sink_task_ops");
    if (t->struct_size < kMinSinkTaskOps) {
      return Status::invalid_argument(name + ": kanal_sink_task_ops is smaller than ABI 1.0");
    }
    if (!t->create) return missing_op(name, "kanal_sink_task_ops", "create");
    if (!t->start) return missing_op(name, "kanal_sink_task_ops", "start");
    if (!t->put) return missing_op(name, "kanal_sink_task_ops", "put");
    if (!t->stop) return missing_op(name, "kanal_sink_task_ops", "stop");
    if (!t->destroy) return missing_op(name, "kanal_sink_task_ops", "destroy");
    info->kind = PluginKind::kSink;
  } else {
    return Status::invalid_argument(name + ": unknown connector type " + std::to_string(d->type));
  }
  auto def = translate_config_def(d->config);
  if (!def.ok()) return def.status().with_context(name);
  info->class_name = name;
  info->version = str_of(d->version);
  info->doc = str_of(d->doc);
  info->aliases = strings_of(d->aliases, d->alias_count);
  info->task_class = d->task_class.len ? str_of(d->task_class) : name + "Task";
  info->config_def = std::move(def).value();
  info->connector = d;
  return info;
}

template <typename Desc>
Result<std::shared_ptr<PluginInfo>> component_info(const Desc* d, PluginKind kind,
                                                   size_t min_size) {
  const char* what = to_connect_string(kind);
  if (d == nullptr)
    return Status::invalid_argument(std::string("a ") + what + " descriptor pointer is NULL");
  KANAL_RETURN_IF_ERROR(check_common(what, d->struct_size, min_size, d->class_name, d->aliases,
                                     d->alias_count, d->ops));
  auto def = translate_config_def(d->config);
  if (!def.ok()) return def.status().with_context(str_of(d->class_name));
  auto info = std::make_shared<PluginInfo>();
  info->kind = kind;
  info->class_name = str_of(d->class_name);
  info->version = str_of(d->version);
  info->doc = str_of(d->doc);
  info->aliases = strings_of(d->aliases, d->alias_count);
  info->config_def = std::move(def).value();
  return info;
}

Result<std::vector<std::shared_ptr<const PluginInfo>>> read_descriptor(
    const fs::path& path, kanal_plugin_entry_fn entry) {
  char err[1024] = {0};
  const kanal_plugin_descriptor* d = nullptr;
  kanal_status s = entry(detail::host_table(), &d, err, sizeof err);
  if (s != KANAL_OK) {
    return Status::internal("kanal_plugin_entry failed (status " + std::to_string(s) +
                            "): " + (err[0] ? err : "no message"));
  }
  if (d == nullptr) return Status::internal("kanal_plugin_entry returned no descriptor");
  if (d->struct_size < kVersionPrefix) {
    return Status::invalid_argument("descriptor too small to hold an ABI version");
  }
  if (d->abi_major != KANAL_ABI_MAJOR) {
    return Status::invalid_argument(
        "ABI major mismatch: plugin built for kanal ABI " + std::to_string(d->abi_major) + "." +
        std::to_string(d->abi_minor) + ", this worker supports " + std::to_string(KANAL_ABI_MAJOR) +
        ".0 to " + std::to_string(KANAL_ABI_MAJOR) + "." + std::to_string(KANAL_ABI_MINOR));
  }
  if (d->struct_size < kMinPluginDescriptor) {
    return Status::invalid_argument("kanal_plugin_descriptor is smaller than ABI 1.0 defines");
  }
  KANAL_RETURN_IF_ERROR(check_str(d->name, "plugin name"));
  KANAL_RETURN_IF_ERROR(check_array(d->connectors, d->connector_count, "connectors"));
  KANAL_RETURN_IF_ERROR(
      check_array(d->transformations, d->transformation_count, "transformations"));
  KANAL_RETURN_IF_ERROR(check_array(d->predicates, d->predicate_count, "predicates"));
  KANAL_RETURN_IF_ERROR(check_array(d->converters, d->converter_count, "converters"));

  std::vector<std::shared_ptr<PluginInfo>> out;
  for (size_t i = 0; i < d->connector_count; ++i) {
    auto info = connector_info(d->connectors[i]);
    if (!info.ok()) return info.status();
    out.push_back(std::move(info).value());
  }
  for (size_t i = 0; i < d->transformation_count; ++i) {
    const kanal_transformation_descriptor* t = d->transformations[i];
    auto info = component_info(t, PluginKind::kTransformation, kMinTransformationDescriptor);
    if (!info.ok()) return info.status();
    const kanal_transformation_ops* ops = t->ops;
    std::string n = info.value()->class_name;
    if (ops->struct_size < kMinTransformationOps || !ops->create || !ops->configure ||
        !ops->apply || !ops->destroy) {
      return Status::invalid_argument(n + ": kanal_transformation_ops is incomplete");
    }
    info.value()->transformation = t;
    out.push_back(std::move(info).value());
  }
  for (size_t i = 0; i < d->predicate_count; ++i) {
    const kanal_predicate_descriptor* p = d->predicates[i];
    auto info = component_info(p, PluginKind::kPredicate, kMinPredicateDescriptor);
    if (!info.ok()) return info.status();
    const kanal_predicate_ops* ops = p->ops;
    if (ops->struct_size < kMinPredicateOps || !ops->create || !ops->configure || !ops->test ||
        !ops->destroy) {
      return Status::invalid_argument(info.value()->class_name +
                                      ": kanal_predicate_ops is incomplete");
    }
    info.value()->predicate = p;
    out.push_back(std::move(info).value());
  }
  for (size_t i = 0; i < d->converter_count; ++i) {
    const kanal_converter_descriptor* c = d->converters[i];
    auto info = component_info(c, PluginKind::kConverter, kMinConverterDescriptor);
    if (!info.ok()) return info.status();
    const kanal_converter_ops* ops = c->ops;
    if (ops->struct_size < kMinConverterOps || !ops->create || !ops->configure ||
        !ops->from_connect || !ops->to_connect || !ops->destroy) {
      return Status::invalid_argument(info.value()->class_name +
                                      ": kanal_converter_ops is incomplete");
    }
    info.value()->converter = c;
    out.push_back(std::move(info).value());
  }

  std::set<std::string> seen;
  std::vector<std::shared_ptr<const PluginInfo>> result;
  for (auto& info : out) {
    if (!seen.insert(info->class_name).second) {
      return Status::invalid_argument("class " + info->class_name + " is declared twice");
    }
    info->plugin_name = str_of(d->name);
    info->plugin_version = str_of(d->version);
    info->library = path;
    result.push_back(std::move(info));
  }
  return result;
}

// One library of a folder: opened, and its entry symbol if it has one.
struct Opened {
  fs::path path;
  void* handle = nullptr;
  kanal_plugin_entry_fn entry = nullptr;
};

void record_error(LoadResult& result, const log::Logger& logger, const fs::path& path,
                  std::string reason) {
  logger.error("plugin.load.failed", {{"path", path.string()}, {"reason", reason}});
  result.errors.push_back(LoadError{path, std::move(reason)});
}

void accept(LoadResult& result, const log::Logger& logger, const fs::path& path,
            std::vector<std::shared_ptr<const PluginInfo>> plugins) {
  for (const auto& p : plugins) {
    logger.debug("plugin.loaded", {{"class", p->class_name},
                                   {"version", p->version},
                                   {"type", to_connect_string(p->kind)},
                                   {"path", path.string()}});
    result.plugins.push_back(p);
  }
}

// A folder holding one plugin's library and its private dependencies. Libraries are opened
// until no more open: a plugin whose dependency sits beside it opens once the dependency is in.
void load_folder(const fs::path& dir, const std::vector<fs::path>& libs, LoadResult& result,
                 const log::Logger& logger) {
  std::vector<fs::path> pending = libs;
  std::vector<std::string> open_errors(libs.size());
  std::vector<Opened> opened;
  bool progress = true;
  while (!pending.empty() && progress) {
    progress = false;
    std::vector<fs::path> still;
    for (const fs::path& lib : pending) {
      void* h = dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (h == nullptr) {
        open_errors[static_cast<size_t>(std::find(libs.begin(), libs.end(), lib) - libs.begin())] =
            dl_error();
        still.push_back(lib);
        continue;
      }
      progress = true;
      dlerror();
      auto entry = reinterpret_cast<kanal_plugin_entry_fn>(dlsym(h, KANAL_PLUGIN_ENTRY_SYMBOL));
      opened.push_back(Opened{lib, h, entry});
    }
    pending = std::move(still);
  }
  for (const fs::path& lib : pending) {
    size_t i = static_cast<size_t>(std::find(libs.begin(), libs.end(), lib) - libs.begin());
    record_error(result, logger, lib, "cannot open: " + open_errors[i]);
  }
  bool any_entry =
      std::any_of(opened.begin(), opened.end(), [](const Opened& o) { return o.entry != nullptr; });
  for (Opened& o : opened) {
    if (o.entry == nullptr) {
      if (!any_entry) {
        record_error(result, logger, o.path,
                     std::string("missing entry symbol ") + KANAL_PLUGIN_ENTRY_SYMBOL +
                         " (not a kanal plugin, or built without KANAL_EXPORT_PLUGIN)");
        dlclose(o.handle);
      }
      continue;  // a dependency of the folder's plugin: stays open with it
    }
    auto plugins = read_descriptor(o.path, o.entry);
    if (!plugins.ok()) {
      record_error(result, logger, o.path, plugins.status().message());
      dlclose(o.handle);
      continue;
    }
    accept(result, logger, o.path, std::move(plugins).value());
  }
  (void)dir;
}

std::vector<fs::path> sorted_entries(const fs::path& dir, bool want_dirs) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (want_dirs ? e.is_directory(ec) : (e.is_regular_file(ec) && is_library(e.path()))) {
      out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Result<config::ConfigDef> translate_config_def(const kanal_config_def* def) {
  config::ConfigDef out;
  if (def == nullptr) return out;
  if (def->struct_size < kMinConfigDef) {
    return Status::invalid_argument("kanal_config_def is smaller than ABI 1.0 defines");
  }
  KANAL_RETURN_IF_ERROR(check_array(def->keys, def->key_count, "config keys"));
  for (size_t i = 0; i < def->key_count; ++i) {
    const kanal_config_key* k = def->keys[i];
    if (k == nullptr || k->struct_size < kMinConfigKey) {
      return Status::invalid_argument("config key #" + std::to_string(i) +
                                      " is NULL or smaller than ABI 1.0 defines");
    }
    config::ConfigKey key;
    key.name = str_of(k->name);
    if (key.name.empty()) {
      return Status::invalid_argument("config key #" + std::to_string(i) + " has no name");
    }
    auto bad = [&](const char* field, int32_t v) {
      return Status::invalid_argument("config key '" + key.name + "': unknown " + field + " " +
                                      std::to_string(v));
    };
    if (k->type < KANAL_CONFIG_BOOLEAN || k->type > KANAL_CONFIG_PASSWORD)
      return bad("type", k->type);
    static const config::Type kTypes[] = {
        config::Type::kBoolean, config::Type::kString, config::Type::kInt,
        config::Type::kShort,   config::Type::kLong,   config::Type::kDouble,
        config::Type::kList,    config::Type::kClass,  config::Type::kPassword};
    key.type = kTypes[k->type];
    switch (k->default_kind) {
      case KANAL_DEFAULT_NONE:
        break;
      case KANAL_DEFAULT_NULL:
        key.default_is_null = true;
        break;
      case KANAL_DEFAULT_VALUE:
        key.default_value = str_of(k->default_value);
        break;
      default:
        return bad("default kind", k->default_kind);
    }
    if (k->importance < KANAL_IMPORTANCE_HIGH || k->importance > KANAL_IMPORTANCE_LOW) {
      return bad("importance", k->importance);
    }
    key.importance = static_cast<config::Importance>(k->importance);
    if (k->width < KANAL_WIDTH_NONE || k->width > KANAL_WIDTH_LONG) return bad("width", k->width);
    key.width = static_cast<config::Width>(k->width);
    key.documentation = str_of(k->documentation);
    key.group = str_of(k->group);
    key.order_in_group = k->order_in_group;
    key.display_name = k->display_name.len ? str_of(k->display_name) : key.name;
    KANAL_RETURN_IF_ERROR(check_array(k->dependents, k->dependent_count, key.name + " dependents"));
    key.dependents = strings_of(k->dependents, k->dependent_count);
    switch (k->validator) {
      case KANAL_VALIDATOR_NONE:
        break;
      case KANAL_VALIDATOR_RANGE:
        key.validator =
            range_validator(k->has_min ? std::optional<double>(k->min) : std::nullopt,
                            k->has_max ? std::optional<double>(k->max) : std::nullopt, key.type);
        break;
      case KANAL_VALIDATOR_ONE_OF:
        KANAL_RETURN_IF_ERROR(check_array(k->allowed, k->allowed_count, key.name + " allowed"));
        key.validator =
            config::one_of(strings_of(k->allowed, k->allowed_count), k->case_insensitive != 0);
        break;
      case KANAL_VALIDATOR_NON_EMPTY:
        key.validator = config::non_empty_string();
        break;
      default:
        return bad("validator", k->validator);
    }
    if (key.default_value && key.validator) {
      auto parsed = config::ConfigDef::parse_value(key, *key.default_value);
      if (!parsed.ok()) return parsed.status();
      if (auto e = key.validator->check(parsed.value())) {
        return Status::invalid_argument("config key '" + key.name + "': default " +
                                        *key.default_value + " is invalid: " + *e);
      }
    }
    out.define(std::move(key));
  }
  return out;
}

Result<std::vector<std::shared_ptr<const PluginInfo>>> load_library(const fs::path& library) {
  void* h = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (h == nullptr) return Status::io_error("cannot open: " + dl_error());
  dlerror();
  auto entry = reinterpret_cast<kanal_plugin_entry_fn>(dlsym(h, KANAL_PLUGIN_ENTRY_SYMBOL));
  if (entry == nullptr) {
    dlclose(h);
    return Status::invalid_argument(std::string("missing entry symbol ") +
                                    KANAL_PLUGIN_ENTRY_SYMBOL +
                                    " (not a kanal plugin, or built without KANAL_EXPORT_PLUGIN)");
  }
  auto plugins = read_descriptor(library, entry);
  if (!plugins.ok()) dlclose(h);
  return plugins;
}

LoadResult load_plugin_path(const std::vector<fs::path>& plugin_path, const log::Logger& logger) {
  LoadResult result;
  std::set<fs::path> seen;
  auto fresh = [&](const fs::path& p) {
    std::error_code ec;
    fs::path canonical = fs::canonical(p, ec);
    return seen.insert(ec ? p : canonical).second;
  };
  auto folder = [&](const fs::path& dir) {
    std::vector<fs::path> libs;
    for (const fs::path& lib : sorted_entries(dir, false)) {
      if (fresh(lib)) libs.push_back(lib);
    }
    if (!libs.empty()) load_folder(dir, libs, result, logger);
  };
  for (const fs::path& entry : plugin_path) {
    std::error_code ec;
    if (fs::is_directory(entry, ec)) {
      folder(entry);
      for (const fs::path& sub : sorted_entries(entry, true)) folder(sub);
    } else if (fs::is_regular_file(entry, ec)) {
      if (!fresh(entry)) continue;
      auto plugins = load_library(entry);
      if (!plugins.ok()) {
        record_error(result, logger, entry, plugins.status().message());
      } else {
        accept(result, logger, entry, std::move(plugins).value());
      }
    } else {
      record_error(result, logger, entry, "plugin.path entry does not exist");
    }
  }
  return result;
}

}  // namespace kanal::plugins
