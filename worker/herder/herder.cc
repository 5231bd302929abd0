#include "herder/herder.h"

namespace kanal::herder {

const char* connector_type_name(ConnectorType type) {
  switch (type) {
    case ConnectorType::kSource:
      return "source";
    case ConnectorType::kSink:
      return "sink";
    case ConnectorType::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::optional<TargetState> parse_target_state(std::string_view text) {
  if (text == "RUNNING" || text == "STARTED") return TargetState::kStarted;
  if (text == "PAUSED") return TargetState::kPaused;
  if (text == "STOPPED") return TargetState::kStopped;
  return std::nullopt;
}

}  // namespace kanal::herder
