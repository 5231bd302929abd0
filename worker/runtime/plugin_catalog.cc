#include "runtime/plugin_catalog.h"

#include <algorithm>

#include "plugins/connector_instance.h"
#include "plugins/task_instances.h"

namespace kanal::runtime {
namespace {

std::vector<plugins::TopicPartition> to_plugin(const std::vector<TopicPartitionOffset>& in) {
  std::vector<plugins::TopicPartition> out;
  out.reserve(in.size());
  for (const auto& p : in) out.push_back({p.topic, p.partition, p.offset});
  return out;
}

std::vector<TopicPartitionOffset> to_runtime(const std::vector<plugins::TopicPartition>& in) {
  std::vector<TopicPartitionOffset> out;
  out.reserve(in.size());
  for (const auto& p : in) out.push_back({p.topic, p.partition, p.offset});
  return out;
}

class ConnectorContextBridge : public plugins::ConnectorContext {
 public:
  explicit ConnectorContextBridge(runtime::ConnectorContext& target) : target_(target) {}
  void request_task_reconfiguration() override { target_.request_task_reconfiguration(); }
  void raise_error(const Status& error) override { target_.raise_error(error); }

 private:
  runtime::ConnectorContext& target_;
};

class ConnectorAdapter : public Connector {
 public:
  ConnectorAdapter(std::unique_ptr<ConnectorContextBridge> bridge,
                   std::unique_ptr<plugins::ConnectorInstance> instance, ConnectorKind kind)
      : bridge_(std::move(bridge)), instance_(std::move(instance)), kind_(kind) {}
  ConnectorKind kind() const override { return kind_; }
  std::string version() const override { return instance_->version(); }
  Status start(const ConfigMap& config) override { return instance_->start(config); }
  Result<std::vector<ConfigMap>> task_configs(int32_t max_tasks) override {
    return instance_->task_configs(max_tasks);
  }
  Status stop() override { return instance_->stop(); }

 private:
  std::unique_ptr<ConnectorContextBridge> bridge_;  // outlives instance_
  std::unique_ptr<plugins::ConnectorInstance> instance_;
  ConnectorKind kind_;
};

class OffsetReaderBridge : public plugins::SourceOffsetReader {
 public:
  OffsetReader* target = nullptr;
  std::optional<data::OrderedMap> offset(const data::OrderedMap& partition) override {
    return target ? target->offset(partition) : std::nullopt;
  }
};

class SourceTaskAdapter : public SourceTask {
 public:
  explicit SourceTaskAdapter(std::unique_ptr<plugins::SourceTaskInstance> t, std::string version)
      : task_(std::move(t)), version_(std::move(version)) {}
  std::string version() const override { return version_; }
  Status start(const ConfigMap& config, OffsetReader& offsets) override {
    reader_.target = &offsets;
    return task_->start(config, &reader_);
  }
  Status poll(std::vector<data::SourceRecord>& out) override { return task_->poll(out); }
  Status commit() override { return task_->commit(); }
  Status commit_record(const data::SourceRecord& r,
                       const std::optional<RecordMetadata>& md) override {
    std::optional<plugins::RecordMetadata> m;
    if (md) m = plugins::RecordMetadata{md->topic, md->partition, md->offset, md->timestamp};
    return task_->commit_record(r, m);
  }
  bool wants_commit_record() const override { return task_->has_commit_record(); }
  void stop() override { task_->stop(); }

 private:
  OffsetReaderBridge reader_;  // outlives task_
  std::unique_ptr<plugins::SourceTaskInstance> task_;
  std::string version_;
};

class SinkContextBridge : public plugins::SinkTaskContext {
 public:
  runtime::SinkTaskContext* target = nullptr;
  void pause(const std::vector<plugins::TopicPartition>& p) override {
    if (target) target->pause(to_runtime(p));
  }
  void resume(const std::vector<plugins::TopicPartition>& p) override {
    if (target) target->resume(to_runtime(p));
  }
  void request_commit() override {
    if (target) target->request_commit();
  }
  void timeout(std::chrono::milliseconds t) override {
    if (target) target->set_timeout(t.count());
  }
  Status report_errant(const data::SinkRecord& record, const Status& error) override {
    return target ? target->report_errant(record, error) : error;
  }
};

class SinkTaskAdapter : public SinkTask {
 public:
  SinkTaskAdapter(std::unique_ptr<SinkContextBridge> bridge,
                  std::unique_ptr<plugins::SinkTaskInstance> t, std::string version)
      : bridge_(std::move(bridge)), task_(std::move(t)), version_(std::move(version)) {}
  std::string version() const override { return version_; }
  Status start(const ConfigMap& config, SinkTaskContext& ctx) override {
    bridge_->target = &ctx;
    return task_->start(config);
  }
  Status open(const std::vector<TopicPartitionOffset>& p) override {
    return task_->open(to_plugin(p));
  }
  Status close(const std::vector<TopicPartitionOffset>& p) override {
    return task_->close(to_plugin(p));
  }
  Status put(std::vector<data::SinkRecord>& records) override { return task_->put(records); }
  Result<std::vector<TopicPartitionOffset>> pre_commit(
      const std::vector<TopicPartitionOffset>& current) override {
    auto r = task_->pre_commit(to_plugin(current));
    if (!r.ok()) return r.status();
    return to_runtime(*r);
  }
  void stop() override { (void)task_->stop(); }

 private:
  std::unique_ptr<SinkContextBridge> bridge_;  // outlives task_
  std::unique_ptr<plugins::SinkTaskInstance> task_;
  std::string version_;
};

class PluginConnector : public ConnectorPlugin {
 public:
  explicit PluginConnector(std::shared_ptr<const plugins::PluginInfo> info)
      : info_(std::move(info)) {}
  std::string class_name() const override { return info_->class_name; }
  std::string version() const override { return info_->version; }
  ConnectorKind kind() const override {
    return info_->kind == plugins::PluginKind::kSource ? ConnectorKind::kSource
                                                       : ConnectorKind::kSink;
  }
  std::string task_class() const override { return info_->task_class; }
  const config::ConfigDef& config_def() const override { return info_->config_def; }
  std::vector<config::ConfigValueInfo> validate(const ConfigMap& config) override {
    auto instance =
        plugins::ConnectorInstance::create(info_, config.count("name") ? config.at("name") : "");
    if (!instance.ok()) {
      config::ConfigValueInfo v;
      v.name = "connector.class";
      v.errors.push_back(instance.status().message());
      return {v};
    }
    return (*instance)->validate(config);
  }
  Result<std::unique_ptr<Connector>> create_connector(runtime::ConnectorContext& ctx) override {
    auto bridge = std::make_unique<ConnectorContextBridge>(ctx);
    auto instance = plugins::ConnectorInstance::create(info_, "", bridge.get());
    if (!instance.ok()) return instance.status();
    return std::unique_ptr<Connector>(
        new ConnectorAdapter(std::move(bridge), std::move(instance).value(), kind()));
  }
  Result<std::unique_ptr<SourceTask>> create_source_task(const std::string& connector,
                                                         int32_t task) override {
    auto t = plugins::SourceTaskInstance::create(info_, connector, task);
    if (!t.ok()) return t.status();
    return std::unique_ptr<SourceTask>(new SourceTaskAdapter(std::move(t).value(), info_->version));
  }
  Result<std::unique_ptr<SinkTask>> create_sink_task(const std::string& connector,
                                                     int32_t task) override {
    auto bridge = std::make_unique<SinkContextBridge>();
    auto t = plugins::SinkTaskInstance::create(info_, connector, task, bridge.get());
    if (!t.ok()) return t.status();
    return std::unique_ptr<SinkTask>(
        new SinkTaskAdapter(std::move(bridge), std::move(t).value(), info_->version));
  }

 private:
  std::shared_ptr<const plugins::PluginInfo> info_;
};

}  // namespace

RegistryCatalog::RegistryCatalog(const plugins::PluginRegistry& plugins,
                                 const data::ConverterRegistry& converters,
                                 const transforms::TransformRegistry& transforms)
    : plugins_(plugins), converters_(converters), transforms_(transforms) {}

RegistryCatalog::~RegistryCatalog() = default;

Result<ConnectorPlugin*> RegistryCatalog::connector(const std::string& class_or_alias,
                                                    const std::string& version_spec) {
  auto info = plugins_.find_connector(class_or_alias, version_spec);
  if (!info.ok()) return Status::invalid_argument(info.status().message());
  std::lock_guard lock(mu_);
  auto& slot = adapters_[info->get()];
  if (!slot) slot = std::make_unique<PluginConnector>(*info);
  return slot.get();
}

std::vector<herder::PluginInfo> RegistryCatalog::plugins(bool connectors_only) {
  std::vector<herder::PluginInfo> out;
  for (const auto& p : plugins_.plugins()) {
    if (connectors_only && !p->is_connector()) continue;
    if (p->kind == plugins::PluginKind::kTransformation ||
        p->kind == plugins::PluginKind::kPredicate || p->kind == plugins::PluginKind::kConverter) {
      continue;  // listed through the worker registries below
    }
    out.push_back({p->class_name, plugins::to_connect_string(p->kind), p->version});
  }
  if (!connectors_only) {
    for (const auto& t : transforms_.plugins()) {
      out.push_back(
          {t.class_name,
           t.type == transforms::PluginType::kTransformation ? "transformation" : "predicate",
           t.version});
    }
    for (const auto& c : converters_.converter_plugins()) {
      out.push_back({c.class_name, "converter", c.version});
    }
    for (const auto& c : converters_.header_converter_plugins()) {
      out.push_back({c.class_name, "header_converter", c.version});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.class_name < b.class_name; });
  return out;
}

}  // namespace kanal::runtime
