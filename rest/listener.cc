#include "rest/listener.h"

#include <charconv>

namespace kanal::rest {

Result<ListenerAddress> parse_listener(std::string_view text) {
  auto fail = [&](std::string_view why) {
    return Status::invalid_argument("Invalid value " + std::string(text) +
                                    " for configuration listeners: " + std::string(why));
  };
  ListenerAddress out;
  size_t sep = text.find("://");
  if (sep == std::string_view::npos) return fail("listener must look like http://host:port");
  out.scheme = std::string(text.substr(0, sep));
  for (char& c : out.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (out.scheme != "http" && out.scheme != "https") {
    return fail("the protocol must be http or https");
  }
  std::string_view rest = text.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  std::string_view port_text;
  if (rest.starts_with("[")) {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return fail("unterminated IPv6 address");
    out.host = std::string(rest.substr(1, close - 1));
    std::string_view after = rest.substr(close + 1);
    if (!after.starts_with(":")) return fail("a port is required, e.g. http://[::1]:8083");
    port_text = after.substr(1);
  } else {
    size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos) return fail("a port is required, e.g. http://:8083");
    out.host = std::string(rest.substr(0, colon));
    port_text = rest.substr(colon + 1);
  }
  int port = -1;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    return fail("the port must be a number from 0 to 65535");
  }
  out.port = port;
  return out;
}

std::string host_port(std::string_view host, int port) {
  std::string h(host);
  if (h.find(':') != std::string::npos) h = "[" + h + "]";
  return h + ":" + std::to_string(port);
}

std::string advertised_url(const config::WorkerConfig& config,
                           const std::vector<ListenerAddress>& bound,
                           std::string_view local_host_name) {
  const config::ParsedConfig& p = config.parsed();
  std::string scheme;
  if (p.has("rest.advertised.listener")) {
    scheme = p.get_string("rest.advertised.listener");
  } else {
    scheme = "https";
    for (const ListenerAddress& l : bound) {
      if (l.scheme == "http") scheme = "http";
    }
  }
  const ListenerAddress* chosen = bound.empty() ? nullptr : &bound.front();
  for (const ListenerAddress& l : bound) {
    if (l.scheme == scheme) {
      chosen = &l;
      break;
    }
  }
  std::string host;
  if (p.has("rest.advertised.host.name")) {
    host = p.get_string("rest.advertised.host.name");
  } else if (chosen != nullptr && !chosen->host.empty() && chosen->host != "0.0.0.0" &&
             chosen->host != "::") {
    host = chosen->host;
  } else {
    host = std::string(local_host_name);
  }
  int port = 0;
  if (p.has("rest.advertised.port")) {
    port = p.get_int("rest.advertised.port");
  } else if (chosen != nullptr) {
    port = chosen->port;
  }
  return scheme + "://" + host_port(host, port) + "/";
}

}  // namespace kanal::rest
