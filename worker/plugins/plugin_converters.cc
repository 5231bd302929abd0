#include "plugins/plugin_converters.h"

#include <vector>

#include "plugins/host_api_internal.h"

namespace kanal::plugins {
namespace {

constexpr size_t kErrSize = 2048;

// Converter failures are Connect DataExceptions (kInvalidArgument) unless retriable.
Status conversion_status(kanal_status code, const char* err, std::string_view what) {
  Status s = detail::plugin_status(code, err, what);
  if (s.ok() || s.retriable()) return s;
  return Status::invalid_argument(s.message());
}

data::SchemaPtr take_schema(kanal_schema* handle) {
  if (handle == nullptr) return nullptr;
  auto* owned = reinterpret_cast<data::SchemaPtr*>(handle);
  data::SchemaPtr out = std::move(*owned);
  delete owned;
  return out;
}

}  // namespace

PluginConverter::PluginConverter(std::shared_ptr<const PluginInfo> plugin)
    : plugin_(std::move(plugin)), ctx_(std::make_unique<kanal_context>()) {
  ctx_->logger = log::Logger("kanal.converters", plugin_->class_name);
}

Result<std::unique_ptr<PluginConverter>> PluginConverter::create(
    std::shared_ptr<const PluginInfo> plugin) {
  if (!plugin || plugin->converter == nullptr) {
    return Status::invalid_argument((plugin ? plugin->class_name : std::string("(null)")) +
                                    ": not a converter plugin");
  }
  return std::unique_ptr<PluginConverter>(new PluginConverter(std::move(plugin)));
}

PluginConverter::~PluginConverter() {
  if (obj_ != nullptr) plugin_->converter->ops->destroy(obj_);
}

Status PluginConverter::configure(const data::ConfigMap& configs, bool is_key) {
  const kanal_converter_ops& ops = *plugin_->converter->ops;
  char err[kErrSize] = {0};
  if (obj_ == nullptr) {
    kanal_status s = ops.create(ctx_.get(), &obj_, err, sizeof err);
    if (s != KANAL_OK || obj_ == nullptr) {
      obj_ = nullptr;
      return detail::plugin_status(s == KANAL_OK ? KANAL_ERR : s, err,
                                   plugin_->class_name + " could not be created");
    }
  }
  std::vector<kanal_kv> kvs;
  kanal_config cfg = detail::make_config(configs, kvs);
  kanal_status s = ops.configure(obj_, &cfg, is_key ? 1 : 0, err, sizeof err);
  if (s == KANAL_OK) return Status::OK();
  return Status::invalid_argument(
      detail::plugin_status(s, err, plugin_->class_name + " rejected its configuration").message());
}

Status PluginConverter::from_connect(std::string_view topic, data::Headers*,
                                     const data::SchemaPtr& schema, const data::Value& value,
                                     data::SerializedData& out) {
  if (obj_ == nullptr) return Status::internal(plugin_->class_name + " is not configured");
  // The plugin appends into out's own buffer (swapped in, so its capacity is reused).
  kanal_buffer buffer;
  buffer.bytes.swap(out.reset());
  uint8_t is_null = 0;
  char err[kErrSize] = {0};
  kanal_status s = plugin_->converter->ops->from_connect(
      obj_, topic.data(), topic.size(), detail::schema_handle(schema), detail::value_handle(value),
      &buffer, &is_null, err, sizeof err);
  out.bytes.swap(buffer.bytes);
  if (s != KANAL_OK) {
    out.reset();
    return conversion_status(s, err, plugin_->class_name + " failed to convert a record");
  }
  if (is_null != 0) out.set_null();
  return Status::OK();
}

Result<data::SchemaAndValue> PluginConverter::to_connect(std::string_view topic,
                                                         const data::Headers*,
                                                         std::optional<std::string_view> bytes) {
  if (obj_ == nullptr) return Status::internal(plugin_->class_name + " is not configured");
  const uint8_t* data = nullptr;
  size_t len = 0;
  static const uint8_t kEmpty = 0;
  if (bytes) {
    data = bytes->empty() ? &kEmpty : reinterpret_cast<const uint8_t*>(bytes->data());
    len = bytes->size();
  }
  kanal_schema* schema = nullptr;
  kanal_value* value = nullptr;
  char err[kErrSize] = {0};
  kanal_status s = plugin_->converter->ops->to_connect(obj_, topic.data(), topic.size(), data, len,
                                                       &schema, &value, err, sizeof err);
  data::SchemaAndValue out{take_schema(schema), detail::take_value(value)};
  if (s != KANAL_OK) {
    return conversion_status(s, err, plugin_->class_name + " failed to convert a record");
  }
  return out;
}

}  // namespace kanal::plugins
