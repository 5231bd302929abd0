// A connector's offsets for GET/PATCH/DELETE /connectors/{name}/offsets, shared by both herders:
// source offsets live in the offset store (file, SQLite or the offsets topic), sink offsets are
// the committed offsets of the connector's consumer group (`connect-<name>` unless
// `consumer.override.group.id` says otherwise), changed through the Kafka admin API.
// The callers check that the connector exists and, for changes, that it is STOPPED.
// Blocking (up to 30 s per admin request); thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "herder/herder.h"
#include "runtime/worker.h"
#include "storage/offset_store.h"

namespace kanal::herder {

// Connect's format: partition {"kafka_topic","kafka_partition"}, offset {"kafka_offset"}.
Result<std::vector<PartitionOffset>> sink_offsets(const runtime::Worker& worker,
                                                  const std::string& name, const ConfigMap& config);
// Every stored source partition of `name` with its offset.
Result<std::vector<PartitionOffset>> source_offsets(storage::OffsetBackingStore& store,
                                                    const std::string& name);
// Alters (`reset` false: `offsets`, a null offset removes one) or resets every offset of the
// connector; answers Connect's success message. Invalid partitions or offsets → 400 statuses.
Result<std::string> modify_connector_offsets(const runtime::Worker& worker,
                                             storage::OffsetBackingStore& offsets_store,
                                             runtime::ConnectorKind kind, const std::string& name,
                                             const ConfigMap& config,
                                             std::vector<PartitionOffset> offsets, bool reset);

}  // namespace kanal::herder
