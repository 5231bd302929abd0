// Command-line parsing for kanalctl, the operator CLI over Kafka Connect's REST API.
//
//   auto opts = kanal::ctl::parse_args({"--url", "http://w1:8083", "describe", "orders"},
//                                      std::getenv("KANAL_URL"));
//
// Options may appear before or after the command (`kanalctl list -o json` and `kanalctl -o json
// list` are the same); `--opt=value` and `--opt value` are both accepted; `--` ends options.
// Pure functions, no I/O; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace kanal::ctl {

enum class OutputFormat { kTable, kJson };

// One parsed invocation. `command` is empty when only --help or --version was asked for.
struct Options {
  std::string url;      // base URL of the worker, no trailing '/'
  std::string ca_file;  // --cacert: PEM file of the CAs trusted for https (empty: the system's)
  OutputFormat output = OutputFormat::kTable;
  bool help = false;
  bool version = false;
  std::string command;            // "list", "describe", ..., "offsets get" (two words)
  std::vector<std::string> args;  // positional arguments after the command
  std::string name;               // apply/validate: --name
  bool only_failed = false;       // restart: --failed
  bool include_tasks = false;     // restart: --tasks
  bool all_plugins = false;       // plugins: --all
};

// The URL used when neither --url nor $KANAL_URL is given.
inline constexpr const char* kDefaultUrl = "http://localhost:8083";

// Parses argv[1..]. `env_url` is $KANAL_URL (null or empty when unset). Fails with
// kInvalidArgument and a message for the user (an unknown option or command, a missing or
// extra argument, an option given to a command that does not take it).
Result<Options> parse_args(const std::vector<std::string>& args, const char* env_url);

// The --help text: every command and option, and the exit codes.
std::string usage();

}  // namespace kanal::ctl
