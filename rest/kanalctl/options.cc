#include "rest/kanalctl/options.h"

#include <optional>
#include <string_view>

namespace kanal::ctl {
namespace {

struct CommandSpec {
  const char* name;
  const char* arg_names;  // for messages: "NAME FILE"
  size_t arg_count;
};

constexpr CommandSpec kCommands[] = {
    {"list", "", 0},
    {"describe", "NAME", 1},
    {"apply", "FILE", 1},
    {"delete", "NAME", 1},
    {"pause", "NAME", 1},
    {"resume", "NAME", 1},
    {"stop", "NAME", 1},
    {"restart", "NAME", 1},
    {"offsets get", "NAME", 1},
    {"offsets reset", "NAME", 1},
    {"offsets alter", "NAME FILE", 2},
    {"plugins", "", 0},
    {"validate", "FILE", 1},
};

const CommandSpec* find_command(std::string_view name) {
  for (const CommandSpec& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

Status usage_error(std::string message) {
  return Status::invalid_argument(std::move(message) + " (see kanalctl --help)");
}

std::string trim_trailing_slashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

Result<Options> parse_args(const std::vector<std::string>& args, const char* env_url) {
  Options opts;
  opts.url = (env_url != nullptr && *env_url != '\0') ? env_url : kDefaultUrl;
  std::vector<std::string> positional;
  // Which command-specific flags were given, to reject them on other commands.
  std::vector<std::string> flags_seen;

  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      positional.insert(positional.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      positional.push_back(arg);
      continue;
    }
    std::string key = arg;
    std::optional<std::string> inline_value;
    if (arg.rfind("--", 0) == 0) {
      size_t eq = arg.find('=');
      if (eq != std::string::npos) {
        key = arg.substr(0, eq);
        inline_value = arg.substr(eq + 1);
      }
    } else if (arg.rfind("-o", 0) == 0 && arg.size() > 2) {
      key = "-o";
      inline_value = arg.substr(2);
    }
    auto take_value = [&]() -> std::optional<std::string> {
      if (inline_value) return inline_value;
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    auto no_value = [&]() { return !inline_value.has_value(); };

    if (key == "--help" || key == "-h") {
      opts.help = true;
    } else if (key == "--version") {
      opts.version = true;
    } else if (key == "--url") {
      auto v = take_value();
      if (!v || v->empty())
        return usage_error("--url needs a URL, e.g. --url http://localhost:8083");
      opts.url = *v;
    } else if (key == "--cacert") {
      auto v = take_value();
      if (!v || v->empty()) return usage_error("--cacert needs a PEM file of trusted CAs");
      opts.ca_file = *v;
    } else if (key == "-o" || key == "--output") {
      auto v = take_value();
      if (!v) return usage_error(key + " needs a format: json or table");
      if (*v == "json") {
        opts.output = OutputFormat::kJson;
      } else if (*v == "table") {
        opts.output = OutputFormat::kTable;
      } else {
        return usage_error("unknown output format '" + *v + "': use json or table");
      }
    } else if (key == "--name") {
      auto v = take_value();
      if (!v || v->empty()) return usage_error("--name needs a connector name");
      opts.name = *v;
      flags_seen.push_back(key);
    } else if (key == "--failed" && no_value()) {
      opts.only_failed = true;
      flags_seen.push_back(key);
    } else if (key == "--tasks" && no_value()) {
      opts.include_tasks = true;
      flags_seen.push_back(key);
    } else if (key == "--all" && no_value()) {
      opts.all_plugins = true;
      flags_seen.push_back(key);
    } else {
      return usage_error("unknown option '" + arg + "'");
    }
  }

  if (opts.url.rfind("http://", 0) != 0 && opts.url.rfind("https://", 0) != 0) {
    return usage_error("the worker URL must start with http:// or https://, got '" + opts.url +
                       "'");
  }
  opts.url = trim_trailing_slashes(opts.url);

  if (positional.empty()) {
    if (opts.help || opts.version) return opts;
    return usage_error("no command given");
  }
  std::string command = positional.front();
  positional.erase(positional.begin());
  if (command == "offsets") {
    if (positional.empty())
      return usage_error("'offsets' needs a sub-command: get, reset or alter");
    command += " " + positional.front();
    positional.erase(positional.begin());
  }
  const CommandSpec* spec = find_command(command);
  if (spec == nullptr) return usage_error("unknown command '" + command + "'");
  opts.command = command;
  if (opts.help) return opts;

  if (positional.size() != spec->arg_count) {
    std::string expected =
        spec->arg_count == 0 ? std::string("no arguments") : std::string(spec->arg_names);
    if (positional.size() < spec->arg_count) {
      return usage_error("'" + command + "' needs " + expected);
    }
    return usage_error("'" + command + "' takes " + expected + ", got extra argument '" +
                       positional[spec->arg_count] + "'");
  }
  opts.args = std::move(positional);

  for (const std::string& flag : flags_seen) {
    bool allowed = (flag == "--name" && command == "apply") ||
                   ((flag == "--failed" || flag == "--tasks") && command == "restart") ||
                   (flag == "--all" && command == "plugins");
    if (!allowed) return usage_error("'" + command + "' does not take " + flag);
  }
  return opts;
}

std::string usage() {
  return R"(kanalctl: operate the connectors of a Kafka Connect worker (kanal or Apache Kafka Connect)
over its REST API.

Usage: kanalctl [--url URL] [--cacert FILE] [-o table|json] COMMAND [ARGS]

Commands:
  list                       connectors with type, state and running/total tasks
  describe NAME              config, status (workers, traces), tasks, topics and offsets
  apply FILE [--name NAME]   create or update a connector from a .properties, .json or .yaml file
  delete NAME                delete a connector (its offsets stay stored)
  pause NAME                 pause a connector and its tasks
  resume NAME                resume a paused or stopped connector
  stop NAME                  stop a connector and shut its tasks down
  restart NAME [--tasks] [--failed]
                             restart the connector; --tasks also its tasks, --failed only the
                             failed instances
  offsets get NAME           the connector's stored offsets
  offsets alter NAME FILE    change offsets (connector stopped) from a JSON file {"offsets": [...]}
  offsets reset NAME         forget all of the connector's offsets (connector stopped)
  plugins [--all]            installed connector plugins; --all adds transforms, converters, ...
  validate FILE              check a connector config; prints each error by key

Options:
  --url URL        worker REST URL (default: $KANAL_URL, else http://localhost:8083);
                   http://user:password@host:port sends HTTP basic credentials
  --cacert FILE    https: trust the CA certificates in this PEM file (default: the system's)
  -o, --output F   table (default, for people) or json (the REST answers, pretty-printed)
  -h, --help       this text
  --version        kanalctl's version

Exit codes: 0 success; 1 the worker answered with an error, or validate found errors;
2 usage error (bad arguments, unreadable FILE); 3 the worker cannot be reached.
)";
}

}  // namespace kanal::ctl
