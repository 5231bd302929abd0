#include "herder/distributed_herder.h"

#include <netdb.h>
#include <poll.h>

// As every other user of rapidjson in kanal (target kanal_rapidjson).
#define RAPIDJSON_HAS_STDSTRING 1
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <future>

#include "herder/connector_offsets.h"
#include "herder/standalone_herder.h"
#include "metrics/metrics.h"
#include "rest/client/internal_client.h"
#include "rest/url.h"
#include "storage/offset_codec.h"

namespace kanal::herder {
namespace {

using namespace std::chrono_literals;
using runtime::ConnectorKind;

constexpr auto kForwardTimeout = std::chrono::seconds(60);
constexpr auto kPollInterval = std::chrono::milliseconds(100);
constexpr auto kStoreTimeout = std::chrono::seconds(30);
constexpr const char* kAssignmentKey = "assignment";
// "leave-<worker id>" → the group member id of a worker that is leaving cleanly.
constexpr std::string_view kLeavePrefix = "leave-";

int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

using config::get_or;

Status unknown_connector(const std::string& name) {
  return Status::not_found("Connector " + name + " not found");
}

ConnectorType type_of(ConnectorKind k) {
  return k == ConnectorKind::kSource ? ConnectorType::kSource : ConnectorType::kSink;
}

// ---- Forwarding requests to another worker (rest/client/internal_client.h: http or https,
// with the caller's Authorization header). ----

using HttpReply = rest::client::InternalReply;

// `base_url`: "http://host:port/" or "https://host:port/" (as advertised). `path` starts with '/'.
HttpReply http_call(const config::WorkerConfig& config, const std::string& base_url,
                    const std::string& method, const std::string& path, const std::string& body,
                    std::chrono::milliseconds timeout) {
  return rest::client::send_internal_request(config, base_url, method, path, body, timeout);
}

// "https" for "https://host:port/": workers of a cluster share a listener protocol, so a worker
// id (host:port) is reached with this worker's own.
std::string scheme_of(const std::string& url) {
  auto p = url.find("://");
  return p == std::string::npos ? std::string("http") : url.substr(0, p);
}

// A Status for a non-2xx answer of another worker (its Connect error body's message).
Status status_of_reply(const HttpReply& r) {
  if (r.status == 0)
    return Status::conflict("Cannot complete request: the leader is unreachable (" + r.body +
                            "); a rebalance may be in progress");
  std::string message = r.body;
  rapidjson::Document d;
  d.Parse(r.body.c_str());
  if (!d.HasParseError() && d.IsObject() && d.HasMember("message") && d["message"].IsString()) {
    message = d["message"].GetString();
  }
  switch (r.status) {
    case 400:
      return Status::invalid_argument(message);
    case 404:
      return Status::not_found(message);
    case 409:
      return Status::conflict(message);
    default:
      return Status::internal("Forwarded request failed with HTTP " + std::to_string(r.status) +
                              ": " + message);
  }
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void write_config(Writer& w, const ConfigMap& config) {
  w.StartObject();
  for (const auto& [k, v] : config) {
    write_string(w, k);
    write_string(w, v);
  }
  w.EndObject();
}

ConfigMap read_config(const rapidjson::Value& v) {
  ConfigMap out;
  if (!v.IsObject()) return out;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    if (it->value.IsString()) out[it->name.GetString()] = it->value.GetString();
  }
  return out;
}

Result<ConnectorInfo> parse_connector_info(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("name") || !d["name"].IsString()) {
    return Status::internal("The leader answered with an unexpected body: " + body);
  }
  ConnectorInfo info;
  info.name = d["name"].GetString();
  if (d.HasMember("config")) info.config = read_config(d["config"]);
  if (d.HasMember("tasks") && d["tasks"].IsArray()) {
    for (const auto& t : d["tasks"].GetArray()) {
      if (t.IsObject() && t.HasMember("connector") && t.HasMember("task") &&
          t["connector"].IsString() && t["task"].IsInt()) {
        info.tasks.push_back(TaskId{t["connector"].GetString(), t["task"].GetInt()});
      }
    }
  }
  std::string type = d.HasMember("type") && d["type"].IsString() ? d["type"].GetString() : "";
  info.type = type == "source" ? ConnectorType::kSource
              : type == "sink" ? ConnectorType::kSink
                               : ConnectorType::kUnknown;
  return info;
}

const char* target_state_name(TargetState s) {
  switch (s) {
    case TargetState::kPaused:
      return "PAUSED";
    case TargetState::kStopped:
      return "STOPPED";
    default:
      return "RUNNING";
  }
}

// Whether `a` was published before `b`.
bool is_older(const AssignmentRecord& a, const AssignmentRecord& b) {
  return a.generation < b.generation || (a.generation == b.generation && a.sequence < b.sequence);
}

}  // namespace

// ---- Assignment record codec ----

namespace {

// The "connectors" and "tasks" members of one worker's work (read back by read_work()).
void write_work(Writer& w, const MemberAssignment& work) {
  w.Key("connectors");
  w.StartArray();
  for (const auto& c : work.connectors) write_string(w, c);
  w.EndArray();
  w.Key("tasks");
  w.StartArray();
  for (const auto& t : work.tasks) {
    w.StartArray();
    write_string(w, t.connector);
    w.Int(t.task);
    w.EndArray();
  }
  w.EndArray();
}

}  // namespace

std::string encode_assignment_record(const AssignmentRecord& r) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("generation");
  w.Int64(r.generation);
  w.Key("sequence");
  w.Int64(r.sequence);
  w.Key("leader");
  write_string(w, r.leader);
  w.Key("leader_url");
  write_string(w, r.leader_url);
  w.Key("members");
  w.StartObject();
  for (const auto& [worker, ma] : r.assignment) {
    write_string(w, worker);
    w.StartObject();
    w.Key("member_ids");
    w.StartArray();
    auto ids = r.member_ids.find(worker);
    if (ids != r.member_ids.end()) {
      for (const auto& id : ids->second) write_string(w, id);
    }
    w.EndArray();
    write_work(w, ma);
    w.EndObject();
  }
  w.EndObject();
  if (!r.lost.empty()) {
    w.Key("lost");
    w.StartObject();
    for (const auto& [worker, lw] : r.lost) {
      write_string(w, worker);
      w.StartObject();
      w.Key("deadline_ms");
      w.Int64(lw.deadline_ms);
      write_work(w, lw.work);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndObject();
  return sb.GetString();
}

namespace {

// The "connectors" and "tasks" members of `m` (an object), appended to `out`.
void read_work(const rapidjson::Value& m, MemberAssignment& out) {
  if (m.HasMember("connectors") && m["connectors"].IsArray()) {
    for (const auto& c : m["connectors"].GetArray()) {
      if (c.IsString()) out.connectors.push_back(c.GetString());
    }
  }
  if (m.HasMember("tasks") && m["tasks"].IsArray()) {
    for (const auto& t : m["tasks"].GetArray()) {
      if (t.IsArray() && t.Size() == 2 && t[0].IsString() && t[1].IsInt()) {
        out.tasks.push_back(TaskId{t[0].GetString(), t[1].GetInt()});
      }
    }
  }
}

}  // namespace

Result<AssignmentRecord> decode_assignment_record(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  auto bad = [] { return Status::invalid_argument("malformed assignment record"); };
  if (d.HasParseError() || !d.IsObject()) return bad();
  AssignmentRecord r;
  if (!d.HasMember("generation") || !d["generation"].IsInt64()) return bad();
  r.generation = d["generation"].GetInt64();
  if (d.HasMember("sequence") && d["sequence"].IsInt64()) r.sequence = d["sequence"].GetInt64();
  if (d.HasMember("leader") && d["leader"].IsString()) r.leader = d["leader"].GetString();
  if (d.HasMember("leader_url") && d["leader_url"].IsString())
    r.leader_url = d["leader_url"].GetString();
  if (!d.HasMember("members") || !d["members"].IsObject()) return bad();
  for (auto it = d["members"].MemberBegin(); it != d["members"].MemberEnd(); ++it) {
    std::string worker = it->name.GetString();
    const auto& m = it->value;
    if (!m.IsObject()) return bad();
    MemberAssignment& ma = r.assignment[worker];
    if (m.HasMember("member_ids") && m["member_ids"].IsArray()) {
      for (const auto& id : m["member_ids"].GetArray()) {
        if (id.IsString()) r.member_ids[worker].push_back(id.GetString());
      }
    }
    read_work(m, ma);
  }
  if (d.HasMember("lost") && d["lost"].IsObject()) {
    for (auto it = d["lost"].MemberBegin(); it != d["lost"].MemberEnd(); ++it) {
      const auto& m = it->value;
      if (!m.IsObject() || !m.HasMember("deadline_ms") || !m["deadline_ms"].IsInt64()) {
        return bad();
      }
      LostWork& lw = r.lost[it->name.GetString()];
      lw.deadline_ms = m["deadline_ms"].GetInt64();
      read_work(m, lw.work);
    }
  }
  return r;
}

// ---- Construction, start, stop ----

DistributedHerder::DistributedHerder(
    const config::WorkerConfig& config, runtime::Worker& worker, storage::ConfigStore& config_store,
    storage::StatusTopicStore& status, storage::OffsetBackingStore& offsets,
    runtime::PluginCatalog& catalog, const data::ConverterRegistry& converters,
    const transforms::TransformRegistry& transforms, std::string kafka_cluster_id)
    : config_(config),
      worker_(worker),
      config_store_(config_store),
      status_(status),
      offsets_(offsets),
      catalog_(catalog),
      converters_(converters),
      transforms_(transforms),
      cluster_id_(std::move(kafka_cluster_id)),
      group_id_(config.parsed().get_string("group.id")),
      config_topic_(config.parsed().get_string("config.storage.topic")),
      logger_("kanal.herder"),
      scheduled_delay_ms_(config.parsed().get_long("scheduled.rebalance.max.delay.ms")) {}

DistributedHerder::~DistributedHerder() { stop(); }

void DistributedHerder::set_identity(std::string worker_id, std::string advertised_url) {
  worker_id_ = std::move(worker_id);
  url_ = std::move(advertised_url);
}

Status DistributedHerder::start() {
  // The assignment topic: kanal's own, compacted, one partition, next to the config topic.
  std::string topic = config_topic_ + "-kanal-assignment";
  {
    auto admin = kafka::Admin::create(config_.internal_client_config());
    if (!admin.ok()) return admin.status();
    kafka::TopicSpec spec;
    spec.name = topic;
    spec.partitions = 1;
    spec.replication_factor =
        static_cast<int32_t>(config_.parsed().get_long("config.storage.replication.factor"));
    spec.configs["cleanup.policy"] = "compact";
    Status s = admin->create_topic(spec, kStoreTimeout);
    if (!s.ok() && s.code() != Status::Code::kConflict) {
      return s.with_context("creating the assignment topic " + topic);
    }
  }
  config_store_.set_listener(this);
  Status s = config_store_.start();
  if (!s.ok()) return s;

  storage::KafkaBasedLog::Options opts;
  opts.topic = topic;
  opts.client_settings = config_.internal_client_config();
  assignment_log_ =
      std::make_unique<storage::KafkaBasedLog>(opts, [this](const storage::LogRecord& rec) {
        if (rec.key && rec.key->starts_with(kLeavePrefix) && rec.value) {
          std::lock_guard lock(mu_);
          left_members_.insert(*rec.value);
          return;
        }
        if (!rec.key || *rec.key != kAssignmentKey || !rec.value) return;
        auto r = decode_assignment_record(*rec.value);
        if (!r.ok()) {
          logger_.warn("assignment.malformed", {{"offset", std::to_string(rec.offset)}});
          return;
        }
        {
          std::lock_guard lock(mu_);
          if (!latest_seen_ || !is_older(*r, *latest_seen_)) latest_seen_ = *r;
        }
        post([this, r = std::move(r).value()]() mutable { on_assignment_record(std::move(r)); });
      });
  s = assignment_log_->start(std::chrono::seconds(60));
  if (!s.ok()) return s;

  s = join_group();
  if (!s.ok()) return s;
  thread_ = std::thread([this] { run(); });
  ready_ = true;
  return Status::OK();
}

Status DistributedHerder::join_group() {
  ConfigMap settings = config_.internal_client_config();
  settings["group.id"] = group_id_;
  settings["client.id"] = worker_id_;
  settings["session.timeout.ms"] = config_.parsed().get_string("session.timeout.ms");
  settings["heartbeat.interval.ms"] = config_.parsed().get_string("heartbeat.interval.ms");
  settings["max.poll.interval.ms"] = config_.parsed().get_string("rebalance.timeout.ms");
  settings["enable.auto.commit"] = "false";
  settings["auto.offset.reset"] = "latest";
  settings["partition.assignment.strategy"] = "range";
  auto conf = kafka::make_conf(settings);
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_rebalance_cb(conf->get(), &DistributedHerder::rebalance_cb);
  rd_kafka_conf_set_opaque(conf->get(), this);
  auto rk = kafka::make_client(RD_KAFKA_CONSUMER, *conf);
  if (!rk.ok()) return rk.status();
  consumer_ = std::move(rk).value();
  rd_kafka_poll_set_consumer(consumer_.get());
  kafka::RdPartitionListPtr topics(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(topics.get(), config_topic_.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer_.get(), topics.get());
  if (err) return kafka::from_error(err, "joining group " + group_id_);
  logger_.info("group.joining", {{"group", group_id_}, {"worker_id", worker_id_}});
  return Status::OK();
}

void DistributedHerder::stop() {
  requests_.close();
  if (thread_.joinable()) thread_.join();
  if (consumer_) {
    // Say that this member leaves on purpose, so the leader moves its work at once instead of
    // holding it for scheduled.rebalance.max.delay.ms as it does for a worker that vanished.
    if (assignment_log_ && !member_id_.empty()) {
      storage::LogEntry entry{std::string(kLeavePrefix) + worker_id_, member_id_};
      Status s = assignment_log_->send_and_wait(std::span<const storage::LogEntry>(&entry, 1),
                                                std::chrono::seconds(5));
      if (!s.ok()) logger_.warn("group.leave.announce.failed", {{"error", s.message()}});
    }
    // Leaving the group makes the others rebalance at once.
    rd_kafka_consumer_close(consumer_.get());
    consumer_.reset();
  }
  if (assignment_log_) assignment_log_->stop();
  config_store_.set_listener(nullptr);
  config_store_.stop();
}

// ---- Herder thread ----

void DistributedHerder::run() {
  while (auto batch = requests_.take(kPollInterval)) {
    for (auto& fn : *batch) {
      try {
        fn();
      } catch (const std::exception& e) {
        logger_.error("herder.request.failed", {{"error", e.what()}});
      }
    }
    try {
      poll_group();
      if (leader_ && reassign_ && std::chrono::steady_clock::now() >= next_publish_attempt_) {
        publish_assignment();
      }
    } catch (const std::exception& e) {
      logger_.error("herder.tick.failed", {{"error", e.what()}});
    }
  }
  ready_ = false;
  // Stop what runs here first, so nobody else runs it twice for long, then leave (in stop()).
  stop_everything();
}

DistributedHerder::Routing DistributedHerder::routing() const {
  std::lock_guard lock(mu_);
  return routing_;
}

Status DistributedHerder::no_leader() const {
  return Status::conflict(
      "Cannot complete request momentarily due to no known leader URL, likely because a "
      "rebalance was underway.");
}

void DistributedHerder::update_routing() {
  std::lock_guard lock(mu_);
  routing_.leader = leader_;
  routing_.leader_url = applied_ ? applied_->leader_url : (latest_ ? latest_->leader_url : "");
  // Led the last generation but no longer: forwarding to ourselves would loop until a new
  // leader publishes; answer 409 meanwhile.
  if (!leader_ && routing_.leader_url == url_) routing_.leader_url.clear();
  routing_.task_owner.clear();
  if (applied_) {
    for (const auto& [worker, ma] : applied_->assignment) {
      for (const auto& t : ma.tasks) routing_.task_owner[t] = worker;
    }
  }
}

void DistributedHerder::rebalance_cb(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                                     rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  (void)rk;
  static_cast<DistributedHerder*>(opaque)->on_rebalance(err, partitions);
}

void DistributedHerder::on_rebalance(rd_kafka_resp_err_t err,
                                     rd_kafka_topic_partition_list_t* partitions) {
  // connect-worker-rebalance-metrics: from the group's callback to the applied assignment.
  metrics::Registry::global().worker().rebalance_started(std::chrono::steady_clock::now());
  rd_kafka_t* rk = consumer_.get();
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    rd_kafka_assign(rk, partitions);
    bool leads = false;
    for (int i = 0; i < partitions->cnt; ++i) {
      if (config_topic_ == partitions->elems[i].topic && partitions->elems[i].partition == 0) {
        leads = true;
      }
    }
    char* id = rd_kafka_memberid(rk);
    member_id_ = id ? id : "";
    if (id) rd_kafka_mem_free(rk, id);
    leader_ = leads;
    logger_.info("group.assigned",
                 {{"member_id", member_id_}, {"leader", leads ? "true" : "false"}});
    if (leads) {
      reassign_ = true;
      new_generation_ = true;
      next_publish_attempt_ = {};
    } else if (latest_) {
      // A record naming this member may already be here.
      on_assignment_record(*latest_);
    }
    update_routing();
  } else {
    if (rd_kafka_assignment_lost(rk)) {
      // Our session is gone: the group may already have handed our work to others.
      logger_.warn("group.assignment_lost", {{"member_id", member_id_}});
      stop_everything();
      applied_.reset();
    }
    rd_kafka_assign(rk, nullptr);
    leader_ = false;
    update_routing();
  }
}

void DistributedHerder::poll_group() {
  // Serves the rebalance callback; the config topic records themselves are of no use here.
  for (int i = 0; i < 100; ++i) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_.get(), 0);
    if (!m) break;
    if (m->err && m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      logger_.warn("group.error", {{"error", rd_kafka_err2str(m->err)}});
    }
    rd_kafka_message_destroy(m);
  }
}

void DistributedHerder::publish_assignment() {
  next_publish_attempt_ = std::chrono::steady_clock::now() + 1s;
  // Members of the group, by client.id (= worker id).
  const rd_kafka_group_list* groups = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_list_groups(consumer_.get(), group_id_.c_str(), &groups, 5000);
  if (err) {
    logger_.warn("group.describe.failed", {{"error", rd_kafka_err2str(err)}});
    return;
  }
  std::map<std::string, std::vector<std::string>> member_ids;
  std::string state;
  for (int g = 0; g < groups->group_cnt; ++g) {
    const rd_kafka_group_info& gi = groups->groups[g];
    if (group_id_ != gi.group) continue;
    state = gi.state ? gi.state : "";
    for (int m = 0; m < gi.member_cnt; ++m) {
      member_ids[gi.members[m].client_id].push_back(gi.members[m].member_id);
    }
  }
  rd_kafka_group_list_destroy(groups);
  if (state != "Stable" && state != "CompletingRebalance") {
    logger_.debug("group.not_stable", {{"state", state}});
    return;
  }
  bool me_included = false;
  for (const auto& [w, ids] : member_ids) {
    for (const auto& id : ids) me_included |= id == member_id_;
  }
  if (!me_included) return;  // a stale view of the group: try again

  Status s = config_store_.refresh(kStoreTimeout);
  if (s.ok()) s = assignment_log_->read_to_end(kStoreTimeout);
  if (!s.ok()) {
    logger_.warn("config.refresh.failed", {{"error", s.message()}});
    return;
  }
  {
    // The newest assignment read, even if its record still waits in our queue.
    std::lock_guard lock(mu_);
    if (latest_seen_ && (!latest_ || !is_older(*latest_seen_, *latest_))) latest_ = latest_seen_;
  }
  storage::ConfigSnapshot snap = config_store_.snapshot();
  std::map<std::string, int32_t> counts;
  for (const auto& c : snap.connectors()) {
    bool usable = snap.target_state(c) != TargetState::kStopped && !snap.inconsistent.count(c);
    counts[c] = usable ? snap.task_count(c) : 0;
  }
  std::vector<std::string> members;
  for (const auto& [w, ids] : member_ids) members.push_back(w);

  AssignmentRecord r;
  r.generation = latest_ ? latest_->generation : 0;
  r.sequence = latest_ ? latest_->sequence + 1 : 0;
  if (new_generation_ || !latest_) {
    ++r.generation;
    r.sequence = 0;
  }
  r.leader = worker_id_;
  r.leader_url = url_;
  r.member_ids = member_ids;
  Assignment previous = latest_ ? latest_->assignment : Assignment{};
  MemberAssignment withheld;
  r.lost = hold_lost_work(members, previous, withheld);
  r.assignment = assign(members, counts, previous, withheld);
  // While work is held back, look again at the earliest deadline.
  auto schedule_hold = [&] {
    if (r.lost.empty()) return;
    int64_t first = INT64_MAX;
    for (const auto& [w, lw] : r.lost) first = std::min(first, lw.deadline_ms);
    int64_t wait = std::max<int64_t>(0, first - wall_clock_ms()) + 50;
    reassign_ = true;
    next_publish_attempt_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait);
  };
  if (!new_generation_ && latest_ && latest_->assignment == r.assignment &&
      latest_->member_ids == r.member_ids && latest_->leader == worker_id_ &&
      latest_->lost == r.lost) {
    reassign_ = false;  // nothing changed
    schedule_hold();
    return;
  }
  std::string value = encode_assignment_record(r);
  storage::LogEntry entry{kAssignmentKey, value};
  s = assignment_log_->send_and_wait(std::span<const storage::LogEntry>(&entry, 1), kStoreTimeout);
  if (!s.ok()) {
    logger_.warn("assignment.publish.failed", {{"error", s.message()}});
    return;
  }
  logger_.info("assignment.published", {{"generation", std::to_string(r.generation)},
                                        {"sequence", std::to_string(r.sequence)},
                                        {"members", std::to_string(members.size())},
                                        {"connectors", std::to_string(counts.size())}});
  reassign_ = false;
  new_generation_ = false;
  schedule_hold();
  // Apply our own at once (the record read back will be a no-op).
  on_assignment_record(r);
}

std::map<std::string, LostWork> DistributedHerder::hold_lost_work(
    const std::vector<std::string>& members, Assignment& previous, MemberAssignment& withheld) {
  const int64_t now = wall_clock_ms();
  std::set<std::string> live(members.begin(), members.end());
  std::set<std::string> left;
  {
    std::lock_guard lock(mu_);
    left = left_members_;
  }
  // A worker whose every known member id announced a clean leave.
  auto left_cleanly = [&](const std::string& worker) {
    if (!latest_) return false;
    auto ids = latest_->member_ids.find(worker);
    if (ids == latest_->member_ids.end() || ids->second.empty()) return false;
    return std::all_of(ids->second.begin(), ids->second.end(),
                       [&](const std::string& id) { return left.count(id) > 0; });
  };
  std::map<std::string, LostWork> lost;
  if (latest_) {
    for (const auto& [worker, lw] : latest_->lost) {
      if (live.count(worker)) {
        // Back within the delay: it gets its work again (the assignor keeps what one had).
        MemberAssignment& mine = previous[worker];
        mine.connectors.insert(mine.connectors.end(), lw.work.connectors.begin(),
                               lw.work.connectors.end());
        mine.tasks.insert(mine.tasks.end(), lw.work.tasks.begin(), lw.work.tasks.end());
        logger_.info("assignment.lost.returned", {{"departed_worker", worker}});
      } else if (now < lw.deadline_ms) {
        lost[worker] = lw;
      } else {
        logger_.info(
            "assignment.lost.reassigned",
            {{"departed_worker", worker}, {"tasks", std::to_string(lw.work.tasks.size())}});
      }
    }
  }
  for (const auto& [worker, work] : previous) {
    if (live.count(worker) || lost.count(worker)) continue;
    if (work.connectors.empty() && work.tasks.empty()) continue;
    if (scheduled_delay_ms_ <= 0 || left_cleanly(worker)) continue;  // moves now
    lost[worker] = LostWork{work, now + scheduled_delay_ms_};
    logger_.info("assignment.lost.held", {{"departed_worker", worker},
                                          {"connectors", std::to_string(work.connectors.size())},
                                          {"tasks", std::to_string(work.tasks.size())},
                                          {"delay_ms", std::to_string(scheduled_delay_ms_)}});
  }
  for (const auto& [worker, lw] : lost) {
    withheld.connectors.insert(withheld.connectors.end(), lw.work.connectors.begin(),
                               lw.work.connectors.end());
    withheld.tasks.insert(withheld.tasks.end(), lw.work.tasks.begin(), lw.work.tasks.end());
  }
  return lost;
}

void DistributedHerder::on_assignment_record(AssignmentRecord r) {
  if (!latest_ || !is_older(r, *latest_)) latest_ = r;
  if (member_id_.empty()) return;
  auto ids = r.member_ids.find(worker_id_);
  if (ids == r.member_ids.end() ||
      std::find(ids->second.begin(), ids->second.end(), member_id_) == ids->second.end()) {
    return;  // not for this membership of ours
  }
  if (applied_ && applied_->generation == r.generation && applied_->sequence >= r.sequence &&
      applied_->leader == r.leader) {
    return;  // already applied
  }
  if (applied_ && r.generation < applied_->generation) return;
  apply(r);
}

void DistributedHerder::apply(const AssignmentRecord& r) {
  metrics::Registry::global().worker().rebalance_completed(std::chrono::steady_clock::now());
  applied_ = r;
  update_routing();
  status_.set_generation(static_cast<int32_t>(r.generation));
  Status s = config_store_.refresh(kStoreTimeout);
  if (!s.ok()) logger_.warn("config.refresh.failed", {{"error", s.message()}});
  storage::ConfigSnapshot snap = config_store_.snapshot();

  const MemberAssignment& mine =
      r.assignment.count(worker_id_) ? r.assignment.at(worker_id_) : MemberAssignment{};
  std::set<std::string> want_c(mine.connectors.begin(), mine.connectors.end());
  std::set<TaskId> want_t(mine.tasks.begin(), mine.tasks.end());

  std::vector<TaskId> stop_t;
  for (const auto& t : my_tasks_) {
    if (!want_t.count(t)) stop_t.push_back(t);
  }
  if (!stop_t.empty()) worker_.stop_tasks(stop_t);
  for (const auto& t : stop_t) {
    my_tasks_.erase(t);
    if (!snap.contains(t.connector) || t.task >= snap.task_count(t.connector)) {
      status_.remove_task(t);
    }
  }
  std::vector<std::string> stop_c;
  for (const auto& c : my_connectors_) {
    if (!want_c.count(c)) stop_c.push_back(c);
  }
  for (const auto& c : stop_c) {
    worker_.stop_connector(c);
    my_connectors_.erase(c);
  }
  logger_.info("assignment.applied", {{"generation", std::to_string(r.generation)},
                                      {"sequence", std::to_string(r.sequence)},
                                      {"connectors", std::to_string(want_c.size())},
                                      {"tasks", std::to_string(want_t.size())},
                                      {"stopped", std::to_string(stop_c.size() + stop_t.size())}});
  for (const auto& c : want_c) {
    if (!my_connectors_.count(c)) start_connector_here(c, false);
  }
  for (const auto& t : want_t) {
    if (!my_tasks_.count(t)) start_task_here(t, snap);
  }
}

void DistributedHerder::start_connector_here(const std::string& name, bool force) {
  storage::ConfigSnapshot snap = config_store_.snapshot();
  if (!snap.contains(name)) return;
  my_connectors_.insert(name);
  TargetState target = snap.target_state(name);
  const ConfigMap& cfg = snap.connector_configs.at(name);
  Status s = worker_.start_connector(name, cfg, target, *this);
  if (target == TargetState::kStopped) {
    if (snap.task_count(name) > 0 || snap.task_configs.count(name) == 0) {
      (void)config_store_.put_task_configs(name, {});
    }
    return;
  }
  if (!s.ok() || !worker_.connector_running(name)) return;
  auto configs = worker_.connector_task_configs(name);
  if (!configs.ok()) {
    status_.put_connector(name, StateInfo{runtime::kFailed, worker_id_,
                                          "org.apache.kafka.connect.errors.ConnectException: " +
                                              configs.status().message(),
                                          std::nullopt});
    return;
  }
  auto current = snap.task_configs.find(name);
  bool changed = current == snap.task_configs.end() || current->second != *configs ||
                 snap.inconsistent.count(name);
  if (changed || force) {
    Status w = config_store_.put_task_configs(name, *configs);
    if (!w.ok()) {
      logger_.error("task_configs.write.failed", {{"connector", name}, {"error", w.message()}});
    }
  }
}

void DistributedHerder::start_task_here(const TaskId& id, const storage::ConfigSnapshot& snap) {
  auto cfg = snap.connector_configs.find(id.connector);
  auto tasks = snap.task_configs.find(id.connector);
  if (cfg == snap.connector_configs.end() || tasks == snap.task_configs.end() ||
      id.task >= static_cast<int32_t>(tasks->second.size())) {
    return;
  }
  my_tasks_.insert(id);
  (void)worker_.start_task(id, cfg->second, tasks->second[id.task],
                           snap.target_state(id.connector));
}

void DistributedHerder::stop_everything() {
  std::vector<TaskId> tasks(my_tasks_.begin(), my_tasks_.end());
  if (!tasks.empty()) worker_.stop_tasks(tasks);
  for (const auto& c : my_connectors_) worker_.stop_connector(c);
  worker_.stop_all();
  my_tasks_.clear();
  my_connectors_.clear();
}

// ---- ConnectorContext and ConfigStore::Listener ----

void DistributedHerder::request_task_reconfiguration() {
  post([this] {
    storage::ConfigSnapshot snap = config_store_.snapshot();
    for (const auto& c : my_connectors_) {
      if (!worker_.connector_running(c) || snap.target_state(c) == TargetState::kStopped) continue;
      auto configs = worker_.connector_task_configs(c);
      if (!configs.ok()) continue;
      auto current = snap.task_configs.find(c);
      if (current == snap.task_configs.end() || current->second != *configs) {
        (void)config_store_.put_task_configs(c, *configs);
      }
    }
  });
}

void DistributedHerder::raise_error(const Status& error) {
  logger_.error("connector.raised_error", {{"error", error.message()}});
}

void DistributedHerder::on_connector_config_update(const std::string& connector) {
  post([this, connector] {
    if (leader_) reassign_ = true;
    if (my_connectors_.count(connector)) {
      // Updated: restart the connector and regenerate (and rewrite) its task configs, so that
      // the tasks restart with the new connector config.
      std::vector<TaskId> tasks;
      worker_.stop_connector(connector);
      my_connectors_.erase(connector);
      start_connector_here(connector, true);
    }
  });
}

void DistributedHerder::on_connector_config_remove(const std::string& connector) {
  post([this, connector] {
    if (leader_) reassign_ = true;
    std::vector<TaskId> tasks;
    for (const auto& t : my_tasks_) {
      if (t.connector == connector) tasks.push_back(t);
    }
    if (!tasks.empty()) worker_.stop_tasks(tasks);
    for (const auto& t : tasks) {
      my_tasks_.erase(t);
      status_.remove_task(t);
    }
    if (my_connectors_.erase(connector)) {
      worker_.stop_connector(connector);
      status_.remove_connector(connector);
    }
  });
}

void DistributedHerder::on_task_configs_commit(const std::string& connector, int32_t count) {
  post([this, connector, count] {
    if (leader_) reassign_ = true;
    storage::ConfigSnapshot snap = config_store_.snapshot();
    std::vector<TaskId> mine;
    for (const auto& t : my_tasks_) {
      if (t.connector == connector) mine.push_back(t);
    }
    if (mine.empty()) return;
    worker_.stop_tasks(mine);
    for (const auto& t : mine) {
      my_tasks_.erase(t);
      if (t.task >= count) {
        status_.remove_task(t);
      } else {
        start_task_here(t, snap);
      }
    }
  });
}

void DistributedHerder::on_target_state_change(const std::string& connector) {
  post([this, connector] {
    if (leader_) reassign_ = true;
    storage::ConfigSnapshot snap = config_store_.snapshot();
    TargetState target = snap.target_state(connector);
    if (my_connectors_.count(connector) && target == TargetState::kStopped) {
      // Stop: the connector shuts down and its task set becomes empty (commit of 0 tasks).
      worker_.stop_connector(connector);
      auto conn = status_.connector(connector);
      status_.put_connector(connector, StateInfo{runtime::kStopped, worker_id_, std::nullopt,
                                                 conn ? conn->version : std::nullopt});
      if (snap.task_count(connector) > 0) (void)config_store_.put_task_configs(connector, {});
      return;
    }
    if (my_connectors_.count(connector) && !worker_.connector_running(connector)) {
      // Resumed from STOPPED: start it and let it generate task configs.
      my_connectors_.erase(connector);
      start_connector_here(connector, false);
    }
    // Pause/resume of what runs here (connector and tasks).
    if (target != TargetState::kStopped) worker_.set_target_state(connector, target);
  });
}

void DistributedHerder::on_restart_request(const storage::RestartRequest& request) {
  post([this, request] {
    const std::string& name = request.connector;
    storage::ConfigSnapshot snap = config_store_.snapshot();
    if (!snap.contains(name)) return;
    if (my_connectors_.count(name)) {
      auto st = status_.connector(name);
      if (!request.only_failed || (st && st->state == runtime::kFailed)) {
        worker_.stop_connector(name);
        my_connectors_.erase(name);
        start_connector_here(name, false);
      }
    }
    if (!request.include_tasks) return;
    std::vector<TaskId> restart;
    for (const auto& t : my_tasks_) {
      if (t.connector != name) continue;
      auto st = status_.task(t);
      if (!request.only_failed || (st && st->state == runtime::kFailed)) restart.push_back(t);
    }
    if (restart.empty()) return;
    worker_.stop_tasks(restart);
    for (const auto& t : restart) {
      my_tasks_.erase(t);
      start_task_here(t, snap);
    }
  });
}

void DistributedHerder::on_logger_level(const std::string& logger_namespace,
                                        const std::string& level) {
  logger_.info("logger.cluster_level", {{"namespace", logger_namespace}, {"level", level}});
}

void DistributedHerder::on_session_key_update(const storage::SessionKey&) {}

// ---- Herder: reads (served locally from the stores) ----

ConnectorType DistributedHerder::type_from(const ConfigMap& config) {
  auto plugin = catalog_.connector(get_or(config, "connector.class"),
                                   get_or(config, "connector.plugin.version"));
  return plugin.ok() ? type_of((*plugin)->kind()) : ConnectorType::kUnknown;
}

ServerInfo DistributedHerder::server_info() {
  return {KANAL_VERSION_STRING, KANAL_GIT_COMMIT, cluster_id_};
}

Result<std::vector<std::string>> DistributedHerder::connectors() {
  return config_store_.snapshot().connectors();
}

Result<ConnectorInfo> DistributedHerder::connector_info(const std::string& name) {
  storage::ConfigSnapshot snap = config_store_.snapshot();
  if (!snap.contains(name)) return unknown_connector(name);
  ConnectorInfo info{name, snap.connector_configs.at(name), {}, ConnectorType::kUnknown};
  info.type = type_from(info.config);
  for (int32_t i = 0; i < snap.task_count(name); ++i) info.tasks.push_back(TaskId{name, i});
  return info;
}

Result<ConfigMap> DistributedHerder::connector_config(const std::string& name) {
  storage::ConfigSnapshot snap = config_store_.snapshot();
  if (!snap.contains(name)) return unknown_connector(name);
  return snap.connector_configs.at(name);
}

Result<ConnectorStatus> DistributedHerder::connector_status(const std::string& name) {
  auto info = connector_info(name);
  if (!info.ok()) return info.status();
  ConnectorStatus out;
  out.name = name;
  out.type = info->type;
  out.connector = status_.connector(name).value_or(
      StateInfo{runtime::kUnassigned, "", std::nullopt, std::nullopt});
  std::map<int32_t, StateInfo> known;
  for (auto& [id, st] : status_.tasks(name)) known[id] = st;
  for (const auto& t : info->tasks) {
    auto it = known.find(t.task);
    out.tasks.push_back(
        TaskState{t.task, it != known.end()
                              ? it->second
                              : StateInfo{runtime::kUnassigned, "", std::nullopt, std::nullopt}});
  }
  return out;
}

Result<StateInfo> DistributedHerder::task_status(const TaskId& id) {
  storage::ConfigSnapshot snap = config_store_.snapshot();
  if (!snap.contains(id.connector)) return unknown_connector(id.connector);
  if (id.task < 0 || id.task >= snap.task_count(id.connector)) {
    return Status::not_found("No status found for task " + id.connector + "-" +
                             std::to_string(id.task));
  }
  return status_.task(id).value_or(StateInfo{runtime::kUnassigned, "", std::nullopt, std::nullopt});
}

Result<std::vector<TaskInfo>> DistributedHerder::task_configs(const std::string& name) {
  storage::ConfigSnapshot snap = config_store_.snapshot();
  if (!snap.contains(name)) return unknown_connector(name);
  std::vector<TaskInfo> out;
  auto it = snap.task_configs.find(name);
  if (it == snap.task_configs.end()) return out;
  for (size_t i = 0; i < it->second.size(); ++i) {
    out.push_back(TaskInfo{TaskId{name, static_cast<int32_t>(i)}, it->second[i]});
  }
  return out;
}

Result<std::vector<std::string>> DistributedHerder::active_topics(const std::string& name) {
  if (!config_store_.snapshot().contains(name)) return unknown_connector(name);
  return status_.topics(name);
}

Status DistributedHerder::reset_active_topics(const std::string& name) {
  if (!config_.parsed().get_bool("topic.tracking.allow.reset")) {
    return Status::conflict("Topic tracking reset is disabled.");
  }
  if (!config_store_.snapshot().contains(name)) return unknown_connector(name);
  status_.reset_topics(name);
  return Status::OK();
}

Result<std::vector<PartitionOffset>> DistributedHerder::connector_offsets(const std::string& name) {
  storage::ConfigSnapshot snap = config_store_.snapshot();
  if (!snap.contains(name)) return unknown_connector(name);
  const ConfigMap& config = snap.connector_configs.at(name);
  if (type_from(config) == ConnectorType::kSink) return sink_offsets(worker_, name, config);
  return source_offsets(offsets_, name);
}

// Any worker may change offsets (no forwarding): the connector is STOPPED, so no task of it runs
// anywhere and nobody else writes these offsets. The config topic is read to its end first, so
// a stop just made through another worker is seen.
Result<std::string> DistributedHerder::modify_offsets(const std::string& name,
                                                      std::vector<PartitionOffset> offsets,
                                                      bool reset) {
  Status refreshed = config_store_.refresh(kStoreTimeout);
  if (!refreshed.ok()) return refreshed;
  storage::ConfigSnapshot snap = config_store_.snapshot();
  if (!snap.contains(name)) return unknown_connector(name);
  if (snap.target_state(name) != TargetState::kStopped || snap.task_count(name) > 0) {
    return Status::invalid_argument(
        "Connectors must be in the STOPPED state before their offsets can be modified. This can "
        "be done for the specified connector by issuing a 'PUT' request to the "
        "'/connectors/" +
        name + "/stop' endpoint");
  }
  const ConfigMap& config = snap.connector_configs.at(name);
  ConnectorType type = type_from(config);
  if (type == ConnectorType::kUnknown) {
    return Status::invalid_argument("Cannot tell whether connector " + name +
                                    " is a source or a sink: its plugin is not installed here");
  }
  return modify_connector_offsets(
      worker_, offsets_,
      type == ConnectorType::kSink ? ConnectorKind::kSink : ConnectorKind::kSource, name, config,
      std::move(offsets), reset);
}

Result<std::string> DistributedHerder::alter_connector_offsets(
    const std::string& name, std::vector<PartitionOffset> offsets) {
  return modify_offsets(name, std::move(offsets), false);
}

Result<std::string> DistributedHerder::reset_connector_offsets(const std::string& name) {
  return modify_offsets(name, {}, true);
}

std::vector<PluginInfo> DistributedHerder::plugins(bool connectors_only) {
  return catalog_.plugins(connectors_only);
}

Result<std::vector<ConfigKeyInfo>> DistributedHerder::plugin_config(const std::string& plugin_class,
                                                                    const std::string& version) {
  return plugin_config_keys(catalog_, converters_, transforms_, plugin_class, version);
}

Result<ConfigInfos> DistributedHerder::validate_connector_config(const std::string& plugin_class,
                                                                 ConfigMap config) {
  return validate_connector(config_, catalog_, converters_, transforms_, plugin_class, config);
}

// ---- Herder: writes (leader; forwarded by followers) ----

Result<PutResult> DistributedHerder::leader_put(const std::string& name, const ConfigMap& config,
                                                bool allow_replace,
                                                std::optional<TargetState> initial) {
  storage::ConfigSnapshot snap = config_store_.snapshot();
  bool exists = snap.contains(name);
  if (exists && !allow_replace) return Status::conflict("Connector " + name + " already exists");
  Status s = config_store_.put_connector_config(name, config, exists ? std::nullopt : initial);
  if (!s.ok()) return s;
  logger_.info(exists ? "connector.updated" : "connector.created", {{"connector", name}});
  PutResult out;
  out.created = !exists;
  out.info = ConnectorInfo{name, config, {}, type_from(config)};
  if (exists) {
    for (int32_t i = 0; i < snap.task_count(name); ++i) out.info.tasks.push_back(TaskId{name, i});
  }
  return out;
}

Result<PutResult> DistributedHerder::put_connector_config(const std::string& name, ConfigMap config,
                                                          bool allow_replace,
                                                          std::optional<TargetState> initial) {
  config["name"] = name;
  std::string cls = get_or(config, "connector.class");
  if (config::trim(cls).empty()) {
    return Status::invalid_argument("Connector config {" + name + "} contains no connector type");
  }
  auto infos = validate_connector(config_, catalog_, converters_, transforms_, cls, config);
  if (!infos.ok()) return infos.status();
  if (infos->error_count > 0) return Status::invalid_argument(validation_failure_message(*infos));

  Routing r = routing();
  if (r.leader) {
    return call<PutResult>([this, name, config, allow_replace, initial]() {
      return leader_put(name, config, allow_replace, initial);
    });
  }
  if (r.leader_url.empty()) return no_leader();
  rapidjson::StringBuffer sb;
  Writer w(sb);
  HttpReply reply;
  if (allow_replace) {
    write_config(w, config);
    reply = http_call(config_, r.leader_url, "PUT",
                      "/connectors/" + rest::percent_encode_segment(name) + "/config",
                      sb.GetString(), kForwardTimeout);
  } else {
    w.StartObject();
    w.Key("name");
    write_string(w, name);
    w.Key("config");
    write_config(w, config);
    if (initial) {
      w.Key("initial_state");
      w.String(target_state_name(*initial));
    }
    w.EndObject();
    reply =
        http_call(config_, r.leader_url, "POST", "/connectors", sb.GetString(), kForwardTimeout);
  }
  if (reply.status != 200 && reply.status != 201) return status_of_reply(reply);
  auto info = parse_connector_info(reply.body);
  if (!info.ok()) return info.status();
  return PutResult{std::move(info).value(), reply.status == 201};
}

Result<ConnectorInfo> DistributedHerder::patch_connector_config(const std::string& name,
                                                                ConfigMap set,
                                                                std::vector<std::string> remove) {
  auto current = connector_config(name);
  if (!current.ok()) return current.status();
  ConfigMap merged = std::move(current).value();
  for (auto& [k, v] : set) merged[k] = v;
  for (const auto& k : remove) merged.erase(k);
  auto r = put_connector_config(name, std::move(merged), true, std::nullopt);
  if (!r.ok()) return r.status();
  return r->info;
}

Status DistributedHerder::delete_connector(const std::string& name) {
  Routing r = routing();
  if (r.leader) {
    return call_status([this, name]() -> Status {
      if (!config_store_.snapshot().contains(name)) return unknown_connector(name);
      Status s = config_store_.remove_connector_config(name);
      if (!s.ok()) return s;
      status_.remove_connector(name);
      logger_.info("connector.deleted", {{"connector", name}});
      return Status::OK();
    });
  }
  if (r.leader_url.empty()) return no_leader();
  HttpReply reply =
      http_call(config_, r.leader_url, "DELETE",
                "/connectors/" + rest::percent_encode_segment(name), "", kForwardTimeout);
  if (reply.status == 204 || reply.status == 200) return Status::OK();
  return status_of_reply(reply);
}

Result<std::optional<ConnectorStatus>> DistributedHerder::restart_connector(const std::string& name,
                                                                            bool include_tasks,
                                                                            bool only_failed) {
  using R = std::optional<ConnectorStatus>;
  Routing r = routing();
  if (!r.leader) {
    if (r.leader_url.empty()) return no_leader();
    std::string path = "/connectors/" + rest::percent_encode_segment(name) +
                       "/restart?includeTasks=" + (include_tasks ? "true" : "false") +
                       "&onlyFailed=" + (only_failed ? "true" : "false");
    HttpReply reply = http_call(config_, r.leader_url, "POST", path, "", kForwardTimeout);
    if (reply.status == 204 || reply.status == 200) return R{};
    if (reply.status != 202) return status_of_reply(reply);
    // Answered with the status after the request: read it here (same view).
    auto st = connector_status(name);
    if (!st.ok()) return st.status();
    return R{std::move(st).value()};
  }
  auto before = connector_status(name);
  if (!before.ok()) return before.status();
  Status s = call_status([this, name, include_tasks, only_failed]() {
    return config_store_.put_restart_request({name, include_tasks, only_failed});
  });
  if (!s.ok()) return s;
  if (!include_tasks && !only_failed) return R{};
  ConnectorStatus cs = std::move(before).value();
  if (!only_failed || cs.connector.state == runtime::kFailed) {
    cs.connector.state = runtime::kRestarting;
  }
  if (include_tasks) {
    for (auto& t : cs.tasks) {
      if (!only_failed || t.state.state == runtime::kFailed) t.state.state = runtime::kRestarting;
    }
  }
  return R{std::move(cs)};
}

Status DistributedHerder::restart_task(const TaskId& id) {
  storage::ConfigSnapshot snap = config_store_.snapshot();
  if (!snap.contains(id.connector)) return unknown_connector(id.connector);
  if (id.task < 0 || id.task >= snap.task_count(id.connector)) {
    return Status::not_found("Task " + id.connector + "-" + std::to_string(id.task) + " not found");
  }
  Routing r = routing();
  auto owner = r.task_owner.find(id);
  if (owner == r.task_owner.end()) return no_leader();
  if (owner->second == worker_id_) {
    return call_status([this, id]() -> Status {
      storage::ConfigSnapshot s = config_store_.snapshot();
      if (my_tasks_.count(id)) {
        worker_.stop_tasks({id});
        my_tasks_.erase(id);
      }
      start_task_here(id, s);
      return Status::OK();
    });
  }
  HttpReply reply = http_call(config_, scheme_of(url_) + "://" + owner->second + "/", "POST",
                              "/connectors/" + rest::percent_encode_segment(id.connector) +
                                  "/tasks/" + std::to_string(id.task) + "/restart",
                              "", kForwardTimeout);
  if (reply.status == 204 || reply.status == 200) return Status::OK();
  return status_of_reply(reply);
}

Status DistributedHerder::pause_connector(const std::string& name) {
  if (!config_store_.snapshot().contains(name)) return unknown_connector(name);
  return config_store_.put_target_state(name, TargetState::kPaused);
}

Status DistributedHerder::resume_connector(const std::string& name) {
  if (!config_store_.snapshot().contains(name)) return unknown_connector(name);
  return config_store_.put_target_state(name, TargetState::kStarted);
}

Status DistributedHerder::stop_connector(const std::string& name) {
  Routing r = routing();
  if (r.leader) {
    return call_status([this, name]() -> Status {
      if (!config_store_.snapshot().contains(name)) return unknown_connector(name);
      Status s = config_store_.put_target_state(name, TargetState::kStopped);
      if (!s.ok()) return s;
      return config_store_.put_task_configs(name, {});
    });
  }
  if (r.leader_url.empty()) return no_leader();
  HttpReply reply =
      http_call(config_, r.leader_url, "PUT",
                "/connectors/" + rest::percent_encode_segment(name) + "/stop", "", kForwardTimeout);
  if (reply.status >= 200 && reply.status < 300) return Status::OK();
  return status_of_reply(reply);
}

}  // namespace kanal::herder
