#include "plugins/plugin_transforms.h"

#include <vector>

#include "plugins/host_api_internal.h"

namespace kanal::plugins {
namespace {

constexpr size_t kErrSize = 2048;

// A borrowed view of `record`; `headers` and `header_ptrs` hold the header views.
kanal_record view_of(const data::ConnectRecord& record, std::vector<kanal_header>& headers,
                     std::vector<const kanal_header*>& header_ptrs) {
  headers.clear();
  header_ptrs.clear();
  headers.reserve(record.headers.size());
  for (const data::Header& h : record.headers) {
    kanal_header kh{};
    kh.struct_size = sizeof kh;
    kh.key = detail::str(h.key);
    kh.schema = detail::schema_handle(h.schema);
    kh.value = const_cast<kanal_value*>(detail::value_handle(h.value));  // lent read-only
    headers.push_back(kh);
  }
  for (const kanal_header& kh : headers) header_ptrs.push_back(&kh);
  kanal_record r{};
  r.struct_size = sizeof r;
  r.topic = detail::str(record.topic);
  r.partition = record.kafka_partition.value_or(KANAL_NO_PARTITION);
  r.key_schema = detail::schema_handle(record.key_schema);
  r.key = detail::value_handle(record.key);
  r.value_schema = detail::schema_handle(record.value_schema);
  r.value = detail::value_handle(record.value);
  r.timestamp = record.timestamp.value_or(KANAL_NO_TIMESTAMP);
  r.headers = header_ptrs.data();
  r.header_count = header_ptrs.size();
  return r;
}

log::Logger owner_logger(const std::string& owner) {
  return log::Logger("kanal.transforms", owner);
}

}  // namespace

PluginTransformation::PluginTransformation(std::shared_ptr<const PluginInfo> plugin,
                                           std::string owner)
    : plugin_(std::move(plugin)),
      owner_(std::move(owner)),
      ctx_(std::make_unique<kanal_context>()) {
  ctx_->logger = owner_logger(owner_);
}

Result<std::unique_ptr<PluginTransformation>> PluginTransformation::create(
    std::shared_ptr<const PluginInfo> plugin, std::string owner) {
  if (!plugin || plugin->transformation == nullptr) {
    return Status::invalid_argument(owner + ": not a transformation plugin");
  }
  std::unique_ptr<PluginTransformation> t(
      new PluginTransformation(std::move(plugin), std::move(owner)));
  char err[kErrSize] = {0};
  kanal_status s =
      t->plugin_->transformation->ops->create(t->ctx_.get(), &t->obj_, err, sizeof err);
  if (s != KANAL_OK || t->obj_ == nullptr) {
    t->obj_ = nullptr;
    return detail::plugin_status(
        s == KANAL_OK ? KANAL_ERR : s, err,
        t->owner_ + ": " + t->plugin_->class_name + " could not be created");
  }
  return t;
}

PluginTransformation::~PluginTransformation() {
  if (obj_ != nullptr) plugin_->transformation->ops->destroy(obj_);
}

Status PluginTransformation::configure(const transforms::ConfigMap& props) {
  std::vector<kanal_kv> kvs;
  kanal_config cfg = detail::make_config(props, kvs);
  char err[kErrSize] = {0};
  kanal_status s = plugin_->transformation->ops->configure(obj_, &cfg, err, sizeof err);
  return detail::plugin_status(s, err, plugin_->class_name + " rejected its configuration");
}

Result<transforms::Outcome> PluginTransformation::apply(data::ConnectRecord& record,
                                                        transforms::RecordKind) {
  std::vector<kanal_header> headers;
  std::vector<const kanal_header*> header_ptrs;
  kanal_record in = view_of(record, headers, header_ptrs);
  kanal_record_out out;
  char err[kErrSize] = {0};
  kanal_status s = plugin_->transformation->ops->apply(obj_, &in, &out, err, sizeof err);
  if (s != KANAL_OK) return detail::plugin_status(s, err, plugin_->class_name + " failed");
  if (out.dropped) return transforms::Outcome::kDrop;
  if (out.changed & KANAL_CHANGE_TOPIC) record.topic = std::move(out.topic);
  if (out.changed & KANAL_CHANGE_PARTITION) record.kafka_partition = out.partition;
  if (out.changed & KANAL_CHANGE_KEY) {
    record.key_schema = std::move(out.key_schema);
    record.key = std::move(out.key);
  }
  if (out.changed & KANAL_CHANGE_VALUE) {
    record.value_schema = std::move(out.value_schema);
    record.value = std::move(out.value);
  }
  if (out.changed & KANAL_CHANGE_TIMESTAMP) record.timestamp = out.timestamp;
  if (out.changed & KANAL_CHANGE_HEADERS) record.headers = std::move(out.headers);
  return transforms::Outcome::kKeep;
}

PluginPredicate::PluginPredicate(std::shared_ptr<const PluginInfo> plugin, std::string owner)
    : plugin_(std::move(plugin)),
      owner_(std::move(owner)),
      ctx_(std::make_unique<kanal_context>()) {
  ctx_->logger = owner_logger(owner_);
}

Result<std::unique_ptr<PluginPredicate>> PluginPredicate::create(
    std::shared_ptr<const PluginInfo> plugin, std::string owner) {
  if (!plugin || plugin->predicate == nullptr) {
    return Status::invalid_argument(owner + ": not a predicate plugin");
  }
  std::unique_ptr<PluginPredicate> p(new PluginPredicate(std::move(plugin), std::move(owner)));
  char err[kErrSize] = {0};
  kanal_status s = p->plugin_->predicate->ops->create(p->ctx_.get(), &p->obj_, err, sizeof err);
  if (s != KANAL_OK || p->obj_ == nullptr) {
    p->obj_ = nullptr;
    return detail::plugin_status(
        s == KANAL_OK ? KANAL_ERR : s, err,
        p->owner_ + ": " + p->plugin_->class_name + " could not be created");
  }
  return p;
}

PluginPredicate::~PluginPredicate() {
  if (obj_ != nullptr) plugin_->predicate->ops->destroy(obj_);
}

Status PluginPredicate::configure(const transforms::ConfigMap& props) {
  std::vector<kanal_kv> kvs;
  kanal_config cfg = detail::make_config(props, kvs);
  char err[kErrSize] = {0};
  kanal_status s = plugin_->predicate->ops->configure(obj_, &cfg, err, sizeof err);
  return detail::plugin_status(s, err, plugin_->class_name + " rejected its configuration");
}

bool PluginPredicate::test(const data::ConnectRecord& record) {
  std::vector<kanal_header> headers;
  std::vector<const kanal_header*> header_ptrs;
  kanal_record in = view_of(record, headers, header_ptrs);
  uint8_t result = 0;
  char err[kErrSize] = {0};
  kanal_status s = plugin_->predicate->ops->test(obj_, &in, &result, err, sizeof err);
  if (s != KANAL_OK) {
    ctx_->logger.error("predicate.failed", {{"class", plugin_->class_name}, {"error", err}});
    return false;
  }
  return result != 0;
}

}  // namespace kanal::plugins
