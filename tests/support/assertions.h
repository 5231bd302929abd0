// GoogleTest glue for kanal::Status and kanal::Result: ASSERT_TRUE(is_ok(create_topic(...)))
// prints the status message when it fails.
#pragma once

#include <gtest/gtest.h>

#include "common/status.h"

namespace kanal::testing {

inline ::testing::AssertionResult is_ok(const Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << status.to_string();
}

template <typename T>
::testing::AssertionResult is_ok(const Result<T>& result) {
  return is_ok(result.status());
}

// "<TestSuite>.<Test>" of the running test made into a Kafka topic / connector name
// ([A-Za-z0-9._-], other characters become '-'), with "-<suffix>" appended when given, so tests
// never share topics. Parameterised tests get their index too ("Suite/0.Test/1" ->
// "Suite-0.Test-1"). Outside a test (e.g. in an Environment) returns "kanal-test[-suffix]".
std::string unique_test_name(std::string_view suffix = {});

}  // namespace kanal::testing
