// Structured logging: one line per event, `key=value` fields, Connect-style context.
//
//   2026-03-14T09:26:53.589Z WARN runtime [orders-sink|task-1] event=sink.put.retry attempt=3
//
// Loggers are named (`kanal.runtime`, `kanal.rest`, ...). Levels are kept in a process-wide
// registry and can be changed at run time (`/admin/loggers`); setting a level on a name applies
// to that logger and every logger below it (`kanal` covers `kanal.rest`). Thread-safe.
#pragma once

#include <atomic>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace kanal::log {

enum class Level : int { kTrace = 0, kDebug, kInfo, kWarn, kError, kOff };

const char* level_name(Level level);
// Parses TRACE/DEBUG/INFO/WARN/ERROR/OFF (case-insensitive); nullopt for anything else.
std::optional<Level> parse_level(std::string_view text);

using Field = std::pair<std::string_view, std::string>;

class Logger {
 public:
  // `name` is the registry name (e.g. "kanal.runtime"); the component printed is its last part.
  // `context` is printed in brackets when non-empty (e.g. "orders-sink|task-1").
  explicit Logger(std::string_view name, std::string context = "");

  bool enabled(Level level) const {
    return static_cast<int>(level) >= level_->load(std::memory_order_relaxed);
  }
  void log(Level level, std::string_view event, std::initializer_list<Field> fields = {}) const;
  void trace(std::string_view e, std::initializer_list<Field> f = {}) const {
    log(Level::kTrace, e, f);
  }
  void debug(std::string_view e, std::initializer_list<Field> f = {}) const {
    log(Level::kDebug, e, f);
  }
  void info(std::string_view e, std::initializer_list<Field> f = {}) const {
    log(Level::kInfo, e, f);
  }
  void warn(std::string_view e, std::initializer_list<Field> f = {}) const {
    log(Level::kWarn, e, f);
  }
  void error(std::string_view e, std::initializer_list<Field> f = {}) const {
    log(Level::kError, e, f);
  }

  // A logger with the same name and a context, e.g. logger.with_context("orders|task-0").
  Logger with_context(std::string context) const;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::string component_;
  std::string context_;
  std::shared_ptr<std::atomic<int>> level_;
};

// Sets the level of `name` and every logger below it; creates the entry if needed.
void set_level(std::string_view name, Level level);
// Current effective levels of every known logger (name -> level), for /admin/loggers.
std::map<std::string, Level> levels();
// Sets the root level (default INFO; KANAL_LOG_LEVEL in the environment overrides at start).
void set_root_level(Level level);

// Formats one value for a log line: quoted and escaped when it has spaces, quotes or newlines.
std::string format_value(std::string_view value);

}  // namespace kanal::log
