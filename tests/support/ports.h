// Loopback ports for servers that tests start (brokers, kanal REST listeners, PostgreSQL).
#pragma once

#include <cstdint>

namespace kanal::testing {

// A TCP port that nothing listens on or is bound to on 127.0.0.1 at the time of the call.
//
// Ports come from below the kernel's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range):
// a broker that is stopped and restarted on the same port must not find it taken by some
// client's outgoing connection meanwhile, which bind(port 0) style picks would risk. Picks are
// random and probed by binding, so concurrent test binaries rarely collide; the remaining window
// (between this call and the server's bind) is accepted. Aborts when no port is free after many
// tries, which means a broken machine rather than a failed test.
uint16_t free_tcp_port();

}  // namespace kanal::testing
