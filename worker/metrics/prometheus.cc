#include "metrics/prometheus.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <map>

#include "metrics/process_stats.h"

namespace kanal::metrics {

std::string connect_name(std::string_view group, std::string_view attribute) {
  constexpr std::string_view kSuffix = "-metrics";
  if (group.ends_with(kSuffix)) group.remove_suffix(kSuffix.size());
  std::string out = "kafka_connect_";
  out += group;
  out += '_';
  out += attribute;
  for (char& c : out) {
    if (c == '-' || c == '.') c = '_';
  }
  return out;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string escape_help(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  if (v == std::trunc(v) && std::fabs(v) < 1e15) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(v));
    return std::string(buf, end);
  }
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

void TextWriter::family(std::string_view name, Type type, std::string_view help) {
  assert(std::find(names_.begin(), names_.end(), name) == names_.end());
  names_.emplace_back(name);
  name_ = name;
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  out_ += escape_help(help);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += type == Type::kCounter ? " counter\n" : " gauge\n";
}

void TextWriter::sample(std::initializer_list<Label> labels, double value) {
  sample(std::vector<Label>(labels), value);
}

void TextWriter::sample(const std::vector<Label>& labels, double value) {
  out_ += name_;
  if (!labels.empty()) {
    out_ += '{';
    bool first = true;
    for (const auto& [k, v] : labels) {
      if (!first) out_ += ',';
      first = false;
      out_ += k;
      out_ += "=\"";
      out_ += escape_label_value(v);
      out_ += '"';
    }
    out_ += '}';
  }
  out_ += ' ';
  out_ += format_value(value);
  out_ += '\n';
}

namespace {

// Connect's status attribute values (lowercase, as the MBean shows them).
constexpr std::string_view kStates[] = {"running", "paused",     "stopped",
                                        "failed",  "unassigned", "restarting"};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A task block read once per scrape, so every family shows the same moment.
struct TaskRow {
  const TaskMetrics* m;
  std::string task;  // the task label
  WindowedStat::Snapshot batch_size, commit_time, commit_outcome, poll_time, put_time;
  TaskMetrics::Rates rates;
};

using RowValue = std::function<double(const TaskRow&)>;

struct TaskFamily {
  const char* group;
  const char* attribute;
  Type type;
  const char* help;
  RowValue value;
};

void emit_task_families(TextWriter& w, const std::vector<TaskRow>& rows, TaskKind kind,
                        std::initializer_list<TaskFamily> families) {
  for (const TaskFamily& f : families) {
    w.family(connect_name(f.group, f.attribute), f.type, f.help);
    for (const TaskRow& r : rows) {
      if (r.m->kind != kind) continue;
      w.sample({{"connector", r.m->connector}, {"task", r.task}}, f.value(r));
    }
  }
}

double percentage(uint64_t part, uint64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

void emit_worker(TextWriter& w, const Registry& registry, const WorkerView& view) {
  const WorkerMetrics& wm = registry.worker();
  constexpr const char* kGroup = "connect-worker-metrics";
  int64_t connectors = 0;
  int64_t tasks = 0;
  for (const ConnectorView& c : view.connectors) {
    if (!c.state.empty() && c.state != "STOPPED") ++connectors;
    tasks += static_cast<int64_t>(c.tasks.size());
  }
  w.family(connect_name(kGroup, "connector-count"), Type::kGauge,
           "The number of connectors run in this worker.");
  w.sample({}, static_cast<double>(connectors));
  w.family(connect_name(kGroup, "task-count"), Type::kGauge,
           "The number of tasks run in this worker.");
  w.sample({}, static_cast<double>(tasks));

  struct Startup {
    const char* what;
    const Counter& attempts;
    const Counter& success;
    const Counter& failure;
  };
  for (const Startup& s : {Startup{"connector", wm.connector_startup_attempts,
                                   wm.connector_startup_success, wm.connector_startup_failure},
                           Startup{"task", wm.task_startup_attempts, wm.task_startup_success,
                                   wm.task_startup_failure}}) {
    std::string p = std::string(s.what) + "-startup-";
    uint64_t attempts = s.attempts.value();
    uint64_t ok = s.success.value();
    uint64_t failed = s.failure.value();
    w.family(
        connect_name(kGroup, p + "attempts-total"), Type::kCounter,
        "The total number of " + std::string(s.what) + " startups that this worker has attempted.");
    w.sample({}, static_cast<double>(attempts));
    w.family(connect_name(kGroup, p + "success-total"), Type::kCounter,
             "The total number of " + std::string(s.what) + " starts that succeeded.");
    w.sample({}, static_cast<double>(ok));
    w.family(connect_name(kGroup, p + "failure-total"), Type::kCounter,
             "The total number of " + std::string(s.what) + " starts that failed.");
    w.sample({}, static_cast<double>(failed));
    w.family(connect_name(kGroup, p + "success-percentage"), Type::kGauge,
             "The fraction (0 to 1) of " + std::string(s.what) + " starts that succeeded.");
    w.sample({}, percentage(ok, attempts));
    w.family(connect_name(kGroup, p + "failure-percentage"), Type::kGauge,
             "The fraction (0 to 1) of " + std::string(s.what) + " starts that failed.");
    w.sample({}, percentage(failed, attempts));
  }

  struct PerState {
    const char* attribute;
    const char* state;  // nullptr = all
  };
  for (const PerState& ps : {PerState{"connector-total-task-count", nullptr},
                             PerState{"connector-running-task-count", "RUNNING"},
                             PerState{"connector-paused-task-count", "PAUSED"},
                             PerState{"connector-failed-task-count", "FAILED"},
                             PerState{"connector-unassigned-task-count", "UNASSIGNED"},
                             PerState{"connector-destroyed-task-count", "DESTROYED"},
                             PerState{"connector-restarting-task-count", "RESTARTING"}}) {
    std::string help =
        ps.state ? "The number of " + lower(ps.state) + " tasks of the connector on the worker."
                 : "The number of tasks of the connector on the worker.";
    w.family(connect_name(kGroup, ps.attribute), Type::kGauge, help);
    for (const ConnectorView& c : view.connectors) {
      if (c.tasks.empty()) continue;
      int64_t n = 0;
      for (const auto& [id, st] : c.tasks) n += (!ps.state || st == ps.state) ? 1 : 0;
      w.sample({{"connector", c.name}}, static_cast<double>(n));
    }
  }
}

void emit_rebalance(TextWriter& w, const Registry& registry, Clock::time_point now) {
  const WorkerMetrics& wm = registry.worker();
  constexpr const char* kGroup = "connect-worker-rebalance-metrics";
  uint64_t completed = wm.completed_rebalances.value();
  w.family(connect_name(kGroup, "completed-rebalances-total"), Type::kCounter,
           "The total number of rebalances completed by this worker.");
  w.sample({}, static_cast<double>(completed));
  w.family(connect_name(kGroup, "rebalancing"), Type::kGauge,
           "1 while this worker is rebalancing, else 0.");
  w.sample({}, static_cast<double>(wm.rebalancing.value()));
  w.family(connect_name(kGroup, "rebalance-avg-time-ms"), Type::kGauge,
           "The average time in milliseconds spent by this worker to rebalance.");
  w.sample({}, completed == 0 ? 0.0
                              : static_cast<double>(wm.rebalance_time_total_ms.value()) /
                                    static_cast<double>(completed));
  w.family(connect_name(kGroup, "rebalance-max-time-ms"), Type::kGauge,
           "The maximum time in milliseconds spent by this worker to rebalance.");
  w.sample({}, static_cast<double>(wm.rebalance_max_time_ms.value()));
  w.family(connect_name(kGroup, "time-since-last-rebalance-ms"), Type::kGauge,
           "The time in milliseconds since this worker completed the most recent rebalance (0 "
           "before the first one, and always in standalone mode).");
  int64_t last_ns = wm.last_rebalance_completed_ns.value();
  double since = 0;
  if (last_ns != 0) {
    since = std::chrono::duration<double, std::milli>(now.time_since_epoch() -
                                                      std::chrono::nanoseconds(last_ns))
                .count();
  }
  w.sample({}, std::max(since, 0.0));
}

void emit_connectors(TextWriter& w, const WorkerView& view) {
  w.family(connect_name("connector-metrics", "status"), Type::kGauge,
           "The status of the connector: 1 for the state it is in, 0 for the others.");
  for (const ConnectorView& c : view.connectors) {
    if (c.state.empty()) continue;
    std::string current = lower(c.state);
    for (std::string_view st : kStates) {
      w.sample({{"connector", c.name}, {"status", st}}, current == st ? 1.0 : 0.0);
    }
  }
  w.family(connect_name("connector-metrics", "info"), Type::kGauge,
           "Always 1; the labels carry the connector's class, type and version.");
  for (const ConnectorView& c : view.connectors) {
    if (c.state.empty()) continue;
    w.sample({{"connector", c.name},
              {"connector_class", c.class_name},
              {"connector_type", c.type},
              {"connector_version", c.version}},
             1.0);
  }
}

void emit_tasks(TextWriter& w, const Registry& registry, const WorkerView& view,
                Clock::time_point now) {
  std::vector<TaskRow> rows;
  auto blocks = registry.tasks();
  std::stable_sort(blocks.begin(), blocks.end(), [](const auto& a, const auto& b) {
    return a->connector != b->connector ? a->connector < b->connector
           : a->task != b->task         ? a->task < b->task
                                        : a->started < b->started;
  });
  for (size_t i = 0; i < blocks.size(); ++i) {
    const TaskMetrics& m = *blocks[i];
    // During a restart the old and the new block of one task may both be listed: show the newer.
    if (i + 1 < blocks.size() && blocks[i + 1]->connector == m.connector &&
        blocks[i + 1]->task == m.task) {
      continue;
    }
    TaskRow r{&m,
              std::to_string(m.task),
              m.batch_size.read(now),
              m.offset_commit_time_ms.read(now),
              m.offset_commit_outcome.read(now),
              m.poll_batch_time_ms.read(now),
              m.put_batch_time_ms.read(now),
              m.rates(now)};
    rows.push_back(std::move(r));
  }

  // connector-task-metrics: status from the herder (a task that failed to start has no block),
  // the rest from the blocks.
  w.family(connect_name("connector-task-metrics", "status"), Type::kGauge,
           "The status of the connector task: 1 for the state it is in, 0 for the others.");
  for (const ConnectorView& c : view.connectors) {
    for (const auto& [id, st] : c.tasks) {
      std::string task = std::to_string(id);
      std::string current = lower(st);
      for (std::string_view s : kStates) {
        w.sample({{"connector", c.name}, {"task", task}, {"status", s}}, current == s ? 1.0 : 0.0);
      }
    }
  }
  struct Common {
    const char* attribute;
    const char* help;
    RowValue value;
  };
  for (const Common& f : std::initializer_list<Common>{
           {"offset-commit-success-percentage",
            "The average fraction (0 to 1) of this task's offset commit attempts that succeeded.",
            [](const TaskRow& r) { return r.commit_outcome.avg; }},
           {"offset-commit-failure-percentage",
            "The average fraction (0 to 1) of this task's offset commit attempts that failed.",
            [](const TaskRow& r) {
              return std::isnan(r.commit_outcome.avg) ? r.commit_outcome.avg
                                                      : 1.0 - r.commit_outcome.avg;
            }},
           {"offset-commit-avg-time-ms",
            "The average time in milliseconds taken by this task to commit offsets.",
            [](const TaskRow& r) { return r.commit_time.avg; }},
           {"offset-commit-max-time-ms",
            "The maximum time in milliseconds taken by this task to commit offsets.",
            [](const TaskRow& r) { return r.commit_time.max; }},
           {"batch-size-avg", "The average number of records in the batches the task processed.",
            [](const TaskRow& r) { return r.batch_size.avg; }},
           {"batch-size-max", "The number of records in the largest batch the task processed.",
            [](const TaskRow& r) { return r.batch_size.max; }},
       }) {
    w.family(connect_name("connector-task-metrics", f.attribute), Type::kGauge, f.help);
    for (const TaskRow& r : rows) {
      w.sample({{"connector", r.m->connector}, {"task", r.task}}, f.value(r));
    }
  }

  auto u = [](uint64_t v) { return static_cast<double>(v); };
  emit_task_families(
      w, rows, TaskKind::kSource,
      {
          {"source-task-metrics", "source-record-poll-total", Type::kCounter,
           "The total number of records produced/polled (before transformation) by this task.",
           [&](const TaskRow& r) { return u(r.m->source_record_poll.value()); }},
          {"source-task-metrics", "source-record-poll-rate", Type::kGauge,
           "The average per-second number of records produced/polled (before transformation) by "
           "this task over about the last minute.",
           [](const TaskRow& r) { return r.rates.source_record_poll; }},
          {"source-task-metrics", "source-record-write-total", Type::kCounter,
           "The number of records output from the transformations and written to Kafka for this "
           "task.",
           [&](const TaskRow& r) { return u(r.m->source_record_write.value()); }},
          {"source-task-metrics", "source-record-write-rate", Type::kGauge,
           "The average per-second number of records written to Kafka for this task over about "
           "the last minute.",
           [](const TaskRow& r) { return r.rates.source_record_write; }},
          {"source-task-metrics", "poll-batch-avg-time-ms", Type::kGauge,
           "The average time in milliseconds taken by this task to poll for a batch of source "
           "records.",
           [](const TaskRow& r) { return r.poll_time.avg; }},
          {"source-task-metrics", "poll-batch-max-time-ms", Type::kGauge,
           "The maximum time in milliseconds taken by this task to poll for a batch of source "
           "records.",
           [](const TaskRow& r) { return r.poll_time.max; }},
          {"source-task-metrics", "source-record-active-count", Type::kGauge,
           "The number of records that have been produced by this task but not yet completely "
           "written to Kafka.",
           [](const TaskRow& r) { return static_cast<double>(r.m->source_record_active.value()); }},
      });
  emit_task_families(
      w, rows, TaskKind::kSink,
      {
          {"sink-task-metrics", "sink-record-read-total", Type::kCounter,
           "The total number of records read from Kafka by this task since it was last restarted.",
           [&](const TaskRow& r) { return u(r.m->sink_record_read.value()); }},
          {"sink-task-metrics", "sink-record-read-rate", Type::kGauge,
           "The average per-second number of records read from Kafka by this task over about the "
           "last minute.",
           [](const TaskRow& r) { return r.rates.sink_record_read; }},
          {"sink-task-metrics", "sink-record-send-total", Type::kCounter,
           "The total number of records output from the transformations and sent/put to this "
           "task since it was last restarted.",
           [&](const TaskRow& r) { return u(r.m->sink_record_send.value()); }},
          {"sink-task-metrics", "sink-record-send-rate", Type::kGauge,
           "The average per-second number of records sent/put to this task over about the last "
           "minute.",
           [](const TaskRow& r) { return r.rates.sink_record_send; }},
          {"sink-task-metrics", "put-batch-avg-time-ms", Type::kGauge,
           "The average time in milliseconds taken by this task to put a batch of sink records.",
           [](const TaskRow& r) { return r.put_time.avg; }},
          {"sink-task-metrics", "put-batch-max-time-ms", Type::kGauge,
           "The maximum time in milliseconds taken by this task to put a batch of sink records.",
           [](const TaskRow& r) { return r.put_time.max; }},
          {"sink-task-metrics", "offset-commit-completion-total", Type::kCounter,
           "The total number of offset commit completions that were completed successfully.",
           [&](const TaskRow& r) { return u(r.m->offset_commit_completion.value()); }},
          {"sink-task-metrics", "offset-commit-completion-rate", Type::kGauge,
           "The average per-second number of offset commit completions that were completed "
           "successfully.",
           [](const TaskRow& r) { return r.rates.offset_commit_completion; }},
          {"sink-task-metrics", "offset-commit-skip-total", Type::kCounter,
           "The total number of offset commit completions that were received too late and "
           "skipped/ignored.",
           [&](const TaskRow& r) { return u(r.m->offset_commit_skip.value()); }},
          {"sink-task-metrics", "offset-commit-skip-rate", Type::kGauge,
           "The average per-second number of offset commit completions that were received too "
           "late and skipped/ignored.",
           [](const TaskRow& r) { return r.rates.offset_commit_skip; }},
          {"sink-task-metrics", "partition-count", Type::kGauge,
           "The number of topic partitions assigned to this task.",
           [](const TaskRow& r) { return static_cast<double>(r.m->partition_count.value()); }},
      });

  struct ErrorFamily {
    const char* attribute;
    Type type;
    const char* help;
    std::function<double(const ErrorCounters&)> value;
  };
  for (const ErrorFamily& f : std::initializer_list<ErrorFamily>{
           {"total-record-errors", Type::kCounter,
            "The number of record processing errors in this task.",
            [](const ErrorCounters& e) { return static_cast<double>(e.record_errors.value()); }},
           {"total-record-failures", Type::kCounter,
            "The number of record processing failures in this task.",
            [](const ErrorCounters& e) { return static_cast<double>(e.record_failures.value()); }},
           {"total-records-skipped", Type::kCounter, "The number of records skipped due to errors.",
            [](const ErrorCounters& e) { return static_cast<double>(e.records_skipped.value()); }},
           {"total-retries", Type::kCounter, "The number of operations retried.",
            [](const ErrorCounters& e) { return static_cast<double>(e.retries.value()); }},
           {"total-errors-logged", Type::kCounter, "The number of errors that were logged.",
            [](const ErrorCounters& e) { return static_cast<double>(e.errors_logged.value()); }},
           {"deadletterqueue-produce-requests", Type::kCounter,
            "The number of attempted writes to the dead letter queue.",
            [](const ErrorCounters& e) {
              return static_cast<double>(e.dlq_produce_requests.value());
            }},
           {"deadletterqueue-produce-failures", Type::kCounter,
            "The number of failed writes to the dead letter queue.",
            [](const ErrorCounters& e) {
              return static_cast<double>(e.dlq_produce_failures.value());
            }},
           {"last-error-timestamp", Type::kGauge,
            "The epoch timestamp in milliseconds when this task last encountered an error (0: "
            "never).",
            [](const ErrorCounters& e) {
              return static_cast<double>(e.last_error_timestamp_ms.value());
            }},
       }) {
    w.family(connect_name("task-error-metrics", f.attribute), f.type, f.help);
    for (const TaskRow& r : rows) {
      w.sample({{"connector", r.m->connector}, {"task", r.task}}, f.value(r.m->errors));
    }
  }

  struct ClientFamily {
    const char* attribute;
    Type type;
    const char* help;
    std::function<double(const ClientStats&)> value;
    bool producer_only;
  };
  for (const ClientFamily& f : std::initializer_list<ClientFamily>{
           {"queue-messages", Type::kGauge,
            "librdkafka msg_cnt: messages waiting in the task producer's queue.",
            [](const ClientStats& c) { return static_cast<double>(c.queue_messages.value()); },
            true},
           {"queue-bytes", Type::kGauge,
            "librdkafka msg_size: bytes waiting in the task producer's queue.",
            [](const ClientStats& c) { return static_cast<double>(c.queue_bytes.value()); }, true},
           {"request-retries", Type::kCounter,
            "librdkafka txretries: requests the task's client sent again.",
            [](const ClientStats& c) { return static_cast<double>(c.tx_retries.value()); }, false},
           {"request-errors", Type::kCounter,
            "librdkafka txerrs: requests of the task's client that failed.",
            [](const ClientStats& c) { return static_cast<double>(c.tx_errors.value()); }, false},
           {"broker-rtt-avg-ms", Type::kGauge,
            "librdkafka rtt.avg: the highest average broker request round trip time of the "
            "task's client, in milliseconds.",
            [](const ClientStats& c) { return static_cast<double>(c.rtt_avg_us.value()) / 1000.0; },
            false},
           {"consumer-lag", Type::kGauge,
            "librdkafka consumer_lag: records the sink task's consumer is behind, summed over its "
            "partitions.",
            [](const ClientStats& c) { return static_cast<double>(c.consumer_lag.value()); },
            false},
       }) {
    w.family(connect_name("kanal-client-metrics", f.attribute), f.type, f.help);
    for (const TaskRow& r : rows) {
      if (r.m->client.reported.value() == 0) continue;
      bool producer = r.m->kind == TaskKind::kSource;
      if (f.producer_only && !producer) continue;
      if (std::string_view(f.attribute) == "consumer-lag" && producer) continue;
      w.sample({{"connector", r.m->connector},
                {"task", r.task},
                {"client", producer ? "producer" : "consumer"}},
               f.value(r.m->client));
    }
  }
}

void emit_process(TextWriter& w) {
  ProcessStats p = read_process_stats();
  auto one = [&](const char* name, Type type, const char* help, double v) {
    if (v < 0) return;
    w.family(name, type, help);
    w.sample({}, v);
  };
  one("process_cpu_seconds_total", Type::kCounter,
      "Total user and system CPU time spent in seconds.", p.cpu_seconds);
  one("process_resident_memory_bytes", Type::kGauge, "Resident memory size in bytes.",
      p.resident_memory_bytes);
  one("process_virtual_memory_bytes", Type::kGauge, "Virtual memory size in bytes.",
      p.virtual_memory_bytes);
  one("process_start_time_seconds", Type::kGauge,
      "Start time of the process since unix epoch in seconds.", p.start_time_seconds);
  one("process_open_fds", Type::kGauge, "Number of open file descriptors.", p.open_fds);
  one("process_max_fds", Type::kGauge, "Maximum number of open file descriptors.", p.max_fds);
}

}  // namespace

std::string render_page(const Registry& registry, const WorkerView& view, Clock::time_point now) {
  TextWriter w;
  emit_worker(w, registry, view);
  emit_rebalance(w, registry, now);
  emit_connectors(w, view);
  emit_tasks(w, registry, view, now);
  emit_process(w);
  return w.text();
}

}  // namespace kanal::metrics
