// Distributed mode end to end: three `kanal distributed` processes in one group against the
// real broker — a connector created through a follower, its tasks spread over the workers and
// visible from each, and kill -9 of the leader during a DatagenSource → sinks pipeline.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "support/assertions.h"
#include "support/broker_environment.h"
#include "support/eventually.h"
#include "support/kafka_client.h"
#include "support/kanal_worker.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kSessionTimeout = 6s;  // the broker's group.min.session.timeout.ms

struct TaskView {
  std::string state;
  std::string worker_id;
};

// GET /connectors/{name}/status on `w`: task id → state and worker; empty when unanswered.
std::map<int, TaskView> task_views(const KanalWorker& w, const std::string& name) {
  std::map<int, TaskView> out;
  auto r = w.http("GET", "/connectors/" + name + "/status");
  if (r.status != 200) return out;
  rapidjson::Document d;
  d.Parse(r.body.c_str());
  if (d.HasParseError() || !d.HasMember("tasks") || !d["tasks"].IsArray()) return out;
  for (const auto& t : d["tasks"].GetArray()) {
    out[t["id"].GetInt()] = {t["state"].GetString(), t["worker_id"].GetString()};
  }
  return out;
}

std::string describe(const std::map<int, TaskView>& tasks) {
  std::string s;
  for (const auto& [id, v] : tasks)
    s += std::to_string(id) + "=" + v.state + "@" + v.worker_id + " ";
  return s;
}

// All `n` tasks RUNNING, none on `excluded`.
bool all_running(const std::map<int, TaskView>& tasks, size_t n, const std::string& excluded = "") {
  if (tasks.size() != n) return false;
  for (const auto& [id, v] : tasks) {
    if (v.state != "RUNNING" || v.worker_id == excluded) return false;
  }
  return true;
}

std::string worker_id_of(const KanalWorker& w) {
  std::string url = w.base_url();
  return url.substr(url.find("://") + 3);
}

std::string json_of(const Props& config, const std::string& name) {
  std::string body = "{\"name\":\"" + name + "\",\"config\":{";
  bool first = true;
  for (const auto& [k, v] : config) {
    if (!first) body += ",";
    first = false;
    body += "\"" + k + "\":\"" + v + "\"";
  }
  return body + "}}";
}

class Cluster {
 public:
  // `extra`: worker settings on top of the defaults below.
  explicit Cluster(int size, const Props& extra = {}) {
    std::string base = unique_test_name();
    Props props{{"group.id", base + "-group"},
                {"config.storage.topic", base + "-configs"},
                {"offset.storage.topic", base + "-offsets"},
                {"status.storage.topic", base + "-status"},
                {"config.storage.replication.factor", "1"},
                {"offset.storage.replication.factor", "1"},
                {"status.storage.replication.factor", "1"},
                {"offset.storage.partitions", "3"},
                {"status.storage.partitions", "2"},
                {"session.timeout.ms", std::to_string(kSessionTimeout.count() * 1000)},
                {"heartbeat.interval.ms", "1000"},
                // The connectors' own consumer groups notice a dead worker as quickly.
                {"consumer.session.timeout.ms", "6000"},
                {"consumer.heartbeat.interval.ms", "1000"},
                {"offset.flush.interval.ms", "1000"}};
    for (const auto& [k, v] : extra) props[k] = v;
    for (int i = 0; i < size; ++i) {
      dirs_.push_back(std::make_unique<TempDir>());
      workers_.push_back(std::make_unique<KanalWorker>(KanalWorkerOptions{
          .mode = "distributed", .dir = dirs_.back()->path(), .worker = props, .connectors = {}}));
    }
  }

  ::testing::AssertionResult start() {
    for (auto& w : workers_) {
      Status s = w->start();
      if (!s.ok()) return ::testing::AssertionFailure() << s.message();
    }
    return ::testing::AssertionSuccess();
  }

  KanalWorker& operator[](size_t i) { return *workers_[i]; }
  size_t size() const { return workers_.size(); }
  const std::filesystem::path& dir(size_t i) const { return dirs_[i]->path(); }

  // The leader: the range assignor gives the config topic's partition to the first member id,
  // and the broker makes member ids "<client.id>-<uuid>", client.id being the worker id.
  size_t leader_index(const std::set<size_t>& alive) const {
    size_t best = *alive.begin();
    for (size_t i : alive) {
      if (worker_id_of(*workers_[i]) < worker_id_of(*workers_[best])) best = i;
    }
    return best;
  }

  // Waits until the leader has published an assignment naming all `size()` workers, so that a
  // request to any other worker goes through a follower.
  ::testing::AssertionResult formed(size_t leader) const {
    return eventually(
        [&] {
          return log_of(leader).find("event=assignment.published") != std::string::npos &&
                 log_of(leader).find("members=" + std::to_string(size())) != std::string::npos;
        },
        60s, [&] { return logs(); });
  }

  std::string log_of(size_t i) const {
    std::ifstream in(workers_[i]->log_file());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::string logs() const {
    std::string s;
    for (const auto& w : workers_) s += "---- " + worker_id_of(*w) + "\n" + w->log_tail(40);
    return s;
  }

 private:
  std::vector<std::unique_ptr<TempDir>> dirs_;
  std::vector<std::unique_ptr<KanalWorker>> workers_;
};

TEST(DistributedClusterTest, ConnectorCreatedThroughFollowerRunsWithTasksSpreadOverWorkers) {
  Cluster cluster(3);
  ASSERT_TRUE(cluster.start());
  size_t leader = cluster.leader_index({0, 1, 2});
  size_t follower = (leader + 1) % 3;
  ASSERT_TRUE(cluster.formed(leader));
  std::string topic = unique_test_name("gen");
  Props gen{{"connector.class", "DatagenSource"},
            {"topic", topic},
            {"count", "-1"},
            {"rate", "60"},
            {"tasks.max", "6"}};

  // A follower may not know the leader yet right after start: 409 until it does.
  rest::testing::HttpResult created;
  ASSERT_TRUE(eventually(
      [&] {
        created = cluster[follower].http("POST", "/connectors", json_of(gen, "gen"));
        return created.status == 201;
      },
      60s, [&] { return std::to_string(created.status) + " " + created.body + cluster.logs(); }));

  for (size_t i = 0; i < cluster.size(); ++i) {
    ASSERT_TRUE(
        eventually([&] { return all_running(task_views(cluster[i], "gen"), 6); }, 90s,
                   [&] { return describe(task_views(cluster[i], "gen")) + cluster.logs(); }))
        << "worker " << i;
  }
  std::map<std::string, int> per_worker;
  for (size_t i = 0; i < cluster.size(); ++i) per_worker[worker_id_of(cluster[i])] = 0;
  auto tasks = task_views(cluster[0], "gen");
  for (const auto& [id, v] : tasks) per_worker[v.worker_id]++;
  int lo = 1000, hi = 0;
  for (const auto& [w, n] : per_worker) {
    lo = std::min(lo, n);
    hi = std::max(hi, n);
    std::printf("[ measured ] %s runs %d task(s) of gen\n", w.c_str(), n);
  }
  EXPECT_EQ(per_worker.size(), 3u) << describe(tasks);
  EXPECT_LE(hi - lo, 1) << describe(tasks);
  // Every worker serves the same view.
  for (size_t i = 1; i < cluster.size(); ++i) {
    auto other = task_views(cluster[i], "gen");
    for (const auto& [id, v] : tasks) EXPECT_EQ(other[id].worker_id, v.worker_id) << id;
  }
  // The follower forwarded the create: the leader wrote it.
  EXPECT_NE(cluster.log_of(leader).find("event=connector.created"), std::string::npos);
  EXPECT_EQ(cluster.log_of(follower).find("event=connector.created"), std::string::npos);
  EXPECT_EQ(cluster[follower].http("DELETE", "/connectors/gen").status, 204);
  EXPECT_TRUE(eventually(
      [&] { return cluster[leader].http("GET", "/connectors/gen").status == 404; }, 30s));
}

std::map<std::string, int> tasks_per_worker(const std::map<int, TaskView>& tasks) {
  std::map<std::string, int> out;
  for (const auto& [id, v] : tasks) out[v.worker_id]++;
  return out;
}

TEST(DistributedClusterTest, GracefulLeaveMovesTasksAtOnceAndPauseResumeWorkThroughFollowers) {
  Cluster cluster(3);
  ASSERT_TRUE(cluster.start());
  size_t leader = cluster.leader_index({0, 1, 2});
  size_t follower = (leader + 1) % 3;
  size_t other = (leader + 2) % 3;
  ASSERT_TRUE(cluster.formed(leader));
  Props gen{{"connector.class", "DatagenSource"},
            {"topic", unique_test_name("gen")},
            {"count", "-1"},
            {"rate", "60"},
            {"tasks.max", "6"}};
  rest::testing::HttpResult r;
  ASSERT_TRUE(eventually(
      [&] {
        r = cluster[follower].http("POST", "/connectors", json_of(gen, "gen"));
        return r.status == 201;
      },
      60s, [&] { return std::to_string(r.status) + " " + r.body + cluster.logs(); }));
  ASSERT_TRUE(
      eventually([&] { return all_running(task_views(cluster[leader], "gen"), 6); }, 90s,
                 [&] { return describe(task_views(cluster[leader], "gen")) + cluster.logs(); }));

  // Pause and resume through a follower: every task follows, wherever it runs.
  ASSERT_EQ(cluster[other].http("PUT", "/connectors/gen/pause").status, 202);
  EXPECT_TRUE(eventually(
      [&] {
        auto t = task_views(cluster[follower], "gen");
        return t.size() == 6 && std::all_of(t.begin(), t.end(), [](const auto& e) {
                 return e.second.state == "PAUSED";
               });
      },
      30s, [&] { return describe(task_views(cluster[follower], "gen")); }));
  ASSERT_EQ(cluster[other].http("PUT", "/connectors/gen/resume").status, 202);
  EXPECT_TRUE(eventually([&] { return all_running(task_views(cluster[follower], "gen"), 6); }, 30s,
                         [&] { return describe(task_views(cluster[follower], "gen")); }));

  // SIGTERM: the worker stops its tasks and leaves the group; the others take them at once.
  std::string leaving = worker_id_of(cluster[other]);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(cluster[other].stop().success()) << cluster[other].log_tail();
  ASSERT_TRUE(
      eventually([&] { return all_running(task_views(cluster[leader], "gen"), 6, leaving); }, 30s,
                 [&] { return describe(task_views(cluster[leader], "gen")); }));
  auto moved =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  std::printf(
      "[ measured ] graceful leave: every task RUNNING on the other workers %lld ms after "
      "SIGTERM\n",
      static_cast<long long>(moved.count()));
  EXPECT_LE(moved, 10s);  // session.timeout.ms is 6 s: a leave must not wait for it

  // Back again: the assignment is balanced once more (2/2/2).
  ASSERT_TRUE(is_ok(cluster[other].start()));
  EXPECT_TRUE(eventually(
      [&] {
        auto t = task_views(cluster[leader], "gen");
        auto per = tasks_per_worker(t);
        return all_running(t, 6) && per.size() == 3 && per[leaving] == 2;
      },
      60s, [&] { return describe(task_views(cluster[leader], "gen")) + cluster.logs(); }));
}

TEST(DistributedClusterTest, WholeClusterRestartBringsBackConnectorsTargetStatesAndOffsets) {
  Cluster cluster(3);
  ASSERT_TRUE(cluster.start());
  size_t leader = cluster.leader_index({0, 1, 2});
  size_t follower = (leader + 1) % 3;
  ASSERT_TRUE(cluster.formed(leader));
  std::string topic = unique_test_name("gen");
  constexpr size_t kCount = 3000;
  Props gen{{"connector.class", "DatagenSource"},
            {"topic", topic},
            {"count", std::to_string(kCount)},
            {"rate", "1500"},
            {"tasks.max", "3"}};
  Props idle{{"connector.class", "DatagenSource"},
             {"topic", topic + "-idle"},
             {"count", "-1"},
             {"rate", "10"},
             {"tasks.max", "2"}};
  rest::testing::HttpResult r;
  ASSERT_TRUE(eventually(
      [&] {
        r = cluster[follower].http("POST", "/connectors", json_of(gen, "gen"));
        return r.status == 201;
      },
      60s, [&] { return std::to_string(r.status) + " " + r.body + cluster.logs(); }));
  ASSERT_TRUE(eventually(
      [&] {
        r = cluster[follower].http("POST", "/connectors", json_of(idle, "idle"));
        return r.status == 201;
      },
      60s, [&] { return std::to_string(r.status) + " " + r.body; }));
  ASSERT_TRUE(eventually([&] { return all_running(task_views(cluster[leader], "idle"), 2); }, 90s,
                         [&] { return describe(task_views(cluster[leader], "idle")); }));
  ASSERT_EQ(cluster[follower].http("PUT", "/connectors/idle/stop").status, 204);
  ASSERT_TRUE(
      eventually([&] { return cluster[leader].connector_state("idle") == "STOPPED"; }, 30s));
  ASSERT_TRUE(eventually(
      [&] {
        auto v = consume_values(broker().bootstrap(), topic, 30s);
        return v.ok() && v->size() >= kCount;
      },
      90s, [&] { return describe(task_views(cluster[leader], "gen")) + cluster.logs(); }));

  for (size_t i = 0; i < cluster.size(); ++i) {
    EXPECT_TRUE(cluster[i].stop().success()) << cluster[i].log_tail();
  }
  ASSERT_TRUE(cluster.start());

  auto listed = cluster[follower].http("GET", "/connectors");
  EXPECT_NE(listed.body.find("\"gen\""), std::string::npos) << listed.body;
  EXPECT_NE(listed.body.find("\"idle\""), std::string::npos) << listed.body;
  EXPECT_TRUE(
      eventually([&] { return all_running(task_views(cluster[follower], "gen"), 3); }, 90s,
                 [&] { return describe(task_views(cluster[follower], "gen")) + cluster.logs(); }));
  EXPECT_EQ(cluster[follower].connector_state("idle"), "STOPPED");
  EXPECT_TRUE(task_views(cluster[follower], "idle").empty());
  // The source tasks resumed from their committed offsets: nothing was produced twice.
  auto values = consume_values(broker().bootstrap(), topic, 30s);
  ASSERT_TRUE(is_ok(values));
  std::set<std::string> unique(values->begin(), values->end());
  std::printf("[ measured ] after the whole-cluster restart: %zu records, %zu distinct, of %zu\n",
              values->size(), unique.size(), kCount);
  EXPECT_EQ(unique.size(), kCount);
  EXPECT_EQ(values->size(), kCount);
}

std::set<long> ids_in(const std::filesystem::path& file, size_t& lines) {
  std::set<long> ids;
  std::ifstream in(file);
  std::string l;
  lines = 0;
  while (std::getline(in, l)) {
    ++lines;
    auto colon = l.find(':');
    if (colon != std::string::npos) ids.insert(std::atol(l.substr(0, colon).c_str()));
  }
  return ids;
}

TEST(DistributedClusterTest,
     LeaderKilledDuringPipelineNewLeaderRestartsEveryTaskAndNoRecordIsLost) {
  // A vanished worker's work is held for this long before it moves (Connect's delayed rebalance).
  constexpr auto kScheduledDelay = 3s;
  Cluster cluster(3, {{"scheduled.rebalance.max.delay.ms",
                       std::to_string(std::chrono::milliseconds(kScheduledDelay).count())}});
  ASSERT_TRUE(cluster.start());
  std::string topic = unique_test_name("pipe");
  ASSERT_TRUE(is_ok(create_topic(broker().bootstrap(), topic, 3)));
  TempDir shared;
  auto output = shared / "sink.txt";
  constexpr int kCount = 40000;
  Props gen{{"connector.class", "DatagenSource"},
            {"topic", topic},
            {"count", std::to_string(kCount)},
            {"rate", "2000"},
            {"size", "20"},
            {"tasks.max", "3"}};
  // Relative: each worker writes the summary of what it received in its own directory.
  Props check{{"connector.class", "DatagenSink"},
              {"topics", topic},
              {"summary.file", "summary.json"},
              {"source.tasks", "3"},
              {"tasks.max", "1"}};
  Props file{{"connector.class", "FileStreamSink"},
             {"topics", topic},
             {"file", output.string()},
             {"tasks.max", "2"}};
  size_t leader = cluster.leader_index({0, 1, 2});
  size_t follower = (leader + 1) % 3;
  ASSERT_TRUE(cluster.formed(leader));
  for (const auto& [name, cfg] :
       std::vector<std::pair<std::string, Props>>{{"check", check}, {"file", file}, {"gen", gen}}) {
    rest::testing::HttpResult r;
    ASSERT_TRUE(eventually(
        [&] {
          r = cluster[follower].http("POST", "/connectors", json_of(cfg, name));
          return r.status == 201;
        },
        60s, [&] { return std::to_string(r.status) + " " + r.body + cluster.logs(); }));
  }
  std::map<std::string, size_t> task_counts{{"gen", 3}, {"check", 1}, {"file", 2}};
  for (const auto& [name, n] : task_counts) {
    ASSERT_TRUE(
        eventually([&] { return all_running(task_views(cluster[follower], name), n); }, 90s,
                   [&] { return describe(task_views(cluster[follower], name)) + cluster.logs(); }));
  }
  size_t lines = 0;
  ASSERT_TRUE(eventually([&] { return ids_in(output, lines).size() > 4000; }, 60s,
                         [&] { return cluster.logs(); }));

  std::string dead = worker_id_of(cluster[leader]);
  cluster[leader].kill9();
  auto killed_at = std::chrono::steady_clock::now();
  std::printf("[ measured ] killed leader %s after %zu records reached the file sink\n",
              dead.c_str(), ids_in(output, lines).size());

  for (const auto& [name, n] : task_counts) {
    ASSERT_TRUE(
        eventually([&] { return all_running(task_views(cluster[follower], name), n, dead); },
                   kSessionTimeout + kScheduledDelay + 30s,
                   [&] { return describe(task_views(cluster[follower], name)) + cluster.logs(); }))
        << name;
  }
  auto recovered = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - killed_at);
  std::printf(
      "[ measured ] every task RUNNING again on the survivors %lld ms after kill -9 "
      "(session.timeout.ms=%lld, scheduled.rebalance.max.delay.ms=%lld)\n",
      static_cast<long long>(recovered.count()),
      static_cast<long long>(std::chrono::milliseconds(kSessionTimeout).count()),
      static_cast<long long>(std::chrono::milliseconds(kScheduledDelay).count()));
  EXPECT_LE(recovered, kSessionTimeout + kScheduledDelay + 15s);
  // The new leader held the dead leader's work for the delay before moving it.
  bool held = false;
  for (size_t i = 0; i < cluster.size(); ++i) {
    if (i != leader && cluster.log_of(i).find("event=assignment.lost.held") != std::string::npos) {
      held = true;
    }
  }
  EXPECT_TRUE(held) << cluster.logs();

  ASSERT_TRUE(eventually([&] { return ids_in(output, lines).size() == kCount; }, 120s,
                         [&] {
                           return std::to_string(ids_in(output, lines).size()) +
                                  " distinct ids in the sink file\n" + cluster.logs();
                         }));
  std::set<long> ids = ids_in(output, lines);
  EXPECT_EQ(*ids.begin(), 0);
  EXPECT_EQ(*ids.rbegin(), kCount - 1);
  std::printf("[ measured ] file sink: %zu lines, %zu distinct ids of %d, %zu duplicates\n", lines,
              ids.size(), kCount, lines - ids.size());
  for (size_t i = 0; i < cluster.size(); ++i) {
    std::ifstream in(cluster.dir(i) / "summary.json");
    std::stringstream ss;
    ss << in.rdbuf();
    if (!ss.str().empty()) {
      std::printf("[ measured ] DatagenSink summary on %s%s: %s\n",
                  worker_id_of(cluster[i]).c_str(), i == leader ? " (killed)" : "",
                  ss.str().c_str());
    }
  }
}

TEST(DistributedClusterTest, VanishedWorkerBackWithinScheduledDelayGetsItsOwnTasksBack) {
  Cluster cluster(3, {{"scheduled.rebalance.max.delay.ms", "120000"}});
  ASSERT_TRUE(cluster.start());
  size_t leader = cluster.leader_index({0, 1, 2});
  size_t victim = (leader + 1) % 3;
  ASSERT_TRUE(cluster.formed(leader));
  Props gen{{"connector.class", "DatagenSource"},
            {"topic", unique_test_name("gen")},
            {"count", "-1"},
            {"rate", "20"},
            {"tasks.max", "6"}};
  rest::testing::HttpResult r;
  ASSERT_TRUE(eventually(
      [&] {
        r = cluster[leader].http("POST", "/connectors", json_of(gen, "gen"));
        return r.status == 201;
      },
      60s, [&] { return std::to_string(r.status) + " " + r.body + cluster.logs(); }));
  std::map<int, TaskView> before;
  ASSERT_TRUE(eventually(
      [&] {
        before = task_views(cluster[leader], "gen");
        return all_running(before, 6) && tasks_per_worker(before).size() == 3;
      },
      90s, [&] { return describe(before) + cluster.logs(); }));
  std::string gone = worker_id_of(cluster[victim]);
  std::set<int> victims_tasks;
  for (const auto& [id, v] : before) {
    if (v.worker_id == gone) victims_tasks.insert(id);
  }
  ASSERT_FALSE(victims_tasks.empty()) << describe(before);

  cluster[victim].kill9();
  // Once the group notices (session.timeout.ms), the leader holds the work back...
  ASSERT_TRUE(eventually(
      [&] {
        return cluster.log_of(leader).find("event=assignment.lost.held departed_worker=" + gone) !=
               std::string::npos;
      },
      kSessionTimeout + 30s, [&] { return cluster.logs(); }));
  // ...so nobody else starts the vanished worker's tasks (their status still names it).
  ASSERT_TRUE(eventually(
      [&] {
        std::string log = cluster.log_of(leader);
        size_t held = log.find("event=assignment.lost.held departed_worker=" + gone);
        return log.find("event=assignment.published", held) != std::string::npos;
      },
      10s, [&] { return cluster.logs(); }));
  auto during = task_views(cluster[leader], "gen");
  for (int id : victims_tasks) {
    EXPECT_EQ(during[id].worker_id, gone) << "task " << id << " moved: " << describe(during);
  }

  // Back within the delay (same host:port, so the same worker id): it gets exactly its own
  // tasks again and nothing else moved.
  ASSERT_TRUE(is_ok(cluster[victim].start()));
  std::map<int, TaskView> after;
  EXPECT_TRUE(eventually(
      [&] {
        after = task_views(cluster[leader], "gen");
        if (!all_running(after, 6)) return false;
        for (const auto& [id, v] : before) {
          if (after[id].worker_id != v.worker_id) return false;
        }
        return cluster.log_of(leader).find("event=assignment.lost.returned departed_worker=" +
                                           gone) != std::string::npos;
      },
      60s,
      [&] {
        return "before " + describe(before) + "\nafter " + describe(after) + cluster.logs();
      }));
}

TEST(DistributedClusterTest, RollingRestartOfEveryWorkerLosesNoRecord) {
  // Connect's default delay: a clean leave must not wait for it.
  Cluster cluster(3, {{"scheduled.rebalance.max.delay.ms", "300000"}});
  ASSERT_TRUE(cluster.start());
  std::string topic = unique_test_name("roll");
  ASSERT_TRUE(is_ok(create_topic(broker().bootstrap(), topic, 3)));
  TempDir shared;
  auto output = shared / "sink.txt";
  constexpr int kCount = 30000;
  Props gen{{"connector.class", "DatagenSource"},
            {"topic", topic},
            {"count", std::to_string(kCount)},
            {"rate", "600"},
            {"size", "20"},
            {"tasks.max", "3"}};
  Props file{{"connector.class", "FileStreamSink"},
             {"topics", topic},
             {"file", output.string()},
             {"tasks.max", "2"}};
  size_t leader = cluster.leader_index({0, 1, 2});
  ASSERT_TRUE(cluster.formed(leader));
  for (const auto& [name, cfg] :
       std::vector<std::pair<std::string, Props>>{{"file", file}, {"gen", gen}}) {
    rest::testing::HttpResult r;
    ASSERT_TRUE(eventually(
        [&] {
          r = cluster[leader].http("POST", "/connectors", json_of(cfg, name));
          return r.status == 201;
        },
        60s, [&] { return std::to_string(r.status) + " " + r.body + cluster.logs(); }));
  }
  std::map<std::string, size_t> task_counts{{"gen", 3}, {"file", 2}};
  for (const auto& [name, n] : task_counts) {
    ASSERT_TRUE(
        eventually([&] { return all_running(task_views(cluster[leader], name), n); }, 90s,
                   [&] { return describe(task_views(cluster[leader], name)) + cluster.logs(); }));
  }

  size_t lines = 0;
  for (size_t i = 0; i < cluster.size(); ++i) {
    size_t observer = (i + 1) % cluster.size();
    std::string leaving = worker_id_of(cluster[i]);
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(cluster[i].stop().success()) << cluster[i].log_tail();
    for (const auto& [name, n] : task_counts) {
      ASSERT_TRUE(eventually(
          [&] { return all_running(task_views(cluster[observer], name), n, leaving); }, 30s,
          [&] { return describe(task_views(cluster[observer], name)) + cluster.logs(); }))
          << name;
    }
    auto moved = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t0);
    std::printf(
        "[ measured ] rolling restart: %s stopped, every task RUNNING elsewhere after %lld "
        "ms (%zu ids in the sink so far)\n",
        leaving.c_str(), static_cast<long long>(moved.count()), ids_in(output, lines).size());
    ASSERT_TRUE(is_ok(cluster[i].start()));
    ASSERT_TRUE(eventually(
        [&] {
          auto t = task_views(cluster[observer], "gen");
          return all_running(t, 3) && tasks_per_worker(t).size() == 3;
        },
        60s, [&] { return describe(task_views(cluster[observer], "gen")) + cluster.logs(); }));
  }

  ASSERT_TRUE(eventually([&] { return ids_in(output, lines).size() == kCount; }, 120s,
                         [&] {
                           std::set<long> got = ids_in(output, lines);
                           // Where a record went missing: never produced, or not written?
                           std::set<long> in_topic;
                           if (auto v = consume_values(broker().bootstrap(), topic, 20s); v.ok()) {
                             for (const auto& s : *v) in_topic.insert(std::atol(s.c_str()));
                           }
                           std::string missing;
                           for (long id = 0, n = 0; id < kCount && n < 20; ++id) {
                             if (got.count(id)) continue;
                             missing += " " + std::to_string(id) +
                                        (in_topic.count(id) ? "(in topic)" : "(not in topic)");
                             ++n;
                           }
                           return std::to_string(got.size()) +
                                  " distinct ids in the sink file; missing:" + missing + "\n" +
                                  cluster.logs();
                         }));
  std::set<long> ids = ids_in(output, lines);
  EXPECT_EQ(*ids.begin(), 0);
  EXPECT_EQ(*ids.rbegin(), kCount - 1);
  std::printf("[ measured ] rolling restart: %zu lines, %zu distinct ids of %d, %zu duplicates\n",
              lines, ids.size(), kCount, lines - ids.size());
}

TEST(DistributedClusterTest, OffsetsOfStoppedConnectorsAreListedAlteredAndResetThroughAFollower) {
  Cluster cluster(2, {{"scheduled.rebalance.max.delay.ms", "0"}});
  ASSERT_TRUE(cluster.start());
  size_t leader = cluster.leader_index({0, 1});
  KanalWorker& follower = cluster[(leader + 1) % 2];
  ASSERT_TRUE(cluster.formed(leader));
  std::string topic = unique_test_name("offs");
  Props gen{
      {"connector.class", "DatagenSource"}, {"topic", topic}, {"count", "50"}, {"tasks.max", "1"}};
  TempDir out;
  Props sink{{"connector.class", "FileStreamSink"},
             {"topics", topic},
             {"file", (out / "sink.txt").string()},
             {"tasks.max", "1"}};
  for (const auto& [name, cfg] :
       std::vector<std::pair<std::string, Props>>{{"gen", gen}, {"sink", sink}}) {
    rest::testing::HttpResult r;
    ASSERT_TRUE(eventually(
        [&] {
          r = follower.http("POST", "/connectors", json_of(cfg, name));
          return r.status == 201;
        },
        60s, [&] { return std::to_string(r.status) + " " + r.body + cluster.logs(); }));
  }
  // Every record produced and consumed: the offsets say so, read through the follower.
  const std::string source_done = R"({"offsets":[{"partition":{"task":0},"offset":{"seq":49}}]})";
  const std::string sink_done = R"({"offsets":[{"partition":{"kafka_topic":")" + topic +
                                R"(","kafka_partition":0},"offset":{"kafka_offset":50}}]})";
  rest::testing::HttpResult got;
  EXPECT_TRUE(eventually(
      [&] { return (got = follower.http("GET", "/connectors/gen/offsets")).body == source_done; },
      60s, [&] { return got.body + cluster.logs(); }));
  EXPECT_TRUE(eventually(
      [&] { return (got = follower.http("GET", "/connectors/sink/offsets")).body == sink_done; },
      60s, [&] { return got.body + cluster.logs(); }));

  // A running connector's offsets cannot change.
  auto refused = follower.http("PATCH", "/connectors/gen/offsets",
                               R"({"offsets":[{"partition":{"task":0},"offset":{"seq":9}}]})");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("STOPPED"), std::string::npos) << refused.body;

  for (const char* name : {"gen", "sink"}) {
    ASSERT_EQ(follower.http("PUT", std::string("/connectors/") + name + "/stop").status, 204);
    ASSERT_TRUE(eventually([&] { return follower.connector_state(name) == "STOPPED"; }, 30s));
  }
  // The sink's consumer has left its group once its task stopped; altering may need a moment.
  rest::testing::HttpResult r;
  EXPECT_TRUE(eventually(
      [&] {
        r = follower.http("PATCH", "/connectors/gen/offsets",
                          R"({"offsets":[{"partition":{"task":0},"offset":{"seq":9}}]})");
        return r.status == 200;
      },
      30s, [&] { return r.body; }));
  EXPECT_EQ(follower.http("GET", "/connectors/gen/offsets").body,
            R"({"offsets":[{"partition":{"task":0},"offset":{"seq":9}}]})");
  const std::string sink_altered = R"({"offsets":[{"partition":{"kafka_topic":")" + topic +
                                   R"(","kafka_partition":0},"offset":{"kafka_offset":7}}]})";
  EXPECT_TRUE(eventually(
      [&] {
        r = follower.http("PATCH", "/connectors/sink/offsets", sink_altered);
        return r.status == 200;
      },
      30s, [&] { return r.body; }));
  EXPECT_EQ(cluster[leader].http("GET", "/connectors/sink/offsets").body, sink_altered);

  for (const char* name : {"gen", "sink"}) {
    r = follower.http("DELETE", std::string("/connectors/") + name + "/offsets");
    EXPECT_EQ(r.status, 200) << name << " " << r.body;
    EXPECT_NE(r.body.find("reset successfully"), std::string::npos) << r.body;
    EXPECT_EQ(follower.http("GET", std::string("/connectors/") + name + "/offsets").body,
              R"({"offsets":[]})")
        << name;
  }
}

}  // namespace
}  // namespace kanal::testing
