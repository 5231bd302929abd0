// librdkafka's statistics (the JSON the stats callback receives every statistics.interval.ms)
// reduced to the figures the metrics page shows for a task's client: queue depth, retries,
// errors, request latency and consumer lag. Pure function; thread-compatible.
#pragma once

#include <string_view>

#include "metrics/metrics.h"

namespace kanal::metrics {

// statistics.interval.ms for task clients when the worker or connector config sets none
// (`producer.statistics.interval.ms`, `consumer.override.statistics.interval.ms`, ...). One
// report every 30 s costs one JSON parse on the task thread.
inline constexpr const char* kDefaultStatisticsIntervalMs = "30000";

// Reads one statistics report into `out` (the caller is its writer thread): msg_cnt and
// msg_size; txretries and txerrs summed over brokers; the highest broker rtt.avg; consumer_lag
// summed over partitions that know theirs. False, leaving `out` unchanged, when `json` is not a
// statistics object.
bool read_client_stats(std::string_view json, ClientStats& out);

}  // namespace kanal::metrics
