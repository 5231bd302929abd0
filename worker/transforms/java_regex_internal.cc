#include "transforms/java_regex_internal.h"

#include <cctype>

namespace kanal::transforms::internal {

Result<JavaRegex> JavaRegex::compile(std::string_view pattern) {
  JavaRegex r;
  r.pattern_ = std::string(pattern);
  auto flags = std::regex::ECMAScript;
  std::string_view body = pattern;
  // Leading inline flags: (?i) case-insensitive; (?s)/(?m)/(?u) need no translation for topic
  // names (no line terminators).
  if (body.size() >= 4 && body.substr(0, 2) == "(?") {
    size_t close = body.find(')');
    std::string_view fl = close == std::string_view::npos ? "" : body.substr(2, close - 2);
    bool only_flags = !fl.empty();
    for (char c : fl) {
      if (c != 'i' && c != 's' && c != 'm' && c != 'u') only_flags = false;
    }
    if (only_flags) {
      if (fl.find('i') != std::string_view::npos) flags |= std::regex::icase;
      body = body.substr(close + 1);
    }
  }
  for (size_t i = 0; i + 2 < body.size(); ++i) {
    if (body[i] == '\\') {
      ++i;
      continue;
    }
    if (body.substr(i, 3) == "(?<" && i + 3 < body.size() && body[i + 3] != '=' &&
        body[i + 3] != '!') {
      return Status::invalid_argument("named groups are not supported near index " +
                                      std::to_string(i));
    }
    if (body.substr(i, 4) == "(?<=" || body.substr(i, 4) == "(?<!") {
      return Status::invalid_argument("lookbehind is not supported near index " +
                                      std::to_string(i));
    }
    if ((body[i] == '*' || body[i] == '+' || body[i] == '?' || body[i] == '}') &&
        body[i + 1] == '+') {
      return Status::invalid_argument("possessive quantifiers are not supported near index " +
                                      std::to_string(i + 1));
    }
  }
  try {
    r.regex_ = std::regex(body.begin(), body.end(), flags);
  } catch (const std::regex_error& e) {
    return Status::invalid_argument(std::string(e.what()) + "\n" + std::string(pattern));
  }
  return r;
}

bool JavaRegex::matches(std::string_view text) const {
  return std::regex_match(text.begin(), text.end(), regex_);
}

bool JavaRegex::matches(std::string_view text,
                        std::match_results<std::string_view::const_iterator>& m) const {
  return std::regex_match(text.begin(), text.end(), m, regex_);
}

Result<JavaReplacement> JavaReplacement::compile(std::string_view rep, const JavaRegex& regex) {
  JavaReplacement out;
  const auto group_count = static_cast<int>(regex.group_count());
  auto literal = [&out](char c) {
    if (out.parts_.empty() || out.parts_.back().group >= 0) out.parts_.push_back(Part{});
    out.parts_.back().literal += c;
  };
  for (size_t i = 0; i < rep.size();) {
    char c = rep[i];
    if (c == '\\') {
      if (i + 1 >= rep.size()) {
        return Status::invalid_argument("character to be escaped is missing");
      }
      literal(rep[i + 1]);
      i += 2;
    } else if (c == '$') {
      ++i;
      if (i >= rep.size())
        return Status::invalid_argument("Illegal group reference: group index is missing");
      int group = 0;
      if (rep[i] == '{') {
        size_t close = rep.find('}', i);
        if (close == std::string_view::npos) {
          return Status::invalid_argument("named capturing group is missing trailing '}'");
        }
        std::string_view name = rep.substr(i + 1, close - i - 1);
        if (name.empty())
          return Status::invalid_argument("named capturing group has 0 length name");
        for (char d : name) {
          if (!std::isdigit(static_cast<unsigned char>(d))) {
            return Status::invalid_argument("No group with name {" + std::string(name) + "}");
          }
          group = group * 10 + (d - '0');
        }
        if (group > group_count) {
          return Status::invalid_argument("No group " + std::to_string(group));
        }
        i = close + 1;
      } else {
        if (!std::isdigit(static_cast<unsigned char>(rep[i]))) {
          return Status::invalid_argument("Illegal group reference");
        }
        // Java: the first digit always counts; later digits only while the number is a group.
        group = rep[i] - '0';
        if (group > group_count)
          return Status::invalid_argument("No group " + std::to_string(group));
        ++i;
        while (i < rep.size() && std::isdigit(static_cast<unsigned char>(rep[i]))) {
          int next = group * 10 + (rep[i] - '0');
          if (next > group_count) break;
          group = next;
          ++i;
        }
      }
      out.parts_.push_back(Part{{}, group});
    } else {
      literal(c);
      ++i;
    }
  }
  return out;
}

std::string JavaReplacement::expand(
    const std::match_results<std::string_view::const_iterator>& m) const {
  std::string out;
  for (const Part& p : parts_) {
    if (p.group < 0) {
      out += p.literal;
    } else if (m[p.group].matched) {
      out.append(m[p.group].first, m[p.group].second);
    }
  }
  return out;
}

}  // namespace kanal::transforms::internal
