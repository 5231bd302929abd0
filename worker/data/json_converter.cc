#include "data/json_converter.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <vector>

#include "data/base64_internal.h"

namespace kanal::data {

namespace {

constexpr std::string_view kSchemasEnable = "schemas.enable";
constexpr std::string_view kSchemasCacheSize = "schemas.cache.size";
constexpr std::string_view kSchemaContent = "schema.content";
constexpr std::string_view kDecimalFormat = "decimal.format";
constexpr std::string_view kReplaceNullWithDefault = "replace.null.with.default";

// ---------------------------------------------------------------------------------------------
// Writing. Output matches Jackson's compact writer as Kafka's JsonSerializer uses it.

constexpr char kHex[] = "0123456789ABCDEF";

// Jackson's default escaping: '"' and '\\', the short forms \b \t \n \f \r, other control
// characters as \u00XX (upper-case hex); everything else, including non-ASCII UTF-8, verbatim.
void append_json_string(std::string_view s, std::string& out) {
  out += '"';
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

template <typename Int>
void append_int(Int v, std::string& out) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<size_t>(res.ptr - buf));
}

// Jackson writes non-finite numbers as quoted strings (WRITE_NAN_AS_STRINGS is on by default).
template <typename F>
void append_json_float(F v, std::string& out) {
  if (!std::isfinite(v)) {
    out += '"';
    if constexpr (std::is_same_v<F, float>) {
      append_java_float(v, out);
    } else {
      append_java_double(v, out);
    }
    out += '"';
    return;
  }
  if constexpr (std::is_same_v<F, float>) {
    append_java_float(v, out);
  } else {
    append_java_double(v, out);
  }
}

void append_base64_string(std::string_view raw, std::string& out) {
  out += '"';
  detail::base64_encode(raw, out);
  out += '"';
}

// ---------------------------------------------------------------------------------------------
// Reading: a small DOM built from RapidJSON's SAX reader, keeping each number's text so that
// numbers can be interpreted as Jackson would for the declared type (exact decimals, int
// narrowing).

struct JsonNode {
  enum class Type : uint8_t { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  std::string text;               // string content, or a number's text
  std::vector<JsonNode> items;    // array elements or object member values
  std::vector<std::string> keys;  // object member names, parallel to items

  bool is_null() const { return type == Type::kNull; }
  bool is_bool() const { return type == Type::kTrue || type == Type::kFalse; }
  bool is_number() const { return type == Type::kNumber; }
  bool is_string() const { return type == Type::kString; }
  bool is_array() const { return type == Type::kArray; }
  bool is_object() const { return type == Type::kObject; }

  // Jackson keeps the last of duplicate members.
  const JsonNode* get(std::string_view key) const {
    for (size_t i = keys.size(); i-- > 0;) {
      if (keys[i] == key) return &items[i];
    }
    return nullptr;
  }
  // Distinct member names (ObjectNode.size()).
  size_t member_count() const {
    size_t n = 0;
    for (size_t i = 0; i < keys.size(); ++i) {
      bool dup = false;
      for (size_t j = i + 1; j < keys.size() && !dup; ++j) dup = keys[j] == keys[i];
      if (!dup) ++n;
    }
    return n;
  }
};

const char* node_type_name(const JsonNode* n) {
  if (n == nullptr) return "MISSING";
  switch (n->type) {
    case JsonNode::Type::kNull:
      return "NULL";
    case JsonNode::Type::kFalse:
    case JsonNode::Type::kTrue:
      return "BOOLEAN";
    case JsonNode::Type::kNumber:
      return "NUMBER";
    case JsonNode::Type::kString:
      return "STRING";
    case JsonNode::Type::kArray:
      return "ARRAY";
    case JsonNode::Type::kObject:
      return "OBJECT";
  }
  return "MISSING";
}

class DomBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DomBuilder> {
 public:
  explicit DomBuilder(JsonNode& root) : root_(root) {}

  bool Null() { return add(JsonNode::Type::kNull); }
  bool Bool(bool b) { return add(b ? JsonNode::Type::kTrue : JsonNode::Type::kFalse); }
  bool RawNumber(const char* s, rapidjson::SizeType len, bool) {
    add(JsonNode::Type::kNumber)->text.assign(s, len);
    return true;
  }
  bool String(const char* s, rapidjson::SizeType len, bool) {
    add(JsonNode::Type::kString)->text.assign(s, len);
    return true;
  }
  bool StartObject() {
    stack_.push_back(add(JsonNode::Type::kObject));
    return true;
  }
  bool Key(const char* s, rapidjson::SizeType len, bool) {
    stack_.back()->keys.emplace_back(s, len);
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    stack_.pop_back();
    return true;
  }
  bool StartArray() {
    stack_.push_back(add(JsonNode::Type::kArray));
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    stack_.pop_back();
    return true;
  }

 private:
  JsonNode* add(JsonNode::Type type) {
    JsonNode* n;
    if (stack_.empty()) {
      n = &root_;
    } else {
      n = &stack_.back()->items.emplace_back();
    }
    n->type = type;
    return n;
  }

  JsonNode& root_;
  std::vector<JsonNode*> stack_;
};

// True when every byte is below 0x80: such text is valid UTF-8 without a closer look.
bool all_ascii(std::string_view s) {
  uint64_t high = 0;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    high |= word;
  }
  for (; i < s.size(); ++i) high |= static_cast<unsigned char>(s[i]);
  return (high & 0x8080808080808080ULL) == 0;
}

// Parses the first JSON value of `bytes` (Jackson ignores trailing content). `missing` is set for
// empty or whitespace-only input (Jackson's MissingNode). Invalid UTF-8 in a string is an error,
// as for Jackson; RapidJSON's check of it costs more than the rest of the parse, so all-ASCII
// input (valid by definition, and the usual case) skips it.
Status parse_json(std::string_view bytes, JsonNode& root, bool& missing) {
  missing = false;
  rapidjson::MemoryStream ms(bytes.data(), bytes.size());
  rapidjson::Reader reader;
  DomBuilder builder(root);
  constexpr unsigned kFlags =
      rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseNumbersAsStringsFlag;
  rapidjson::ParseResult ok =
      all_ascii(bytes) ? reader.Parse<kFlags>(ms, builder)
                       : reader.Parse<kFlags | rapidjson::kParseValidateEncodingFlag>(ms, builder);
  if (!ok) {
    if (ok.Code() == rapidjson::kParseErrorDocumentEmpty) {
      missing = true;
      return Status::OK();
    }
    return Status::invalid_argument(
        std::string("Converting byte[] to Kafka Connect data failed due to serialization error: ") +
        rapidjson::GetParseError_En(ok.Code()) + " at offset " + std::to_string(ok.Offset()));
  }
  return Status::OK();
}

bool is_integral_number(const JsonNode* n) {
  return n != nullptr && n->is_number() && n->text.find_first_of(".eE") == std::string::npos;
}

// BigInteger.longValue() of an integral text: the low 64 bits.
int64_t integral_low64(std::string_view t) {
  bool neg = !t.empty() && t[0] == '-';
  if (neg) t.remove_prefix(1);
  uint64_t acc = 0;
  for (char c : t) acc = acc * 10 + static_cast<uint64_t>(c - '0');
  if (neg) acc = ~acc + 1;
  return static_cast<int64_t>(acc);
}

double node_double(const JsonNode* n) {
  if (n == nullptr || !n->is_number()) return 0.0;
  double d = 0;
  std::from_chars(n->text.data(), n->text.data() + n->text.size(), d);
  return d;
}

float node_float(const JsonNode* n) {
  if (n == nullptr || !n->is_number()) return 0.0f;
  float f = 0;
  std::from_chars(n->text.data(), n->text.data() + n->text.size(), f);
  return f;
}

// JsonNode.longValue(): integral nodes give their low 64 bits, decimals truncate toward zero,
// non-numbers give 0.
int64_t node_long(const JsonNode* n) {
  if (n == nullptr || !n->is_number()) return 0;
  if (is_integral_number(n)) return integral_low64(n->text);
  double d = std::trunc(node_double(n));
  if (d >= 9.2233720368547758e18 || d < -9.2233720368547758e18) {
    return d < 0 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
  }
  return static_cast<int64_t>(d);
}

int32_t node_int(const JsonNode* n) { return static_cast<int32_t>(node_long(n)); }

// Jackson's isInt(): an integral number within int range.
bool node_is_int(const JsonNode* n) {
  if (!is_integral_number(n)) return false;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(n->text.data(), n->text.data() + n->text.size(), v);
  return ec == std::errc() && v >= std::numeric_limits<int32_t>::min() &&
         v <= std::numeric_limits<int32_t>::max();
}

// Canonical compact text of a node; the key of the schema cache.
void append_node(const JsonNode& n, std::string& out) {
  switch (n.type) {
    case JsonNode::Type::kNull:
      out += "null";
      break;
    case JsonNode::Type::kFalse:
      out += "false";
      break;
    case JsonNode::Type::kTrue:
      out += "true";
      break;
    case JsonNode::Type::kNumber:
      out += n.text;
      break;
    case JsonNode::Type::kString:
      append_json_string(n.text, out);
      break;
    case JsonNode::Type::kArray:
      out += '[';
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (i > 0) out += ',';
        append_node(n.items[i], out);
      }
      out += ']';
      break;
    case JsonNode::Type::kObject:
      out += '{';
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (i > 0) out += ',';
        append_json_string(n.keys[i], out);
        out += ':';
        append_node(n.items[i], out);
      }
      out += '}';
      break;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct JsonConverter::Impl {
  explicit Impl(const JsonConverterOptions& o) : options(o) {}

  const JsonConverterOptions& options;

  struct CachedSchema {
    SchemaPtr keep_alive;  // keeps the key's address from being reused
    std::string json;
  };
  // Schema JSON by schema object (Kafka's fromConnectSchemaCache, keyed by identity here: the
  // record path passes the same SchemaPtr for every record of a stream).
  std::unordered_map<const Schema*, CachedSchema> write_cache;
  // Parsed schema by canonical schema JSON (Kafka's toConnectSchemaCache).
  std::unordered_map<std::string, SchemaPtr> read_cache;
  // schema.content, parsed: with schemas.enable, every message is a bare payload of this schema.
  SchemaPtr content_schema;
  std::string scratch;

  void write_schema(const Schema& schema, std::string& out);
  Status write_value(const Schema* schema, const Value& value, std::string& out);
  Status write_logical(const Schema& schema, const Value& value, std::string& out);

  Result<SchemaPtr> read_schema(const JsonNode& node);
  Result<SchemaPtr> read_schema_uncached(const JsonNode& node);
  Result<Value> read_value(const SchemaPtr& schema, const JsonNode* node);
  Result<Value> read_typed(const SchemaPtr& schema_ptr, const JsonNode* node);
  Value read_schemaless(const JsonNode* node);
  Result<Value> read_logical(const Schema& schema, const JsonNode* node, bool& handled);

  void append_cached_schema(const SchemaPtr& schema, std::string& out) {
    if (!schema) {
      out += "null";
      return;
    }
    if (options.schemas_cache_size <= 0) {
      write_schema(*schema, out);
      return;
    }
    auto it = write_cache.find(schema.get());
    if (it == write_cache.end()) {
      if (write_cache.size() >= static_cast<size_t>(options.schemas_cache_size)) {
        write_cache.clear();
      }
      CachedSchema entry{schema, {}};
      write_schema(*schema, entry.json);
      it = write_cache.emplace(schema.get(), std::move(entry)).first;
    }
    out += it->second.json;
  }

  Status serialize(const SchemaPtr& schema, const Value& value, SerializedData& out) {
    if (!schema && value.is_null()) {
      out.set_null();
      return Status::OK();
    }
    std::string& buf = out.reset();
    Status st;
    if (options.schemas_enable) {
      buf += "{\"schema\":";
      append_cached_schema(schema, buf);
      buf += ",\"payload\":";
      st = write_value(schema.get(), value, buf);
      buf += '}';
    } else {
      st = write_value(schema.get(), value, buf);
    }
    if (!st.ok()) out.reset();
    return st;
  }

  Result<SchemaAndValue> deserialize(std::optional<std::string_view> bytes) {
    if (!bytes) return SchemaAndValue{};
    JsonNode root;
    bool missing = false;
    KANAL_RETURN_IF_ERROR(parse_json(*bytes, root, missing));
    const JsonNode* payload = missing ? nullptr : &root;
    SchemaPtr schema;
    if (options.schemas_enable && content_schema) {
      // Connect 4's schema.content: the message is the payload; an envelope is read as data.
      schema = content_schema;
    } else if (options.schemas_enable) {
      if (missing || !root.is_object() || root.member_count() != 2 || !root.get("schema") ||
          !root.get("payload")) {
        return Status::invalid_argument(
            "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may "
            "not contain additional fields. If you are trying to deserialize plain JSON data, set "
            "schemas.enable=false in your converter configuration.");
      }
      Result<SchemaPtr> s = read_schema(*root.get("schema"));
      if (!s.ok()) return s.status();
      schema = std::move(s).value();
      payload = root.get("payload");
    }
    Result<Value> v = read_value(schema, payload);
    if (!v.ok()) return v.status();
    return SchemaAndValue{std::move(schema), std::move(v).value()};
  }
};

// JsonConverter.asJsonSchema: member order type, items|keys,values|fields, optional, name,
// version, doc, parameters, default; a struct field's schema gets "field" appended last.
void JsonConverter::Impl::write_schema(const Schema& schema, std::string& out) {
  out += "{\"type\":\"";
  out += json_type_name(schema.type());
  out += '"';
  switch (schema.type()) {
    case SchemaType::kArray:
      out += ",\"items\":";
      if (schema.value_schema()) {
        write_schema(*schema.value_schema(), out);
      } else {
        out += "null";
      }
      break;
    case SchemaType::kMap:
      out += ",\"keys\":";
      if (schema.key_schema()) {
        write_schema(*schema.key_schema(), out);
      } else {
        out += "null";
      }
      out += ",\"values\":";
      if (schema.value_schema()) {
        write_schema(*schema.value_schema(), out);
      } else {
        out += "null";
      }
      break;
    case SchemaType::kStruct:
      out += ",\"fields\":[";
      for (size_t i = 0; i < schema.fields().size(); ++i) {
        const Field& f = schema.fields()[i];
        if (i > 0) out += ',';
        write_schema(*f.schema, out);
        out.pop_back();  // reopen the field schema's object to append "field"
        out += ",\"field\":";
        append_json_string(f.name, out);
        out += '}';
      }
      out += ']';
      break;
    default:
      break;
  }
  out += schema.is_optional() ? ",\"optional\":true" : ",\"optional\":false";
  if (schema.name()) {
    out += ",\"name\":";
    append_json_string(*schema.name(), out);
  }
  if (schema.version()) {
    out += ",\"version\":";
    append_int(*schema.version(), out);
  }
  if (schema.doc()) {
    out += ",\"doc\":";
    append_json_string(*schema.doc(), out);
  }
  if (!schema.parameters().empty()) {
    out += ",\"parameters\":{";
    bool first = true;
    for (const auto& [k, v] : schema.parameters()) {
      if (!first) out += ',';
      first = false;
      append_json_string(k, out);
      out += ':';
      append_json_string(v, out);
    }
    out += '}';
  }
  if (schema.default_value() != nullptr) {
    out += ",\"default\":";
    size_t mark = out.size();
    if (!write_value(&schema, *schema.default_value(), out).ok()) {
      // A built schema's default validated against it; keep the output well-formed regardless.
      out.resize(mark);
      out += "null";
    }
  }
  out += '}';
}

Status JsonConverter::Impl::write_logical(const Schema& schema, const Value& value,
                                          std::string& out) {
  const std::string& name = *schema.name();
  if (name == logical::kDecimalName) {
    const Bytes* b = value.bytes_if();
    if (b == nullptr) {
      return Status::invalid_argument(
          std::string("Invalid type for Decimal, expected unscaled bytes but was ") +
          to_connect_string(value.kind()));
    }
    if (options.decimal_format == DecimalFormat::kNumeric) {
      Result<int32_t> scale = logical::decimal_scale(schema);
      if (!scale.ok()) return scale.status();
      out += logical::decimal_to_string(b->data, *scale);
    } else {
      append_base64_string(b->data, out);
    }
    return Status::OK();
  }
  // Date, Time and Timestamp are written as their integer representation.
  std::optional<int64_t> i = value.integral();
  if (!i) {
    return Status::invalid_argument("Invalid type for " + name.substr(name.rfind('.') + 1) +
                                    ", expected an integer but was " +
                                    to_connect_string(value.kind()));
  }
  append_int(*i, out);
  return Status::OK();
}

// JsonConverter.convertToJson.
Status JsonConverter::Impl::write_value(const Schema* schema, const Value& value,
                                        std::string& out) {
  if (value.is_null()) {
    if (schema == nullptr) {
      out += "null";
      return Status::OK();
    }
    if (schema->default_value() != nullptr && options.replace_null_with_default) {
      return write_value(schema, *schema->default_value(), out);
    }
    if (schema->is_optional()) {
      out += "null";
      return Status::OK();
    }
    return Status::invalid_argument(
        "Conversion error: null value for field that is required and has no default value");
  }
  if (schema != nullptr && schema->name()) {
    const std::string& name = *schema->name();
    if ((name == logical::kDecimalName && schema->type() == SchemaType::kBytes) ||
        ((name == logical::kDateName || name == logical::kTimeName) &&
         schema->type() == SchemaType::kInt32) ||
        (name == logical::kTimestampName && schema->type() == SchemaType::kInt64)) {
      return write_logical(*schema, value, out);
    }
  }
  if (schema != nullptr) {
    std::optional<SchemaType> kind_type = schema_type_of(value.kind());
    if (!kind_type || *kind_type != schema->type()) {
      return Status::invalid_argument(std::string("Invalid type for ") +
                                      to_connect_string(schema->type()) + ": " +
                                      to_connect_string(value.kind()));
    }
  }
  switch (value.kind()) {
    case ValueKind::kNull:
      out += "null";
      return Status::OK();
    case ValueKind::kBoolean:
      out += value.as_bool() ? "true" : "false";
      return Status::OK();
    case ValueKind::kInt8:
      append_int(static_cast<int>(value.as_int8()), out);
      return Status::OK();
    case ValueKind::kInt16:
      append_int(static_cast<int>(value.as_int16()), out);
      return Status::OK();
    case ValueKind::kInt32:
      append_int(value.as_int32(), out);
      return Status::OK();
    case ValueKind::kInt64:
      append_int(value.as_int64(), out);
      return Status::OK();
    case ValueKind::kFloat32:
      append_json_float(value.as_float32(), out);
      return Status::OK();
    case ValueKind::kFloat64:
      append_json_float(value.as_float64(), out);
      return Status::OK();
    case ValueKind::kString:
      append_json_string(value.as_string(), out);
      return Status::OK();
    case ValueKind::kBytes:
      append_base64_string(value.as_bytes().data, out);
      return Status::OK();
    case ValueKind::kArray: {
      const Schema* elem = schema ? schema->value_schema().get() : nullptr;
      out += '[';
      bool first = true;
      for (const Value& v : value.as_array()) {
        if (!first) out += ',';
        first = false;
        KANAL_RETURN_IF_ERROR(write_value(elem, v, out));
      }
      out += ']';
      return Status::OK();
    }
    case ValueKind::kMap: {
      const Value::Map& map = value.as_map();
      const Schema* key_schema = schema ? schema->key_schema().get() : nullptr;
      const Schema* value_schema = schema ? schema->value_schema().get() : nullptr;
      bool object_mode;
      if (schema == nullptr) {
        object_mode = true;
        for (const auto& e : map) {
          if (e.first.kind() != ValueKind::kString) {
            object_mode = false;
            break;
          }
        }
      } else {
        object_mode = key_schema != nullptr && key_schema->type() == SchemaType::kString;
      }
      bool first = true;
      out += object_mode ? '{' : '[';
      for (const auto& [k, v] : map) {
        if (!first) out += ',';
        first = false;
        if (object_mode) {
          if (k.is_null()) {
            // Kafka converts the key (default, null or error) and takes asText(): a NullNode
            // gives "null", a default string itself.
            scratch.clear();
            KANAL_RETURN_IF_ERROR(write_value(key_schema, k, scratch));
            if (scratch == "null") {
              append_json_string("null", out);
            } else {
              out += scratch;
            }
          } else {
            if (k.kind() != ValueKind::kString) {
              return Status::invalid_argument(std::string("Invalid type for STRING: ") +
                                              to_connect_string(k.kind()));
            }
            append_json_string(k.as_string(), out);
          }
          out += ':';
          KANAL_RETURN_IF_ERROR(write_value(value_schema, v, out));
        } else {
          out += '[';
          KANAL_RETURN_IF_ERROR(write_value(key_schema, k, out));
          out += ',';
          KANAL_RETURN_IF_ERROR(write_value(value_schema, v, out));
          out += ']';
        }
      }
      out += object_mode ? '}' : ']';
      return Status::OK();
    }
    case ValueKind::kStruct: {
      const Struct& s = value.as_struct();
      if (schema == nullptr || !s.schema() || !(*s.schema() == *schema)) {
        return Status::invalid_argument("Mismatching schema.");
      }
      out += '{';
      const auto& fields = schema->fields();
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ',';
        append_json_string(fields[i].name, out);
        out += ':';
        KANAL_RETURN_IF_ERROR(write_value(fields[i].schema.get(), s.get(i), out));
      }
      out += '}';
      return Status::OK();
    }
  }
  return Status::internal("unknown value kind");
}

// JsonConverter.asConnectSchema, cached by the schema's canonical JSON.
Result<SchemaPtr> JsonConverter::Impl::read_schema(const JsonNode& node) {
  if (node.is_null()) return SchemaPtr();
  if (options.schemas_cache_size <= 0) return read_schema_uncached(node);
  std::string key;
  append_node(node, key);
  auto it = read_cache.find(key);
  if (it != read_cache.end()) return it->second;
  Result<SchemaPtr> s = read_schema_uncached(node);
  if (!s.ok()) return s;
  if (read_cache.size() >= static_cast<size_t>(options.schemas_cache_size)) read_cache.clear();
  read_cache.emplace(std::move(key), *s);
  return s;
}

Result<SchemaPtr> JsonConverter::Impl::read_schema_uncached(const JsonNode& node) {
  if (node.is_null()) return SchemaPtr();
  const JsonNode* type_node = node.is_object() ? node.get("type") : nullptr;
  if (type_node == nullptr || !type_node->is_string()) {
    return Status::invalid_argument("Schema must contain 'type' field");
  }
  std::optional<SchemaType> type = parse_json_type_name(type_node->text);
  if (!type) return Status::invalid_argument("Unknown schema type: " + type_node->text);

  std::optional<SchemaBuilder> builder;
  switch (*type) {
    case SchemaType::kArray: {
      const JsonNode* items = node.get("items");
      if (items == nullptr || items->is_null()) {
        return Status::invalid_argument("Array schema did not specify the element type");
      }
      Result<SchemaPtr> elem = read_schema(*items);
      if (!elem.ok()) return elem.status();
      builder.emplace(SchemaBuilder::array(*elem));
      break;
    }
    case SchemaType::kMap: {
      const JsonNode* keys = node.get("keys");
      if (keys == nullptr) {
        return Status::invalid_argument("Map schema did not specify the key type");
      }
      const JsonNode* values = node.get("values");
      if (values == nullptr) {
        return Status::invalid_argument("Map schema did not specify the value type");
      }
      Result<SchemaPtr> k = read_schema(*keys);
      if (!k.ok()) return k.status();
      Result<SchemaPtr> v = read_schema(*values);
      if (!v.ok()) return v.status();
      builder.emplace(SchemaBuilder::map(*k, *v));
      break;
    }
    case SchemaType::kStruct: {
      builder.emplace(SchemaBuilder::structure());
      const JsonNode* fields = node.get("fields");
      if (fields == nullptr || !fields->is_array()) {
        return Status::invalid_argument("Struct schema's \"fields\" argument is not an array.");
      }
      for (const JsonNode& f : fields->items) {
        const JsonNode* name = f.is_object() ? f.get("field") : nullptr;
        if (name == nullptr || !name->is_string()) {
          return Status::invalid_argument("Struct schema's field name not specified properly");
        }
        Result<SchemaPtr> fs = read_schema(f);
        if (!fs.ok()) return fs.status();
        builder->field(name->text, *fs);
      }
      break;
    }
    default:
      builder.emplace(*type);
      break;
  }
  const JsonNode* optional = node.get("optional");
  if (optional != nullptr && optional->type == JsonNode::Type::kTrue) {
    builder->optional();
  }
  const JsonNode* name = node.get("name");
  if (name != nullptr && name->is_string()) builder->name(name->text);
  const JsonNode* version = node.get("version");
  if (is_integral_number(version)) builder->version(node_int(version));
  const JsonNode* doc = node.get("doc");
  if (doc != nullptr && doc->is_string()) builder->doc(doc->text);
  const JsonNode* params = node.get("parameters");
  if (params != nullptr && params->is_object()) {
    for (size_t i = 0; i < params->keys.size(); ++i) {
      if (!params->items[i].is_string()) {
        return Status::invalid_argument("Schema parameters must have string values.");
      }
      builder->parameter(params->keys[i], params->items[i].text);
    }
  }
  const JsonNode* def = node.get("default");
  if (def != nullptr) {
    Result<SchemaPtr> without_default = builder->build_checked();
    if (!without_default.ok()) return without_default.status();
    Result<Value> dv = read_value(*without_default, def);
    if (!dv.ok()) return dv.status();
    builder->default_value(std::move(dv).value());
  }
  return builder->build_checked();
}

Value JsonConverter::Impl::read_schemaless(const JsonNode* node) {
  if (node == nullptr) return Value();
  switch (node->type) {
    case JsonNode::Type::kNull:
      return Value();
    case JsonNode::Type::kFalse:
      return Value::boolean(false);
    case JsonNode::Type::kTrue:
      return Value::boolean(true);
    case JsonNode::Type::kNumber:
      if (is_integral_number(node)) return Value::int64(node_long(node));
      return Value::float64(node_double(node));
    case JsonNode::Type::kString:
      return Value::string(node->text);
    case JsonNode::Type::kArray: {
      Value::Array items;
      items.reserve(node->items.size());
      for (const JsonNode& n : node->items) items.push_back(read_schemaless(&n));
      return Value::array(std::move(items));
    }
    case JsonNode::Type::kObject: {
      Value::Map entries;
      entries.reserve(node->items.size());
      for (size_t i = 0; i < node->items.size(); ++i) {
        entries.emplace_back(Value::string(node->keys[i]), read_schemaless(&node->items[i]));
      }
      return Value::map(std::move(entries));
    }
  }
  return Value();
}

Result<Value> JsonConverter::Impl::read_logical(const Schema& schema, const JsonNode* node,
                                                bool& handled) {
  handled = true;
  const std::string& name = *schema.name();
  if (name == logical::kDecimalName && schema.type() == SchemaType::kBytes) {
    Result<int32_t> scale = logical::decimal_scale(schema);
    if (!scale.ok()) return scale.status();
    if (node->is_number()) {
      Result<std::string> unscaled = logical::decimal_from_string(node->text, *scale);
      if (!unscaled.ok()) return unscaled.status();
      return Value::bytes(std::move(unscaled).value());
    }
    if (node->is_string()) {
      std::optional<std::string> raw = detail::base64_decode(node->text);
      if (!raw) return Status::invalid_argument("Invalid bytes for Decimal field");
      return Value::bytes(std::move(*raw));
    }
    return Status::invalid_argument(
        std::string("Invalid type for Decimal, underlying representation should be numeric or "
                    "bytes but was ") +
        node_type_name(node));
  }
  if (name == logical::kDateName && schema.type() == SchemaType::kInt32) {
    if (!node_is_int(node)) {
      return Status::invalid_argument(
          std::string("Invalid type for Date, underlying representation should be integer but "
                      "was ") +
          node_type_name(node));
    }
    return Value::int32(node_int(node));
  }
  if (name == logical::kTimeName && schema.type() == SchemaType::kInt32) {
    if (!node_is_int(node)) {
      return Status::invalid_argument(
          std::string("Invalid type for Time, underlying representation should be integer but "
                      "was ") +
          node_type_name(node));
    }
    int32_t ms = node_int(node);
    if (ms < 0 || ms > 86400000) {
      return Status::invalid_argument(
          "Time values must use number of milliseconds greater than 0 and less than 86400000");
    }
    return Value::int32(ms);
  }
  if (name == logical::kTimestampName && schema.type() == SchemaType::kInt64) {
    if (!is_integral_number(node)) {
      return Status::invalid_argument(
          std::string("Invalid type for Timestamp, underlying representation should be integral "
                      "but was ") +
          node_type_name(node));
    }
    return Value::int64(node_long(node));
  }
  handled = false;
  return Value();
}

// JsonConverter.convertToConnect.
Result<Value> JsonConverter::Impl::read_value(const SchemaPtr& schema, const JsonNode* node) {
  if (!schema) return read_schemaless(node);
  return read_typed(schema, node);
}

Result<Value> JsonConverter::Impl::read_typed(const SchemaPtr& schema_ptr, const JsonNode* node) {
  const Schema& schema = *schema_ptr;
  if (node == nullptr || node->is_null()) {
    if (schema.default_value() != nullptr && options.replace_null_with_default) {
      return *schema.default_value();
    }
    if (schema.is_optional()) return Value();
    return Status::invalid_argument(std::string("Invalid null value for required ") +
                                    to_connect_string(schema.type()) + " field");
  }
  if (schema.name()) {
    bool handled = false;
    Result<Value> v = read_logical(schema, node, handled);
    if (handled) return v;
  }
  switch (schema.type()) {
    case SchemaType::kBoolean:
      return Value::boolean(node->type == JsonNode::Type::kTrue);
    case SchemaType::kInt8:
      return Value::int8(static_cast<int8_t>(node_int(node)));
    case SchemaType::kInt16:
      return Value::int16(static_cast<int16_t>(node_int(node)));
    case SchemaType::kInt32:
      return Value::int32(node_int(node));
    case SchemaType::kInt64:
      return Value::int64(node_long(node));
    case SchemaType::kFloat32:
      return Value::float32(node_float(node));
    case SchemaType::kFloat64:
      return Value::float64(node_double(node));
    case SchemaType::kString:
      // JsonNode.textValue(): null for a non-string node.
      if (!node->is_string()) return Value();
      return Value::string(node->text);
    case SchemaType::kBytes: {
      // JsonNode.binaryValue(): base64-decoded text; null for non-string nodes.
      if (!node->is_string()) return Value();
      std::optional<std::string> raw = detail::base64_decode(node->text);
      if (!raw) return Status::invalid_argument("Invalid bytes field");
      return Value::bytes(std::move(*raw));
    }
    case SchemaType::kArray: {
      Value::Array items;
      items.reserve(node->items.size());
      for (const JsonNode& n : node->items) {
        Result<Value> v = read_value(schema.value_schema(), &n);
        if (!v.ok()) return v.status();
        items.push_back(std::move(v).value());
      }
      return Value::array(std::move(items));
    }
    case SchemaType::kMap: {
      Value::Map entries;
      if (schema.key_schema()->type() == SchemaType::kString) {
        if (!node->is_object()) {
          return Status::invalid_argument(
              std::string("Maps with string fields should be encoded as JSON objects, but found ") +
              node_type_name(node));
        }
        entries.reserve(node->items.size());
        for (size_t i = 0; i < node->items.size(); ++i) {
          Result<Value> v = read_value(schema.value_schema(), &node->items[i]);
          if (!v.ok()) return v.status();
          entries.emplace_back(Value::string(node->keys[i]), std::move(v).value());
        }
      } else {
        if (!node->is_array()) {
          return Status::invalid_argument(
              std::string("Maps with non-string fields should be encoded as JSON array of "
                          "tuples, but found ") +
              node_type_name(node));
        }
        entries.reserve(node->items.size());
        for (const JsonNode& e : node->items) {
          if (!e.is_array()) {
            return Status::invalid_argument(
                std::string("Found invalid map entry instead of array tuple: ") +
                node_type_name(&e));
          }
          if (e.items.size() != 2) {
            return Status::invalid_argument(
                "Found invalid map entry, expected length 2 but found :" +
                std::to_string(e.items.size()));
          }
          Result<Value> k = read_value(schema.key_schema(), &e.items[0]);
          if (!k.ok()) return k.status();
          Result<Value> v = read_value(schema.value_schema(), &e.items[1]);
          if (!v.ok()) return v.status();
          entries.emplace_back(std::move(k).value(), std::move(v).value());
        }
      }
      return Value::map(std::move(entries));
    }
    case SchemaType::kStruct: {
      if (!node->is_object()) {
        return Status::invalid_argument(
            std::string("Structs should be encoded as JSON objects, but found ") +
            node_type_name(node));
      }
      Struct s(schema_ptr);
      for (const Field& f : schema.fields()) {
        Result<Value> v = read_value(f.schema, node->get(f.name));
        if (!v.ok()) return v.status();
        // Struct.put validates, e.g. a required string field given a number reads as null.
        KANAL_RETURN_IF_ERROR(validate_value(f.schema, *v, f.name));
        s.set(static_cast<size_t>(f.index), std::move(v).value());
      }
      return Value::structure(std::move(s));
    }
  }
  return Status::internal("unknown schema type");
}

// ---------------------------------------------------------------------------------------------

JsonConverter::JsonConverter() : JsonConverter(JsonConverterOptions{}) {}

JsonConverter::JsonConverter(JsonConverterOptions options)
    : options_(options), impl_(std::make_unique<Impl>(options_)) {}

JsonConverter::~JsonConverter() = default;

const config::ConfigDef& JsonConverter::config_def() const {
  static const config::ConfigDef def = [] {
    auto key = [](std::string_view name, config::Type type, std::string def,
                  config::Importance importance, std::string doc, std::string group, int order,
                  std::string display) {
      config::ConfigKey k =
          config::make_key(std::string(name), type, std::move(def), importance, std::move(doc));
      k.group = std::move(group);
      k.order_in_group = order;
      k.width = config::Width::kMedium;
      k.display_name = std::move(display);
      return k;
    };
    using config::Importance;
    using config::Type;
    config::ConfigDef d;
    d.define(converter_type_key());
    d.define(key(kSchemasEnable, Type::kBoolean, "true", Importance::kHigh,
                 "Write each key or value as a {\"schema\":...,\"payload\":...} envelope, and "
                 "expect one when reading.",
                 "Schemas", 0, "Enable Schemas"));
    d.define(key(kSchemasCacheSize, Type::kInt, "1000", Importance::kHigh,
                 "How many schemas one converter instance keeps converted in each direction.",
                 "Schemas", 1, "Schema Cache Size"));
    config::ConfigKey content =
        key(kSchemaContent, Type::kString, "", Importance::kHigh,
            "A Connect schema in JSON (as in an envelope's \"schema\" member). When set and "
            "schemas.enable is true, every message read is a bare payload of this schema instead "
            "of an envelope; writing is unchanged.",
            "Schemas", 2, "Schema Content");
    content.default_value.reset();
    content.default_is_null = true;
    d.define(std::move(content));
    config::ConfigKey decimal =
        key(kDecimalFormat, Type::kString, "BASE64", Importance::kLow,
            "How DECIMAL values are written: BASE64 (the unscaled bytes, base64-encoded) or "
            "NUMERIC (a JSON number). Case insensitive.",
            "Serialization", 0, "Decimal Format");
    config::Validator formats = config::one_of({"NUMERIC", "BASE64"}, true);
    decimal.validator = config::Validator{
        [check = formats.check](const config::Value& v) -> std::optional<std::string> {
          if (!check(v)) return std::nullopt;
          return std::string("String must be one of (case insensitive): NUMERIC, BASE64");
        },
        formats.description, formats.recommended};
    d.define(std::move(decimal));
    d.define(key(kReplaceNullWithDefault, Type::kBoolean, "true", Importance::kLow,
                 "Write a field's default value in place of a null when the field has one; "
                 "false writes the null.",
                 "Serialization", 1, "Replace null with default"));
    return d;
  }();
  return def;
}

Status JsonConverter::configure(const ConfigMap& configs, bool is_key) {
  // As Connect's JsonConverter.configure(configs, isKey): the role comes from the argument.
  ConfigMap with_role = configs;
  with_role["converter.type"] = is_key ? "key" : "value";
  return apply(with_role);
}

Status JsonConverter::apply(const ConfigMap& configs) {
  auto parsed = config_def().parse(configs);
  if (!parsed.ok()) return parsed.status();
  config::ParsedConfig p(*parsed);
  JsonConverterOptions o;
  o.schemas_enable = p.get_bool(kSchemasEnable);
  o.schemas_cache_size = p.get_int(kSchemasCacheSize);
  o.replace_null_with_default = p.get_bool(kReplaceNullWithDefault);
  // The validator admits NUMERIC and BASE64 in any case.
  o.decimal_format = strcasecmp(p.get_string(kDecimalFormat).c_str(), "NUMERIC") == 0
                         ? DecimalFormat::kNumeric
                         : DecimalFormat::kBase64;
  impl_->write_cache.clear();
  impl_->read_cache.clear();
  SchemaPtr content;
  if (std::string text = p.get_string(kSchemaContent); !text.empty()) {
    JsonNode root;
    bool missing = false;
    Status parsed_json = parse_json(text, root, missing);
    if (!parsed_json.ok() || missing) {
      return Status::invalid_argument(
          "Failed to parse schema in converter config due to serialization error: " +
          (missing ? std::string("no JSON value") : parsed_json.message()));
    }
    Result<SchemaPtr> schema = impl_->read_schema(root);
    if (!schema.ok()) return schema.status();
    content = std::move(schema).value();
  }
  options_ = o;
  impl_->content_schema = std::move(content);
  return Status::OK();
}

Status JsonConverter::from_connect(std::string_view, Headers*, const SchemaPtr& schema,
                                   const Value& value, SerializedData& out) {
  return impl_->serialize(schema, value, out);
}

Result<SchemaAndValue> JsonConverter::to_connect(std::string_view, const Headers*,
                                                 std::optional<std::string_view> bytes) {
  return impl_->deserialize(bytes);
}

Status JsonConverter::configure(const ConfigMap& configs) {
  // The header-converter form: the worker names the role (header); value when it does not.
  if (configs.count("converter.type")) return apply(configs);
  return configure(configs, false);
}

Status JsonConverter::from_connect_header(std::string_view, std::string_view,
                                          const SchemaPtr& schema, const Value& value,
                                          SerializedData& out) {
  return impl_->serialize(schema, value, out);
}

Result<SchemaAndValue> JsonConverter::to_connect_header(std::string_view, std::string_view,
                                                        std::optional<std::string_view> bytes) {
  return impl_->deserialize(bytes);
}

void JsonConverter::append_schema_json(const SchemaPtr& schema, std::string& out) {
  impl_->append_cached_schema(schema, out);
}

Result<SchemaPtr> JsonConverter::parse_schema_json(std::string_view json) {
  JsonNode root;
  bool missing = false;
  KANAL_RETURN_IF_ERROR(parse_json(json, root, missing));
  if (missing) return Status::invalid_argument("Schema JSON is empty");
  return impl_->read_schema(root);
}

}  // namespace kanal::data
