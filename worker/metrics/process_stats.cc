#include "metrics/process_stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace kanal::metrics {
namespace {

// /proc/self/stat: the command name (field 2) may hold spaces and parentheses, so fields are
// counted from the last ')'. Returns the fields from field 3 (state) on.
std::vector<std::string> stat_fields() {
  std::ifstream in("/proc/self/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> out;
  size_t close = all.rfind(')');
  if (close == std::string::npos) return out;
  std::istringstream rest(all.substr(close + 1));
  std::string f;
  while (rest >> f) out.push_back(f);
  return out;
}

double boot_time_seconds() {
  std::ifstream in("/proc/stat");
  std::string key;
  while (in >> key) {
    if (key == "btime") {
      double v = -1;
      in >> v;
      return v;
    }
    in.ignore(1 << 20, '\n');
  }
  return -1;
}

}  // namespace

ProcessStats read_process_stats() {
  ProcessStats s;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  std::vector<std::string> f = stat_fields();
  // Field numbers as proc(5) gives them; f[0] is field 3.
  auto field = [&](size_t n) -> double {
    size_t i = n - 3;
    return i < f.size() ? std::stod(f[i]) : -1;
  };
  try {
    if (f.size() >= 22 && ticks > 0) {
      s.cpu_seconds = (field(14) + field(15)) / ticks;
      s.virtual_memory_bytes = field(23);
      s.resident_memory_bytes = field(24) * page;
      double boot = boot_time_seconds();
      if (boot >= 0) s.start_time_seconds = boot + field(22) / ticks;
    }
  } catch (const std::exception&) {
    // A /proc format we do not understand: leave the fields unknown.
  }
  std::error_code ec;
  double fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++fds;
  }
  if (!ec) s.open_fds = fds;
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY) {
    s.max_fds = static_cast<double>(lim.rlim_cur);
  }
  return s;
}

}  // namespace kanal::metrics
