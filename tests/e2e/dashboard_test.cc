// The dashboard (/ui/, issue #10 part 6) end to end: `kanal standalone` with a real broker and
// Datagen connectors, the page opened in headless Chromium (Debian's `chromium`) and driven
// over the DevTools protocol the way a user drives it — reading the connectors table, clicking
// buttons, filling the new-connector form — with every effect checked over REST.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "e2e/headless_chromium.h"
#include "e2e/rest_support.h"
#include "support/eventually.h"
#include "support/kanal_worker.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kDeadline = 60s;

// One worker for the suite; each test runs its own browser and its own connectors, named after
// the test.
class DashboardTest : public ::testing::Test {
 protected:
  static SuiteWorker suite_;  // one kanal standalone for the suite

  static void SetUpTestSuite() {
    suite_.start("kanal-dashboard-e2e", [](const TempDir&) { return KanalWorkerOptions{}; });
  }
  static void TearDownTestSuite() { suite_.stop(); }

  void SetUp() override {
    ASSERT_TRUE(suite_.ready());
    Status s = browser_.start();
    ASSERT_TRUE(s.ok()) << s.to_string();
    name_ = std::string("dash-") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }

  void TearDown() override {
    for (const std::string& n : created_) (void)suite_.worker().http("DELETE", "/connectors/" + n);
    if (HasFailure()) {
      std::fprintf(stderr, "page:\n%s\nworker log:\n%s\nchromium log:\n%s\n",
                   page("document.body.innerText").c_str(), suite_.worker().log_tail(20).c_str(),
                   browser_.log_tail(20).c_str());
    }
  }

  // A Datagen source producing `rate` records/s without end, created over REST.
  void create_datagen(const std::string& name, int rate = 20) {
    created_.push_back(name);
    HttpResult r = suite_.worker().http("POST", "/connectors",
                                        create_body(name, {{"connector.class", "DatagenSource"},
                                                           {"topic", name},
                                                           {"rate", std::to_string(rate)},
                                                           {"tasks.max", "1"}}));
    ASSERT_EQ(r.status, 201) << r.body;
  }

  // Opens the dashboard and waits until its script has loaded.
  void open_dashboard() {
    Status s = browser_.navigate(suite_.worker().base_url() + "/ui/");
    ASSERT_TRUE(s.ok()) << s.to_string();
    ASSERT_TRUE(eventually(
        [&] {
          return page("document.readyState") == "complete" &&
                 page("String(!!document.getElementById('connectors'))") == "true";
        },
        kDeadline, [&] { return page("document.documentElement.outerHTML"); }));
  }

  // What `expression` evaluates to in the page, or "error: ..." when it throws.
  std::string page(const std::string& expression) {
    auto r = browser_.evaluate(expression);
    return r.ok() ? r.value() : "error: " + r.status().to_string();
  }

  // The state the page shows for connector `name` ("<not listed>" when it has no row).
  std::string state_on_page(const std::string& name, const std::string& role = "connector-state") {
    return page("(() => { const e = document.querySelector('tbody[data-connector=\"" + name +
                "\"] [data-role=\"" + role +
                "\"]'); return e ? e.textContent : '<not listed>'; })()");
  }

  // Clicks the element matching `selector` as a user would; "clicked" or why it could not.
  std::string click(const std::string& selector) {
    return page("(() => { const e = document.querySelector('" + selector +
                "'); if (!e) return 'nothing matches'; if (e.disabled) return 'disabled'; "
                "e.click(); return 'clicked'; })()");
  }

  // Sets a form control's value and fires the events a user's typing would.
  std::string set_value(const std::string& selector, const std::string& value) {
    return page("(() => { const e = document.querySelector('" + selector +
                "'); if (!e) return 'nothing matches'; e.value = '" + value +
                "'; e.dispatchEvent(new Event('input', {bubbles: true})); "
                "e.dispatchEvent(new Event('change', {bubbles: true})); return 'set'; })()");
  }

  std::string page_text() { return page("document.querySelector('main').innerText"); }

  HeadlessChromium browser_;
  std::string name_;
  std::vector<std::string> created_;
};

SuiteWorker DashboardTest::suite_;

TEST_F(DashboardTest, ListsRunningConnectorWithItsTaskWhenPageOpens) {
  create_datagen(name_);
  ASSERT_TRUE(
      eventually([&] { return suite_.worker().task_state(name_, 0) == "RUNNING"; }, kDeadline));

  open_dashboard();

  EXPECT_TRUE(eventually([&] { return state_on_page(name_) == "RUNNING"; }, kDeadline,
                         [&] { return page_text(); }));
  EXPECT_TRUE(eventually([&] { return state_on_page(name_, "task-state") == "RUNNING"; }, kDeadline,
                         [&] { return page_text(); }));
  EXPECT_EQ(page("document.querySelector('tbody[data-connector=\"" + name_ +
                 "\"] [data-role=\"type\"]').textContent"),
            "source");
  EXPECT_NE(page("document.querySelector('tbody[data-connector=\"" + name_ +
                 "\"] [data-role=\"worker\"]').textContent"),
            "");
  EXPECT_EQ(page("String(document.getElementById('error').hidden)"), "true")
      << page("document.getElementById('error').textContent");
}

// Records/s comes from GET /metrics between two refreshes; a worker without /metrics shows "—".
TEST_F(DashboardTest, ShowsThroughputOfRunningSourceWhenWorkerHasMetrics) {
  create_datagen(name_, 50);
  ASSERT_TRUE(
      eventually([&] { return suite_.worker().task_state(name_, 0) == "RUNNING"; }, kDeadline));
  bool has_metrics = suite_.worker().http("GET", "/metrics").status == 200;

  open_dashboard();

  std::string rate;
  EXPECT_TRUE(eventually(
      [&] {
        rate = state_on_page(name_, "throughput");
        if (!has_metrics) return rate == "—";
        return rate != "—" && rate != "<not listed>" && std::strtod(rate.c_str(), nullptr) > 0;
      },
      kDeadline,
      [&] {
        return "/metrics " + std::string(has_metrics ? "served" : "absent") + ", page: " + rate;
      }));
}

TEST_F(DashboardTest, PausesConnectorWhenPauseIsClickedOnPage) {
  create_datagen(name_);
  open_dashboard();
  ASSERT_TRUE(eventually([&] { return state_on_page(name_) == "RUNNING"; }, kDeadline,
                         [&] { return page_text(); }));

  EXPECT_EQ(click("button[data-action=\"pause\"][data-connector=\"" + name_ + "\"]"), "clicked");

  std::string rest_state;
  EXPECT_TRUE(eventually(
      [&] {
        rest_state = suite_.worker().connector_state(name_);
        return rest_state == "PAUSED";
      },
      kDeadline, [&] { return "REST says " + rest_state; }));
  EXPECT_TRUE(eventually([&] { return state_on_page(name_) == "PAUSED"; }, kDeadline,
                         [&] { return page_text(); }));
  EXPECT_NE(click("button[data-action=\"resume\"][data-connector=\"" + name_ + "\"]"),
            "nothing matches");
}

TEST_F(DashboardTest, ShowsValidationErrorNextToFieldWhenRequiredValueIsMissing) {
  open_dashboard();
  ASSERT_EQ(click("#new-connector"), "clicked");
  ASSERT_TRUE(eventually(
      [&] {
        return page(
                   "String(!!document.querySelector('#plugin-select "
                   "option[value=\"dev.kanal.connect.datagen.DatagenSourceConnector\"]'))") ==
               "true";
      },
      kDeadline, [&] { return page("document.getElementById('new-connector-panel').innerText"); }));
  ASSERT_EQ(set_value("#plugin-select", "dev.kanal.connect.datagen.DatagenSourceConnector"), "set");
  ASSERT_TRUE(eventually(
      [&] { return page("String(!!document.querySelector('[data-key=\"topic\"]'))") == "true"; },
      kDeadline));
  ASSERT_EQ(set_value("#connector-name", name_), "set");
  created_.push_back(name_);

  EXPECT_EQ(click("#create-connector"), "clicked");

  EXPECT_TRUE(eventually(
      [&] {
        return page("document.querySelector('[data-error-for=\"topic\"]').textContent") != "";
      },
      kDeadline, [&] { return page("document.getElementById('new-connector-panel').innerText"); }));
  EXPECT_EQ(page("document.querySelector('[data-key=\"topic\"]').getAttribute('aria-invalid')"),
            "true");
  HttpResult r = suite_.worker().http("GET", "/connectors/" + name_);
  EXPECT_EQ(r.status, 404) << "the form created a connector despite the error: " << r.body;
}

TEST_F(DashboardTest, CreatesConnectorWhenFormIsFilledAndSubmitted) {
  open_dashboard();
  ASSERT_EQ(click("#new-connector"), "clicked");
  ASSERT_TRUE(eventually(
      [&] {
        return page(
                   "String(!!document.querySelector('#plugin-select "
                   "option[value=\"dev.kanal.connect.datagen.DatagenSourceConnector\"]'))") ==
               "true";
      },
      kDeadline, [&] { return page("document.getElementById('new-connector-panel').innerText"); }));
  ASSERT_EQ(set_value("#plugin-select", "dev.kanal.connect.datagen.DatagenSourceConnector"), "set");
  ASSERT_TRUE(eventually(
      [&] { return page("String(!!document.querySelector('[data-key=\"topic\"]'))") == "true"; },
      kDeadline));
  ASSERT_EQ(set_value("#connector-name", name_), "set");
  ASSERT_EQ(set_value("[data-key=\"topic\"]", name_), "set");
  ASSERT_EQ(set_value("[data-key=\"rate\"]", "5"), "set");
  created_.push_back(name_);

  EXPECT_EQ(click("#create-connector"), "clicked");

  HttpResult r;
  EXPECT_TRUE(eventually(
      [&] {
        r = suite_.worker().http("GET", "/connectors/" + name_ + "/config");
        return r.status == 200;
      },
      kDeadline,
      [&] {
        return page("document.getElementById('new-connector-panel').innerText") +
               " | REST: " + r.body;
      }));
  rapidjson::Document config = parse_json(r);
  ASSERT_TRUE(config.IsObject()) << r.body;
  EXPECT_STREQ(config["topic"].GetString(), name_.c_str());
  EXPECT_STREQ(config["rate"].GetString(), "5");
  EXPECT_TRUE(eventually([&] { return state_on_page(name_) == "RUNNING"; }, kDeadline,
                         [&] { return page_text(); }));
}

}  // namespace
}  // namespace kanal::testing
