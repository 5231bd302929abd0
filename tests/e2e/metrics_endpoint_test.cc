// GET /metrics of `kanal standalone`, end to end: a FileStreamSource reads a 10,000-line file
// into a topic and a FileStreamSink writes it back out; the Prometheus page must then count
// exactly those 10,000 records on both sides, the connectors and tasks, and be valid text
// format 0.0.4 throughout.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "support/assertions.h"
#include "support/broker_environment.h"
#include "support/eventually.h"
#include "support/kanal_worker.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kRecords = 10000;

// The page as a scraper sees it: "name{labels}" (labels as written) → value. Lines that are
// not HELP, TYPE or a sample of an announced family land in `errors`.
struct Scrape {
  int status = 0;
  std::string content_type;
  std::map<std::string, double> values;
  std::map<std::string, std::string> types;
  std::vector<std::string> errors;
  std::string body;

  double at(const std::string& series) const {
    auto it = values.find(series);
    return it == values.end() ? -1 : it->second;
  }
};

Scrape scrape(const KanalWorker& worker) {
  static const std::regex kHelp(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*)");
  static const std::regex kType(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge))");
  static const std::regex kSample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? )"
      R"((NaN|[+-]Inf|-?[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?))");
  Scrape s;
  auto r = worker.http("GET", "/metrics");
  s.status = r.status;
  s.body = r.body;
  for (const auto& [k, v] : r.headers) {
    std::string key = k;
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key == "content-type") s.content_type = v;
  }
  std::istringstream in(r.body);
  std::string line;
  std::set<std::string> helped;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, kHelp)) {
      helped.insert(m[1]);
    } else if (std::regex_match(line, m, kType)) {
      if (!helped.count(m[1])) s.errors.push_back("TYPE without HELP: " + line);
      s.types[m[1]] = m[2];
    } else if (std::regex_match(line, m, kSample)) {
      if (!s.types.count(m[1])) s.errors.push_back("sample without TYPE: " + line);
      std::string series = line.substr(0, line.rfind(' '));
      if (s.values.count(series)) s.errors.push_back("duplicate series: " + line);
      s.values[series] = std::stod(m[5]);
    } else {
      s.errors.push_back("not Prometheus text format: " + line);
    }
  }
  return s;
}

size_t count_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  size_t n = 0;
  std::string l;
  while (std::getline(in, l)) ++n;
  return n;
}

class MetricsEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream out(input_);
    for (int i = 0; i < kRecords; ++i) out << "record-" << i << '\n';
  }

  void TearDown() override {
    if (HasFailure() && worker_) {
      std::fprintf(stderr, "worker log:\n%s\n", worker_->log_tail(30).c_str());
    }
  }

  // Starts a worker running the source and the sink connector; waits for all 10,000 lines to
  // arrive in the output file.
  void start_pipeline() {
    worker_.emplace(KanalWorkerOptions{.dir = dir_.path(),
                                       .worker = {{"offset.flush.interval.ms", "1000"},
                                                  {"producer.statistics.interval.ms", "500"},
                                                  {"consumer.statistics.interval.ms", "500"}},
                                       .connectors = {{{"name", source_},
                                                       {"connector.class", "FileStreamSource"},
                                                       {"file", input_.string()},
                                                       {"topic", topic_}},
                                                      {{"name", sink_},
                                                       {"connector.class", "FileStreamSink"},
                                                       {"file", output_.string()},
                                                       {"topics", topic_}}}});
    Status s = worker_->start();
    ASSERT_TRUE(s.ok()) << s.to_string();
    ASSERT_TRUE(eventually([&] { return count_lines(output_) >= kRecords; }, 120s,
                           [&] { return std::to_string(count_lines(output_)) + " lines out"; }));
  }

  std::string task_series(const std::string& name, const std::string& connector) const {
    return name + "{connector=\"" + connector + "\",task=\"0\"}";
  }

  TempDir dir_{"kanal-metrics-e2e"};
  std::string topic_ = unique_test_name();
  std::string source_ = topic_ + "-source";
  std::string sink_ = topic_ + "-sink";
  std::filesystem::path input_ = dir_ / "input.txt";
  std::filesystem::path output_ = dir_ / "output.txt";
  std::optional<KanalWorker> worker_;
};

TEST_F(MetricsEndpointTest, CountsEveryRecordOnBothSidesWhenTenThousandRecordsFlow) {
  start_pipeline();

  std::string producer = "{connector=\"" + source_ + "\",task=\"0\",client=\"producer\"}";
  std::string consumer = "{connector=\"" + sink_ + "\",task=\"0\",client=\"consumer\"}";
  Scrape last;
  // The sink wrote its file after put(); the source's write count follows the producer's
  // acknowledgements, which may arrive a moment after the records were consumed.
  bool settled = eventually(
      [&] {
        last = scrape(*worker_);
        return last.at(task_series("kafka_connect_source_task_source_record_write_total",
                                   source_)) == kRecords &&
               last.at(task_series("kafka_connect_sink_task_sink_record_send_total", sink_)) ==
                   kRecords &&
               last.at("kafka_connect_kanal_client_queue_messages" + producer) >= 0 &&
               last.at("kafka_connect_kanal_client_broker_rtt_avg_ms" + consumer) >= 0;
      },
      60s, [&] { return last.body; });

  ASSERT_TRUE(settled);
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(last.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_TRUE(last.errors.empty()) << ::testing::PrintToString(last.errors);
  EXPECT_EQ(last.at(task_series("kafka_connect_source_task_source_record_poll_total", source_)),
            kRecords);
  EXPECT_EQ(last.at(task_series("kafka_connect_source_task_source_record_write_total", source_)),
            kRecords);
  EXPECT_EQ(last.at(task_series("kafka_connect_sink_task_sink_record_read_total", sink_)),
            kRecords);
  EXPECT_EQ(last.at(task_series("kafka_connect_sink_task_sink_record_send_total", sink_)),
            kRecords);
  EXPECT_EQ(last.types["kafka_connect_source_task_source_record_poll_total"], "counter");
  EXPECT_EQ(last.at(task_series("kafka_connect_source_task_source_record_active_count", source_)),
            0);
  EXPECT_EQ(last.at(task_series("kafka_connect_task_error_total_record_errors", sink_)), 0);
  EXPECT_EQ(last.at("kafka_connect_connect_worker_connector_count"), 2);
  EXPECT_EQ(last.at("kafka_connect_connect_worker_task_count"), 2);
  EXPECT_EQ(last.at("kafka_connect_connect_worker_task_startup_success_total"), 2);
  EXPECT_EQ(last.at("kafka_connect_connect_worker_connector_running_task_count{connector=\"" +
                    source_ + "\"}"),
            1);
  EXPECT_EQ(
      last.at("kafka_connect_connector_status{connector=\"" + sink_ + "\",status=\"running\"}"), 1);
  EXPECT_EQ(last.at("kafka_connect_connector_task_status{connector=\"" + source_ +
                    "\",task=\"0\",status=\"running\"}"),
            1);
  EXPECT_GE(last.at("kafka_connect_kanal_client_queue_messages" + producer), 0)
      << "no librdkafka statistics for the source's producer";
  EXPECT_GE(last.at("kafka_connect_kanal_client_broker_rtt_avg_ms" + consumer), 0)
      << "no librdkafka statistics for the sink's consumer";
  EXPECT_GT(last.at("process_resident_memory_bytes"), 0);
  EXPECT_GT(last.at("process_cpu_seconds_total"), 0);
}

TEST_F(MetricsEndpointTest, DropsTheTaskSeriesWhenTheConnectorIsDeleted) {
  start_pipeline();

  auto deleted = worker_->http("DELETE", "/connectors/" + sink_);
  ASSERT_EQ(deleted.status, 204) << deleted.body;
  Scrape last;
  bool gone = eventually(
      [&] {
        last = scrape(*worker_);
        return last.at("kafka_connect_connect_worker_connector_count") == 1;
      },
      30s, [&] { return last.body; });

  ASSERT_TRUE(gone);
  EXPECT_EQ(last.at("kafka_connect_connect_worker_task_count"), 1);
  EXPECT_EQ(last.at(task_series("kafka_connect_sink_task_sink_record_read_total", sink_)), -1)
      << "the deleted sink's task still has series";
  EXPECT_EQ(last.at(task_series("kafka_connect_source_task_source_record_poll_total", source_)),
            kRecords);
  EXPECT_TRUE(last.errors.empty()) << ::testing::PrintToString(last.errors);
}

// Distributed mode: the worker's join is a rebalance, and the connector it then runs counts as
// this worker's.
TEST(MetricsDistributedTest, CountsTheRebalanceAndTheConnectorWhenAWorkerJoinsItsGroup) {
  TempDir dir("kanal-metrics-distributed");
  std::string base = unique_test_name();
  KanalWorker worker(KanalWorkerOptions{.mode = "distributed",
                                        .dir = dir.path(),
                                        .worker = {{"group.id", base + "-group"},
                                                   {"config.storage.topic", base + "-configs"},
                                                   {"offset.storage.topic", base + "-offsets"},
                                                   {"status.storage.topic", base + "-status"},
                                                   {"config.storage.replication.factor", "1"},
                                                   {"offset.storage.replication.factor", "1"},
                                                   {"status.storage.replication.factor", "1"}},
                                        .connectors = {}});
  Status started = worker.start();
  ASSERT_TRUE(started.ok()) << started.to_string();
  std::ofstream(dir / "input.txt") << "one\ntwo\n";

  auto created = eventually(
      [&] {
        auto r = worker.http("POST", "/connectors",
                             R"({"name":")" + base +
                                 R"(-source","config":{)"
                                 R"("connector.class":"FileStreamSource","file":")" +
                                 (dir / "input.txt").string() + R"(","topic":")" + base + R"("}})");
        return r.status == 201;
      },
      60s);
  ASSERT_TRUE(created) << worker.log_tail(30);
  Scrape last;
  bool counted = eventually(
      [&] {
        last = scrape(worker);
        return last.at("kafka_connect_connect_worker_connector_count") == 1 &&
               last.at("kafka_connect_connect_worker_task_count") == 1;
      },
      60s, [&] { return last.body; });

  ASSERT_TRUE(counted) << worker.log_tail(30);
  EXPECT_GE(last.at("kafka_connect_connect_worker_rebalance_completed_rebalances_total"), 1);
  EXPECT_EQ(last.at("kafka_connect_connect_worker_rebalance_rebalancing"), 0);
  EXPECT_GE(last.at("kafka_connect_connect_worker_rebalance_rebalance_max_time_ms"),
            last.at("kafka_connect_connect_worker_rebalance_rebalance_avg_time_ms"));
  EXPECT_TRUE(last.errors.empty()) << ::testing::PrintToString(last.errors);
}

}  // namespace
}  // namespace kanal::testing
