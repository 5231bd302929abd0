#include "kafka/client.h"

#include <array>
#include <string_view>

#include "common/log.h"

namespace kanal::kafka {
namespace {

const log::Logger& logger() {
  static const log::Logger l("kanal.kafka");
  return l;
}

// Java client settings with no librdkafka equivalent: the JVM needs them, we do not.
constexpr std::array<std::string_view, 12> kJavaOnly = {
    "key.serializer",          "value.serializer",    "key.deserializer",
    "value.deserializer",      "interceptor.classes", "max.block.ms",
    "metric.reporters",        "metrics.num.samples", "metrics.sample.window.ms",
    "metrics.recording.level", "client.dns.lookup",   "auto.include.jmx.reporter",
};

bool java_only(std::string_view key) {
  for (auto k : kJavaOnly) {
    if (k == key) return true;
  }
  return false;
}

std::string admin_error(rd_kafka_event_t* ev) {
  const char* s = rd_kafka_event_error_string(ev);
  return s ? s : rd_kafka_err2str(rd_kafka_event_error(ev));
}

// librdkafka's own log lines go through our logger instead of its default stderr printer, so
// they share the line format (text or JSON lines), the worker id and the secret masking.
// Called on librdkafka's threads; Logger::log is thread-safe.
void log_from_librdkafka(const rd_kafka_t* rk, int level, const char* facility, const char* buf) {
  // Never destroyed: librdkafka threads may still log while the process exits.
  static const log::Logger& l = *new log::Logger("kanal.kafka.librdkafka");
  log::Level lv = level <= 3   ? log::Level::kError
                  : level == 4 ? log::Level::kWarn
                  : level <= 6 ? log::Level::kInfo
                               : log::Level::kDebug;
  l.log(lv, "librdkafka.log",
        {{"client", rk ? rd_kafka_name(rk) : ""}, {"facility", facility}, {"message", buf}});
}

}  // namespace

Result<RdConfPtr> make_conf(const config::ConfigMap& settings) {
  RdConfPtr conf(rd_kafka_conf_new());
  rd_kafka_conf_set_log_cb(conf.get(), log_from_librdkafka);
  char err[512];
  for (const auto& [k, v] : settings) {
    if (java_only(k)) continue;
    std::string key = k;
    std::string value = v;
    // Java spells "no limit" as Long.MAX_VALUE/Integer.MAX_VALUE where librdkafka caps lower.
    if (key == "delivery.timeout.ms" && value == "2147483647") value = "0";
    rd_kafka_conf_res_t res =
        rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), err, sizeof err);
    if (res == RD_KAFKA_CONF_UNKNOWN) {
      logger().warn("client.config.ignored", {{"key", key}, {"reason", err}});
      continue;
    }
    if (res != RD_KAFKA_CONF_OK) {
      return Status::invalid_argument("Invalid value " + value + " for Kafka client setting " +
                                      key + ": " + err);
    }
  }
  return conf;
}

Result<RdKafkaPtr> make_client(rd_kafka_type_t type, RdConfPtr& conf) {
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), err, sizeof err);
  if (rk == nullptr) return Status::kafka_error(err);
  conf.release();  // librdkafka owns the conf from here on
  return RdKafkaPtr{rk};
}

Result<RdKafkaPtr> make_client(rd_kafka_type_t type, const config::ConfigMap& settings) {
  auto conf = make_conf(settings);
  if (!conf.ok()) return conf.status();
  return make_client(type, conf.value());
}

Status from_error(rd_kafka_resp_err_t err, const std::string& context) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::OK();
  bool retriable =
      err == RD_KAFKA_RESP_ERR__TRANSPORT || err == RD_KAFKA_RESP_ERR__TIMED_OUT ||
      err == RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT || err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ||
      err == RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION ||
      err == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE || err == RD_KAFKA_RESP_ERR_NOT_COORDINATOR ||
      err == RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS ||
      err == RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE ||
      err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || err == RD_KAFKA_RESP_ERR__QUEUE_FULL;
  return Status::kafka_error(context + ": " + rd_kafka_err2str(err), retriable);
}

Status from_error(rd_kafka_error_t* err, const std::string& context) {
  if (err == nullptr) return Status::OK();
  Status s = Status::kafka_error(context + ": " + rd_kafka_error_string(err),
                                 rd_kafka_error_is_retriable(err) != 0);
  rd_kafka_error_destroy(err);
  return s;
}

Result<std::unique_ptr<EmbeddedCluster>> EmbeddedCluster::start(int brokers) {
  auto holder = make_client(RD_KAFKA_PRODUCER, config::ConfigMap{{"log_level", "3"}});
  if (!holder.ok()) return holder.status();
  std::unique_ptr<EmbeddedCluster> c(new EmbeddedCluster());
  c->holder_ = std::move(holder).value();
  c->cluster_ = rd_kafka_mock_cluster_new(c->holder_.get(), brokers);
  if (c->cluster_ == nullptr) return Status::internal("could not start the embedded Kafka cluster");
  c->bootstrap_ = rd_kafka_mock_cluster_bootstraps(c->cluster_);
  return c;
}

Status EmbeddedCluster::create_topic(const std::string& topic, int partitions) {
  rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1);
  return from_error(err, "creating topic '" + topic + "' on the embedded cluster");
}

EmbeddedCluster::~EmbeddedCluster() {
  if (cluster_) rd_kafka_mock_cluster_destroy(cluster_);
}

Result<Admin> Admin::create(const config::ConfigMap& settings) {
  auto rk = make_client(RD_KAFKA_PRODUCER, settings);
  if (!rk.ok()) return rk.status();
  Admin a;
  a.rk_ = std::move(rk).value();
  return a;
}

Status Admin::create_topic(const TopicSpec& spec, std::chrono::milliseconds timeout) {
  char err[512];
  rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(spec.name.c_str(), spec.partitions,
                                                  spec.replication_factor, err, sizeof err);
  if (!nt) return Status::invalid_argument("topic '" + spec.name + "': " + err);
  for (const auto& [k, v] : spec.configs) rd_kafka_NewTopic_set_config(nt, k.c_str(), v.c_str());
  RdQueuePtr q(rd_kafka_queue_new(rk_.get()));
  rd_kafka_AdminOptions_t* opts =
      rd_kafka_AdminOptions_new(rk_.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_operation_timeout(opts, static_cast<int>(timeout.count()), err,
                                              sizeof err);
  rd_kafka_AdminOptions_set_request_timeout(opts, static_cast<int>(timeout.count()), err,
                                            sizeof err);
  rd_kafka_CreateTopics(rk_.get(), &nt, 1, opts, q.get());
  rd_kafka_AdminOptions_destroy(opts);
  rd_kafka_NewTopic_destroy(nt);
  RdEventPtr ev(rd_kafka_queue_poll(q.get(), static_cast<int>(timeout.count()) + 1000));
  if (!ev) return Status::timeout("creating topic '" + spec.name + "' timed out");
  if (rd_kafka_event_error(ev.get())) {
    return Status::kafka_error("creating topic '" + spec.name + "': " + admin_error(ev.get()),
                               true);
  }
  const rd_kafka_CreateTopics_result_t* res = rd_kafka_event_CreateTopics_result(ev.get());
  size_t n = 0;
  const rd_kafka_topic_result_t** topics = rd_kafka_CreateTopics_result_topics(res, &n);
  for (size_t i = 0; i < n; ++i) {
    rd_kafka_resp_err_t e = rd_kafka_topic_result_error(topics[i]);
    if (e == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      return Status::conflict("topic '" + spec.name + "' already exists");
    }
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const char* msg = rd_kafka_topic_result_error_string(topics[i]);
      return Status::kafka_error("creating topic '" + spec.name +
                                 "': " + (msg ? msg : rd_kafka_err2str(e)));
    }
  }
  return Status::OK();
}

Result<config::ConfigMap> Admin::describe_topic_configs(const std::string& topic,
                                                        std::chrono::milliseconds timeout) {
  char err[512];
  rd_kafka_ConfigResource_t* res =
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  RdQueuePtr q(rd_kafka_queue_new(rk_.get()));
  rd_kafka_AdminOptions_t* opts =
      rd_kafka_AdminOptions_new(rk_.get(), RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
  rd_kafka_AdminOptions_set_request_timeout(opts, static_cast<int>(timeout.count()), err,
                                            sizeof err);
  rd_kafka_DescribeConfigs(rk_.get(), &res, 1, opts, q.get());
  rd_kafka_AdminOptions_destroy(opts);
  rd_kafka_ConfigResource_destroy(res);
  RdEventPtr ev(rd_kafka_queue_poll(q.get(), static_cast<int>(timeout.count()) + 1000));
  if (!ev) return Status::timeout("describing topic '" + topic + "' timed out");
  if (rd_kafka_event_error(ev.get())) {
    return Status::kafka_error("describing topic '" + topic + "': " + admin_error(ev.get()), true);
  }
  const rd_kafka_DescribeConfigs_result_t* result = rd_kafka_event_DescribeConfigs_result(ev.get());
  size_t n = 0;
  const rd_kafka_ConfigResource_t** rs = rd_kafka_DescribeConfigs_result_resources(result, &n);
  config::ConfigMap out;
  for (size_t i = 0; i < n; ++i) {
    rd_kafka_resp_err_t e = rd_kafka_ConfigResource_error(rs[i]);
    if (e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
      return Status::not_found("topic '" + topic + "' does not exist");
    }
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const char* msg = rd_kafka_ConfigResource_error_string(rs[i]);
      return from_error(e,
                        "describing topic '" + topic + "'" + (msg ? std::string(": ") + msg : ""));
    }
    size_t cnt = 0;
    const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(rs[i], &cnt);
    for (size_t j = 0; j < cnt; ++j) {
      const char* v = rd_kafka_ConfigEntry_value(entries[j]);
      out[rd_kafka_ConfigEntry_name(entries[j])] = v ? v : "";
    }
  }
  return out;
}

Result<int> Admin::partition_count(const std::string& topic, std::chrono::milliseconds timeout) {
  rd_kafka_topic_t* t = rd_kafka_topic_new(rk_.get(), topic.c_str(), nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t e =
      rd_kafka_metadata(rk_.get(), 0, t, &md, static_cast<int>(timeout.count()));
  rd_kafka_topic_destroy(t);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) return from_error(e, "metadata for topic '" + topic + "'");
  int count = -1;
  rd_kafka_resp_err_t terr = RD_KAFKA_RESP_ERR_NO_ERROR;
  if (md->topic_cnt == 1) {
    terr = md->topics[0].err;
    count = md->topics[0].partition_cnt;
  }
  rd_kafka_metadata_destroy(md);
  if (terr == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || count <= 0) {
    return Status::not_found("topic '" + topic + "' does not exist");
  }
  if (terr != RD_KAFKA_RESP_ERR_NO_ERROR)
    return from_error(terr, "metadata for topic '" + topic + "'");
  return count;
}

Result<std::string> Admin::cluster_id(std::chrono::milliseconds timeout) {
  char* id = rd_kafka_clusterid(rk_.get(), static_cast<int>(timeout.count()));
  if (!id) return Status::unavailable("the Kafka cluster did not answer with its cluster id");
  std::string out(id);
  rd_kafka_mem_free(rk_.get(), id);
  return out;
}

}  // namespace kanal::kafka
