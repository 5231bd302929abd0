// The record numbering of DatagenSource, without the SDK, so tests and the sink share it.
//
// Task t of T produces the records with ids t, t + T, t + 2T, ...: its seq-th record (seq from
// 0) has id seq * T + t. Ids are therefore unique across tasks and dense from 0, the value text
// starts with the id, and a sink can find duplicates and gaps from the values alone.
#pragma once

#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace kanal::connectors {

// How many records task `task` of `tasks` produces when the connector produces `count` in total;
// -1 (unbounded) stays -1.
inline int64_t datagen_task_share(int64_t count, int32_t task, int32_t tasks) {
  if (count < 0) return -1;
  int64_t base = count / tasks;
  return base + (task < count % tasks ? 1 : 0);
}

inline uint64_t datagen_record_id(uint64_t seq, int32_t task, int32_t tasks) {
  return seq * static_cast<uint64_t>(tasks) + static_cast<uint64_t>(task);
}

// Appends "<id>:" and padding up to `size_bytes` in total (no padding when the prefix is
// already that long). The padding is the same for every record.
inline void append_datagen_value(uint64_t id, size_t size_bytes, std::string& out) {
  static constexpr std::string_view kPattern =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
  char digits[24];
  auto res = std::to_chars(digits, digits + sizeof digits, id);
  size_t prefix = static_cast<size_t>(res.ptr - digits) + 1;
  out.append(digits, res.ptr);
  out += ':';
  for (size_t left = size_bytes > prefix ? size_bytes - prefix : 0; left > 0;) {
    size_t n = left < kPattern.size() ? left : kPattern.size();
    out.append(kPattern.data(), n);
    left -= n;
  }
}

// Appends "key-<id % keys>"; `keys` must be at least 1 (0 means null keys, no text at all).
inline void append_datagen_key(uint64_t id, uint64_t keys, std::string& out) {
  char digits[24];
  auto res = std::to_chars(digits, digits + sizeof digits, id % keys);
  out += "key-";
  out.append(digits, res.ptr);
}

// The id at the start of a value "<id>:...", or nullopt when the text has no such prefix.
inline std::optional<uint64_t> parse_datagen_id(std::string_view value) {
  uint64_t id = 0;
  auto res = std::from_chars(value.data(), value.data() + value.size(), id);
  if (res.ec != std::errc() || res.ptr == value.data()) return std::nullopt;
  if (res.ptr == value.data() + value.size() || *res.ptr != ':') return std::nullopt;
  return id;
}

// Paces records to a rate: at time t after start, rate * t records may have been produced.
// Not thread-safe; times come from the caller so tests need no clock.
class RatePacer {
 public:
  using Clock = std::chrono::steady_clock;

  // `records_per_second` <= 0 means unlimited.
  RatePacer(double records_per_second, Clock::time_point start)
      : rate_(records_per_second), start_(start) {}

  bool unlimited() const { return rate_ <= 0; }

  // How many records may be produced at `now`, at most `max`.
  uint64_t allowed(Clock::time_point now, uint64_t max) const {
    if (unlimited()) return max;
    double elapsed = std::chrono::duration<double>(now - start_).count();
    double due = elapsed * rate_;
    // Record k falls due k / rate seconds after the start, so the first goes out at once.
    uint64_t total = (due <= 0 ? 0 : static_cast<uint64_t>(due)) + 1;
    uint64_t n = total > produced_ ? total - produced_ : 0;
    return n < max ? n : max;
  }

  // How long until the next record is due at `now` (zero when one is due already).
  Clock::duration until_next(Clock::time_point now) const {
    if (unlimited() || allowed(now, 1) > 0) return Clock::duration::zero();
    auto due = start_ + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(static_cast<double>(produced_) / rate_));
    return due > now ? due - now : Clock::duration::zero();
  }

  void produced(uint64_t n) { produced_ += n; }

 private:
  double rate_;
  Clock::time_point start_;
  uint64_t produced_ = 0;
};

}  // namespace kanal::connectors
