#include "rest/client/internal_client.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

#include "rest/client/tls_settings.h"

namespace kanal::rest::client {
namespace {

thread_local std::string forwarded_authorization;

struct SslCtxDeleter {
  void operator()(SSL_CTX* c) const noexcept { SSL_CTX_free(c); }
};
struct SslDeleter {
  void operator()(SSL* s) const noexcept { SSL_free(s); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;
using SslPtr = std::unique_ptr<SSL, SslDeleter>;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string tls_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "connection closed during the TLS handshake";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

// Decodes a chunked body; nullopt while incomplete.
std::optional<std::string> dechunk(std::string_view in) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t eol = in.find("\r\n", pos);
    if (eol == std::string_view::npos) return std::nullopt;
    size_t len = std::strtoul(std::string(in.substr(pos, eol - pos)).c_str(), nullptr, 16);
    pos = eol + 2;
    if (len == 0) return out;
    if (in.size() < pos + len + 2) return std::nullopt;
    out.append(in.substr(pos, len));
    pos += len + 2;
  }
}

// One connected socket, with TLS on top for https. Owns both.
class Connection {
 public:
  explicit Connection(int fd) : fd_(fd) {}
  ~Connection() {
    ssl_.reset();
    close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Handshake as a client of `host`; an error names the reason (untrusted certificate, ...).
  Status start_tls(const TlsSettings& tls, const std::string& host) {
    ctx_.reset(SSL_CTX_new(TLS_client_method()));
    if (!ctx_) return Status::internal("Cannot create a TLS context: " + tls_error());
    if (Status s = configure_client(ctx_.get(), tls); !s.ok()) return s;
    ssl_.reset(SSL_new(ctx_.get()));
    if (!ssl_ || SSL_set_fd(ssl_.get(), fd_) != 1) {
      return Status::internal("Cannot create a TLS connection: " + tls_error());
    }
    in6_addr ip{};
    bool is_ip =
        inet_pton(AF_INET, host.c_str(), &ip) == 1 || inet_pton(AF_INET6, host.c_str(), &ip) == 1;
    if (!is_ip) SSL_set_tlsext_host_name(ssl_.get(), host.c_str());
    if (tls.verify_host_name) {
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl_.get());
      int ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                     : X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
      if (ok != 1) return Status::internal("Cannot check the host name " + host);
    }
    if (SSL_connect(ssl_.get()) != 1) {
      long verify = SSL_get_verify_result(ssl_.get());
      if (verify != X509_V_OK) {
        ERR_clear_error();
        return Status::unavailable(std::string("TLS handshake failed: ") +
                                   X509_verify_cert_error_string(verify));
      }
      return Status::unavailable("TLS handshake failed: " + tls_error());
    }
    return Status::OK();
  }

  ssize_t send(const char* data, size_t size) {
    if (!ssl_) return ::send(fd_, data, size, MSG_NOSIGNAL);
    int n = SSL_write(ssl_.get(), data, static_cast<int>(size));
    return n > 0 ? n : -1;
  }

  // > 0 bytes read, 0 closed, < 0 error or timeout.
  ssize_t recv(char* data, size_t size) {
    if (!ssl_) return ::recv(fd_, data, size, 0);
    int n = SSL_read(ssl_.get(), data, static_cast<int>(size));
    if (n > 0) return n;
    int err = SSL_get_error(ssl_.get(), n);
    ERR_clear_error();
    // A peer that closes without close_notify ends the body as a plain close does.
    return err == SSL_ERROR_ZERO_RETURN || err == SSL_ERROR_SSL || err == SSL_ERROR_SYSCALL ? 0
                                                                                            : -1;
  }

 private:
  int fd_;
  SslCtxPtr ctx_;
  SslPtr ssl_;
};

}  // namespace

ScopedForwardedAuthorization::ScopedForwardedAuthorization(std::string authorization)
    : previous_(std::exchange(forwarded_authorization, std::move(authorization))) {}

ScopedForwardedAuthorization::~ScopedForwardedAuthorization() {
  forwarded_authorization = std::move(previous_);
}

const std::string& ScopedForwardedAuthorization::current() { return forwarded_authorization; }

InternalReply send_internal_request(const config::WorkerConfig& config, const std::string& base_url,
                                    const std::string& method, const std::string& path,
                                    const std::string& body, std::chrono::milliseconds timeout) {
  std::string hostport = base_url;
  std::string scheme = "http";
  if (auto p = hostport.find("://"); p != std::string::npos) {
    scheme = lower(hostport.substr(0, p));
    hostport = hostport.substr(p + 3);
  }
  while (!hostport.empty() && hostport.back() == '/') hostport.pop_back();
  auto colon = hostport.rfind(':');
  if (colon == std::string::npos) return {0, "bad worker URL " + base_url};
  std::string host = hostport.substr(0, colon), port = hostport.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);

  std::optional<TlsSettings> tls;
  if (scheme == "https") {
    auto settings = TlsSettings::from(config);
    if (!settings.ok()) return {0, settings.status().message()};
    tls = std::move(settings).value();
  }

  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || !res) {
    return {0, "cannot resolve " + host};
  }
  int fd = -1;
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  for (addrinfo* a = res; a; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // bounds connect() too
    if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) return {0, "cannot connect to " + base_url + ": " + std::strerror(errno)};
  Connection conn(fd);
  if (tls) {
    if (Status s = conn.start_tls(*tls, host); !s.ok()) {
      return {0, "cannot connect to " + base_url + ": " + s.message()};
    }
  }

  std::string req = method + " " + path + " HTTP/1.1\r\nHost: " + hostport +
                    "\r\nAccept: application/json\r\nConnection: close\r\n";
  if (!forwarded_authorization.empty()) {
    req += "Authorization: " + forwarded_authorization + "\r\n";
  }
  if (!body.empty()) req += "Content-Type: application/json\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  for (size_t sent = 0; sent < req.size();) {
    ssize_t n = conn.send(req.data() + sent, req.size() - sent);
    if (n <= 0) return {0, "sending to " + base_url + " failed"};
    sent += static_cast<size_t>(n);
  }

  std::string in;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[8192];
  while (std::chrono::steady_clock::now() < deadline) {
    ssize_t n = conn.recv(buf, sizeof buf);
    if (n > 0) in.append(buf, static_cast<size_t>(n));
    size_t header_end = in.find("\r\n\r\n");
    if (header_end != std::string::npos) {
      std::string head = lower(in.substr(0, header_end));
      std::string_view rest = std::string_view(in).substr(header_end + 4);
      bool chunked = head.find("transfer-encoding: chunked") != std::string::npos;
      std::optional<size_t> length;
      if (auto p = head.find("content-length:"); p != std::string::npos) {
        length = std::strtoul(head.c_str() + p + 15, nullptr, 10);
      }
      std::optional<std::string> complete;
      if (chunked) {
        complete = dechunk(rest);
      } else if (length) {
        if (rest.size() >= *length) complete = std::string(rest.substr(0, *length));
      } else if (n == 0) {
        complete = std::string(rest);
      }
      if (complete || n <= 0) {
        InternalReply reply;
        reply.status = std::atoi(in.c_str() + in.find(' ') + 1);
        reply.body = complete.value_or(std::string(rest));
        return reply;
      }
    } else if (n <= 0) {
      break;
    }
  }
  return {0, "no answer from " + base_url};
}

}  // namespace kanal::rest::client
