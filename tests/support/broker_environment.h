// The broker shared by all tests of an integration or e2e binary.
//
// Binaries registered with kanal_add_test(... LABEL integration|e2e ...) link
// kanal_test_broker_main, whose main() registers BrokerEnvironment: one KafkaBroker is started
// before the first test and stopped after the last one, also when a test fails or the start
// itself fails (then every test is skipped and the failure shows the end of the broker log).
// SIGINT/SIGTERM/SIGHUP to the test binary kill the JVM before the binary dies.
//
// Tests share the broker, not topics: derive names from unique_test_name()
// (support/assertions.h). A test that stops the broker (fault tests) should start it again; if
// it does not, the broker is restarted after that test so the next one is not affected.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "support/kafka_broker.h"

namespace kanal::testing {

class BrokerEnvironment : public ::testing::Environment {
 public:
  void SetUp() override;
  void TearDown() override;

  // Nullptr before SetUp and after TearDown.
  KafkaBroker* broker() { return broker_.get(); }

 private:
  std::unique_ptr<KafkaBroker> broker_;
};

// The running broker of this test binary. Test thread only. Aborts with a message when called
// from a binary that has no BrokerEnvironment (a unit test) or outside SetUp..TearDown.
KafkaBroker& broker();

// Used by kanal_test_broker_main: registers the environment with GoogleTest (which owns it),
// the listener that restarts a broker a test left stopped, and the signal handlers.
void register_broker_environment();

}  // namespace kanal::testing
