#include "runtime/offset_tracker.h"

#include <cassert>
#include <functional>
#include <type_traits>
#include <utility>
#include <variant>

#include "storage/offset_codec.h"

namespace kanal::runtime {
namespace {

size_t mix(size_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

// Consistent with data::Value's operator== for the primitive kinds a partition may hold; other
// kinds never get here (submit validates first) and hash by kind only.
size_t hash_value(const data::Value& value) {
  return std::visit(
      [&value](const auto& v) -> size_t {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return 0x51ed27;
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? 0x7a1 : 0x7a0;
        } else if constexpr (std::is_integral_v<T>) {
          return std::hash<int64_t>{}(static_cast<int64_t>(v));
        } else if constexpr (std::is_floating_point_v<T>) {
          return std::hash<double>{}(static_cast<double>(v));
        } else if constexpr (std::is_same_v<T, std::string>) {
          return std::hash<std::string_view>{}(v);
        } else if constexpr (std::is_same_v<T, data::Bytes>) {
          return std::hash<std::string_view>{}(v.view()) ^ 0xb17e5;
        } else {
          return static_cast<size_t>(value.kind());
        }
      },
      value.storage());
}

// Order-independent, because partitions are grouped as Java's Map.equals groups them.
size_t hash_partition(const data::OrderedMap& map) {
  size_t h = map.size();
  for (const auto& [key, value] : map) {
    h += mix(std::hash<std::string_view>{}(key)*31 + hash_value(value));
  }
  return h;
}

constexpr uint32_t kNoSlot = UINT32_MAX;

}  // namespace

OffsetTracker::OffsetTracker(std::string connector) : connector_(std::move(connector)) {}

Result<OffsetTracker::Handle> OffsetTracker::submit(const data::OrderedMap& partition,
                                                    data::OrderedMap offset) {
  KANAL_RETURN_IF_ERROR(storage::validate_offset_map(offset, "source offset"));
  auto slot = slot_for(partition);
  if (!slot.ok()) return slot.status();
  Partition& p = slots_[*slot];
  const uint32_t seq = p.next_seq++;
  p.records.push_back(Submitted{std::move(offset), State::kPending});
  ++pending_;
  // Slot + 1 in the high half: no valid handle is 0, i.e. a null msg_opaque.
  return Handle(((static_cast<uint64_t>(*slot) + 1) << 32) | seq);
}

Result<uint32_t> OffsetTracker::slot_for(const data::OrderedMap& partition) {
  if (last_slot_ != kNoSlot && slots_[last_slot_].partition == partition) return last_slot_;
  const size_t hash = hash_partition(partition);
  auto [begin, end] = slots_by_hash_.equal_range(hash);
  for (auto it = begin; it != end; ++it) {
    if (slots_[it->second].partition == partition) {
      last_slot_ = it->second;
      return it->second;
    }
  }

  auto key = storage::encode_offset_key(connector_, partition);
  if (!key.ok()) return key.status();
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Partition& p = slots_[slot];
  p.partition = partition;
  p.hash = hash;
  p.key = std::move(*key);
  p.live = true;
  slots_by_hash_.emplace(hash, slot);
  last_slot_ = slot;
  return slot;
}

OffsetTracker::Submitted* OffsetTracker::find(Handle handle, uint32_t* slot_out, size_t* index) {
  const uint64_t high = handle.value_ >> 32;
  if (high == 0 || high > slots_.size()) return nullptr;
  const auto slot = static_cast<uint32_t>(high - 1);
  Partition& p = slots_[slot];
  if (!p.live) return nullptr;
  const uint32_t front_seq = p.next_seq - static_cast<uint32_t>(p.records.size());
  const uint32_t i = static_cast<uint32_t>(handle.value_) - front_seq;  // wraps like the seqs
  if (i >= p.records.size()) return nullptr;
  *slot_out = slot;
  *index = i;
  return &p.records[i];
}

void OffsetTracker::ack(Handle handle) {
  uint32_t slot;
  size_t index;
  Submitted* r = find(handle, &slot, &index);
  assert(r != nullptr && r->state == State::kPending && "ack of an unknown or finished record");
  if (r == nullptr || r->state != State::kPending) return;
  r->state = State::kAcked;
  --pending_;
  // Released right away rather than at commit time, so memory is bounded by what is in flight,
  // not by what arrives during one offset.flush.interval.ms.
  if (index == 0) release_front(slots_[slot]);
}

void OffsetTracker::fail(Handle handle) {
  uint32_t slot;
  size_t index;
  Submitted* r = find(handle, &slot, &index);
  assert(r != nullptr && r->state == State::kPending && "fail of an unknown or finished record");
  if (r == nullptr || r->state != State::kPending) return;
  r->state = State::kFailed;
  --pending_;
  ++failed_;
}

bool OffsetTracker::drop(Handle handle) {
  uint32_t slot;
  size_t index;
  Submitted* r = find(handle, &slot, &index);
  if (r == nullptr || r->state != State::kPending) return false;
  Partition& p = slots_[slot];
  if (index + 1 != p.records.size()) return false;
  p.records.pop_back();
  --p.next_seq;
  --pending_;
  maybe_forget(slot);
  return true;
}

void OffsetTracker::release_front(Partition& p) {
  while (!p.records.empty() && p.records.front().state == State::kAcked) {
    Submitted& front = p.records.front();
    // An empty offset is Java's null: it orders the partition but carries nothing to commit.
    if (!front.offset.empty()) {
      p.latest = std::move(front.offset);
      p.has_latest = true;
      ++p.version;
    }
    ++p.released_since_take;
    p.records.pop_front();
  }
}

OffsetTracker::Committable OffsetTracker::committable() {
  Committable out;
  for (uint32_t slot = 0; slot < slots_.size(); ++slot) {
    Partition& p = slots_[slot];
    if (!p.live) continue;
    out.committable_records += p.released_since_take;
    p.released_since_take = 0;
    out.uncommittable_records += p.records.size();
    if (p.records.size() > out.largest_queue) {
      out.largest_queue = p.records.size();
      out.largest_queue_partition = p.partition;
    }
    if (p.has_latest && p.version > p.committed_version) {
      out.entries.push_back(storage::OffsetEntry{p.key, storage::offset_map_to_json(p.latest)});
      out.marks_.push_back(Committable::Mark{slot, p.generation, p.version});
    } else {
      maybe_forget(slot);
    }
  }
  return out;
}

void OffsetTracker::mark_committed(const Committable& committed) {
  for (const auto& mark : committed.marks_) {
    if (mark.slot >= slots_.size()) continue;
    Partition& p = slots_[mark.slot];
    if (!p.live || p.generation != mark.generation) continue;
    if (mark.version > p.committed_version) p.committed_version = mark.version;
    maybe_forget(mark.slot);
  }
}

void OffsetTracker::maybe_forget(uint32_t slot) {
  Partition& p = slots_[slot];
  if (!p.records.empty() || p.released_since_take > 0) return;
  if (p.has_latest && p.committed_version < p.version) return;
  auto [begin, end] = slots_by_hash_.equal_range(p.hash);
  for (auto it = begin; it != end; ++it) {
    if (it->second == slot) {
      slots_by_hash_.erase(it);
      break;
    }
  }
  if (last_slot_ == slot) last_slot_ = kNoSlot;
  const uint32_t next_generation = p.generation + 1;
  p = Partition{};
  p.generation = next_generation;
  free_slots_.push_back(slot);
}

}  // namespace kanal::runtime
