// HeadlessChromium: Debian's `chromium` started headless for a browser test, driven over the
// Chrome DevTools Protocol (CDP) on a websocket (cpprestsdk).
//
//   HeadlessChromium browser;
//   ASSERT_TRUE(browser.start().ok());
//   ASSERT_TRUE(browser.navigate(worker.base_url() + "/ui/").ok());
//   Result<std::string> title = browser.evaluate("document.title");
//
// start() gives an error naming scripts/setup when `chromium` is not installed. The browser
// runs with a fresh profile in a temporary directory, on a debugging port it picks itself
// (read back from <profile>/DevToolsActivePort), and is stopped by the destructor; it is
// spawned through support/process.h, so it also dies with the test binary. Main thread only
// (PDEATHSIG follows the spawning thread); every wait has a deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace kanal::testing {

class HeadlessChromium {
 public:
  HeadlessChromium();
  ~HeadlessChromium();
  HeadlessChromium(const HeadlessChromium&) = delete;
  HeadlessChromium& operator=(const HeadlessChromium&) = delete;

  // Starts chromium on about:blank and connects to its page. Error when chromium is missing
  // (the message says scripts/setup installs it), exits, or does not open its debugging port
  // within `timeout`; the message then carries the end of chromium's log.
  Status start(std::chrono::milliseconds timeout = std::chrono::seconds(60));

  // Page.navigate to `url`; returns once the browser answered (the page may still be loading:
  // wait on document.readyState with eventually()). Error for a navigation the browser refuses.
  Status navigate(const std::string& url);

  // Runtime.evaluate of `expression` in the page, awaiting a promise it returns. A string
  // result is returned as is, anything else as JSON ("true", "3", "null"). Error when the
  // expression throws (with the exception text) or the browser does not answer in time.
  Result<std::string> evaluate(const std::string& expression);

  // The last lines of chromium's own output, for failure messages.
  std::string log_tail(size_t lines = 30) const;

 private:
  class Connection;

  // Sends one CDP command and waits for its answer; returns the answer's "result" object as
  // JSON text, or the CDP error.
  Result<std::string> call(const std::string& method, const std::string& params_json);

  TempDir dir_;
  std::optional<Process> process_;
  std::unique_ptr<Connection> connection_;
  int64_t next_id_ = 1;
};

}  // namespace kanal::testing
