// kanal::testing::PostgresServer: a throwaway PostgreSQL server from Debian's packages
// (/usr/lib/postgresql/<version>/bin) in a temporary data directory, listening on a free
// 127.0.0.1 port with its unix socket in that directory.
//
// initdb and postgres refuse to run as root: when the tests run as root, both run as the
// `postgres` system user (setpriv, which execs in place and keeps PDEATHSIG, so the server
// still dies with the test binary), and the data directory is handed to that user.
// The superuser is `kanal` with password `kanal-secret`; TCP logins need the password
// (scram-sha-256), so a wrong one fails like in production.
//
// Not thread-safe. Start and stop from the main thread (see support/process.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace kanal::testing {

class PostgresServer {
 public:
  static constexpr const char* kUser = "kanal";
  static constexpr const char* kPassword = "kanal-secret";
  static constexpr const char* kDatabase = "postgres";

  // The directory holding initdb and postgres, or nullopt when PostgreSQL is not installed
  // (tests then skip with GTEST_SKIP and this reason).
  static std::optional<std::string> bin_dir();

  // initdb + start + wait until it accepts connections (up to 60 s).
  static Result<std::unique_ptr<PostgresServer>> start();

  ~PostgresServer();

  uint16_t port() const { return port_; }
  // jdbc:postgresql://127.0.0.1:<port>/<database>
  std::string jdbc_url(const std::string& database = kDatabase) const;

  // Stops the server (fast shutdown, SIGINT); the data stays for restart().
  Status stop();
  // Starts it again on the same port and data directory.
  Status restart();
  bool running();
  const std::filesystem::path& log_file() const { return log_; }

 private:
  PostgresServer() = default;
  Status spawn_server();
  Status wait_ready();

  std::string bin_;
  TempDir dir_{"kanal-pg"};
  std::filesystem::path log_;
  uint16_t port_ = 0;
  std::optional<Process> server_;
};

}  // namespace kanal::testing
