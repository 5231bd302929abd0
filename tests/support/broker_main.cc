// main() of every integration and e2e test binary: one real Kafka broker for all its tests.
#include <gtest/gtest.h>

#include "support/broker_environment.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  kanal::testing::register_broker_environment();
  return RUN_ALL_TESTS();
}
