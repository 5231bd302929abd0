#include "data/record.h"

#include <algorithm>
#include <atomic>

namespace kanal::data {

size_t Headers::remove(std::string_view key) {
  auto it = std::remove_if(headers_.begin(), headers_.end(),
                           [&](const Header& h) { return h.key == key; });
  size_t removed = static_cast<size_t>(headers_.end() - it);
  headers_.erase(it, headers_.end());
  return removed;
}

void Headers::retain_latest(std::string_view key) {
  size_t last = headers_.size();
  for (size_t i = headers_.size(); i-- > 0;) {
    if (headers_[i].key == key) {
      last = i;
      break;
    }
  }
  if (last == headers_.size()) return;
  size_t out = 0;
  for (size_t i = 0; i < headers_.size(); ++i) {
    if (headers_[i].key == key && i != last) continue;
    if (out != i) headers_[out] = std::move(headers_[i]);
    ++out;
  }
  headers_.resize(out);
}

const Header* Headers::last_with_name(std::string_view key) const {
  for (size_t i = headers_.size(); i-- > 0;) {
    if (headers_[i].key == key) return &headers_[i];
  }
  return nullptr;
}

std::vector<const Header*> Headers::all_with_name(std::string_view key) const {
  std::vector<const Header*> out;
  for (const auto& h : headers_) {
    if (h.key == key) out.push_back(&h);
  }
  return out;
}

OrderedMap::OrderedMap(std::initializer_list<Entry> entries) {
  for (const auto& e : entries) set(e.first, e.second);
}

const std::vector<OrderedMap::Entry>& OrderedMap::empty_entries() {
  static const std::vector<Entry> kEmpty;
  return kEmpty;
}

std::vector<OrderedMap::Entry>& OrderedMap::own_entries() {
  if (!entries_) {
    entries_ = std::make_shared<std::vector<Entry>>();
  } else if (entries_.use_count() > 1) {
    entries_ = std::make_shared<std::vector<Entry>>(*entries_);
  } else {
    // The last other owner may have released its copy on another thread just now; its reads of
    // the entries must happen before this map writes them (use_count() is a relaxed load).
    std::atomic_thread_fence(std::memory_order_acquire);
  }
  return *entries_;
}

OrderedMap& OrderedMap::set(std::string key, Value value) {
  if (entries_) {
    for (size_t i = 0; i < entries_->size(); ++i) {
      if ((*entries_)[i].first == key) {
        own_entries()[i].second = std::move(value);
        return *this;
      }
    }
  }
  own_entries().emplace_back(std::move(key), std::move(value));
  return *this;
}

const Value* OrderedMap::find(std::string_view key) const {
  for (const auto& e : entries()) {
    if (e.first == key) return &e.second;
  }
  return nullptr;
}

bool OrderedMap::erase(std::string_view key) {
  const std::vector<Entry>& current = entries();
  for (size_t i = 0; i < current.size(); ++i) {
    if (current[i].first == key) {
      std::vector<Entry>& mine = own_entries();
      mine.erase(mine.begin() + static_cast<ptrdiff_t>(i));
      return true;
    }
  }
  return false;
}

bool operator==(const OrderedMap& a, const OrderedMap& b) {
  if (a.size() != b.size()) return false;
  if (a.entries_ == b.entries_) return true;
  for (const auto& [k, v] : a.entries()) {
    const Value* other = b.find(k);
    if (other == nullptr || !(*other == v)) return false;
  }
  return true;
}

bool operator==(const ConnectRecord& a, const ConnectRecord& b) {
  return a.topic == b.topic && a.kafka_partition == b.kafka_partition &&
         schema_equals(a.key_schema, b.key_schema) && a.key == b.key &&
         schema_equals(a.value_schema, b.value_schema) && a.value == b.value &&
         a.timestamp == b.timestamp && a.headers == b.headers;
}

bool operator==(const SourceRecord& a, const SourceRecord& b) {
  return static_cast<const ConnectRecord&>(a) == static_cast<const ConnectRecord&>(b) &&
         a.source_partition == b.source_partition && a.source_offset == b.source_offset;
}

bool operator==(const SinkRecord& a, const SinkRecord& b) {
  return static_cast<const ConnectRecord&>(a) == static_cast<const ConnectRecord&>(b) &&
         a.kafka_offset == b.kafka_offset && a.timestamp_type == b.timestamp_type &&
         a.original_topic == b.original_topic &&
         a.original_kafka_partition == b.original_kafka_partition &&
         a.original_kafka_offset == b.original_kafka_offset;
}

const char* to_connect_string(TimestampType type) {
  switch (type) {
    case TimestampType::kNoTimestampType:
      return "NoTimestampType";
    case TimestampType::kCreateTime:
      return "CreateTime";
    case TimestampType::kLogAppendTime:
      return "LogAppendTime";
  }
  return "NoTimestampType";
}

}  // namespace kanal::data
