// kanal_bench_ceiling: the raw librdkafka side of the benchmark (tests/bench/run_bench.py).
// Not a test: each command prints one JSON line on stdout and exits 0, or prints an error on
// stderr and exits 1.
//
//   kanal_bench_ceiling ping     --bootstrap B
//   kanal_bench_ceiling create   --bootstrap B --topic T [--partitions P]
//   kanal_bench_ceiling delete   --bootstrap B --topic T
//   kanal_bench_ceiling produce  --bootstrap B --topic T --file F [--json-envelope]
//   kanal_bench_ceiling consume  --bootstrap B --topic T --count N
//   kanal_bench_ceiling wait     --bootstrap B --topic T --count N [--timeout-s S]
//
// produce sends every line of F (without its newline) as one record value, with the settings
// kanal's source tasks use (acks=all, idempotence, linger.ms=5): the producer ceiling. With
// --json-envelope each value is {"schema":{"type":"string","optional":false},"payload":"<line>"},
// what JsonConverter(schemas.enable=true) writes for a string (lines must need no escaping).
// consume reads the first N records of every partition, assigned from the beginning: the
// consumer ceiling. wait prints "ready" once it reached the broker, then polls the topic's end
// offsets every 20 ms and prints the JSON line when their sum reaches N.
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// Keeps the payload reads of consume from being optimised away.
volatile unsigned g_checksum = 0;

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
  void operator()(rd_kafka_event_t* e) const noexcept { rd_kafka_event_destroy(e); }
};
struct RdPartitionsDeleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const noexcept {
    rd_kafka_topic_partition_list_destroy(l);
  }
};
struct RdMetadataDeleter {
  void operator()(const rd_kafka_metadata_t* m) const noexcept { rd_kafka_metadata_destroy(m); }
};
using RdConfPtr = std::unique_ptr<rd_kafka_conf_t, RdConfDeleter>;
using RdKafkaPtr = std::unique_ptr<rd_kafka_t, RdKafkaDeleter>;
using RdQueuePtr = std::unique_ptr<rd_kafka_queue_t, RdQueueDeleter>;
using RdEventPtr = std::unique_ptr<rd_kafka_event_t, RdEventDeleter>;
using RdPartitionsPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, RdPartitionsDeleter>;
using RdMetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, RdMetadataDeleter>;

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "kanal_bench_ceiling: %s\n", message.c_str());
  std::exit(1);
}

struct Args {
  std::string command;
  std::map<std::string, std::string> options;  // "--topic" -> "t"; flags map to ""

  std::string get(const std::string& key) const {
    auto it = options.find(key);
    if (it == options.end()) fail("missing " + key);
    return it->second;
  }
  long long get_long(const std::string& key, long long fallback) const {
    auto it = options.find(key);
    return it == options.end() ? fallback : std::atoll(it->second.c_str());
  }
  bool has(const std::string& key) const { return options.count(key) > 0; }
};

Args parse(int argc, char** argv) {
  if (argc < 2) {
    fail("usage: kanal_bench_ceiling ping|create|delete|produce|consume|wait --bootstrap B ...");
  }
  Args a;
  a.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string key = argv[i];
    if (key == "--json-envelope") {
      a.options[key] = "";
    } else if (key.starts_with("--") && i + 1 < argc) {
      a.options[key] = argv[++i];
    } else {
      fail("unexpected argument " + key);
    }
  }
  return a;
}

// Takes `conf` only on success, as rd_kafka_new does.
RdKafkaPtr make_client(rd_kafka_type_t type, RdConfPtr& conf) {
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), err, sizeof err);
  if (rk == nullptr) fail(std::string("rd_kafka_new: ") + err);
  conf.release();  // librdkafka owns the conf from here on
  return RdKafkaPtr{rk};
}

RdConfPtr make_conf(const std::string& bootstrap,
                    const std::vector<std::pair<std::string, std::string>>& settings) {
  RdConfPtr conf{rd_kafka_conf_new()};
  char err[512];
  std::vector<std::pair<std::string, std::string>> all = {{"bootstrap.servers", bootstrap},
                                                          {"client.id", "kanal-bench"}};
  all.insert(all.end(), settings.begin(), settings.end());
  for (const auto& [k, v] : all) {
    if (rd_kafka_conf_set(conf.get(), k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      fail("config " + k + "=" + v + ": " + err);
    }
  }
  return conf;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds (user + system) of this process, librdkafka's threads included.
double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

void print_rate(const char* what, long long records, long long bytes, double seconds, double cpu) {
  std::printf(
      "{\"what\":\"%s\",\"records\":%lld,\"bytes\":%lld,\"seconds\":%.6f,"
      "\"records_per_s\":%.1f,\"cpu_s\":%.3f}\n",
      what, records, bytes, seconds, seconds > 0 ? static_cast<double>(records) / seconds : 0.0,
      cpu);
  std::fflush(stdout);
}

// Partition ids of `topic`, or an empty vector when it does not exist (yet).
std::vector<int32_t> partitions_of(rd_kafka_t* rk, const std::string& topic, int timeout_ms) {
  rd_kafka_topic_t* t = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* raw = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, t, &raw, timeout_ms);
  rd_kafka_topic_destroy(t);
  std::vector<int32_t> out;
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return out;
  RdMetadataPtr md{raw};
  for (int i = 0; i < md->topic_cnt; ++i) {
    if (md->topics[i].err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    for (int p = 0; p < md->topics[i].partition_cnt; ++p) {
      out.push_back(md->topics[i].partitions[p].id);
    }
  }
  return out;
}

int ping(const Args& a) {
  RdConfPtr conf = make_conf(a.get("--bootstrap"), {});
  RdKafkaPtr rk = make_client(RD_KAFKA_PRODUCER, conf);
  const rd_kafka_metadata_t* raw = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk.get(), 1, nullptr, &raw, 2000);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) fail(std::string("metadata: ") + rd_kafka_err2str(err));
  RdMetadataPtr md{raw};
  std::printf("{\"what\":\"ping\",\"brokers\":%d}\n", md->broker_cnt);
  return 0;
}

// Runs one admin request (create or delete a topic) and waits for its result event.
int admin(const Args& a, bool create) {
  RdConfPtr conf = make_conf(a.get("--bootstrap"), {});
  RdKafkaPtr rk = make_client(RD_KAFKA_PRODUCER, conf);
  RdQueuePtr queue{rd_kafka_queue_new(rk.get())};
  const std::string topic = a.get("--topic");
  char err[512];
  if (create) {
    rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(
        topic.c_str(), static_cast<int>(a.get_long("--partitions", 1)), 1, err, sizeof err);
    if (nt == nullptr) fail(std::string("NewTopic: ") + err);
    rd_kafka_CreateTopics(rk.get(), &nt, 1, nullptr, queue.get());
    rd_kafka_NewTopic_destroy(nt);
  } else {
    rd_kafka_DeleteTopic_t* dt = rd_kafka_DeleteTopic_new(topic.c_str());
    rd_kafka_DeleteTopics(rk.get(), &dt, 1, nullptr, queue.get());
    rd_kafka_DeleteTopic_destroy(dt);
  }
  RdEventPtr ev{rd_kafka_queue_poll(queue.get(), 30000)};
  if (!ev) fail("no admin result within 30 s");
  if (rd_kafka_event_error(ev.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    fail(std::string("admin: ") + rd_kafka_event_error_string(ev.get()));
  }
  size_t n = 0;
  const rd_kafka_topic_result_t** results =
      create
          ? rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev.get()), &n)
          : rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(ev.get()), &n);
  for (size_t i = 0; i < n; ++i) {
    rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i]);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS &&
        e != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
      fail(topic + ": " + rd_kafka_err2str(e));
    }
  }
  std::printf("{\"what\":\"%s\",\"topic\":\"%s\"}\n", create ? "create" : "delete", topic.c_str());
  return 0;
}

// A read-only mapping of a whole file; the file's lines are sent without copying it first.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) fail("open " + path + ": " + std::strerror(errno));
    struct stat st {};
    ::fstat(fd, &st);
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0) {
      data_ = static_cast<const char*>(::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0));
      if (data_ == MAP_FAILED) fail("mmap " + path + ": " + std::strerror(errno));
      ::madvise(const_cast<char*>(data_), size_, MADV_SEQUENTIAL);
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (size_ > 0) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view view() const { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    fail(std::string("delivery failed: ") + rd_kafka_err2str(m->err));
  }
  ++*static_cast<long long*>(opaque);
}

int produce(const Args& a) {
  long long delivered = 0;
  RdConfPtr conf = make_conf(a.get("--bootstrap"), {{"acks", "all"},
                                                    {"enable.idempotence", "true"},
                                                    {"linger.ms", "5"},
                                                    {"message.timeout.ms", "0"}});
  rd_kafka_conf_set_dr_msg_cb(conf.get(), on_delivery);
  rd_kafka_conf_set_opaque(conf.get(), &delivered);
  RdKafkaPtr rk = make_client(RD_KAFKA_PRODUCER, conf);
  const std::string topic = a.get("--topic");
  const bool envelope = a.has("--json-envelope");
  MappedFile file(a.get("--file"));
  std::string_view rest = file.view();
  static constexpr std::string_view kHead = R"({"schema":{"type":"string","optional":false},)"
                                            R"("payload":")";
  static constexpr std::string_view kTail = R"("})";
  std::string value;
  long long records = 0;
  long long bytes = 0;
  // Warm up the connection (metadata, producer id) outside the timed part.
  partitions_of(rk.get(), topic, 10000);

  const double cpu_start = cpu_seconds();
  const auto start = Clock::now();
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    std::string_view payload = line;
    if (envelope) {
      value.assign(kHead);
      value.append(line);
      value.append(kTail);
      payload = value;
    }
    while (true) {
      rd_kafka_resp_err_t err = rd_kafka_producev(
          rk.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_VALUE(const_cast<char*>(payload.data()), payload.size()), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        fail(std::string("produce: ") + rd_kafka_err2str(err));
      }
      rd_kafka_poll(rk.get(), 5);
    }
    ++records;
    bytes += static_cast<long long>(payload.size());
    rd_kafka_poll(rk.get(), 0);
  }
  rd_kafka_resp_err_t err = rd_kafka_flush(rk.get(), 300000);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR || delivered != records) {
    fail("flush: " + std::to_string(delivered) + " of " + std::to_string(records) + " delivered");
  }
  print_rate("produce", records, bytes, seconds_since(start), cpu_seconds() - cpu_start);
  return 0;
}

int consume(const Args& a) {
  const long long want = a.get_long("--count", 0);
  RdConfPtr conf = make_conf(
      a.get("--bootstrap"), {{"group.id", "kanal-bench-ceiling"}, {"enable.auto.commit", "false"}});
  RdKafkaPtr rk = make_client(RD_KAFKA_CONSUMER, conf);
  rd_kafka_poll_set_consumer(rk.get());
  const std::string topic = a.get("--topic");
  std::vector<int32_t> parts = partitions_of(rk.get(), topic, 10000);
  if (parts.empty()) fail("topic " + topic + " has no partitions");
  RdPartitionsPtr list{rd_kafka_topic_partition_list_new(static_cast<int>(parts.size()))};
  for (int32_t p : parts) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
  }

  const double cpu_start = cpu_seconds();
  const auto start = Clock::now();
  rd_kafka_resp_err_t err = rd_kafka_assign(rk.get(), list.get());
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) fail(std::string("assign: ") + rd_kafka_err2str(err));
  long long records = 0;
  long long bytes = 0;
  unsigned checksum = 0;
  while (records < want) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk.get(), 1000);
    if (m == nullptr) {
      if (seconds_since(start) > 600) fail("consumed only " + std::to_string(records));
      continue;
    }
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      ++records;
      bytes += static_cast<long long>(m->len);
      // Touch the payload as a sink would.
      if (m->len > 0) checksum += static_cast<const unsigned char*>(m->payload)[m->len - 1];
    } else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      fail(std::string("consume: ") + rd_kafka_message_errstr(m));
    }
    rd_kafka_message_destroy(m);
  }
  const double seconds = seconds_since(start);
  const double cpu = cpu_seconds() - cpu_start;
  rd_kafka_consumer_close(rk.get());
  g_checksum = checksum;
  print_rate("consume", records, bytes, seconds, cpu);
  return 0;
}

int wait_for_count(const Args& a) {
  const long long want = a.get_long("--count", 0);
  const double timeout_s = static_cast<double>(a.get_long("--timeout-s", 1800));
  RdConfPtr conf = make_conf(a.get("--bootstrap"), {});
  RdKafkaPtr rk = make_client(RD_KAFKA_PRODUCER, conf);
  const std::string topic = a.get("--topic");
  const auto start = Clock::now();
  const rd_kafka_metadata_t* raw = nullptr;
  while (rd_kafka_metadata(rk.get(), 0, nullptr, &raw, 2000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (seconds_since(start) > 60) fail("broker not reachable");
  }
  rd_kafka_metadata_destroy(raw);
  std::printf("ready\n");
  std::fflush(stdout);

  long long total = 0;
  std::vector<int32_t> parts;
  while (true) {
    if (parts.empty()) parts = partitions_of(rk.get(), topic, 2000);
    total = 0;
    for (int32_t p : parts) {
      int64_t low = 0;
      int64_t high = 0;
      if (rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), p, &low, &high, 2000) ==
          RD_KAFKA_RESP_ERR_NO_ERROR) {
        total += high;
      }
    }
    if (total >= want) break;
    if (seconds_since(start) > timeout_s) {
      fail("topic " + topic + " holds " + std::to_string(total) + " of " + std::to_string(want) +
           " records after " + std::to_string(timeout_s) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::printf("{\"what\":\"wait\",\"records\":%lld}\n", total);
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  if (a.command == "ping") return ping(a);
  if (a.command == "create") return admin(a, true);
  if (a.command == "delete") return admin(a, false);
  if (a.command == "produce") return produce(a);
  if (a.command == "consume") return consume(a);
  if (a.command == "wait") return wait_for_count(a);
  fail("unknown command " + a.command);
}
