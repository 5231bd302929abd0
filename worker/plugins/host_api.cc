// The kanal_host table: host services for plugins over kanal::data types. Every function is
// noexcept: nothing may unwind into plugin code, so each body catches everything and reports
// through its return value (NULL, an error status, or nothing for the void logging calls).
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "plugins/host_api_internal.h"

namespace kanal::plugins::detail {
namespace {

using data::SchemaBuilder;
using data::SchemaPtr;
using data::SchemaType;
using data::Value;
using data::ValueKind;

const log::Logger& plugin_logger() {
  static const log::Logger logger("kanal.plugins");
  return logger;
}

void write_err(char* err, size_t err_size, std::string_view message) noexcept {
  if (err == nullptr || err_size == 0) return;
  size_t n = message.size() < err_size - 1 ? message.size() : err_size - 1;
  std::memcpy(err, message.data(), n);
  err[n] = '\0';
}

template <typename F>
kanal_status guarded(char* err, size_t err_size, F&& f) noexcept {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    write_err(err, err_size, "out of memory");
    return KANAL_ERR_NO_MEMORY;
  } catch (const std::exception& e) {
    write_err(err, err_size, e.what());
    return KANAL_ERR;
  } catch (...) {
    write_err(err, err_size, "unknown error in the worker");
    return KANAL_ERR;
  }
}

kanal_status fail(char* err, size_t err_size, kanal_status code, std::string_view message) {
  write_err(err, err_size, message);
  return code;
}

Value* as_value(kanal_value* v) { return reinterpret_cast<Value*>(v); }
const Value* as_value(const kanal_value* v) { return reinterpret_cast<const Value*>(v); }
kanal_value* new_value(Value v) { return reinterpret_cast<kanal_value*>(new Value(std::move(v))); }

std::optional<SchemaType> schema_type_from_abi(int32_t type) {
  switch (type) {
    case KANAL_TYPE_INT8:
      return SchemaType::kInt8;
    case KANAL_TYPE_INT16:
      return SchemaType::kInt16;
    case KANAL_TYPE_INT32:
      return SchemaType::kInt32;
    case KANAL_TYPE_INT64:
      return SchemaType::kInt64;
    case KANAL_TYPE_FLOAT32:
      return SchemaType::kFloat32;
    case KANAL_TYPE_FLOAT64:
      return SchemaType::kFloat64;
    case KANAL_TYPE_BOOLEAN:
      return SchemaType::kBoolean;
    case KANAL_TYPE_STRING:
      return SchemaType::kString;
    case KANAL_TYPE_BYTES:
      return SchemaType::kBytes;
    case KANAL_TYPE_ARRAY:
      return SchemaType::kArray;
    case KANAL_TYPE_MAP:
      return SchemaType::kMap;
    case KANAL_TYPE_STRUCT:
      return SchemaType::kStruct;
    default:
      return std::nullopt;
  }
}

int32_t schema_type_to_abi(SchemaType type) {
  switch (type) {
    case SchemaType::kInt8:
      return KANAL_TYPE_INT8;
    case SchemaType::kInt16:
      return KANAL_TYPE_INT16;
    case SchemaType::kInt32:
      return KANAL_TYPE_INT32;
    case SchemaType::kInt64:
      return KANAL_TYPE_INT64;
    case SchemaType::kFloat32:
      return KANAL_TYPE_FLOAT32;
    case SchemaType::kFloat64:
      return KANAL_TYPE_FLOAT64;
    case SchemaType::kBoolean:
      return KANAL_TYPE_BOOLEAN;
    case SchemaType::kString:
      return KANAL_TYPE_STRING;
    case SchemaType::kBytes:
      return KANAL_TYPE_BYTES;
    case SchemaType::kArray:
      return KANAL_TYPE_ARRAY;
    case SchemaType::kMap:
      return KANAL_TYPE_MAP;
    case SchemaType::kStruct:
      return KANAL_TYPE_STRUCT;
  }
  return KANAL_TYPE_NULL;
}

int32_t value_kind_to_abi(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull:
      return KANAL_TYPE_NULL;
    case ValueKind::kBoolean:
      return KANAL_TYPE_BOOLEAN;
    case ValueKind::kInt8:
      return KANAL_TYPE_INT8;
    case ValueKind::kInt16:
      return KANAL_TYPE_INT16;
    case ValueKind::kInt32:
      return KANAL_TYPE_INT32;
    case ValueKind::kInt64:
      return KANAL_TYPE_INT64;
    case ValueKind::kFloat32:
      return KANAL_TYPE_FLOAT32;
    case ValueKind::kFloat64:
      return KANAL_TYPE_FLOAT64;
    case ValueKind::kString:
      return KANAL_TYPE_STRING;
    case ValueKind::kBytes:
      return KANAL_TYPE_BYTES;
    case ValueKind::kArray:
      return KANAL_TYPE_ARRAY;
    case ValueKind::kMap:
      return KANAL_TYPE_MAP;
    case ValueKind::kStruct:
      return KANAL_TYPE_STRUCT;
  }
  return KANAL_TYPE_NULL;
}

log::Level level_from_abi(int32_t level) {
  switch (level) {
    case KANAL_LOG_TRACE:
      return log::Level::kTrace;
    case KANAL_LOG_DEBUG:
      return log::Level::kDebug;
    case KANAL_LOG_INFO:
      return log::Level::kInfo;
    case KANAL_LOG_WARN:
      return log::Level::kWarn;
    default:
      return log::Level::kError;
  }
}

const log::Logger& logger_of(kanal_context* ctx) { return ctx ? ctx->logger : plugin_logger(); }

// ---- logging

void h_log(kanal_context* ctx, int32_t level, const char* msg, size_t len) noexcept {
  try {
    logger_of(ctx).log(level_from_abi(level), "plugin.log",
                       {{"message", std::string(msg ? msg : "", msg ? len : 0)}});
  } catch (...) {
  }
}

uint8_t h_log_enabled(kanal_context* ctx, int32_t level) noexcept {
  return logger_of(ctx).enabled(level_from_abi(level)) ? 1 : 0;
}

// ---- schemas

}  // namespace
}  // namespace kanal::plugins::detail

struct kanal_schema_builder {
  std::optional<kanal::data::SchemaBuilder> builder;
  std::string error;  // first misuse
};

namespace kanal::plugins::detail {
namespace {

kanal_schema_builder* h_schema_builder_new(int32_t type) noexcept {
  try {
    auto* b = new kanal_schema_builder;
    auto t = schema_type_from_abi(type);
    if (!t || *t == SchemaType::kArray || *t == SchemaType::kMap) {
      b->error = "schema_builder_new: type " + std::to_string(type) +
                 " is not a primitive or STRUCT type (use schema_builder_array/_map)";
    } else {
      b->builder.emplace(*t);
    }
    return b;
  } catch (...) {
    return nullptr;
  }
}

kanal_schema_builder* h_schema_builder_array(const kanal_schema* items) noexcept {
  try {
    auto* b = new kanal_schema_builder;
    if (!items) {
      b->error = "schema_builder_array: the items schema is NULL";
    } else {
      b->builder.emplace(SchemaBuilder::array(schema_of(items)));
    }
    return b;
  } catch (...) {
    return nullptr;
  }
}

kanal_schema_builder* h_schema_builder_map(const kanal_schema* keys,
                                           const kanal_schema* values) noexcept {
  try {
    auto* b = new kanal_schema_builder;
    if (!keys || !values) {
      b->error = "schema_builder_map: the key or value schema is NULL";
    } else {
      b->builder.emplace(SchemaBuilder::map(schema_of(keys), schema_of(values)));
    }
    return b;
  } catch (...) {
    return nullptr;
  }
}

template <typename F>
void with_builder(kanal_schema_builder* b, F&& f) noexcept {
  if (b == nullptr || !b->builder) return;
  try {
    f(*b->builder);
  } catch (const std::exception& e) {
    if (b->error.empty()) b->error = e.what();
  } catch (...) {
    if (b->error.empty()) b->error = "unknown error";
  }
}

void h_schema_builder_optional(kanal_schema_builder* b) noexcept {
  with_builder(b, [](SchemaBuilder& s) { s.optional(); });
}
void h_schema_builder_name(kanal_schema_builder* b, const char* name, size_t len) noexcept {
  with_builder(b, [&](SchemaBuilder& s) { s.name(std::string(name, len)); });
}
void h_schema_builder_version(kanal_schema_builder* b, int32_t version) noexcept {
  with_builder(b, [&](SchemaBuilder& s) { s.version(version); });
}
void h_schema_builder_doc(kanal_schema_builder* b, const char* doc, size_t len) noexcept {
  with_builder(b, [&](SchemaBuilder& s) { s.doc(std::string(doc, len)); });
}
void h_schema_builder_parameter(kanal_schema_builder* b, const char* key, size_t key_len,
                                const char* value, size_t value_len) noexcept {
  with_builder(b, [&](SchemaBuilder& s) {
    s.parameter(std::string(key, key_len), std::string(value, value_len));
  });
}
void h_schema_builder_default(kanal_schema_builder* b, const kanal_value* value) noexcept {
  with_builder(b, [&](SchemaBuilder& s) { s.default_value(value ? *as_value(value) : Value()); });
}
void h_schema_builder_field(kanal_schema_builder* b, const char* name, size_t len,
                            const kanal_schema* schema) noexcept {
  if (b != nullptr && schema == nullptr && b->error.empty()) {
    b->error = "schema_builder_field: field '" + std::string(name, len) + "' has a NULL schema";
    return;
  }
  with_builder(b, [&](SchemaBuilder& s) { s.field(std::string(name, len), schema_of(schema)); });
}

kanal_schema* h_schema_build(kanal_schema_builder* b, char* err, size_t err_size) noexcept {
  if (b == nullptr) {
    write_err(err, err_size, "schema_build: NULL builder");
    return nullptr;
  }
  kanal_schema* out = nullptr;
  try {
    if (!b->error.empty()) {
      write_err(err, err_size, b->error);
    } else {
      Result<SchemaPtr> built = b->builder->build_checked();
      if (built.ok()) {
        out = reinterpret_cast<kanal_schema*>(new SchemaPtr(std::move(built).value()));
      } else {
        write_err(err, err_size, built.status().message());
      }
    }
  } catch (...) {
    write_err(err, err_size, "out of memory");
  }
  delete b;
  return out;
}

void h_schema_builder_destroy(kanal_schema_builder* b) noexcept { delete b; }

kanal_schema* h_schema_copy(const kanal_schema* s) noexcept {
  if (s == nullptr) return nullptr;
  try {
    return reinterpret_cast<kanal_schema*>(new SchemaPtr(schema_of(s)));
  } catch (...) {
    return nullptr;
  }
}

void h_schema_destroy(kanal_schema* s) noexcept { delete reinterpret_cast<SchemaPtr*>(s); }

const data::Schema& sch(const kanal_schema* s) { return *schema_of(s); }

int32_t h_schema_type(const kanal_schema* s) noexcept { return schema_type_to_abi(sch(s).type()); }
uint8_t h_schema_is_optional(const kanal_schema* s) noexcept { return sch(s).is_optional(); }
uint8_t h_schema_name(const kanal_schema* s, kanal_str* out) noexcept {
  const auto& n = sch(s).name();
  if (!n) return 0;
  *out = str(*n);
  return 1;
}
uint8_t h_schema_version(const kanal_schema* s, int32_t* out) noexcept {
  const auto& v = sch(s).version();
  if (!v) return 0;
  *out = *v;
  return 1;
}
uint8_t h_schema_doc(const kanal_schema* s, kanal_str* out) noexcept {
  const auto& d = sch(s).doc();
  if (!d) return 0;
  *out = str(*d);
  return 1;
}
uint8_t h_schema_parameter(const kanal_schema* s, const char* key, size_t key_len,
                           kanal_str* out) noexcept {
  const std::string* p = sch(s).parameter(std::string_view(key, key_len));
  if (p == nullptr) return 0;
  *out = str(*p);
  return 1;
}
size_t h_schema_parameter_count(const kanal_schema* s) noexcept {
  return sch(s).parameters().size();
}
void h_schema_parameter_at(const kanal_schema* s, size_t i, kanal_str* key,
                           kanal_str* value) noexcept {
  const auto& p = sch(s).parameters().at(i);
  *key = str(p.first);
  *value = str(p.second);
}
const kanal_value* h_schema_default(const kanal_schema* s) noexcept {
  const Value* v = sch(s).default_value();
  return v ? value_handle(*v) : nullptr;
}
size_t h_schema_field_count(const kanal_schema* s) noexcept { return sch(s).fields().size(); }
const kanal_schema* h_schema_field_at(const kanal_schema* s, size_t i, kanal_str* name) noexcept {
  const auto& fields = sch(s).fields();
  if (i >= fields.size()) return nullptr;
  if (name) *name = str(fields[i].name);
  return schema_handle(fields[i].schema);
}
int32_t h_schema_field_index(const kanal_schema* s, const char* name, size_t len) noexcept {
  const data::Field* f = sch(s).field(std::string_view(name, len));
  return f ? f->index : -1;
}
const kanal_schema* h_schema_key_schema(const kanal_schema* s) noexcept {
  return schema_handle(sch(s).key_schema());
}
const kanal_schema* h_schema_value_schema(const kanal_schema* s) noexcept {
  return schema_handle(sch(s).value_schema());
}

// ---- values

template <typename F>
kanal_value* make(F&& f) noexcept {
  try {
    return new_value(f());
  } catch (...) {
    return nullptr;
  }
}

kanal_value* h_value_null() noexcept {
  return make([] { return Value(); });
}
kanal_value* h_value_bool(uint8_t v) noexcept {
  return make([&] { return Value::boolean(v != 0); });
}
kanal_value* h_value_int(int32_t type, int64_t v) noexcept {
  return make([&] {
    switch (type) {
      case KANAL_TYPE_INT8:
        return Value::int8(static_cast<int8_t>(v));
      case KANAL_TYPE_INT16:
        return Value::int16(static_cast<int16_t>(v));
      case KANAL_TYPE_INT32:
        return Value::int32(static_cast<int32_t>(v));
      default:
        return Value::int64(v);
    }
  });
}
kanal_value* h_value_float(int32_t type, double v) noexcept {
  return make([&] {
    return type == KANAL_TYPE_FLOAT32 ? Value::float32(static_cast<float>(v)) : Value::float64(v);
  });
}
kanal_value* h_value_string(const char* s, size_t len) noexcept {
  return make([&] { return Value::string(std::string_view(s ? s : "", s ? len : 0)); });
}
kanal_value* h_value_bytes(const uint8_t* d, size_t len) noexcept {
  return make([&] {
    return Value::bytes(
        std::string_view(reinterpret_cast<const char*>(d ? d : nullptr), d ? len : 0));
  });
}
kanal_value* h_value_array() noexcept {
  return make([] { return Value::array({}); });
}
kanal_value* h_value_map() noexcept {
  return make([] { return Value::map({}); });
}
kanal_value* h_value_struct(const kanal_schema* schema) noexcept {
  const SchemaPtr& s = schema_of(schema);
  if (!s || s->type() != SchemaType::kStruct) return nullptr;
  return make([&] { return Value(data::Struct(s)); });
}
kanal_value* h_value_copy(const kanal_value* v) noexcept {
  if (v == nullptr) return nullptr;
  return make([&] { return *as_value(v); });
}
void h_value_destroy(kanal_value* v) noexcept { delete as_value(v); }

kanal_status h_array_append(kanal_value* array, kanal_value* item, char* err,
                            size_t err_size) noexcept {
  return guarded(err, err_size, [&] {
    Value v = take_value(item);
    if (array == nullptr || as_value(array)->kind() != ValueKind::kArray) {
      return fail(err, err_size, KANAL_ERR_TYPE, "array_append: the target is not an ARRAY");
    }
    as_value(array)->as_array().push_back(std::move(v));
    return KANAL_OK;
  });
}

kanal_status h_map_put(kanal_value* map, kanal_value* key, kanal_value* value, char* err,
                       size_t err_size) noexcept {
  return guarded(err, err_size, [&] {
    Value k = take_value(key);
    Value v = take_value(value);
    if (map == nullptr || as_value(map)->kind() != ValueKind::kMap) {
      return fail(err, err_size, KANAL_ERR_TYPE, "map_put: the target is not a MAP");
    }
    as_value(map)->as_map().emplace_back(std::move(k), std::move(v));
    return KANAL_OK;
  });
}

kanal_status h_struct_put(kanal_value* s, const char* field, size_t len, kanal_value* value,
                          char* err, size_t err_size) noexcept {
  return guarded(err, err_size, [&] {
    Value v = take_value(value);
    if (s == nullptr || as_value(s)->kind() != ValueKind::kStruct) {
      return fail(err, err_size, KANAL_ERR_TYPE, "struct_put: the target is not a STRUCT");
    }
    Status st = as_value(s)->as_struct().put(std::string_view(field, len), std::move(v));
    if (!st.ok()) {
      bool missing =
          as_value(s)->as_struct().schema()->field(std::string_view(field, len)) == nullptr;
      return fail(err, err_size, missing ? KANAL_ERR_NOT_FOUND : KANAL_ERR_TYPE, st.message());
    }
    return KANAL_OK;
  });
}

int32_t h_value_type(const kanal_value* v) noexcept {
  return value_kind_to_abi(as_value(v)->kind());
}
uint8_t h_value_get_bool(const kanal_value* v) noexcept {
  return as_value(v)->kind() == ValueKind::kBoolean && as_value(v)->as_bool() ? 1 : 0;
}
int64_t h_value_get_int(const kanal_value* v) noexcept {
  return as_value(v)->integral().value_or(0);
}
double h_value_get_float(const kanal_value* v) noexcept {
  return as_value(v)->number().value_or(0);
}
void h_value_get_string(const kanal_value* v, kanal_str* out) noexcept {
  const Value& value = *as_value(v);
  if (const std::string* s = value.string_if()) {
    *out = str(*s);
  } else if (const data::Bytes* b = value.bytes_if()) {
    *out = str(b->data);
  } else {
    *out = kanal_str{nullptr, 0};
  }
}
size_t h_value_count(const kanal_value* v) noexcept {
  const Value& value = *as_value(v);
  if (const auto* a = value.array_if()) return a->size();
  if (const auto* m = value.map_if()) return m->size();
  if (const auto* s = value.struct_if()) return s->values().size();
  return 0;
}
const kanal_value* h_array_at(const kanal_value* v, size_t i) noexcept {
  const auto* a = as_value(v)->array_if();
  return a && i < a->size() ? value_handle((*a)[i]) : nullptr;
}
void h_map_at(const kanal_value* v, size_t i, const kanal_value** key,
              const kanal_value** value) noexcept {
  const auto* m = as_value(v)->map_if();
  if (m == nullptr || i >= m->size()) {
    *key = nullptr;
    *value = nullptr;
    return;
  }
  *key = value_handle((*m)[i].first);
  *value = value_handle((*m)[i].second);
}
const kanal_value* h_struct_get(const kanal_value* v, const char* field, size_t len) noexcept {
  const auto* s = as_value(v)->struct_if();
  if (s == nullptr) return nullptr;
  const Value* f = s->get(std::string_view(field, len));
  return f ? value_handle(*f) : nullptr;
}
const kanal_value* h_struct_at(const kanal_value* v, size_t i) noexcept {
  const auto* s = as_value(v)->struct_if();
  return s && i < s->values().size() ? value_handle(s->get(i)) : nullptr;
}
const kanal_schema* h_value_struct_schema(const kanal_value* v) noexcept {
  const auto* s = as_value(v)->struct_if();
  return s ? schema_handle(s->schema()) : nullptr;
}

// ---- outputs

kanal_status h_source_batch_append(kanal_source_batch* batch, kanal_source_record* const* records,
                                   size_t count, char* err, size_t err_size) noexcept {
  return guarded(err, err_size, [&] {
    // Take every handle first, so nothing leaks whatever fails below.
    kanal_status result = KANAL_OK;
    std::string first_error;
    for (size_t i = 0; i < count; ++i) {
      const kanal_source_record* r = records[i];
      data::SourceRecord rec;
      rec.key = take_value(r->key);
      rec.value = take_value(r->value);
      Value partition = take_value(r->source_partition);
      Value offset = take_value(r->source_offset);
      for (size_t h = 0; h < r->header_count; ++h) {
        const kanal_header* kh = r->headers[h];
        rec.headers.add(std::string(view(kh->key)), schema_of(kh->schema), take_value(kh->value));
      }
      if (result != KANAL_OK) continue;
      rec.topic = std::string(view(r->topic));
      if (r->partition != KANAL_NO_PARTITION) rec.kafka_partition = r->partition;
      rec.key_schema = schema_of(r->key_schema);
      rec.value_schema = schema_of(r->value_schema);
      if (r->timestamp != KANAL_NO_TIMESTAMP) rec.timestamp = r->timestamp;
      auto p = to_ordered_map(std::move(partition), "source partition");
      auto o = to_ordered_map(std::move(offset), "source offset");
      if (!p.ok() || !o.ok()) {
        result = KANAL_ERR_TYPE;
        first_error = (!p.ok() ? p.status() : o.status()).message();
        continue;
      }
      rec.source_partition = std::move(p).value();
      rec.source_offset = std::move(o).value();
      batch->out->push_back(std::move(rec));
    }
    if (result != KANAL_OK) write_err(err, err_size, first_error);
    return result;
  });
}

// How a run's string column becomes values: STRING for no schema or a STRING schema, BYTES for
// a BYTES schema; nullopt for any other schema.
std::optional<bool> run_column_is_bytes(const data::SchemaPtr& schema) {
  if (!schema || schema->type() == SchemaType::kString) return false;
  if (schema->type() == SchemaType::kBytes) return true;
  return std::nullopt;
}

Value run_column_value(bool bytes, kanal_str s) {
  return bytes ? Value::bytes(view(s)) : Value::string(view(s));
}

kanal_status h_source_batch_append_run(kanal_source_batch* batch, const kanal_source_run* run,
                                       char* err, size_t err_size) noexcept {
  return guarded(err, err_size, [&] {
    constexpr size_t kRunSize =
        offsetof(kanal_source_run, offsets) + sizeof(kanal_source_run::offsets);
    if (run == nullptr || run->struct_size < kRunSize) {
      return fail(err, err_size, KANAL_ERR, "source_batch_append_run: kanal_source_run too small");
    }
    const data::SchemaPtr& key_schema = schema_of(run->key_schema);
    const data::SchemaPtr& value_schema = schema_of(run->value_schema);
    std::optional<bool> key_bytes = run_column_is_bytes(key_schema);
    std::optional<bool> value_bytes = run_column_is_bytes(value_schema);
    if (!value_bytes || (run->keys != nullptr && !key_bytes)) {
      const data::SchemaPtr& wrong = value_bytes ? key_schema : value_schema;
      return fail(err, err_size, KANAL_ERR_TYPE,
                  std::string("source_batch_append_run: the ") + (value_bytes ? "key" : "value") +
                      " schema must be STRING or BYTES, not " +
                      data::to_connect_string(wrong->type()));
    }
    if ((run->offset_key_count > 0 && run->offset_keys == nullptr) ||
        (run->count > 0 &&
         (run->values == nullptr || (run->offset_key_count > 0 && run->offsets == nullptr)))) {
      return fail(err, err_size, KANAL_ERR,
                  "source_batch_append_run: offset keys, values or offsets missing");
    }
    auto partition = to_ordered_map(
        run->source_partition ? *as_value(run->source_partition) : Value(), "source partition");
    if (!partition.ok()) return fail(err, err_size, KANAL_ERR_TYPE, partition.status().message());
    std::vector<std::string> offset_keys;
    offset_keys.reserve(run->offset_key_count);
    for (size_t k = 0; k < run->offset_key_count; ++k) {
      offset_keys.emplace_back(view(run->offset_keys[k]));
    }
    const std::string topic(view(run->topic));
    std::vector<data::SourceRecord>& out = *batch->out;
    const size_t before = out.size();
    try {
      out.reserve(before + run->count);
      for (size_t i = 0; i < run->count; ++i) {
        data::SourceRecord& rec = out.emplace_back();
        rec.topic = topic;
        if (run->partition != KANAL_NO_PARTITION) rec.kafka_partition = run->partition;
        rec.key_schema = key_schema;
        if (run->keys != nullptr) rec.key = run_column_value(*key_bytes, run->keys[i]);
        rec.value_schema = value_schema;
        rec.value = run_column_value(*value_bytes, run->values[i]);
        if (run->timestamp != KANAL_NO_TIMESTAMP) rec.timestamp = run->timestamp;
        rec.source_partition = *partition;
        const int64_t* offsets = run->offsets + i * run->offset_key_count;
        for (size_t k = 0; k < offset_keys.size(); ++k) {
          rec.source_offset.set(offset_keys[k], Value::int64(offsets[k]));
        }
      }
    } catch (...) {
      out.resize(before);  // all of the run or nothing
      throw;
    }
    return KANAL_OK;
  });
}

kanal_status h_task_configs_add(kanal_task_configs* out, const kanal_kv* entries,
                                size_t count) noexcept {
  return guarded(nullptr, 0, [&] {
    config::ConfigMap map;
    for (size_t i = 0; i < count; ++i) {
      map[std::string(view(entries[i].key))] = std::string(view(entries[i].value));
    }
    out->configs.push_back(std::move(map));
    return KANAL_OK;
  });
}

void h_validation_add_error(kanal_validation* out, const char* key, size_t key_len,
                            const char* message, size_t message_len) noexcept {
  try {
    out->errors.emplace_back(std::string(key, key_len), std::string(message, message_len));
  } catch (...) {
  }
}

kanal_status h_record_out_set(kanal_record_out* out, const kanal_record_update* u, char* err,
                              size_t err_size) noexcept {
  return guarded(err, err_size, [&] {
    uint32_t c = u->changed;
    if (c & KANAL_CHANGE_KEY) {
      out->key = take_value(u->key);
      out->key_schema = schema_of(u->key_schema);
    }
    if (c & KANAL_CHANGE_VALUE) {
      out->value = take_value(u->value);
      out->value_schema = schema_of(u->value_schema);
    }
    if (c & KANAL_CHANGE_HEADERS) {
      out->headers.clear();
      for (size_t h = 0; h < u->header_count; ++h) {
        const kanal_header* kh = u->headers[h];
        out->headers.add(std::string(view(kh->key)), schema_of(kh->schema), take_value(kh->value));
      }
    }
    if (c & KANAL_CHANGE_TOPIC) out->topic = std::string(view(u->topic));
    if (c & KANAL_CHANGE_PARTITION) {
      out->partition =
          u->partition == KANAL_NO_PARTITION ? std::nullopt : std::optional<int32_t>(u->partition);
    }
    if (c & KANAL_CHANGE_TIMESTAMP) {
      out->timestamp =
          u->timestamp == KANAL_NO_TIMESTAMP ? std::nullopt : std::optional<int64_t>(u->timestamp);
    }
    out->changed |= c;
    return KANAL_OK;
  });
}

void h_record_out_drop(kanal_record_out* out) noexcept { out->dropped = true; }

kanal_status h_buffer_append(kanal_buffer* out, const uint8_t* data, size_t len) noexcept {
  return guarded(nullptr, 0, [&] {
    out->bytes.append(reinterpret_cast<const char*>(data), len);
    return KANAL_OK;
  });
}

// ---- contexts

void h_request_task_reconfiguration(kanal_context* ctx) noexcept {
  try {
    if (ctx && ctx->connector) ctx->connector->request_task_reconfiguration();
  } catch (...) {
  }
}

void h_raise_error(kanal_context* ctx, const char* message, size_t len) noexcept {
  try {
    std::string m(message, len);
    if (ctx && ctx->connector) {
      ctx->connector->raise_error(Status::internal(m));
    } else {
      logger_of(ctx).error("plugin.raise_error.ignored", {{"error", m}});
    }
  } catch (...) {
  }
}

kanal_value* h_source_offset(kanal_context* ctx, const kanal_value* partition) noexcept {
  try {
    if (ctx == nullptr || ctx->offsets == nullptr || partition == nullptr) return nullptr;
    auto p = to_ordered_map(*as_value(partition), "source partition");
    if (!p.ok()) return nullptr;
    std::optional<data::OrderedMap> offset = ctx->offsets->offset(p.value());
    if (!offset) return nullptr;
    return new_value(to_map_value(*offset));
  } catch (...) {
    return nullptr;
  }
}

std::vector<TopicPartition> partitions_of(const kanal_topic_partition* const* tps, size_t count) {
  std::vector<TopicPartition> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    out.push_back(
        TopicPartition{std::string(view(tps[i]->topic)), tps[i]->partition, tps[i]->offset});
  }
  return out;
}

void h_sink_pause(kanal_context* ctx, const kanal_topic_partition* const* tps,
                  size_t count) noexcept {
  try {
    if (ctx && ctx->sink) ctx->sink->pause(partitions_of(tps, count));
  } catch (...) {
  }
}
void h_sink_resume(kanal_context* ctx, const kanal_topic_partition* const* tps,
                   size_t count) noexcept {
  try {
    if (ctx && ctx->sink) ctx->sink->resume(partitions_of(tps, count));
  } catch (...) {
  }
}
void h_sink_request_commit(kanal_context* ctx) noexcept {
  try {
    if (ctx && ctx->sink) ctx->sink->request_commit();
  } catch (...) {
  }
}
void h_sink_timeout(kanal_context* ctx, int64_t timeout_ms) noexcept {
  try {
    if (ctx && ctx->sink) ctx->sink->timeout(std::chrono::milliseconds(timeout_ms));
  } catch (...) {
  }
}

kanal_status h_sink_report_errant(kanal_context* ctx, const kanal_sink_record* rec,
                                  const char* message, size_t len, char* err,
                                  size_t err_size) noexcept {
  return guarded(err, err_size, [&] {
    if (ctx == nullptr || ctx->sink == nullptr || ctx->sink_batch == nullptr ||
        ctx->sink_views == nullptr) {
      return fail(err, err_size, KANAL_ERR, "errant record reporting is not available here");
    }
    // The view is one of the batch's: its index is its position in sink_views.
    const kanal_sink_record* first = ctx->sink_views->data();
    if (rec < first || rec >= first + ctx->sink_views->size()) {
      return fail(err, err_size, KANAL_ERR, "the reported record is not part of the current batch");
    }
    const data::SinkRecord& record = (*ctx->sink_batch)[static_cast<size_t>(rec - first)];
    Status st = ctx->sink->report_errant(record, Status::internal(std::string(message, len)));
    if (!st.ok()) return fail(err, err_size, KANAL_ERR, st.message());
    return KANAL_OK;
  });
}

kanal_host make_table() {
  kanal_host h{};
  h.struct_size = sizeof h;
  h.abi_major = KANAL_ABI_MAJOR;
  h.abi_minor = KANAL_ABI_MINOR;
#ifdef KANAL_VERSION
  h.host_version = str(KANAL_VERSION);
#else
  h.host_version = str("0.1.0");
#endif
  h.log = h_log;
  h.log_enabled = h_log_enabled;
  h.schema_builder_new = h_schema_builder_new;
  h.schema_builder_array = h_schema_builder_array;
  h.schema_builder_map = h_schema_builder_map;
  h.schema_builder_optional = h_schema_builder_optional;
  h.schema_builder_name = h_schema_builder_name;
  h.schema_builder_version = h_schema_builder_version;
  h.schema_builder_doc = h_schema_builder_doc;
  h.schema_builder_parameter = h_schema_builder_parameter;
  h.schema_builder_default = h_schema_builder_default;
  h.schema_builder_field = h_schema_builder_field;
  h.schema_build = h_schema_build;
  h.schema_builder_destroy = h_schema_builder_destroy;
  h.schema_copy = h_schema_copy;
  h.schema_destroy = h_schema_destroy;
  h.schema_type = h_schema_type;
  h.schema_is_optional = h_schema_is_optional;
  h.schema_name = h_schema_name;
  h.schema_version = h_schema_version;
  h.schema_doc = h_schema_doc;
  h.schema_parameter = h_schema_parameter;
  h.schema_parameter_count = h_schema_parameter_count;
  h.schema_parameter_at = h_schema_parameter_at;
  h.schema_default = h_schema_default;
  h.schema_field_count = h_schema_field_count;
  h.schema_field_at = h_schema_field_at;
  h.schema_field_index = h_schema_field_index;
  h.schema_key_schema = h_schema_key_schema;
  h.schema_value_schema = h_schema_value_schema;
  h.value_null = h_value_null;
  h.value_bool = h_value_bool;
  h.value_int = h_value_int;
  h.value_float = h_value_float;
  h.value_string = h_value_string;
  h.value_bytes = h_value_bytes;
  h.value_array = h_value_array;
  h.value_map = h_value_map;
  h.value_struct = h_value_struct;
  h.value_copy = h_value_copy;
  h.value_destroy = h_value_destroy;
  h.array_append = h_array_append;
  h.map_put = h_map_put;
  h.struct_put = h_struct_put;
  h.value_type = h_value_type;
  h.value_get_bool = h_value_get_bool;
  h.value_get_int = h_value_get_int;
  h.value_get_float = h_value_get_float;
  h.value_get_string = h_value_get_string;
  h.value_count = h_value_count;
  h.array_at = h_array_at;
  h.map_at = h_map_at;
  h.struct_get = h_struct_get;
  h.struct_at = h_struct_at;
  h.value_struct_schema = h_value_struct_schema;
  h.source_batch_append = h_source_batch_append;
  h.task_configs_add = h_task_configs_add;
  h.validation_add_error = h_validation_add_error;
  h.record_out_set = h_record_out_set;
  h.record_out_drop = h_record_out_drop;
  h.buffer_append = h_buffer_append;
  h.request_task_reconfiguration = h_request_task_reconfiguration;
  h.raise_error = h_raise_error;
  h.source_offset = h_source_offset;
  h.sink_pause = h_sink_pause;
  h.sink_resume = h_sink_resume;
  h.sink_request_commit = h_sink_request_commit;
  h.sink_timeout = h_sink_timeout;
  h.sink_report_errant = h_sink_report_errant;
  h.source_batch_append_run = h_source_batch_append_run;
  return h;
}

}  // namespace

const kanal_host* host_table() {
  static const kanal_host table = make_table();
  return &table;
}

Status plugin_status(kanal_status code, const char* err, std::string_view what) {
  std::string message(what);
  if (err != nullptr && err[0] != '\0') {
    message += ": ";
    message += err;
  }
  switch (code) {
    case KANAL_OK:
      return Status::OK();
    case KANAL_ERR_RETRIABLE:
      return Status::unavailable(std::move(message));
    case KANAL_ERR_CONFIG:
      return Status::invalid_argument(std::move(message));
    case KANAL_ERR_NOT_FOUND:
      return Status::not_found(std::move(message));
    default:
      return Status::internal(std::move(message));
  }
}

Result<data::OrderedMap> to_ordered_map(data::Value value, std::string_view what) {
  data::OrderedMap out;
  if (value.is_null()) return out;
  if (value.kind() != ValueKind::kMap) {
    return Status::invalid_argument(std::string(what) + " must be a MAP with string keys, got " +
                                    data::to_connect_string(value.kind()));
  }
  for (auto& [k, v] : value.as_map()) {
    const std::string* key = k.string_if();
    if (key == nullptr) {
      return Status::invalid_argument(std::string(what) + " keys must be strings, got " +
                                      data::to_connect_string(k.kind()));
    }
    out.set(*key, std::move(v));
  }
  return out;
}

data::Value to_map_value(const data::OrderedMap& map) {
  data::Value::Map entries;
  entries.reserve(map.size());
  for (const auto& [k, v] : map) entries.emplace_back(Value::string(k), v);
  return Value::map(std::move(entries));
}

kanal_config make_config(const config::ConfigMap& map, std::vector<kanal_kv>& kvs) {
  kvs.clear();
  kvs.reserve(map.size());
  for (const auto& [k, v] : map) kvs.push_back(kanal_kv{str(k), str(v)});
  kanal_config cfg{};
  cfg.struct_size = sizeof cfg;
  cfg.entries = kvs.data();
  cfg.count = kvs.size();
  return cfg;
}

}  // namespace kanal::plugins::detail
