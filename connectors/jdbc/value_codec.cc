#include "connectors/jdbc/value_codec.h"

#include <cctype>
#include <cstdio>
#include <vector>

namespace kanal::jdbc {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

// Reads exactly `n` digits at `pos`.
bool digits(std::string_view t, size_t& pos, size_t n, int64_t& out) {
  if (pos + n > t.size()) return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = t[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    out = out * 10 + (c - '0');
  }
  pos += n;
  return true;
}

bool parse_date_at(std::string_view t, size_t& pos, int64_t& days) {
  int64_t y = 0, m = 0, d = 0;
  if (!digits(t, pos, 4, y) || pos >= t.size() || t[pos++] != '-' || !digits(t, pos, 2, m) ||
      pos >= t.size() || t[pos++] != '-' || !digits(t, pos, 2, d)) {
    return false;
  }
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  days = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return true;
}

// HH:MM:SS[.fraction] -> ns of the day.
bool parse_time_at(std::string_view t, size_t& pos, int64_t& nanos) {
  int64_t h = 0, mi = 0, s = 0;
  if (!digits(t, pos, 2, h) || pos >= t.size() || t[pos++] != ':' || !digits(t, pos, 2, mi)) {
    return false;
  }
  if (pos < t.size() && t[pos] == ':') {
    ++pos;
    if (!digits(t, pos, 2, s)) return false;
  }
  int64_t frac = 0;
  int frac_digits = 0;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    while (pos < t.size() && std::isdigit(static_cast<unsigned char>(t[pos]))) {
      if (frac_digits < 9) {
        frac = frac * 10 + (t[pos] - '0');
        ++frac_digits;
      }
      ++pos;
    }
  }
  for (int i = frac_digits; i < 9; ++i) frac *= 10;
  nanos = ((h * 60 + mi) * 60 + s) * 1000000000 + frac;
  return true;
}

// Big unsigned numbers as base-256 digits, most significant first.
void mul_add(std::vector<uint8_t>& n, unsigned mul, unsigned add) {
  unsigned carry = add;
  for (size_t i = n.size(); i-- > 0;) {
    unsigned v = n[i] * mul + carry;
    n[i] = static_cast<uint8_t>(v & 0xff);
    carry = v >> 8;
  }
  while (carry) {
    n.insert(n.begin(), static_cast<uint8_t>(carry & 0xff));
    carry >>= 8;
  }
}

unsigned div_small(std::vector<uint8_t>& n, unsigned div) {
  unsigned rem = 0;
  for (uint8_t& b : n) {
    unsigned v = (rem << 8) | b;
    b = static_cast<uint8_t>(v / div);
    rem = v % div;
  }
  return rem;
}

bool is_zero(const std::vector<uint8_t>& n) {
  for (uint8_t b : n) {
    if (b) return false;
  }
  return true;
}

void negate(std::vector<uint8_t>& n) {
  for (uint8_t& b : n) b = static_cast<uint8_t>(~b);
  for (size_t i = n.size(); i-- > 0;) {
    if (++n[i] != 0) break;
  }
}

}  // namespace

std::optional<int32_t> parse_date(std::string_view text) {
  size_t pos = 0;
  int64_t days = 0;
  if (!parse_date_at(text, pos, days)) return std::nullopt;
  return static_cast<int32_t>(days);
}

std::optional<int32_t> parse_time(std::string_view text) {
  size_t pos = 0;
  int64_t nanos = 0;
  if (!parse_time_at(text, pos, nanos)) return std::nullopt;
  return static_cast<int32_t>(nanos / 1000000);
}

std::optional<int64_t> parse_timestamp(std::string_view text) {
  size_t pos = 0;
  int64_t days = 0;
  if (!parse_date_at(text, pos, days)) return std::nullopt;
  int64_t nanos = 0;
  if (pos < text.size() && (text[pos] == ' ' || text[pos] == 'T')) {
    ++pos;
    if (!parse_time_at(text, pos, nanos)) return std::nullopt;
  }
  int64_t offset_seconds = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos++] == '-' ? -1 : 1;
    int64_t h = 0, m = 0;
    if (!digits(text, pos, 2, h)) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') ++pos;
    if (pos < text.size()) digits(text, pos, 2, m);
    offset_seconds = sign * (h * 3600 + m * 60);
  }
  return days * 86400 * 1000000000 + nanos - offset_seconds * 1000000000;
}

std::string format_date(int32_t days) {
  int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

std::string format_time(int32_t ms_of_day) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03d", ms_of_day / 3600000, ms_of_day / 60000 % 60,
                ms_of_day / 1000 % 60, ms_of_day % 1000);
  return buf;
}

std::string format_timestamp(int64_t nanos, int fraction_digits) {
  int64_t days =
      nanos >= 0 ? nanos / 86400000000000 : -((-nanos + 86399999999999) / 86400000000000);
  int64_t rem = nanos - days * 86400000000000;
  std::string out = format_date(static_cast<int32_t>(days));
  int64_t secs = rem / 1000000000;
  char buf[48];
  std::snprintf(buf, sizeof buf, " %02lld:%02lld:%02lld", static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  out += buf;
  if (fraction_digits > 0) {
    std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(rem % 1000000000));
    out.append(buf, static_cast<size_t>(1 + fraction_digits));
  }
  return out;
}

std::optional<std::string> decimal_text_to_unscaled(std::string_view text, int32_t scale) {
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) negative = text[pos++] == '-';
  std::vector<uint8_t> n{0};
  bool any = false;
  int32_t frac = -1;  // fraction digits taken so far; -1 before the point
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '.' && frac < 0) {
      frac = 0;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    any = true;
    if (frac >= 0) {
      if (frac >= scale) continue;  // truncate digits beyond the scale
      ++frac;
    }
    mul_add(n, 10, static_cast<unsigned>(c - '0'));
  }
  if (!any) return std::nullopt;
  for (int32_t i = frac < 0 ? 0 : frac; i < scale; ++i) mul_add(n, 10, 0);
  // Sign bit room, then two's complement.
  if (n[0] & 0x80) n.insert(n.begin(), 0);
  if (negative && !is_zero(n)) negate(n);
  // Minimal form: drop redundant leading 0x00 / 0xff bytes.
  size_t start = 0;
  while (start + 1 < n.size() && ((n[start] == 0x00 && !(n[start + 1] & 0x80)) ||
                                  (n[start] == 0xff && (n[start + 1] & 0x80)))) {
    ++start;
  }
  return std::string(n.begin() + static_cast<std::ptrdiff_t>(start), n.end());
}

std::string unscaled_to_decimal_text(std::string_view bytes, int32_t scale) {
  std::vector<uint8_t> n(bytes.begin(), bytes.end());
  if (n.empty()) n.push_back(0);
  bool negative = n[0] & 0x80;
  if (negative) negate(n);
  std::string digits_rev;
  while (!is_zero(n)) digits_rev += static_cast<char>('0' + div_small(n, 10));
  while (static_cast<int32_t>(digits_rev.size()) <= scale) digits_rev += '0';
  std::string out;
  if (negative) out += '-';
  for (size_t i = digits_rev.size(); i-- > 0;) {
    out += digits_rev[i];
    if (scale > 0 && i == static_cast<size_t>(scale)) out += '.';
  }
  return out;
}

}  // namespace kanal::jdbc
