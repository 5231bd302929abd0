// KanalWorker: a `kanal` process started as a user would start it, for end-to-end tests.
//
// start() writes the worker config (plus defaults pointing at the test broker, a free REST
// port, an offsets file in `dir`) and any connector config files, spawns `kanal` and waits until
// its REST API answers GET /. http() talks to it. The process is stopped by the destructor (and
// dies with the test binary, see Process). Main thread only.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "rest/testing/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace kanal::testing {

using Props = std::map<std::string, std::string>;

struct KanalWorkerOptions {
  std::string mode = "standalone";     // or "distributed"
  std::filesystem::path dir = {};      // working dir: configs, offsets file and log go here
  Props worker = {};                   // overrides of the defaults
  std::vector<Props> connectors = {};  // written as <name>.properties, passed on the command line
  std::chrono::milliseconds start_timeout = std::chrono::seconds(60);
  // The REST listener's protocol: "https" needs a certificate in `worker`
  // (listeners.https.ssl.*). `client` (CA file, credentials) is used to wait for GET / and by
  // http(); its timeout applies to http() only.
  std::string scheme = "http";
  rest::testing::RequestOptions client = {};
};

class KanalWorker {
 public:
  explicit KanalWorker(KanalWorkerOptions options);
  ~KanalWorker();

  // Starts (or restarts, same port and files) the process and waits for GET / to answer 200.
  // The error includes the tail of the worker's log.
  Status start();
  ExitStatus stop(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ExitStatus kill9();
  bool running();

  std::string base_url() const;  // "http://127.0.0.1:<port>" ("https://..." for https)
  rest::testing::HttpResult http(std::string_view method, std::string_view path,
                                 std::string_view body = "") const;
  // The connector's or a task's state from GET /connectors/{name}/status ("" if unknown).
  std::string connector_state(const std::string& name) const;
  std::string task_state(const std::string& name, int task) const;
  std::string task_trace(const std::string& name, int task) const;

  std::string log_tail(size_t lines = 60) const;
  const std::filesystem::path& log_file() const { return log_file_; }
  Props worker_config() const;

 private:
  KanalWorkerOptions options_;
  uint16_t port_ = 0;
  std::filesystem::path log_file_;
  std::optional<Process> process_;
};

// One worker shared by a whole test suite: SetUpTestSuite() calls start(), TearDownTestSuite()
// calls stop(), and each test's SetUp() asserts ready(). A worker that did not start fails every
// test of the suite with the reason (and its log) instead of crashing the binary.
class SuiteWorker {
 public:
  // Makes a scratch directory named `dir_prefix`, asks `options_for` for the worker's options
  // (it may write files there first: certificates, secrets; `dir` is filled in afterwards), and
  // starts the worker.
  void start(std::string_view dir_prefix,
             const std::function<KanalWorkerOptions(const TempDir&)>& options_for);
  // Stops the worker and removes the directory.
  void stop();
  // The worker started and is still running.
  ::testing::AssertionResult ready() const;

  KanalWorker& worker() const { return *worker_; }
  const TempDir& dir() const { return *dir_; }

 private:
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<KanalWorker> worker_;
  std::string start_error_;
};

}  // namespace kanal::testing
