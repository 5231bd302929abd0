// Structured logging: one line per event, `key=value` fields, Connect-style context.
//
//   2026-03-14T09:26:53.589Z WARN runtime [orders-sink|task-1] event=sink.put.retry attempt=3
//
// Loggers are named (`kanal.runtime`, `kanal.rest`, ...). Levels are kept in a process-wide
// registry and can be changed at run time (`/admin/loggers`); setting a level on a name applies
// to that logger and every logger below it (`kanal` covers `kanal.rest`). Thread-safe.
//
// Output goes to stderr, as text (above) or as JSON lines (set_format, or KANAL_LOG_FORMAT=json
// in the environment for what is logged before the worker config is read), one object a line:
//
//   {"time":"2026-03-14T09:26:53.589Z","level":"WARN","logger":"kanal.runtime",
//    "connector":"orders-sink","task":"1","worker":"10.0.0.5:8083","event":"sink.put.retry",
//    "attempt":"3"}
//
// Once set_worker_id() was called every line carries the worker id (`worker=` last in text).
// Values registered with add_secret() (config provider results) are replaced in every line by
// the reference they came from, so a secret never reaches the log.
#pragma once

#include <atomic>
#include <cstdint>
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

  // A logger with the same name and a context, e.g. logger.with_context("orders-topic").
  Logger with_context(std::string context) const;
  // A logger bound to a connector ([orders]) or one of its tasks ([orders|task-0]); JSON lines
  // carry them as the `connector` and `task` fields.
  Logger for_connector(std::string connector) const;
  Logger for_task(std::string connector, int32_t task) const;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::string component_;
  std::string context_;
  std::string connector_;
  std::string task_;
  std::shared_ptr<std::atomic<int>> level_;
};

// Sets the level of `name` and every logger below it; creates the entry if needed.
void set_level(std::string_view name, Level level);
// Current effective levels of every known logger (name -> level), for /admin/loggers.
std::map<std::string, Level> levels();
// Sets the root level (default INFO; KANAL_LOG_LEVEL in the environment overrides at start).
void set_root_level(Level level);

enum class Format { kText, kJson };
// Parses "text" / "json" (case-insensitive); nullopt for anything else.
std::optional<Format> parse_format(std::string_view text);
// Output format of every logger from now on (default text; KANAL_LOG_FORMAT at start).
void set_format(Format format);
Format format();
// This worker's id (advertised host:port), printed on every line from now on.
void set_worker_id(std::string id);

// Registers a value that must never be printed: from now on every log line shows `shown` in
// its place. Values shorter than 4 characters are not registered (they would mask unrelated
// text such as numbers); empty values are ignored.
void add_secret(const std::string& value, const std::string& shown);
// `text` with every registered secret replaced (for status traces and error messages too).
std::string redact(std::string_view text);

// Formats one value for a log line: quoted and escaped when it has spaces, quotes or newlines.
std::string format_value(std::string_view value);

}  // namespace kanal::log
