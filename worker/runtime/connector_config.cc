#include "runtime/connector_config.h"

#include <regex>

namespace kanal::runtime {
namespace {

using config::ConfigDef;
using config::ConfigKey;
using config::Importance;
using config::Type;
using config::Width;

ConfigKey key(std::string name, Type type, std::optional<std::string> def, Importance imp,
              std::string doc, std::string group, int order, std::string display,
              std::optional<config::Validator> validator = std::nullopt) {
  ConfigKey k;
  k.name = std::move(name);
  k.type = type;
  if (def) {
    k.default_value = std::move(def);
  }
  k.importance = imp;
  k.documentation = std::move(doc);
  k.group = std::move(group);
  k.order_in_group = order;
  k.width = Width::kMedium;
  k.display_name = std::move(display);
  k.validator = std::move(validator);
  return k;
}

ConfigKey nullable(ConfigKey k) {
  k.default_value.reset();
  k.default_is_null = true;
  return k;
}

// Connect 4.1 ConnectorConfig.configDef() order (KIP-891 added the *.plugin.version keys): the
// validate response lists the keys in this order, as Connect 4.3.1 was observed to.
void define_common(ConfigDef& d) {
  const std::string common = "Common";
  d.define(key("name", Type::kString, std::nullopt, Importance::kHigh,
               "Globally unique name to use for this connector.", common, 1, "Connector name",
               config::non_empty_string()));
  d.define(key("connector.class", Type::kString, std::nullopt, Importance::kHigh,
               "Name or alias of the class for this connector. Must be a subclass of "
               "org.apache.kafka.connect.connector.Connector.",
               common, 2, "Connector class"));
  // The validate response shows the resolved version as default (herder/plugin_versions.cc).
  d.define(
      nullable(key("connector.plugin.version", Type::kString, std::nullopt, Importance::kMedium,
                   "Version of the connector: an exact version or a Maven-style range "
                   "([1.0,2.0)); the newest installed when unset.",
                   common, 3, "Connector version")));
  d.define(key("tasks.max", Type::kInt, "1", Importance::kHigh,
               "Maximum number of tasks to use for this connector.", common, 4, "Tasks max",
               config::at_least(1)));
  d.define(key("tasks.max.enforce", Type::kBoolean, "true", Importance::kLow,
               "(Deprecated) Whether to enforce that the tasks.max property is respected.", common,
               5, "Enforce tasks max"));
  int order = 6;
  for (const char* role : {"key", "value", "header"}) {
    const std::string r(role);
    const std::string title = r == "key" ? "Key" : r == "value" ? "Value" : "Header";
    d.define(nullable(key(r + ".converter", Type::kClass, std::nullopt, Importance::kLow,
                          "Converter class for " + r + "s; overrides the worker's.", common,
                          order++, title + " converter class")));
    d.define(
        nullable(key(r + ".converter.plugin.version", Type::kString, std::nullopt, Importance::kLow,
                     "Version of the " + r +
                         " converter: an exact version or a Maven-style range; the newest "
                         "installed when unset.",
                     common, order++, title + " converter version")));
  }
  d.define(key("transforms", Type::kList, "", Importance::kLow,
               "Aliases for the transformations to be applied to records.", "Transforms", order++,
               "Transforms"));
  d.define(key("predicates", Type::kList, "", Importance::kLow,
               "Aliases for the predicates used by transformations.", "Predicates", order++,
               "Predicates"));
  d.define(key("config.action.reload", Type::kString, "restart", Importance::kLow,
               "What to do when a config provider reports a change: none or restart.", common,
               order++, "Reload action", config::one_of({"none", "restart"}, true)));
  const std::string errors = "Error Handling";
  d.define(key("errors.retry.timeout", Type::kLong, "0", Importance::kMedium,
               "Maximum duration in milliseconds that a failed operation will be reattempted. "
               "0 means no retries, -1 infinite retries.",
               errors, 1, "Retry Timeout for Errors"));
  d.define(key("errors.retry.delay.max.ms", Type::kLong, "60000", Importance::kMedium,
               "Maximum duration in milliseconds between consecutive retry attempts.", errors, 2,
               "Maximum Delay Between Retries for Errors", config::at_least(0)));
  d.define(key("errors.tolerance", Type::kString, "none", Importance::kMedium,
               "Behavior for tolerating errors during connector operation: 'none' fails the "
               "task, 'all' skips problematic records.",
               errors, 3, "Error Tolerance", config::one_of({"none", "all"}, true)));
  d.define(key("errors.log.enable", Type::kBoolean, "false", Importance::kMedium,
               "If true, write each error and the details of the failed operation to the log.",
               errors, 4, "Log Errors"));
  d.define(key("errors.log.include.messages", Type::kBoolean, "false", Importance::kMedium,
               "Whether to include in the log the record that caused a failure.", errors, 5,
               "Log Error Details"));
}

void define_sink(ConfigDef& d) {
  const std::string common = "Common";
  d.define(key("topics", Type::kList, "", Importance::kHigh,
               "List of topics to consume, separated by commas.", common, 4, "Topics"));
  d.define(key("topics.regex", Type::kString, "", Importance::kHigh,
               "Regular expression giving topics to consume.", common, 4, "Topics regex"));
  const std::string errors = "Error Handling";
  d.define(key("errors.deadletterqueue.topic.name", Type::kString, "", Importance::kMedium,
               "The name of the topic to be used as the dead letter queue (DLQ) for records "
               "that fail processing.",
               errors, 6, "Dead Letter Queue Topic Name"));
  d.define(key("errors.deadletterqueue.topic.replication.factor", Type::kShort, "3",
               Importance::kMedium,
               "Replication factor used to create the dead letter queue topic when it doesn't "
               "already exist.",
               errors, 7, "Dead Letter Queue Topic Replication Factor"));
  d.define(key("errors.deadletterqueue.context.headers.enable", Type::kBoolean, "false",
               Importance::kMedium,
               "If true, add headers containing error context to the messages written to the "
               "dead letter queue.",
               errors, 8, "Enable Error Context Headers"));
}

void define_source(ConfigDef& d) {
  const std::string tc = "Topic Creation";
  d.define(key("topic.creation.groups", Type::kList, "", Importance::kLow,
               "Groups of configurations for topics created by source connectors.", tc, 1,
               "Topic Creation Groups"));
  d.define(key("exactly.once.support", Type::kString, "requested", Importance::kMedium,
               "Whether exactly-once support is required for the connector.",
               "Exactly Once Support", 1, "Exactly once support",
               config::one_of({"requested", "required"}, true)));
  d.define(key("transaction.boundary", Type::kString, "poll", Importance::kMedium,
               "Permitted values are poll, interval, connector.", "Exactly Once Support", 2,
               "Transaction Boundary", config::one_of({"poll", "interval", "connector"}, true)));
  d.define(nullable(
      key("transaction.boundary.interval.ms", Type::kLong, std::nullopt, Importance::kLow,
          "If 'transaction.boundary' is 'interval', how often tasks commit their "
          "producer transactions; unset means the worker's "
          "'offset.flush.interval.ms'. No effect with another boundary.",
          "Exactly Once Support", 3, "Transaction boundary interval", config::at_least(0))));
  d.define(nullable(key("offsets.storage.topic", Type::kString, std::nullopt, Importance::kLow,
                        "The name of a separate offsets topic to use for this connector.",
                        "offsets.topic", 1, "Offsets topic")));
}

}  // namespace

const ConfigDef& connector_config_def(ConnectorKind kind) {
  static const ConfigDef source = [] {
    ConfigDef d;
    define_common(d);
    define_source(d);
    return d;
  }();
  static const ConfigDef sink = [] {
    ConfigDef d;
    define_common(d);
    define_sink(d);
    return d;
  }();
  return kind == ConnectorKind::kSource ? source : sink;
}

std::vector<std::string> connector_config_groups(ConnectorKind kind) {
  if (kind == ConnectorKind::kSink) return {"Common", "Transforms", "Predicates", "Error Handling"};
  return {"Common",         "Transforms",           "Predicates",   "Error Handling",
          "Topic Creation", "Exactly Once Support", "offsets.topic"};
}

config::ConfigMap sub_config(const config::ConfigMap& c, std::string_view prefix) {
  std::string p(prefix);
  if (!p.empty() && p.back() != '.') p += '.';
  config::ConfigMap out;
  for (auto it = c.lower_bound(p); it != c.end() && it->first.starts_with(p); ++it) {
    out[it->first.substr(p.size())] = it->second;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> check_connector_rules(ConnectorKind kind,
                                                                       const config::ConfigMap& c) {
  std::vector<std::pair<std::string, std::string>> errors;
  auto get = [&](const std::string& k) {
    auto it = c.find(k);
    return it == c.end() ? std::string() : std::string(config::trim(it->second));
  };
  if (kind == ConnectorKind::kSink) {
    std::string topics = get("topics");
    std::string regex = get("topics.regex");
    if (!topics.empty() && !regex.empty()) {
      std::string msg = "topics and topics.regex are mutually exclusive options, but both are set.";
      errors.emplace_back("topics", msg);
      errors.emplace_back("topics.regex", msg);
    } else if (topics.empty() && regex.empty()) {
      std::string msg = "Must configure one of topics or topics.regex";
      errors.emplace_back("topics", msg);
      errors.emplace_back("topics.regex", msg);
    }
    if (!regex.empty()) {
      try {
        std::regex re(regex, std::regex::ECMAScript);
        std::string dlq = get("errors.deadletterqueue.topic.name");
        if (!dlq.empty() && std::regex_match(dlq, re)) {
          errors.emplace_back("errors.deadletterqueue.topic.name",
                              "The DLQ topic '" + dlq +
                                  "' may not be included in the regex "
                                  "matching the topics to consume ('" +
                                  regex + "')");
        }
      } catch (const std::regex_error& e) {
        errors.emplace_back("topics.regex", "Invalid value " + regex +
                                                " for configuration topics.regex: " + e.what());
      }
    }
    std::string dlq = get("errors.deadletterqueue.topic.name");
    if (!dlq.empty()) {
      for (const std::string& t : config::split_list(topics)) {
        if (t == dlq) {
          errors.emplace_back("errors.deadletterqueue.topic.name",
                              "The DLQ topic '" + dlq +
                                  "' may not be included in the list of topics ('topics=" + topics +
                                  "') consumed by the connector");
        }
      }
    }
  } else {
    bool creation = false;
    for (const auto& [k, v] : c) creation = creation || k.starts_with("topic.creation.");
    if (creation) {
      for (const char* k :
           {"topic.creation.default.replication.factor", "topic.creation.default.partitions"}) {
        std::string v = get(k);
        if (v.empty()) {
          errors.emplace_back(k, std::string("Missing required configuration \"") + k +
                                     "\" which has no default value.");
          continue;
        }
        char* end = nullptr;
        long n = std::strtol(v.c_str(), &end, 10);
        if (*end != '\0' || (n < 1 && n != -1)) {
          errors.emplace_back(k, "Invalid value " + v + " for configuration " + k +
                                     ": Number of partitions/replicas must be at least 1, or -1 "
                                     "to use the broker's default");
        }
      }
    }
  }
  for (const std::string& alias : config::split_list(get("transforms"))) {
    std::string negate = get("transforms." + alias + ".negate");
    if (!negate.empty() && get("transforms." + alias + ".predicate").empty()) {
      errors.emplace_back("transforms." + alias + ".negate",
                          "Invalid value " + negate + " for configuration transforms." + alias +
                              ".negate: negate can only be used together with a predicate");
    }
  }
  return errors;
}

}  // namespace kanal::runtime
