// The metrics registry and the Prometheus text format of GET /metrics: names, types, escaping,
// windowed averages, rates, and a whole page checked line by line as a scraper reads it.
#include "metrics/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "metrics/client_stats.h"
#include "metrics/prometheus.h"

namespace kanal::metrics {
namespace {

using namespace std::chrono_literals;

// One sample line of a page: name, labels as written, value.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// A strict reader of the 0.0.4 text format: every sample belongs to a family announced by HELP
// and TYPE before it; label values unescaped. Fails the test on any malformed line.
struct Page {
  std::map<std::string, std::string> types;
  std::vector<Sample> samples;

  explicit Page(const std::string& text) {
    static const std::regex kHelp(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*)");
    static const std::regex kType(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge))");
    static const std::regex kSample(
        R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (NaN|[+-]Inf|-?[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?))");
    std::istringstream in(text);
    std::string line;
    std::set<std::string> helped;
    while (std::getline(in, line)) {
      std::smatch m;
      if (std::regex_match(line, m, kHelp)) {
        EXPECT_TRUE(helped.insert(m[1]).second) << "HELP twice: " << line;
      } else if (std::regex_match(line, m, kType)) {
        EXPECT_TRUE(helped.count(m[1])) << "TYPE before HELP: " << line;
        types[m[1]] = m[2];
      } else if (std::regex_match(line, m, kSample)) {
        Sample s{m[1], parse_labels(m[3]), std::stod(m[4])};
        EXPECT_TRUE(types.count(s.name)) << "sample without TYPE: " << line;
        samples.push_back(std::move(s));
      } else {
        ADD_FAILURE() << "not Prometheus text format: '" << line << "'";
      }
    }
  }

  static std::map<std::string, std::string> parse_labels(const std::string& text) {
    std::map<std::string, std::string> out;
    size_t i = 0;
    while (i < text.size()) {
      size_t eq = text.find("=\"", i);
      EXPECT_NE(eq, std::string::npos) << text;
      if (eq == std::string::npos) break;
      std::string name = text.substr(i, eq - i);
      std::string value;
      size_t j = eq + 2;
      for (; j < text.size() && text[j] != '"'; ++j) {
        if (text[j] == '\\' && j + 1 < text.size()) {
          ++j;
          value += text[j] == 'n' ? '\n' : text[j];
        } else {
          value += text[j];
        }
      }
      out[name] = value;
      i = j + 1;
      if (i < text.size() && text[i] == ',') ++i;
    }
    return out;
  }

  // The value of the one sample of `name` with these labels; NaN-free lookups fail loudly.
  std::optional<double> value(const std::string& name,
                              const std::map<std::string, std::string>& labels = {}) const {
    for (const Sample& s : samples) {
      if (s.name == name && s.labels == labels) return s.value;
    }
    return std::nullopt;
  }
};

TEST(MetricsNameTest, DropsMetricsSuffixAndReplacesDashesWhenDerivingFromConnectGroup) {
  EXPECT_EQ(connect_name("source-task-metrics", "source-record-poll-total"),
            "kafka_connect_source_task_source_record_poll_total");
  EXPECT_EQ(connect_name("connect-worker-metrics", "connector-count"),
            "kafka_connect_connect_worker_connector_count");
}

TEST(TextWriterTest, EscapesBackslashQuoteAndNewlineWhenLabelValueHasThem) {
  TextWriter w;
  w.family("m", Type::kGauge, "help");

  w.sample({{"connector", "a\\b\"c\nd"}}, 1);

  EXPECT_EQ(w.text(), "# HELP m help\n# TYPE m gauge\nm{connector=\"a\\\\b\\\"c\\nd\"} 1\n");
  Page page(w.text());
  EXPECT_EQ(page.samples.at(0).labels.at("connector"), "a\\b\"c\nd");
}

TEST(TextWriterTest, EscapesBackslashAndNewlineWhenHelpHasThem) {
  TextWriter w;

  w.family("m", Type::kCounter, "one\\two\nthree \"quoted\"");

  EXPECT_EQ(w.text(), "# HELP m one\\\\two\\nthree \"quoted\"\n# TYPE m counter\n");
}

TEST(TextWriterTest, WritesCounterAndGaugeTypesWhenFamiliesStart) {
  TextWriter w;
  w.family("a_total", Type::kCounter, "A");
  w.sample({}, 3);
  w.family("b", Type::kGauge, "B");
  w.sample({{"x", "1"}, {"y", "2"}}, 0.5);

  Page page(w.text());

  EXPECT_EQ(page.types.at("a_total"), "counter");
  EXPECT_EQ(page.types.at("b"), "gauge");
  EXPECT_EQ(page.value("a_total"), 3);
  EXPECT_EQ(page.value("b", {{"x", "1"}, {"y", "2"}}), 0.5);
}

TEST(TextWriterTest, FormatsValuesAsPrometheusReadsThemWhenSpecialOrLarge) {
  EXPECT_EQ(format_value(10000), "10000");
  EXPECT_EQ(format_value(-3), "-3");
  EXPECT_EQ(format_value(1e15 + 0.5 - 0.5), "1e+15");
  EXPECT_EQ(format_value(0.25), "0.25");
  EXPECT_EQ(format_value(std::nan("")), "NaN");
  EXPECT_EQ(format_value(INFINITY), "+Inf");
  EXPECT_EQ(format_value(-INFINITY), "-Inf");
}

TEST(WindowedStatTest, AveragesAndMaxesWhenValuesFallInRecentWindows) {
  WindowedStat stat;
  Clock::time_point t0{std::chrono::hours(1)};

  stat.record(10, t0);
  stat.record(30, t0 + 1s);
  stat.record(20, t0 + 31s);  // the next window
  WindowedStat::Snapshot s = stat.read(t0 + 31s);

  EXPECT_EQ(s.count, 3u);
  EXPECT_DOUBLE_EQ(s.avg, 20);
  EXPECT_DOUBLE_EQ(s.max, 30);
}

TEST(WindowedStatTest, ForgetsValuesWhenOlderThanTwoWindows) {
  WindowedStat stat;
  Clock::time_point t0{std::chrono::hours(1)};
  stat.record(100, t0);

  stat.record(5, t0 + 65s);
  WindowedStat::Snapshot s = stat.read(t0 + 65s);

  EXPECT_EQ(s.count, 1u);
  EXPECT_DOUBLE_EQ(s.max, 5);
}

TEST(WindowedStatTest, ReportsNaNWhenNothingWasRecordedLately) {
  WindowedStat stat;
  Clock::time_point t0{std::chrono::hours(1)};
  stat.record(7, t0);

  WindowedStat::Snapshot s = stat.read(t0 + 120s);

  EXPECT_EQ(s.count, 0u);
  EXPECT_TRUE(std::isnan(s.avg));
  EXPECT_TRUE(std::isnan(s.max));
}

TEST(TaskMetricsTest, ReportsPerSecondRatesWhenTotalsGrowBetweenScrapes) {
  Clock::time_point t0{std::chrono::hours(1)};
  TaskMetrics m("orders", 0, TaskKind::kSource, t0);

  m.source_record_poll.add(100);
  TaskMetrics::Rates first = m.rates(t0 + 10s);
  m.source_record_poll.add(200);
  m.source_record_write.add(50);
  TaskMetrics::Rates second = m.rates(t0 + 20s);

  EXPECT_DOUBLE_EQ(first.source_record_poll, 10);
  EXPECT_DOUBLE_EQ(second.source_record_poll, 15);  // 300 records in 20 s
  EXPECT_DOUBLE_EQ(second.source_record_write, 2.5);
}

TEST(TaskMetricsTest, RatesCoverOnlyTheLastMinuteWhenScrapedForLonger) {
  Clock::time_point t0{std::chrono::hours(1)};
  TaskMetrics m("orders", 0, TaskKind::kSink, t0);
  m.sink_record_read.add(6000);
  (void)m.rates(t0 + 60s);

  (void)m.rates(t0 + 90s);
  TaskMetrics::Rates r = m.rates(t0 + 120s);

  EXPECT_DOUBLE_EQ(r.sink_record_read, 0);  // nothing read since t0 + 60s
}

TEST(RegistryTest, ListsTaskBlocksUntilRemovedWhenTasksComeAndGo) {
  Registry registry;
  auto b = registry.add_task("b", 0, TaskKind::kSink);
  auto a1 = registry.add_task("a", 1, TaskKind::kSource);
  auto a0 = registry.add_task("a", 0, TaskKind::kSource);

  registry.remove_task(b);
  auto listed = registry.tasks();

  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0], a0);
  EXPECT_EQ(listed[1], a1);
}

TEST(PrometheusPageTest, ShowsTaskCountersUnderConnectNamesWhenTasksRun) {
  Registry registry;
  auto source = registry.add_task("orders", 0, TaskKind::kSource);
  auto sink = registry.add_task("orders-sink", 0, TaskKind::kSink);
  source->source_record_poll.add(10000);
  source->source_record_write.add(9999);
  sink->sink_record_read.add(42);
  sink->errors.records_skipped.add(2);
  WorkerView view{{{"orders", "RUNNING", "source", "FileStreamSource", "1.0", {{0, "RUNNING"}}},
                   {"orders-sink", "PAUSED", "sink", "FileStreamSink", "1.0", {{0, "FAILED"}}}}};

  Page page(render_page(registry, view, Clock::now()));

  std::map<std::string, std::string> src{{"connector", "orders"}, {"task", "0"}};
  std::map<std::string, std::string> snk{{"connector", "orders-sink"}, {"task", "0"}};
  EXPECT_EQ(page.value("kafka_connect_source_task_source_record_poll_total", src), 10000);
  EXPECT_EQ(page.types.at("kafka_connect_source_task_source_record_poll_total"), "counter");
  EXPECT_EQ(page.value("kafka_connect_source_task_source_record_write_total", src), 9999);
  EXPECT_EQ(page.value("kafka_connect_sink_task_sink_record_read_total", snk), 42);
  EXPECT_EQ(page.value("kafka_connect_task_error_total_records_skipped", snk), 2);
  EXPECT_FALSE(page.value("kafka_connect_sink_task_sink_record_read_total", src));
  EXPECT_EQ(page.value("kafka_connect_connect_worker_connector_count"), 2);
  EXPECT_EQ(page.value("kafka_connect_connect_worker_task_count"), 2);
  EXPECT_EQ(page.types.at("kafka_connect_connect_worker_task_count"), "gauge");
  EXPECT_EQ(page.value("kafka_connect_connect_worker_connector_failed_task_count",
                       {{"connector", "orders-sink"}}),
            1);
  EXPECT_EQ(page.value("kafka_connect_connector_status",
                       {{"connector", "orders-sink"}, {"status", "paused"}}),
            1);
  EXPECT_EQ(page.value("kafka_connect_connector_status",
                       {{"connector", "orders-sink"}, {"status", "running"}}),
            0);
  EXPECT_EQ(page.value("kafka_connect_connector_task_status",
                       {{"connector", "orders"}, {"task", "0"}, {"status", "running"}}),
            1);
  EXPECT_TRUE(page.value("process_cpu_seconds_total"));
  EXPECT_TRUE(page.value("process_resident_memory_bytes"));
}

TEST(PrometheusPageTest, ShowsTheNewerBlockWhenATaskIsListedTwiceDuringARestart) {
  Registry registry;
  auto old_block = registry.add_task("orders", 0, TaskKind::kSource);
  old_block->source_record_poll.add(5);
  auto new_block = registry.add_task("orders", 0, TaskKind::kSource);
  new_block->source_record_poll.add(7);

  Page page(render_page(registry, {}, Clock::now()));

  int seen = 0;
  for (const Sample& s : page.samples) {
    if (s.name == "kafka_connect_source_task_source_record_poll_total") {
      ++seen;
      EXPECT_EQ(s.value, 7);
    }
  }
  EXPECT_EQ(seen, 1);
}

TEST(PrometheusPageTest, CountsStartupsAndRebalancesWhenTheHerderReportsThem) {
  Registry registry;
  WorkerMetrics& w = registry.worker();
  w.task_startup_attempts.add(3);
  w.task_startup_success.add(2);
  w.task_startup_failure.add(1);
  Clock::time_point t0{std::chrono::hours(1)};
  w.rebalance_started(t0);
  w.rebalance_completed(t0 + 400ms);
  w.rebalance_started(t0 + 10s);
  w.rebalance_completed(t0 + 10s + 200ms);

  Page page(render_page(registry, {}, t0 + 20s + 200ms));

  EXPECT_EQ(page.value("kafka_connect_connect_worker_task_startup_attempts_total"), 3);
  EXPECT_EQ(page.value("kafka_connect_connect_worker_task_startup_failure_total"), 1);
  EXPECT_NEAR(*page.value("kafka_connect_connect_worker_task_startup_success_percentage"), 2.0 / 3,
              1e-9);
  EXPECT_EQ(page.value("kafka_connect_connect_worker_rebalance_completed_rebalances_total"), 2);
  EXPECT_EQ(page.value("kafka_connect_connect_worker_rebalance_rebalancing"), 0);
  EXPECT_EQ(page.value("kafka_connect_connect_worker_rebalance_rebalance_avg_time_ms"), 300);
  EXPECT_EQ(page.value("kafka_connect_connect_worker_rebalance_rebalance_max_time_ms"), 400);
  EXPECT_EQ(page.value("kafka_connect_connect_worker_rebalance_time_since_last_rebalance_ms"),
            10000);
}

TEST(ClientStatsTest, ReadsQueueDepthRetriesRttAndLagWhenLibrdkafkaReportsStatistics) {
  // A trimmed report in librdkafka's STATISTICS.md shape.
  const char* json = R"({"name":"p#producer-1","type":"producer","msg_cnt":12,"msg_size":3400,
    "brokers":{
      "127.0.0.1:9092/1":{"nodeid":1,"txretries":3,"txerrs":1,"rtt":{"avg":2500,"max":9000}},
      "127.0.0.1:9093/2":{"nodeid":2,"txretries":2,"txerrs":0,"rtt":{"avg":4000,"max":5000}}},
    "topics":{"orders":{"partitions":{
      "0":{"partition":0,"consumer_lag":7},
      "1":{"partition":1,"consumer_lag":-1},
      "-1":{"partition":-1,"consumer_lag":99}}}}})";
  ClientStats stats;

  bool read = read_client_stats(json, stats);

  ASSERT_TRUE(read);
  EXPECT_EQ(stats.reported.value(), 1);
  EXPECT_EQ(stats.queue_messages.value(), 12);
  EXPECT_EQ(stats.queue_bytes.value(), 3400);
  EXPECT_EQ(stats.tx_retries.value(), 5);
  EXPECT_EQ(stats.tx_errors.value(), 1);
  EXPECT_EQ(stats.rtt_avg_us.value(), 4000);
  EXPECT_EQ(stats.consumer_lag.value(), 7);
}

TEST(ClientStatsTest, LeavesStatsUnchangedWhenReportIsNotJson) {
  ClientStats stats;

  bool read = read_client_stats("not json", stats);

  EXPECT_FALSE(read);
  EXPECT_EQ(stats.reported.value(), 0);
}

}  // namespace
}  // namespace kanal::metrics
