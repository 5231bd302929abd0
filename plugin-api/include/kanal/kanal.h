/*
 * kanal plugin ABI, version 1.1 -- the contract between the kanal worker (the host) and a
 * plugin shared library. Plain C99; C++ authors use <kanal/kanal.hpp> on top of it.
 *
 * Rules that hold for everything below:
 *
 * - One exported symbol per library: kanal_plugin_entry (see the end of this file). Everything
 *   else in a plugin is hidden; the host opens libraries with RTLD_NOW | RTLD_LOCAL.
 * - Versions: KANAL_ABI_MAJOR / KANAL_ABI_MINOR. The plugin reports what it was built against;
 *   the host refuses another major. Within a major either side may be newer, so every struct
 *   that crosses starts with `uint32_t struct_size` (sizeof as its writer compiled it), only
 *   grows at the end, and is checked with KANAL_HAS_FIELD before a field past 1.0 is read.
 *   The host table says which functions it has the same way.
 * - Integers are fixed-width; booleans are uint8_t (0 or 1); enum-typed fields are int32_t with
 *   #defined values. No struct is passed by value. kanal_str and kanal_kv are frozen (never
 *   grow) and carry no struct_size.
 * - Strings and bytes are pointer + length, not NUL-terminated, UTF-8, and borrowed for the
 *   duration of the call unless a comment says otherwise.
 * - Fallible calls return kanal_status (KANAL_OK = 0) and write a message into the caller's
 *   buffer `char* err, size_t err_size`: always NUL-terminated, truncated rather than overrun.
 *   KANAL_ERR_RETRIABLE stands for Kafka Connect's RetriableException.
 * - Handles are opaque and destroyed by the side that created them: plugin objects (connector,
 *   task, transformation, ...) by the plugin's `destroy`, host objects (values, schemas) by the
 *   host table's `*_destroy`. Memory never crosses to be freed on the other side.
 * - Arrays of extensible structs are passed as arrays of pointers, so each element carries its
 *   own struct_size.
 * - No exception, longjmp or C++ type crosses this boundary.
 *
 * Threads: a connector instance is driven by one thread at a time (the worker's herder). A task
 * is driven by its own task thread; only the source task's `stop` may be called from another
 * thread. Host functions may be called from any thread that is inside a call from the host,
 * and from threads the plugin owns, unless a comment restricts them.
 */
#ifndef KANAL_KANAL_H_
#define KANAL_KANAL_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------- */
/* Versions and common types                                                                 */

#define KANAL_ABI_MAJOR 1
#define KANAL_ABI_MINOR 1
/* 0xMMmm0000 style, as librdkafka's RD_KAFKA_VERSION: compare what was compiled against with
 * what the other side reports at run time. */
#define KANAL_ABI_VERSION ((KANAL_ABI_MAJOR << 24) | (KANAL_ABI_MINOR << 16))

/* True when the struct at `ptr`, written by the other side, is large enough to hold `field`. */
#define KANAL_HAS_FIELD(type, ptr, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

typedef int32_t kanal_status;
#define KANAL_OK 0
#define KANAL_ERR 1             /* failed; not worth retrying (Connect's ConnectException) */
#define KANAL_ERR_RETRIABLE 2   /* failed; the same call may succeed later (RetriableException) */
#define KANAL_ERR_CONFIG 3      /* a setting is missing or invalid (ConfigException) */
#define KANAL_ERR_NOT_FOUND 4   /* the named field, key or object does not exist */
#define KANAL_ERR_TYPE 5        /* a value does not match the schema or type it is used with */
#define KANAL_ERR_UNSUPPORTED 6 /* the operation is not implemented by this side */
#define KANAL_ERR_NO_MEMORY 7   /* an allocation failed */

/* A borrowed UTF-8 string: pointer plus length. Frozen. `ptr` may be NULL when `len` is 0. */
typedef struct kanal_str {
  const char* ptr;
  size_t len;
} kanal_str;

/* A kanal_str initializer from a string literal, usable in static initializers. */
#define KANAL_STR(literal) \
  { (literal), sizeof(literal) - 1 }

/* A borrowed key/value pair of strings. Frozen. */
typedef struct kanal_kv {
  kanal_str key;
  kanal_str value;
} kanal_kv;

/* A set of string settings: a connector, task, transformation or converter config. Borrowed for
 * the call that receives it; copy what you keep. */
typedef struct kanal_config {
  uint32_t struct_size;
  const kanal_kv* entries;
  size_t count;
} kanal_config;

/* Log levels for kanal_host.log. */
#define KANAL_LOG_TRACE 0
#define KANAL_LOG_DEBUG 1
#define KANAL_LOG_INFO 2
#define KANAL_LOG_WARN 3
#define KANAL_LOG_ERROR 4

/* ---------------------------------------------------------------------------------------- */
/* Host-owned handles                                                                        */

/* A Connect schema (org.apache.kafka.connect.data.Schema). Immutable. A NULL schema pointer
 * means "no schema" (schemaless data). Owned handles come from schema_build/schema_copy and are
 * released with schema_destroy; borrowed ones (in records, field schemas) live as long as the
 * object they were read from. */
typedef struct kanal_schema kanal_schema;
/* A schema under construction; from schema_builder_new, consumed by schema_build. */
typedef struct kanal_schema_builder kanal_schema_builder;
/* A Connect value: null, boolean, int8..int64, float32/64, string, bytes, array, map, struct.
 * Logical types keep Connect's physical form (Decimal = bytes of the big-endian two's-complement
 * unscaled value, Date/Time = int32, Timestamp = int64). Owned handles come from value_* and are
 * released with value_destroy unless passed to a call that takes them. Where a plugin hands a
 * kanal_value* to the host, NULL stands for a null value. */
typedef struct kanal_value kanal_value;
/* Opaque host objects a plugin fills through host functions during one call. */
typedef struct kanal_source_batch kanal_source_batch;
typedef struct kanal_task_configs kanal_task_configs;
typedef struct kanal_validation kanal_validation;
typedef struct kanal_record_out kanal_record_out;
typedef struct kanal_buffer kanal_buffer;
/* A connector's or task's context: identifies it in logs and carries its callbacks. Created by
 * the host before the object's `create`, valid until its `destroy` returns. NULL is allowed
 * wherever a context is taken for logging (the line then has no connector/task prefix). */
typedef struct kanal_context kanal_context;

/* Schema and value types (Connect's Schema.Type). KANAL_TYPE_NULL only describes values. */
#define KANAL_TYPE_NULL 0
#define KANAL_TYPE_INT8 1
#define KANAL_TYPE_INT16 2
#define KANAL_TYPE_INT32 3
#define KANAL_TYPE_INT64 4
#define KANAL_TYPE_FLOAT32 5
#define KANAL_TYPE_FLOAT64 6
#define KANAL_TYPE_BOOLEAN 7
#define KANAL_TYPE_STRING 8
#define KANAL_TYPE_BYTES 9
#define KANAL_TYPE_ARRAY 10
#define KANAL_TYPE_MAP 11
#define KANAL_TYPE_STRUCT 12

/* ---------------------------------------------------------------------------------------- */
/* Records                                                                                   */

#define KANAL_NO_PARTITION (-1) /* kafka partition unset: the producer's partitioner picks */
#define KANAL_NO_TIMESTAMP INT64_MIN

/* One record header. In kanal_source_record the plugin owns `value` until it passes the record
 * to source_batch_append; in records the host passes, everything is borrowed. */
typedef struct kanal_header {
  uint32_t struct_size;
  kanal_str key;
  const kanal_schema* schema; /* may be NULL */
  kanal_value* value;         /* in records from the host never NULL; from a plugin NULL = null */
} kanal_header;

/* A record produced by a source task (Connect's SourceRecord). Filled by the plugin, handed to
 * source_batch_append, which takes every kanal_value* in it (key, value, header values,
 * source_partition, source_offset) whether it succeeds or not; schemas and strings are
 * borrowed (the host keeps its own reference). */
typedef struct kanal_source_record {
  uint32_t struct_size;
  kanal_str topic;
  int32_t partition;              /* KANAL_NO_PARTITION or >= 0 */
  const kanal_schema* key_schema; /* may be NULL */
  kanal_value* key;               /* NULL = null key */
  const kanal_schema* value_schema;
  kanal_value* value; /* NULL = null value (a tombstone) */
  int64_t timestamp;  /* ms since the epoch, or KANAL_NO_TIMESTAMP */
  const kanal_header* const* headers;
  size_t header_count;
  kanal_value* source_partition; /* a MAP with string keys and primitive values; NULL = empty */
  kanal_value* source_offset;    /* same; NULL = empty */
} kanal_source_record;

/* A run of source records that differ only in value, key and source offset (ABI 1.1): the
 * shape of a task reading one stream, e.g. lines of a file. Handed over with
 * source_batch_append_run in one call, without a value handle per field; the host builds the
 * same records source_batch_append would get from one kanal_source_record each:
 * - value i: `values[i]` as a STRING when value_schema is NULL or STRING, as BYTES when it is
 *   BYTES (any other value schema is refused); never a null value;
 * - key i: all null when `keys` is NULL, else `keys[i]` typed by key_schema the same way;
 * - source offset i: a MAP of offset_keys[k] -> INT64 offsets[i * offset_key_count + k], in
 *   that order; an empty map when offset_key_count is 0;
 * - topic, partition, schemas, timestamp and source_partition (a MAP, NULL = empty) shared.
 * Records carry no headers. Everything is borrowed for the duration of the call. */
typedef struct kanal_source_run {
  uint32_t struct_size;
  kanal_str topic;
  int32_t partition;              /* KANAL_NO_PARTITION or >= 0 */
  const kanal_schema* key_schema; /* may be NULL */
  const kanal_schema* value_schema;
  int64_t timestamp; /* ms since the epoch, or KANAL_NO_TIMESTAMP */
  const kanal_value* source_partition;
  const kanal_str* offset_keys;
  size_t offset_key_count;
  size_t count;
  const kanal_str* keys; /* NULL or `count` entries */
  const kanal_str* values;
  const int64_t* offsets; /* count * offset_key_count entries */
} kanal_source_run;

/* Kafka's TimestampType. */
#define KANAL_TIMESTAMP_NONE (-1)
#define KANAL_TIMESTAMP_CREATE_TIME 0
#define KANAL_TIMESTAMP_LOG_APPEND_TIME 1

/* A record delivered to a sink task (Connect's SinkRecord). Written by the host; every pointer
 * is borrowed for the duration of the call that receives it (copy what you keep: value_copy,
 * schema_copy). */
typedef struct kanal_sink_record {
  uint32_t struct_size;
  kanal_str topic;
  int32_t partition;
  int64_t offset;
  const kanal_schema* key_schema; /* may be NULL */
  const kanal_value* key;         /* never NULL (null-typed for a null key) */
  const kanal_schema* value_schema;
  const kanal_value* value;
  int64_t timestamp; /* KANAL_NO_TIMESTAMP when none */
  int32_t timestamp_type;
  const kanal_header* const* headers; /* values borrowed too */
  size_t header_count;
  kanal_str original_topic; /* before transforms renamed it (KIP-793) */
  int32_t original_partition;
  int64_t original_offset;
} kanal_sink_record;

/* The record a transformation or predicate sees (Connect's ConnectRecord). Written by the host,
 * all borrowed. For a source record, `offset` is -1. */
typedef struct kanal_record {
  uint32_t struct_size;
  kanal_str topic;
  int32_t partition; /* KANAL_NO_PARTITION when unset */
  const kanal_schema* key_schema;
  const kanal_value* key; /* never NULL */
  const kanal_schema* value_schema;
  const kanal_value* value; /* never NULL */
  int64_t timestamp;
  const kanal_header* const* headers;
  size_t header_count;
} kanal_record;

/* What a transformation changes (record_out_set). Bits of kanal_record_update.changed. */
#define KANAL_CHANGE_TOPIC (1u << 0)
#define KANAL_CHANGE_PARTITION (1u << 1)
#define KANAL_CHANGE_KEY (1u << 2)   /* key_schema and key */
#define KANAL_CHANGE_VALUE (1u << 3) /* value_schema and value */
#define KANAL_CHANGE_TIMESTAMP (1u << 4)
#define KANAL_CHANGE_HEADERS (1u << 5) /* the whole header list is replaced */

/* Filled by a transformation and handed to record_out_set, which takes every kanal_value* of the
 * changed parts (whether it succeeds or not); strings and schemas are borrowed. */
typedef struct kanal_record_update {
  uint32_t struct_size;
  uint32_t changed; /* KANAL_CHANGE_* bits; other fields are read only when their bit is set */
  kanal_str topic;
  int32_t partition;
  const kanal_schema* key_schema;
  kanal_value* key; /* NULL = null */
  const kanal_schema* value_schema;
  kanal_value* value;
  int64_t timestamp;
  const kanal_header* const* headers;
  size_t header_count;
} kanal_record_update;

/* A Kafka topic partition with an offset, for open/close/flush/pre_commit and pause/resume.
 * `offset` is -1 where it has no meaning. */
typedef struct kanal_topic_partition {
  uint32_t struct_size;
  kanal_str topic;
  int32_t partition;
  int64_t offset;
} kanal_topic_partition;

/* What a committed source record looked like and where it went (commit_record). Borrowed. */
typedef struct kanal_committed_record {
  uint32_t struct_size;
  const kanal_value* source_partition;
  const kanal_value* source_offset;
  kanal_str topic;
  int32_t partition; /* -1 when the record was not written (filtered out or failed) */
  int64_t offset;    /* -1 when unknown */
  int64_t timestamp; /* KANAL_NO_TIMESTAMP when unknown */
} kanal_committed_record;

/* ---------------------------------------------------------------------------------------- */
/* Config definitions (Connect's ConfigDef)                                                  */

#define KANAL_CONFIG_BOOLEAN 0
#define KANAL_CONFIG_STRING 1
#define KANAL_CONFIG_INT 2
#define KANAL_CONFIG_SHORT 3
#define KANAL_CONFIG_LONG 4
#define KANAL_CONFIG_DOUBLE 5
#define KANAL_CONFIG_LIST 6
#define KANAL_CONFIG_CLASS 7
#define KANAL_CONFIG_PASSWORD 8

#define KANAL_IMPORTANCE_HIGH 0
#define KANAL_IMPORTANCE_MEDIUM 1
#define KANAL_IMPORTANCE_LOW 2

#define KANAL_WIDTH_NONE 0
#define KANAL_WIDTH_SHORT 1
#define KANAL_WIDTH_MEDIUM 2
#define KANAL_WIDTH_LONG 3

/* How a key's default is given. */
#define KANAL_DEFAULT_NONE 0  /* required: no default */
#define KANAL_DEFAULT_NULL 1  /* optional, default null */
#define KANAL_DEFAULT_VALUE 2 /* default_value holds the default as Connect would render it */

#define KANAL_VALIDATOR_NONE 0
#define KANAL_VALIDATOR_RANGE 1     /* numbers: min/max, each bound optional (has_min/has_max) */
#define KANAL_VALIDATOR_ONE_OF 2    /* strings: one of `allowed` (Connect's ValidString) */
#define KANAL_VALIDATOR_NON_EMPTY 3 /* strings: non-empty (Connect's NonEmptyString) */

/* One setting of a component. All data is static in the plugin (or lives as long as the
 * descriptor that points at it). */
typedef struct kanal_config_key {
  uint32_t struct_size;
  kanal_str name;
  int32_t type;         /* KANAL_CONFIG_* */
  int32_t default_kind; /* KANAL_DEFAULT_* */
  kanal_str default_value;
  int32_t importance; /* KANAL_IMPORTANCE_* */
  kanal_str documentation;
  kanal_str group;        /* empty = none */
  int32_t order_in_group; /* -1 = unset */
  int32_t width;          /* KANAL_WIDTH_* */
  kanal_str display_name; /* empty = the key name */
  const kanal_str* dependents;
  size_t dependent_count;
  int32_t validator; /* KANAL_VALIDATOR_* */
  uint8_t has_min;
  uint8_t has_max;
  uint8_t case_insensitive; /* ONE_OF only */
  double min;
  double max;
  const kanal_str* allowed; /* ONE_OF only */
  size_t allowed_count;
} kanal_config_key;

typedef struct kanal_config_def {
  uint32_t struct_size;
  const kanal_config_key* const* keys;
  size_t key_count;
} kanal_config_def;

/* ---------------------------------------------------------------------------------------- */
/* Plugin objects and their operation tables                                                 */

typedef struct kanal_connector kanal_connector; /* opaque; created/destroyed by the plugin */
typedef struct kanal_task kanal_task;           /* opaque; created/destroyed by the plugin */
typedef struct kanal_transformation kanal_transformation;
typedef struct kanal_predicate kanal_predicate;
typedef struct kanal_converter kanal_converter;

/* Connector (Connect's SourceConnector / SinkConnector). Herder thread; one call at a time. */
typedef struct kanal_connector_ops {
  uint32_t struct_size;
  /* Creates an instance. `ctx` outlives it. On error *out is left NULL. */
  kanal_status (*create)(kanal_context* ctx, kanal_connector** out, char* err, size_t err_size);
  kanal_status (*start)(kanal_connector* c, const kanal_config* cfg, char* err, size_t err_size);
  /* Adds at most `max_tasks` task configs with task_configs_add. */
  kanal_status (*task_configs)(kanal_connector* c, int32_t max_tasks, kanal_task_configs* out,
                               char* err, size_t err_size);
  kanal_status (*stop)(kanal_connector* c, char* err, size_t err_size);
  /* Optional (NULL): extra validation beyond the config definition, reported with
   * validation_add_error. Called on an instance that was created but not started. */
  kanal_status (*validate)(kanal_connector* c, const kanal_config* cfg, kanal_validation* out,
                           char* err, size_t err_size);
  void (*destroy)(kanal_connector* c);
} kanal_connector_ops;

/* Source task (Connect's SourceTask). Task thread, except `stop`. */
typedef struct kanal_source_task_ops {
  uint32_t struct_size;
  kanal_status (*create)(kanal_context* ctx, kanal_task** out, char* err, size_t err_size);
  kanal_status (*start)(kanal_task* t, const kanal_config* cfg, char* err, size_t err_size);
  /* Appends zero or more records with source_batch_append. Returning with none is fine: the
   * host polls again. Should return within about a second so stop is noticed. */
  kanal_status (*poll)(kanal_task* t, kanal_source_batch* out, char* err, size_t err_size);
  /* Optional: the offsets of records handed over so far were flushed (SourceTask.commit). */
  kanal_status (*commit)(kanal_task* t, char* err, size_t err_size);
  /* Optional: one record was acknowledged by Kafka, or dropped (SourceTask.commitRecord). */
  kanal_status (*commit_record)(kanal_task* t, const kanal_committed_record* rec, char* err,
                                size_t err_size);
  /* Any thread, possibly while poll runs: make poll return soon and release resources. */
  void (*stop)(kanal_task* t);
  /* Task thread, after the last other call has returned. */
  void (*destroy)(kanal_task* t);
} kanal_source_task_ops;

/* Sink task (Connect's SinkTask). Task thread only. */
typedef struct kanal_sink_task_ops {
  uint32_t struct_size;
  kanal_status (*create)(kanal_context* ctx, kanal_task** out, char* err, size_t err_size);
  kanal_status (*start)(kanal_task* t, const kanal_config* cfg, char* err, size_t err_size);
  /* Optional: partitions assigned to / revoked from this task. */
  kanal_status (*open)(kanal_task* t, const kanal_topic_partition* const* tps, size_t count,
                       char* err, size_t err_size);
  kanal_status (*close)(kanal_task* t, const kanal_topic_partition* const* tps, size_t count,
                        char* err, size_t err_size);
  /* A batch of records; KANAL_ERR_RETRIABLE makes the host redeliver the same batch. */
  kanal_status (*put)(kanal_task* t, const kanal_sink_record* const* records, size_t count,
                      char* err, size_t err_size);
  /* Optional: make everything put so far durable; `offsets` are the next offsets to consume. */
  kanal_status (*flush)(kanal_task* t, const kanal_topic_partition* const* offsets, size_t count,
                        char* err, size_t err_size);
  /* Optional: as flush, and may lower each offset in place to what is safe to commit, or set it
   * to -1 to commit nothing for that partition (SinkTask.preCommit). When NULL the host calls
   * flush and commits the offsets unchanged. */
  kanal_status (*pre_commit)(kanal_task* t, kanal_topic_partition* const* offsets, size_t count,
                             char* err, size_t err_size);
  kanal_status (*stop)(kanal_task* t, char* err, size_t err_size);
  void (*destroy)(kanal_task* t);
} kanal_sink_task_ops;

/* Transformation (Connect's Transformation). One thread at a time (its task's thread). */
typedef struct kanal_transformation_ops {
  uint32_t struct_size;
  kanal_status (*create)(kanal_context* ctx, kanal_transformation** out, char* err,
                         size_t err_size);
  kanal_status (*configure)(kanal_transformation* t, const kanal_config* cfg, char* err,
                            size_t err_size);
  /* Leaves `out` untouched to pass the record on unchanged, calls record_out_set to change it,
   * or record_out_drop to filter it out. */
  kanal_status (*apply)(kanal_transformation* t, const kanal_record* in, kanal_record_out* out,
                        char* err, size_t err_size);
  void (*destroy)(kanal_transformation* t); /* includes Connect's close() */
} kanal_transformation_ops;

/* Predicate (Connect's Predicate). One thread at a time. */
typedef struct kanal_predicate_ops {
  uint32_t struct_size;
  kanal_status (*create)(kanal_context* ctx, kanal_predicate** out, char* err, size_t err_size);
  kanal_status (*configure)(kanal_predicate* p, const kanal_config* cfg, char* err,
                            size_t err_size);
  kanal_status (*test)(kanal_predicate* p, const kanal_record* rec, uint8_t* result, char* err,
                       size_t err_size);
  void (*destroy)(kanal_predicate* p);
} kanal_predicate_ops;

/* Converter (Connect's Converter). One thread at a time. */
typedef struct kanal_converter_ops {
  uint32_t struct_size;
  kanal_status (*create)(kanal_context* ctx, kanal_converter** out, char* err, size_t err_size);
  kanal_status (*configure)(kanal_converter* c, const kanal_config* cfg, uint8_t is_key, char* err,
                            size_t err_size);
  /* Writes the serialized form of (schema, value) into `out` with buffer_append. `value` is
   * never NULL (null-typed for null). Set *is_null to 1 to produce a null Kafka key/value. */
  kanal_status (*from_connect)(kanal_converter* c, const char* topic, size_t topic_len,
                               const kanal_schema* schema, const kanal_value* value,
                               kanal_buffer* out, uint8_t* is_null, char* err, size_t err_size);
  /* Reads bytes (data == NULL for a null Kafka key/value) into a new schema (may stay NULL)
   * and value (owned by the host after return; leave NULL for null). */
  kanal_status (*to_connect)(kanal_converter* c, const char* topic, size_t topic_len,
                             const uint8_t* data, size_t len, kanal_schema** schema_out,
                             kanal_value** value_out, char* err, size_t err_size);
  void (*destroy)(kanal_converter* c);
} kanal_converter_ops;

/* ---------------------------------------------------------------------------------------- */
/* Descriptors: what a plugin provides. All static in the plugin, alive until it is unloaded. */

#define KANAL_CONNECTOR_SOURCE 0
#define KANAL_CONNECTOR_SINK 1

typedef struct kanal_connector_descriptor {
  uint32_t struct_size;
  kanal_str class_name; /* full name, e.g. "com.example.HelloSourceConnector" */
  kanal_str version;    /* e.g. "1.2.0" */
  int32_t type;         /* KANAL_CONNECTOR_SOURCE / _SINK */
  kanal_str doc;
  const kanal_str* aliases; /* extra names besides the automatic simple-name aliases */
  size_t alias_count;
  const kanal_config_def* config;
  const kanal_connector_ops* ops;
  kanal_str task_class;                         /* empty = class_name + "Task" */
  const kanal_source_task_ops* source_task_ops; /* SOURCE only */
  const kanal_sink_task_ops* sink_task_ops;     /* SINK only */
} kanal_connector_descriptor;

typedef struct kanal_transformation_descriptor {
  uint32_t struct_size;
  kanal_str class_name;
  kanal_str version;
  kanal_str doc;
  const kanal_str* aliases;
  size_t alias_count;
  const kanal_config_def* config;
  const kanal_transformation_ops* ops;
} kanal_transformation_descriptor;

typedef struct kanal_predicate_descriptor {
  uint32_t struct_size;
  kanal_str class_name;
  kanal_str version;
  kanal_str doc;
  const kanal_str* aliases;
  size_t alias_count;
  const kanal_config_def* config;
  const kanal_predicate_ops* ops;
} kanal_predicate_descriptor;

typedef struct kanal_converter_descriptor {
  uint32_t struct_size;
  kanal_str class_name;
  kanal_str version;
  kanal_str doc;
  const kanal_str* aliases;
  size_t alias_count;
  const kanal_config_def* config;
  const kanal_converter_ops* ops;
} kanal_converter_descriptor;

typedef struct kanal_plugin_descriptor {
  uint32_t struct_size;
  uint32_t abi_major; /* KANAL_ABI_MAJOR as the plugin was compiled */
  uint32_t abi_minor;
  kanal_str name;    /* the plugin (library) name, e.g. "hello" */
  kanal_str version; /* the plugin's version; components may have their own */
  const kanal_connector_descriptor* const* connectors;
  size_t connector_count;
  const kanal_transformation_descriptor* const* transformations;
  size_t transformation_count;
  const kanal_predicate_descriptor* const* predicates;
  size_t predicate_count;
  const kanal_converter_descriptor* const* converters;
  size_t converter_count;
} kanal_plugin_descriptor;

/* ---------------------------------------------------------------------------------------- */
/* Host services: a table the host passes to kanal_plugin_entry, valid until the process ends. */

typedef struct kanal_host {
  uint32_t struct_size;
  uint32_t abi_major; /* the host's KANAL_ABI_MAJOR / MINOR */
  uint32_t abi_minor;
  kanal_str host_version; /* the kanal release, e.g. "0.1.0" */

  /* Logging. The host prefixes the connector/task of `ctx` (may be NULL) and escapes newlines. */
  void (*log)(kanal_context* ctx, int32_t level, const char* msg, size_t len);
  uint8_t (*log_enabled)(kanal_context* ctx, int32_t level);

  /* Schemas. A builder starts as `type` (a primitive or STRUCT); use schema_builder_array /
   * schema_builder_map for containers. Setters on a failed or wrong-kind builder record the
   * problem, which schema_build reports. */
  kanal_schema_builder* (*schema_builder_new)(int32_t type);
  kanal_schema_builder* (*schema_builder_array)(const kanal_schema* items);
  kanal_schema_builder* (*schema_builder_map)(const kanal_schema* keys, const kanal_schema* values);
  void (*schema_builder_optional)(kanal_schema_builder* b);
  void (*schema_builder_name)(kanal_schema_builder* b, const char* name, size_t len);
  void (*schema_builder_version)(kanal_schema_builder* b, int32_t version);
  void (*schema_builder_doc)(kanal_schema_builder* b, const char* doc, size_t len);
  void (*schema_builder_parameter)(kanal_schema_builder* b, const char* key, size_t key_len,
                                   const char* value, size_t value_len);
  void (*schema_builder_default)(kanal_schema_builder* b, const kanal_value* value); /* copied */
  void (*schema_builder_field)(kanal_schema_builder* b, const char* name, size_t len,
                               const kanal_schema* schema); /* borrowed; host keeps a ref */
  /* Consumes `b` always. Returns an owned schema, or NULL with a message in `err`. */
  kanal_schema* (*schema_build)(kanal_schema_builder* b, char* err, size_t err_size);
  void (*schema_builder_destroy)(kanal_schema_builder* b); /* abandons a builder */
  kanal_schema* (*schema_copy)(const kanal_schema* s);     /* a new owned handle, cheap */
  void (*schema_destroy)(kanal_schema* s);
  /* Readers; `s` must not be NULL. Out strings are borrowed from the schema. */
  int32_t (*schema_type)(const kanal_schema* s);
  uint8_t (*schema_is_optional)(const kanal_schema* s);
  uint8_t (*schema_name)(const kanal_schema* s, kanal_str* out); /* 0 when unset */
  uint8_t (*schema_version)(const kanal_schema* s, int32_t* out);
  uint8_t (*schema_doc)(const kanal_schema* s, kanal_str* out);
  uint8_t (*schema_parameter)(const kanal_schema* s, const char* key, size_t key_len,
                              kanal_str* out);
  size_t (*schema_parameter_count)(const kanal_schema* s);
  void (*schema_parameter_at)(const kanal_schema* s, size_t i, kanal_str* key, kanal_str* value);
  const kanal_value* (*schema_default)(const kanal_schema* s); /* NULL when none */
  size_t (*schema_field_count)(const kanal_schema* s);
  /* Field i's schema, its name in *name. */
  const kanal_schema* (*schema_field_at)(const kanal_schema* s, size_t i, kanal_str* name);
  int32_t (*schema_field_index)(const kanal_schema* s, const char* name, size_t len); /* or -1 */
  const kanal_schema* (*schema_key_schema)(const kanal_schema* s);                    /* MAP */
  const kanal_schema* (*schema_value_schema)(const kanal_schema* s); /* MAP and ARRAY items */

  /* Values. Constructors return owned handles (NULL only when out of memory). */
  kanal_value* (*value_null)(void);
  kanal_value* (*value_bool)(uint8_t v);
  kanal_value* (*value_int)(int32_t type, int64_t v);  /* KANAL_TYPE_INT8..INT64, truncated */
  kanal_value* (*value_float)(int32_t type, double v); /* KANAL_TYPE_FLOAT32/64 */
  kanal_value* (*value_string)(const char* s, size_t len);
  kanal_value* (*value_bytes)(const uint8_t* data, size_t len);
  kanal_value* (*value_array)(void);
  kanal_value* (*value_map)(void);
  kanal_value* (*value_struct)(const kanal_schema* schema); /* STRUCT schema; fields null */
  kanal_value* (*value_copy)(const kanal_value* v);
  void (*value_destroy)(kanal_value* v);
  /* Take `item` / `key` and `value` always (NULL = null). */
  kanal_status (*array_append)(kanal_value* array, kanal_value* item, char* err, size_t err_size);
  kanal_status (*map_put)(kanal_value* map, kanal_value* key, kanal_value* value, char* err,
                          size_t err_size);
  /* Sets a struct field after checking it against the field's schema (Struct.put). */
  kanal_status (*struct_put)(kanal_value* s, const char* field, size_t len, kanal_value* value,
                             char* err, size_t err_size);
  /* Readers; `v` must not be NULL. A getter on the wrong type returns 0 / empty. */
  int32_t (*value_type)(const kanal_value* v);
  uint8_t (*value_get_bool)(const kanal_value* v);
  int64_t (*value_get_int)(const kanal_value* v);                 /* any integer type, widened */
  double (*value_get_float)(const kanal_value* v);                /* any number type */
  void (*value_get_string)(const kanal_value* v, kanal_str* out); /* STRING and BYTES */
  size_t (*value_count)(const kanal_value* v); /* ARRAY items, MAP entries, STRUCT fields */
  const kanal_value* (*array_at)(const kanal_value* v, size_t i);
  void (*map_at)(const kanal_value* v, size_t i, const kanal_value** key,
                 const kanal_value** value);
  /* A struct's field (Struct.get: a null field reads as its default); NULL when no such field.
   * By index: no default substitution. */
  const kanal_value* (*struct_get)(const kanal_value* v, const char* field, size_t len);
  const kanal_value* (*struct_at)(const kanal_value* v, size_t i);
  const kanal_schema* (*value_struct_schema)(const kanal_value* v); /* NULL unless STRUCT */

  /* Outputs of plugin calls. */
  kanal_status (*source_batch_append)(kanal_source_batch* batch,
                                      kanal_source_record* const* records, size_t count, char* err,
                                      size_t err_size);
  kanal_status (*task_configs_add)(kanal_task_configs* out, const kanal_kv* entries, size_t count);
  void (*validation_add_error)(kanal_validation* out, const char* key, size_t key_len,
                               const char* message, size_t message_len);
  kanal_status (*record_out_set)(kanal_record_out* out, const kanal_record_update* update,
                                 char* err, size_t err_size);
  void (*record_out_drop)(kanal_record_out* out);
  kanal_status (*buffer_append)(kanal_buffer* out, const uint8_t* data, size_t len);

  /* Connector context (Connect's ConnectorContext). */
  void (*request_task_reconfiguration)(kanal_context* ctx);
  void (*raise_error)(kanal_context* ctx, const char* message, size_t len);

  /* Source task context: the last committed offset of a source partition (a MAP value), as an
   * owned value, or NULL when none is stored (OffsetStorageReader.offset). */
  kanal_value* (*source_offset)(kanal_context* ctx, const kanal_value* partition);

  /* Sink task context (Connect's SinkTaskContext). Task thread. */
  void (*sink_pause)(kanal_context* ctx, const kanal_topic_partition* const* tps, size_t count);
  void (*sink_resume)(kanal_context* ctx, const kanal_topic_partition* const* tps, size_t count);
  void (*sink_request_commit)(kanal_context* ctx);
  void (*sink_timeout)(kanal_context* ctx, int64_t timeout_ms);
  /* Reports a record this task could not process (ErrantRecordReporter.report); the host
   * applies errors.tolerance and the dead-letter queue. KANAL_ERR when reporting is disabled. */
  kanal_status (*sink_report_errant)(kanal_context* ctx, const kanal_sink_record* rec,
                                     const char* message, size_t len, char* err, size_t err_size);
  /* since 1.0 -- fields are only ever appended below */

  /* since 1.1: appends a run of records (see kanal_source_run) after those already appended
   * in this poll. On error nothing of the run is appended. Check KANAL_HAS_FIELD(kanal_host,
   * host, source_batch_append_run) before calling it; an older host lacks it. */
  kanal_status (*source_batch_append_run)(kanal_source_batch* batch, const kanal_source_run* run,
                                          char* err, size_t err_size);
} kanal_host;

/* ---------------------------------------------------------------------------------------- */
/* The entry symbol                                                                          */

#if defined(_WIN32)
#define KANAL_PLUGIN_EXPORT __declspec(dllexport)
#else
#define KANAL_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

#define KANAL_PLUGIN_ENTRY_SYMBOL "kanal_plugin_entry"

/* Called once by the host right after the library is opened. Keeps `host` (valid for the life
 * of the process) and sets *out to the plugin's static descriptor. On error the host logs `err`
 * and closes the library. Must not start threads or call host functions other than log. */
typedef kanal_status (*kanal_plugin_entry_fn)(const kanal_host* host,
                                              const kanal_plugin_descriptor** out, char* err,
                                              size_t err_size);

KANAL_PLUGIN_EXPORT kanal_status kanal_plugin_entry(const kanal_host* host,
                                                    const kanal_plugin_descriptor** out, char* err,
                                                    size_t err_size);

#ifdef __cplusplus
}
#endif

#endif /* KANAL_KANAL_H_ */
