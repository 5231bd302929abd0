// kanalctl's commands: each turns parsed Options into REST calls on a Transport and prints the
// outcome, a table for people or the REST JSON (pretty) with `-o json`.
//
//   auto transport = kanal::ctl::make_http_transport(opts.url);
//   int code = kanal::ctl::run_command(opts, **transport, std::cout, std::cerr);
//
// Results go to `out`; errors go to `err` as one line "kanalctl: <message>", for a REST error
// "kanalctl: <message from Connect's error body> (HTTP <status>)". Only documented Kafka
// Connect endpoints are used, so any Connect worker answers. Blocking; not thread-safe.
#pragma once

#include <ostream>

#include "rest/kanalctl/options.h"
#include "rest/kanalctl/rest_client.h"

namespace kanal::ctl {

// Exit codes, documented in docs/kanalctl.md and --help.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;       // the worker answered with an error; validate errors
inline constexpr int kExitUsage = 2;        // bad arguments, unreadable or unparsable FILE
inline constexpr int kExitUnreachable = 3;  // no answer from the worker

// Runs `opts.command` (not --help/--version: the caller handles those). Returns an exit code.
int run_command(const Options& opts, Transport& transport, std::ostream& out, std::ostream& err);

}  // namespace kanal::ctl
