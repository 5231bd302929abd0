// DistributedHerder: the herder of `kanal distributed` (Kafka Connect's DistributedHerder).
//
// Cluster state lives in Kafka: connector configs, task configs and target states in the config
// topic (storage::ConfigStore), statuses in the status topic (storage::StatusTopicStore), source
// offsets in the offsets topic. Every worker reads all three, so reads are answered locally.
//
// Membership and leadership come from Kafka's group coordinator, through librdkafka: each worker
// runs a consumer in group `group.id` (client.id = its worker id, the advertised host:port)
// subscribed to the one-partition config topic; the member assigned partition 0 leads that
// generation. The leader lists the members (DescribeGroups), computes a balanced sticky
// assignment (herder/assignment.h) and publishes it as one record on the compacted topic
// `<config.storage.topic>-kanal-assignment` (a topic of kanal's own: the ConfigStore skips
// unknown keys, and Java workers never read it). The record carries the leader's generation
// counter, the members' group member ids and the leader's URL; each worker applies the latest
// record that names its current member id and starts/stops only what changed. The leader
// publishes again when connectors, task counts or target states change.
//
// Writes that Connect sends to the leader (create/update/delete, stop, restart) are forwarded
// over HTTP to the leader's URL by a follower; 409 while no leader is known. Pause/resume are
// written by any worker. The worker running a connector generates its task configs and writes
// them (task-*, commit-*) through the ConfigStore; task owners restart their tasks when a commit
// changes them.
//
// Threads: one herder thread owns the Worker and every lifecycle decision; it also polls the
// group consumer (whose rebalance callback therefore runs on it). Store and log callbacks post to
// its queue. Public methods are thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "herder/assignment.h"
#include "herder/herder.h"
#include "herder/request_queue.h"
#include "kafka/client.h"
#include "runtime/worker.h"
#include "storage/config_store.h"
#include "storage/kafka_based_log.h"
#include "storage/status_topic_store.h"

namespace kanal::herder {

// The work of a worker that left the group without saying so (crash, kill -9, network loss),
// held back for `scheduled.rebalance.max.delay.ms` in case it comes back (Connect's delayed
// rebalance). A worker that stops cleanly says so first and its work moves at once.
struct LostWork {
  MemberAssignment work;
  int64_t deadline_ms = 0;  // wall clock (ms since the epoch): reassigned from then on
  friend bool operator==(const LostWork&, const LostWork&) = default;
};

// One published assignment (the record on the assignment topic).
struct AssignmentRecord {
  int64_t generation = 0;  // the leader's counter: +1 per rebalance the leader handles
  int64_t sequence = 0;    // +1 per publication within a generation
  std::string leader;      // worker id of the leader
  std::string leader_url;  // its advertised URL, where followers forward writes
  // Worker id → the group member ids it had (a restarted worker may briefly have two).
  std::map<std::string, std::vector<std::string>> member_ids;
  Assignment assignment;
  // Worker id → its work withheld from everyone until its deadline (see LostWork).
  std::map<std::string, LostWork> lost;
};

// JSON codec of the assignment record (kanal's own format).
std::string encode_assignment_record(const AssignmentRecord& record);
Result<AssignmentRecord> decode_assignment_record(const std::string& json);

class DistributedHerder : public Herder,
                          private runtime::ConnectorContext,
                          private storage::ConfigStore::Listener {
 public:
  // Every reference is borrowed and must outlive the herder. `config_store` must not be started
  // yet: start() sets itself as its listener and starts it.
  DistributedHerder(const config::WorkerConfig& config, runtime::Worker& worker,
                    storage::ConfigStore& config_store, storage::StatusTopicStore& status,
                    storage::OffsetBackingStore& offsets, runtime::PluginCatalog& catalog,
                    const data::ConverterRegistry& converters,
                    const transforms::TransformRegistry& transforms, std::string kafka_cluster_id);
  ~DistributedHerder() override;

  // This worker's id (advertised host:port) and URL; call before start().
  void set_identity(std::string worker_id, std::string advertised_url);
  // Starts the config store, the assignment log (creating its topic if absent), joins the group
  // and starts the herder thread. Errors from the stores and the consumer.
  Status start();
  // Stops every connector and task, then leaves the group (the others rebalance at once) and
  // stops the herder thread. Idempotent.
  void stop();

  // Herder
  bool ready() const override { return ready_; }
  ServerInfo server_info() override;
  std::string worker_id() const override { return worker_id_; }
  Result<std::vector<std::string>> connectors() override;
  Result<ConnectorInfo> connector_info(const std::string& name) override;
  Result<ConfigMap> connector_config(const std::string& name) override;
  Result<PutResult> put_connector_config(const std::string& name, ConfigMap config,
                                         bool allow_replace,
                                         std::optional<TargetState> initial_state) override;
  Result<ConnectorInfo> patch_connector_config(const std::string& name, ConfigMap set,
                                               std::vector<std::string> remove) override;
  Status delete_connector(const std::string& name) override;
  Result<ConnectorStatus> connector_status(const std::string& name) override;
  Result<StateInfo> task_status(const TaskId& id) override;
  Result<std::vector<TaskInfo>> task_configs(const std::string& name) override;
  Result<std::optional<ConnectorStatus>> restart_connector(const std::string& name,
                                                           bool include_tasks,
                                                           bool only_failed) override;
  Status restart_task(const TaskId& id) override;
  Status pause_connector(const std::string& name) override;
  Status resume_connector(const std::string& name) override;
  Status stop_connector(const std::string& name) override;
  Result<std::vector<std::string>> active_topics(const std::string& name) override;
  Status reset_active_topics(const std::string& name) override;
  Result<std::vector<PartitionOffset>> connector_offsets(const std::string& name) override;
  Result<std::string> alter_connector_offsets(const std::string& name,
                                              std::vector<PartitionOffset> offsets) override;
  Result<std::string> reset_connector_offsets(const std::string& name) override;
  std::vector<PluginInfo> plugins(bool connectors_only) override;
  Result<std::vector<ConfigKeyInfo>> plugin_config(const std::string& plugin_class,
                                                   const std::string& version) override;
  Result<ConfigInfos> validate_connector_config(const std::string& plugin_class,
                                                ConfigMap config) override;

 private:
  // Where a REST thread sends a write: here (leader), to `leader_url`, or nowhere (409).
  struct Routing {
    bool leader = false;
    std::string leader_url;
    std::map<TaskId, std::string> task_owner;  // worker id per task, from the last assignment
  };

  // ConnectorContext
  void request_task_reconfiguration() override;
  void raise_error(const Status& error) override;
  // ConfigStore::Listener (log thread: post and return)
  void on_connector_config_update(const std::string& connector) override;
  void on_connector_config_remove(const std::string& connector) override;
  void on_task_configs_commit(const std::string& connector, int32_t task_count) override;
  void on_target_state_change(const std::string& connector) override;
  void on_restart_request(const storage::RestartRequest& request) override;
  void on_logger_level(const std::string& logger_namespace, const std::string& level) override;
  void on_session_key_update(const storage::SessionKey& key) override;

  template <typename T>
  Result<T> call(std::function<Result<T>()> fn) {
    return requests_.call<T>(std::move(fn));
  }
  Status call_status(std::function<Status()> fn) { return requests_.call_status(std::move(fn)); }
  void post(std::function<void()> fn) { requests_.post(std::move(fn)); }
  void run();
  Routing routing() const;
  // Status for a write on a follower that cannot forward.
  Status no_leader() const;

  // Herder thread.
  Status join_group();
  static void rebalance_cb(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* partitions, void* opaque);
  void on_rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions);
  void poll_group();
  void publish_assignment();
  // Leader: the work of workers gone from `members` without a clean leave, held back until its
  // deadline; what it holds is added to `withheld`. A held worker that is back gets its work
  // again through `previous`.
  std::map<std::string, LostWork> hold_lost_work(const std::vector<std::string>& members,
                                                 Assignment& previous, MemberAssignment& withheld);
  void on_assignment_record(AssignmentRecord record);
  void apply(const AssignmentRecord& record);
  void start_connector_here(const std::string& name, bool force_task_configs);
  void start_task_here(const TaskId& id, const storage::ConfigSnapshot& snap);
  void stop_everything();
  void update_routing();

  // The connector type a config names (thread-safe: asks the catalog).
  ConnectorType type_from(const ConfigMap& config);

  // PATCH/DELETE .../offsets of a STOPPED connector (any thread).
  Result<std::string> modify_offsets(const std::string& name, std::vector<PartitionOffset> offsets,
                                     bool reset);

  // Leader-side writes (herder thread).
  Result<PutResult> leader_put(const std::string& name, const ConfigMap& config, bool allow_replace,
                               std::optional<TargetState> initial);

  const config::WorkerConfig& config_;
  runtime::Worker& worker_;
  storage::ConfigStore& config_store_;
  storage::StatusTopicStore& status_;
  storage::OffsetBackingStore& offsets_;
  runtime::PluginCatalog& catalog_;
  const data::ConverterRegistry& converters_;
  const transforms::TransformRegistry& transforms_;
  std::string cluster_id_;
  std::string worker_id_;
  std::string url_;
  std::string group_id_;
  std::string config_topic_;
  std::atomic<bool> ready_{false};
  log::Logger logger_;

  kafka::RdKafkaPtr consumer_;  // herder thread only after start()

  // Herder thread only.
  bool leader_ = false;
  bool reassign_ = false;        // leader: publish a new assignment
  bool new_generation_ = false;  // leader: the next publication starts a generation
  std::string member_id_;
  std::optional<AssignmentRecord> latest_;   // the newest record read
  std::optional<AssignmentRecord> applied_;  // the record this worker runs
  std::set<std::string> my_connectors_;
  std::set<TaskId> my_tasks_;
  std::chrono::steady_clock::time_point next_publish_attempt_{};
  int64_t scheduled_delay_ms_ = 0;  // scheduled.rebalance.max.delay.ms

  mutable std::mutex mu_;
  RequestQueue requests_{std::chrono::seconds(90)};
  Routing routing_;  // guarded by mu_
  // The newest record the assignment log read (its callback stores it here too).
  std::optional<AssignmentRecord> latest_seen_;  // guarded by mu_
  // Group member ids of workers that announced a clean leave (their work moves at once).
  std::set<std::string> left_members_;  // guarded by mu_
  std::thread thread_;

  // Last: its thread calls back into the state above, which must outlive it.
  std::unique_ptr<storage::KafkaBasedLog> assignment_log_;
};

}  // namespace kanal::herder
