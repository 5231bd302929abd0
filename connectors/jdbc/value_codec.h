// Conversions between the databases' text forms and Connect's physical forms, without the SDK:
// dates (days since the epoch), times (ms of the day), timestamps (ns since the epoch, UTC) and
// decimals (big-endian two's-complement unscaled bytes, as Java's BigInteger.toByteArray()).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kanal::jdbc {

// "2024-03-01" -> days since 1970-01-01; nullopt when it does not parse.
std::optional<int32_t> parse_date(std::string_view text);
// "13:45:10[.123456]" -> ms of the day.
std::optional<int32_t> parse_time(std::string_view text);
// "2024-03-01 13:45:10[.123456789][Z|+hh[:mm]|-hh[:mm]]" (or with 'T') -> ns since the epoch.
// A date alone is midnight.
std::optional<int64_t> parse_timestamp(std::string_view text);

std::string format_date(int32_t days);
std::string format_time(int32_t ms_of_day);
// "YYYY-MM-DD HH:MM:SS" plus `fraction_digits` (0, 3, 6 or 9) digits of the second.
std::string format_timestamp(int64_t nanos, int fraction_digits);

// Connect's offsets for a timestamp: {"timestamp": ms, "timestamp_nanos": ns within the second}.
inline int64_t timestamp_millis(int64_t nanos) {
  return nanos >= 0 ? nanos / 1000000 : -((-nanos + 999999) / 1000000);
}
inline int64_t timestamp_nanos_of_second(int64_t nanos) {
  int64_t r = nanos % 1000000000;
  return r < 0 ? r + 1000000000 : r;
}
inline int64_t timestamp_from_offset(int64_t millis, int64_t nanos_of_second) {
  int64_t seconds = millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000);
  return seconds * 1000000000 + nanos_of_second;
}

// "-123.4" with scale 2 -> the bytes of -12340. Extra fraction digits are truncated. nullopt
// when `text` is not a plain decimal number.
std::optional<std::string> decimal_text_to_unscaled(std::string_view text, int32_t scale);
// The bytes of -12340 with scale 2 -> "-123.40".
std::string unscaled_to_decimal_text(std::string_view bytes, int32_t scale);

}  // namespace kanal::jdbc
