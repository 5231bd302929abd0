// Kafka Connect's source offset record format (spec 3.3), byte for byte.
//
// A source offset is stored under a key `["<connector>",{<source partition>}]` with the value
// `{<source offset>}` (or a tombstone). Java workers write both through the JsonConverter with
// schemas.enable=false, so the bytes here match what Jackson produces: compact JSON, map entries
// in the order the connector gave them, integers as integers, floating point numbers as Java's
// Double.toString / Float.toString (non-finite ones as the strings "NaN", "Infinity",
// "-Infinity"), bytes as base64 strings. Compaction and tombstones on the offsets topic match
// keys by bytes, so a key written by kanal must equal the one a Java worker writes.
//
// Free functions, no state: thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "data/record.h"

namespace kanal::storage {

// OK when every value of `map` is a primitive (null, boolean, integer, float, string, bytes),
// as Connect's OffsetUtils.validateFormat demands; otherwise kInvalidArgument naming `what` and
// the key, e.g. "Source offset may only contain primitive values (string, integer, float,
// boolean, bytes or null), but key 'x' is a map". Does not allocate on success.
// `what` names the map in messages: "source partition" or "source offset".
Status validate_offset_map(const data::OrderedMap& map, std::string_view what);

// The offsets-topic key for `partition` of connector `connector`, e.g.
// ["local-file-source",{"filename":"/tmp/in.txt"}]. Fails (kInvalidArgument) when a partition
// value is not a primitive.
Result<std::string> encode_offset_key(std::string_view connector,
                                      const data::OrderedMap& partition);

// The offsets-topic value for `offset`, e.g. {"position":2048}. A tombstone has no bytes at all
// (std::nullopt in OffsetEntry); it is not produced here. Fails (kInvalidArgument) when an offset
// value is not a primitive.
Result<std::string> encode_offset_value(const data::OrderedMap& offset);

// Compact JSON of any map, in the same format as encode_offset_value() but without the
// primitive check: nested arrays and maps are written as JSON (map keys via their Java string
// form), structs as their Java string. For display, e.g. a REST response built from decoded
// maps; never for keys that must match Java's bytes.
std::string offset_map_to_json(const data::OrderedMap& map);

// A decoded offsets-topic key.
struct OffsetKey {
  std::string connector;
  data::OrderedMap partition;
};

// Parses an offsets-topic key. Errors (kInvalidArgument), which a reader logs before skipping
// the record as Connect does: not JSON, not an array of exactly two elements, the first not a
// string, the second not an object (a null partition included).
// Values come back as Connect's JsonConverter reads them: integers as int64, other numbers as
// float64, strings, booleans, nulls; nested arrays and objects as array and map Values.
Result<OffsetKey> decode_offset_key(std::string_view bytes);

// Parses an offsets-topic value: an object gives its map, the JSON literal null gives nullopt.
// Errors (kInvalidArgument): not JSON, or JSON that is neither an object nor null.
Result<std::optional<data::OrderedMap>> decode_offset_value(std::string_view bytes);

}  // namespace kanal::storage
