#include "runtime/source_task_runner.h"

#include <chrono>
#include <functional>
#include <regex>

#include "metrics/client_stats.h"
#include "runtime/connector_config.h"
#include "storage/offset_codec.h"

namespace kanal::runtime {
namespace {

using Clock = std::chrono::steady_clock;

bool matches_any(const std::vector<std::string>& regexes, const std::string& topic) {
  for (const auto& r : regexes) {
    try {
      if (std::regex_match(topic, std::regex(r))) return true;
    } catch (const std::regex_error&) {
    }
  }
  return false;
}

std::string describe(const data::SourceRecord& r) {
  return "source record with topic " + r.topic + ", source partition " +
         storage::offset_map_to_json(r.source_partition) + ", source offset " +
         storage::offset_map_to_json(r.source_offset);
}

}  // namespace

TopicCreation TopicCreation::from_config(const config::ConfigMap& c, bool worker_enabled) {
  TopicCreation tc;
  bool any = false;
  for (const auto& [k, v] : c) any = any || k.starts_with("topic.creation.");
  tc.enabled = worker_enabled && any;
  if (!tc.enabled) return tc;
  auto group = [&](const std::string& name) {
    Group g;
    g.name = name;
    config::ConfigMap sub = sub_config(c, "topic.creation." + name);
    config::ConfigMap def = sub_config(c, "topic.creation.default");
    auto num = [&](const char* key) -> int32_t {
      auto it = sub.find(key);
      if (it != sub.end()) return std::stoi(it->second);
      auto d = def.find(key);
      return d != def.end() ? std::stoi(d->second) : -1;
    };
    g.partitions = num("partitions");
    g.replication_factor = num("replication.factor");
    if (name != "default") {
      g.include = config::split_list(sub.count("include") ? sub["include"] : "");
      g.exclude = config::split_list(sub.count("exclude") ? sub["exclude"] : "");
    }
    for (const auto& [k, v] : sub) {
      if (k != "include" && k != "exclude" && k != "partitions" && k != "replication.factor") {
        g.configs[k] = v;
      }
    }
    return g;
  };
  auto groups_it = c.find("topic.creation.groups");
  if (groups_it != c.end()) {
    for (const std::string& name : config::split_list(groups_it->second)) {
      if (name != "default") tc.groups.push_back(group(name));
    }
  }
  tc.groups.push_back(group("default"));
  return tc;
}

const TopicCreation::Group* TopicCreation::group_for(const std::string& topic) const {
  for (const Group& g : groups) {
    if (g.name == "default") return &g;
    if (matches_any(g.include, topic) && !matches_any(g.exclude, topic)) return &g;
  }
  return nullptr;
}

SourceTaskRunner::SourceTaskRunner(SourceTaskSetup setup, StatusStore& status,
                                   std::string worker_id)
    : TaskRunner(setup.id, status, std::move(worker_id), setup.task->version()),
      setup_(std::move(setup)),
      tracker_(setup_.id.connector),
      status_store_(status) {
  topic_creation_ =
      TopicCreation::from_config(setup_.connector_config, setup_.topic_creation_enabled);
}

SourceTaskRunner::~SourceTaskRunner() {
  request_stop();
  await_stop(Clock::time_point::max());
}

void SourceTaskRunner::on_stop_requested() { setup_.task->stop(); }

std::optional<data::OrderedMap> SourceTaskRunner::offset(const data::OrderedMap& partition) {
  auto key = storage::encode_offset_key(id_.connector, partition);
  if (!key.ok()) return std::nullopt;
  std::string k = *key;
  auto got = setup_.offsets->get(std::span<const std::string>(&k, 1));
  if (!got.ok()) {
    logger_.warn("offsets.read.failed", {{"error", got.status().message()}});
    return std::nullopt;
  }
  auto it = got->find(k);
  if (it == got->end() || !it->second) return std::nullopt;
  auto decoded = storage::decode_offset_value(*it->second);
  if (!decoded.ok() || !*decoded) return std::nullopt;
  return **decoded;
}

void SourceTaskRunner::delivery_cb(rd_kafka_t*, const rd_kafka_message_t* msg, void*) {
  auto* f = static_cast<InFlight*>(msg->_private);
  if (f) f->runner->on_delivery(msg);
}

void SourceTaskRunner::on_delivery(const rd_kafka_message_t* msg) {
  auto* f = static_cast<InFlight*>(msg->_private);
  if (msg->err) {
    Status e = kafka::from_error(msg->err, "producing to topic " + *f->topic);
    // KIP-779: with errors.tolerance=all a failed send is logged and skipped, its offset still
    // committed; otherwise the task fails.
    std::function<std::string()> describe_fn;
    if (f->record) describe_fn = [f] { return describe(*f->record); };
    if (errors_->report(Stage::kKafkaProduce, "KafkaProducer", e, describe_fn) == Outcome::kFail) {
      if (producer_failure_.ok()) producer_failure_ = e;
      tracker_.fail(f->handle);
      f->done = true;
      return;
    }
  } else if (f->record) {
    RecordMetadata md;
    md.topic = rd_kafka_topic_name(msg->rkt);
    md.partition = msg->partition;
    md.offset = msg->offset;
    rd_kafka_timestamp_type_t tstype;
    md.timestamp = rd_kafka_message_timestamp(msg, &tstype);
    f->metadata = std::move(md);
  }
  if (!msg->err) metrics_->source_record_write.add();
  tracker_.ack(f->handle);
  f->done = true;
}

void SourceTaskRunner::retire_done() {
  while (!in_flight_.empty() && in_flight_.front().done) {
    InFlight& f = in_flight_.front();
    if (f.record) {
      Status s = setup_.task->commit_record(*f.record, f.metadata);
      if (!s.ok()) logger_.warn("task.commit_record.failed", {{"error", s.message()}});
    }
    in_flight_.pop_front();
  }
}

int SourceTaskRunner::stats_cb(rd_kafka_t*, char* json, size_t json_len, void* opaque) {
  // Served by rd_kafka_poll/flush on the task thread, the metrics block's one writer.
  auto* self = static_cast<SourceTaskRunner*>(opaque);
  (void)metrics::read_client_stats(std::string_view(json, json_len), self->metrics_->client);
  return 0;  // librdkafka frees the JSON
}

Status SourceTaskRunner::setup_producer() {
  config::ConfigMap settings = setup_.producer_settings;
  settings.emplace("statistics.interval.ms", metrics::kDefaultStatisticsIntervalMs);
  auto conf = kafka::make_conf(settings);
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_opaque(conf->get(), this);
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &SourceTaskRunner::delivery_cb);
  rd_kafka_conf_set_stats_cb(conf->get(), &SourceTaskRunner::stats_cb);
  auto rk = kafka::make_client(RD_KAFKA_PRODUCER, conf.value());
  if (!rk.ok()) return rk.status();
  producer_ = std::move(rk).value();
  return Status::OK();
}

const SourceTaskRunner::KnownTopic& SourceTaskRunner::ensure_topic(const std::string& topic) {
  if (last_topic_ && last_topic_->first == topic) return *last_topic_;
  auto it = known_topics_.find(topic);
  if (it == known_topics_.end()) {
    it = known_topics_.emplace(topic, TopicHandle{}).first;
    register_topic(topic);
    it->second.handle.reset(rd_kafka_topic_new(producer_.get(), topic.c_str(), nullptr));
    if (!it->second.handle) it->second.refused = rd_kafka_last_error();
  }
  last_topic_ = &*it;
  return *last_topic_;
}

void SourceTaskRunner::register_topic(const std::string& topic) {
  status_store_.put_topic(id_.connector, topic);
  if (!topic_creation_.enabled) return;
  const TopicCreation::Group* g = topic_creation_.group_for(topic);
  if (!g) return;
  auto admin = kafka::Admin::create(setup_.admin_settings);
  if (!admin.ok()) {
    logger_.warn("topic.check.failed", {{"error", admin.status().message()}});
    return;
  }
  kafka::TopicSpec spec{topic, g->partitions, g->replication_factor, g->configs};
  Status s = admin->create_topic(spec, std::chrono::seconds(30));
  if (s.ok()) {
    logger_.info("topic.created", {{"topic", topic}, {"group", g->name}});
  } else if (s.code() != Status::Code::kConflict) {
    logger_.warn("topic.create.failed", {{"topic", topic}, {"error", s.message()}});
  }
}

bool SourceTaskRunner::send(data::SourceRecord& original, std::stop_token stop) {
  // The tracker keeps a copy of the offset until the ack; OrderedMap copies share their entries,
  // so this costs a reference count, and the record keeps its own offset for commit_record.
  auto handle = tracker_.submit(original.source_partition, original.source_offset);
  if (!handle.ok()) {
    // A partition or offset holding a nested value: Connect fails the task.
    (void)errors_->report(Stage::kTaskPoll, "SourceTask", handle.status());
    return false;
  }
  in_flight_.push_back(InFlight{nullptr, nullptr, *handle, false, std::nullopt, this});
  InFlight& f = in_flight_.back();
  // Whichever way this returns, the entry keeps the record if anything reads it later.
  struct KeepRecord {
    SourceTaskRunner* runner;
    InFlight& f;
    data::SourceRecord& original;
    ~KeepRecord() {
      if (runner->keep_records_)
        f.record = std::make_unique<data::SourceRecord>(std::move(original));
    }
  } keep{this, f, original};
  auto describe_fn = [&original] { return describe(original); };
  auto drop = [&] {
    tracker_.ack(f.handle);
    f.done = true;
    return errors_->failure().ok();
  };
  // Connect keeps the record as polled for commitRecord and the offsets, so transforms work on
  // a copy; without transforms the converters read the polled record itself (no deep copy per
  // record on the common path).
  std::optional<data::SourceRecord> transformed;
  if (!setup_.transforms.empty()) {
    transformed.emplace(original);
    auto r = setup_.transforms.apply(*transformed);
    if (!r.ok()) {
      errors_->report(Stage::kTransformation, setup_.transforms.failed_class(), r.status(),
                      describe_fn);
      return drop();
    }
    if (*r == transforms::Outcome::kDrop) return drop();
  }
  data::SourceRecord& rec = transformed ? *transformed : original;
  if (errors_->execute(
          Stage::kKeyConverter, setup_.converters.key_class,
          [&] {
            return setup_.converters.key->from_connect(rec.topic, &rec.headers, rec.key_schema,
                                                       rec.key, key_bytes_);
          },
          describe_fn) != Outcome::kOk) {
    return drop();
  }
  if (errors_->execute(
          Stage::kValueConverter, setup_.converters.value_class,
          [&] {
            return setup_.converters.value->from_connect(rec.topic, &rec.headers, rec.value_schema,
                                                         rec.value, value_bytes_);
          },
          describe_fn) != Outcome::kOk) {
    return drop();
  }
  rd_kafka_headers_t* hdrs = nullptr;
  if (!rec.headers.empty()) {
    hdrs = rd_kafka_headers_new(rec.headers.size());
    for (const data::Header& h : rec.headers) {
      if (errors_->execute(
              Stage::kHeaderConverter, setup_.converters.header_class,
              [&] {
                return setup_.converters.header->from_connect_header(rec.topic, h.key, h.schema,
                                                                     h.value, header_bytes_);
              },
              describe_fn) != Outcome::kOk) {
        rd_kafka_headers_destroy(hdrs);
        return drop();
      }
      rd_kafka_header_add(hdrs, h.key.data(), static_cast<ssize_t>(h.key.size()),
                          header_bytes_.is_null ? nullptr : header_bytes_.bytes.data(),
                          static_cast<ssize_t>(header_bytes_.bytes.size()));
    }
  }
  const auto& [topic_name, topic] = ensure_topic(rec.topic);
  f.topic = &topic_name;
  int32_t partition = rec.kafka_partition.value_or(RD_KAFKA_PARTITION_UA);
  int64_t ts = rec.timestamp.value_or(0);
  while (true) {
    rd_kafka_resp_err_t err = topic.refused;
    if (topic.handle) {
      err = rd_kafka_producev(
          producer_.get(), RD_KAFKA_V_RKT(topic.handle.get()), RD_KAFKA_V_PARTITION(partition),
          RD_KAFKA_V_KEY(key_bytes_.is_null ? nullptr : key_bytes_.bytes.data(),
                         key_bytes_.is_null ? 0 : key_bytes_.bytes.size()),
          RD_KAFKA_V_VALUE(value_bytes_.is_null ? nullptr : value_bytes_.bytes.data(),
                           value_bytes_.is_null ? 0 : value_bytes_.bytes.size()),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(hdrs),
          RD_KAFKA_V_TIMESTAMP(ts), RD_KAFKA_V_OPAQUE(&f), RD_KAFKA_V_END);
    }
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL && !stop.stop_requested()) {
      // Backpressure: serve delivery reports until the local queue has room.
      rd_kafka_poll(producer_.get(), 100);
      continue;
    }
    if (hdrs) rd_kafka_headers_destroy(hdrs);
    if (stop.stop_requested()) {
      tracker_.fail(f.handle);  // not sent; its offset must not be committed
      f.done = true;
      return true;
    }
    Status e = kafka::from_error(err, "producing to topic " + rec.topic);
    if (errors_->report(Stage::kKafkaProduce, "KafkaProducer", e, describe_fn) == Outcome::kSkip) {
      return drop();
    }
    tracker_.fail(f.handle);
    f.done = true;
    return false;
  }
}

Status SourceTaskRunner::commit_offsets() {
  OffsetTracker::Committable committable = tracker_.committable();
  if (committable.empty()) return setup_.task->commit();
  Status s = setup_.offsets->set(committable.entries);
  if (!s.ok()) return s.with_context("flushing source offsets");
  logger_.debug("source.offsets.committed",
                {{"partitions", std::to_string(committable.entries.size())},
                 {"records", std::to_string(committable.committable_records)},
                 {"outstanding", std::to_string(committable.uncommittable_records)}});
  tracker_.mark_committed(committable);
  return setup_.task->commit();
}

void SourceTaskRunner::execute(std::stop_token stop) {
  errors_ = std::make_unique<ErrorHandler>(
      ErrorPolicy::from_connector_config(setup_.connector_config), logger_,
      id_.connector + "-" + std::to_string(id_.task), stop, &metrics_->errors);
  // Connect's offset-commit-* metrics count every flush attempt, with or without new offsets.
  auto flush = [this] {
    auto started = Clock::now();
    Status c = commit_offsets();
    auto now = Clock::now();
    if (c.ok()) {
      metrics_->offset_commit_time_ms.record(
          std::chrono::duration<double, std::milli>(now - started).count(), now);
    }
    metrics_->offset_commit_outcome.record(c.ok() ? 1.0 : 0.0, now);
    return c;
  };
  Status s = setup_producer();
  if (!s.ok()) return fail(s);
  keep_records_ = setup_.task->wants_commit_record() || errors_->policy().log_include_messages;
  s = setup_.task->start(setup_.task_config, *this);
  if (!s.ok()) return fail(s.with_context("Task failed to start"));
  if (paused()) {
    report_paused();
  } else {
    report_running();
  }
  auto flush_every = std::chrono::milliseconds(setup_.offset_flush_interval_ms);
  auto next_flush = Clock::now() + flush_every;
  Status failure;
  while (!stop.stop_requested()) {
    if (paused() && !wait_while_paused(stop)) break;
    batch_.clear();
    auto poll_started = Clock::now();
    Status polled = setup_.task->poll(batch_);
    if (polled.ok()) {
      // As Connect's recordPollReturned: only polls that returned records are timed, so idle
      // polls waiting for data do not dilute the batch times.
      if (!batch_.empty()) {
        auto polled_at = Clock::now();
        metrics_->poll_batch_time_ms.record(
            std::chrono::duration<double, std::milli>(polled_at - poll_started).count(), polled_at);
        metrics_->source_record_poll.add(batch_.size());
        metrics_->batch_size.record(static_cast<double>(batch_.size()), polled_at);
      }
    } else {
      if (polled.retriable()) {
        // Connect's AbstractWorkerSourceTask: a RetriableException from poll() is logged and
        // poll() is called again; it never fails the task.
        logger_.warn("source.poll.retry", {{"error", polled.message()}});
        batch_.clear();
        if (!sleep_for(stop, std::chrono::milliseconds(100))) break;
      } else {
        failure = polled.with_context("poll");
        break;
      }
    }
    for (data::SourceRecord& r : batch_) {
      if (!send(r, stop)) {
        failure = errors_->failure().ok() ? Status::internal("send failed") : errors_->failure();
        break;
      }
    }
    if (!failure.ok()) break;
    rd_kafka_poll(producer_.get(), 0);
    retire_done();
    metrics_->source_record_active.set(static_cast<int64_t>(in_flight_.size()));
    if (!producer_failure_.ok()) {
      failure = producer_failure_;
      break;
    }
    if (Clock::now() >= next_flush) {
      Status c = flush();
      if (!c.ok()) logger_.warn("source.offsets.flush.failed", {{"error", c.message()}});
      next_flush = Clock::now() + flush_every;
    }
  }
  // Stopping: wait (bounded) for outstanding sends, then commit what they acknowledged.
  rd_kafka_flush(producer_.get(), static_cast<int>(setup_.offset_flush_timeout_ms));
  rd_kafka_poll(producer_.get(), 0);
  retire_done();
  metrics_->source_record_active.set(static_cast<int64_t>(in_flight_.size()));
  if (!producer_failure_.ok() && failure.ok()) failure = producer_failure_;
  Status c = flush();
  if (!c.ok()) logger_.warn("source.offsets.flush.failed", {{"error", c.message()}});
  if (!failure.ok()) fail(failure);
}

}  // namespace kanal::runtime
