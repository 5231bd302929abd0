#include "support/broker_environment.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "support/process.h"

namespace kanal::testing {
namespace {

BrokerEnvironment* g_environment = nullptr;  // owned by GoogleTest once registered

// Restarts the shared broker after a test that left it stopped (a fault test that failed
// half-way), so one broken test does not fail all that follow.
class RestartStoppedBroker : public ::testing::EmptyTestEventListener {
  void OnTestEnd(const ::testing::TestInfo& info) override {
    KafkaBroker* b = g_environment != nullptr ? g_environment->broker() : nullptr;
    if (b == nullptr || b->running()) return;
    std::fprintf(stderr, "[kanal test harness] %s.%s left the broker stopped; restarting it\n",
                 info.test_suite_name(), info.name());
    Status s = b->start();
    if (!s.ok()) std::fprintf(stderr, "[kanal test harness] %s\n", s.to_string().c_str());
  }
};

}  // namespace

void BrokerEnvironment::SetUp() {
  auto broker = std::make_unique<KafkaBroker>();
  Status started = broker->start();
  // On failure GoogleTest skips every test; broker() stays null so nothing retries the start.
  ASSERT_TRUE(started.ok()) << started.to_string();
  broker_ = std::move(broker);
}

void BrokerEnvironment::TearDown() {
  if (!broker_) return;
  // No graceful stop: the data is deleted next, and SIGKILL saves the shutdown time.
  broker_->kill9();
  broker_.reset();
}

KafkaBroker& broker() {
  KafkaBroker* b = g_environment != nullptr ? g_environment->broker() : nullptr;
  if (b == nullptr) {
    std::fprintf(stderr,
                 "kanal::testing::broker() called without a broker: only binaries registered "
                 "with LABEL integration or e2e have one, from the first SetUp to TearDown\n");
    std::abort();
  }
  return *b;
}

void register_broker_environment() {
  install_child_cleanup_on_signals();
  g_environment = new BrokerEnvironment;
  ::testing::AddGlobalTestEnvironment(g_environment);
  ::testing::UnitTest::GetInstance()->listeners().Append(new RestartStoppedBroker);
}

}  // namespace kanal::testing
