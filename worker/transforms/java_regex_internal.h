// JavaRegex: java.util.regex.Pattern as RegexRouter and TopicNameMatches use it, on std::regex
// (ECMAScript grammar). Java's common syntax is shared; a leading inline flag group such as
// `(?i)` is translated into the matching std::regex flag. Constructs ECMAScript lacks
// (lookbehind, possessive quantifiers, named groups) fail at compile time with a message, never
// silently match differently.
//
// Compile once (configure); matching is const and reentrant. Java replacement strings ($1, ${1},
// \$) are compiled once too (JavaReplacement).
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kanal::transforms::internal {

class JavaRegex {
 public:
  // kInvalidArgument with the reason (the caller adds "Invalid regex: ").
  static Result<JavaRegex> compile(std::string_view pattern);

  // Matcher.matches(): the whole input matches.
  bool matches(std::string_view text) const;
  // As matches(), filling `groups` (group 0 is the whole match).
  bool matches(std::string_view text,
               std::match_results<std::string_view::const_iterator>& m) const;

  size_t group_count() const { return regex_.mark_count(); }
  const std::string& pattern() const { return pattern_; }

 private:
  std::string pattern_;
  std::regex regex_;
};

// A compiled Matcher.replaceFirst replacement string: literal text, `$n` / `${n}` group
// references and `\x` escapes.
class JavaReplacement {
 public:
  // kInvalidArgument ("Illegal group reference", "character to be escaped is missing", "No group
  // n") when `replacement` does not fit `regex`.
  static Result<JavaReplacement> compile(std::string_view replacement, const JavaRegex& regex);

  // The replacement for a whole-input match.
  std::string expand(const std::match_results<std::string_view::const_iterator>& m) const;

 private:
  struct Part {
    std::string literal;
    int group = -1;  // >= 0: a group reference, literal unused
  };
  std::vector<Part> parts_;
};

}  // namespace kanal::transforms::internal
