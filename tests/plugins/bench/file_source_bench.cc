// Benchmark (not a test): the bundled file source through the plugin loader, as the worker runs
// it -- SourceTaskInstance::poll() over a file of N lines, then commit_record() per record.
// Prints records/s and heap allocations per record (operator new is counted process-wide, so
// host and plugin allocations both count: the plugin's libstdc++ calls bind to this binary's
// operator new).
//
//   kanal_file_source_bench [lines=200000] [line_bytes=64] [plugin_folder=<build>/plugins/file]
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "plugins/plugin_registry.h"
#include "plugins/task_instances.h"

namespace {
std::atomic<uint64_t> g_allocs{0};
}  // namespace

void* operator new(size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace {

namespace fs = std::filesystem;
using kanal::plugins::PluginRegistry;
using kanal::plugins::SourceTaskInstance;

class NoOffsets : public kanal::plugins::SourceOffsetReader {
 public:
  std::optional<kanal::data::OrderedMap> offset(const kanal::data::OrderedMap&) override {
    return std::nullopt;
  }
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const size_t lines = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200000;
  const size_t line_bytes = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 64;
  fs::path file = fs::temp_directory_path() / ("kanal-file-bench-" + std::to_string(::getpid()));
  {
    std::ofstream out(file);
    std::string line(line_bytes, 'x');
    for (size_t i = 0; i < lines; ++i) out << line << '\n';
  }
  const fs::path folder =
      argc > 3 ? fs::path(argv[3]) : fs::path(KANAL_BUNDLED_PLUGIN_DIR) / "file";
  PluginRegistry registry = PluginRegistry::scan({folder});
  auto info = registry.find_connector("FileStreamSource");
  if (!info.ok()) {
    std::fprintf(stderr, "%s\n", info.status().to_string().c_str());
    return 1;
  }
  auto task = SourceTaskInstance::create(*info, "bench", 0);
  NoOffsets offsets;
  if (!task.ok() ||
      !(*task)
           ->start({{"file", file.string()}, {"topic", "bench"}, {"batch.size", "2000"}}, &offsets)
           .ok()) {
    std::fprintf(stderr, "task failed to start\n");
    return 1;
  }

  std::vector<kanal::data::SourceRecord> batch;
  std::vector<kanal::data::SourceRecord> last;
  size_t polled = 0;
  uint64_t allocs = g_allocs.load();
  auto start = std::chrono::steady_clock::now();
  while (polled < lines) {
    batch.clear();
    if (!(*task)->poll(batch).ok()) return 1;
    polled += batch.size();
    if (polled >= lines) last = std::move(batch);
  }
  double poll_s = seconds_since(start);
  uint64_t poll_allocs = g_allocs.load() - allocs;

  allocs = g_allocs.load();
  start = std::chrono::steady_clock::now();
  for (const auto& r : last) (void)(*task)->commit_record(r, std::nullopt);
  double commit_s = seconds_since(start);
  uint64_t commit_allocs = g_allocs.load() - allocs;

  (*task)->stop();
  fs::remove(file);
  std::printf("file source via loader: %zu records of %zu bytes\n", polled, line_bytes);
  std::printf("  poll:          %.0f records/s, %.2f allocations/record\n", polled / poll_s,
              static_cast<double>(poll_allocs) / static_cast<double>(polled));
  std::printf("  commit_record: %.0f records/s, %.2f allocations/record (%zu records)\n",
              static_cast<double>(last.size()) / commit_s,
              static_cast<double>(commit_allocs) / static_cast<double>(last.size()), last.size());
  return 0;
}
