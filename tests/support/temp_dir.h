// Scratch directories and small file helpers for tests.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kanal::testing {

// A fresh directory under $TMPDIR (or /tmp), created by mkdtemp with the given name prefix and
// removed recursively by the destructor, unless KANAL_KEEP_TEST_DIRS=1 is set in the environment
// (then its path is printed to stderr so a failed run can be inspected).
// Construction failure aborts the test binary with the reason: no test can go on without it.
// Move-only.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "kanal-test");
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::filesystem::path& path() const { return path_; }
  // path() / name.
  std::filesystem::path operator/(const std::filesystem::path& name) const { return path_ / name; }

 private:
  void remove();

  std::filesystem::path path_;
};

// The whole content of `path`; an error names the path and the reason.
Result<std::string> read_file(const std::filesystem::path& path);
// Replaces the content of `path` with `content`.
Status write_file(const std::filesystem::path& path, std::string_view content);
// The last `max_lines` lines of `path`, or a one-line note when it cannot be read. For failure
// messages, e.g. the end of a broker log.
std::string tail_of_file(const std::filesystem::path& path, size_t max_lines = 40);

}  // namespace kanal::testing
