#include "support/kafka_client.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <memory>
#include <set>
#include <thread>

namespace kanal::testing {
namespace {

using std::chrono::milliseconds;

struct RdConfDeleter {
  void operator()(rd_kafka_conf_t* c) const noexcept { rd_kafka_conf_destroy(c); }
};
struct RdKafkaDeleter {
  void operator()(rd_kafka_t* rk) const noexcept { rd_kafka_destroy(rk); }
};
struct RdQueueDeleter {
  void operator()(rd_kafka_queue_t* q) const noexcept { rd_kafka_queue_destroy(q); }
};
struct RdEventDeleter {
  void operator()(rd_kafka_event_t* ev) const noexcept { rd_kafka_event_destroy(ev); }
};
struct RdAdminOptionsDeleter {
  void operator()(rd_kafka_AdminOptions_t* o) const noexcept { rd_kafka_AdminOptions_destroy(o); }
};
struct RdMetadataDeleter {
  void operator()(const rd_kafka_metadata_t* md) const noexcept { rd_kafka_metadata_destroy(md); }
};
struct RdMessageDeleter {
  void operator()(rd_kafka_message_t* m) const noexcept { rd_kafka_message_destroy(m); }
};
struct RdPartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const noexcept {
    rd_kafka_topic_partition_list_destroy(l);
  }
};
using RdConfPtr = std::unique_ptr<rd_kafka_conf_t, RdConfDeleter>;
using RdKafkaPtr = std::unique_ptr<rd_kafka_t, RdKafkaDeleter>;
using RdQueuePtr = std::unique_ptr<rd_kafka_queue_t, RdQueueDeleter>;
using RdEventPtr = std::unique_ptr<rd_kafka_event_t, RdEventDeleter>;
using RdAdminOptionsPtr = std::unique_ptr<rd_kafka_AdminOptions_t, RdAdminOptionsDeleter>;
using RdMetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, RdMetadataDeleter>;
using RdMessagePtr = std::unique_ptr<rd_kafka_message_t, RdMessageDeleter>;
using RdPartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, RdPartitionListDeleter>;

constexpr milliseconds kAdminTimeout = std::chrono::seconds(30);

int to_ms(milliseconds d) {
  return static_cast<int>(std::clamp<milliseconds::rep>(d.count(), 0, 1'000'000'000));
}

std::string err_text(rd_kafka_resp_err_t err) {
  return std::string(rd_kafka_err2name(err)) + ": " + rd_kafka_err2str(err);
}

void silent_log(const rd_kafka_t*, int, const char*, const char*) {}

struct ClientOptions {
  std::vector<std::pair<std::string, std::string>> settings;
  bool silent = false;
  // Delivery report callback for producers.
  void (*dr_msg_cb)(rd_kafka_t*, const rd_kafka_message_t*, void*) = nullptr;
  void* opaque = nullptr;
};

Result<RdKafkaPtr> make_client(rd_kafka_type_t type, std::string_view bootstrap,
                               const ClientOptions& options) {
  RdConfPtr conf(rd_kafka_conf_new());
  char err[512];
  std::vector<std::pair<std::string, std::string>> settings = {
      {"bootstrap.servers", std::string(bootstrap)},
      // Tests stop and restart brokers on purpose; closed connections are not news.
      {"log.connection.close", "false"},
  };
  settings.insert(settings.end(), options.settings.begin(), options.settings.end());
  for (const auto& [k, v] : settings) {
    if (rd_kafka_conf_set(conf.get(), k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      return Status::invalid_argument("librdkafka config " + k + "=" + v + ": " + err);
    }
  }
  if (options.silent) rd_kafka_conf_set_log_cb(conf.get(), silent_log);
  if (options.dr_msg_cb != nullptr) rd_kafka_conf_set_dr_msg_cb(conf.get(), options.dr_msg_cb);
  if (options.opaque != nullptr) rd_kafka_conf_set_opaque(conf.get(), options.opaque);
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), err, sizeof err);
  if (rk == nullptr) return Status::kafka_error(std::string("rd_kafka_new: ") + err);
  conf.release();  // librdkafka owns the conf from here on
  return RdKafkaPtr(rk);
}

// Waits for the admin result event on `queue`; error if none arrives in time.
Result<RdEventPtr> admin_result(rd_kafka_queue_t* queue, std::string_view what) {
  RdEventPtr ev(rd_kafka_queue_poll(queue, to_ms(kAdminTimeout + std::chrono::seconds(5))));
  if (!ev) return Status::timeout(std::string(what) + ": no answer from the broker");
  if (rd_kafka_event_error(ev.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::kafka_error(std::string(what) + ": " + rd_kafka_event_error_string(ev.get()));
  }
  return ev;
}

Result<RdAdminOptionsPtr> admin_options(rd_kafka_t* rk, rd_kafka_admin_op_t op,
                                        bool with_operation_timeout) {
  RdAdminOptionsPtr options(rd_kafka_AdminOptions_new(rk, op));
  char err[512];
  if (rd_kafka_AdminOptions_set_request_timeout(options.get(), to_ms(kAdminTimeout), err,
                                                sizeof err) != RD_KAFKA_RESP_ERR_NO_ERROR ||
      (with_operation_timeout &&
       rd_kafka_AdminOptions_set_operation_timeout(options.get(), to_ms(kAdminTimeout), err,
                                                   sizeof err) != RD_KAFKA_RESP_ERR_NO_ERROR)) {
    return Status::internal(std::string("admin options: ") + err);
  }
  return options;
}

struct DeliveryState {
  int delivered = 0;
  int failed = 0;
  std::string first_error;
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
  auto* state = static_cast<DeliveryState*>(opaque);
  if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++state->delivered;
  } else if (state->failed++ == 0) {
    state->first_error = err_text(msg->err);
  }
}

Status produce_records(std::string_view bootstrap, std::string_view topic,
                       const std::vector<std::pair<const std::string*, const std::string*>>& kvs) {
  DeliveryState state;
  ClientOptions options;
  options.settings = {{"acks", "all"}, {"linger.ms", "5"}, {"message.timeout.ms", "30000"}};
  options.dr_msg_cb = on_delivery;
  options.opaque = &state;
  Result<RdKafkaPtr> rk = make_client(RD_KAFKA_PRODUCER, bootstrap, options);
  if (!rk.ok()) return rk.status();
  const std::string topic_name(topic);
  for (const auto& [key, value] : kvs) {
    while (true) {
      rd_kafka_resp_err_t err = rd_kafka_producev(
          rk->get(), RD_KAFKA_V_TOPIC(topic_name.c_str()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_KEY(key ? key->data() : nullptr, key ? key->size() : 0),
          RD_KAFKA_V_VALUE(const_cast<char*>(value->data()), value->size()), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(rk->get(), 100);  // serves delivery reports, freeing queue space
        continue;
      }
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        return Status::kafka_error("produce to '" + topic_name + "': " + err_text(err));
      }
      break;
    }
    rd_kafka_poll(rk->get(), 0);
  }
  const rd_kafka_resp_err_t flush_err = rd_kafka_flush(rk->get(), 60'000);
  if (flush_err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::timeout("produce to '" + topic_name + "': flush: " + err_text(flush_err));
  }
  if (state.failed > 0) {
    return Status::kafka_error("produce to '" + topic_name + "': " + std::to_string(state.failed) +
                               " of " + std::to_string(kvs.size()) +
                               " records failed, first: " + state.first_error);
  }
  return Status::OK();
}

}  // namespace

Status create_topic(std::string_view bootstrap, std::string_view topic, int partitions,
                    const std::map<std::string, std::string>& configs) {
  Result<RdKafkaPtr> rk = make_client(RD_KAFKA_PRODUCER, bootstrap, {});
  if (!rk.ok()) return rk.status();
  const std::string name(topic);
  char err[512];
  rd_kafka_NewTopic_t* new_topic =
      rd_kafka_NewTopic_new(name.c_str(), partitions, -1, err, sizeof err);
  if (new_topic == nullptr) {
    return Status::invalid_argument("create topic '" + name + "': " + err);
  }
  std::unique_ptr<rd_kafka_NewTopic_t, void (*)(rd_kafka_NewTopic_t*)> owned(
      new_topic, rd_kafka_NewTopic_destroy);
  for (const auto& [k, v] : configs) {
    if (rd_kafka_NewTopic_set_config(new_topic, k.c_str(), v.c_str()) !=
        RD_KAFKA_RESP_ERR_NO_ERROR) {
      return Status::invalid_argument("create topic '" + name + "': bad config " + k);
    }
  }
  Result<RdAdminOptionsPtr> options =
      admin_options(rk->get(), RD_KAFKA_ADMIN_OP_CREATETOPICS, true);
  if (!options.ok()) return options.status();
  RdQueuePtr queue(rd_kafka_queue_new(rk->get()));
  rd_kafka_CreateTopics(rk->get(), &new_topic, 1, options->get(), queue.get());
  Result<RdEventPtr> ev = admin_result(queue.get(), "create topic '" + name + "'");
  if (!ev.ok()) return ev.status();
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(ev->get());
  size_t count = 0;
  const rd_kafka_topic_result_t** topics = rd_kafka_CreateTopics_result_topics(result, &count);
  for (size_t i = 0; i < count; ++i) {
    if (rd_kafka_topic_result_error(topics[i]) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const char* msg = rd_kafka_topic_result_error_string(topics[i]);
      return Status::kafka_error("create topic '" + name +
                                 "': " + err_text(rd_kafka_topic_result_error(topics[i])) +
                                 (msg != nullptr ? std::string(" (") + msg + ")" : ""));
    }
  }
  return Status::OK();
}

Status produce(std::string_view bootstrap, std::string_view topic,
               const std::vector<std::string>& values) {
  std::vector<std::pair<const std::string*, const std::string*>> kvs;
  for (const std::string& v : values) kvs.emplace_back(nullptr, &v);
  return produce_records(bootstrap, topic, kvs);
}

Status produce_keyed(std::string_view bootstrap, std::string_view topic,
                     const std::vector<std::pair<std::string, std::string>>& key_values) {
  std::vector<std::pair<const std::string*, const std::string*>> kvs;
  for (const auto& [k, v] : key_values) kvs.emplace_back(&k, &v);
  return produce_records(bootstrap, topic, kvs);
}

Status produce_n(std::string_view bootstrap, std::string_view topic, int count,
                 std::string_view prefix) {
  std::vector<std::string> values;
  values.reserve(static_cast<size_t>(std::max(count, 0)));
  for (int i = 0; i < count; ++i) values.push_back(std::string(prefix) + std::to_string(i));
  return produce(bootstrap, topic, values);
}

Result<std::vector<ConsumedRecord>> consume_all(std::string_view bootstrap, std::string_view topic,
                                                milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  const std::string name(topic);
  ClientOptions options;
  // assign() and consumer_poll() need a group.id, but assign() never joins the group.
  options.settings = {{"group.id", "kanal-test-reader"},     {"enable.auto.commit", "false"},
                      {"enable.partition.eof", "true"},      {"auto.offset.reset", "earliest"},
                      {"isolation.level", "read_committed"}, {"allow.auto.create.topics", "false"}};
  Result<RdKafkaPtr> rk = make_client(RD_KAFKA_CONSUMER, bootstrap, options);
  if (!rk.ok()) return rk.status();

  // Partitions of the topic, from a Metadata request for it alone.
  int partitions = 0;
  while (true) {
    const rd_kafka_metadata_t* raw = nullptr;
    std::unique_ptr<rd_kafka_topic_t, void (*)(rd_kafka_topic_t*)> rkt(
        rd_kafka_topic_new(rk->get(), name.c_str(), nullptr), rd_kafka_topic_destroy);
    const auto left =
        std::chrono::duration_cast<milliseconds>(end - std::chrono::steady_clock::now());
    rd_kafka_resp_err_t err =
        rd_kafka_metadata(rk->get(), 0, rkt.get(), &raw, to_ms(std::max(left, milliseconds(1))));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return Status::kafka_error("consume '" + name + "': metadata: " + err_text(err), true);
    }
    RdMetadataPtr md(raw);
    if (md->topic_cnt != 1) return Status::internal("consume '" + name + "': no topic metadata");
    const rd_kafka_metadata_topic_t& t = md->topics[0];
    if (t.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
      return Status::not_found("consume '" + name + "': topic does not exist");
    }
    if (t.err == RD_KAFKA_RESP_ERR_NO_ERROR && t.partition_cnt > 0) {
      partitions = t.partition_cnt;
      break;
    }
    // Leader election in progress right after creation: ask again (bounded by the deadline).
    if (std::chrono::steady_clock::now() >= end) {
      return Status::timeout("consume '" + name + "': metadata: " + err_text(t.err));
    }
    std::this_thread::sleep_for(milliseconds(50));
  }

  RdPartitionListPtr assignment(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p) {
    rd_kafka_topic_partition_list_add(assignment.get(), name.c_str(), p)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
  }
  if (rd_kafka_resp_err_t err = rd_kafka_assign(rk->get(), assignment.get());
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::kafka_error("consume '" + name + "': assign: " + err_text(err));
  }

  std::vector<ConsumedRecord> records;
  // Partitions whose end the consumer reached after its last record from them.
  std::set<int32_t> at_end;
  Status result;
  while (static_cast<int>(at_end.size()) < partitions) {
    if (std::chrono::steady_clock::now() >= end) {
      result = Status::timeout("consume '" + name + "': caught up with " +
                               std::to_string(at_end.size()) + " of " + std::to_string(partitions) +
                               " partitions within " + std::to_string(deadline.count()) + " ms, " +
                               std::to_string(records.size()) + " records read");
      break;
    }
    RdMessagePtr msg(rd_kafka_consumer_poll(rk->get(), 100));
    if (!msg) continue;
    if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      at_end.insert(msg->partition);
      continue;
    }
    if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (rd_kafka_fatal_error(rk->get(), nullptr, 0) != RD_KAFKA_RESP_ERR_NO_ERROR ||
          msg->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
          msg->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
        result = Status::kafka_error("consume '" + name + "': " + err_text(msg->err));
        break;
      }
      continue;  // transient (broker restarting, leader moving): librdkafka retries
    }
    ConsumedRecord r;
    r.partition = msg->partition;
    r.offset = msg->offset;
    if (msg->key != nullptr) r.key.emplace(static_cast<const char*>(msg->key), msg->key_len);
    if (msg->payload != nullptr) {
      r.value.emplace(static_cast<const char*>(msg->payload), msg->len);
    }
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(msg.get(), &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      const char* hname = nullptr;
      const void* hvalue = nullptr;
      size_t hsize = 0;
      for (size_t i = 0; rd_kafka_header_get_all(headers, i, &hname, &hvalue, &hsize) ==
                         RD_KAFKA_RESP_ERR_NO_ERROR;
           ++i) {
        std::optional<std::string> v;
        if (hvalue != nullptr) v.emplace(static_cast<const char*>(hvalue), hsize);
        r.headers.emplace_back(hname, std::move(v));
      }
    }
    at_end.erase(r.partition);
    records.push_back(std::move(r));
  }
  rd_kafka_consumer_close(rk->get());
  if (!result.ok()) return result;
  std::stable_sort(
      records.begin(), records.end(), [](const ConsumedRecord& a, const ConsumedRecord& b) {
        return a.partition != b.partition ? a.partition < b.partition : a.offset < b.offset;
      });
  return records;
}

Result<std::vector<std::string>> consume_values(std::string_view bootstrap, std::string_view topic,
                                                milliseconds deadline) {
  Result<std::vector<ConsumedRecord>> records = consume_all(bootstrap, topic, deadline);
  if (!records.ok()) return records.status();
  std::vector<std::string> values;
  for (const ConsumedRecord& r : *records) values.push_back(r.value.value_or("<null>"));
  return values;
}

Result<std::map<std::string, std::string>> describe_topic_configs(std::string_view bootstrap,
                                                                  std::string_view topic) {
  Result<RdKafkaPtr> rk = make_client(RD_KAFKA_PRODUCER, bootstrap, {});
  if (!rk.ok()) return rk.status();
  const std::string name(topic);
  std::unique_ptr<rd_kafka_ConfigResource_t, void (*)(rd_kafka_ConfigResource_t*)> resource(
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, name.c_str()),
      rd_kafka_ConfigResource_destroy);
  Result<RdAdminOptionsPtr> options =
      admin_options(rk->get(), RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, false);
  if (!options.ok()) return options.status();
  RdQueuePtr queue(rd_kafka_queue_new(rk->get()));
  rd_kafka_ConfigResource_t* resources[] = {resource.get()};
  rd_kafka_DescribeConfigs(rk->get(), resources, 1, options->get(), queue.get());
  Result<RdEventPtr> ev = admin_result(queue.get(), "describe configs of topic '" + name + "'");
  if (!ev.ok()) return ev.status();
  const rd_kafka_DescribeConfigs_result_t* result =
      rd_kafka_event_DescribeConfigs_result(ev->get());
  size_t count = 0;
  const rd_kafka_ConfigResource_t** described =
      rd_kafka_DescribeConfigs_result_resources(result, &count);
  if (count != 1) return Status::internal("describe configs of topic '" + name + "': no result");
  if (rd_kafka_resp_err_t err = rd_kafka_ConfigResource_error(described[0]);
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* msg = rd_kafka_ConfigResource_error_string(described[0]);
    if (err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
      return Status::not_found("describe configs of topic '" + name + "': topic does not exist");
    }
    return Status::kafka_error("describe configs of topic '" + name + "': " + err_text(err) +
                               (msg != nullptr ? std::string(" (") + msg + ")" : ""));
  }
  std::map<std::string, std::string> configs;
  size_t entry_count = 0;
  const rd_kafka_ConfigEntry_t** entries =
      rd_kafka_ConfigResource_configs(described[0], &entry_count);
  for (size_t i = 0; i < entry_count; ++i) {
    const char* value = rd_kafka_ConfigEntry_value(entries[i]);
    if (value != nullptr) configs.emplace(rd_kafka_ConfigEntry_name(entries[i]), value);
  }
  return configs;
}

Result<std::string> fetch_cluster_id(std::string_view bootstrap, milliseconds timeout) {
  Result<RdKafkaPtr> rk = make_client(RD_KAFKA_PRODUCER, bootstrap, {});
  if (!rk.ok()) return rk.status();
  char* id = rd_kafka_clusterid(rk->get(), to_ms(timeout));
  if (id == nullptr) {
    return Status::timeout("no cluster id from " + std::string(bootstrap) + " within " +
                           std::to_string(timeout.count()) + " ms");
  }
  std::string out(id);
  rd_kafka_mem_free(rk->get(), id);
  return out;
}

Status check_broker_ready(std::string_view bootstrap, milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  auto left = [&] {
    return to_ms(
        std::max(std::chrono::duration_cast<milliseconds>(end - std::chrono::steady_clock::now()),
                 milliseconds(1)));
  };
  ClientOptions options;
  options.silent = true;  // connection refused is expected while the broker boots
  options.settings = {{"group.id", "kanal-harness-readiness-probe"},
                      {"enable.auto.commit", "false"},
                      {"reconnect.backoff.ms", "50"},
                      {"reconnect.backoff.max.ms", "200"}};
  Result<RdKafkaPtr> rk = make_client(RD_KAFKA_CONSUMER, bootstrap, options);
  if (!rk.ok()) return rk.status();

  const rd_kafka_metadata_t* raw = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk->get(), 0, nullptr, &raw, left());
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::unavailable("metadata: " + err_text(err));
  }
  RdMetadataPtr md(raw);
  if (md->broker_cnt < 1) return Status::unavailable("metadata: no broker listed");

  // Any partition will do: the coordinator answers OffsetFetch whether the topic exists or not.
  RdPartitionListPtr partitions(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(partitions.get(), "kanal-harness-readiness-probe", 0);
  err = rd_kafka_committed(rk->get(), partitions.get(), left());
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::unavailable("group coordinator: " + err_text(err));
  }
  return Status::OK();
}

}  // namespace kanal::testing
