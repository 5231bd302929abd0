// OffsetTracker: which source offsets of one source task may be committed (Connect's
// SubmittedRecords).
//
// The task runner submits every record it hands to the producer, in poll order, and acks or
// fails it when the delivery report arrives. An offset becomes committable only when the record
// carrying it and every record submitted before it *for the same source partition* are acked;
// partitions do not wait for each other. A failed record stays in place and blocks its partition
// for good (the runner fails the task, or acks instead when errors.tolerance=all lets the record
// go, as Connect does), so nothing after it is ever committed ("nothing is lost").
//
// Threading: NOT thread-safe; every call comes from the task thread. librdkafka serves delivery
// reports on the thread that calls rd_kafka_poll()/rd_kafka_flush(), which is the task thread,
// so ack()/fail() from the delivery-report callback are on that thread too. A runner that moves
// delivery reports elsewhere (a background event callback, a forwarded queue polled by another
// thread) must post them to the task thread instead of calling this class.
//
// Cost: per record, one deque slot (the offset map is taken by value: an OrderedMap copy shares
// the record's entries, no allocation) and no encoding; each partition's key is encoded once,
// when it is first seen, and its value only when a commit is taken. A partition with nothing in
// flight and nothing left to commit is forgotten.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "data/record.h"
#include "storage/offset_store.h"

namespace kanal::runtime {

class OffsetTracker {
 public:
  // Identifies one submitted record until it is acked, failed or dropped. Trivially copyable and
  // 8 bytes, so it travels as librdkafka's per-message opaque (to_opaque()/from_opaque()).
  class Handle {
   public:
    Handle() = default;
    void* to_opaque() const { return reinterpret_cast<void*>(static_cast<uintptr_t>(value_)); }
    static Handle from_opaque(void* opaque) {
      return Handle(static_cast<uint64_t>(reinterpret_cast<uintptr_t>(opaque)));
    }
    friend bool operator==(Handle, Handle) = default;

   private:
    friend class OffsetTracker;
    explicit Handle(uint64_t value) : value_(value) {}
    uint64_t value_ = 0;
  };
  static_assert(sizeof(void*) >= sizeof(uint64_t), "Handle must fit librdkafka's msg_opaque");

  // What may be committed now: `entries` go to OffsetBackingStore::set() as they are; after that
  // succeeds, pass the whole object to mark_committed(). The counts are for the flush log line
  // (Connect's CommittableOffsets).
  class Committable {
   public:
    std::vector<storage::OffsetEntry> entries;  // one per partition whose offset advanced
    size_t committable_records = 0;    // acked records covered since the last take (Java's count)
    size_t uncommittable_records = 0;  // still queued behind an unacked or failed record
    size_t largest_queue = 0;          // records queued in the fullest partition
    data::OrderedMap largest_queue_partition;

    bool empty() const { return entries.empty(); }

   private:
    friend class OffsetTracker;
    struct Mark {
      uint32_t slot;
      uint32_t generation;
      uint64_t version;
    };
    std::vector<Mark> marks_;
  };

  // `connector` is the first element of every offset key this tracker encodes.
  explicit OffsetTracker(std::string connector);
  OffsetTracker(const OffsetTracker&) = delete;
  OffsetTracker& operator=(const OffsetTracker&) = delete;

  // Registers a record about to be produced, in poll order. `offset` is moved in; an empty
  // offset map stands for Java's null offset: the record still orders its partition but commits
  // nothing of its own. Partitions are grouped as Map.equals does (entry order ignored; the key
  // bytes follow the first map seen).
  // Errors (kInvalidArgument, nothing registered): a partition or offset value is not a
  // primitive (Connect's OffsetUtils.validateFormat); the runner fails the task with it.
  Result<Handle> submit(const data::OrderedMap& partition, data::OrderedMap offset);

  // Kafka acknowledged the record. Precondition: `handle` came from submit() and was not yet
  // acked, failed or dropped (asserted).
  void ack(Handle handle);
  // The record will never be acknowledged; its partition commits nothing at or after it.
  // Same precondition as ack().
  void fail(Handle handle);
  // Withdraws the most recent submission of its partition, when producing it failed before it
  // reached librdkafka (Connect's SubmittedRecord.drop). Returns false, changing nothing, when
  // the record is not the newest of its partition or is no longer pending.
  bool drop(Handle handle);

  // Records submitted and neither acked, failed nor dropped.
  size_t pending() const { return pending_; }
  // Records failed so far.
  size_t failed() const { return failed_; }

  // The newest committable offset of each partition that advanced since the last
  // mark_committed(). Calling it again without mark_committed() returns the same or newer
  // offsets, so a failed store write loses nothing.
  Committable committable();
  // Records that `committed` reached the store. Stale marks (a newer offset was taken since) only
  // count up to what they carried.
  void mark_committed(const Committable& committed);

  // Waits until pending() is 0 or `deadline` passes, calling `poll(remaining)` in between;
  // `poll` must serve delivery reports (rd_kafka_poll/flush with a timeout of at most
  // `remaining`) so acks arrive. Returns true when nothing is pending. Task thread only.
  template <typename PollFn>
  bool await_all(std::chrono::steady_clock::time_point deadline, PollFn&& poll) {
    while (pending_ > 0) {
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return false;
      poll(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
    }
    return true;
  }

 private:
  enum class State : uint8_t { kPending, kAcked, kFailed };
  struct Submitted {
    data::OrderedMap offset;
    State state = State::kPending;
  };
  struct Partition {
    data::OrderedMap partition;
    size_t hash = 0;
    std::string key;                // encoded once
    std::deque<Submitted> records;  // in submission order; front is the oldest unreleased
    uint32_t next_seq = 0;          // sequence number of the next submission (wraps)
    uint32_t generation = 0;        // bumped when the slot is reused
    bool live = false;
    data::OrderedMap latest;  // newest offset released from the front, if has_latest
    bool has_latest = false;
    uint64_t version = 0;            // bumped each time `latest` changes
    uint64_t committed_version = 0;  // version last marked committed
    size_t released_since_take = 0;
  };

  // The pending-or-finished record `handle` names, with its slot and index; nullptr if none.
  Submitted* find(Handle handle, uint32_t* slot, size_t* index);
  Result<uint32_t> slot_for(const data::OrderedMap& partition);
  void release_front(Partition& p);
  void maybe_forget(uint32_t slot);

  const std::string connector_;
  std::vector<Partition> slots_;
  std::vector<uint32_t> free_slots_;
  std::unordered_multimap<size_t, uint32_t> slots_by_hash_;
  uint32_t last_slot_ = UINT32_MAX;  // the previous submit's slot: most tasks have one partition
  size_t pending_ = 0;
  size_t failed_ = 0;
};

}  // namespace kanal::runtime
