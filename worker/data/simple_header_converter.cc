#include "data/simple_header_converter.h"

#include <charconv>
#include <cmath>

#include "data/base64_internal.h"

namespace kanal::data {

namespace {

// ---------------------------------------------------------------------------------------------
// Values.convertToString

// Howard Hinnant's civil-from-days / days-from-civil (proleptic Gregorian, UTC).
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void append_padded(int64_t v, int width, std::string& out) {
  std::string s = std::to_string(v < 0 ? -v : v);
  if (v < 0) out += '-';
  if (static_cast<int>(s.size()) < width) out.append(static_cast<size_t>(width) - s.size(), '0');
  out += s;
}

void append_date(int64_t days, std::string& out) {
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  append_padded(y, 4, out);
  out += '-';
  append_padded(m, 2, out);
  out += '-';
  append_padded(d, 2, out);
}

void append_time_of_day(int64_t ms, std::string& out) {
  append_padded(ms / 3600000, 2, out);
  out += ':';
  append_padded(ms / 60000 % 60, 2, out);
  out += ':';
  append_padded(ms / 1000 % 60, 2, out);
  out += '.';
  append_padded(ms % 1000, 3, out);
  out += 'Z';
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

void append_value(const Schema* schema, const Value& value, bool embedded, std::string& out);

void append_quoted(std::string_view s, std::string& out) {
  out += '"';
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  out += '"';
}

void append_value(const Schema* schema, const Value& value, bool embedded, std::string& out) {
  if (value.is_null()) {
    out += "null";
    return;
  }
  if (schema != nullptr && schema->name()) {
    if (logical::is_decimal(*schema) && value.bytes_if()) {
      Result<int32_t> scale = logical::decimal_scale(*schema);
      out += logical::decimal_to_string(value.as_bytes().data, scale.ok() ? *scale : 0);
      return;
    }
    std::optional<int64_t> i = value.integral();
    if (i && (logical::is_date(*schema) || logical::is_time(*schema) ||
              logical::is_timestamp(*schema))) {
      if (embedded) out += '"';
      if (logical::is_date(*schema)) {
        append_date(*i, out);
      } else if (logical::is_time(*schema)) {
        append_time_of_day(*i, out);
      } else {
        append_date(floor_div(*i, 86400000), out);
        out += 'T';
        append_time_of_day(*i - floor_div(*i, 86400000) * 86400000, out);
      }
      if (embedded) out += '"';
      return;
    }
  }
  switch (value.kind()) {
    case ValueKind::kString:
      if (embedded) {
        append_quoted(value.as_string(), out);
      } else {
        out += value.as_string();
      }
      return;
    case ValueKind::kBytes:
      if (embedded) out += '"';
      detail::base64_encode(value.as_bytes().data, out);
      if (embedded) out += '"';
      return;
    case ValueKind::kArray: {
      const Schema* elem = schema ? schema->value_schema().get() : nullptr;
      out += '[';
      bool first = true;
      for (const Value& v : value.as_array()) {
        if (!first) out += ',';
        first = false;
        append_value(elem, v, true, out);
      }
      out += ']';
      return;
    }
    case ValueKind::kMap: {
      const Schema* ks = schema ? schema->key_schema().get() : nullptr;
      const Schema* vs = schema ? schema->value_schema().get() : nullptr;
      out += '{';
      bool first = true;
      for (const auto& [k, v] : value.as_map()) {
        if (!first) out += ',';
        first = false;
        append_value(ks, k, true, out);
        out += ':';
        append_value(vs, v, true, out);
      }
      out += '}';
      return;
    }
    case ValueKind::kStruct: {
      const Struct& s = value.as_struct();
      out += '{';
      const auto& fields = s.schema()->fields();
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ',';
        append_quoted(fields[i].name, out);
        out += ':';
        const Value& fv = s.get(i);
        const Value& effective = fv.is_null() && fields[i].schema->default_value()
                                     ? *fields[i].schema->default_value()
                                     : fv;
        append_value(fields[i].schema.get(), effective, true, out);
      }
      out += '}';
      return;
    }
    default:
      out += to_java_string(value);
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Values.parseString

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int parse_fixed(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// "yyyy-MM-dd", "HH:mm:ss.SSS'Z'", "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'".
std::optional<SchemaAndValue> parse_temporal(std::string_view t) {
  auto date_at = [&](std::string_view s, int64_t& days) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s.substr(0, 4)) ||
        !all_digits(s.substr(5, 2)) || !all_digits(s.substr(8, 2))) {
      return false;
    }
    int m = parse_fixed(s.substr(5, 2)), d = parse_fixed(s.substr(8, 2));
    if (m < 1 || m > 12 || d < 1 || d > 31) return false;
    days = days_from_civil(parse_fixed(s.substr(0, 4)), static_cast<unsigned>(m),
                           static_cast<unsigned>(d));
    return true;
  };
  auto time_at = [&](std::string_view s, int64_t& ms) {
    if (s.size() != 13 || s[2] != ':' || s[5] != ':' || s[8] != '.' || s[12] != 'Z' ||
        !all_digits(s.substr(0, 2)) || !all_digits(s.substr(3, 2)) || !all_digits(s.substr(6, 2)) ||
        !all_digits(s.substr(9, 3))) {
      return false;
    }
    int h = parse_fixed(s.substr(0, 2)), mi = parse_fixed(s.substr(3, 2)),
        se = parse_fixed(s.substr(6, 2)), milli = parse_fixed(s.substr(9, 3));
    if (h > 23 || mi > 59 || se > 59) return false;
    ms = ((h * 60 + mi) * 60 + se) * 1000LL + milli;
    return true;
  };
  int64_t days = 0, ms = 0;
  if (date_at(t, days)) {
    return SchemaAndValue{logical::date().build(), Value::int32(static_cast<int32_t>(days))};
  }
  if (time_at(t, ms)) {
    return SchemaAndValue{logical::time().build(), Value::int32(static_cast<int32_t>(ms))};
  }
  if (t.size() == 24 && t[10] == 'T' && date_at(t.substr(0, 10), days) &&
      time_at(t.substr(11), ms)) {
    return SchemaAndValue{logical::timestamp().build(), Value::int64(days * 86400000 + ms)};
  }
  return std::nullopt;
}

bool looks_numeric(std::string_view t) {
  if (t.empty()) return false;
  char c = t[0];
  if (!((c >= '0' && c <= '9') || c == '+' || c == '-')) return false;
  bool digit = false, point = false, exp = false;
  for (size_t i = 0; i < t.size(); ++i) {
    char ch = t[i];
    if (ch >= '0' && ch <= '9') {
      digit = true;
    } else if ((ch == '+' || ch == '-') && (i == 0 || t[i - 1] == 'e' || t[i - 1] == 'E')) {
    } else if (ch == '.' && !point && !exp) {
      point = true;
    } else if ((ch == 'e' || ch == 'E') && digit && !exp) {
      exp = true;
    } else {
      return false;
    }
  }
  return digit && t.back() != 'e' && t.back() != 'E' && t.back() != '+' && t.back() != '-';
}

// Values.parseAsExactDecimal: integral values take the smallest integer type, larger ones a
// Decimal of scale 0; fractional values FLOAT32 unless out of float range (then FLOAT64).
std::optional<SchemaAndValue> parse_number(std::string_view t) {
  if (!looks_numeric(t)) return std::nullopt;
  Result<std::string> unscaled = logical::decimal_from_string(t, 0);
  if (unscaled.ok()) {
    const std::string& b = *unscaled;
    const bool plain_integer = t.find_first_of(".eE") == std::string_view::npos;
    if (b.size() > 8 && plain_integer) {
      return SchemaAndValue{logical::decimal(0).build(), Value::bytes(b)};
    }
  }
  if (unscaled.ok() && unscaled->size() <= 8) {
    const std::string& b = *unscaled;
    int64_t v = static_cast<int8_t>(b[0]);  // sign-extend the first byte
    for (size_t i = 1; i < b.size(); ++i) v = v * 256 + static_cast<uint8_t>(b[i]);
    if (v >= INT8_MIN && v <= INT8_MAX) {
      return SchemaAndValue{schemas::int8(), Value::int8(static_cast<int8_t>(v))};
    }
    if (v >= INT16_MIN && v <= INT16_MAX) {
      return SchemaAndValue{schemas::int16(), Value::int16(static_cast<int16_t>(v))};
    }
    if (v >= INT32_MIN && v <= INT32_MAX) {
      return SchemaAndValue{schemas::int32(), Value::int32(static_cast<int32_t>(v))};
    }
    return SchemaAndValue{schemas::int64(), Value::int64(v)};
  }
  std::string_view body = t[0] == '+' ? t.substr(1) : t;
  float f = 0;
  auto rf = std::from_chars(body.data(), body.data() + body.size(), f);
  if (rf.ec == std::errc() && std::isfinite(f)) {
    return SchemaAndValue{schemas::float32(), Value::float32(f)};
  }
  double d = 0;
  std::from_chars(body.data(), body.data() + body.size(), d);
  return SchemaAndValue{schemas::float64(), Value::float64(d)};
}

int numeric_rank(SchemaType t) {
  switch (t) {
    case SchemaType::kInt8:
      return 1;
    case SchemaType::kInt16:
      return 2;
    case SchemaType::kInt32:
      return 3;
    case SchemaType::kInt64:
      return 4;
    case SchemaType::kFloat32:
      return 5;
    case SchemaType::kFloat64:
      return 6;
    default:
      return 0;
  }
}

Value convert_number(const Value& v, SchemaType to) {
  if (v.is_null()) return v;
  double d = *v.number();
  int64_t i = v.integral().value_or(static_cast<int64_t>(d));
  switch (to) {
    case SchemaType::kInt8:
      return Value::int8(static_cast<int8_t>(i));
    case SchemaType::kInt16:
      return Value::int16(static_cast<int16_t>(i));
    case SchemaType::kInt32:
      return Value::int32(static_cast<int32_t>(i));
    case SchemaType::kInt64:
      return Value::int64(i);
    case SchemaType::kFloat32:
      return Value::float32(static_cast<float>(d));
    default:
      return Value::float64(d);
  }
}

// The schema every element can take (Values.commonSchema): equal schemas, or numeric widening.
// nullptr when there is none (or no non-null element).
SchemaPtr common_schema(const std::vector<SchemaPtr>& schemas) {
  SchemaPtr common;
  for (const auto& s : schemas) {
    if (!s) continue;
    if (!common) {
      common = s;
      continue;
    }
    if (schema_equals(common, s)) continue;
    int a = common->name() ? 0 : numeric_rank(common->type());
    int b = s->name() ? 0 : numeric_rank(s->type());
    if (a == 0 || b == 0) return nullptr;
    if (b > a) common = s;
  }
  return common;
}

class EmbeddedParser {
 public:
  explicit EmbeddedParser(std::string_view text) : t_(text) {}

  bool at_end() {
    skip();
    return pos_ >= t_.size();
  }

  // One embedded value; nullopt on a syntax error.
  std::optional<SchemaAndValue> value() {
    skip();
    if (pos_ >= t_.size()) return std::nullopt;
    char c = t_[pos_];
    if (c == '"') {
      std::string s;
      ++pos_;
      while (pos_ < t_.size() && t_[pos_] != '"') {
        if (t_[pos_] == '\\' && pos_ + 1 < t_.size()) ++pos_;
        s += t_[pos_++];
      }
      if (pos_ >= t_.size()) return std::nullopt;
      ++pos_;
      return SchemaAndValue{schemas::string(), Value::string(std::move(s))};
    }
    if (c == '[') return array();
    if (c == '{') return map();
    size_t start = pos_;
    while (pos_ < t_.size() && t_[pos_] != ',' && t_[pos_] != ']' && t_[pos_] != '}' &&
           t_[pos_] != ':') {
      ++pos_;
    }
    std::string_view token = trim_view(t_.substr(start, pos_ - start));
    if (token == "null") return SchemaAndValue{};
    if (token == "true") return SchemaAndValue{schemas::boolean(), Value::boolean(true)};
    if (token == "false") return SchemaAndValue{schemas::boolean(), Value::boolean(false)};
    if (auto n = parse_number(token)) return n;
    return std::nullopt;  // bare words must be quoted when embedded
  }

 private:
  void skip() {
    while (pos_ < t_.size() && is_space(t_[pos_])) ++pos_;
  }
  bool consume(char c) {
    skip();
    if (pos_ < t_.size() && t_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  std::optional<SchemaAndValue> array() {
    ++pos_;  // '['
    std::vector<SchemaAndValue> items;
    if (!consume(']')) {
      do {
        auto v = value();
        if (!v) return std::nullopt;
        items.push_back(std::move(*v));
      } while (consume(','));
      if (!consume(']')) return std::nullopt;
    }
    std::vector<SchemaPtr> schemas;
    for (const auto& i : items) schemas.push_back(i.schema);
    SchemaPtr elem = common_schema(schemas);
    Value::Array values;
    for (auto& i : items) {
      values.push_back(elem && !schema_equals(elem, i.schema)
                           ? convert_number(i.value, elem->type())
                           : std::move(i.value));
    }
    SchemaPtr schema = elem ? SchemaBuilder::array(elem).build() : nullptr;
    return SchemaAndValue{std::move(schema), Value::array(std::move(values))};
  }

  std::optional<SchemaAndValue> map() {
    ++pos_;  // '{'
    std::vector<std::pair<SchemaAndValue, SchemaAndValue>> entries;
    if (!consume('}')) {
      do {
        auto k = value();
        if (!k || !consume(':')) return std::nullopt;
        auto v = value();
        if (!v) return std::nullopt;
        entries.emplace_back(std::move(*k), std::move(*v));
      } while (consume(','));
      if (!consume('}')) return std::nullopt;
    }
    std::vector<SchemaPtr> ks, vs;
    for (const auto& [k, v] : entries) {
      ks.push_back(k.schema);
      vs.push_back(v.schema);
    }
    SchemaPtr key_schema = common_schema(ks), value_schema = common_schema(vs);
    Value::Map values;
    for (auto& [k, v] : entries) {
      Value kv = key_schema && !schema_equals(key_schema, k.schema)
                     ? convert_number(k.value, key_schema->type())
                     : std::move(k.value);
      Value vv = value_schema && !schema_equals(value_schema, v.schema)
                     ? convert_number(v.value, value_schema->type())
                     : std::move(v.value);
      values.emplace_back(std::move(kv), std::move(vv));
    }
    SchemaPtr schema =
        key_schema && value_schema ? SchemaBuilder::map(key_schema, value_schema).build() : nullptr;
    return SchemaAndValue{std::move(schema), Value::map(std::move(values))};
  }

  std::string_view t_;
  size_t pos_ = 0;
};

}  // namespace

std::string values_convert_to_string(const SchemaPtr& schema, const Value& value) {
  std::string out;
  append_value(schema.get(), value, false, out);
  return out;
}

SchemaAndValue values_parse_string(std::string_view text) {
  if (text.empty()) return SchemaAndValue{schemas::string(), Value::string("")};
  std::string_view t = trim_view(text);
  if (t == "null") return SchemaAndValue{};
  if (t == "true") return SchemaAndValue{schemas::boolean(), Value::boolean(true)};
  if (t == "false") return SchemaAndValue{schemas::boolean(), Value::boolean(false)};
  if (!t.empty() && (t.front() == '[' || t.front() == '{')) {
    EmbeddedParser p(t);
    auto v = p.value();
    if (v && p.at_end()) return std::move(*v);
  }
  if (auto n = parse_number(t)) return std::move(*n);
  if (auto d = parse_temporal(t)) return std::move(*d);
  return SchemaAndValue{schemas::string(), Value::string(text)};
}

Status SimpleHeaderConverter::configure(const ConfigMap&) { return Status::OK(); }

Status SimpleHeaderConverter::from_connect_header(std::string_view, std::string_view,
                                                  const SchemaPtr& schema, const Value& value,
                                                  SerializedData& out) {
  if (value.is_null()) {
    out.set_null();
    return Status::OK();
  }
  std::string& buf = out.reset();
  append_value(schema.get(), value, false, buf);
  return Status::OK();
}

Result<SchemaAndValue> SimpleHeaderConverter::to_connect_header(
    std::string_view, std::string_view, std::optional<std::string_view> bytes) {
  if (!bytes) return SchemaAndValue{};
  return values_parse_string(*bytes);
}

}  // namespace kanal::data
