#include "rest/rest_server.h"

#include <cpprest/http_listener.h>
#include <netdb.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "common/log.h"
#include "rest/client/internal_client.h"
#include "rest/client/tls_settings.h"
#include "rest/listener.h"
#include "rest/rest_api.h"
#include "rest/rest_security.h"

namespace kanal::rest {
namespace {

using web::http::experimental::listener::http_listener;
using web::http::experimental::listener::http_listener_config;

constexpr int kPortPickAttempts = 5;
constexpr auto kStopDrainTimeout = std::chrono::minutes(2);

const log::Logger& logger() {
  static const log::Logger* l = new log::Logger("kanal.rest");
  return *l;
}

const log::Logger& access_logger() {
  static const log::Logger* l = new log::Logger("kanal.rest.access");
  return *l;
}

std::string bind_host(const ListenerAddress& a) { return a.host.empty() ? "0.0.0.0" : a.host; }

// Finds a free TCP port on `host` by binding a probe socket to port 0. The port is released
// before the listener binds it, so another process may take it in between; start() retries.
Result<int> pick_free_port(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), "0", &hints, &found); rc != 0) {
    return Status::unavailable("Cannot resolve REST listener host '" + host +
                               "': " + gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owner(found, &freeaddrinfo);
  int fd = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  if (fd < 0) return Status::unavailable("Cannot open a socket to pick a free REST port");
  int port = -1;
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (bind(fd, found->ai_addr, found->ai_addrlen) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = addr.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port)
                                      : ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  }
  close(fd);
  if (port <= 0) return Status::unavailable("Cannot bind a probe socket on '" + host + "'");
  return port;
}

// Request headers by lower-case name, for RestSecurity.
HeaderLookup lookup_headers(const web::http::http_headers& headers) {
  HeaderLookup out;
  for (const auto& [name, value] : headers) {
    std::string k = name;
    for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out[k] = value;
  }
  return out;
}

bool has_https(const std::vector<std::pair<std::string, Exposure>>& wanted) {
  for (const auto& [text, exposure] : wanted) {
    auto a = parse_listener(text);
    if (a.ok() && a->scheme == "https") return true;
  }
  return false;
}

// The listeners start() binds: `listeners` (default http://:8083) then `admin.listeners`.
std::vector<std::pair<std::string, Exposure>> wanted_listeners(const config::WorkerConfig& c) {
  const config::ParsedConfig& p = c.parsed();
  bool admin_set = p.has("admin.listeners");
  std::vector<std::string> admin =
      admin_set ? p.get_list("admin.listeners") : std::vector<std::string>{};
  std::vector<std::pair<std::string, Exposure>> wanted;
  for (const std::string& l : c.listeners()) {
    wanted.emplace_back(l, admin_set ? Exposure::kWithoutAdmin : Exposure::kAll);
  }
  for (const std::string& l : admin) wanted.emplace_back(l, Exposure::kAdminOnly);
  if (wanted.empty()) wanted.emplace_back("http://:8083", Exposure::kAll);
  return wanted;
}

// Loads the https listeners' certificate into a scratch context, so a bad file or password
// is reported at start-up rather than at the first handshake.
Result<client::TlsSettings> server_tls(const config::WorkerConfig& c) {
  auto tls = client::TlsSettings::from(c);
  if (!tls.ok()) return tls.status();
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> probe(SSL_CTX_new(TLS_server_method()),
                                                          &SSL_CTX_free);
  if (!probe) return Status::internal("Cannot create a TLS context");
  if (Status s = client::configure_server(probe.get(), *tls); !s.ok()) return s;
  return tls;
}

std::string local_host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

}  // namespace

struct RestServer::Impl {
  struct Bound {
    ListenerAddress address;  // port as bound
    Exposure exposure = Exposure::kAll;
    std::unique_ptr<http_listener> listener;
  };

  Impl(const config::WorkerConfig& c, herder::Herder& h)
      : config(c),
        max_request_bytes(RestApiOptions::from(c).max_request_bytes),
        api(h, RestApiOptions::from(c)) {}

  void serve(web::http::http_request request, Exposure exposure, const std::string& scheme,
             const std::string& fallback);
  void finish(const web::http::http_request& request, const HttpRequest& r,
              const HttpResponse& response, std::chrono::steady_clock::time_point started);
  Status open(const ListenerAddress& address, Exposure exposure);

  const config::WorkerConfig config;
  const int64_t max_request_bytes;
  RestApi api;
  RestSecurity security;                   // set by start()
  std::optional<client::TlsSettings> tls;  // set by start() when a listener is https
  std::vector<Bound> bound;                // owning thread only (start/stop)
  std::string advertised;
  bool started = false;
  bool stopped = false;

  std::mutex mu;
  std::condition_variable drained;
  int in_flight = 0;  // guarded by mu
};

Status RestServer::Impl::open(const ListenerAddress& address, Exposure exposure) {
  const std::string& scheme = address.scheme;
  std::string host = bind_host(address);
  std::string last_error;
  for (int attempt = 0; attempt < kPortPickAttempts; ++attempt) {
    int port = address.port;
    if (port == 0) {
      auto picked = pick_free_port(host);
      if (!picked.ok()) return picked.status();
      port = picked.value();
    }
    std::string uri = scheme + "://" + host_port(host, port);
    try {
      http_listener_config lc;
      if (scheme == "https") {
        // start() loaded the same settings into a probe context, so this does not fail but for
        // a file changed in between; then handshakes fail and the log says why.
        lc.set_ssl_context_callback([settings = *tls](boost::asio::ssl::context& ctx) {
          if (Status s = client::configure_server(ctx.native_handle(), settings); !s.ok()) {
            logger().error("rest.tls.failed", {{"error", s.message()}});
          }
        });
      }
      auto listener = std::make_unique<http_listener>(uri, lc);
      std::string fallback =
          scheme + "://" + host_port(address.host.empty() ? "localhost" : host, port);
      auto handler = [this, exposure, scheme, fallback](web::http::http_request req) {
        serve(std::move(req), exposure, scheme, fallback);
      };
      listener->support(handler);
      // cpprestsdk answers OPTIONS and TRACE itself unless told otherwise, bypassing
      // authentication and CORS; route them like every other method.
      listener->support(web::http::methods::OPTIONS, handler);
      listener->support(web::http::methods::TRCE, handler);
      listener->open().wait();
      ListenerAddress real = address;
      real.port = port;
      bound.push_back(Bound{real, exposure, std::move(listener)});
      logger().info("rest.listener.started", {{"listener", uri}});
      return Status::OK();
    } catch (const std::exception& e) {
      last_error = e.what();
    }
    if (address.port != 0) break;  // a fixed port that is taken stays taken
  }
  return Status::unavailable("Cannot start REST listener " + scheme + "://" +
                             host_port(address.host, address.port) + ": " + last_error);
}

void RestServer::Impl::serve(web::http::http_request request, Exposure exposure,
                             const std::string& scheme, const std::string& fallback) {
  auto started_at = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu);
    ++in_flight;
  }
  auto r = std::make_shared<HttpRequest>();
  try {
    r->method = request.method();
    r->path = request.request_uri().path();
    r->query = request.request_uri().query();
    const auto& headers = request.headers();
    auto lookup = std::make_shared<const HeaderLookup>(lookup_headers(headers));
    // Before anything else: a CORS preflight is answered here, and a request without valid
    // credentials stops here, so it neither reaches the herder nor learns about body limits.
    if (std::optional<HttpResponse> early = security.screen(r->method, *lookup)) {
      if (early->status == 401) {
        logger().debug("rest.auth.failed", {{"method", r->method}, {"path", r->path}});
      }
      finish(request, *r, *early, started_at);
      return;
    }
    if (auto it = headers.find("Content-Type"); it != headers.end()) r->content_type = it->second;
    if (auto it = headers.find("Host"); it != headers.end() && !it->second.empty()) {
      r->base_url = scheme + "://" + it->second;
    } else {
      r->base_url = fallback;
    }
    // Refuse an announced oversize body before reading it into memory.
    int64_t max_bytes = max_request_bytes;
    if (headers.has("Content-Length") &&
        static_cast<int64_t>(headers.content_length()) > max_bytes) {
      HttpResponse too_big = error_response(
          413, "Request body is " + std::to_string(headers.content_length()) +
                   " bytes, more than rest.request.max.bytes (" + std::to_string(max_bytes) + ")");
      security.decorate(*lookup, too_big);
      finish(request, *r, too_big, started_at);
      return;
    }
    request.extract_utf8string(true).then(
        [this, request, r, lookup, exposure, started_at](pplx::task<std::string> body) {
          HttpResponse response;
          try {
            r->body = body.get();
            // A follower forwards writes to the leader with the caller's credentials, as
            // Connect's RestClient copies the Authorization header.
            auto auth = lookup->find("authorization");
            client::ScopedForwardedAuthorization forwarded(auth == lookup->end() ? std::string()
                                                                                 : auth->second);
            response = api.handle(*r, exposure);
          } catch (const std::exception& e) {
            logger().warn("rest.request.body.failed", {{"path", r->path}, {"error", e.what()}});
            response = error_response(400, "Cannot read the request body");
          }
          security.decorate(*lookup, response);
          finish(request, *r, response, started_at);
        });
  } catch (const std::exception& e) {
    logger().error("rest.request.exception", {{"path", r->path}, {"error", e.what()}});
    finish(request, *r, error_response(500, "Internal server error; the worker log has details"),
           started_at);
  }
}

void RestServer::Impl::finish(const web::http::http_request& request, const HttpRequest& r,
                              const HttpResponse& response,
                              std::chrono::steady_clock::time_point started_at) {
  try {
    web::http::http_response reply(static_cast<web::http::status_code>(response.status));
    for (const auto& [k, v] : response.headers) reply.headers().add(k, v);
    if (!response.body.empty()) {
      reply.set_body(response.body, response.content_type.empty() ? std::string("application/json")
                                                                  : response.content_type);
    }
    // Observe the reply's outcome: an unobserved failed pplx task terminates the process.
    request.reply(reply).then([](pplx::task<void> t) {
      try {
        t.get();
      } catch (const std::exception& e) {
        logger().debug("rest.reply.failed", {{"error", e.what()}});
      }
    });
  } catch (const std::exception& e) {
    logger().warn("rest.reply.failed", {{"path", r.path}, {"error", e.what()}});
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started_at)
                .count();
  std::string target = r.query.empty() ? r.path : r.path + "?" + r.query;
  access_logger().info("rest.access", {{"method", r.method},
                                       {"path", target},
                                       {"status", std::to_string(response.status)},
                                       {"duration_ms", std::to_string(ms)}});
  std::lock_guard lock(mu);
  if (--in_flight == 0) drained.notify_all();
}

Status RestServer::check_config(const config::WorkerConfig& config) {
  auto security = RestSecurity::from(config);
  if (!security.ok()) return security.status();
  std::vector<std::pair<std::string, Exposure>> wanted = wanted_listeners(config);
  for (const auto& [text, exposure] : wanted) {
    auto address = parse_listener(text);
    if (!address.ok()) return address.status();
  }
  if (has_https(wanted)) return server_tls(config).status();
  return Status::OK();
}

RestServer::RestServer(const config::WorkerConfig& config, herder::Herder& herder)
    : impl_(std::make_unique<Impl>(config, herder)) {}

RestServer::~RestServer() { stop(); }

Status RestServer::start() {
  if (impl_->started) return Status::internal("RestServer::start() called twice");
  auto security = RestSecurity::from(impl_->config);
  if (!security.ok()) return security.status();
  impl_->security = std::move(security).value();
  std::vector<std::pair<std::string, Exposure>> wanted = wanted_listeners(impl_->config);
  if (has_https(wanted)) {
    auto tls = server_tls(impl_->config);
    if (!tls.ok()) return tls.status();
    impl_->tls = std::move(tls).value();
  }
  for (const auto& [text, exposure] : wanted) {
    auto address = parse_listener(text);
    Status s = address.ok() ? impl_->open(address.value(), exposure) : address.status();
    if (!s.ok()) {
      stop();
      impl_->bound.clear();
      impl_->stopped = false;
      return s;
    }
  }
  std::vector<ListenerAddress> addresses;
  for (const auto& b : impl_->bound) {
    if (b.exposure != Exposure::kAdminOnly) addresses.push_back(b.address);
  }
  if (addresses.empty()) addresses.push_back(impl_->bound.front().address);
  impl_->advertised = rest::advertised_url(impl_->config, addresses, local_host_name());
  impl_->started = true;
  logger().info("rest.started", {{"advertised_url", impl_->advertised}});
  return Status::OK();
}

void RestServer::stop() {
  if (impl_->stopped || impl_->bound.empty()) return;
  impl_->stopped = true;
  for (auto& b : impl_->bound) {
    try {
      b.listener->close().wait();
    } catch (const std::exception& e) {
      logger().warn("rest.listener.close.failed", {{"error", e.what()}});
    }
  }
  std::unique_lock lock(impl_->mu);
  if (!impl_->drained.wait_for(lock, kStopDrainTimeout, [&] { return impl_->in_flight == 0; })) {
    logger().error("rest.stop.timeout", {{"in_flight", std::to_string(impl_->in_flight)}});
  }
  lock.unlock();
  for (auto& b : impl_->bound) b.listener.reset();
  logger().info("rest.stopped");
}

std::vector<int> RestServer::bound_ports() const {
  std::vector<int> out;
  for (const auto& b : impl_->bound) out.push_back(b.address.port);
  return out;
}

std::string RestServer::advertised_url() const { return impl_->advertised; }

const RestApi& RestServer::api() const { return impl_->api; }

}  // namespace kanal::rest
