#include "common/log.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <string>
#include <vector>

namespace kanal::log {
namespace {

struct Registry {
  std::mutex mu;
  // guarded by mu
  std::map<std::string, std::shared_ptr<std::atomic<int>>, std::less<>> slots;
  // guarded by mu: levels set explicitly, applied to loggers created later.
  std::map<std::string, Level, std::less<>> explicit_levels;
  std::mutex out_mu;  // serializes writes to stderr so lines never interleave
  std::atomic<int> format{static_cast<int>(Format::kText)};
  std::mutex meta_mu;
  std::string worker_id;                       // guarded by meta_mu
  std::map<std::string, std::string> secrets;  // guarded by meta_mu: value -> shown instead

  Registry() {
    Level root = Level::kInfo;
    if (const char* env = std::getenv("KANAL_LOG_LEVEL")) {
      if (auto l = parse_level(env)) root = *l;
    }
    explicit_levels["root"] = root;
    if (const char* env = std::getenv("KANAL_LOG_FORMAT")) {
      if (auto f = parse_format(env)) format = static_cast<int>(*f);
    }
  }

  // Most specific explicitly set level for `name`. Caller holds mu.
  Level effective(std::string_view name) const {
    std::string_view n = name;
    while (true) {
      auto it = explicit_levels.find(n);
      if (it != explicit_levels.end()) return it->second;
      auto dot = n.rfind('.');
      if (dot == std::string_view::npos) break;
      n = n.substr(0, dot);
    }
    return explicit_levels.find(std::string_view("root"))->second;
  }
};

Registry& registry() {
  static Registry* r = new Registry();  // never destroyed: loggers may log during exit
  return *r;
}

bool is_below(std::string_view name, std::string_view parent) {
  if (parent == "root") return true;
  return name == parent ||
         (name.size() > parent.size() && name.starts_with(parent) && name[parent.size()] == '.');
}

std::string timestamp() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

// Replaces every registered secret in `text`. Caller holds meta_mu.
std::string redact_locked(const Registry& r, std::string_view text) {
  std::string out(text);
  if (r.secrets.empty()) return out;
  // Longer secrets first, so a secret containing a shorter one is replaced whole.
  std::vector<const std::pair<const std::string, std::string>*> order;
  for (const auto& e : r.secrets) order.push_back(&e);
  std::sort(order.begin(), order.end(),
            [](auto* a, auto* b) { return a->first.size() > b->first.size(); });
  for (const auto* e : order) {
    size_t pos = 0;
    while ((pos = out.find(e->first, pos)) != std::string::npos) {
      out.replace(pos, e->first.size(), e->second);
      pos += e->second.size();
    }
  }
  return out;
}

}  // namespace

std::optional<Format> parse_format(std::string_view text) {
  std::string low(text);
  std::transform(low.begin(), low.end(), low.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (low == "text") return Format::kText;
  if (low == "json") return Format::kJson;
  return std::nullopt;
}

void set_format(Format f) { registry().format.store(static_cast<int>(f)); }

Format format() { return static_cast<Format>(registry().format.load()); }

void set_worker_id(std::string id) {
  Registry& r = registry();
  std::lock_guard lock(r.meta_mu);
  r.worker_id = std::move(id);
}

void add_secret(const std::string& value, const std::string& shown) {
  if (value.size() < 4) return;
  Registry& r = registry();
  std::lock_guard lock(r.meta_mu);
  r.secrets.emplace(value, shown);
}

std::string redact(std::string_view text) {
  Registry& r = registry();
  std::lock_guard lock(r.meta_mu);
  return redact_locked(r, text);
}

const char* level_name(Level level) {
  switch (level) {
    case Level::kTrace:
      return "TRACE";
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO";
    case Level::kWarn:
      return "WARN";
    case Level::kError:
      return "ERROR";
    case Level::kOff:
      return "OFF";
  }
  return "INFO";
}

std::optional<Level> parse_level(std::string_view text) {
  std::string up(text);
  std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return std::toupper(c); });
  if (up == "TRACE") return Level::kTrace;
  if (up == "DEBUG") return Level::kDebug;
  if (up == "INFO") return Level::kInfo;
  if (up == "WARN" || up == "WARNING") return Level::kWarn;
  if (up == "ERROR" || up == "FATAL") return Level::kError;
  if (up == "OFF") return Level::kOff;
  return std::nullopt;
}

std::string format_value(std::string_view v) {
  bool quote = v.empty() || v.find_first_of(" \"=\n\r\t") != std::string_view::npos;
  if (!quote) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  out += '"';
  return out;
}

Logger::Logger(std::string_view name, std::string context)
    : name_(name), context_(std::move(context)) {
  auto dot = name_.rfind('.');
  component_ = dot == std::string::npos ? name_ : name_.substr(dot + 1);
  Registry& r = registry();
  std::lock_guard lock(r.mu);
  auto it = r.slots.find(name_);
  if (it == r.slots.end()) {
    auto slot = std::make_shared<std::atomic<int>>(static_cast<int>(r.effective(name_)));
    it = r.slots.emplace(name_, std::move(slot)).first;
  }
  level_ = it->second;
}

Logger Logger::with_context(std::string context) const {
  Logger l = *this;
  l.context_ = std::move(context);
  l.connector_.clear();
  l.task_.clear();
  return l;
}

Logger Logger::for_connector(std::string connector) const {
  Logger l = with_context(connector);
  l.connector_ = std::move(connector);
  return l;
}

Logger Logger::for_task(std::string connector, int32_t task) const {
  Logger l = with_context(connector + "|task-" + std::to_string(task));
  l.connector_ = std::move(connector);
  l.task_ = std::to_string(task);
  return l;
}

void Logger::log(Level level, std::string_view event, std::initializer_list<Field> fields) const {
  if (!enabled(level)) return;
  Registry& r = registry();
  std::string worker;
  std::string context;
  std::string connector;
  std::vector<std::pair<std::string_view, std::string>> values;
  {
    std::lock_guard lock(r.meta_mu);
    worker = r.worker_id;
    context = redact_locked(r, context_);
    connector = redact_locked(r, connector_);
    values.reserve(fields.size());
    for (const auto& [k, v] : fields) values.emplace_back(k, redact_locked(r, v));
  }
  std::string line;
  if (static_cast<Format>(r.format.load(std::memory_order_relaxed)) == Format::kJson) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
    json.StartObject();
    std::vector<std::string> used;
    auto member = [&](std::string_view k, std::string_view v) {
      if (std::find(used.begin(), used.end(), k) != used.end()) return false;
      used.emplace_back(k);
      json.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
      json.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
      return true;
    };
    member("time", timestamp());
    member("level", level_name(level));
    member("logger", name_);
    if (!connector_.empty()) {
      member("connector", connector);
      if (!task_.empty()) member("task", task_);
    } else if (!context.empty()) {
      member("context", context);
    }
    if (!worker.empty()) member("worker", worker);
    member("event", event);
    for (const auto& [k, v] : values) {
      if (!member(k, v)) member("field." + std::string(k), v);
    }
    json.EndObject();
    line.assign(buffer.GetString(), buffer.GetSize());
    line += '\n';
  } else {
    line = timestamp();
    line += ' ';
    line += level_name(level);
    line += ' ';
    line += component_;
    if (!context.empty()) {
      line += " [";
      line += context;
      line += ']';
    }
    line += " event=";
    line += event;
    for (const auto& [k, v] : values) {
      line += ' ';
      line += k;
      line += '=';
      line += format_value(v);
    }
    if (!worker.empty()) {
      line += " worker=";
      line += format_value(worker);
    }
    line += '\n';
  }
  std::lock_guard lock(r.out_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

void set_level(std::string_view name, Level level) {
  Registry& r = registry();
  std::lock_guard lock(r.mu);
  std::string key(name.empty() ? "root" : name);
  // A more general setting replaces the more specific ones below it, as log4j's does.
  for (auto it = r.explicit_levels.begin(); it != r.explicit_levels.end();) {
    if (it->first != "root" && it->first != key && is_below(it->first, key)) {
      it = r.explicit_levels.erase(it);
    } else {
      ++it;
    }
  }
  r.explicit_levels[key] = level;
  for (auto& [n, slot] : r.slots) {
    if (is_below(n, key)) slot->store(static_cast<int>(r.effective(n)), std::memory_order_relaxed);
  }
}

void set_root_level(Level level) { set_level("root", level); }

std::map<std::string, Level> levels() {
  Registry& r = registry();
  std::lock_guard lock(r.mu);
  std::map<std::string, Level> out;
  for (const auto& [n, slot] : r.slots) out[n] = static_cast<Level>(slot->load());
  for (const auto& [n, l] : r.explicit_levels) out[n] = l;
  return out;
}

}  // namespace kanal::log
