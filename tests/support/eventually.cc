#include "support/eventually.h"

#include <algorithm>
#include <thread>

namespace kanal::testing {

::testing::AssertionResult eventually(std::function<bool()> condition,
                                      std::chrono::milliseconds deadline,
                                      std::function<std::string()> describe_last_state) {
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + deadline;
  auto pause = std::chrono::milliseconds(10);
  int attempts = 0;
  while (true) {
    ++attempts;
    if (condition()) return ::testing::AssertionSuccess();
    const auto now = std::chrono::steady_clock::now();
    if (now >= end) break;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(pause, end - now));
    pause = std::min(pause * 2, std::chrono::milliseconds(250));
  }
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  ::testing::AssertionResult failure = ::testing::AssertionFailure();
  failure << "condition still false after " << waited.count() << " ms (deadline "
          << deadline.count() << " ms, " << attempts << " attempts)";
  if (describe_last_state) failure << "; last state: " << describe_last_state();
  return failure;
}

}  // namespace kanal::testing
