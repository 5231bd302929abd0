// Many REST clients at once against one `kanal standalone`: 8 threads mixing creates, deletes,
// config updates and reads on connectors of their own. Afterwards (and all along) every
// created-and-not-deleted connector is listed exactly once with its last config, deleted ones
// are gone, no request got a 5xx or no answer, and the worker still stops cleanly.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "e2e/rest_support.h"
#include "support/assertions.h"
#include "support/kanal_worker.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

constexpr int kClients = 8;
constexpr int kRequestsPerClient = 500;

// What one client did and saw; only its own thread touches it until join().
struct ClientRecord {
  std::map<std::string, int> live;  // connector → revision (its "size") last written
  std::set<std::string> deleted;
  std::vector<std::string> failures;
  int requests = 0;
};

class Client {
 public:
  Client(std::string base_url, std::string prefix, int id, ClientRecord& record)
      : base_(std::move(base_url)),
        prefix_(std::move(prefix)),
        id_(id),
        record_(record),
        random_(static_cast<uint32_t>(id) * 7919u + 17u) {}

  void run(int requests) {
    for (int i = 0; i < requests; ++i) step(i);
  }

 private:
  // Mostly STOPPED connectors (no tasks, cheap); every tenth is created running, so creates,
  // updates and deletes also start and stop real tasks.
  Props config(int revision) const {
    return {{"connector.class", "DatagenSource"},
            {"topic", prefix_ + "-topic"},
            {"count", "1"},
            {"rate", "1"},
            {"size", std::to_string(revision)}};
  }

  void step(int i) {
    int roll = std::uniform_int_distribution<int>(0, 99)(random_);
    if (roll < 20 || record_.live.empty()) {
      create(i);
    } else if (roll < 32) {
      std::string name = pick();
      expect("DELETE", "/connectors/" + name, "", 204);
      record_.live.erase(name);
      record_.deleted.insert(name);
    } else if (roll < 47) {
      list();
    } else if (roll < 57) {
      expect("GET", "/connectors/" + pick() + "/status", "", 200);
    } else if (roll < 67) {
      std::string name = pick();
      HttpResult r = expect("GET", "/connectors/" + name + "/config", "", 200);
      check_revision(name, parse_json(r));
    } else if (roll < 77) {
      std::string name = pick();
      int revision = record_.live[name] + 1;
      if (expect("PUT", "/connectors/" + name + "/config", json_object(config(revision)), 200)
              .status == 200) {
        record_.live[name] = revision;
      }
    } else if (roll < 84) {
      std::string name = pick();
      int revision = record_.live[name] + 1;
      std::string patch = R"({"size":")" + std::to_string(revision) + R"("})";
      if (expect("PATCH", "/connectors/" + name + "/config", patch, 200).status == 200) {
        record_.live[name] = revision;
      }
    } else if (roll < 90) {
      expanded_list();
    } else if (roll < 95) {
      expect("GET", "/connectors/" + pick(), "", 200);
    } else if (!record_.deleted.empty()) {
      expect("GET", "/connectors/" + *record_.deleted.begin() + "/status", "", 404);
    } else {
      expect("GET", "/connectors/" + pick() + "/tasks", "", 200);
    }
  }

  void create(int i) {
    std::string name = prefix_ + "-c" + std::to_string(id_) + "-" + std::to_string(i);
    bool running = i % 10 == 0;
    int revision = 100 + i;
    HttpResult r =
        running
            ? expect("PUT", "/connectors/" + name + "/config", json_object(config(revision)), 201)
            : expect("POST", "/connectors", create_body(name, config(revision), "STOPPED"), 201);
    if (r.status == 201) record_.live[name] = revision;
  }

  std::string pick() {
    auto it = record_.live.begin();
    std::advance(it, std::uniform_int_distribution<size_t>(0, record_.live.size() - 1)(random_));
    return it->first;
  }

  // Every live connector of this client is listed exactly once, no deleted one.
  void list() {
    HttpResult r = expect("GET", "/connectors", "", 200);
    rapidjson::Document d = parse_json(r);
    if (!d.IsArray()) return fail("GET /connectors is not a list: " + r.body);
    std::map<std::string, int> seen;
    for (const auto& n : d.GetArray()) seen[n.GetString()]++;
    for (const auto& [name, revision] : record_.live) {
      if (seen[name] != 1) fail(name + " listed " + std::to_string(seen[name]) + " times");
    }
    for (const auto& name : record_.deleted) {
      if (seen.count(name)) fail("deleted " + name + " is still listed");
    }
  }

  void expanded_list() {
    HttpResult r = expect("GET", "/connectors?expand=info&expand=status", "", 200);
    rapidjson::Document d = parse_json(r);
    if (!d.IsObject()) return fail("expanded list is not an object: " + r.body);
    for (const auto& [name, revision] : record_.live) {
      if (!d.HasMember(name.c_str()) || !d[name.c_str()].HasMember("info") ||
          !d[name.c_str()].HasMember("status")) {
        fail(name + " missing from the expanded list");
        continue;
      }
      check_revision(name, d[name.c_str()]["info"]["config"]);
    }
  }

  void check_revision(const std::string& name, const rapidjson::Value& config) {
    std::string want = std::to_string(record_.live[name]);
    if (!config.IsObject() || !config.HasMember("size") || config["size"].GetString() != want) {
      fail(name + ": config does not carry the last written size " + want);
    }
  }

  HttpResult expect(std::string_view method, const std::string& path, std::string_view body,
                    int status) {
    HttpResult r = rest::testing::request(method, base_ + path, body);
    ++record_.requests;
    if (r.status != status) {
      fail(std::string(method) + " " + path + " answered " + std::to_string(r.status) +
           " instead of " + std::to_string(status) + ": " + r.body);
    }
    return r;
  }

  void fail(std::string what) {
    if (record_.failures.size() < 20) record_.failures.push_back(std::move(what));
  }

  std::string base_;
  std::string prefix_;
  int id_;
  ClientRecord& record_;
  std::mt19937 random_;
};

TEST(RestConcurrencyTest, StaysConsistentWhenEightClientsMixReadsAndWrites) {
  TempDir dir("kanal-rest-concurrency");
  KanalWorker worker({.dir = dir.path(), .worker = {}, .connectors = {}});
  ASSERT_TRUE(is_ok(worker.start()));
  std::string prefix = unique_test_name();
  std::vector<ClientRecord> records(kClients);

  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back(
        [&, t] { Client(worker.base_url(), prefix, t, records[t]).run(kRequestsPerClient); });
  }
  for (auto& th : threads) th.join();

  int requests = 0;
  std::map<std::string, int> expected;
  std::set<std::string> deleted;
  for (const ClientRecord& r : records) {
    requests += r.requests;
    for (const auto& f : r.failures) ADD_FAILURE() << f;
    expected.insert(r.live.begin(), r.live.end());
    deleted.insert(r.deleted.begin(), r.deleted.end());
  }
  EXPECT_EQ(requests, kClients * kRequestsPerClient);
  ASSERT_FALSE(expected.empty());
  ASSERT_FALSE(deleted.empty());
  HttpResult list = worker.http("GET", "/connectors?expand=info");
  ASSERT_EQ(list.status, 200) << list.body;
  rapidjson::Document d = parse_json(list);
  ASSERT_TRUE(d.IsObject()) << list.body;
  std::map<std::string, int> listed;
  for (const auto& m : d.GetObject()) {
    listed[m.name.GetString()] = std::stoi(m.value["info"]["config"]["size"].GetString());
  }
  EXPECT_EQ(listed, expected) << "connector → last written size";
  HttpResult names = worker.http("GET", "/connectors");
  rapidjson::Document n = parse_json(names);
  ASSERT_TRUE(n.IsArray()) << names.body;
  EXPECT_EQ(n.Size(), expected.size()) << "each connector listed exactly once: " << names.body;
  for (const std::string& name : deleted) {
    EXPECT_TRUE(is_error(worker.http("GET", "/connectors/" + name), 404)) << name;
  }
  std::printf("[ measured ] %d requests from %d clients; %zu connectors left, %zu deleted\n",
              requests, kClients, expected.size(), deleted.size());
  EXPECT_TRUE(worker.stop().success()) << worker.log_tail();
}

class RestRaceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(is_ok(worker_.start())); }

  // Runs `request(t)` on kClients threads at once and returns the answers.
  std::vector<HttpResult> race(const std::function<HttpResult(int)>& request) {
    std::vector<HttpResult> results(kClients);
    std::vector<std::thread> threads;
    for (int t = 0; t < kClients; ++t) {
      threads.emplace_back([&, t] { results[t] = request(t); });
    }
    for (auto& th : threads) th.join();
    return results;
  }

  TempDir dir_{"kanal-rest-race"};
  KanalWorker worker_{{.dir = dir_.path(), .worker = {}, .connectors = {}}};
  std::string name_ = unique_test_name();
};

TEST_F(RestRaceTest, CreatesConnectorOnceWhenClientsRaceForOneName) {
  std::string url = worker_.base_url() + "/connectors";

  std::vector<HttpResult> results = race([&](int t) {
    Props config{{"connector.class", "DatagenSource"},
                 {"topic", name_ + "-" + std::to_string(t)},
                 {"count", "1"}};
    return rest::testing::request("POST", url, create_body(name_, config, "STOPPED"));
  });

  int created = 0;
  std::string winner;
  for (const HttpResult& r : results) {
    if (r.status == 201) {
      ++created;
      winner = parse_json(r)["config"]["topic"].GetString();
    } else {
      EXPECT_TRUE(is_error(r, 409, {name_})) << r.body;
    }
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(worker_.http("GET", "/connectors").body, "[\"" + name_ + "\"]");
  EXPECT_NE(worker_.http("GET", "/connectors/" + name_ + "/config").body.find(winner),
            std::string::npos);
}

TEST_F(RestRaceTest, KeepsEveryPatchedKeyWhenClientsPatchOneConnectorAtOnce) {
  Props config{{"connector.class", "DatagenSource"}, {"topic", name_}, {"count", "1"}};
  ASSERT_EQ(worker_.http("POST", "/connectors", create_body(name_, config, "STOPPED")).status, 201);
  constexpr int kRounds = 10;

  std::string url = worker_.base_url() + "/connectors/" + name_ + "/config";

  std::vector<HttpResult> results = race([&](int t) {
    HttpResult last;
    for (int round = 0; round < kRounds; ++round) {
      std::string key = "x.client" + std::to_string(t) + ".round" + std::to_string(round);
      last = rest::testing::request("PATCH", url, R"({")" + key + R"(":"set"})");
      if (last.status != 200) break;
    }
    return last;
  });

  for (const HttpResult& r : results) EXPECT_EQ(r.status, 200) << r.body;
  rapidjson::Document stored = parse_json(worker_.http("GET", "/connectors/" + name_ + "/config"));
  ASSERT_TRUE(stored.IsObject());
  int lost = 0;
  for (int t = 0; t < kClients; ++t) {
    for (int round = 0; round < kRounds; ++round) {
      std::string key = "x.client" + std::to_string(t) + ".round" + std::to_string(round);
      lost += !stored.HasMember(key.c_str());
    }
  }
  EXPECT_EQ(lost, 0) << "patched keys lost by concurrent PATCH requests";
}

}  // namespace
}  // namespace kanal::testing
