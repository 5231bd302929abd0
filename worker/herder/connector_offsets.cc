#include "herder/connector_offsets.h"

#include <algorithm>
#include <climits>
#include <optional>

#include "kafka/client.h"
#include "storage/offset_codec.h"

namespace kanal::herder {
namespace {

using config::get_or;

// One entry of PATCH .../offsets for a sink connector, in Connect's format: partition
// {"kafka_topic": <string>, "kafka_partition": <int>}, offset {"kafka_offset": <int or digits>}
// or null (remove the committed offset).
struct SinkOffset {
  std::string topic;
  int32_t partition = -1;
  std::optional<int64_t> offset;
};

Result<SinkOffset> parse_sink_offset(const PartitionOffset& po) {
  auto partition = storage::decode_offset_value(po.partition_json);
  if (!partition.ok() || !*partition || (*partition)->size() != 2) {
    return Status::invalid_argument(
        "Partitions of sink connectors must have exactly the keys 'kafka_topic' and "
        "'kafka_partition', got " +
        po.partition_json);
  }
  SinkOffset out;
  for (const auto& [k, v] : **partition) {
    if (k == "kafka_topic" && v.kind() == data::ValueKind::kString) {
      out.topic = v.as_string();
    } else if (k == "kafka_partition" && v.kind() == data::ValueKind::kInt64 && v.as_int64() >= 0 &&
               v.as_int64() <= INT32_MAX) {
      out.partition = static_cast<int32_t>(v.as_int64());
    } else {
      return Status::invalid_argument("Invalid key '" + k + "' in sink connector partition " +
                                      po.partition_json +
                                      "; give 'kafka_topic' (a string) and 'kafka_partition' (a "
                                      "non-negative integer)");
    }
  }
  if (out.topic.empty() || out.partition < 0) {
    return Status::invalid_argument("Sink connector partition " + po.partition_json +
                                    " needs both 'kafka_topic' and 'kafka_partition'");
  }
  if (po.offset_json == "null") return out;
  auto offset = storage::decode_offset_value(po.offset_json);
  const data::Value* v =
      offset.ok() && *offset && (*offset)->size() == 1 ? (*offset)->find("kafka_offset") : nullptr;
  if (v && v->kind() == data::ValueKind::kInt64 && v->as_int64() >= 0) {
    out.offset = v->as_int64();
  } else if (v && v->kind() == data::ValueKind::kString && !v->as_string().empty() &&
             v->as_string().size() < 19 &&
             std::all_of(v->as_string().begin(), v->as_string().end(),
                         [](char c) { return c >= '0' && c <= '9'; })) {
    out.offset = std::stoll(v->as_string());
  } else {
    return Status::invalid_argument(
        "Sink connector offsets must be {\"kafka_offset\": <a "
        "non-negative integer>} or null, got " +
        po.offset_json);
  }
  return out;
}

// The error of a group admin request's result: the request's, the group's or a partition's.
Status group_result_error(rd_kafka_event_t* ev, const rd_kafka_group_result_t** groups, size_t n,
                          const std::string& what) {
  if (rd_kafka_event_error(ev)) return kafka::from_error(rd_kafka_event_error(ev), what);
  for (size_t i = 0; i < n; ++i) {
    if (const rd_kafka_error_t* e = rd_kafka_group_result_error(groups[i])) {
      return kafka::from_error(rd_kafka_error_code(e), what);
    }
    const rd_kafka_topic_partition_list_t* parts = rd_kafka_group_result_partitions(groups[i]);
    for (int j = 0; parts && j < parts->cnt; ++j) {
      if (parts->elems[j].err) {
        return kafka::from_error(parts->elems[j].err,
                                 what + " (" + parts->elems[j].topic + "-" +
                                     std::to_string(parts->elems[j].partition) + ")");
      }
    }
  }
  return Status::OK();
}

// Sets and removes committed offsets of consumer group `group` (which must have no members).
Status alter_consumer_group(rd_kafka_t* rk, const std::string& group,
                            const std::vector<SinkOffset>& offsets) {
  kafka::RdPartitionListPtr set(
      rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  kafka::RdPartitionListPtr remove(
      rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const SinkOffset& o : offsets) {
    rd_kafka_topic_partition_t* p = rd_kafka_topic_partition_list_add(
        o.offset ? set.get() : remove.get(), o.topic.c_str(), o.partition);
    if (o.offset) p->offset = *o.offset;
  }
  kafka::RdQueuePtr q(rd_kafka_queue_new(rk));
  if (set->cnt > 0) {
    rd_kafka_AlterConsumerGroupOffsets_t* req =
        rd_kafka_AlterConsumerGroupOffsets_new(group.c_str(), set.get());
    rd_kafka_AlterConsumerGroupOffsets(rk, &req, 1, nullptr, q.get());
    rd_kafka_AlterConsumerGroupOffsets_destroy(req);
    kafka::RdEventPtr ev(rd_kafka_queue_poll(q.get(), 30000));
    if (!ev)
      return Status::timeout("Altering the offsets of consumer group " + group + " timed out");
    size_t n = 0;
    const rd_kafka_group_result_t** groups = rd_kafka_AlterConsumerGroupOffsets_result_groups(
        rd_kafka_event_AlterConsumerGroupOffsets_result(ev.get()), &n);
    Status s = group_result_error(ev.get(), groups, n, "altering the offsets of group " + group);
    if (!s.ok()) return s;
  }
  if (remove->cnt > 0) {
    rd_kafka_DeleteConsumerGroupOffsets_t* req =
        rd_kafka_DeleteConsumerGroupOffsets_new(group.c_str(), remove.get());
    rd_kafka_DeleteConsumerGroupOffsets(rk, &req, 1, nullptr, q.get());
    rd_kafka_DeleteConsumerGroupOffsets_destroy(req);
    kafka::RdEventPtr ev(rd_kafka_queue_poll(q.get(), 30000));
    if (!ev) return Status::timeout("Deleting offsets of consumer group " + group + " timed out");
    size_t n = 0;
    const rd_kafka_group_result_t** groups = rd_kafka_DeleteConsumerGroupOffsets_result_groups(
        rd_kafka_event_DeleteConsumerGroupOffsets_result(ev.get()), &n);
    Status s = group_result_error(ev.get(), groups, n, "deleting offsets of group " + group);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

// Deletes consumer group `group` (Connect's offset reset for sinks); a group that does not
// exist has nothing to reset.
Status delete_consumer_group(rd_kafka_t* rk, const std::string& group) {
  kafka::RdQueuePtr q(rd_kafka_queue_new(rk));
  rd_kafka_DeleteGroup_t* req = rd_kafka_DeleteGroup_new(group.c_str());
  rd_kafka_DeleteGroups(rk, &req, 1, nullptr, q.get());
  rd_kafka_DeleteGroup_destroy(req);
  kafka::RdEventPtr ev(rd_kafka_queue_poll(q.get(), 30000));
  if (!ev) return Status::timeout("Deleting consumer group " + group + " timed out");
  size_t n = 0;
  const rd_kafka_group_result_t** groups =
      rd_kafka_DeleteGroups_result_groups(rd_kafka_event_DeleteGroups_result(ev.get()), &n);
  if (n == 1) {
    const rd_kafka_error_t* e = rd_kafka_group_result_error(groups[0]);
    if (e && rd_kafka_error_code(e) == RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND) return Status::OK();
  }
  return group_result_error(ev.get(), groups, n, "deleting consumer group " + group);
}

}  // namespace

Result<std::vector<PartitionOffset>> sink_offsets(const runtime::Worker& worker,
                                                  const std::string& name,
                                                  const ConfigMap& config) {
  auto admin = kafka::Admin::create(worker.admin_settings(name, config));
  if (!admin.ok()) return admin.status();
  rd_kafka_t* rk = admin->handle();
  std::string group = get_or(config, "consumer.override.group.id", "connect-" + name);
  rd_kafka_ListConsumerGroupOffsets_t* req =
      rd_kafka_ListConsumerGroupOffsets_new(group.c_str(), nullptr);
  kafka::RdQueuePtr q(rd_kafka_queue_new(rk));
  rd_kafka_ListConsumerGroupOffsets(rk, &req, 1, nullptr, q.get());
  rd_kafka_ListConsumerGroupOffsets_destroy(req);
  kafka::RdEventPtr ev(rd_kafka_queue_poll(q.get(), 30000));
  if (!ev) return Status::timeout("Listing the consumer group offsets of " + group + " timed out");
  if (rd_kafka_event_error(ev.get())) {
    return kafka::from_error(rd_kafka_event_error(ev.get()), "listing consumer group offsets");
  }
  const rd_kafka_ListConsumerGroupOffsets_result_t* res =
      rd_kafka_event_ListConsumerGroupOffsets_result(ev.get());
  size_t n = 0;
  const rd_kafka_group_result_t** groups = rd_kafka_ListConsumerGroupOffsets_result_groups(res, &n);
  std::vector<PartitionOffset> out;
  for (size_t i = 0; i < n; ++i) {
    const rd_kafka_topic_partition_list_t* parts = rd_kafka_group_result_partitions(groups[i]);
    if (!parts) continue;
    for (int j = 0; j < parts->cnt; ++j) {
      const auto& p = parts->elems[j];
      if (p.offset < 0) continue;
      out.push_back({"{\"kafka_topic\":\"" + std::string(p.topic) +
                         "\",\"kafka_partition\":" + std::to_string(p.partition) + "}",
                     "{\"kafka_offset\":" + std::to_string(p.offset) + "}"});
    }
  }
  return out;
}

Result<std::vector<PartitionOffset>> source_offsets(storage::OffsetBackingStore& store,
                                                    const std::string& name) {
  auto stored = store.list(name);
  if (!stored.ok()) return stored.status();
  std::vector<PartitionOffset> out;
  for (const auto& s : *stored) out.push_back({storage::offset_map_to_json(s.partition), s.value});
  return out;
}

Result<std::string> modify_connector_offsets(const runtime::Worker& worker,
                                             storage::OffsetBackingStore& offsets_store,
                                             runtime::ConnectorKind kind, const std::string& name,
                                             const ConfigMap& config,
                                             std::vector<PartitionOffset> offsets, bool reset) {
  if (kind == runtime::ConnectorKind::kSink) {
    std::vector<SinkOffset> sink;
    for (const auto& po : offsets) {
      auto parsed = parse_sink_offset(po);
      if (!parsed.ok()) return parsed.status();
      sink.push_back(std::move(parsed).value());
    }
    auto admin = kafka::Admin::create(worker.admin_settings(name, config));
    if (!admin.ok()) return admin.status();
    std::string group = get_or(config, "consumer.override.group.id", "connect-" + name);
    Status s = reset ? delete_consumer_group(admin->handle(), group)
                     : alter_consumer_group(admin->handle(), group, sink);
    if (!s.ok()) return s;
    return std::string(reset ? "The offsets for this connector have been reset successfully"
                             : "The offsets for this connector have been altered successfully");
  }
  std::vector<storage::OffsetEntry> entries;
  if (reset) {
    auto stored = offsets_store.list(name);
    if (!stored.ok()) return stored.status();
    for (const auto& s : *stored) entries.push_back({s.key, std::nullopt});
  } else {
    for (const auto& po : offsets) {
      auto key = storage::decode_offset_key("[\"" + name + "\"," + po.partition_json + "]");
      if (!key.ok())
        return Status::invalid_argument("Invalid partition " + po.partition_json + ": " +
                                        key.status().message());
      auto enc = storage::encode_offset_key(name, key->partition);
      if (!enc.ok()) return enc.status();
      if (po.offset_json == "null") {
        entries.push_back({*enc, std::nullopt});
      } else {
        auto v = storage::decode_offset_value(po.offset_json);
        if (!v.ok() || !*v) return Status::invalid_argument("Invalid offset " + po.offset_json);
        auto ev = storage::encode_offset_value(**v);
        if (!ev.ok()) return ev.status();
        entries.push_back({*enc, *ev});
      }
    }
  }
  Status s = offsets_store.set(entries);
  if (!s.ok()) return s;
  return std::string(reset ? "The offsets for this connector have been reset successfully"
                           : "The offsets for this connector have been altered successfully");
}

}  // namespace kanal::herder
