#include "config/config_provider.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <system_error>

#include "common/log.h"
#include "config/config_file.h"

namespace kanal::config {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kProviderPackage = "org.apache.kafka.common.config.provider.";

// The canonical form of `p`: symlinks and `..` resolved for the part that exists, the rest
// normalised lexically (std::filesystem::weakly_canonical).
Result<fs::path> canonical_of(const std::string& p) {
  std::error_code ec;
  fs::path out = fs::weakly_canonical(fs::absolute(fs::path(p), ec), ec);
  if (ec) return Status::invalid_argument("cannot resolve path '" + p + "': " + ec.message());
  return out;
}

bool is_at_or_below(const fs::path& p, const fs::path& root) {
  auto pi = p.begin();
  for (auto ri = root.begin(); ri != root.end(); ++ri, ++pi) {
    if (ri->empty()) continue;  // a trailing separator in `root`
    if (pi == p.end() || *pi != *ri) return false;
  }
  return true;
}

Result<std::string> read_file(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) {
    return Status::not_found("file '" + p.string() + "' does not exist or is not a regular file");
  }
  std::ifstream in(p, std::ios::binary);
  if (!in) return Status::io_error("cannot read file '" + p.string() + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// FileConfigProvider: `${file:<properties file>:<key>}`.
class FileProvider : public ConfigProvider {
 public:
  explicit FileProvider(AllowedPaths allowed) : allowed_(std::move(allowed)) {}
  Result<std::string> get(const std::string& path, const std::string& key) const override {
    if (path.empty()) {
      return Status::invalid_argument("FileConfigProvider needs a path: ${file:<file>:<key>}");
    }
    auto p = allowed_.check(path);
    if (!p.ok()) return p.status();
    auto text = read_file(*p);
    if (!text.ok()) return text.status();
    ConfigMap props = parse_properties(*text);
    auto it = props.find(key);
    if (it == props.end()) {
      return Status::not_found("key '" + key + "' is not in properties file '" + path + "'");
    }
    return it->second;
  }

 private:
  AllowedPaths allowed_;
};

// DirectoryConfigProvider: `${dir:<directory>:<file name>}` is the content of that file.
class DirectoryProvider : public ConfigProvider {
 public:
  explicit DirectoryProvider(AllowedPaths allowed) : allowed_(std::move(allowed)) {}
  Result<std::string> get(const std::string& path, const std::string& key) const override {
    if (path.empty()) {
      return Status::invalid_argument(
          "DirectoryConfigProvider needs a directory: ${dir:<directory>:<file>}");
    }
    // Connect reads only the regular files directly inside the directory.
    if (key.empty() || key.find('/') != std::string::npos || key == "." || key == "..") {
      return Status::invalid_argument("'" + key + "' is not a file name inside directory '" + path +
                                      "'");
    }
    auto dir = allowed_.check(path);
    if (!dir.ok()) return dir.status();
    auto file = allowed_.check((fs::path(*dir) / key).string());
    if (!file.ok()) return file.status();
    return read_file(*file);
  }

 private:
  AllowedPaths allowed_;
};

// EnvVarConfigProvider (KIP-887): `${env:<VARIABLE>}`.
class EnvProvider : public ConfigProvider {
 public:
  explicit EnvProvider(std::optional<std::regex> allow, std::string pattern)
      : allow_(std::move(allow)), pattern_(std::move(pattern)) {}
  Result<std::string> get(const std::string& path, const std::string& key) const override {
    if (!path.empty()) {
      return Status::invalid_argument("EnvVarConfigProvider takes no path, got '" + path + "'");
    }
    if (allow_ && !std::regex_match(key, *allow_)) {
      return Status::invalid_argument("environment variable '" + key +
                                      "' does not match allowlist.pattern '" + pattern_ + "'");
    }
    const char* v = std::getenv(key.c_str());
    if (v == nullptr) return Status::not_found("environment variable '" + key + "' is not set");
    return std::string(v);
  }

 private:
  std::optional<std::regex> allow_;
  std::string pattern_;
};

}  // namespace

std::vector<ConfigReference> find_references(std::string_view value) {
  std::vector<ConfigReference> out;
  size_t pos = 0;
  while ((pos = value.find("${", pos)) != std::string_view::npos) {
    size_t close = value.find('}', pos + 2);
    if (close == std::string_view::npos) break;
    std::string_view inner = value.substr(pos + 2, close - pos - 2);
    size_t colon = inner.find(':');
    if (colon == std::string_view::npos) {
      pos += 2;
      continue;
    }
    ConfigReference r;
    r.text = std::string(value.substr(pos, close - pos + 1));
    r.provider = std::string(inner.substr(0, colon));
    std::string_view rest = inner.substr(colon + 1);
    size_t second = rest.find(':');
    if (second == std::string_view::npos) {
      r.key = std::string(rest);
    } else {
      r.path = std::string(rest.substr(0, second));
      r.key = std::string(rest.substr(second + 1));
    }
    out.push_back(std::move(r));
    pos = close + 1;
  }
  return out;
}

bool has_reference(std::string_view value) { return !find_references(value).empty(); }

Result<AllowedPaths> AllowedPaths::parse(std::string_view list) {
  AllowedPaths out;
  for (const std::string& p : split_list(list)) {
    if (!fs::path(p).is_absolute()) {
      return Status::invalid_argument("allowed.paths entry '" + p + "' must be an absolute path");
    }
    auto c = canonical_of(p);
    if (!c.ok()) return c.status();
    out.roots_.push_back(c->string());
  }
  return out;
}

Result<std::string> AllowedPaths::check(const std::string& path) const {
  auto c = canonical_of(path);
  if (!c.ok()) return c.status();
  if (roots_.empty()) return c->string();
  for (const std::string& root : roots_) {
    if (is_at_or_below(*c, fs::path(root))) return c->string();
  }
  std::string list;
  for (const std::string& r : roots_) list += (list.empty() ? "" : ",") + r;
  return Status::invalid_argument("path '" + path + "' (resolved to '" + c->string() +
                                  "') is not below allowed.paths [" + list + "]");
}

Result<std::unique_ptr<ConfigProvider>> make_config_provider(std::string_view class_name,
                                                             const ConfigMap& params) {
  std::string_view simple = class_name;
  if (simple.starts_with(kProviderPackage)) simple.remove_prefix(kProviderPackage.size());
  if (simple == "FileConfigProvider" || simple == "DirectoryConfigProvider") {
    auto allowed = AllowedPaths::parse(get_or(params, "allowed.paths"));
    if (!allowed.ok()) return allowed.status();
    if (simple == "FileConfigProvider") {
      return std::unique_ptr<ConfigProvider>(new FileProvider(std::move(allowed).value()));
    }
    return std::unique_ptr<ConfigProvider>(new DirectoryProvider(std::move(allowed).value()));
  }
  if (simple == "EnvVarConfigProvider") {
    auto it = params.find("allowlist.pattern");
    std::optional<std::regex> allow;
    std::string pattern = it == params.end() ? "" : it->second;
    if (it != params.end()) {
      try {
        allow.emplace(pattern, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        return Status::invalid_argument("allowlist.pattern '" + pattern +
                                        "' is not a valid regular expression: " + e.what());
      }
    }
    return std::unique_ptr<ConfigProvider>(new EnvProvider(std::move(allow), pattern));
  }
  return Status::invalid_argument(
      "Unknown config provider class " + std::string(class_name) +
      "; kanal has FileConfigProvider, DirectoryConfigProvider and EnvVarConfigProvider");
}

Result<ConfigProviders> ConfigProviders::create(const ConfigMap& props) {
  ConfigProviders out;
  for (const std::string& alias : split_list(get_or(props, "config.providers"))) {
    std::string prefix = "config.providers." + alias + ".";
    std::string cls(trim(get_or(props, prefix + "class")));
    if (cls.empty()) {
      return Status::invalid_argument("Config provider '" + alias + "' is listed in " +
                                      "config.providers but " + prefix + "class is not set");
    }
    ConfigMap params;
    std::string param_prefix = prefix + "param.";
    for (auto it = props.lower_bound(param_prefix);
         it != props.end() && it->first.starts_with(param_prefix); ++it) {
      params[it->first.substr(param_prefix.size())] = it->second;
    }
    auto p = make_config_provider(cls, params);
    if (!p.ok()) return p.status().with_context("Config provider '" + alias + "'");
    out.providers_[alias] = std::shared_ptr<const ConfigProvider>(std::move(p).value());
  }
  return out;
}

Result<ConfigMap> ConfigProviders::resolve(const ConfigMap& config) const {
  if (providers_.empty()) return config;
  ConfigMap out = config;
  for (auto& [key, value] : out) {
    auto refs = find_references(value);
    if (refs.empty()) continue;
    std::string resolved;
    size_t from = 0;
    for (const ConfigReference& r : refs) {
      size_t at = value.find(r.text, from);
      resolved.append(value, from, at - from);
      from = at + r.text.size();
      auto provider = providers_.find(r.provider);
      if (provider == providers_.end()) {
        resolved += r.text;  // Connect leaves references to unknown providers as they are
        continue;
      }
      auto v = provider->second->get(r.path, r.key);
      if (!v.ok()) {
        return Status::invalid_argument("Could not resolve " + r.text + " in '" + key +
                                        "' with config provider '" + r.provider +
                                        "': " + v.status().message());
      }
      log::add_secret(*v, r.text);
      resolved += *v;
    }
    resolved.append(value, from, std::string::npos);
    value = std::move(resolved);
  }
  return out;
}

void restore_references(std::vector<ConfigMap>& task_configs, const ConfigMap& raw,
                        const ConfigMap& resolved) {
  std::map<std::string, std::string> by_value;  // resolved value -> raw text
  for (const auto& [k, v] : raw) {
    if (!has_reference(v)) continue;
    auto it = resolved.find(k);
    if (it != resolved.end() && it->second != v && !it->second.empty()) {
      by_value.emplace(it->second, v);
    }
  }
  for (ConfigMap& tc : task_configs) {
    for (auto& [k, v] : tc) {
      auto r = raw.find(k);
      if (r != raw.end() && has_reference(r->second)) {
        v = r->second;
        continue;
      }
      auto b = by_value.find(v);
      if (b != by_value.end()) v = b->second;
    }
  }
}

}  // namespace kanal::config
