#include "storage/offset_codec.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "data/value.h"

namespace kanal::storage {
namespace {

// Jackson's default Base64Variant (MIME_NO_LINEFEEDS): standard alphabet, padded, one line. The
// schemaless JsonConverter writes byte[] and ByteBuffer values this way.
void append_base64(std::string_view in, std::string& out) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t n = (uint32_t{static_cast<uint8_t>(in[i])} << 16) |
                 (uint32_t{static_cast<uint8_t>(in[i + 1])} << 8) |
                 uint32_t{static_cast<uint8_t>(in[i + 2])};
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  size_t rest = in.size() - i;
  if (rest == 0) return;
  uint32_t n = uint32_t{static_cast<uint8_t>(in[i])} << 16;
  if (rest == 2) n |= uint32_t{static_cast<uint8_t>(in[i + 1])} << 8;
  out += kAlphabet[(n >> 18) & 63];
  out += kAlphabet[(n >> 12) & 63];
  out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
  out += '=';
}

// Jackson's escaping (CharTypes.sOutputEscapes128): '"' and '\\', the five short control escapes,
// other control characters as \u00XX with upper-case hex; '/', DEL and non-ASCII pass unchanged
// (UTF-8 output). RapidJSON's Writer happens to agree, but keys must stay byte-identical to
// Java's, so the rule lives here where it is written down.
void append_json_string(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '"';
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
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
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 15];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// Jackson writes non-finite numbers as strings (JsonGenerator.Feature.QUOTE_NON_NUMERIC_NUMBERS,
// on by default) and finite ones through Double.toString / Float.toString.
template <typename F>
void append_json_floating(F v, std::string& out) {
  const bool quoted = !std::isfinite(v);
  if (quoted) out += '"';
  if constexpr (std::is_same_v<F, float>) {
    data::append_java_float(v, out);
  } else {
    data::append_java_double(v, out);
  }
  if (quoted) out += '"';
}

void append_json_map(const data::OrderedMap& map, std::string& out);

void append_json_value(const data::Value& value, std::string& out) {
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          out += "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
          append_json_floating(v, out);
        } else if constexpr (std::is_integral_v<T>) {
          out += std::to_string(v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          append_json_string(v, out);
        } else if constexpr (std::is_same_v<T, data::Bytes>) {
          out += '"';
          append_base64(v.data, out);
          out += '"';
        } else if constexpr (std::is_same_v<T, data::Value::Array>) {
          out += '[';
          for (size_t i = 0; i < v.size(); ++i) {
            if (i > 0) out += ',';
            append_json_value(v[i], out);
          }
          out += ']';
        } else if constexpr (std::is_same_v<T, data::Value::Map>) {
          out += '{';
          for (size_t i = 0; i < v.size(); ++i) {
            if (i > 0) out += ',';
            const std::string* key = v[i].first.string_if();
            append_json_string(key != nullptr ? *key : data::to_java_string(v[i].first), out);
            out += ':';
            append_json_value(v[i].second, out);
          }
          out += '}';
        } else {
          static_assert(std::is_same_v<T, data::Struct>);
          append_json_string(data::to_java_string(data::Value(v)), out);
        }
      },
      value.storage());
}

void append_json_map(const data::OrderedMap& map, std::string& out) {
  out += '{';
  bool first = true;
  for (const auto& [key, value] : map) {
    if (!first) out += ',';
    first = false;
    append_json_string(key, out);
    out += ':';
    append_json_value(value, out);
  }
  out += '}';
}

bool is_primitive(data::ValueKind kind) {
  switch (kind) {
    case data::ValueKind::kNull:
    case data::ValueKind::kBoolean:
    case data::ValueKind::kInt8:
    case data::ValueKind::kInt16:
    case data::ValueKind::kInt32:
    case data::ValueKind::kInt64:
    case data::ValueKind::kFloat32:
    case data::ValueKind::kFloat64:
    case data::ValueKind::kString:
    case data::ValueKind::kBytes:
      return true;
    case data::ValueKind::kArray:
    case data::ValueKind::kMap:
    case data::ValueKind::kStruct:
      return false;
  }
  return false;
}

const char* article_for(data::ValueKind kind) {
  return kind == data::ValueKind::kArray ? "an" : "a";
}

// JsonConverter.convertToConnect with a null schema: integral numbers become Long (a number
// beyond the long range keeps its low 64 bits, as BigInteger.longValue does), others Double.
data::Value from_json(const rapidjson::Value& json) {
  switch (json.GetType()) {
    case rapidjson::kNullType:
      return data::Value::null();
    case rapidjson::kFalseType:
      return data::Value::boolean(false);
    case rapidjson::kTrueType:
      return data::Value::boolean(true);
    case rapidjson::kStringType:
      return data::Value::string(std::string_view(json.GetString(), json.GetStringLength()));
    case rapidjson::kNumberType:
      if (json.IsInt64()) return data::Value::int64(json.GetInt64());
      if (json.IsUint64()) return data::Value::int64(static_cast<int64_t>(json.GetUint64()));
      return data::Value::float64(json.GetDouble());
    case rapidjson::kArrayType: {
      data::Value::Array items;
      items.reserve(json.Size());
      for (const auto& item : json.GetArray()) items.push_back(from_json(item));
      return data::Value::array(std::move(items));
    }
    case rapidjson::kObjectType: {
      data::Value::Map entries;
      entries.reserve(json.MemberCount());
      for (const auto& m : json.GetObject()) {
        entries.emplace_back(
            data::Value::string(std::string_view(m.name.GetString(), m.name.GetStringLength())),
            from_json(m.value));
      }
      return data::Value::map(std::move(entries));
    }
  }
  return data::Value::null();
}

// Jackson's ObjectNode keeps the first position and the last value of a repeated name;
// OrderedMap::set does the same.
data::OrderedMap map_from_json(const rapidjson::Value& object) {
  data::OrderedMap map;
  for (const auto& m : object.GetObject()) {
    map.set(std::string(m.name.GetString(), m.name.GetStringLength()), from_json(m.value));
  }
  return map;
}

const char* json_type_name(const rapidjson::Value& json) {
  switch (json.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "boolean";
    case rapidjson::kStringType:
      return "string";
    case rapidjson::kNumberType:
      return "number";
    case rapidjson::kArrayType:
      return "array";
    case rapidjson::kObjectType:
      return "object";
  }
  return "unknown";
}

Status parse(std::string_view bytes, std::string_view what, rapidjson::Document& doc) {
  doc.Parse<rapidjson::kParseFullPrecisionFlag>(bytes.data(), bytes.size());
  if (doc.HasParseError()) {
    return Status::invalid_argument(std::string(what) + " is not valid JSON: " +
                                    rapidjson::GetParseError_En(doc.GetParseError()) + " at byte " +
                                    std::to_string(doc.GetErrorOffset()));
  }
  return Status::OK();
}

}  // namespace

Status validate_offset_map(const data::OrderedMap& map, std::string_view what) {
  for (const auto& [key, value] : map) {
    data::ValueKind kind = value.kind();
    if (is_primitive(kind)) continue;
    std::string msg(what);
    if (!msg.empty()) msg[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(msg[0])));
    msg += " may only contain primitive values (string, integer, float, boolean, bytes or null)";
    msg += ", but key '" + key + "' is " + article_for(kind) + " " + to_connect_string(kind);
    return Status::invalid_argument(std::move(msg));
  }
  return Status::OK();
}

Result<std::string> encode_offset_key(std::string_view connector,
                                      const data::OrderedMap& partition) {
  KANAL_RETURN_IF_ERROR(validate_offset_map(partition, "source partition"));
  // Java builds Arrays.asList(namespace, partition) and serializes it as one JSON array.
  std::string out;
  out.reserve(connector.size() + 16 * partition.size() + 8);
  out += '[';
  append_json_string(connector, out);
  out += ',';
  append_json_map(partition, out);
  out += ']';
  return out;
}

Result<std::string> encode_offset_value(const data::OrderedMap& offset) {
  KANAL_RETURN_IF_ERROR(validate_offset_map(offset, "source offset"));
  return offset_map_to_json(offset);
}

std::string offset_map_to_json(const data::OrderedMap& map) {
  std::string out;
  out.reserve(16 * map.size() + 2);
  append_json_map(map, out);
  return out;
}

Result<OffsetKey> decode_offset_key(std::string_view bytes) {
  rapidjson::Document doc;
  KANAL_RETURN_IF_ERROR(parse(bytes, "Offset key", doc));
  if (!doc.IsArray()) {
    return Status::invalid_argument(std::string("Offset key is a JSON ") + json_type_name(doc) +
                                    ", expected an array [connector name, source partition]");
  }
  if (doc.Size() != 2) {
    return Status::invalid_argument("Offset key has " + std::to_string(doc.Size()) +
                                    " elements, expected 2 [connector name, source partition]");
  }
  if (!doc[0].IsString()) {
    return Status::invalid_argument(std::string("Offset key's first element is a JSON ") +
                                    json_type_name(doc[0]) + ", expected the connector name");
  }
  if (!doc[1].IsObject()) {
    return Status::invalid_argument(std::string("Offset key's second element is a JSON ") +
                                    json_type_name(doc[1]) +
                                    ", expected the source partition object");
  }
  OffsetKey key;
  key.connector.assign(doc[0].GetString(), doc[0].GetStringLength());
  key.partition = map_from_json(doc[1]);
  return key;
}

Result<std::optional<data::OrderedMap>> decode_offset_value(std::string_view bytes) {
  rapidjson::Document doc;
  KANAL_RETURN_IF_ERROR(parse(bytes, "Offset value", doc));
  if (doc.IsNull()) return std::optional<data::OrderedMap>();
  if (!doc.IsObject()) {
    return Status::invalid_argument(std::string("Offset value is a JSON ") + json_type_name(doc) +
                                    ", expected an object or null");
  }
  return std::optional<data::OrderedMap>(map_from_json(doc));
}

}  // namespace kanal::storage
