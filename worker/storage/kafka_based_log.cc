#include "storage/kafka_based_log.h"

#include <algorithm>
#include <exception>
#include <utility>

namespace kanal::storage {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

struct RdMessageDeleter {
  void operator()(rd_kafka_message_t* m) const noexcept { rd_kafka_message_destroy(m); }
};
using RdMessagePtr = std::unique_ptr<rd_kafka_message_t, RdMessageDeleter>;
struct RdMetadataDeleter {
  void operator()(const rd_kafka_metadata_t* m) const noexcept { rd_kafka_metadata_destroy(m); }
};
using RdMetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, RdMetadataDeleter>;
struct RdTopicDeleter {
  void operator()(rd_kafka_topic_t* t) const noexcept { rd_kafka_topic_destroy(t); }
};
using RdTopicPtr = std::unique_ptr<rd_kafka_topic_t, RdTopicDeleter>;

// The consumer's poll timeout bounds how long stop() waits for the log thread.
constexpr milliseconds kPollTimeout(50);

int remaining_ms(steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
  return static_cast<int>(std::clamp<int64_t>(left.count(), 1, 24 * 3600 * 1000));
}

// Runs on the thread serving producer events: hands the outcome to the sender's callback.
void on_delivery(rd_kafka_t* /*rk*/, const rd_kafka_message_t* msg, void* /*opaque*/) {
  auto* done = static_cast<KafkaBasedLog::SendCallback*>(msg->_private);
  if (done == nullptr) return;
  Status status = kafka::from_error(
      msg->err, "send to topic '" + std::string(rd_kafka_topic_name(msg->rkt)) + "'");
  (*done)(status);
  delete done;
}

config::ConfigMap merged(config::ConfigMap defaults, const config::ConfigMap& settings,
                         const config::ConfigMap& overrides) {
  for (const auto& [k, v] : settings) defaults[k] = v;
  for (const auto& [k, v] : overrides) defaults[k] = v;
  return defaults;
}

}  // namespace

// Outcome of a batch of sends, shared by the waiting caller and the delivery callbacks (which
// may outlive the caller when it times out).
struct KafkaBasedLog::SendTracker {
  std::mutex mu;
  size_t pending = 0;  // guarded by mu
  Status first_error;  // guarded by mu
};

KafkaBasedLog::KafkaBasedLog(Options options, RecordCallback on_record)
    : options_(std::move(options)),
      on_record_(std::move(on_record)),
      log_(log::Logger("kanal.storage").with_context(options_.topic)) {}

KafkaBasedLog::~KafkaBasedLog() { stop(); }

Status KafkaBasedLog::start(milliseconds timeout) {
  const auto deadline = steady_clock::now() + timeout;
  const std::string& topic = options_.topic;

  // Connect's KafkaBasedLog producer: acks=all and idempotence so a retried send is written once;
  // murmur2_random so a key lands in the partition Java's default partitioner picks; never
  // auto-create the topic (it would not be compacted).
  auto producer_conf =
      kafka::make_conf(merged({{"acks", "all"},
                               {"enable.idempotence", "true"},
                               {"partitioner", "murmur2_random"},
                               {"allow.auto.create.topics", "false"}},
                              options_.client_settings, options_.producer_overrides));
  if (!producer_conf.ok()) return producer_conf.status().with_context("topic '" + topic + "'");
  rd_kafka_conf_set_dr_msg_cb(producer_conf->get(), on_delivery);
  auto producer = kafka::make_client(RD_KAFKA_PRODUCER, producer_conf.value());
  if (!producer.ok()) return producer.status().with_context("producer for topic '" + topic + "'");

  // assign() and consumer_poll() need a group.id, but assign() never joins the group and
  // nothing is committed: the log always reads from the beginning.
  auto consumer = kafka::make_client(RD_KAFKA_CONSUMER,
                                     merged({{"group.id", "kanal-log-" + topic},
                                             {"enable.auto.commit", "false"},
                                             {"enable.auto.offset.store", "false"},
                                             {"enable.partition.eof", "true"},
                                             {"auto.offset.reset", "earliest"},
                                             {"isolation.level", "read_uncommitted"},
                                             {"allow.auto.create.topics", "false"}},
                                            options_.client_settings, options_.consumer_overrides));
  if (!consumer.ok()) return consumer.status().with_context("consumer for topic '" + topic + "'");
  producer_ = std::move(producer).value();
  consumer_ = std::move(consumer).value();

  auto partitions = fetch_partition_count(deadline);
  if (!partitions.ok()) return partitions.status();
  partitions_ = *partitions;

  kafka::RdPartitionListPtr assignment(rd_kafka_topic_partition_list_new(partitions_));
  for (int p = 0; p < partitions_; ++p) {
    rd_kafka_topic_partition_list_add(assignment.get(), topic.c_str(), p)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
  }
  KANAL_RETURN_IF_ERROR(kafka::from_error(rd_kafka_assign(consumer_.get(), assignment.get()),
                                          "assign partitions of topic '" + topic + "'"));
  {
    std::lock_guard lock(mu_);
    positions_.assign(partitions_, 0);
    running_ = true;
  }
  thread_ = std::jthread([this](std::stop_token stop) { run(std::move(stop)); });

  Status read =
      read_to_end(std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now()));
  if (!read.ok()) {
    stop(milliseconds(0));
    return read.with_context("reading topic '" + topic + "' to its end at start");
  }
  log_.info("log.started", {{"partitions", std::to_string(partitions_)}});
  return Status::OK();
}

void KafkaBasedLog::stop(milliseconds flush_timeout) {
  {
    std::lock_guard lock(mu_);
    if (!running_ && !thread_.joinable()) return;
    running_ = false;
  }
  caught_up_.notify_all();
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
  if (producer_) {
    rd_kafka_flush(producer_.get(), static_cast<int>(flush_timeout.count()));
    // Whatever is still queued fails now, so every send callback runs exactly once.
    rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(producer_.get(), 0);
  }
  if (consumer_) rd_kafka_consumer_close(consumer_.get());
  log_.info("log.stopped");
}

Status KafkaBasedLog::send(std::string_view key, std::optional<std::string_view> value,
                           SendCallback done) {
  {
    std::lock_guard lock(mu_);
    if (!running_) {
      return Status::internal("Cannot write to topic '" + options_.topic +
                              "': its log is not running");
    }
  }
  auto* opaque = done ? new SendCallback(std::move(done)) : nullptr;
  void* payload = value ? const_cast<char*>(value->data()) : nullptr;
  const size_t payload_size = value ? value->size() : 0;
  rd_kafka_resp_err_t err = rd_kafka_producev(
      producer_.get(), RD_KAFKA_V_TOPIC(options_.topic.c_str()),
      RD_KAFKA_V_PARTITION(RD_KAFKA_PARTITION_UA),
      RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
      RD_KAFKA_V_VALUE(payload, payload_size), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
      RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    delete opaque;
    return kafka::from_error(err, "send to topic '" + options_.topic + "'");
  }
  return Status::OK();
}

Status KafkaBasedLog::send_and_wait(std::span<const LogEntry> entries, milliseconds timeout) {
  const auto deadline = steady_clock::now() + timeout;
  auto tracker = std::make_shared<SendTracker>();
  for (const LogEntry& e : entries) {
    {
      std::lock_guard lock(tracker->mu);
      ++tracker->pending;
    }
    std::optional<std::string_view> value;
    if (e.value) value = *e.value;
    Status sent = send(e.key, value, [tracker](const Status& s) {
      std::lock_guard lock(tracker->mu);
      --tracker->pending;
      if (!s.ok() && tracker->first_error.ok()) tracker->first_error = s;
    });
    if (!sent.ok()) {
      std::lock_guard lock(tracker->mu);
      --tracker->pending;
      if (tracker->first_error.ok()) tracker->first_error = sent;
      break;
    }
  }
  while (true) {
    {
      std::lock_guard lock(tracker->mu);
      if (tracker->pending == 0) return tracker->first_error;
    }
    if (steady_clock::now() >= deadline) {
      return Status::timeout("Writing " + std::to_string(entries.size()) + " record(s) to topic '" +
                             options_.topic + "' was not acknowledged within " +
                             std::to_string(timeout.count()) + " ms");
    }
    // Serves delivery reports here rather than waiting for the log thread's next turn.
    rd_kafka_poll(producer_.get(), std::min(remaining_ms(deadline), 10));
  }
}

Status KafkaBasedLog::flush(milliseconds timeout) {
  {
    std::lock_guard lock(mu_);
    if (!running_) return Status::internal("The log of topic '" + options_.topic + "' is stopped");
  }
  return kafka::from_error(rd_kafka_flush(producer_.get(), static_cast<int>(timeout.count())),
                           "flush writes to topic '" + options_.topic + "'");
}

Status KafkaBasedLog::read_to_end(milliseconds timeout) {
  const auto deadline = steady_clock::now() + timeout;
  {
    std::lock_guard lock(mu_);
    if (!running_) return Status::internal("The log of topic '" + options_.topic + "' is stopped");
  }
  auto ends = end_offsets(deadline);
  if (!ends.ok()) return ends.status();
  std::unique_lock lock(mu_);
  auto caught_up = [&] {
    if (!running_) return true;
    for (int p = 0; p < partitions_; ++p) {
      if (positions_[p] < (*ends)[p]) return false;
    }
    return true;
  };
  if (!caught_up_.wait_until(lock, deadline, caught_up)) {
    std::string behind;
    for (int p = 0; p < partitions_; ++p) {
      if (positions_[p] < (*ends)[p]) {
        behind += (behind.empty() ? "" : ", ") + std::to_string(p) + " at " +
                  std::to_string(positions_[p]) + " of " + std::to_string((*ends)[p]);
      }
    }
    return Status::timeout("Reading topic '" + options_.topic + "' to its end took longer than " +
                           std::to_string(timeout.count()) + " ms (partitions behind: " + behind +
                           ")");
  }
  if (!thread_error_.ok()) return thread_error_;
  if (!running_) return Status::internal("The log of topic '" + options_.topic + "' is stopped");
  return Status::OK();
}

void KafkaBasedLog::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    rd_kafka_poll(producer_.get(), 0);
    RdMessagePtr msg(
        rd_kafka_consumer_poll(consumer_.get(), static_cast<int>(kPollTimeout.count())));
    if (!msg) continue;
    if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      // The end offset counts transaction markers and compacted-away records too, so reaching it
      // is what read_to_end() waits for, not the last record's offset.
      std::lock_guard lock(mu_);
      if (msg->partition >= 0 && msg->partition < partitions_) {
        positions_[msg->partition] = std::max(positions_[msg->partition], msg->offset);
      }
      caught_up_.notify_all();
      continue;
    }
    if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      char fatal[256];
      if (rd_kafka_fatal_error(consumer_.get(), fatal, sizeof fatal) !=
          RD_KAFKA_RESP_ERR_NO_ERROR) {
        log_.error("log.consumer.fatal", {{"error", fatal}});
        std::lock_guard lock(mu_);
        thread_error_ = Status::kafka_error("Reading topic '" + options_.topic + "': " + fatal);
        running_ = false;
        caught_up_.notify_all();
        return;
      }
      // Transient (broker restarting, leader moving): librdkafka retries by itself.
      log_.warn("log.consumer.error", {{"error", rd_kafka_message_errstr(msg.get())}});
      continue;
    }
    LogRecord record;
    record.partition = msg->partition;
    record.offset = msg->offset;
    if (msg->key != nullptr) record.key.emplace(static_cast<const char*>(msg->key), msg->key_len);
    if (msg->payload != nullptr) {
      record.value.emplace(static_cast<const char*>(msg->payload), msg->len);
    }
    try {
      on_record_(record);
    } catch (const std::exception& e) {
      // A thread's top function: a store bug must not take the worker down.
      log_.error("log.callback.failed", {{"partition", std::to_string(record.partition)},
                                         {"offset", std::to_string(record.offset)},
                                         {"error", e.what()}});
    }
    std::lock_guard lock(mu_);
    if (record.partition >= 0 && record.partition < partitions_) {
      positions_[record.partition] = std::max(positions_[record.partition], record.offset + 1);
    }
    caught_up_.notify_all();
  }
}

Result<std::vector<int64_t>> KafkaBasedLog::end_offsets(steady_clock::time_point deadline) {
  // Asked through the producer's connections: a broker answers one connection's requests in
  // order, so behind the consumer's long-polling fetch each answer would wait up to
  // fetch.wait.max.ms.
  std::vector<int64_t> ends(partitions_, 0);
  for (int p = 0; p < partitions_; ++p) {
    int64_t low = 0;
    int64_t high = 0;
    while (true) {
      Status asked = kafka::from_error(
          rd_kafka_query_watermark_offsets(producer_.get(), options_.topic.c_str(), p, &low, &high,
                                           remaining_ms(deadline)),
          "end offset of partition " + std::to_string(p) + " of topic '" + options_.topic + "'");
      if (asked.ok()) break;
      // A new topic's leaders are still being elected, or leadership is moving: ask again.
      if (!asked.retriable() || steady_clock::now() >= deadline) return asked;
      std::this_thread::sleep_for(milliseconds(50));
    }
    ends[p] = high;
  }
  return ends;
}

Result<int> KafkaBasedLog::fetch_partition_count(steady_clock::time_point deadline) {
  const std::string& topic = options_.topic;
  RdTopicPtr rkt(rd_kafka_topic_new(consumer_.get(), topic.c_str(), nullptr));
  bool unknown = false;  // the brokers said the topic does not exist
  while (true) {
    const rd_kafka_metadata_t* raw = nullptr;
    rd_kafka_resp_err_t err =
        rd_kafka_metadata(consumer_.get(), 0, rkt.get(), &raw, remaining_ms(deadline));
    rd_kafka_resp_err_t topic_err = err;
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      RdMetadataPtr md(raw);
      if (md->topic_cnt == 1) {
        topic_err = md->topics[0].err;
        unknown = topic_err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
        if (topic_err == RD_KAFKA_RESP_ERR_NO_ERROR && md->topics[0].partition_cnt > 0) {
          return md->topics[0].partition_cnt;
        }
      }
    }
    if (steady_clock::now() >= deadline) {
      if (unknown) {
        return Status::not_found("Topic '" + topic +
                                 "' does not exist; the distributed worker creates its internal "
                                 "topics at start-up, check the *.storage.topic settings");
      }
      if (topic_err == RD_KAFKA_RESP_ERR_NO_ERROR)
        topic_err = RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE;
      return kafka::from_error(topic_err, "partition metadata of topic '" + topic + "'");
    }
    // Right after creation the topic may have no leader yet: ask again until the deadline.
    std::this_thread::sleep_for(milliseconds(50));
  }
}

}  // namespace kanal::storage
