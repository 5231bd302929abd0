// TransformChain: a connector's transforms and predicates, built from its config exactly as
// Kafka Connect's ConnectorConfig.transformationStages() builds them:
//
//   transforms=a,b                      ordered aliases
//   transforms.a.type=<class or alias>  transforms.a.<setting>=...
//   transforms.a.predicate=p            transforms.a.negate=true|false
//   transforms.a.plugin.version=[1.0,2.0)   (KIP-891: which installed version; default newest)
//   predicates=p                        predicates.p.type=...   predicates.p.<setting>=...
//   predicates.p.plugin.version=1.2.0
//
// apply() runs the stages in order on one record in place (TransformationChain.apply): a stage
// with a predicate runs only when `negate XOR predicate.test(record)`; a stage answering kDrop
// ends the chain. A predicate used by several stages is one shared instance, as in Connect.
//
// Thread-safety: a chain belongs to one task; apply() is called from that task's thread only.
// Building and validating are pure functions of their arguments and safe from any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/config_def.h"
#include "data/record.h"
#include "transforms/transform_registry.h"
#include "transforms/transformation.h"

namespace kanal::transforms {

// The transform/predicate part of a connector config validation (PUT .../config/validate).
struct ChainValidation {
  // Every enriched key, in Connect's order: for each transform alias `transforms.a.type`,
  // `transforms.a.plugin.version` (default: the newest installed version), `transforms.a.negate`,
  // `transforms.a.predicate`, then the transform's own keys prefixed; then for each predicate
  // alias `predicates.p.type`, `predicates.p.plugin.version` and its keys. Groups are "Transforms:
  // a" / "Predicates: p". The framework keys `transforms` and `predicates` are not included.
  config::ConfigDef definitions;
  // One entry per key of `definitions`, same order, with Connect's error messages; plus an entry
  // named `transforms` / `predicates` when that list itself is invalid (duplicate alias).
  std::vector<config::ConfigValueInfo> values;
  // "Transforms: a", ..., "Predicates: p", ... in order, for the response's `groups`.
  std::vector<std::string> groups;
  // Total number of error messages in `values`.
  int error_count = 0;
};

class TransformChain {
 public:
  // An empty chain (no transforms): apply() keeps every record unchanged.
  TransformChain() = default;
  TransformChain(TransformChain&&) noexcept = default;
  TransformChain& operator=(TransformChain&&) noexcept = default;
  ~TransformChain();

  // Builds and configures every stage from a connector config (other keys are ignored). On a bad
  // config returns kInvalidArgument whose message is the first validate() error, naming the full
  // key, e.g. "Invalid value x for configuration transforms.a.spec: ...". Unknown classes are
  // "Invalid value com.X for configuration transforms.a.type: Class com.X could not be found.".
  static Result<TransformChain> create(const config::ConfigMap& connector_config,
                                       const TransformRegistry& registry);

  // Validates the transform and predicate settings of `connector_config`, collecting every error
  // (never fails as a whole). Instances are created and configured to run their checks, then
  // closed.
  static ChainValidation validate(const config::ConfigMap& connector_config,
                                  const TransformRegistry& registry);

  // Runs the chain over `record` in place. kKeep: pass the record on; kDrop: a stage dropped it.
  // On a stage failure returns its Status unchanged (the error handler decides on retry,
  // tolerance and the DLQ) and failed_class() names the failing transform's class.
  Result<Outcome> apply(data::ConnectRecord& record, RecordKind kind);
  Result<Outcome> apply(data::SourceRecord& record) { return apply(record, RecordKind::kSource); }
  Result<Outcome> apply(data::SinkRecord& record) { return apply(record, RecordKind::kSink); }

  // The class of the stage whose failure the last apply() returned (Connect's "Executing stage
  // 'TRANSFORMATION' with class ..." and the DLQ's __connect.errors.class.name); empty before.
  const std::string& failed_class() const { return failed_class_; }

  bool empty() const { return stages_.empty(); }
  size_t size() const { return stages_.size(); }
  // The transform aliases in order.
  std::vector<std::string> aliases() const;

  // Closes every transform and predicate (Connect's TransformationChain.close); idempotent.
  void close();

 private:
  struct Stage {
    std::string alias;
    std::string class_name;
    std::unique_ptr<Transformation> transformation;
    Predicate* predicate = nullptr;  // borrowed from predicates_, which outlives stages_
    bool negate = false;
  };

  // Validates `connector_config` and, when `out` is not null and there is no error, moves the
  // configured instances into it. Shared by create() and validate().
  static ChainValidation build(const config::ConfigMap& connector_config,
                               const TransformRegistry& registry, TransformChain* out);

  std::vector<std::unique_ptr<Predicate>> predicates_;  // owners before borrowers
  std::vector<Stage> stages_;
  std::string failed_class_;
};

}  // namespace kanal::transforms
