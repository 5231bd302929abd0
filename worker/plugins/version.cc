#include "plugins/version.h"

#include <algorithm>
#include <cctype>

#include "config/config_def.h"

namespace kanal::plugins {
namespace {

struct Part {
  bool numeric = false;
  unsigned long long number = 0;
  std::string text;
};

// "1.10.0-rc1" -> [1, 10, 0, "rc1"]; trailing zero numbers are dropped so 1.0 == 1.0.0.
std::vector<Part> split(std::string_view v) {
  std::vector<Part> parts;
  std::string cur;
  auto flush = [&] {
    if (cur.empty()) return;
    Part p;
    p.numeric =
        std::all_of(cur.begin(), cur.end(), [](unsigned char c) { return std::isdigit(c); });
    if (p.numeric) {
      p.number = std::stoull(cur.size() > 18 ? cur.substr(0, 18) : cur);
    } else {
      for (char c : cur) p.text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    parts.push_back(std::move(p));
    cur.clear();
  };
  for (char c : v) {
    if (c == '.' || c == '-' || c == '_' || c == '+') {
      flush();
    } else if (!cur.empty() && (std::isdigit(static_cast<unsigned char>(c)) !=
                                std::isdigit(static_cast<unsigned char>(cur.back())))) {
      flush();  // "1rc2" splits at the digit/letter transitions, as Maven does
      cur += c;
    } else {
      cur += c;
    }
  }
  flush();
  while (!parts.empty() && parts.back().numeric && parts.back().number == 0) parts.pop_back();
  return parts;
}

// Maven's well-known qualifiers in order; unknown ones sort after them, alphabetically.
int qualifier_rank(const std::string& q) {
  static const char* kOrder[] = {"alpha", "a",  "beta", "b",       "milestone",
                                 "m",     "rc", "cr",   "snapshot"};
  static const int kRank[] = {0, 0, 1, 1, 2, 2, 3, 3, 4};
  for (size_t i = 0; i < sizeof kOrder / sizeof *kOrder; ++i) {
    if (q == kOrder[i]) return kRank[i];
  }
  if (q == "ga" || q == "final" || q == "release") return 5;
  return 6;
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
  std::vector<Part> pa = split(a);
  std::vector<Part> pb = split(b);
  size_t n = std::max(pa.size(), pb.size());
  for (size_t i = 0; i < n; ++i) {
    // A missing part reads as 0 against a number, and as the release (newer) against a
    // qualifier: 1.0 == 1.0.0, 1.0-rc1 < 1.0.
    if (i >= pa.size() || i >= pb.size()) {
      const Part& present = i >= pa.size() ? pb[i] : pa[i];
      int sign = i >= pa.size() ? -1 : 1;
      if (present.numeric) {
        if (present.number == 0) continue;
        return sign;
      }
      return -sign;
    }
    const Part& x = pa[i];
    const Part& y = pb[i];
    if (x.numeric && y.numeric) {
      if (x.number != y.number) return x.number < y.number ? -1 : 1;
    } else if (x.numeric != y.numeric) {
      return x.numeric ? 1 : -1;
    } else {
      int rx = qualifier_rank(x.text);
      int ry = qualifier_rank(y.text);
      if (rx != ry) return rx < ry ? -1 : 1;
      if (x.text != y.text) return x.text < y.text ? -1 : 1;
    }
  }
  return 0;
}

Result<VersionRequirement> VersionRequirement::parse(std::string_view raw) {
  std::string_view spec = config::trim(raw);
  VersionRequirement req;
  req.spec_ = std::string(spec);
  auto invalid = [&](std::string_view why) {
    return Status::invalid_argument("Invalid version requirement '" + std::string(spec) +
                                    "': " + std::string(why) +
                                    " (expected a version like 1.2.0 or a range like [1.0,2.0))");
  };
  if (spec.empty()) return invalid("empty");
  if (spec.front() != '[' && spec.front() != '(') {
    if (spec.find_first_of("[](),") != std::string_view::npos) return invalid("stray bracket");
    req.exact_ = std::string(spec);
    return req;
  }
  size_t pos = 0;
  while (pos < spec.size()) {
    char open = spec[pos];
    if (open != '[' && open != '(') return invalid("a range must start with [ or (");
    size_t close = spec.find_first_of("])", pos);
    if (close == std::string_view::npos) return invalid("unclosed range");
    std::string_view body = spec.substr(pos + 1, close - pos - 1);
    Range r;
    r.low_inclusive = open == '[';
    r.high_inclusive = spec[close] == ']';
    size_t comma = body.find(',');
    if (comma == std::string_view::npos) {
      std::string_view v = config::trim(body);
      if (v.empty() || !r.low_inclusive || !r.high_inclusive) return invalid("bad single version");
      r.low = r.high = std::string(v);
    } else {
      std::string_view lo = config::trim(body.substr(0, comma));
      std::string_view hi = config::trim(body.substr(comma + 1));
      if (hi.find(',') != std::string_view::npos) return invalid("too many commas in a range");
      if (!lo.empty()) r.low = std::string(lo);
      if (!hi.empty()) r.high = std::string(hi);
      if (r.low && r.high && compare_versions(*r.low, *r.high) > 0) {
        return invalid("lower bound above upper bound");
      }
    }
    req.ranges_.push_back(std::move(r));
    pos = close + 1;
    while (pos < spec.size() && (spec[pos] == ',' || spec[pos] == ' ')) ++pos;
  }
  return req;
}

std::string VersionRequirement::range_text() const {
  if (exact_) return "[" + *exact_ + "," + *exact_ + "]";
  std::string out;
  for (const Range& r : ranges_) {
    if (!out.empty()) out += ",";
    out += r.low_inclusive ? "[" : "(";
    out += r.low.value_or("") + "," + r.high.value_or("");
    out += r.high_inclusive ? "]" : ")";
  }
  return out;
}

Result<std::string> select_version(std::string_view class_name, std::string_view spec,
                                   const std::vector<std::string>& available) {
  std::optional<VersionRequirement> requirement;
  if (!config::trim(spec).empty()) {
    auto parsed = VersionRequirement::parse(spec);
    if (!parsed.ok()) return parsed.status();
    requirement = std::move(parsed).value();
  }
  const std::string* best = nullptr;
  for (const std::string& v : available) {
    if (requirement && !requirement->matches(v)) continue;
    if (best == nullptr || compare_versions(v, *best) > 0) best = &v;
  }
  if (best != nullptr) return *best;
  std::vector<std::string> sorted = available;
  std::stable_sort(sorted.begin(), sorted.end(), [](const std::string& a, const std::string& b) {
    return compare_versions(a, b) < 0;
  });
  std::string list;
  for (const std::string& v : sorted) list += (list.empty() ? "" : ", ") + v;
  return Status::invalid_argument("Plugin " + std::string(class_name) +
                                  " not found that matches the version range " +
                                  (requirement ? requirement->range_text() : std::string()) +
                                  ", available versions: [" + list + "]");
}

bool VersionRequirement::matches(std::string_view version) const {
  if (exact_) return compare_versions(*exact_, version) == 0;
  for (const Range& r : ranges_) {
    if (r.low) {
      int c = compare_versions(version, *r.low);
      if (c < 0 || (c == 0 && !r.low_inclusive)) continue;
    }
    if (r.high) {
      int c = compare_versions(version, *r.high);
      if (c > 0 || (c == 0 && !r.high_inclusive)) continue;
    }
    return true;
  }
  return false;
}

}  // namespace kanal::plugins
