#include "support/ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <set>

namespace kanal::testing {
namespace {

// Lowest port of the ephemeral range; 32768 (Linux's default) when unreadable.
int ephemeral_low() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  int high = 0;
  if (in >> low >> high && low > 1024) return low;
  return 32768;
}

bool can_bind(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  // No SO_REUSEADDR: a port in TIME_WAIT counts as taken, which is what we want to avoid too.
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

uint16_t free_tcp_port() {
  static std::mutex mu;
  static std::set<uint16_t> handed_out;  // guarded by mu; never hand a port out twice
  static std::mt19937 rng{std::random_device{}()};
  std::lock_guard<std::mutex> lock(mu);

  constexpr int kLowest = 10000;
  const int high = ephemeral_low() - 1;
  const int low = high > kLowest + 1000 ? kLowest : 1025;
  std::uniform_int_distribution<int> dist(low, high);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const auto port = static_cast<uint16_t>(dist(rng));
    if (handed_out.count(port) != 0 || !can_bind(port)) continue;
    handed_out.insert(port);
    return port;
  }
  std::fprintf(stderr, "free_tcp_port: no free port in [%d, %d] after 1000 tries\n", low, high);
  std::abort();
}

}  // namespace kanal::testing
