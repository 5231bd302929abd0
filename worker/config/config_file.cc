#include "config/config_file.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kanal::config {
namespace {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\f'; }

// Joins physical lines into logical ones (a line ending in an odd number of backslashes
// continues; leading whitespace of the continuation is dropped).
std::vector<std::string> logical_lines(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  bool continuing = false;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find_first_of("\r\n", pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
    if (nl == std::string_view::npos) {
      pos = text.size() + 1;
    } else {
      pos = nl + 1;
      if (text[nl] == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
    }
    size_t i = 0;
    while (i < line.size() && is_ws(line[i])) ++i;
    line.remove_prefix(i);
    if (!continuing && (line.empty() || line[0] == '#' || line[0] == '!')) continue;
    size_t backslashes = 0;
    for (size_t j = line.size(); j > 0 && line[j - 1] == '\\'; --j) ++backslashes;
    if (backslashes % 2 == 1) {
      cur.append(line.substr(0, line.size() - 1));
      continuing = true;
      continue;
    }
    cur.append(line);
    out.push_back(std::move(cur));
    cur.clear();
    continuing = false;
  }
  if (continuing) out.push_back(std::move(cur));
  return out;
}

std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '\\' || i + 1 >= s.size()) {
      if (c != '\\') out += c;
      continue;
    }
    char n = s[++i];
    switch (n) {
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        if (i + 4 < s.size()) {
          std::string hex(s.substr(i + 1, 4));
          char* end = nullptr;
          unsigned long cp = std::strtoul(hex.c_str(), &end, 16);
          if (hex.size() == 4 && end && *end == '\0') {
            append_utf8(out, static_cast<uint32_t>(cp));
            i += 4;
            break;
          }
        }
        out += 'u';
        break;
      }
      default:
        out += n;
    }
  }
  return out;
}

void flatten_yaml(const YAML::Node& node, const std::string& prefix, ConfigMap& out) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      for (const auto& kv : node) {
        std::string key = kv.first.as<std::string>();
        flatten_yaml(kv.second, prefix.empty() ? key : prefix + "." + key, out);
      }
      break;
    case YAML::NodeType::Sequence: {
      std::string joined;
      for (size_t i = 0; i < node.size(); ++i) {
        if (i) joined += ',';
        joined += node[i].IsScalar() ? node[i].as<std::string>() : YAML::Dump(node[i]);
      }
      out[prefix] = joined;
      break;
    }
    case YAML::NodeType::Scalar:
      out[prefix] = node.as<std::string>();
      break;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out[prefix] = "";
      break;
  }
}

std::string json_scalar(const rapidjson::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsNull()) return "";
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return sb.GetString();
}

void flatten_json(const rapidjson::Value& v, const std::string& prefix, ConfigMap& out) {
  if (v.IsObject()) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string key(it->name.GetString(), it->name.GetStringLength());
      flatten_json(it->value, prefix.empty() ? key : prefix + "." + key, out);
    }
  } else if (v.IsArray()) {
    std::string joined;
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      if (i) joined += ',';
      joined += json_scalar(v[i]);
    }
    out[prefix] = joined;
  } else {
    out[prefix] = json_scalar(v);
  }
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

ConfigMap parse_properties(std::string_view text) {
  ConfigMap out;
  for (const std::string& line : logical_lines(text)) {
    size_t i = 0;
    std::string key_raw;
    while (i < line.size()) {
      char c = line[i];
      if (c == '\\' && i + 1 < line.size()) {
        key_raw += c;
        key_raw += line[i + 1];
        i += 2;
        continue;
      }
      if (c == '=' || c == ':' || is_ws(c)) break;
      key_raw += c;
      ++i;
    }
    while (i < line.size() && is_ws(line[i])) ++i;
    if (i < line.size() && (line[i] == '=' || line[i] == ':')) ++i;
    while (i < line.size() && is_ws(line[i])) ++i;
    out[unescape(key_raw)] = unescape(std::string_view(line).substr(i));
  }
  return out;
}

Result<ConfigMap> parse_yaml(std::string_view text) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    ConfigMap out;
    if (root.IsNull()) return out;
    if (!root.IsMap())
      return Status::invalid_argument("YAML config must be a mapping of keys to values");
    flatten_yaml(root, "", out);
    return out;
  } catch (const YAML::Exception& e) {
    return Status::invalid_argument(std::string("invalid YAML: ") + e.what());
  }
}

Result<ConfigMap> parse_json(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    return Status::invalid_argument(std::string("invalid JSON at offset ") +
                                    std::to_string(doc.GetErrorOffset()) + ": " +
                                    rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) return Status::invalid_argument("JSON config must be an object");
  ConfigMap out;
  // Connect's REST shape {"name": ..., "config": {...}}: the inner map is the config.
  auto cfg = doc.FindMember("config");
  if (cfg != doc.MemberEnd() && cfg->value.IsObject()) {
    flatten_json(cfg->value, "", out);
    auto name = doc.FindMember("name");
    if (name != doc.MemberEnd() && name->value.IsString() && !out.count("name")) {
      out["name"] = name->value.GetString();
    }
    return out;
  }
  flatten_json(doc, "", out);
  return out;
}

Result<ConfigMap> load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::io_error("cannot read config file '" + path + "': " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (ends_with(path, ".yaml") || ends_with(path, ".yml")) {
    auto r = parse_yaml(text);
    if (!r.ok()) return r.status().with_context("config file '" + path + "'");
    return r;
  }
  if (ends_with(path, ".json")) {
    auto r = parse_json(text);
    if (!r.ok()) return r.status().with_context("config file '" + path + "'");
    return r;
  }
  return parse_properties(text);
}

}  // namespace kanal::config
