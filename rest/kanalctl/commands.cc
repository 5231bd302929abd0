#include "rest/kanalctl/commands.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "config/config_file.h"
#include "rest/kanalctl/table.h"

namespace kanal::ctl {
namespace {

using rapidjson::Document;
using rapidjson::Value;

// Ends a command with an exit code and a message for stderr.
struct CommandError {
  int exit_code;
  std::string message;
};

std::string pretty(const Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
  w.SetIndent(' ', 2);
  v.Accept(w);
  return buf.GetString();
}

std::string compact(const Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return buf.GetString();
}

// A JSON value as a table cell: strings without quotes, null as "", the rest as compact JSON.
std::string cell(const Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsNull()) return "";
  return compact(v);
}

const Value* member(const Value& v, const char* key) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(key);
  return it == v.MemberEnd() ? nullptr : &it->value;
}

std::string string_member(const Value& v, const char* key, std::string fallback = "") {
  const Value* m = member(v, key);
  return m != nullptr && m->IsString() ? std::string(m->GetString(), m->GetStringLength())
                                       : fallback;
}

std::string http_suffix(int status) { return " (HTTP " + std::to_string(status) + ")"; }

// The message of Connect's error body {"error_code": ..., "message": ...}; for a body of another
// shape (a proxy's HTML page) its first line.
std::string error_message(const Response& r) {
  Document d;
  d.Parse(r.body.c_str(), r.body.size());
  if (!d.HasParseError() && d.IsObject()) {
    const Value* m = member(d, "message");
    if (m != nullptr && m->IsString()) return m->GetString();
    if (m != nullptr && m->IsNull()) return "the worker gave no message";
  }
  std::string first = r.body.substr(0, r.body.find('\n'));
  if (first.size() > 200) first = first.substr(0, 200) + "...";
  if (first.empty()) return "request failed";
  return first;
}

Document parse_body(const Response& r, std::string_view what) {
  Document d;
  d.Parse(r.body.c_str(), r.body.size());
  if (d.HasParseError()) {
    throw CommandError{kExitFailed,
                       "the worker's answer to " + std::string(what) + " is not JSON: " +
                           rapidjson::GetParseError_En(d.GetParseError()) + http_suffix(r.status)};
  }
  return d;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CommandError{kExitUsage, "cannot read " + path + ": no such file or not readable"};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

config::ConfigMap load_config(const std::string& path) {
  Result<config::ConfigMap> loaded = config::load_config_file(path);
  if (!loaded.ok()) throw CommandError{kExitUsage, loaded.status().message()};
  return std::move(loaded).value();
}

std::string json_of(const config::ConfigMap& config) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  for (const auto& [k, v] : config) {
    w.Key(k.c_str(), static_cast<rapidjson::SizeType>(k.size()));
    w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndObject();
  return buf.GetString();
}

class Runner {
 public:
  Runner(const Options& opts, Transport& transport, std::ostream& out)
      : opts_(opts), transport_(transport), out_(out) {}

  int run() {
    const std::string& c = opts_.command;
    if (c == "list") return list();
    if (c == "describe") return describe(opts_.args[0]);
    if (c == "apply") return apply(opts_.args[0]);
    if (c == "delete") return simple("DELETE", "", "deleted");
    if (c == "pause") return simple("PUT", "/pause", "pause requested");
    if (c == "resume") return simple("PUT", "/resume", "resume requested");
    if (c == "stop") return simple("PUT", "/stop", "stopped");
    if (c == "restart") return restart();
    if (c == "offsets get") return offsets_get();
    if (c == "offsets reset") return offsets_change("DELETE", "");
    if (c == "offsets alter") return offsets_change("PATCH", offsets_body(opts_.args[1]));
    if (c == "plugins") return plugins();
    if (c == "validate") return validate(opts_.args[0]);
    throw CommandError{kExitUsage, "unknown command '" + c + "'"};
  }

 private:
  bool json() const { return opts_.output == OutputFormat::kJson; }

  static std::string connector_path(const std::string& name) {
    return "/connectors/" + encode_segment(name);
  }

  // A request that must answer 2xx; anything else ends the command.
  Response call(std::string_view method, const std::string& path, std::string_view body = "") {
    Response r = try_call(method, path, body);
    if (r.status >= 300) throw CommandError{kExitFailed, error_message(r) + http_suffix(r.status)};
    return r;
  }

  // A request whose HTTP error the caller handles; only "no answer" ends the command.
  Response try_call(std::string_view method, const std::string& path, std::string_view body = "") {
    Result<Response> r = transport_.send(method, path, body);
    if (!r.ok()) throw CommandError{kExitUnreachable, r.status().message()};
    return std::move(r).value();
  }

  // Prints a REST answer with -o json (nothing when it has no body).
  void print_json_body(const Response& r, std::string_view what) {
    if (r.body.empty()) return;
    out_ << pretty(parse_body(r, what)) << '\n';
  }

  int list() {
    Response r = call("GET", "/connectors?expand=status&expand=info");
    Document d = parse_body(r, "GET /connectors");
    if (d.IsArray()) d = expand_by_hand(d);  // Connect before 2.3 ignores ?expand
    if (!d.IsObject()) {
      throw CommandError{kExitFailed, "unexpected answer to GET /connectors: " + compact(d)};
    }
    if (json()) {
      out_ << pretty(d) << '\n';
      return kExitOk;
    }
    std::map<std::string, std::vector<std::string>> rows;  // sorted by name
    for (auto& m : d.GetObject()) {
      std::string name(m.name.GetString(), m.name.GetStringLength());
      const Value* status = member(m.value, "status");
      const Value* info = member(m.value, "info");
      std::string type = status ? string_member(*status, "type") : "";
      if (type.empty() && info != nullptr) type = string_member(*info, "type");
      std::string state = "-";
      std::string tasks = "-";
      if (status != nullptr) {
        if (const Value* c = member(*status, "connector")) state = string_member(*c, "state", "-");
        if (const Value* t = member(*status, "tasks"); t != nullptr && t->IsArray()) {
          int running = 0;
          for (const Value& task : t->GetArray())
            running += string_member(task, "state") == "RUNNING";
          tasks = std::to_string(running) + "/" + std::to_string(t->Size());
        }
      }
      std::string klass;
      if (info != nullptr) {
        if (const Value* config = member(*info, "config")) {
          klass = string_member(*config, "connector.class");
        }
      }
      rows[name] = {name, type.empty() ? "-" : type, state, tasks, klass};
    }
    if (rows.empty()) {
      out_ << "No connectors.\n";
      return kExitOk;
    }
    Table t({"NAME", "TYPE", "STATE", "TASKS", "CLASS"});
    for (auto& [name, row] : rows) t.add_row(std::move(row));
    out_ << t.render();
    return kExitOk;
  }

  // The ?expand=status&expand=info shape built from per-connector calls.
  Document expand_by_hand(const Document& names) {
    Document out(rapidjson::kObjectType);
    auto& a = out.GetAllocator();
    for (const Value& n : names.GetArray()) {
      if (!n.IsString()) continue;
      std::string name = n.GetString();
      Value entry(rapidjson::kObjectType);
      Response info = try_call("GET", connector_path(name));
      if (info.status == 200) {
        Document d = parse_body(info, "GET /connectors/{name}");
        entry.AddMember("info", Value(d, a), a);
      }
      Response status = try_call("GET", connector_path(name) + "/status");
      if (status.status == 200) {
        Document d = parse_body(status, "GET /connectors/{name}/status");
        entry.AddMember("status", Value(d, a), a);
      }
      out.AddMember(Value(name.c_str(), a), entry, a);
    }
    return out;
  }

  // One part of `describe`: the document, or why it is missing.
  struct Part {
    std::optional<Document> doc;
    std::string unavailable;  // "<message> (HTTP 400)" when doc is empty
  };

  Part optional_part(const std::string& path, std::string_view what) {
    Response r = try_call("GET", path);
    Part p;
    if (r.status >= 300) {
      p.unavailable = error_message(r) + http_suffix(r.status);
      return p;
    }
    Document d;
    d.Parse(r.body.c_str(), r.body.size());
    if (d.HasParseError()) {
      p.unavailable = "answer to " + std::string(what) + " is not JSON";
      return p;
    }
    p.doc = std::move(d);
    return p;
  }

  int describe(const std::string& name) {
    std::string base = connector_path(name);
    Response info_r = call("GET", base);
    Document info = parse_body(info_r, "GET /connectors/{name}");
    Part status = optional_part(base + "/status", "GET /connectors/{name}/status");
    Part tasks = optional_part(base + "/tasks", "GET /connectors/{name}/tasks");
    Part topics = optional_part(base + "/topics", "GET /connectors/{name}/topics");
    Part offsets = optional_part(base + "/offsets", "GET /connectors/{name}/offsets");

    if (json()) {
      Document out(rapidjson::kObjectType);
      auto& a = out.GetAllocator();
      Value errors(rapidjson::kObjectType);
      out.AddMember("name", Value(name.c_str(), a), a);
      out.AddMember("info", Value(info, a), a);
      for (auto [key, part] : {std::pair{"status", &status}, std::pair{"tasks", &tasks},
                               std::pair{"topics", &topics}, std::pair{"offsets", &offsets}}) {
        if (part->doc) {
          out.AddMember(Value(key, a), Value(*part->doc, a), a);
        } else {
          out.AddMember(Value(key, a), Value(rapidjson::kNullType), a);
          errors.AddMember(Value(key, a), Value(part->unavailable.c_str(), a), a);
        }
      }
      out.AddMember("unavailable", errors, a);
      out_ << pretty(out) << '\n';
      return kExitOk;
    }

    const Value* config = member(info, "config");
    const Value* connector_status = status.doc ? member(*status.doc, "connector") : nullptr;
    Table head({"", ""});
    head.add_row({"Name:", name});
    head.add_row({"Type:", string_member(info, "type", "-")});
    head.add_row({"Class:", config ? string_member(*config, "connector.class", "-") : "-"});
    if (connector_status != nullptr) {
      head.add_row({"State:", string_member(*connector_status, "state", "-")});
      head.add_row({"Worker:", string_member(*connector_status, "worker_id", "-")});
    } else {
      head.add_row({"State:", "not available: " + status.unavailable});
    }
    std::string header_text = head.render();
    out_ << header_text.substr(header_text.find('\n') + 1);  // no header line for key/value pairs
    if (connector_status != nullptr) {
      std::string trace = string_member(*connector_status, "trace");
      if (!trace.empty()) out_ << "Trace:\n" << indent(trace) << '\n';
    }

    out_ << "\nConfig:\n";
    if (config != nullptr && config->IsObject()) {
      Table t({"KEY", "VALUE"});
      std::map<std::string, std::string> sorted;
      for (auto& m : config->GetObject()) sorted[m.name.GetString()] = cell(m.value);
      for (auto& [k, v] : sorted) t.add_row({k, v});
      out_ << t.render(2);
    }

    out_ << "\nTasks:\n";
    std::vector<std::pair<std::string, std::string>> traces;
    const Value* task_states = status.doc ? member(*status.doc, "tasks") : nullptr;
    if (task_states != nullptr && task_states->IsArray() && task_states->Size() > 0) {
      Table t({"ID", "STATE", "WORKER"});
      for (const Value& task : task_states->GetArray()) {
        std::string id = member(task, "id") ? cell(*member(task, "id")) : "-";
        t.add_row({id, string_member(task, "state", "-"), string_member(task, "worker_id", "-")});
        std::string trace = string_member(task, "trace");
        if (!trace.empty()) traces.emplace_back(id, trace);
      }
      out_ << t.render(2);
    } else if (tasks.doc && tasks.doc->IsArray() && tasks.doc->Size() > 0) {
      Table t({"ID", "STATE", "WORKER"});
      for (const Value& task : tasks.doc->GetArray()) {
        const Value* id = member(task, "id");
        t.add_row({id ? cell(member(*id, "task") ? *member(*id, "task") : *id) : "-", "-", "-"});
      }
      out_ << t.render(2);
    } else if (!status.doc) {
      out_ << "  not available: " << status.unavailable << '\n';
    } else {
      out_ << "  none\n";
    }
    for (auto& [id, trace] : traces)
      out_ << "  Task " << id << " trace:\n" << indent(trace, 4) << '\n';

    out_ << "\nTopics:\n";
    if (topics.doc) {
      const Value* entry = member(*topics.doc, name.c_str());
      const Value* list = entry ? member(*entry, "topics") : nullptr;
      if (list != nullptr && list->IsArray() && list->Size() > 0) {
        for (const Value& topic : list->GetArray()) out_ << "  " << cell(topic) << '\n';
      } else {
        out_ << "  none recorded\n";
      }
    } else {
      out_ << "  not available: " << topics.unavailable << '\n';
    }

    out_ << "\nOffsets:\n";
    if (offsets.doc) {
      print_offsets(*offsets.doc, 2);
    } else {
      out_ << "  not available: " << offsets.unavailable << '\n';
    }
    return kExitOk;
  }

  static std::string indent(const std::string& text, size_t n = 2) {
    std::string pad(n, ' ');
    std::string out = pad;
    for (char c : text) {
      out += c;
      if (c == '\n') out += pad;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
    return out;
  }

  void print_offsets(const Value& doc, size_t indent_by) {
    const Value* list = member(doc, "offsets");
    if (list == nullptr || !list->IsArray() || list->Size() == 0) {
      out_ << std::string(indent_by, ' ') << "none stored\n";
      return;
    }
    Table t({"PARTITION", "OFFSET"});
    for (const Value& o : list->GetArray()) {
      const Value* p = member(o, "partition");
      const Value* off = member(o, "offset");
      t.add_row({p ? compact(*p) : "", off ? compact(*off) : ""});
    }
    out_ << t.render(indent_by);
  }

  int apply(const std::string& file) {
    config::ConfigMap config = load_config(file);
    std::string name = opts_.name;
    if (name.empty()) {
      auto it = config.find("name");
      if (it == config.end() || it->second.empty()) {
        throw CommandError{kExitUsage, file +
                                           " has no connector name: add a 'name' key or pass "
                                           "--name NAME"};
      }
      name = it->second;
    }
    config["name"] = name;
    Response r = call("PUT", connector_path(name) + "/config", json_of(config));
    if (json()) {
      print_json_body(r, "PUT /connectors/{name}/config");
    } else {
      out_ << "connector " << name << (r.status == 201 ? " created" : " updated") << '\n';
    }
    return kExitOk;
  }

  int simple(std::string_view method, const std::string& suffix, const std::string& done) {
    const std::string& name = opts_.args[0];
    Response r = call(method, connector_path(name) + suffix);
    if (json()) {
      print_json_body(r, opts_.command);
    } else {
      out_ << "connector " << name << ' ' << done << '\n';
    }
    return kExitOk;
  }

  int restart() {
    const std::string& name = opts_.args[0];
    std::string path = connector_path(name) + "/restart";
    std::vector<std::string> query;
    if (opts_.include_tasks) query.push_back("includeTasks=true");
    if (opts_.only_failed) query.push_back("onlyFailed=true");
    for (size_t i = 0; i < query.size(); ++i) path += (i == 0 ? "?" : "&") + query[i];
    Response r = call("POST", path);
    if (json()) {
      print_json_body(r, "POST /connectors/{name}/restart");
      return kExitOk;
    }
    if (r.body.empty()) {
      out_ << "connector " << name << " restarted\n";
      return kExitOk;
    }
    // 202: the instances selected for restart show RESTARTING, the others their state.
    Document d = parse_body(r, "POST /connectors/{name}/restart");
    out_ << "connector " << name << " restart requested\n";
    Table t({"INSTANCE", "STATE", "WORKER"});
    if (const Value* c = member(d, "connector")) {
      t.add_row(
          {"connector", string_member(*c, "state", "-"), string_member(*c, "worker_id", "-")});
    }
    if (const Value* tasks = member(d, "tasks"); tasks != nullptr && tasks->IsArray()) {
      for (const Value& task : tasks->GetArray()) {
        std::string id = member(task, "id") ? cell(*member(task, "id")) : "?";
        t.add_row({"task " + id, string_member(task, "state", "-"),
                   string_member(task, "worker_id", "-")});
      }
    }
    out_ << t.render(2);
    return kExitOk;
  }

  int offsets_get() {
    Response r = call("GET", connector_path(opts_.args[0]) + "/offsets");
    Document d = parse_body(r, "GET /connectors/{name}/offsets");
    if (json()) {
      out_ << pretty(d) << '\n';
    } else {
      print_offsets(d, 0);
    }
    return kExitOk;
  }

  // The PATCH body from FILE: Connect's {"offsets": [...]}, or the bare list.
  static std::string offsets_body(const std::string& file) {
    std::string text = read_text_file(file);
    Document d;
    d.Parse(text.c_str(), text.size());
    if (d.HasParseError()) {
      throw CommandError{kExitUsage,
                         file + " is not JSON: " + rapidjson::GetParseError_En(d.GetParseError()) +
                             " at byte " + std::to_string(d.GetErrorOffset())};
    }
    if (d.IsArray()) {
      Document wrapped(rapidjson::kObjectType);
      wrapped.AddMember("offsets", Value(d, wrapped.GetAllocator()), wrapped.GetAllocator());
      return compact(wrapped);
    }
    if (!d.IsObject() || member(d, "offsets") == nullptr) {
      throw CommandError{kExitUsage, file +
                                         " must hold {\"offsets\": [{\"partition\": {...}, "
                                         "\"offset\": {...}}, ...]}"};
    }
    return text;
  }

  int offsets_change(std::string_view method, const std::string& body) {
    Response r = call(method, connector_path(opts_.args[0]) + "/offsets", body);
    if (json()) {
      print_json_body(r, opts_.command);
    } else {
      Document d;
      d.Parse(r.body.c_str(), r.body.size());
      std::string message = d.HasParseError() ? "" : string_member(d, "message");
      out_ << (message.empty() ? "offsets of connector " + opts_.args[0] + " changed" : message)
           << '\n';
    }
    return kExitOk;
  }

  int plugins() {
    Response r = call("GET", opts_.all_plugins ? "/connector-plugins?connectorsOnly=false"
                                               : "/connector-plugins");
    Document d = parse_body(r, "GET /connector-plugins");
    if (json()) {
      out_ << pretty(d) << '\n';
      return kExitOk;
    }
    Table t({"CLASS", "TYPE", "VERSION"});
    if (d.IsArray()) {
      for (const Value& p : d.GetArray()) {
        t.add_row(
            {string_member(p, "class"), string_member(p, "type"), string_member(p, "version")});
      }
    }
    out_ << t.render();
    return kExitOk;
  }

  int validate(const std::string& file) {
    config::ConfigMap config = load_config(file);
    auto klass = config.find("connector.class");
    if (klass == config.end() || klass->second.empty()) {
      throw CommandError{kExitUsage,
                         file + " has no 'connector.class': nothing to validate against"};
    }
    Response r =
        call("PUT", "/connector-plugins/" + encode_segment(klass->second) + "/config/validate",
             json_of(config));
    Document d = parse_body(r, "PUT /connector-plugins/{class}/config/validate");
    const Value* count = member(d, "error_count");
    int errors = count != nullptr && count->IsInt() ? count->GetInt() : 0;
    if (json()) {
      out_ << pretty(d) << '\n';
      return errors > 0 ? kExitFailed : kExitOk;
    }
    if (errors == 0) {
      out_ << file << ": valid for " << klass->second << '\n';
      return kExitOk;
    }
    Table t({"KEY", "ERROR"});
    if (const Value* configs = member(d, "configs"); configs != nullptr && configs->IsArray()) {
      for (const Value& entry : configs->GetArray()) {
        const Value* value = member(entry, "value");
        const Value* errs = value ? member(*value, "errors") : nullptr;
        if (errs == nullptr || !errs->IsArray()) continue;
        for (const Value& e : errs->GetArray()) t.add_row({string_member(*value, "name"), cell(e)});
      }
    }
    out_ << file << ": " << errors << " error(s) for " << klass->second << '\n' << t.render();
    return kExitFailed;
  }

  const Options& opts_;
  Transport& transport_;
  std::ostream& out_;
};

}  // namespace

int run_command(const Options& opts, Transport& transport, std::ostream& out, std::ostream& err) {
  try {
    return Runner(opts, transport, out).run();
  } catch (const CommandError& e) {
    out.flush();
    err << "kanalctl: " << e.message << '\n';
    return e.exit_code;
  }
}

}  // namespace kanal::ctl
