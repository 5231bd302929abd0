// OffsetBackingStore: where source offsets live (Connect's OffsetBackingStore).
//
// Entries are the offsets topic's records (spec 3.3): the key bytes are
// ["<connector>",{<source partition>}] and the value bytes {<source offset>}, both produced by
// storage/offset_codec.h. Standalone workers keep them in SQLite (SqliteOffsetStore), distributed
// workers in the offsets topic. Implementations are thread-safe: the herder, task threads and
// REST handlers may call them concurrently.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "data/record.h"

namespace kanal::storage {

// One record to write: `value` nullopt is a tombstone, which deletes the key.
struct OffsetEntry {
  std::string key;
  std::optional<std::string> value;

  friend bool operator==(const OffsetEntry&, const OffsetEntry&) = default;
};

// One stored offset of a connector, raw and decoded (for GET /connectors/{name}/offsets and
// for tasks reading their offsets at start).
struct StoredOffset {
  std::string key;             // the key bytes
  std::string value;           // the value bytes (never a tombstone: deleted keys are absent)
  data::OrderedMap partition;  // decoded from `key`
  data::OrderedMap offset;     // decoded from `value`
};

class OffsetBackingStore {
 public:
  virtual ~OffsetBackingStore() = default;

  // Opens the storage and checks it. Must succeed before any other call; an error is a start-up
  // error whose message names the storage and the fix. Calling it twice is a bug.
  virtual Status start() = 0;
  // Releases the storage. Later calls to get/set/list fail. Idempotent.
  virtual void stop() = 0;

  // The value stored under each of `keys`: every requested key appears in the result, mapped to
  // nullopt when nothing is stored under it. Blocks on storage I/O.
  virtual Result<std::map<std::string, std::optional<std::string>>> get(
      std::span<const std::string> keys) = 0;

  // Writes `entries` atomically, in order (a later entry for the same key wins). When it returns
  // OK every entry is durable; on error none is applied. A key that decode_offset_key() rejects
  // fails the whole call with kInvalidArgument. Blocks on storage I/O (including fsync).
  virtual Status set(std::span<const OffsetEntry> entries) = 0;

  // Every stored offset of `connector`, oldest key first. Entries whose value cannot be decoded
  // are logged and skipped (Connect's readers do the same).
  virtual Result<std::vector<StoredOffset>> list(std::string_view connector) = 0;
};

}  // namespace kanal::storage
