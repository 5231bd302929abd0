// eventually(): the only sanctioned way for a test to wait for something.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

namespace kanal::testing {

// Calls `condition` until it returns true or `deadline` has passed, pausing briefly between
// calls (10 ms growing to 250 ms). Returns success as soon as the condition holds; on timeout a
// failure whose message gives the deadline, the number of attempts and, when
// `describe_last_state` is set, what it returned after the last attempt (e.g. the records
// consumed so far). Use as ASSERT_TRUE(eventually(...)). Exceptions from the callbacks
// propagate. Blocks the calling thread.
::testing::AssertionResult eventually(std::function<bool()> condition,
                                      std::chrono::milliseconds deadline,
                                      std::function<std::string()> describe_last_state = {});

}  // namespace kanal::testing
