// SeqTracker: the accounting of DatagenSink, without the SDK. Counts records, finds duplicates,
// gaps and reordering from the ids DatagenSource writes at the start of each value.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kanal::connectors {

struct SeqSummary {
  uint64_t records = 0;       // every record seen
  uint64_t unique = 0;        // distinct ids
  uint64_t duplicates = 0;    // records whose id was seen before
  uint64_t gaps = 0;          // ids below max_seq never seen
  int64_t max_seq = -1;       // the highest id, -1 before the first
  uint64_t out_of_order = 0;  // new ids lower than one already seen in their stream
  uint64_t invalid = 0;       // values without an "<id>:" prefix (null values included)

  // {"records":N,"unique":U,"duplicates":D,"gaps":G,"max_seq":M,"out_of_order":O,"invalid":I}
  std::string to_json() const {
    return "{\"records\":" + std::to_string(records) + ",\"unique\":" + std::to_string(unique) +
           ",\"duplicates\":" + std::to_string(duplicates) + ",\"gaps\":" + std::to_string(gaps) +
           ",\"max_seq\":" + std::to_string(max_seq) +
           ",\"out_of_order\":" + std::to_string(out_of_order) +
           ",\"invalid\":" + std::to_string(invalid) + "}";
  }
};

// Order is checked per stream: one Kafka topic partition and one producing source task
// (id % source_tasks), because only records of one task in one partition keep their order.
// A duplicate (a redelivery) never counts as out of order. Not thread-safe.
class SeqTracker {
 public:
  // Ids at or above this are counted invalid: the bitmap of seen ids would not fit in memory.
  static constexpr uint64_t kMaxId = uint64_t{1} << 40;

  explicit SeqTracker(uint32_t source_tasks = 1) : source_tasks_(source_tasks ? source_tasks : 1) {}

  // Accounts one record of `topic`/`partition` whose id is `id` (nullopt: not a datagen value).
  void observe(std::string_view topic, int32_t partition, std::optional<uint64_t> id) {
    ++summary_.records;
    if (!id || *id >= kMaxId) {
      ++summary_.invalid;
      return;
    }
    if (!mark_seen(*id)) {
      ++summary_.duplicates;
      return;
    }
    ++summary_.unique;
    if (static_cast<int64_t>(*id) > summary_.max_seq) summary_.max_seq = static_cast<int64_t>(*id);
    uint64_t& last = stream_last(topic, partition, *id % source_tasks_);
    if (last != kNoId && *id < last) {
      ++summary_.out_of_order;
    } else {
      last = *id;
    }
  }

  SeqSummary summary() const {
    SeqSummary s = summary_;
    s.gaps = s.max_seq < 0 ? 0 : static_cast<uint64_t>(s.max_seq) + 1 - s.unique;
    return s;
  }

 private:
  static constexpr uint64_t kNoId = ~uint64_t{0};
  static constexpr uint64_t kPageBits = uint64_t{1} << 16;
  using Page = std::vector<uint64_t>;

  // Records `id`; false when it was already seen.
  bool mark_seen(uint64_t id) {
    uint64_t page = id / kPageBits;
    uint64_t bit = id % kPageBits;
    if (page >= pages_.size()) pages_.resize(page + 1);
    if (!pages_[page]) pages_[page] = std::make_unique<Page>(kPageBits / 64, 0);
    uint64_t& word = (*pages_[page])[bit / 64];
    uint64_t mask = uint64_t{1} << (bit % 64);
    if (word & mask) return false;
    word |= mask;
    return true;
  }

  uint64_t& stream_last(std::string_view topic, int32_t partition, uint64_t task) {
    // Batches are mostly one topic: remember the last one instead of hashing per record.
    if (last_topic_ == nullptr || last_topic_name_ != topic) {
      last_topic_ = &topics_[std::string(topic)];
      last_topic_name_ = topic;
    }
    std::vector<uint64_t>& streams = *last_topic_;
    size_t index = static_cast<size_t>(partition < 0 ? 0 : partition) * source_tasks_ + task;
    if (index >= streams.size()) streams.resize(index + 1, kNoId);
    return streams[index];
  }

  uint32_t source_tasks_;
  SeqSummary summary_;
  std::vector<std::unique_ptr<Page>> pages_;
  std::unordered_map<std::string, std::vector<uint64_t>> topics_;  // last id per stream
  std::vector<uint64_t>* last_topic_ = nullptr;
  std::string last_topic_name_;
};

}  // namespace kanal::connectors
