// LineSplitter: the line framing of Kafka's FileStreamSourceTask, without I/O, so it can be
// tested on its own and reused by the source task's read loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kanal::connectors {

// What one UTF-8 line decodes to, counted as Java counts characters (UTF-16 code units), since
// FileStreamSource offsets are Java character counts.
struct Utf8Count {
  uint64_t chars = 0;
  bool replaced = false;  // some bytes were malformed and became U+FFFD
};

// Counts the UTF-16 code units of `in`. When `in` holds malformed UTF-8, writes a copy with each
// maximal malformed subpart replaced by U+FFFD into `repaired` (as Java's UTF-8 decoder does) and
// sets `replaced`; otherwise leaves `repaired` untouched.
inline Utf8Count count_utf8(std::string_view in, std::string& repaired) {
  static constexpr char kReplacement[] = "\xEF\xBF\xBD";
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  Utf8Count out;
  size_t i = 0;
  size_t copied = 0;  // bytes of `in` already copied to `repaired` (when replaced)
  auto replace = [&](size_t bad_begin, size_t bad_end) {
    if (!out.replaced) {
      repaired.clear();
      out.replaced = true;
    }
    repaired.append(in.data() + copied, bad_begin - copied);
    repaired.append(kReplacement, 3);
    copied = bad_end;
    out.chars += 1;
  };
  while (i < n) {
    unsigned char b = s[i];
    if (b < 0x80) {
      ++out.chars;
      ++i;
      continue;
    }
    size_t need = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;  // no surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      replace(i, i + 1);
      ++i;
      continue;
    }
    size_t k = 1;  // bytes of the sequence that are valid so far
    while (k <= need) {
      if (i + k >= n) break;
      unsigned char c = s[i + k];
      unsigned char min = k == 1 ? lo : 0x80;
      unsigned char max = k == 1 ? hi : 0xBF;
      if (c < min || c > max) break;
      ++k;
    }
    if (k <= need) {
      replace(i, i + k);
      i += k;
      continue;
    }
    out.chars += need == 3 ? 2 : 1;  // beyond the BMP Java needs a surrogate pair
    i += need + 1;
  }
  if (out.replaced) repaired.append(in.data() + copied, n - copied);
  return out;
}

// Splits bytes into lines on "\n", "\r\n" or a lone "\r", holding a partial last line (and a
// trailing "\r" until the next byte is known), and tracks the position after each line in Java
// characters. The caller reads straight into write_area(), then calls commit() and next().
//
// Lines returned by next() borrow the internal buffer: valid until the next call to write_area()
// or skip() (a repaired line, Line::replaced, only until the next call to next()).
// Not thread-safe.
class LineSplitter {
 public:
  struct Line {
    std::string_view text;  // without terminator; malformed UTF-8 already replaced
    uint64_t position = 0;  // characters consumed after this line, terminator included
    // `text` is a repaired copy: valid only until the next call to next() (otherwise it stays
    // valid until write_area() or skip()).
    bool replaced = false;
  };

  static constexpr size_t kDefaultCapacityBytes = size_t{1} << 20;

  explicit LineSplitter(size_t initial_capacity_bytes = kDefaultCapacityBytes)
      : capacity_(initial_capacity_bytes < 16 ? 16 : initial_capacity_bytes),
        buf_(new char[capacity_]) {}

  // Characters consumed so far (the offset of the next line), starting at `position`.
  uint64_t position() const { return position_; }
  // Sets the starting position without consuming anything (a fresh splitter starts at 0).
  void set_position(uint64_t position) { position_ = position; }

  // Marks the first `chars` characters of the stream as already consumed (a stored offset): they
  // are dropped as bytes arrive. The position then continues from there; it may end one higher
  // than `chars` when the offset splits a surrogate pair.
  void skip(uint64_t chars) { skip_chars_ = chars; }
  bool skipping() const { return skip_chars_ > 0; }

  // Free space to read into, at least a quarter of the capacity. Moves buffered bytes to the
  // front, and doubles the buffer when one line fills it (Kafka's FileStreamSourceTask does so).
  std::span<char> write_area() {
    size_t used = end_ - begin_;
    if (begin_ > 0 && (end_ == capacity_ || capacity_ - end_ < capacity_ / 4)) {
      std::memmove(buf_.get(), buf_.get() + begin_, used);
      rebase();
    }
    if (capacity_ - end_ < capacity_ / 4) {
      size_t bigger = capacity_ * 2;
      std::unique_ptr<char[]> grown(new char[bigger]);
      std::memcpy(grown.get(), buf_.get() + begin_, used);
      rebase();
      buf_ = std::move(grown);
      capacity_ = bigger;
    }
    return std::span<char>(buf_.get() + end_, capacity_ - end_);
  }

  // `n` bytes were written at the start of the last write_area().
  void commit(size_t n) { end_ += n; }

  // The next complete line, or nullopt when more bytes are needed.
  std::optional<Line> next() {
    if (skip_chars_ > 0 && !consume_skip()) return std::nullopt;
    size_t term = find_terminator();
    if (term == kNone) return std::nullopt;
    size_t after = term + 1;
    if (buf_[term] == '\r') {
      if (term + 1 == end_) return std::nullopt;  // "\r\n" or a lone "\r": not known yet
      if (buf_[term + 1] == '\n') after = term + 2;
    }
    std::string_view text(buf_.get() + begin_, term - begin_);
    uint64_t chars = text.size();
    bool replaced = false;
    if (has_high_byte(begin_, term)) {
      Utf8Count count = count_utf8(text, repaired_);
      chars = count.chars;
      replaced = count.replaced;
      if (replaced) text = repaired_;
    }
    position_ += chars + (after - term);
    begin_ = after;
    scan_ = after;
    return Line{text, position_, replaced};
  }

  // Bytes held: a partial line (or bytes still to skip).
  size_t buffered_bytes() const { return end_ - begin_; }
  size_t capacity_bytes() const { return capacity_; }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  // Shifts every cursor after the bytes from begin_ on moved to the front of the buffer.
  void rebase() {
    auto shift = [this](size_t& cursor) { cursor = cursor > begin_ ? cursor - begin_ : 0; };
    if (cr_ != kNone && cr_ < begin_) cr_ = kNone;
    if (high_ != kNone && high_ < begin_) high_ = kNone;
    shift(scan_);
    shift(cr_scanned_);
    shift(high_scanned_);
    if (cr_ != kNone) shift(cr_);
    if (high_ != kNone) shift(high_);
    end_ -= begin_;
    begin_ = 0;
  }

  // The first '\n' or '\r' at or after begin_, or kNone. '\r' is rare in practice, so its
  // position is cached and searched once per byte rather than once per line.
  size_t find_terminator() {
    if (scan_ < begin_) scan_ = begin_;
    if (cr_ != kNone && cr_ < begin_) {
      cr_ = kNone;
      cr_scanned_ = begin_;
    }
    if (cr_ == kNone) {
      if (cr_scanned_ < begin_) cr_scanned_ = begin_;
      if (cr_scanned_ < end_) {
        const void* p = std::memchr(buf_.get() + cr_scanned_, '\r', end_ - cr_scanned_);
        if (p != nullptr) {
          cr_ = static_cast<const char*>(p) - buf_.get();
          cr_scanned_ = cr_ + 1;
        } else {
          cr_scanned_ = end_;
        }
      }
    }
    size_t limit = cr_ == kNone ? end_ : cr_;
    if (scan_ < limit) {
      const void* p = std::memchr(buf_.get() + scan_, '\n', limit - scan_);
      if (p != nullptr) return static_cast<const char*>(p) - buf_.get();
    }
    if (cr_ != kNone) return cr_;
    scan_ = end_;
    return kNone;
  }

  // Whether [from, to) holds a byte >= 0x80; the next such byte is cached like cr_.
  bool has_high_byte(size_t from, size_t to) {
    if (high_ != kNone && high_ < from) high_ = kNone;
    if (high_ == kNone) {
      if (high_scanned_ < from) high_scanned_ = from;
      while (high_scanned_ < end_ && high_ == kNone) {
        // A branch-free OR over a block first: ASCII text, the common case, skips it at once.
        size_t chunk_end = high_scanned_ + 4096 < end_ ? high_scanned_ + 4096 : end_;
        unsigned char any = 0;
        const auto* p = reinterpret_cast<const unsigned char*>(buf_.get());
        for (size_t i = high_scanned_; i < chunk_end; ++i) any |= p[i];
        if (any & 0x80) {
          for (size_t i = high_scanned_; i < chunk_end; ++i) {
            if (p[i] & 0x80) {
              high_ = i;
              break;
            }
          }
        }
        high_scanned_ = high_ == kNone ? chunk_end : high_ + 1;
      }
    }
    return high_ != kNone && high_ < to;
  }

  // Drops buffered bytes of a stored offset; false while more bytes are needed.
  bool consume_skip() {
    const auto* p = reinterpret_cast<const unsigned char*>(buf_.get());
    while (skip_chars_ > 0 && begin_ < end_) {
      unsigned char b = p[begin_];
      size_t len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
      if (len > 1) {
        // A sequence cut by the end of the buffer waits for its remaining bytes.
        size_t valid = 1;
        while (valid < len && begin_ + valid < end_ && (p[begin_ + valid] & 0xC0) == 0x80) {
          ++valid;
        }
        if (valid < len && begin_ + valid == end_) return false;
        len = valid;  // malformed: the valid prefix counts as one replacement character
      }
      uint64_t chars = len == 4 ? 2 : 1;
      position_ += chars;
      skip_chars_ = chars >= skip_chars_ ? 0 : skip_chars_ - chars;
      begin_ += len;
    }
    return skip_chars_ == 0;
  }

  size_t capacity_;
  std::unique_ptr<char[]> buf_;
  size_t begin_ = 0;  // first unconsumed byte
  size_t end_ = 0;    // one past the last byte read
  size_t scan_ = 0;   // no '\n' in [begin_, scan_)
  size_t cr_ = kNone;
  size_t cr_scanned_ = 0;  // searched for '\r' up to here
  size_t high_ = kNone;
  size_t high_scanned_ = 0;
  uint64_t position_ = 0;
  uint64_t skip_chars_ = 0;
  std::string repaired_;
};

}  // namespace kanal::connectors
