// kanal C++ SDK: the classes a plugin derives from, their contexts, and KANAL_EXPORT_PLUGIN,
// which generates the library's entry symbol and the noexcept trampolines between the C ABI
// (<kanal/kanal.h>) and these classes. C++17 or later. Include <kanal/kanal.hpp>.
//
// Every trampoline catches every exception: kanal::Error keeps its code (RetriableError ->
// KANAL_ERR_RETRIABLE, ConfigError -> KANAL_ERR_CONFIG), std::bad_alloc becomes
// KANAL_ERR_NO_MEMORY with a fixed text, anything else KANAL_ERR with its what().
//
// Threads: a connector is called by one thread at a time; a task by its task thread, except
// SourceTask::stop(), which may run on another thread while poll() blocks.
#pragma once

#include <kanal/kanal.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <deque>
#include <kanal/config.hpp>
#include <kanal/data.hpp>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace kanal {

enum class LogLevel : int32_t {
  kTrace = KANAL_LOG_TRACE,
  kDebug = KANAL_LOG_DEBUG,
  kInfo = KANAL_LOG_INFO,
  kWarn = KANAL_LOG_WARN,
  kError = KANAL_LOG_ERROR,
};

// Logs through the worker, which prefixes the connector/task and applies its levels.
class Logger {
 public:
  explicit Logger(kanal_context* ctx = nullptr) : ctx_(ctx) {}
  bool enabled(LogLevel level) const {
    return detail::host().log_enabled(ctx_, static_cast<int32_t>(level)) != 0;
  }
  void log(LogLevel level, std::string_view message) const {
    detail::host().log(ctx_, static_cast<int32_t>(level), message.data(), message.size());
  }
  void trace(std::string_view m) const { log(LogLevel::kTrace, m); }
  void debug(std::string_view m) const { log(LogLevel::kDebug, m); }
  void info(std::string_view m) const { log(LogLevel::kInfo, m); }
  void warn(std::string_view m) const { log(LogLevel::kWarn, m); }
  void error(std::string_view m) const { log(LogLevel::kError, m); }

 private:
  kanal_context* ctx_;
};

namespace detail {
struct Access;

inline std::vector<kanal_topic_partition> to_c(const std::vector<TopicPartition>& tps,
                                               std::vector<const kanal_topic_partition*>& ptrs) {
  std::vector<kanal_topic_partition> out(tps.size());
  ptrs.clear();
  for (size_t i = 0; i < tps.size(); ++i) {
    out[i].struct_size = sizeof(kanal_topic_partition);
    out[i].topic = str(tps[i].topic);
    out[i].partition = tps[i].partition;
    out[i].offset = tps[i].offset;
  }
  for (const kanal_topic_partition& tp : out) ptrs.push_back(&tp);
  return out;
}
}  // namespace detail

// Connect's ConnectorContext. Valid from start() until the connector is destroyed.
class ConnectorContext {
 public:
  Logger logger() const { return Logger(ctx_); }
  // Asks the worker to call task_configs() again (the source of tasks changed).
  void request_task_reconfiguration() { detail::host().request_task_reconfiguration(ctx_); }
  // Fails the connector with `message`, e.g. from a background thread.
  void raise_error(std::string_view message) {
    detail::host().raise_error(ctx_, message.data(), message.size());
  }
  kanal_context* get() const { return ctx_; }

 private:
  friend struct detail::Access;
  kanal_context* ctx_ = nullptr;
};

// Connect's SourceTaskContext with its OffsetStorageReader.
class SourceTaskContext {
 public:
  Logger logger() const { return Logger(ctx_); }
  // The last committed offset of `partition` (a MAP value), or a null Value when none.
  Value offset(const Value& partition) const {
    return Value::adopt(detail::host().source_offset(ctx_, partition.get()));
  }
  kanal_context* get() const { return ctx_; }

 private:
  friend struct detail::Access;
  kanal_context* ctx_ = nullptr;
};

// Connect's SinkTaskContext (task thread only).
class SinkTaskContext {
 public:
  Logger logger() const { return Logger(ctx_); }
  void pause(const std::vector<TopicPartition>& tps) {
    std::vector<const kanal_topic_partition*> ptrs;
    auto keep = detail::to_c(tps, ptrs);
    detail::host().sink_pause(ctx_, ptrs.data(), ptrs.size());
  }
  void resume(const std::vector<TopicPartition>& tps) {
    std::vector<const kanal_topic_partition*> ptrs;
    auto keep = detail::to_c(tps, ptrs);
    detail::host().sink_resume(ctx_, ptrs.data(), ptrs.size());
  }
  void request_commit() { detail::host().sink_request_commit(ctx_); }
  // Retry put() after `timeout` when it throws RetriableError.
  void timeout(std::chrono::milliseconds timeout) {
    detail::host().sink_timeout(ctx_, static_cast<int64_t>(timeout.count()));
  }
  // Reports a record that could not be written (Connect's ErrantRecordReporter): the worker
  // applies errors.tolerance and the dead-letter queue. Throws when tolerance is none.
  void report(const SinkRecord& record, std::string_view message) {
    char err[512] = {0};
    detail::check(detail::host().sink_report_errant(ctx_, record.get(), message.data(),
                                                    message.size(), err, sizeof err),
                  err);
  }
  kanal_context* get() const { return ctx_; }

 private:
  friend struct detail::Access;
  kanal_context* ctx_ = nullptr;
};

// Errors found by Connector::validate, beyond what the ConfigDef checks.
class Validation {
 public:
  explicit Validation(kanal_validation* out) : out_(out) {}
  void add_error(std::string_view key, std::string_view message) {
    detail::host().validation_add_error(out_, key.data(), key.size(), message.data(),
                                        message.size());
  }

 private:
  kanal_validation* out_;
};

// Connect's Connector. Derive from SourceConnector or SinkConnector; a static
// `kanal::ConfigDef config_def()` in the derived class declares its settings.
class Connector {
 public:
  virtual ~Connector() = default;
  virtual void start(const Config& config) = 0;
  // At most `max_tasks` configs, one per task to run.
  virtual std::vector<Config> task_configs(int32_t max_tasks) = 0;
  virtual void stop() = 0;
  // Optional checks beyond the ConfigDef (called on an instance that was not started).
  virtual void validate(const Config& config, Validation& out) {
    (void)config;
    (void)out;
  }

  ConnectorContext& context() { return context_; }
  Logger logger() const { return context_.logger(); }

 private:
  ConnectorContext context_;
  friend struct detail::Access;
};

class SourceConnector : public Connector {};
class SinkConnector : public Connector {};

// Connect's SourceTask.
class SourceTask {
 public:
  virtual ~SourceTask() = default;
  virtual void start(const Config& config) = 0;
  // Appends records to `records` (empty on entry). Returning none is fine; return within about
  // a second so stop() is noticed. Throw RetriableError to have the worker poll again.
  virtual void poll(std::vector<SourceRecord>& records) = 0;
  // Any thread: make a blocked poll() return soon.
  virtual void stop() = 0;
  // Offsets of the records handed over so far were committed.
  virtual void commit() {}
  // One record was written to Kafka (or dropped when partition is -1).
  virtual void commit_record(const CommittedRecord& record) { (void)record; }

  SourceTaskContext& context() { return context_; }
  Logger logger() const { return context_.logger(); }

  // Within poll() only: hands `run`'s records to the worker now, after the records already in
  // poll's vector (which are handed over first and removed from it), then clears the run's
  // records (its shared fields stay). Throws what the worker refused; nothing of the run is
  // taken then. A worker older than ABI 1.1 gets the same records one SourceRecord at a time.
  void append_run(SourceRun& run);

 private:
  friend struct detail::Access;
  SourceTaskContext context_;
  kanal_source_batch* out_ = nullptr;  // set while poll() runs
  // Reused across polls so the record path does not reallocate.
  std::vector<SourceRecord> batch_;
  std::vector<kanal_source_record> c_records_;
  std::vector<kanal_source_record*> c_record_ptrs_;
  std::vector<kanal_header> c_headers_;
  std::vector<const kanal_header*> c_header_ptrs_;
  std::vector<kanal_str> c_offset_keys_;
};

// Connect's SinkTask.
class SinkTask {
 public:
  virtual ~SinkTask() = default;
  virtual void start(const Config& config) = 0;
  virtual void open(const std::vector<TopicPartition>& partitions) { (void)partitions; }
  virtual void close(const std::vector<TopicPartition>& partitions) { (void)partitions; }
  // Throw RetriableError to get the same batch again.
  virtual void put(const SinkRecords& records) = 0;
  // Make everything put so far durable; `offsets` are the next offsets to consume.
  virtual void flush(const std::vector<TopicPartition>& offsets) { (void)offsets; }
  // May lower offsets (or set -1 to commit nothing for a partition); default flushes.
  virtual void pre_commit(std::vector<TopicPartition>& offsets) { flush(offsets); }
  virtual void stop() = 0;

  SinkTaskContext& context() { return context_; }
  Logger logger() const { return context_.logger(); }

 private:
  friend struct detail::Access;
  SinkTaskContext context_;
};

// Connect's Transformation (a single message transform).
class Transformation {
 public:
  virtual ~Transformation() = default;
  virtual void configure(const Config& config) { (void)config; }
  // Leave `update` empty to pass the record on unchanged; call its setters to change it, or
  // drop() to filter it out.
  virtual void apply(const Record& record, RecordUpdate& update) = 0;
  Logger logger() const { return Logger(ctx_); }

 private:
  friend struct detail::Access;
  kanal_context* ctx_ = nullptr;
  std::vector<kanal_header> c_headers_;
  std::vector<const kanal_header*> c_header_ptrs_;
};

// Connect's Predicate.
class Predicate {
 public:
  virtual ~Predicate() = default;
  virtual void configure(const Config& config) { (void)config; }
  virtual bool test(const Record& record) = 0;
  Logger logger() const { return Logger(ctx_); }

 private:
  friend struct detail::Access;
  kanal_context* ctx_ = nullptr;
};

struct SchemaAndValue {
  Schema schema;
  Value value;
};

// Connect's Converter.
class Converter {
 public:
  virtual ~Converter() = default;
  virtual void configure(const Config& config, bool is_key) {
    (void)config;
    (void)is_key;
  }
  // Serializes into `out` (empty on entry); returns false to produce a null Kafka key/value.
  virtual bool from_connect(std::string_view topic, const Schema& schema, ValueView value,
                            std::string& out) = 0;
  // `data` is nullopt for a null Kafka key/value.
  virtual SchemaAndValue to_connect(std::string_view topic,
                                    std::optional<std::string_view> data) = 0;
  Logger logger() const { return Logger(ctx_); }

 private:
  friend struct detail::Access;
  kanal_context* ctx_ = nullptr;
  std::string buffer_;
};

namespace detail {

inline void write_error(char* err, size_t err_size, const char* message) noexcept {
  if (err == nullptr || err_size == 0) return;
  size_t len = std::strlen(message);
  if (len >= err_size) len = err_size - 1;
  std::memcpy(err, message, len);
  err[len] = '\0';
}

// Runs `f`, turning every exception into a status and a message in `err`.
template <typename F>
kanal_status guard(char* err, size_t err_size, F&& f) noexcept {
  try {
    f();
    return KANAL_OK;
  } catch (const Error& e) {
    write_error(err, err_size, e.what());
    return e.code() == KANAL_OK ? KANAL_ERR : e.code();
  } catch (const std::bad_alloc&) {
    write_error(err, err_size, "out of memory");
    return KANAL_ERR_NO_MEMORY;
  } catch (const std::exception& e) {
    write_error(err, err_size, e.what());
    return KANAL_ERR;
  } catch (...) {
    write_error(err, err_size, "unknown exception thrown by the plugin");
    return KANAL_ERR;
  }
}

inline Config to_config(const kanal_config* cfg) {
  Config out;
  if (cfg == nullptr) return out;
  for (size_t i = 0; i < cfg->count; ++i) {
    out.emplace(std::string(view(cfg->entries[i].key)), std::string(view(cfg->entries[i].value)));
  }
  return out;
}

inline std::vector<TopicPartition> to_cpp(const kanal_topic_partition* const* tps, size_t count) {
  std::vector<TopicPartition> out(count);
  for (size_t i = 0; i < count; ++i) {
    out[i].topic = std::string(view(tps[i]->topic));
    out[i].partition = tps[i]->partition;
    out[i].offset = tps[i]->offset;
  }
  return out;
}

// The trampolines: C entry points that forward to the C++ objects.
struct Access {
  static Connector* connector(kanal_connector* c) { return reinterpret_cast<Connector*>(c); }
  static SourceTask* source(kanal_task* t) { return reinterpret_cast<SourceTask*>(t); }
  static SinkTask* sink(kanal_task* t) { return reinterpret_cast<SinkTask*>(t); }

  template <typename C>
  static kanal_status create_connector(kanal_context* ctx, kanal_connector** out, char* err,
                                       size_t err_size) noexcept {
    *out = nullptr;
    return guard(err, err_size, [&] {
      Connector* c = new C();
      c->context_.ctx_ = ctx;
      *out = reinterpret_cast<kanal_connector*>(c);
    });
  }
  static kanal_status connector_start(kanal_connector* c, const kanal_config* cfg, char* err,
                                      size_t err_size) noexcept {
    return guard(err, err_size, [&] { connector(c)->start(to_config(cfg)); });
  }
  static kanal_status connector_task_configs(kanal_connector* c, int32_t max_tasks,
                                             kanal_task_configs* out, char* err,
                                             size_t err_size) noexcept {
    return guard(err, err_size, [&] {
      std::vector<Config> configs = connector(c)->task_configs(max_tasks);
      std::vector<kanal_kv> kvs;
      for (const Config& cfg : configs) {
        kvs.clear();
        for (const auto& kv : cfg) kvs.push_back(kanal_kv{str(kv.first), str(kv.second)});
        kanal_status s = host().task_configs_add(out, kvs.data(), kvs.size());
        if (s != KANAL_OK) throw Error("the worker refused a task config", s);
      }
    });
  }
  static kanal_status connector_stop(kanal_connector* c, char* err, size_t err_size) noexcept {
    return guard(err, err_size, [&] { connector(c)->stop(); });
  }
  static kanal_status connector_validate(kanal_connector* c, const kanal_config* cfg,
                                         kanal_validation* out, char* err,
                                         size_t err_size) noexcept {
    return guard(err, err_size, [&] {
      Validation v(out);
      connector(c)->validate(to_config(cfg), v);
    });
  }
  static void connector_destroy(kanal_connector* c) noexcept {
    try {
      delete connector(c);
    } catch (...) {
    }
  }

  template <typename T>
  static kanal_status create_source_task(kanal_context* ctx, kanal_task** out, char* err,
                                         size_t err_size) noexcept {
    *out = nullptr;
    return guard(err, err_size, [&] {
      SourceTask* t = new T();
      t->context_.ctx_ = ctx;
      *out = reinterpret_cast<kanal_task*>(t);
    });
  }
  static kanal_status source_start(kanal_task* t, const kanal_config* cfg, char* err,
                                   size_t err_size) noexcept {
    return guard(err, err_size, [&] { source(t)->start(to_config(cfg)); });
  }
  static kanal_status source_poll(kanal_task* t, kanal_source_batch* out, char* err,
                                  size_t err_size) noexcept {
    return guard(err, err_size, [&] {
      SourceTask& task = *source(t);
      task.batch_.clear();
      struct Polling {
        SourceTask& task;
        ~Polling() { task.out_ = nullptr; }
      } polling{task};
      task.out_ = out;
      task.poll(task.batch_);
      if (task.batch_.empty()) return;
      append(task, out);
    });
  }
  static void append_run(SourceTask& task, SourceRun& run) {
    if (task.out_ == nullptr) throw Error("SourceTask::append_run called outside poll()");
    if (!task.batch_.empty()) append(task, task.out_);
    if (run.empty()) return;
    if (!KANAL_HAS_FIELD(kanal_host, &host(), source_batch_append_run) ||
        host().source_batch_append_run == nullptr) {
      append_run_as_records(task, run);
      return;
    }
    kanal_source_run c{};
    c.struct_size = sizeof c;
    c.topic = str(run.topic);
    c.partition = run.partition ? *run.partition : KANAL_NO_PARTITION;
    c.key_schema = run.key_schema.get();
    c.value_schema = run.value_schema.get();
    c.timestamp = run.timestamp ? *run.timestamp : KANAL_NO_TIMESTAMP;
    c.source_partition = run.source_partition.get();
    task.c_offset_keys_.clear();
    for (const std::string& k : run.offset_keys) task.c_offset_keys_.push_back(str(k));
    c.offset_keys = task.c_offset_keys_.data();
    c.offset_key_count = task.c_offset_keys_.size();
    c.count = run.values_.size();
    c.keys = run.keys_.empty() ? nullptr : run.keys_.data();
    c.values = run.values_.data();
    c.offsets = run.offsets_.data();
    char err[512] = {0};
    kanal_status s = host().source_batch_append_run(task.out_, &c, err, sizeof err);
    check(s, err);
    run.clear();
  }
  // An ABI 1.0 worker: the same records, one SourceRecord each.
  static void append_run_as_records(SourceTask& task, SourceRun& run) {
    auto column = [](const Schema& schema, kanal_str s) {
      return schema && schema.type() == Type::kBytes ? Value::bytes(s.ptr, s.len)
                                                     : Value::string(view(s));
    };
    const size_t keys = run.offset_keys.size();
    for (size_t i = 0; i < run.values_.size(); ++i) {
      SourceRecord& r = task.batch_.emplace_back();
      r.topic = run.topic;
      r.partition = run.partition;
      r.key_schema = run.key_schema;
      if (!run.keys_.empty()) r.key = column(run.key_schema, run.keys_[i]);
      r.value_schema = run.value_schema;
      r.value = column(run.value_schema, run.values_[i]);
      r.timestamp = run.timestamp;
      r.source_partition = run.source_partition.clone();
      r.source_offset = Value::map();
      for (size_t k = 0; k < keys; ++k) {
        r.source_offset.put(Value::string(run.offset_keys[k]),
                            Value::int64(run.offsets_[i * keys + k]));
      }
    }
    append(task, task.out_);
    run.clear();
  }
  // Hands the polled batch to the host in one call; the host takes every value.
  static void append(SourceTask& task, kanal_source_batch* out) {
    std::vector<SourceRecord>& batch = task.batch_;
    size_t header_total = 0;
    for (const SourceRecord& r : batch) header_total += r.headers.size();
    task.c_records_.assign(batch.size(), kanal_source_record{});
    task.c_record_ptrs_.clear();
    task.c_headers_.clear();
    task.c_header_ptrs_.clear();
    task.c_headers_.reserve(header_total);  // no reallocation below: pointers stay valid
    task.c_header_ptrs_.reserve(header_total);
    for (size_t i = 0; i < batch.size(); ++i) {
      SourceRecord& r = batch[i];
      kanal_source_record& c = task.c_records_[i];
      c.struct_size = sizeof c;
      c.topic = str(r.topic);
      c.partition = r.partition ? *r.partition : KANAL_NO_PARTITION;
      c.key_schema = r.key_schema.get();
      c.key = r.key.release();
      c.value_schema = r.value_schema.get();
      c.value = r.value.release();
      c.timestamp = r.timestamp ? *r.timestamp : KANAL_NO_TIMESTAMP;
      size_t first = task.c_header_ptrs_.size();
      for (Header& h : r.headers) {
        kanal_header kh{};
        kh.struct_size = sizeof kh;
        kh.key = str(h.key);
        kh.schema = h.schema.get();
        kh.value = h.value.release();
        task.c_headers_.push_back(kh);
        task.c_header_ptrs_.push_back(&task.c_headers_.back());
      }
      c.headers = task.c_header_ptrs_.data() + first;
      c.header_count = r.headers.size();
      c.source_partition = r.source_partition.release();
      c.source_offset = r.source_offset.release();
      task.c_record_ptrs_.push_back(&c);
    }
    char err[512] = {0};
    kanal_status s = host().source_batch_append(out, task.c_record_ptrs_.data(),
                                                task.c_record_ptrs_.size(), err, sizeof err);
    batch.clear();
    check(s, err);
  }
  static kanal_status source_commit(kanal_task* t, char* err, size_t err_size) noexcept {
    return guard(err, err_size, [&] { source(t)->commit(); });
  }
  static kanal_status source_commit_record(kanal_task* t, const kanal_committed_record* rec,
                                           char* err, size_t err_size) noexcept {
    return guard(err, err_size, [&] {
      CommittedRecord r;
      r.source_partition = ValueView(rec->source_partition);
      r.source_offset = ValueView(rec->source_offset);
      r.topic = view(rec->topic);
      r.partition = rec->partition;
      r.offset = rec->offset;
      if (rec->timestamp != KANAL_NO_TIMESTAMP) r.timestamp = rec->timestamp;
      source(t)->commit_record(r);
    });
  }
  static void source_stop(kanal_task* t) noexcept {
    try {
      source(t)->stop();
    } catch (...) {
    }
  }
  static void source_destroy(kanal_task* t) noexcept {
    try {
      delete source(t);
    } catch (...) {
    }
  }

  template <typename T>
  static kanal_status create_sink_task(kanal_context* ctx, kanal_task** out, char* err,
                                       size_t err_size) noexcept {
    *out = nullptr;
    return guard(err, err_size, [&] {
      SinkTask* t = new T();
      t->context_.ctx_ = ctx;
      *out = reinterpret_cast<kanal_task*>(t);
    });
  }
  static kanal_status sink_start(kanal_task* t, const kanal_config* cfg, char* err,
                                 size_t err_size) noexcept {
    return guard(err, err_size, [&] { sink(t)->start(to_config(cfg)); });
  }
  static kanal_status sink_open(kanal_task* t, const kanal_topic_partition* const* tps,
                                size_t count, char* err, size_t err_size) noexcept {
    return guard(err, err_size, [&] { sink(t)->open(to_cpp(tps, count)); });
  }
  static kanal_status sink_close(kanal_task* t, const kanal_topic_partition* const* tps,
                                 size_t count, char* err, size_t err_size) noexcept {
    return guard(err, err_size, [&] { sink(t)->close(to_cpp(tps, count)); });
  }
  static kanal_status sink_put(kanal_task* t, const kanal_sink_record* const* records, size_t count,
                               char* err, size_t err_size) noexcept {
    return guard(err, err_size, [&] { sink(t)->put(SinkRecords(records, count)); });
  }
  static kanal_status sink_flush(kanal_task* t, const kanal_topic_partition* const* tps,
                                 size_t count, char* err, size_t err_size) noexcept {
    return guard(err, err_size, [&] { sink(t)->flush(to_cpp(tps, count)); });
  }
  static kanal_status sink_pre_commit(kanal_task* t, kanal_topic_partition* const* tps,
                                      size_t count, char* err, size_t err_size) noexcept {
    return guard(err, err_size, [&] {
      std::vector<TopicPartition> offsets = to_cpp(tps, count);
      sink(t)->pre_commit(offsets);
      // Only offsets of partitions the host asked about are written back.
      for (size_t i = 0; i < count; ++i) {
        tps[i]->offset = -1;
        for (const TopicPartition& tp : offsets) {
          if (tp.partition == tps[i]->partition && tp.topic == view(tps[i]->topic)) {
            tps[i]->offset = tp.offset;
            break;
          }
        }
      }
    });
  }
  static kanal_status sink_stop(kanal_task* t, char* err, size_t err_size) noexcept {
    return guard(err, err_size, [&] { sink(t)->stop(); });
  }
  static void sink_destroy(kanal_task* t) noexcept {
    try {
      delete sink(t);
    } catch (...) {
    }
  }

  template <typename X>
  static kanal_status create_transformation(kanal_context* ctx, kanal_transformation** out,
                                            char* err, size_t err_size) noexcept {
    *out = nullptr;
    return guard(err, err_size, [&] {
      Transformation* x = new X();
      x->ctx_ = ctx;
      *out = reinterpret_cast<kanal_transformation*>(x);
    });
  }
  static kanal_status transformation_configure(kanal_transformation* x, const kanal_config* cfg,
                                               char* err, size_t err_size) noexcept {
    return guard(err, err_size,
                 [&] { reinterpret_cast<Transformation*>(x)->configure(to_config(cfg)); });
  }
  static kanal_status transformation_apply(kanal_transformation* x, const kanal_record* in,
                                           kanal_record_out* out, char* err,
                                           size_t err_size) noexcept {
    return guard(err, err_size, [&] {
      Transformation& t = *reinterpret_cast<Transformation*>(x);
      RecordUpdate update;
      t.apply(Record(in), update);
      if (update.dropped()) {
        host().record_out_drop(out);
      } else if (update.changed() != 0) {
        kanal_record_update c{};
        update.fill(c, t.c_headers_, t.c_header_ptrs_);
        char e[512] = {0};
        check(host().record_out_set(out, &c, e, sizeof e), e);
      }
    });
  }
  static void transformation_destroy(kanal_transformation* x) noexcept {
    try {
      delete reinterpret_cast<Transformation*>(x);
    } catch (...) {
    }
  }

  template <typename P>
  static kanal_status create_predicate(kanal_context* ctx, kanal_predicate** out, char* err,
                                       size_t err_size) noexcept {
    *out = nullptr;
    return guard(err, err_size, [&] {
      Predicate* p = new P();
      p->ctx_ = ctx;
      *out = reinterpret_cast<kanal_predicate*>(p);
    });
  }
  static kanal_status predicate_configure(kanal_predicate* p, const kanal_config* cfg, char* err,
                                          size_t err_size) noexcept {
    return guard(err, err_size,
                 [&] { reinterpret_cast<Predicate*>(p)->configure(to_config(cfg)); });
  }
  static kanal_status predicate_test(kanal_predicate* p, const kanal_record* rec, uint8_t* result,
                                     char* err, size_t err_size) noexcept {
    return guard(err, err_size,
                 [&] { *result = reinterpret_cast<Predicate*>(p)->test(Record(rec)) ? 1 : 0; });
  }
  static void predicate_destroy(kanal_predicate* p) noexcept {
    try {
      delete reinterpret_cast<Predicate*>(p);
    } catch (...) {
    }
  }

  template <typename V>
  static kanal_status create_converter(kanal_context* ctx, kanal_converter** out, char* err,
                                       size_t err_size) noexcept {
    *out = nullptr;
    return guard(err, err_size, [&] {
      Converter* c = new V();
      c->ctx_ = ctx;
      *out = reinterpret_cast<kanal_converter*>(c);
    });
  }
  static kanal_status converter_configure(kanal_converter* c, const kanal_config* cfg,
                                          uint8_t is_key, char* err, size_t err_size) noexcept {
    return guard(err, err_size,
                 [&] { reinterpret_cast<Converter*>(c)->configure(to_config(cfg), is_key != 0); });
  }
  static kanal_status converter_from_connect(kanal_converter* c, const char* topic,
                                             size_t topic_len, const kanal_schema* schema,
                                             const kanal_value* value, kanal_buffer* out,
                                             uint8_t* is_null, char* err,
                                             size_t err_size) noexcept {
    return guard(err, err_size, [&] {
      Converter& conv = *reinterpret_cast<Converter*>(c);
      conv.buffer_.clear();
      bool present = conv.from_connect(std::string_view(topic, topic_len), Schema::borrow(schema),
                                       ValueView(value), conv.buffer_);
      *is_null = present ? 0 : 1;
      if (present) {
        kanal_status s = host().buffer_append(
            out, reinterpret_cast<const uint8_t*>(conv.buffer_.data()), conv.buffer_.size());
        if (s != KANAL_OK) throw Error("the worker refused the converted bytes", s);
      }
    });
  }
  static kanal_status converter_to_connect(kanal_converter* c, const char* topic, size_t topic_len,
                                           const uint8_t* data, size_t len,
                                           kanal_schema** schema_out, kanal_value** value_out,
                                           char* err, size_t err_size) noexcept {
    *schema_out = nullptr;
    *value_out = nullptr;
    return guard(err, err_size, [&] {
      std::optional<std::string_view> bytes;
      if (data != nullptr) bytes = std::string_view(reinterpret_cast<const char*>(data), len);
      SchemaAndValue sv =
          reinterpret_cast<Converter*>(c)->to_connect(std::string_view(topic, topic_len), bytes);
      *schema_out = sv.schema ? host().schema_copy(sv.schema.get()) : nullptr;
      *value_out = sv.value.release();
    });
  }
  static void converter_destroy(kanal_converter* c) noexcept {
    try {
      delete reinterpret_cast<Converter*>(c);
    } catch (...) {
    }
  }
};

template <typename T, typename = void>
struct HasConfigDef : std::false_type {};
template <typename T>
struct HasConfigDef<T, std::void_t<decltype(T::config_def())>> : std::true_type {};

template <typename T>
ConfigDef config_def_of() {
  if constexpr (HasConfigDef<T>::value) {
    return T::config_def();
  } else {
    return ConfigDef();
  }
}

// Owns everything the descriptor points at. One per library, created by KANAL_EXPORT_PLUGIN
// and never destroyed (the worker may call into the plugin until the process ends).
class PluginBuilder {
 public:
  using Setup = void (*)(PluginBuilder&);

  kanal_status entry(const kanal_host* host, const kanal_plugin_descriptor** out, char* err,
                     size_t err_size, Setup setup) noexcept {
    if (out != nullptr) *out = nullptr;
    if (host == nullptr || out == nullptr) {
      write_error(err, err_size, "kanal_plugin_entry called without a host table");
      return KANAL_ERR;
    }
    if (host->abi_major != KANAL_ABI_MAJOR) {
      std::string m = "plugin built for kanal ABI " + std::to_string(KANAL_ABI_MAJOR) +
                      ".x, the worker offers " + std::to_string(host->abi_major) + "." +
                      std::to_string(host->abi_minor);
      write_error(err, err_size, m.c_str());
      return KANAL_ERR_UNSUPPORTED;
    }
    g_host = host;
    if (!built_) {
      kanal_status s = guard(err, err_size, [&] {
        setup(*this);
        finish();
      });
      if (s != KANAL_OK) return s;
      built_ = true;
    }
    *out = &descriptor_;
    return KANAL_OK;
  }

  void plugin(std::string_view name, std::string_view version) {
    name_ = keep(name);
    version_ = keep(version);
  }
  template <typename... Registrations>
  void add(const Registrations&... regs) {
    (regs.add_to(*this), ...);
  }

  kanal_str keep(std::string_view s) {
    strings_.emplace_back(s);
    return str(strings_.back());
  }
  kanal_str version_or_default(const std::string& v) { return v.empty() ? version_ : keep(v); }
  const kanal_str* keep_list(const std::vector<std::string>& items) {
    str_lists_.emplace_back();
    for (const std::string& s : items) str_lists_.back().push_back(keep(s));
    return str_lists_.back().data();
  }
  const kanal_config_def* keep_config(const ConfigDef& def) {
    key_lists_.emplace_back();
    for (const ConfigKey& k : def.keys()) {
      kanal_config_key c{};
      c.struct_size = sizeof c;
      c.name = keep(k.name);
      c.type = static_cast<int32_t>(k.type);
      c.default_kind = k.default_value     ? KANAL_DEFAULT_VALUE
                       : k.default_is_null ? KANAL_DEFAULT_NULL
                                           : KANAL_DEFAULT_NONE;
      if (k.default_value) c.default_value = keep(*k.default_value);
      c.importance = static_cast<int32_t>(k.importance);
      c.documentation = keep(k.documentation);
      c.group = keep(k.group);
      c.order_in_group = k.order_in_group;
      c.width = static_cast<int32_t>(k.width);
      c.display_name = keep(k.display_name);
      c.dependents = keep_list(k.dependents);
      c.dependent_count = k.dependents.size();
      c.validator = k.validator.kind;
      c.has_min = k.validator.min ? 1 : 0;
      c.has_max = k.validator.max ? 1 : 0;
      c.min = k.validator.min.value_or(0);
      c.max = k.validator.max.value_or(0);
      c.case_insensitive = k.validator.case_insensitive ? 1 : 0;
      c.allowed = keep_list(k.validator.allowed);
      c.allowed_count = k.validator.allowed.size();
      keys_.push_back(c);
      key_lists_.back().push_back(&keys_.back());
    }
    kanal_config_def d{};
    d.struct_size = sizeof d;
    d.keys = key_lists_.back().data();
    d.key_count = key_lists_.back().size();
    config_defs_.push_back(d);
    return &config_defs_.back();
  }

  // Storage for descriptors and ops tables; deques keep element addresses stable.
  std::deque<kanal_connector_descriptor> connector_descs;
  std::deque<kanal_connector_ops> connector_ops;
  std::deque<kanal_source_task_ops> source_ops;
  std::deque<kanal_sink_task_ops> sink_ops;
  std::deque<kanal_transformation_descriptor> transformation_descs;
  std::deque<kanal_transformation_ops> transformation_ops;
  std::deque<kanal_predicate_descriptor> predicate_descs;
  std::deque<kanal_predicate_ops> predicate_ops;
  std::deque<kanal_converter_descriptor> converter_descs;
  std::deque<kanal_converter_ops> converter_ops;

 private:
  void finish() {
    for (const auto& d : connector_descs) connectors_.push_back(&d);
    for (const auto& d : transformation_descs) transformations_.push_back(&d);
    for (const auto& d : predicate_descs) predicates_.push_back(&d);
    for (const auto& d : converter_descs) converters_.push_back(&d);
    descriptor_ = kanal_plugin_descriptor{};
    descriptor_.struct_size = sizeof descriptor_;
    descriptor_.abi_major = KANAL_ABI_MAJOR;
    descriptor_.abi_minor = KANAL_ABI_MINOR;
    descriptor_.name = name_;
    descriptor_.version = version_;
    descriptor_.connectors = connectors_.data();
    descriptor_.connector_count = connectors_.size();
    descriptor_.transformations = transformations_.data();
    descriptor_.transformation_count = transformations_.size();
    descriptor_.predicates = predicates_.data();
    descriptor_.predicate_count = predicates_.size();
    descriptor_.converters = converters_.data();
    descriptor_.converter_count = converters_.size();
  }

  bool built_ = false;
  kanal_str name_{};
  kanal_str version_{};
  std::deque<std::string> strings_;
  std::deque<std::vector<kanal_str>> str_lists_;
  std::deque<kanal_config_key> keys_;
  std::deque<std::vector<const kanal_config_key*>> key_lists_;
  std::deque<kanal_config_def> config_defs_;
  std::vector<const kanal_connector_descriptor*> connectors_;
  std::vector<const kanal_transformation_descriptor*> transformations_;
  std::vector<const kanal_predicate_descriptor*> predicates_;
  std::vector<const kanal_converter_descriptor*> converters_;
  kanal_plugin_descriptor descriptor_{};
};

// Common parts of every registration: class name, version, aliases, doc.
template <typename Self>
class Registration {
 public:
  explicit Registration(std::string class_name) : class_name_(std::move(class_name)) {}
  // The component's version; default: the plugin's.
  Self& version(std::string v) {
    version_ = std::move(v);
    return static_cast<Self&>(*this);
  }
  // An extra name besides the automatic ones (simple name, simple name minus the suffix).
  Self& alias(std::string a) {
    aliases_.push_back(std::move(a));
    return static_cast<Self&>(*this);
  }
  Self& doc(std::string d) {
    doc_ = std::move(d);
    return static_cast<Self&>(*this);
  }

 protected:
  template <typename Desc>
  void fill(PluginBuilder& b, Desc& d, const ConfigDef& config) const {
    d.struct_size = sizeof d;
    d.class_name = b.keep(class_name_);
    d.version = b.version_or_default(version_);
    d.doc = b.keep(doc_);
    d.aliases = b.keep_list(aliases_);
    d.alias_count = aliases_.size();
    d.config = b.keep_config(config);
  }

  std::string class_name_;
  std::string version_;
  std::string doc_;
  std::vector<std::string> aliases_;
};

// Common parts of the connector registrations: the task class name.
template <typename Self>
class ConnectorRegistration : public Registration<Self> {
 public:
  using Registration<Self>::Registration;
  // The task's class name as GET /connectors/{name}/tasks and the task configs' `task.class`
  // show it, e.g. "org.apache.kafka.connect.file.FileStreamSourceTask". Default: the connector's
  // class name + "Task".
  Self& task_class(std::string name) {
    task_class_ = std::move(name);
    return static_cast<Self&>(*this);
  }

 protected:
  void fill_connector(PluginBuilder& b, kanal_connector_descriptor& d,
                      const ConfigDef& config) const {
    this->fill(b, d, config);
    if (!task_class_.empty()) d.task_class = b.keep(task_class_);
  }

  std::string task_class_;
};

template <typename C, typename T>
class SourceConnectorRegistration
    : public ConnectorRegistration<SourceConnectorRegistration<C, T>> {
  static_assert(std::is_base_of<SourceConnector, C>::value, "C must derive kanal::SourceConnector");
  static_assert(std::is_base_of<SourceTask, T>::value, "T must derive kanal::SourceTask");

 public:
  using ConnectorRegistration<SourceConnectorRegistration<C, T>>::ConnectorRegistration;
  void add_to(PluginBuilder& b) const {
    kanal_connector_ops ops{};
    ops.struct_size = sizeof ops;
    ops.create = &Access::create_connector<C>;
    ops.start = &Access::connector_start;
    ops.task_configs = &Access::connector_task_configs;
    ops.stop = &Access::connector_stop;
    ops.validate = &Access::connector_validate;
    ops.destroy = &Access::connector_destroy;
    b.connector_ops.push_back(ops);
    kanal_source_task_ops t{};
    t.struct_size = sizeof t;
    t.create = &Access::create_source_task<T>;
    t.start = &Access::source_start;
    t.poll = &Access::source_poll;
    t.commit = &Access::source_commit;
    // Only a task that overrides commit_record gets the call: the worker then skips building
    // the committed-record view for every record of a task that ignores it.
    using Inherited = void (SourceTask::*)(const CommittedRecord&);
    if constexpr (!std::is_same_v<decltype(&T::commit_record), Inherited>) {
      t.commit_record = &Access::source_commit_record;
    }
    t.stop = &Access::source_stop;
    t.destroy = &Access::source_destroy;
    b.source_ops.push_back(t);
    kanal_connector_descriptor d{};
    this->fill_connector(b, d, config_def_of<C>());
    d.type = KANAL_CONNECTOR_SOURCE;
    d.ops = &b.connector_ops.back();
    d.source_task_ops = &b.source_ops.back();
    b.connector_descs.push_back(d);
  }
};

template <typename C, typename T>
class SinkConnectorRegistration : public ConnectorRegistration<SinkConnectorRegistration<C, T>> {
  static_assert(std::is_base_of<SinkConnector, C>::value, "C must derive kanal::SinkConnector");
  static_assert(std::is_base_of<SinkTask, T>::value, "T must derive kanal::SinkTask");

 public:
  using ConnectorRegistration<SinkConnectorRegistration<C, T>>::ConnectorRegistration;
  void add_to(PluginBuilder& b) const {
    kanal_connector_ops ops{};
    ops.struct_size = sizeof ops;
    ops.create = &Access::create_connector<C>;
    ops.start = &Access::connector_start;
    ops.task_configs = &Access::connector_task_configs;
    ops.stop = &Access::connector_stop;
    ops.validate = &Access::connector_validate;
    ops.destroy = &Access::connector_destroy;
    b.connector_ops.push_back(ops);
    kanal_sink_task_ops t{};
    t.struct_size = sizeof t;
    t.create = &Access::create_sink_task<T>;
    t.start = &Access::sink_start;
    t.open = &Access::sink_open;
    t.close = &Access::sink_close;
    t.put = &Access::sink_put;
    t.flush = &Access::sink_flush;
    t.pre_commit = &Access::sink_pre_commit;
    t.stop = &Access::sink_stop;
    t.destroy = &Access::sink_destroy;
    b.sink_ops.push_back(t);
    kanal_connector_descriptor d{};
    this->fill_connector(b, d, config_def_of<C>());
    d.type = KANAL_CONNECTOR_SINK;
    d.ops = &b.connector_ops.back();
    d.sink_task_ops = &b.sink_ops.back();
    b.connector_descs.push_back(d);
  }
};

template <typename X>
class TransformationRegistration : public Registration<TransformationRegistration<X>> {
  static_assert(std::is_base_of<Transformation, X>::value, "X must derive kanal::Transformation");

 public:
  using Registration<TransformationRegistration<X>>::Registration;
  void add_to(PluginBuilder& b) const {
    kanal_transformation_ops ops{};
    ops.struct_size = sizeof ops;
    ops.create = &Access::create_transformation<X>;
    ops.configure = &Access::transformation_configure;
    ops.apply = &Access::transformation_apply;
    ops.destroy = &Access::transformation_destroy;
    b.transformation_ops.push_back(ops);
    kanal_transformation_descriptor d{};
    this->fill(b, d, config_def_of<X>());
    d.ops = &b.transformation_ops.back();
    b.transformation_descs.push_back(d);
  }
};

template <typename P>
class PredicateRegistration : public Registration<PredicateRegistration<P>> {
  static_assert(std::is_base_of<Predicate, P>::value, "P must derive kanal::Predicate");

 public:
  using Registration<PredicateRegistration<P>>::Registration;
  void add_to(PluginBuilder& b) const {
    kanal_predicate_ops ops{};
    ops.struct_size = sizeof ops;
    ops.create = &Access::create_predicate<P>;
    ops.configure = &Access::predicate_configure;
    ops.test = &Access::predicate_test;
    ops.destroy = &Access::predicate_destroy;
    b.predicate_ops.push_back(ops);
    kanal_predicate_descriptor d{};
    this->fill(b, d, config_def_of<P>());
    d.ops = &b.predicate_ops.back();
    b.predicate_descs.push_back(d);
  }
};

template <typename V>
class ConverterRegistration : public Registration<ConverterRegistration<V>> {
  static_assert(std::is_base_of<Converter, V>::value, "V must derive kanal::Converter");

 public:
  using Registration<ConverterRegistration<V>>::Registration;
  void add_to(PluginBuilder& b) const {
    kanal_converter_ops ops{};
    ops.struct_size = sizeof ops;
    ops.create = &Access::create_converter<V>;
    ops.configure = &Access::converter_configure;
    ops.from_connect = &Access::converter_from_connect;
    ops.to_connect = &Access::converter_to_connect;
    ops.destroy = &Access::converter_destroy;
    b.converter_ops.push_back(ops);
    kanal_converter_descriptor d{};
    this->fill(b, d, config_def_of<V>());
    d.ops = &b.converter_ops.back();
    b.converter_descs.push_back(d);
  }
};

}  // namespace detail

inline void SourceTask::append_run(SourceRun& run) { detail::Access::append_run(*this, run); }

// Registrations for KANAL_EXPORT_PLUGIN; chain .version(), .alias(), .doc(), and for connectors
// .task_class().
template <typename Connector, typename Task>
detail::SourceConnectorRegistration<Connector, Task> source_connector(std::string class_name) {
  return detail::SourceConnectorRegistration<Connector, Task>(std::move(class_name));
}
template <typename Connector, typename Task>
detail::SinkConnectorRegistration<Connector, Task> sink_connector(std::string class_name) {
  return detail::SinkConnectorRegistration<Connector, Task>(std::move(class_name));
}
template <typename X>
detail::TransformationRegistration<X> transformation(std::string class_name) {
  return detail::TransformationRegistration<X>(std::move(class_name));
}
template <typename P>
detail::PredicateRegistration<P> predicate(std::string class_name) {
  return detail::PredicateRegistration<P>(std::move(class_name));
}
template <typename V>
detail::ConverterRegistration<V> converter(std::string class_name) {
  return detail::ConverterRegistration<V>(std::move(class_name));
}

}  // namespace kanal

// Defines the library's kanal_plugin_entry. Use once per plugin, at global scope:
//   KANAL_EXPORT_PLUGIN("hello", "1.0.0",
//       kanal::source_connector<HelloConnector, HelloTask>("com.example.HelloSourceConnector"));
// The descriptor and everything it points at are built on the first entry call and live until
// the process ends.
#define KANAL_EXPORT_PLUGIN(plugin_name, plugin_version, ...)                                     \
  namespace kanal {                                                                               \
  namespace detail {                                                                              \
  const kanal_host* g_host = nullptr;                                                             \
  }                                                                                               \
  }                                                                                               \
  extern "C" KANAL_PLUGIN_EXPORT kanal_status kanal_plugin_entry(                                 \
      const kanal_host* host, const kanal_plugin_descriptor** out, char* err, size_t err_size) {  \
    static ::kanal::detail::PluginBuilder* kanal_builder =                                        \
        new (std::nothrow)::kanal::detail::PluginBuilder;                                         \
    if (kanal_builder == nullptr) return KANAL_ERR_NO_MEMORY;                                     \
    return kanal_builder->entry(host, out, err, err_size, [](::kanal::detail::PluginBuilder& b) { \
      b.plugin(plugin_name, plugin_version);                                                      \
      b.add(__VA_ARGS__);                                                                         \
    });                                                                                           \
  }
