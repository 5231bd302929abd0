#include "support/kanal_worker.h"

#include <rapidjson/document.h>

#include <fstream>
#include <thread>

#include "support/broker_environment.h"
#include "support/paths.h"
#include "support/ports.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

void write_props(const std::filesystem::path& path, const Props& props) {
  std::ofstream out(path);
  for (const auto& [k, v] : props) out << k << "=" << v << "\n";
}

}  // namespace

KanalWorker::KanalWorker(KanalWorkerOptions options)
    : options_(std::move(options)), port_(free_tcp_port()), log_file_(options_.dir / "kanal.log") {}

KanalWorker::~KanalWorker() {
  if (process_ && process_->running()) process_->stop(std::chrono::seconds(10));
}

Props KanalWorker::worker_config() const {
  Props p{{"bootstrap.servers", broker().bootstrap()},
          {"key.converter", "org.apache.kafka.connect.storage.StringConverter"},
          {"value.converter", "org.apache.kafka.connect.storage.StringConverter"},
          {"offset.storage.file.filename", (options_.dir / "offsets.db").string()},
          {"offset.flush.interval.ms", "1000"},
          {"listeners", options_.scheme + "://127.0.0.1:" + std::to_string(port_)},
          {"task.shutdown.graceful.timeout.ms", "10000"}};
  for (const auto& [k, v] : options_.worker) p[k] = v;
  return p;
}

Status KanalWorker::start() {
  auto worker_file = options_.dir / "worker.properties";
  write_props(worker_file, worker_config());
  std::vector<std::string> args{options_.mode, worker_file.string()};
  for (const Props& c : options_.connectors) {
    auto path = options_.dir / (c.at("name") + ".properties");
    write_props(path, c);
    args.push_back(path.string());
  }
  auto p = Process::spawn({.program = kanal_binary().string(),
                           .args = args,
                           .env = {{"KANAL_LOG_LEVEL", "INFO"}},
                           .log_file = log_file_,
                           .working_dir = options_.dir});
  if (!p.ok()) return p.status();
  process_.emplace(std::move(p).value());
  auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->running()) {
      return Status::internal("kanal exited during start-up (" +
                              process_->exit_status()->to_string() + "):\n" + log_tail());
    }
    rest::testing::RequestOptions probe = options_.client;
    probe.timeout = std::chrono::seconds(2);
    auto r = rest::testing::request("GET", base_url() + "/", "", probe);
    if (r.status == 200) return Status::OK();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Status::timeout("kanal did not answer GET / in time:\n" + log_tail());
}

ExitStatus KanalWorker::stop(std::chrono::milliseconds timeout) {
  if (!process_) return ExitStatus{};
  return process_->stop(timeout);
}

ExitStatus KanalWorker::kill9() {
  if (!process_) return ExitStatus{};
  return process_->kill9();
}

bool KanalWorker::running() { return process_ && process_->running(); }

std::string KanalWorker::base_url() const {
  return options_.scheme + "://127.0.0.1:" + std::to_string(port_);
}

rest::testing::HttpResult KanalWorker::http(std::string_view method, std::string_view path,
                                            std::string_view body) const {
  return rest::testing::request(method, base_url() + std::string(path), body, options_.client);
}

std::string KanalWorker::connector_state(const std::string& name) const {
  auto r = http("GET", "/connectors/" + name + "/status");
  if (r.status != 200) return "";
  rapidjson::Document d;
  d.Parse(r.body.c_str());
  if (d.HasParseError() || !d.HasMember("connector")) return "";
  return d["connector"]["state"].GetString();
}

std::string KanalWorker::task_state(const std::string& name, int task) const {
  auto r = http("GET", "/connectors/" + name + "/tasks/" + std::to_string(task) + "/status");
  if (r.status != 200) return "";
  rapidjson::Document d;
  d.Parse(r.body.c_str());
  if (d.HasParseError() || !d.HasMember("state")) return "";
  return d["state"].GetString();
}

std::string KanalWorker::task_trace(const std::string& name, int task) const {
  auto r = http("GET", "/connectors/" + name + "/tasks/" + std::to_string(task) + "/status");
  rapidjson::Document d;
  d.Parse(r.body.c_str());
  if (d.HasParseError() || !d.HasMember("trace") || !d["trace"].IsString()) return "";
  return d["trace"].GetString();
}

std::string KanalWorker::log_tail(size_t lines) const { return tail_of_file(log_file_, lines); }

void SuiteWorker::start(std::string_view dir_prefix,
                        const std::function<KanalWorkerOptions(const TempDir&)>& options_for) {
  dir_ = std::make_unique<TempDir>(dir_prefix);
  KanalWorkerOptions options = options_for(*dir_);
  options.dir = dir_->path();
  worker_ = std::make_unique<KanalWorker>(std::move(options));
  Status s = worker_->start();
  start_error_ = s.ok() ? "" : s.to_string();
}

void SuiteWorker::stop() {
  worker_.reset();  // stops the process
  dir_.reset();
}

::testing::AssertionResult SuiteWorker::ready() const {
  if (!worker_) return ::testing::AssertionFailure() << "the suite's worker was never started";
  if (!start_error_.empty()) return ::testing::AssertionFailure() << start_error_;
  if (!worker_->running()) {
    return ::testing::AssertionFailure() << "the suite's worker exited:\n" << worker_->log_tail();
  }
  return ::testing::AssertionSuccess();
}

}  // namespace kanal::testing
