/* A source connector written in plain C99 against kanal.h alone: proves the ABI needs no C++.
 * Each poll emits one STRING record "<greeting> from C #<n>" with offset {"n": n}. */
#include <kanal/kanal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const kanal_host* g_host;

typedef struct c_connector {
  char greeting[64];
} c_connector;

typedef struct c_task {
  kanal_context* ctx;
  char greeting[64];
  int64_t n;
  kanal_schema* schema;
} c_task;

static void write_err(char* err, size_t err_size, const char* msg) {
  if (err_size == 0) return;
  strncpy(err, msg, err_size - 1);
  err[err_size - 1] = '\0';
}

static void copy_setting(const kanal_config* cfg, const char* key, char* out, size_t out_size) {
  size_t i;
  for (i = 0; i < cfg->count; ++i) {
    const kanal_kv* kv = &cfg->entries[i];
    if (kv->key.len == strlen(key) && memcmp(kv->key.ptr, key, kv->key.len) == 0) {
      size_t n = kv->value.len < out_size - 1 ? kv->value.len : out_size - 1;
      memcpy(out, kv->value.ptr, n);
      out[n] = '\0';
      return;
    }
  }
}

/* ---- connector */

static kanal_status conn_create(kanal_context* ctx, kanal_connector** out, char* err,
                                size_t err_size) {
  c_connector* c = (c_connector*)calloc(1, sizeof *c);
  (void)ctx;
  if (c == NULL) {
    write_err(err, err_size, "out of memory");
    return KANAL_ERR_NO_MEMORY;
  }
  strcpy(c->greeting, "hello");
  *out = (kanal_connector*)c;
  return KANAL_OK;
}

static kanal_status conn_start(kanal_connector* conn, const kanal_config* cfg, char* err,
                               size_t err_size) {
  c_connector* c = (c_connector*)conn;
  (void)err;
  (void)err_size;
  copy_setting(cfg, "greeting", c->greeting, sizeof c->greeting);
  return KANAL_OK;
}

static kanal_status conn_task_configs(kanal_connector* conn, int32_t max_tasks,
                                      kanal_task_configs* out, char* err, size_t err_size) {
  c_connector* c = (c_connector*)conn;
  kanal_kv kv;
  (void)max_tasks;
  (void)err;
  (void)err_size;
  kv.key.ptr = "greeting";
  kv.key.len = 8;
  kv.value.ptr = c->greeting;
  kv.value.len = strlen(c->greeting);
  return g_host->task_configs_add(out, &kv, 1);
}

static kanal_status conn_stop(kanal_connector* conn, char* err, size_t err_size) {
  (void)conn;
  (void)err;
  (void)err_size;
  return KANAL_OK;
}

static void conn_destroy(kanal_connector* conn) { free(conn); }

/* ---- task */

static kanal_status task_create(kanal_context* ctx, kanal_task** out, char* err, size_t err_size) {
  c_task* t = (c_task*)calloc(1, sizeof *t);
  if (t == NULL) {
    write_err(err, err_size, "out of memory");
    return KANAL_ERR_NO_MEMORY;
  }
  t->ctx = ctx;
  strcpy(t->greeting, "hello");
  *out = (kanal_task*)t;
  return KANAL_OK;
}

static kanal_status task_start(kanal_task* task, const kanal_config* cfg, char* err,
                               size_t err_size) {
  c_task* t = (c_task*)task;
  kanal_schema_builder* b = g_host->schema_builder_new(KANAL_TYPE_STRING);
  copy_setting(cfg, "greeting", t->greeting, sizeof t->greeting);
  t->schema = g_host->schema_build(b, err, err_size);
  if (t->schema == NULL) return KANAL_ERR;
  g_host->log(t->ctx, KANAL_LOG_INFO, "C task started", 14);
  return KANAL_OK;
}

static kanal_status task_poll(kanal_task* task, kanal_source_batch* out, char* err,
                              size_t err_size) {
  c_task* t = (c_task*)task;
  char text[128];
  kanal_source_record rec;
  kanal_source_record* recs[1];
  int len = snprintf(text, sizeof text, "%s from C #%lld", t->greeting, (long long)t->n);
  memset(&rec, 0, sizeof rec);
  rec.struct_size = sizeof rec;
  rec.topic.ptr = "c-topic";
  rec.topic.len = 7;
  rec.partition = KANAL_NO_PARTITION;
  rec.value_schema = t->schema;
  rec.value = g_host->value_string(text, (size_t)len);
  rec.timestamp = KANAL_NO_TIMESTAMP;
  rec.source_partition = g_host->value_map();
  g_host->map_put(rec.source_partition, g_host->value_string("lang", 4),
                  g_host->value_string("c", 1), err, err_size);
  rec.source_offset = g_host->value_map();
  g_host->map_put(rec.source_offset, g_host->value_string("n", 1),
                  g_host->value_int(KANAL_TYPE_INT64, t->n), err, err_size);
  recs[0] = &rec;
  t->n++;
  return g_host->source_batch_append(out, recs, 1, err, err_size);
}

static void task_stop(kanal_task* task) { (void)task; }

static void task_destroy(kanal_task* task) {
  c_task* t = (c_task*)task;
  if (t->schema != NULL) g_host->schema_destroy(t->schema);
  free(t);
}

/* ---- descriptor */

static const kanal_config_key kGreeting = {sizeof(kanal_config_key),
                                           KANAL_STR("greeting"),
                                           KANAL_CONFIG_STRING,
                                           KANAL_DEFAULT_VALUE,
                                           KANAL_STR("hello"),
                                           KANAL_IMPORTANCE_HIGH,
                                           KANAL_STR("What to say"),
                                           KANAL_STR("Greeting"),
                                           1,
                                           KANAL_WIDTH_MEDIUM,
                                           KANAL_STR("Greeting text"),
                                           NULL,
                                           0,
                                           KANAL_VALIDATOR_NON_EMPTY,
                                           0,
                                           0,
                                           0,
                                           0.0,
                                           0.0,
                                           NULL,
                                           0};
static const kanal_config_key* const kKeys[] = {&kGreeting};
static const kanal_config_def kConfig = {sizeof(kanal_config_def), kKeys, 1};

static const kanal_connector_ops kConnectorOps = {sizeof(kanal_connector_ops),
                                                  conn_create,
                                                  conn_start,
                                                  conn_task_configs,
                                                  conn_stop,
                                                  NULL,
                                                  conn_destroy};
static const kanal_source_task_ops kTaskOps = {sizeof(kanal_source_task_ops),
                                               task_create,
                                               task_start,
                                               task_poll,
                                               NULL,
                                               NULL,
                                               task_stop,
                                               task_destroy};

static const kanal_str kAliases[] = {KANAL_STR("CGreeter")};
static const kanal_connector_descriptor kConnector = {sizeof(kanal_connector_descriptor),
                                                      KANAL_STR("com.example.c.CSourceConnector"),
                                                      KANAL_STR("0.3.0"),
                                                      KANAL_CONNECTOR_SOURCE,
                                                      KANAL_STR("A source written in C"),
                                                      kAliases,
                                                      1,
                                                      &kConfig,
                                                      &kConnectorOps,
                                                      KANAL_STR(""),
                                                      &kTaskOps,
                                                      NULL};
static const kanal_connector_descriptor* const kConnectors[] = {&kConnector};

static const kanal_plugin_descriptor kDescriptor = {sizeof(kanal_plugin_descriptor),
                                                    KANAL_ABI_MAJOR,
                                                    KANAL_ABI_MINOR,
                                                    KANAL_STR("c-plugin"),
                                                    KANAL_STR("0.3.0"),
                                                    kConnectors,
                                                    1,
                                                    NULL,
                                                    0,
                                                    NULL,
                                                    0,
                                                    NULL,
                                                    0};

kanal_status kanal_plugin_entry(const kanal_host* host, const kanal_plugin_descriptor** out,
                                char* err, size_t err_size) {
  if (host->abi_major != KANAL_ABI_MAJOR) {
    write_err(err, err_size, "unsupported kanal ABI major");
    return KANAL_ERR_UNSUPPORTED;
  }
  g_host = host;
  *out = &kDescriptor;
  return KANAL_OK;
}
