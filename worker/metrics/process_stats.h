// This process's CPU time, memory and start time, read from /proc (Linux) at scrape time, for
// the process_* metrics every Prometheus client library exports. Thread-safe; blocks briefly
// on /proc reads. Fields a read cannot get stay negative.
#pragma once

namespace kanal::metrics {

struct ProcessStats {
  double cpu_seconds = -1;  // user + system CPU time
  double resident_memory_bytes = -1;
  double virtual_memory_bytes = -1;
  double start_time_seconds = -1;  // since the Unix epoch
  double open_fds = -1;
  double max_fds = -1;
};

ProcessStats read_process_stats();

}  // namespace kanal::metrics
