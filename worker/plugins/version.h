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

}  // namespace kanal::plugins
