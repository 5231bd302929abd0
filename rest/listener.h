// Listener addresses (`listeners`, `admin.listeners`) and the advertised URL, as Kafka Connect's
// RestServer computes them. Pure functions, no sockets; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/worker_config.h"

namespace kanal::rest {

struct ListenerAddress {
  std::string scheme;  // "http" or "https"
  std::string host;    // empty = all interfaces; IPv6 without brackets ("::1")
  int port = 0;        // 0 = pick a free port when binding
};

// Parses "http://host:port", "http://:8083", "https://[::1]:8443". kInvalidArgument naming the
// listener when the scheme is not http/https or the port is missing or out of range.
Result<ListenerAddress> parse_listener(std::string_view text);

// "host:port" with IPv6 hosts in brackets.
std::string host_port(std::string_view host, int port);

// The URL other workers use to reach this one, with a trailing '/' as Connect prints it
// ("http://10.0.0.5:8083/"). Protocol: `rest.advertised.listener`, else http when an http
// listener exists, else https. Host: `rest.advertised.host.name`, else that listener's host,
// else `local_host_name`. Port: `rest.advertised.port`, else that listener's port. `bound` are
// the listeners as bound (real ports, never 0); at least one. Never fails.
std::string advertised_url(const config::WorkerConfig& config,
                           const std::vector<ListenerAddress>& bound,
                           std::string_view local_host_name);

}  // namespace kanal::rest
