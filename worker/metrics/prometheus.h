// Prometheus text exposition format 0.0.4, and the page GET /metrics serves.
//
//   metrics::TextWriter w;
//   w.family("kafka_connect_source_task_source_record_poll_total", metrics::Type::kCounter,
//            "Records polled");
//   w.sample({{"connector", "orders"}, {"task", "0"}}, 10000);
//   std::string page = w.text();
//   // # HELP kafka_connect_source_task_source_record_poll_total Records polled
//   // # TYPE kafka_connect_source_task_source_record_poll_total counter
//   // kafka_connect_source_task_source_record_poll_total{connector="orders",task="0"} 10000
//
// Names follow Kafka Connect's metric group and attribute: kafka_connect_<group without
// "-metrics">_<attribute>, '-' becoming '_' (connect_name()). docs/metrics.md lists them all.
// Value types; not thread-safe (one writer per page).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/metrics.h"

namespace kanal::metrics {

enum class Type { kCounter, kGauge };

using Label = std::pair<std::string_view, std::string_view>;

// "kafka_connect_" + group without a trailing "-metrics" + "_" + attribute, '-' → '_':
// connect_name("source-task-metrics", "source-record-poll-total") ==
// "kafka_connect_source_task_source_record_poll_total".
std::string connect_name(std::string_view group, std::string_view attribute);

// A label value as the format wants it: backslash, double quote and line feed escaped.
std::string escape_label_value(std::string_view value);
// HELP text: backslash and line feed escaped.
std::string escape_help(std::string_view text);
// A sample value: integers without exponent or fraction, "NaN", "+Inf", "-Inf", else the
// shortest text that reads back as the same double.
std::string format_value(double value);

class TextWriter {
 public:
  // Starts a family: its # HELP and # TYPE lines. Samples that follow belong to it. Each name
  // must be started once per page (a repeat is a bug: asserted).
  void family(std::string_view name, Type type, std::string_view help);
  // One sample of the current family; labels in the order given.
  void sample(std::initializer_list<Label> labels, double value);
  void sample(const std::vector<Label>& labels, double value);

  const std::string& text() const { return out_; }

 private:
  std::string out_;
  std::string name_;
  std::vector<std::string> names_;
};

// What the herder knows about the connectors of this worker, for the worker, connector and
// status metrics. The REST layer fills it from the Herder at each scrape.
struct ConnectorView {
  std::string name;
  std::string
      state;         // Connect's state name (RUNNING, ...); empty when the connector runs elsewhere
  std::string type;  // "source", "sink", "unknown"
  std::string class_name;
  std::string version;
  std::vector<std::pair<int32_t, std::string>> tasks;  // tasks on this worker: id, state
};
struct WorkerView {
  std::vector<ConnectorView> connectors;
};

// The whole /metrics page: worker, rebalance, connector, task, error and process families
// from `registry` and `view`, rates and windows as of `now`.
std::string render_page(const Registry& registry, const WorkerView& view, Clock::time_point now);

}  // namespace kanal::metrics
