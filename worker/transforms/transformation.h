// Transformation and Predicate: the worker-side interfaces of Kafka Connect's Single Message
// Transforms (org.apache.kafka.connect.transforms.Transformation) and predicates
// (org.apache.kafka.connect.transforms.predicates.Predicate).
//
// A transformation changes one record in place; it may also ask for the record to be dropped
// (Java's transform returning null). All configuration is parsed, all regexes compiled and all
// derived schemas cached by configure() and the first records: apply() does none of it per record.
// Source and sink records share the ConnectRecord base, so one apply() serves both; the
// RecordKind says which one the record is (InsertField's `offset.field` reads the sink offset).
//
// Lifecycle: create (TransformRegistry) -> configure() once -> apply()/test() many times ->
// close(). One instance belongs to one task and is used by that task's thread only: instances are
// not thread-safe, and need no locking.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "config/config_def.h"
#include "data/record.h"

namespace kanal::transforms {

using ConfigMap = config::ConfigMap;

// Which concrete record a ConnectRecord& refers to. With kSink the record is a data::SinkRecord
// (a transform may static_cast to read its Kafka coordinates); with kSource a data::SourceRecord.
enum class RecordKind : uint8_t { kSource, kSink };

// What a transformation asks the chain to do with the record after apply().
enum class Outcome : uint8_t {
  kKeep,  // pass the (possibly modified) record on
  kDrop,  // drop it: Connect's `return null` (sink offsets still advance)
};

// What a plugin is, as GET /connector-plugins spells it in "type".
enum class PluginType : uint8_t { kTransformation, kPredicate };
// "transformation" / "predicate".
const char* to_connect_string(PluginType type);

class Transformation {
 public:
  virtual ~Transformation() = default;

  // Parses and checks `props` (the settings after `transforms.<alias>.` was stripped). On error
  // returns kInvalidArgument in Connect's wording, naming the unprefixed key, e.g.
  //   Invalid value x for configuration spec: Invalid type found in casting spec: x
  // (the chain adds the `transforms.<alias>.` prefix). Called once, before any apply().
  virtual Status configure(const ConfigMap& props) = 0;

  // The settings this transformation accepts (for validation and the REST config endpoints).
  // Valid for the object's lifetime; callable before configure().
  virtual const config::ConfigDef& config_def() const = 0;

  // Transforms `record` in place. `kind` says whether it is a SourceRecord or a SinkRecord.
  // Returns kKeep or kDrop; on failure a non-OK Status (kInvalidArgument for bad data, as
  // Connect's DataException; retriable() for Connect's RetriableException) that the runtime's
  // error handler retries, tolerates or sends to the dead-letter queue. After a failure the
  // record's content is unspecified: the error handler keeps its own copy if it needs one.
  virtual Result<Outcome> apply(data::ConnectRecord& record, RecordKind kind) = 0;

  // Releases resources; no apply() follows. Default: nothing to do.
  virtual void close() {}
};

class Predicate {
 public:
  virtual ~Predicate() = default;

  // As Transformation::configure (settings after `predicates.<alias>.` was stripped).
  virtual Status configure(const ConfigMap& props) = 0;
  virtual const config::ConfigDef& config_def() const = 0;

  // True when the record matches. Never fails: Connect's predicates do not throw on data.
  // Non-const so implementations may keep per-instance caches (single thread, see above).
  virtual bool test(const data::ConnectRecord& record) = 0;

  virtual void close() {}
};

}  // namespace kanal::transforms
