#include "runtime/sink_task_runner.h"

#include <algorithm>
#include <chrono>

#include "metrics/client_stats.h"

namespace kanal::runtime {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kPollTimeoutMs = 200;
constexpr size_t kDefaultMaxPollRecords = 500;
// How long an empty queue right after a backlog may last before the fetcher counts as stalled:
// well above a fetch round trip, far below librdkafka's one-second wake-up.
constexpr int kStallCheckMs = 10;

std::string describe(const rd_kafka_message_t* m) {
  if (!m) return "";
  return "consumed record with topic " + std::string(rd_kafka_topic_name(m->rkt)) + ", partition " +
         std::to_string(m->partition) + ", offset " + std::to_string(m->offset);
}

}  // namespace

SinkTaskRunner::SinkTaskRunner(SinkTaskSetup setup, StatusStore& status, std::string worker_id)
    : TaskRunner(setup.id, status, std::move(worker_id), setup.task->version()),
      setup_(std::move(setup)),
      status_store_(status) {}

SinkTaskRunner::~SinkTaskRunner() {
  // Stop the thread before members it uses go away.
  request_stop();
  await_stop(Clock::time_point::max());
}

// Unlike SourceTask::stop(), SinkTask::stop() runs on the task thread, after the final commit
// (as in Connect's WorkerSinkTask): stopping it from here would race with put() and flush(), and
// a flush after stop() could not write what the commit then declares consumed. The loop sees
// the stop token within one poll timeout.
void SinkTaskRunner::on_stop_requested() {}

int SinkTaskRunner::stats_cb(rd_kafka_t*, char* json, size_t json_len, void* opaque) {
  // Served by rd_kafka_consumer_poll on the task thread, the metrics block's one writer.
  auto* self = static_cast<SinkTaskRunner*>(opaque);
  (void)metrics::read_client_stats(std::string_view(json, json_len), self->metrics_->client);
  return 0;  // librdkafka frees the JSON
}

void SinkTaskRunner::rebalance_cb(rd_kafka_t*, rd_kafka_resp_err_t err,
                                  rd_kafka_topic_partition_list_t* parts, void* opaque) {
  static_cast<SinkTaskRunner*>(opaque)->on_rebalance(err, parts);
}

Status SinkTaskRunner::setup_consumer() {
  config::ConfigMap settings = setup_.consumer_settings;
  settings.emplace("statistics.interval.ms", metrics::kDefaultStatisticsIntervalMs);
  auto conf = kafka::make_conf(settings);
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_opaque(conf->get(), this);
  rd_kafka_conf_set_stats_cb(conf->get(), &SinkTaskRunner::stats_cb);
  rd_kafka_conf_set_rebalance_cb(conf->get(), &SinkTaskRunner::rebalance_cb);
  auto rk = kafka::make_client(RD_KAFKA_CONSUMER, conf.value());
  if (!rk.ok()) return rk.status();
  consumer_ = std::move(rk).value();
  rd_kafka_poll_set_consumer(consumer_.get());

  const auto& c = setup_.task_config;
  auto topics_it = c.find("topics");
  auto regex_it = c.find("topics.regex");
  std::vector<std::string> subs;
  if (topics_it != c.end() && !config::trim(topics_it->second).empty()) {
    subs = config::split_list(topics_it->second);
  } else if (regex_it != c.end() && !config::trim(regex_it->second).empty()) {
    subs.push_back("^" + std::string(config::trim(regex_it->second)));
  } else {
    return Status::invalid_argument("Must configure one of topics or topics.regex");
  }
  kafka::RdPartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(subs.size())));
  for (const auto& t : subs) {
    rd_kafka_topic_partition_list_add(list.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
  }
  return kafka::from_error(rd_kafka_subscribe(consumer_.get(), list.get()), "subscribing");
}

Status SinkTaskRunner::setup_dead_letter_queue() {
  auto it = setup_.connector_config.find("errors.deadletterqueue.topic.name");
  if (it == setup_.connector_config.end() || config::trim(it->second).empty()) return Status::OK();
  dlq_topic_ = std::string(config::trim(it->second));
  auto hdr = setup_.connector_config.find("errors.deadletterqueue.context.headers.enable");
  dlq_context_headers_ = hdr != setup_.connector_config.end() && hdr->second == "true";
  auto rf_it = setup_.connector_config.find("errors.deadletterqueue.topic.replication.factor");
  int32_t rf = rf_it == setup_.connector_config.end() ? 3 : std::stoi(rf_it->second);
  auto admin = kafka::Admin::create(setup_.admin_settings);
  if (!admin.ok()) return admin.status();
  kafka::TopicSpec spec{dlq_topic_, 1, rf, {}};
  Status created = admin->create_topic(spec, std::chrono::seconds(30));
  if (!created.ok() && created.code() != Status::Code::kConflict) {
    return created.with_context("creating dead letter queue topic");
  }
  auto conf = kafka::make_conf(setup_.producer_settings);
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_opaque(conf->get(), this);
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &SinkTaskRunner::dlq_delivery_cb);
  auto producer = kafka::make_client(RD_KAFKA_PRODUCER, conf.value());
  if (!producer.ok()) return producer.status();
  dlq_producer_ = std::move(producer).value();
  errors_->set_dead_letter_reporter([this](const ErrorContext& ctx) { dead_letter(ctx); });
  return Status::OK();
}

void SinkTaskRunner::dlq_delivery_cb(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
  // Served by rd_kafka_poll/flush on the task thread, the metrics block's one writer.
  if (msg->err) static_cast<SinkTaskRunner*>(opaque)->metrics_->errors.dlq_produce_failures.add();
}

void SinkTaskRunner::dead_letter(const ErrorContext& ctx) {
  const rd_kafka_message_t* m = current_;
  if (!m || !dlq_producer_) return;  // errors without a consumed record never go to the DLQ
  rd_kafka_headers_t* hdrs = nullptr;
  rd_kafka_headers_t* orig = nullptr;
  if (rd_kafka_message_headers(m, &orig) == RD_KAFKA_RESP_ERR_NO_ERROR && orig) {
    hdrs = rd_kafka_headers_copy(orig);
  } else {
    hdrs = rd_kafka_headers_new(dlq_context_headers_ ? 10 : 0);
  }
  if (dlq_context_headers_) {
    auto add = [&](const char* k, const std::string& v) {
      rd_kafka_header_add(hdrs, k, -1, v.data(), static_cast<ssize_t>(v.size()));
    };
    add("__connect.errors.topic", rd_kafka_topic_name(m->rkt));
    add("__connect.errors.partition", std::to_string(m->partition));
    add("__connect.errors.offset", std::to_string(m->offset));
    add("__connect.errors.connector.name", id_.connector);
    add("__connect.errors.task.id", std::to_string(id_.task));
    add("__connect.errors.stage", stage_name(ctx.stage));
    add("__connect.errors.class.name", std::string(ctx.class_name));
    add("__connect.errors.exception.class.name", "org.apache.kafka.connect.errors.DataException");
    add("__connect.errors.exception.message", ctx.error->message());
    add("__connect.errors.exception.stacktrace",
        "org.apache.kafka.connect.errors.DataException: " + ctx.error->message());
  }
  rd_kafka_timestamp_type_t tstype;
  int64_t ts = rd_kafka_message_timestamp(m, &tstype);
  metrics_->errors.dlq_produce_requests.add();
  rd_kafka_resp_err_t err = rd_kafka_producev(
      dlq_producer_.get(), RD_KAFKA_V_TOPIC(dlq_topic_.c_str()), RD_KAFKA_V_KEY(m->key, m->key_len),
      RD_KAFKA_V_VALUE(m->payload, m->len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
      RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_TIMESTAMP(ts > 0 ? ts : 0), RD_KAFKA_V_END);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_headers_destroy(hdrs);
    metrics_->errors.dlq_produce_failures.add();
    logger_.warn("dlq.produce.failed", {{"topic", dlq_topic_}, {"error", rd_kafka_err2str(err)}});
  }
  rd_kafka_poll(dlq_producer_.get(), 0);
}

void SinkTaskRunner::on_rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts) {
  std::vector<TopicPartitionOffset> tps;
  for (int i = 0; i < parts->cnt; ++i) {
    tps.push_back({parts->elems[i].topic, parts->elems[i].partition, -1});
  }
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    rd_kafka_assign(consumer_.get(), parts);
    for (const auto& tp : tps) assignment_.push_back({tp.topic, tp.partition});
    metrics_->partition_count.set(static_cast<int64_t>(assignment_.size()));
    if (paused()) {
      rd_kafka_pause_partitions(consumer_.get(), parts);
    }
    Status s = setup_.task->open(tps);
    if (!s.ok()) rebalance_error_ = s.with_context("open");
    logger_.info("task.partitions.assigned", {{"count", std::to_string(tps.size())}});
  } else {
    // Commit what was delivered before giving the partitions up (Connect's onPartitionsRevoked).
    Status c = commit_offsets(false);
    if (!c.ok()) logger_.warn("task.commit.failed", {{"error", c.message()}});
    Status s = setup_.task->close(tps);
    if (!s.ok()) rebalance_error_ = s.with_context("close");
    for (const auto& tp : tps) {
      Key k{tp.topic, tp.partition};
      assignment_.erase(std::remove(assignment_.begin(), assignment_.end(), k), assignment_.end());
      current_offsets_.erase(k);
      committed_offsets_.erase(k);
    }
    rd_kafka_assign(consumer_.get(), nullptr);
    if (!assignment_.empty()) {
      // Eager protocol: everything is revoked; nothing should remain.
      assignment_.clear();
    }
    metrics_->partition_count.set(static_cast<int64_t>(assignment_.size()));
  }
}

void SinkTaskRunner::pause(const std::vector<TopicPartitionOffset>& partitions) {
  kafka::RdPartitionListPtr list(
      rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (const auto& p : partitions) {
    rd_kafka_topic_partition_list_add(list.get(), p.topic.c_str(), p.partition);
    context_paused_.push_back({p.topic, p.partition});
  }
  rd_kafka_pause_partitions(consumer_.get(), list.get());
}

void SinkTaskRunner::resume(const std::vector<TopicPartitionOffset>& partitions) {
  kafka::RdPartitionListPtr list(
      rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (const auto& p : partitions) {
    rd_kafka_topic_partition_list_add(list.get(), p.topic.c_str(), p.partition);
    Key k{p.topic, p.partition};
    context_paused_.erase(std::remove(context_paused_.begin(), context_paused_.end(), k),
                          context_paused_.end());
  }
  if (!paused()) rd_kafka_resume_partitions(consumer_.get(), list.get());
}

void SinkTaskRunner::reset_offsets(const std::vector<TopicPartitionOffset>& offsets) {
  kafka::RdPartitionListPtr list(
      rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const auto& p : offsets) {
    rd_kafka_topic_partition_list_add(list.get(), p.topic.c_str(), p.partition)->offset = p.offset;
    current_offsets_[{p.topic, p.partition}] = p.offset;
  }
  rd_kafka_error_t* e = rd_kafka_seek_partitions(consumer_.get(), list.get(), 5000);
  if (e) {
    logger_.warn("task.seek.failed", {{"error", rd_kafka_error_string(e)}});
    rd_kafka_error_destroy(e);
  }
}

Status SinkTaskRunner::report_errant(const data::SinkRecord& record, const Status& error) {
  // Point current_ at the raw message the record came from, for the DLQ.
  rd_kafka_message_t* saved = current_;
  current_ = nullptr;
  for (rd_kafka_message_t* m : raw_batch_) {
    if (m->partition == record.original_kafka_partition.value_or(-1) &&
        m->offset == record.original_kafka_offset &&
        record.original_topic == rd_kafka_topic_name(m->rkt)) {
      current_ = m;
      break;
    }
  }
  Outcome o =
      errors_->report(Stage::kTaskPut, "SinkTask", error, [m = current_] { return describe(m); });
  current_ = saved;
  if (o == Outcome::kFail) return errors_->failure();
  return Status::OK();
}

bool SinkTaskRunner::convert(rd_kafka_message_t* m, data::SinkRecord& rec) {
  current_ = m;
  std::string topic = rd_kafka_topic_name(m->rkt);
  auto describe_fn = [m] { return describe(m); };
  rec = data::SinkRecord{};
  rec.topic = topic;
  rec.kafka_partition = m->partition;
  rec.kafka_offset = m->offset;
  rec.original_topic = topic;
  rec.original_kafka_partition = m->partition;
  rec.original_kafka_offset = m->offset;
  rd_kafka_timestamp_type_t tstype;
  int64_t ts = rd_kafka_message_timestamp(m, &tstype);
  if (tstype != RD_KAFKA_TIMESTAMP_NOT_AVAILABLE) {
    rec.timestamp = ts;
    rec.timestamp_type = tstype == RD_KAFKA_TIMESTAMP_CREATE_TIME
                             ? data::TimestampType::kCreateTime
                             : data::TimestampType::kLogAppendTime;
  }
  rd_kafka_headers_t* hdrs = nullptr;
  if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs) {
    const char* name;
    const void* val;
    size_t size;
    for (size_t i = 0;
         rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
      std::optional<std::string_view> bytes;
      if (val) bytes = std::string_view(static_cast<const char*>(val), size);
      Result<data::SchemaAndValue> hv = Status::internal("unset");
      Outcome o = errors_->execute(
          Stage::kHeaderConverter, setup_.converters.header_class,
          [&] {
            hv = setup_.converters.header->to_connect_header(topic, name, bytes);
            return hv.status();
          },
          describe_fn);
      if (o != Outcome::kOk) return false;
      rec.headers.add(name, hv->schema, std::move(hv->value));
    }
  }
  std::optional<std::string_view> key;
  if (m->key) key = std::string_view(static_cast<const char*>(m->key), m->key_len);
  Result<data::SchemaAndValue> k = Status::internal("unset");
  if (errors_->execute(
          Stage::kKeyConverter, setup_.converters.key_class,
          [&] {
            k = setup_.converters.key->to_connect(topic, &rec.headers, key);
            return k.status();
          },
          describe_fn) != Outcome::kOk) {
    return false;
  }
  rec.key_schema = k->schema;
  rec.key = std::move(k->value);
  std::optional<std::string_view> value;
  if (m->payload) value = std::string_view(static_cast<const char*>(m->payload), m->len);
  Result<data::SchemaAndValue> v = Status::internal("unset");
  if (errors_->execute(
          Stage::kValueConverter, setup_.converters.value_class,
          [&] {
            v = setup_.converters.value->to_connect(topic, &rec.headers, value);
            return v.status();
          },
          describe_fn) != Outcome::kOk) {
    return false;
  }
  rec.value_schema = v->schema;
  rec.value = std::move(v->value);
  if (!setup_.transforms.empty()) {
    auto r = setup_.transforms.apply(rec);
    if (!r.ok()) {
      errors_->report(Stage::kTransformation, setup_.transforms.failed_class(), r.status(),
                      describe_fn);
      return false;
    }
    if (*r == transforms::Outcome::kDrop) return false;
  }
  return true;
}

Status SinkTaskRunner::deliver(std::stop_token stop, bool* delivered) {
  *delivered = true;
  if (batch_.empty()) return Status::OK();
  auto backoff = std::chrono::milliseconds(300);
  while (true) {
    auto started = Clock::now();
    Status s = setup_.task->put(batch_);
    if (s.ok()) {
      auto now = Clock::now();
      metrics_->put_batch_time_ms.record(
          std::chrono::duration<double, std::milli>(now - started).count(), now);
      metrics_->sink_record_send.add(batch_.size());
      return s;
    }
    if (!s.retriable()) return s.with_context("put");
    // Connect's RetriableException from put(): pause, redeliver the same batch after a backoff,
    // without counting it against the tolerance.
    logger_.warn("sink.put.retry",
                 {{"backoff_ms", std::to_string(backoff.count())}, {"error", s.message()}});
    if (!sleep_for(stop, backoff)) {
      *delivered = false;  // stopping: the batch is redelivered to whoever runs the task next
      return Status::OK();
    }
    rd_kafka_consumer_poll(consumer_.get(), 0);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(10000));
  }
}

Status SinkTaskRunner::commit_offsets(bool final_commit) {
  if (current_offsets_.empty()) return Status::OK();
  // Connect's WorkerSinkTask counts every commit attempt, one without changes as a success.
  auto started = Clock::now();
  Status s = commit_changed_offsets(final_commit);
  auto now = Clock::now();
  if (s.ok()) {
    metrics_->offset_commit_time_ms.record(
        std::chrono::duration<double, std::milli>(now - started).count(), now);
    metrics_->offset_commit_completion.add();
  }
  metrics_->offset_commit_outcome.record(s.ok() ? 1.0 : 0.0, now);
  return s;
}

Status SinkTaskRunner::commit_changed_offsets(bool final_commit) {
  std::vector<TopicPartitionOffset> current;
  for (const auto& [k, off] : current_offsets_) current.push_back({k.topic, k.partition, off});
  auto to_commit = setup_.task->pre_commit(current);
  if (!to_commit.ok()) {
    return to_commit.status().with_context("preCommit");
  }
  kafka::RdPartitionListPtr list(
      rd_kafka_topic_partition_list_new(static_cast<int>(to_commit->size())));
  int n = 0;
  for (const auto& tpo : *to_commit) {
    Key k{tpo.topic, tpo.partition};
    auto it = committed_offsets_.find(k);
    if (it != committed_offsets_.end() && it->second == tpo.offset) continue;
    rd_kafka_topic_partition_list_add(list.get(), tpo.topic.c_str(), tpo.partition)->offset =
        tpo.offset;
    ++n;
  }
  if (n == 0) return Status::OK();
  rd_kafka_resp_err_t err = rd_kafka_commit(consumer_.get(), list.get(), 0);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return kafka::from_error(err, "committing offsets");
  for (int i = 0; i < list->cnt; ++i) {
    committed_offsets_[{list->elems[i].topic, list->elems[i].partition}] = list->elems[i].offset;
  }
  logger_.debug("sink.offsets.committed",
                {{"partitions", std::to_string(n)}, {"final", final_commit ? "true" : "false"}});
  return Status::OK();
}

void SinkTaskRunner::apply_target_state() {
  bool want = paused();
  if (want == consumer_paused_) return;
  kafka::RdPartitionListPtr list(
      rd_kafka_topic_partition_list_new(static_cast<int>(assignment_.size())));
  for (const auto& k : assignment_) {
    rd_kafka_topic_partition_list_add(list.get(), k.topic.c_str(), k.partition);
  }
  if (want) {
    rd_kafka_pause_partitions(consumer_.get(), list.get());
    report_paused();
  } else {
    rd_kafka_resume_partitions(consumer_.get(), list.get());
    if (!context_paused_.empty()) {
      kafka::RdPartitionListPtr keep(
          rd_kafka_topic_partition_list_new(static_cast<int>(context_paused_.size())));
      for (const auto& k : context_paused_) {
        rd_kafka_topic_partition_list_add(keep.get(), k.topic.c_str(), k.partition);
      }
      rd_kafka_pause_partitions(consumer_.get(), keep.get());
    }
    report_running();
  }
  consumer_paused_ = want;
}

void SinkTaskRunner::wake_fetcher() {
  if (consumer_paused_) return;
  // A ListOffsets request is queued on the partition leader's broker thread and so wakes it;
  // its answer is not needed. Only partitions with records left to fetch (cached high
  // watermark beyond the consumer's position), and a few at most: this path is rare and
  // each request blocks for one round trip.
  constexpr int kMaxWakes = 16;
  constexpr int kWakeTimeoutMs = 200;
  int woken = 0;
  for (const auto& k : assignment_) {
    if (woken == kMaxWakes) break;
    if (std::find(context_paused_.begin(), context_paused_.end(), k) != context_paused_.end()) {
      continue;
    }
    int64_t low = 0;
    int64_t high = 0;
    if (rd_kafka_get_watermark_offsets(consumer_.get(), k.topic.c_str(), k.partition, &low,
                                       &high) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      continue;
    }
    kafka::RdPartitionListPtr at(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(at.get(), k.topic.c_str(), k.partition);
    rd_kafka_position(consumer_.get(), at.get());
    const int64_t position = at->elems[0].offset;
    if (position < 0 || position >= high) continue;
    rd_kafka_query_watermark_offsets(consumer_.get(), k.topic.c_str(), k.partition, &low, &high,
                                     kWakeTimeoutMs);
    ++woken;
  }
  if (woken > 0) logger_.debug("sink.fetcher.woken", {{"partitions", std::to_string(woken)}});
}

void SinkTaskRunner::execute(std::stop_token stop) {
  errors_ = std::make_unique<ErrorHandler>(
      ErrorPolicy::from_connector_config(setup_.connector_config), logger_,
      id_.connector + "-" + std::to_string(id_.task), stop, &metrics_->errors);
  Status s = setup_.task->start(setup_.task_config, *this);
  if (!s.ok()) return fail(s.with_context("Task failed to start"));
  auto stop_task = [this] { setup_.task->stop(); };
  s = setup_dead_letter_queue();
  if (s.ok()) s = setup_consumer();
  if (!s.ok()) {
    stop_task();
    return fail(s);
  }
  consumer_paused_ = false;
  if (paused()) {
    consumer_paused_ = true;
    report_paused();
  } else {
    report_running();
  }

  size_t max_records = kDefaultMaxPollRecords;
  if (auto it = setup_.consumer_settings.find("max.poll.records");
      it != setup_.consumer_settings.end()) {
    max_records = std::max<size_t>(1, std::stoul(it->second));
  }
  auto next_commit = Clock::now() + std::chrono::milliseconds(setup_.offset_flush_interval_ms);
  bool after_backlog = false;  // the last batch was full: a backlog was being drained
  bool stall_check = false;    // ... and the one after it was not: the queue just ran dry
  Status failure;
  while (!stop.stop_requested()) {
    apply_target_state();
    raw_batch_.clear();
    // librdkafka 2.0 stops fetching a partition once its local queue holds queued.min.messages
    // (or queued.max.messages.kbytes) and looks again only when its broker thread next wakes,
    // up to a second later: a sink that drains such a backlog faster than that sat idle for
    // the rest of each second (1M records of 100 B: ~230k rec/s). So when the queue ran dry
    // right after a backlog and stays empty for kStallCheckMs, wake the broker threads.
    rd_kafka_message_t* first = nullptr;
    if (stall_check) {
      stall_check = false;
      first = rd_kafka_consumer_poll(consumer_.get(), kStallCheckMs);
      if (!first && rebalance_error_.ok()) wake_fetcher();
    }
    if (!first) first = rd_kafka_consumer_poll(consumer_.get(), kPollTimeoutMs);
    if (!rebalance_error_.ok()) {
      failure = rebalance_error_;
      if (first) rd_kafka_message_destroy(first);
      break;
    }
    if (first) {
      raw_batch_.push_back(first);
      while (raw_batch_.size() < max_records) {
        rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_.get(), 0);
        if (!m) break;
        raw_batch_.push_back(m);
      }
    }
    const bool full = raw_batch_.size() >= max_records;
    stall_check = after_backlog && !full;
    after_backlog = full;
    batch_.clear();
    batch_.reserve(raw_batch_.size());
    bool fatal = false;
    uint64_t consumed = 0;
    batch_offsets_.clear();
    for (rd_kafka_message_t* m : raw_batch_) {
      if (m->err) {
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) continue;
        Status e = kafka::from_error(m->err, "consuming");
        logger_.warn("sink.consume.error", {{"error", e.message()}});
        if (!e.retriable() && m->err != RD_KAFKA_RESP_ERR__TRANSPORT &&
            m->err != RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
          failure = e;
          fatal = true;
          break;
        }
        continue;
      }
      Key k{rd_kafka_topic_name(m->rkt), m->partition};
      batch_offsets_[k] = m->offset + 1;
      ++consumed;
      if (std::find(seen_topics_.begin(), seen_topics_.end(), k.topic) == seen_topics_.end()) {
        seen_topics_.push_back(k.topic);
        status_store_.put_topic(id_.connector, k.topic);
      }
      batch_.emplace_back();
      if (!convert(m, batch_.back())) {
        batch_.pop_back();
        if (!errors_->failure().ok()) {
          failure = errors_->failure();
          fatal = true;
          break;
        }
      }
    }
    current_ = nullptr;
    if (consumed > 0) {
      metrics_->sink_record_read.add(consumed);
      metrics_->batch_size.record(static_cast<double>(consumed), Clock::now());
    }
    if (!fatal) {
      bool delivered = false;
      Status d = deliver(stop, &delivered);
      if (!d.ok()) {
        failure = d;
        fatal = true;
      } else if (!errors_->failure().ok()) {
        failure = errors_->failure();  // an errant record exceeded the tolerance
        fatal = true;
      } else if (delivered) {
        // Only partitions still ours: a revocation during this poll already committed theirs.
        for (auto& [k, off] : batch_offsets_) {
          if (std::find(assignment_.begin(), assignment_.end(), k) != assignment_.end()) {
            current_offsets_[k] = off;
          }
        }
      }
    }
    for (rd_kafka_message_t* m : raw_batch_) rd_kafka_message_destroy(m);
    raw_batch_.clear();
    if (fatal) break;
    if (commit_requested_ || Clock::now() >= next_commit) {
      commit_requested_ = false;
      Status c = commit_offsets(false);
      if (!c.ok()) logger_.warn("sink.commit.failed", {{"error", c.message()}});
      next_commit = Clock::now() + std::chrono::milliseconds(setup_.offset_flush_interval_ms);
    }
  }
  if (failure.ok()) {
    Status c = commit_offsets(true);
    if (!c.ok()) logger_.warn("sink.commit.failed", {{"error", c.message()}});
  }
  rd_kafka_consumer_close(consumer_.get());
  if (dlq_producer_) rd_kafka_flush(dlq_producer_.get(), 5000);
  stop_task();
  if (!failure.ok()) fail(failure);
}

}  // namespace kanal::runtime
