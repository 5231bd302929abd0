#include "storage/internal_topics.h"

#include "common/log.h"

namespace kanal::storage {
namespace {

const log::Logger& logger() {
  static const log::Logger l("kanal.storage");
  return l;
}

InternalTopic topic(const config::WorkerConfig& c, const std::string& prefix,
                    const std::string& name_property, int32_t partitions) {
  InternalTopic t;
  t.property = name_property;
  t.spec.name = c.parsed().get_string(name_property);
  t.spec.partitions = partitions;
  t.spec.replication_factor = c.parsed().get_int(prefix + ".replication.factor");
  for (const auto& [k, v] : c.with_prefix(prefix)) {
    // Not topic settings: the name, sizing, and standalone's offset.storage.file.filename.
    if (k == "topic" || k == "partitions" || k == "replication.factor" || k == "file.filename") {
      continue;
    }
    if (k == "cleanup.policy") {
      logger().warn(
          "internal_topic.setting_ignored",
          {{"setting", prefix + "." + k}, {"reason", "internal topics are always compacted"}});
      continue;
    }
    t.spec.configs[k] = v;
  }
  t.spec.configs["cleanup.policy"] = "compact";
  return t;
}

}  // namespace

std::vector<InternalTopic> internal_topics(const config::WorkerConfig& c) {
  if (c.originals().count("config.storage.partitions") &&
      c.originals().at("config.storage.partitions") != "1") {
    logger().warn("internal_topic.setting_ignored",
                  {{"setting", "config.storage.partitions"},
                   {"reason", "the config topic always has exactly one partition"}});
  }
  return {
      topic(c, "config.storage", "config.storage.topic", 1),
      topic(c, "offset.storage", "offset.storage.topic",
            c.parsed().get_int("offset.storage.partitions")),
      topic(c, "status.storage", "status.storage.topic",
            c.parsed().get_int("status.storage.partitions")),
  };
}

Status ensure_internal_topics(const config::WorkerConfig& c, kafka::Admin& admin,
                              std::chrono::milliseconds timeout) {
  for (const InternalTopic& t : internal_topics(c)) {
    Status created = admin.create_topic(t.spec, timeout);
    if (created.ok()) {
      logger().info("internal_topic.created",
                    {{"topic", t.spec.name},
                     {"partitions", std::to_string(t.spec.partitions)},
                     {"replication_factor", std::to_string(t.spec.replication_factor)}});
    } else if (created.code() != Status::Code::kConflict) {
      return Status::invalid_argument("Unable to create topic '" + t.spec.name + "' (" +
                                      t.property + "): " + created.message());
    }
    auto configs = admin.describe_topic_configs(t.spec.name, timeout);
    if (!configs.ok()) {
      logger().info("internal_topic.check_skipped",
                    {{"topic", t.spec.name}, {"reason", configs.status().message()}});
    } else {
      auto it = configs->find("cleanup.policy");
      std::string policy = it == configs->end() ? "" : it->second;
      if (policy != "compact") {
        return Status::invalid_argument(
            "Topic '" + t.spec.name + "' supplied via the '" + t.property +
            "' property is required to have 'cleanup.policy=compact' to guarantee consistency "
            "and durability of connector configurations, offsets and statuses, but found the "
            "topic currently has 'cleanup.policy=" +
            policy +
            "'. Continuing would likely result in eventually losing data and problems "
            "restarting this worker in the future. Change the '" +
            t.property +
            "' property in the worker config to use a topic with 'cleanup.policy=compact', or "
            "alter the topic with: kafka-configs.sh --alter --entity-type topics --entity-name " +
            t.spec.name + " --add-config cleanup.policy=compact");
      }
    }
    if (t.property == "config.storage.topic") {
      auto parts = admin.partition_count(t.spec.name, timeout);
      if (parts.ok() && *parts != 1) {
        return Status::invalid_argument(
            "Topic '" + t.spec.name +
            "' supplied via the 'config.storage.topic' property is "
            "required to have a single partition in order to guarantee consistency of connector "
            "configurations, but found " +
            std::to_string(*parts) + " partitions. Use a topic with exactly one partition.");
      }
    }
  }
  return Status::OK();
}

}  // namespace kanal::storage
