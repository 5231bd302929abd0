#include "transforms/date_format_internal.h"

#include <cctype>
#include <chrono>
#include <cstring>

#include "transforms/transforms_internal.h"

namespace kanal::transforms::internal {
namespace {

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                 "Thursday", "Friday", "Saturday"};
constexpr std::string_view kPatternLetters = "GyYuMLdDEFaHkKhmsSwWzZX";

// Howard Hinnant's civil-from-days / days-from-civil (proleptic Gregorian, as Java's
// GregorianCalendar after 1582; earlier dates differ from Java's Julian calendar).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {y + (m <= 2), m, d};
}

void append_padded(int64_t v, int width, std::string& out) {
  if (v < 0) {
    out += '-';
    v = -v;
  }
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0);
  for (int i = n; i < width; ++i) out += '0';
  while (n > 0) out += buf[--n];
}

void append_text(const char* full, int count, std::string& out) {
  if (count >= 4) {
    out += full;
  } else {
    out.append(full, 3);
  }
}

bool is_numeric(char letter) { return std::strchr("yYudDFHkKhmsSwWM", letter) != nullptr; }

bool starts_with_icase(std::string_view text, std::string_view word) {
  if (text.size() < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(word[i]))) {
      return false;
    }
  }
  return true;
}

// Matches one of `names` (full, then 3-letter) at the start of `text`; index or -1.
int match_name(std::string_view text, const char* const* names, int n, size_t& used) {
  for (int i = 0; i < n; ++i) {
    if (starts_with_icase(text, names[i])) {
      used = std::strlen(names[i]);
      return i;
    }
  }
  for (int i = 0; i < n; ++i) {
    if (starts_with_icase(text, std::string_view(names[i], 3))) {
      used = 3;
      return i;
    }
  }
  return -1;
}

// The year 80 years before now: SimpleDateFormat's default two-digit-year window start.
int64_t default_century_start_year() {
  auto now = std::chrono::system_clock::now();
  int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  return civil_from_days(floor_div(ms, kMillisPerDay)).year - 80;
}

}  // namespace

Result<DateFormat> DateFormat::compile(std::string_view pattern) {
  DateFormat f;
  f.pattern_ = std::string(pattern);
  auto add_literal = [&f](char c) {
    if (f.tokens_.empty() || f.tokens_.back().letter != 0) f.tokens_.push_back(Token{});
    f.tokens_.back().literal += c;
  };
  for (size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    if (c == '\'') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        add_literal('\'');
        i += 2;
        continue;
      }
      size_t j = i + 1;
      bool closed = false;
      while (j < pattern.size()) {
        if (pattern[j] == '\'') {
          if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
            add_literal('\'');
            j += 2;
            continue;
          }
          closed = true;
          break;
        }
        add_literal(pattern[j]);
        ++j;
      }
      if (!closed) return Status::invalid_argument("Unterminated quote");
      i = j + 1;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      if (kPatternLetters.find(c) == std::string_view::npos) {
        return Status::invalid_argument(std::string("Illegal pattern character '") + c + "'");
      }
      size_t j = i;
      while (j < pattern.size() && pattern[j] == c) ++j;
      f.tokens_.push_back(Token{c, static_cast<int>(j - i), {}});
      i = j;
      continue;
    }
    add_literal(c);
    ++i;
  }
  return f;
}

void DateFormat::format(int64_t epoch_millis, std::string& out) const {
  const int64_t days = floor_div(epoch_millis, kMillisPerDay);
  const int64_t ms_of_day = floor_mod(epoch_millis, kMillisPerDay);
  const Civil c = civil_from_days(days);
  const int hour = static_cast<int>(ms_of_day / 3600000);
  const int minute = static_cast<int>(ms_of_day / 60000 % 60);
  const int second = static_cast<int>(ms_of_day / 1000 % 60);
  const int milli = static_cast<int>(ms_of_day % 1000);
  const int dow = static_cast<int>(floor_mod(days + 4, 7));  // 1970-01-01 was a Thursday (4)
  const int64_t day_of_year = days - days_from_civil(c.year, 1, 1) + 1;
  for (const Token& t : tokens_) {
    switch (t.letter) {
      case 0:
        out += t.literal;
        break;
      case 'G':
        out += c.year > 0 ? "AD" : "BC";
        break;
      case 'y':
      case 'Y':
      case 'u':
        if (t.letter == 'u') {
          append_padded(dow == 0 ? 7 : dow, t.count, out);
        } else {
          int64_t year = c.year > 0 ? c.year : 1 - c.year;
          if (t.count == 2) {
            append_padded(year % 100, 2, out);
          } else {
            append_padded(year, t.count, out);
          }
        }
        break;
      case 'M':
      case 'L':
        if (t.count >= 3) {
          append_text(kMonths[c.month - 1], t.count, out);
        } else {
          append_padded(c.month, t.count, out);
        }
        break;
      case 'd':
        append_padded(c.day, t.count, out);
        break;
      case 'D':
        append_padded(day_of_year, t.count, out);
        break;
      case 'E':
        append_text(kDays[dow], t.count, out);
        break;
      case 'F':
        append_padded((c.day - 1) / 7 + 1, t.count, out);
        break;
      case 'w':
        append_padded((day_of_year - 1) / 7 + 1, t.count, out);
        break;
      case 'W':
        append_padded((c.day - 1) / 7 + 1, t.count, out);
        break;
      case 'a':
        out += hour < 12 ? "AM" : "PM";
        break;
      case 'H':
        append_padded(hour, t.count, out);
        break;
      case 'k':
        append_padded(hour == 0 ? 24 : hour, t.count, out);
        break;
      case 'K':
        append_padded(hour % 12, t.count, out);
        break;
      case 'h':
        append_padded(hour % 12 == 0 ? 12 : hour % 12, t.count, out);
        break;
      case 'm':
        append_padded(minute, t.count, out);
        break;
      case 's':
        append_padded(second, t.count, out);
        break;
      case 'S':
        append_padded(milli, t.count, out);
        break;
      case 'z':
        out += t.count >= 4 ? "Coordinated Universal Time" : "UTC";
        break;
      case 'Z':
        out += "+0000";
        break;
      case 'X':
        out += 'Z';
        break;
      default:
        break;
    }
  }
}

std::optional<int64_t> DateFormat::parse(std::string_view text) const {
  int64_t year = 1970;
  int64_t month = 1;
  int64_t day = 1;
  int64_t day_of_year = -1;
  int64_t hour = 0;
  int64_t hour12 = -1;
  bool pm = false;
  int64_t minute = 0;
  int64_t second = 0;
  int64_t milli = 0;
  int64_t offset_minutes = 0;
  bool bc = false;
  size_t pos = 0;

  auto read_number = [&](int max_width, bool allow_sign, int64_t& out, int& digits) -> bool {
    size_t p = pos;
    bool negative = false;
    if (allow_sign && p < text.size() && (text[p] == '-' || text[p] == '+')) {
      negative = text[p] == '-';
      ++p;
    }
    size_t start = p;
    int64_t v = 0;
    while (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p])) &&
           (max_width <= 0 || static_cast<int>(p - start) < max_width)) {
      if (v > (INT64_MAX - 9) / 10) return false;
      v = v * 10 + (text[p] - '0');
      ++p;
    }
    if (p == start) return false;
    digits = static_cast<int>(p - start);
    out = negative ? -v : v;
    pos = p;
    return true;
  };

  for (size_t i = 0; i < tokens_.size(); ++i) {
    const Token& t = tokens_[i];
    if (t.letter == 0) {
      // SimpleDateFormat matches literal whitespace leniently; other characters exactly.
      for (char lc : t.literal) {
        if (pos < text.size() && text[pos] == lc) {
          ++pos;
        } else if (std::isspace(static_cast<unsigned char>(lc))) {
          continue;
        } else {
          return std::nullopt;
        }
      }
      continue;
    }
    // Numeric fields abutting another numeric field read exactly `count` digits.
    const bool abutting = i + 1 < tokens_.size() && tokens_[i + 1].letter != 0 &&
                          is_numeric(tokens_[i + 1].letter) &&
                          !((t.letter == 'M' || t.letter == 'L') && t.count >= 3);
    const int width = abutting ? t.count : 0;
    int64_t v = 0;
    int digits = 0;
    switch (t.letter) {
      case 'G': {
        if (starts_with_icase(text.substr(pos), "AD")) {
          pos += 2;
        } else if (starts_with_icase(text.substr(pos), "BC")) {
          bc = true;
          pos += 2;
        } else {
          return std::nullopt;
        }
        break;
      }
      case 'y':
      case 'Y':
        if (!read_number(width, true, v, digits)) return std::nullopt;
        if (t.count <= 2 && digits == 2 && v >= 0) {
          int64_t start = default_century_start_year();
          int64_t century = start / 100 * 100;
          v += century;
          if (v < start) v += 100;
        }
        if (t.letter == 'y') year = v;
        break;
      case 'M':
      case 'L':
        if (t.count >= 3) {
          size_t used = 0;
          int m = match_name(text.substr(pos), kMonths, 12, used);
          if (m < 0) return std::nullopt;
          pos += used;
          month = m + 1;
        } else {
          if (!read_number(width, false, v, digits)) return std::nullopt;
          month = v;
        }
        break;
      case 'E': {
        size_t used = 0;
        if (match_name(text.substr(pos), kDays, 7, used) < 0) return std::nullopt;
        pos += used;
        break;
      }
      case 'a':
        if (starts_with_icase(text.substr(pos), "AM")) {
          pm = false;
        } else if (starts_with_icase(text.substr(pos), "PM")) {
          pm = true;
        } else {
          return std::nullopt;
        }
        pos += 2;
        break;
      case 'z':
      case 'Z':
      case 'X': {
        std::string_view rest = text.substr(pos);
        if (!rest.empty() && (rest[0] == 'Z' || rest[0] == 'z') && t.letter != 'Z') {
          ++pos;
          offset_minutes = 0;
          break;
        }
        if (starts_with_icase(rest, "UTC") || starts_with_icase(rest, "GMT")) {
          pos += 3;
          rest = text.substr(pos);
          if (rest.empty() || (rest[0] != '+' && rest[0] != '-')) {
            offset_minutes = 0;
            break;
          }
        }
        if (rest.empty() || (rest[0] != '+' && rest[0] != '-')) return std::nullopt;
        const int sign = rest[0] == '-' ? -1 : 1;
        ++pos;
        int64_t hh = 0;
        int64_t mm = 0;
        if (!read_number(2, false, hh, digits)) return std::nullopt;
        if (pos < text.size() && text[pos] == ':') ++pos;
        if (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
          if (!read_number(2, false, mm, digits)) return std::nullopt;
        }
        offset_minutes = sign * (hh * 60 + mm);
        break;
      }
      default:
        if (!read_number(width, t.letter != 'S', v, digits)) return std::nullopt;
        switch (t.letter) {
          case 'd':
            day = v;
            break;
          case 'D':
            day_of_year = v;
            break;
          case 'H':
            hour = v;
            break;
          case 'k':
            hour = v == 24 ? 0 : v;
            break;
          case 'K':
          case 'h':
            hour12 = v == 12 && t.letter == 'h' ? 0 : v;
            break;
          case 'm':
            minute = v;
            break;
          case 's':
            second = v;
            break;
          case 'S':
            milli = v;
            break;
          default:  // u F w W: parsed but not used
            break;
        }
    }
  }
  if (hour12 >= 0) hour = hour12 + (pm ? 12 : 0);
  if (bc) year = 1 - year;
  // Lenient: months roll into years, days into months.
  int64_t month0 = month - 1;
  year += floor_div(month0, 12);
  month0 = floor_mod(month0, 12);
  int64_t days = day_of_year >= 0 ? days_from_civil(year, 1, 1) + day_of_year - 1
                                  : days_from_civil(year, month0 + 1, 1) + day - 1;
  return days * kMillisPerDay + hour * 3600000 + minute * 60000 + second * 1000 + milli -
         offset_minutes * 60000;
}

}  // namespace kanal::transforms::internal
