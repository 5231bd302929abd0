#include "support/eventually.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/assertions.h"

namespace kanal::testing {
namespace {

using std::chrono::milliseconds;

TEST(EventuallyTest, SucceedsWhenConditionBecomesTrueBeforeDeadline) {
  int calls = 0;

  ::testing::AssertionResult result = eventually([&] { return ++calls == 3; }, milliseconds(5000));

  EXPECT_TRUE(result);
  EXPECT_EQ(calls, 3);
}

TEST(EventuallyTest, ReportsLastStateWhenDeadlinePasses) {
  int calls = 0;

  ::testing::AssertionResult result = eventually(
      [&] {
        ++calls;
        return false;
      },
      milliseconds(50), [&] { return "calls=" + std::to_string(calls); });

  EXPECT_FALSE(result);
  EXPECT_NE(std::string(result.message()).find("deadline 50 ms"), std::string::npos)
      << result.message();
  EXPECT_NE(std::string(result.message()).find("last state: calls=" + std::to_string(calls)),
            std::string::npos)
      << result.message();
}

TEST(IsOkTest, CarriesTheStatusMessageWhenStatusIsAnError) {
  ::testing::AssertionResult result = is_ok(Status::not_found("topic 'x' does not exist"));

  EXPECT_FALSE(result);
  EXPECT_NE(std::string(result.message()).find("topic 'x' does not exist"), std::string::npos);
}

TEST(UniqueTestNameTest, DerivesNameFromTheRunningTest) {
  EXPECT_EQ(unique_test_name("a b"), "UniqueTestNameTest.DerivesNameFromTheRunningTest-a-b");
}

}  // namespace
}  // namespace kanal::testing
