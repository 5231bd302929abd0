#include "data/schema.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <cstring>

#include "data/value.h"

namespace kanal::data {

namespace {

struct TypeNames {
  SchemaType type;
  const char* connect;
  const char* json;
};

constexpr std::array<TypeNames, 12> kTypeNames = {{
    {SchemaType::kInt8, "INT8", "int8"},
    {SchemaType::kInt16, "INT16", "int16"},
    {SchemaType::kInt32, "INT32", "int32"},
    {SchemaType::kInt64, "INT64", "int64"},
    {SchemaType::kFloat32, "FLOAT32", "float"},
    {SchemaType::kFloat64, "FLOAT64", "double"},
    {SchemaType::kBoolean, "BOOLEAN", "boolean"},
    {SchemaType::kString, "STRING", "string"},
    {SchemaType::kBytes, "BYTES", "bytes"},
    {SchemaType::kArray, "ARRAY", "array"},
    {SchemaType::kMap, "MAP", "map"},
    {SchemaType::kStruct, "STRUCT", "struct"},
}};

bool parameters_equal(const SchemaParameters& a, const SchemaParameters& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [k, v] : a) {
    auto it = std::find_if(b.begin(), b.end(), [&](const auto& e) { return e.first == k; });
    if (it == b.end() || it->second != v) return false;
  }
  return true;
}

bool defaults_equal(const std::shared_ptr<const Value>& a, const std::shared_ptr<const Value>& b) {
  if (a == b) return true;
  if (!a || !b) return false;
  return *a == *b;
}

}  // namespace

const char* to_connect_string(SchemaType type) {
  return kTypeNames[static_cast<size_t>(type)].connect;
}

const char* json_type_name(SchemaType type) { return kTypeNames[static_cast<size_t>(type)].json; }

std::optional<SchemaType> parse_json_type_name(std::string_view name) {
  for (const auto& t : kTypeNames) {
    if (name == t.json) return t.type;
  }
  return std::nullopt;
}

bool is_primitive(SchemaType type) {
  return type != SchemaType::kArray && type != SchemaType::kMap && type != SchemaType::kStruct;
}

bool operator==(const Field& a, const Field& b) {
  return a.name == b.name && a.index == b.index && schema_equals(a.schema, b.schema);
}

Schema::~Schema() = default;

const std::string* Schema::parameter(std::string_view key) const {
  for (const auto& [k, v] : parameters_) {
    if (k == key) return &v;
  }
  return nullptr;
}

const Field* Schema::field(std::string_view name) const {
  for (const auto& f : fields_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool operator==(const Schema& a, const Schema& b) {
  if (&a == &b) return true;
  return a.type_ == b.type_ && a.optional_ == b.optional_ && a.name_ == b.name_ &&
         a.version_ == b.version_ && a.doc_ == b.doc_ &&
         parameters_equal(a.parameters_, b.parameters_) && defaults_equal(a.default_, b.default_) &&
         a.fields_ == b.fields_ && schema_equals(a.key_schema_, b.key_schema_) &&
         schema_equals(a.value_schema_, b.value_schema_);
}

std::string Schema::to_string() const {
  std::string out = "Schema{";
  if (name_) {
    out += *name_;
    out += ':';
  }
  out += to_connect_string(type_);
  out += '}';
  return out;
}

bool schema_equals(const SchemaPtr& a, const SchemaPtr& b) {
  if (a == b) return true;
  if (!a || !b) return false;
  return *a == *b;
}

// ---------------------------------------------------------------------------------------------
// SchemaBuilder

SchemaBuilder::SchemaBuilder(SchemaType type) : type_(type) {}

SchemaBuilder SchemaBuilder::array(SchemaPtr value_schema) {
  SchemaBuilder b(SchemaType::kArray);
  if (!value_schema) b.error_ = "valueSchema cannot be null.";
  b.value_schema_ = std::move(value_schema);
  return b;
}

SchemaBuilder SchemaBuilder::map(SchemaPtr key_schema, SchemaPtr value_schema) {
  SchemaBuilder b(SchemaType::kMap);
  if (!key_schema) b.error_ = "keySchema cannot be null.";
  if (!value_schema && b.error_.empty()) b.error_ = "valueSchema cannot be null.";
  b.key_schema_ = std::move(key_schema);
  b.value_schema_ = std::move(value_schema);
  return b;
}

SchemaBuilder& SchemaBuilder::optional() {
  optional_ = true;
  return *this;
}

SchemaBuilder& SchemaBuilder::required() {
  optional_ = false;
  return *this;
}

// Connect's SchemaBuilder.checkCanSet: name, version and doc may be set once.
SchemaBuilder& SchemaBuilder::name(std::string name) {
  if (name_ && *name_ != name && error_.empty()) {
    error_ = "Invalid SchemaBuilder call: name has already been set.";
  }
  name_ = std::move(name);
  return *this;
}

SchemaBuilder& SchemaBuilder::version(int32_t version) {
  if (version_ && *version_ != version && error_.empty()) {
    error_ = "Invalid SchemaBuilder call: version has already been set.";
  }
  version_ = version;
  return *this;
}

SchemaBuilder& SchemaBuilder::doc(std::string doc) {
  if (doc_ && *doc_ != doc && error_.empty()) {
    error_ = "Invalid SchemaBuilder call: doc has already been set.";
  }
  doc_ = std::move(doc);
  return *this;
}

SchemaBuilder& SchemaBuilder::parameter(std::string key, std::string value) {
  for (auto& [k, v] : parameters_) {
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  }
  parameters_.emplace_back(std::move(key), std::move(value));
  return *this;
}

SchemaBuilder& SchemaBuilder::parameters(const SchemaParameters& params) {
  for (const auto& [k, v] : params) parameter(k, v);
  return *this;
}

SchemaBuilder& SchemaBuilder::default_value(Value value) {
  if (default_ && error_.empty()) {
    error_ = "Invalid SchemaBuilder call: defaultValue has already been set.";
  }
  if (value.is_null()) {
    default_.reset();
  } else {
    default_ = std::make_shared<const Value>(std::move(value));
  }
  return *this;
}

SchemaBuilder& SchemaBuilder::field(std::string name, SchemaPtr schema) {
  if (type_ != SchemaType::kStruct) {
    if (error_.empty())
      error_ = std::string("Cannot create fields on type ") + to_connect_string(type_);
    return *this;
  }
  if (!schema) {
    if (error_.empty()) error_ = "fieldSchema for field " + name + " cannot be null.";
    return *this;
  }
  for (const auto& f : fields_) {
    if (f.name == name) {
      if (error_.empty()) error_ = "Cannot create field because of field name duplication " + name;
      return *this;
    }
  }
  fields_.push_back(
      Field{std::move(name), static_cast<int32_t>(fields_.size()), std::move(schema)});
  return *this;
}

SchemaBuilder& SchemaBuilder::copy_basics_from(const Schema& source) {
  name_ = source.name();
  version_ = source.version();
  doc_ = source.doc();
  for (const auto& [k, v] : source.parameters()) parameter(k, v);
  return *this;
}

Result<SchemaPtr> SchemaBuilder::build_checked() const {
  if (!error_.empty()) return Status::invalid_argument(error_);
  auto schema = std::shared_ptr<Schema>(new Schema());
  schema->type_ = type_;
  schema->optional_ = optional_;
  schema->name_ = name_;
  schema->version_ = version_;
  schema->doc_ = doc_;
  schema->parameters_ = parameters_;
  schema->fields_ = fields_;
  schema->key_schema_ = key_schema_;
  schema->value_schema_ = value_schema_;
  if (default_) {
    Status st = validate_value(*schema, *default_);
    if (!st.ok()) return Status::invalid_argument("Invalid default value: " + st.message());
    schema->default_ = default_;
  }
  return SchemaPtr(std::move(schema));
}

SchemaPtr SchemaBuilder::build() const {
  Result<SchemaPtr> r = build_checked();
  assert(r.ok() && "SchemaBuilder misuse; use build_checked() for untrusted input");
  if (r.ok()) return std::move(r).value();
  SchemaBuilder relaxed = *this;
  relaxed.error_.clear();
  relaxed.default_.reset();
  return std::move(relaxed.build_checked()).value();
}

// ---------------------------------------------------------------------------------------------
// Predefined schemas

namespace schemas {
namespace {
const SchemaPtr& predefined(SchemaType type, bool optional) {
  static const auto table = [] {
    std::array<std::array<SchemaPtr, 2>, 9> t;
    for (size_t i = 0; i < t.size(); ++i) {
      auto type = static_cast<SchemaType>(i);
      t[i][0] = SchemaBuilder(type).build();
      t[i][1] = SchemaBuilder(type).optional().build();
    }
    return t;
  }();
  return table[static_cast<size_t>(type)][optional ? 1 : 0];
}
}  // namespace

const SchemaPtr& int8() { return predefined(SchemaType::kInt8, false); }
const SchemaPtr& int16() { return predefined(SchemaType::kInt16, false); }
const SchemaPtr& int32() { return predefined(SchemaType::kInt32, false); }
const SchemaPtr& int64() { return predefined(SchemaType::kInt64, false); }
const SchemaPtr& float32() { return predefined(SchemaType::kFloat32, false); }
const SchemaPtr& float64() { return predefined(SchemaType::kFloat64, false); }
const SchemaPtr& boolean() { return predefined(SchemaType::kBoolean, false); }
const SchemaPtr& string() { return predefined(SchemaType::kString, false); }
const SchemaPtr& bytes() { return predefined(SchemaType::kBytes, false); }
const SchemaPtr& optional_int8() { return predefined(SchemaType::kInt8, true); }
const SchemaPtr& optional_int16() { return predefined(SchemaType::kInt16, true); }
const SchemaPtr& optional_int32() { return predefined(SchemaType::kInt32, true); }
const SchemaPtr& optional_int64() { return predefined(SchemaType::kInt64, true); }
const SchemaPtr& optional_float32() { return predefined(SchemaType::kFloat32, true); }
const SchemaPtr& optional_float64() { return predefined(SchemaType::kFloat64, true); }
const SchemaPtr& optional_boolean() { return predefined(SchemaType::kBoolean, true); }
const SchemaPtr& optional_string() { return predefined(SchemaType::kString, true); }
const SchemaPtr& optional_bytes() { return predefined(SchemaType::kBytes, true); }

const SchemaPtr& for_type(SchemaType type, bool optional) {
  static const SchemaPtr kNone;
  if (!is_primitive(type)) return kNone;
  return predefined(type, optional);
}
}  // namespace schemas

// ---------------------------------------------------------------------------------------------
// Logical types

namespace logical {

SchemaBuilder decimal(int32_t scale) {
  SchemaBuilder b = SchemaBuilder::bytes();
  b.name(std::string(kDecimalName))
      .parameter(std::string(kDecimalScaleParameter), std::to_string(scale));
  b.version(1);
  return b;
}

SchemaBuilder date() {
  SchemaBuilder b = SchemaBuilder::int32();
  b.name(std::string(kDateName)).version(1);
  return b;
}

SchemaBuilder time() {
  SchemaBuilder b = SchemaBuilder::int32();
  b.name(std::string(kTimeName)).version(1);
  return b;
}

SchemaBuilder timestamp() {
  SchemaBuilder b = SchemaBuilder::int64();
  b.name(std::string(kTimestampName)).version(1);
  return b;
}

bool is_decimal(const Schema& s) {
  return s.type() == SchemaType::kBytes && s.name() && *s.name() == kDecimalName;
}
bool is_date(const Schema& s) {
  return s.type() == SchemaType::kInt32 && s.name() && *s.name() == kDateName;
}
bool is_time(const Schema& s) {
  return s.type() == SchemaType::kInt32 && s.name() && *s.name() == kTimeName;
}
bool is_timestamp(const Schema& s) {
  return s.type() == SchemaType::kInt64 && s.name() && *s.name() == kTimestampName;
}

Result<int32_t> decimal_scale(const Schema& schema) {
  const std::string* p = schema.parameter(kDecimalScaleParameter);
  if (p == nullptr) {
    return Status::invalid_argument("Invalid Decimal schema: scale parameter not found.");
  }
  int32_t scale = 0;
  auto [ptr, ec] = std::from_chars(p->data(), p->data() + p->size(), scale);
  if (ec != std::errc() || ptr != p->data() + p->size()) {
    return Status::invalid_argument("Invalid Decimal schema: scale parameter '" + *p +
                                    "' is not an integer.");
  }
  return scale;
}

namespace {

// Magnitude of a big-endian two's-complement integer as little-endian base-1e9 limbs.
std::vector<uint32_t> to_base_1e9(std::string_view be, bool& negative) {
  std::vector<uint8_t> mag(be.begin(), be.end());
  negative = !mag.empty() && (mag[0] & 0x80) != 0;
  if (negative) {  // two's complement negation
    for (auto& b : mag) b = static_cast<uint8_t>(~b);
    for (size_t i = mag.size(); i-- > 0;) {
      if (++mag[i] != 0) break;
    }
  }
  std::vector<uint32_t> limbs;
  // Repeated division of the base-256 magnitude by 1e9.
  size_t start = 0;
  while (start < mag.size() && mag[start] == 0) ++start;
  while (start < mag.size()) {
    uint64_t rem = 0;
    for (size_t i = start; i < mag.size(); ++i) {
      uint64_t cur = (rem << 8) | mag[i];
      mag[i] = static_cast<uint8_t>(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    limbs.push_back(static_cast<uint32_t>(rem));
    while (start < mag.size() && mag[start] == 0) ++start;
  }
  return limbs;
}

}  // namespace

std::string decimal_to_string(std::string_view unscaled, int32_t scale) {
  bool negative = false;
  std::vector<uint32_t> limbs = to_base_1e9(unscaled, negative);
  std::string digits;
  if (limbs.empty()) {
    digits = "0";
  } else {
    digits = std::to_string(limbs.back());
    for (size_t i = limbs.size() - 1; i-- > 0;) {
      std::string part = std::to_string(limbs[i]);
      digits.append(9 - part.size(), '0');
      digits += part;
    }
  }
  // java.math.BigDecimal.toString: plain notation when scale >= 0 and the adjusted exponent is
  // at least -6, scientific otherwise.
  std::string out;
  if (negative) out += '-';
  const int64_t len = static_cast<int64_t>(digits.size());
  const int64_t adjusted = -static_cast<int64_t>(scale) + (len - 1);
  if (scale >= 0 && adjusted >= -6) {
    if (scale == 0) {
      out += digits;
    } else if (len > scale) {
      out.append(digits, 0, static_cast<size_t>(len - scale));
      out += '.';
      out.append(digits, static_cast<size_t>(len - scale));
    } else {
      out += "0.";
      out.append(static_cast<size_t>(scale - len), '0');
      out += digits;
    }
  } else {
    out += digits[0];
    if (len > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'E';
    if (adjusted >= 0) out += '+';
    out += std::to_string(adjusted);
  }
  return out;
}

Result<std::string> decimal_from_string(std::string_view text, int32_t scale) {
  auto bad = [&] {
    return Status::invalid_argument("Invalid decimal number '" + std::string(text) + "'");
  };
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  std::string digits;
  int64_t frac_len = 0;
  bool seen_point = false, any_digit = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits += c;
      any_digit = true;
      if (seen_point) ++frac_len;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!any_digit) return bad();
  int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_neg = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) exp_neg = text[i++] == '-';
    if (i >= text.size()) return bad();
    int64_t e = 0;
    for (; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9' || e > 100000000) return bad();
      e = e * 10 + (text[i] - '0');
    }
    exponent = exp_neg ? -e : e;
  }
  if (i != text.size()) return bad();
  // value = digits * 10^-(frac_len - exponent); rescale to `scale`.
  int64_t shift = static_cast<int64_t>(scale) - (frac_len - exponent);
  if (shift >= 0) {
    if (shift > 100000) return bad();
    digits.append(static_cast<size_t>(shift), '0');
  } else {
    size_t drop = static_cast<size_t>(-shift);
    size_t keep = drop >= digits.size() ? 0 : digits.size() - drop;
    if (digits.find_first_not_of('0', keep) != std::string::npos) {
      return Status::invalid_argument("Decimal number '" + std::string(text) +
                                      "' has more digits than scale " + std::to_string(scale) +
                                      " allows");
    }
    digits.resize(keep);
  }
  // Decimal digits to little-endian base-256 magnitude.
  std::vector<uint8_t> mag;  // little-endian
  for (char c : digits) {
    uint32_t carry = static_cast<uint32_t>(c - '0');
    for (auto& b : mag) {
      uint32_t cur = b * 10u + carry;
      b = static_cast<uint8_t>(cur & 0xff);
      carry = cur >> 8;
    }
    while (carry != 0) {
      mag.push_back(static_cast<uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  while (!mag.empty() && mag.back() == 0) mag.pop_back();
  if (mag.empty()) return std::string(1, '\0');
  // Minimal two's complement: add a sign byte when the top bit is set (positive), negate.
  if (!negative) {
    if (mag.back() & 0x80) mag.push_back(0);
  } else {
    for (auto& b : mag) b = static_cast<uint8_t>(~b);
    for (auto& b : mag) {
      if (++b != 0) break;
    }
    if ((mag.back() & 0x80) == 0) mag.push_back(0xff);
    while (mag.size() > 1 && mag.back() == 0xff && (mag[mag.size() - 2] & 0x80)) mag.pop_back();
  }
  return std::string(mag.rbegin(), mag.rend());
}

std::string decimal_unscaled_bytes(int64_t unscaled) {
  std::string out(8, '\0');
  auto u = static_cast<uint64_t>(unscaled);
  for (int i = 7; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>(u & 0xff);
    u >>= 8;
  }
  // Drop redundant sign bytes (BigInteger.toByteArray is minimal).
  size_t start = 0;
  while (start < 7) {
    auto b0 = static_cast<uint8_t>(out[start]);
    auto b1 = static_cast<uint8_t>(out[start + 1]);
    if ((b0 == 0x00 && (b1 & 0x80) == 0) || (b0 == 0xff && (b1 & 0x80) != 0)) {
      ++start;
    } else {
      break;
    }
  }
  return out.substr(start);
}

}  // namespace logical

}  // namespace kanal::data
