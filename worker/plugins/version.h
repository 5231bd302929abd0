// Plugin versions and version requirements, as Kafka Connect 4.1 reads `connector.plugin.version`
// (KIP-891): a plain version ("1.2.0") or a Maven range ("[1.0,2.0)", "[1.5,)", "(,2.0]",
// "[1.0,1.2],[1.5,)"). Versions compare as Maven's ComparableVersion does for the common cases:
// numeric parts numerically, missing parts as zero ("1.0" == "1.0.0"), and a qualifier
// ("-SNAPSHOT", "-rc1") before the release it qualifies.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kanal::plugins {

// <0, 0, >0 as a is older than, the same as, or newer than b.
int compare_versions(std::string_view a, std::string_view b);

class VersionRequirement {
 public:
  // kInvalidArgument naming `spec` when it is neither a version nor a well-formed range.
  static Result<VersionRequirement> parse(std::string_view spec);

  bool matches(std::string_view version) const;
  const std::string& spec() const { return spec_; }
  // The requirement as Connect prints it (Maven's VersionRange.toString): a plain version "1.2"
  // reads as the range "[1.2,1.2]", ranges keep their brackets ("[1.0,2.0)", "[1.5,)").
  std::string range_text() const;

 private:
  struct Range {
    std::optional<std::string> low;
    bool low_inclusive = false;
    std::optional<std::string> high;
    bool high_inclusive = false;
  };
  std::string spec_;
  std::optional<std::string> exact_;
  std::vector<Range> ranges_;
};

// Parses `spec` (empty: no requirement) and picks from `available` the newest version it allows.
// Errors: kInvalidArgument when `spec` is malformed, or when no version matches, with Connect's
// text (VersionedPluginLoadingException): "Plugin <class_name> not found that matches the version
// range [9.9,9.9], available versions: [1.0.0, 2.0.0]" (available versions oldest first).
Result<std::string> select_version(std::string_view class_name, std::string_view spec,
                                   const std::vector<std::string>& available);

}  // namespace kanal::plugins
