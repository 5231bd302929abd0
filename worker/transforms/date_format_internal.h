// DateFormat: the part of java.text.SimpleDateFormat that Connect's TimestampConverter and
// TimestampRouter use, always in UTC. Compiled once from the pattern; format and parse then walk
// the compiled fields without allocating beyond the output string.
//
// Pattern letters: G y Y u M L d D E F a H k K h m s S w W z Z X; text in single quotes is
// literal ('' is a quote); other non-letters are literal. Parsing is lenient, as
// SimpleDateFormat's default: out-of-range fields roll over and text after the pattern is
// ignored. Week-based fields (Y w W F) format but are ignored when parsing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kanal::transforms::internal {

class DateFormat {
 public:
  // Compiles `pattern`; kInvalidArgument "Illegal pattern character 'q'" (Java's
  // IllegalArgumentException message) or "Unterminated quote".
  static Result<DateFormat> compile(std::string_view pattern);

  // Appends the UTC rendering of `epoch_millis` to `out`.
  void format(int64_t epoch_millis, std::string& out) const;
  std::string format(int64_t epoch_millis) const {
    std::string out;
    format(epoch_millis, out);
    return out;
  }
  // Milliseconds since the epoch, or nullopt when `text` does not match (Java's ParseException).
  std::optional<int64_t> parse(std::string_view text) const;

  const std::string& pattern() const { return pattern_; }

 private:
  struct Token {
    char letter = 0;  // 0 = literal
    int count = 0;
    std::string literal;
  };

  std::string pattern_;
  std::vector<Token> tokens_;
};

}  // namespace kanal::transforms::internal
