#include "support/postgres_server.h"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "support/ports.h"

namespace kanal::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

bool is_root() { return geteuid() == 0; }

// The spec that runs `program args` as the postgres user when we are root.
ProcessSpec as_server_user(const std::string& program, std::vector<std::string> args,
                           const fs::path& log, const fs::path& cwd) {
  ProcessSpec spec;
  spec.log_file = log;
  spec.working_dir = cwd;
  spec.unset_env = {"PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"};
  if (!is_root()) {
    spec.program = program;
    spec.args = std::move(args);
    return spec;
  }
  spec.program = "setpriv";
  spec.args = {"--reuid=postgres",
               "--regid=postgres",
               "--init-groups",
               "--pdeathsig",
               "KILL",
               "--",
               program};
  spec.args.insert(spec.args.end(), args.begin(), args.end());
  return spec;
}

Status chown_to_server_user(const fs::path& path) {
  if (!is_root()) return Status::OK();
  struct passwd* pw = getpwnam("postgres");
  if (pw == nullptr) return Status::internal("no 'postgres' user to run PostgreSQL as");
  if (chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
    return Status::internal("chown " + path.string() + " failed");
  }
  return Status::OK();
}

// Runs a short command to completion; an error carries the end of its log.
Status run(const ProcessSpec& spec, std::chrono::milliseconds timeout) {
  auto p = Process::spawn(spec);
  if (!p.ok()) return p.status();
  auto st = p->wait(timeout);
  if (!st) st = p->kill9();
  if (!st->success()) {
    return Status::internal(spec.program + " " + (spec.args.empty() ? "" : spec.args.back()) +
                            " ended with " + st->to_string() + ":\n" + tail_of_file(spec.log_file));
  }
  return Status::OK();
}

}  // namespace

std::optional<std::string> PostgresServer::bin_dir() {
  std::vector<fs::path> candidates;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    fs::path bin = entry.path() / "bin";
    if (fs::exists(bin / "initdb", ec) && fs::exists(bin / "postgres", ec)) {
      candidates.push_back(bin);
    }
  }
  if (candidates.empty()) return std::nullopt;
  std::sort(candidates.begin(), candidates.end());
  return candidates.back().string();
}

Result<std::unique_ptr<PostgresServer>> PostgresServer::start() {
  auto bin = bin_dir();
  if (!bin) {
    return Status::not_found("PostgreSQL server binaries not found under /usr/lib/postgresql");
  }
  std::unique_ptr<PostgresServer> s(new PostgresServer());
  s->bin_ = *bin;
  s->log_ = s->dir_ / "postgres.log";
  fs::path pwfile = s->dir_ / "pwfile";
  if (Status st = write_file(pwfile, std::string(kPassword) + "\n"); !st.ok()) return st;
  for (const fs::path& p : {s->dir_.path(), pwfile}) {
    if (Status st = chown_to_server_user(p); !st.ok()) return st;
  }
  ProcessSpec initdb =
      as_server_user(s->bin_ + "/initdb",
                     {"-D", (s->dir_ / "data").string(), "-U", kUser, "--pwfile=" + pwfile.string(),
                      "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"},
                     s->dir_ / "initdb.log", s->dir_.path());
  if (Status st = run(initdb, 120s); !st.ok()) return st;
  s->port_ = free_tcp_port();
  if (Status st = s->spawn_server(); !st.ok()) return st;
  if (Status st = s->wait_ready(); !st.ok()) return st;
  return s;
}

PostgresServer::~PostgresServer() { static_cast<void>(stop()); }

std::string PostgresServer::jdbc_url(const std::string& database) const {
  return "jdbc:postgresql://127.0.0.1:" + std::to_string(port_) + "/" + database;
}

Status PostgresServer::spawn_server() {
  ProcessSpec spec =
      as_server_user(bin_ + "/postgres",
                     {"-D", (dir_ / "data").string(), "-p", std::to_string(port_), "-k",
                      dir_.path().string(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                      "-c", "full_page_writes=off", "-c", "synchronous_commit=off"},
                     log_, dir_.path());
  auto p = Process::spawn(spec);
  if (!p.ok()) return p.status();
  server_.emplace(std::move(*p));
  return Status::OK();
}

Status PostgresServer::wait_ready() {
  auto deadline = std::chrono::steady_clock::now() + 60s;
  fs::path probe_log = dir_ / "pg_isready.log";
  while (std::chrono::steady_clock::now() < deadline) {
    if (!server_ || !server_->running()) {
      return Status::internal("PostgreSQL exited while starting:\n" + tail_of_file(log_));
    }
    auto p = Process::spawn({.program = bin_ + "/pg_isready",
                             .args = {"-q", "-h", "127.0.0.1", "-p", std::to_string(port_), "-U",
                                      kUser, "-d", kDatabase},
                             .log_file = probe_log});
    if (p.ok()) {
      auto st = p->wait(10s);
      if (st && st->success()) return Status::OK();
    }
    std::this_thread::sleep_for(100ms);
  }
  return Status::timeout("PostgreSQL did not accept connections within 60 s:\n" +
                         tail_of_file(log_));
}

Status PostgresServer::stop() {
  if (!server_) return Status::OK();
  if (server_->running()) {
    server_->signal(SIGINT);  // fast shutdown
    if (!server_->wait(30s)) server_->kill9();
  }
  server_.reset();
  return Status::OK();
}

Status PostgresServer::restart() {
  if (Status st = stop(); !st.ok()) return st;
  if (Status st = spawn_server(); !st.ok()) return st;
  return wait_ready();
}

bool PostgresServer::running() { return server_ && server_->running(); }

}  // namespace kanal::testing
