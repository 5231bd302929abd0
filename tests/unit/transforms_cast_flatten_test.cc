// Unit tests of Cast and Flatten, with and without schemas. Expected values were produced by
// Kafka Connect 4.3.1's transforms (java, connect-transforms-4.3.1.jar) on the same inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>

#include "data/record.h"
#include "data/schema.h"
#include "data/value.h"
#include "transforms/transform_registry.h"
#include "transforms/transformation.h"

namespace kanal::transforms {
namespace {

using data::SchemaBuilder;
using data::SchemaPtr;
using data::Struct;
using data::Value;
namespace schemas = data::schemas;

std::unique_ptr<Transformation> make(std::string_view name, const ConfigMap& props) {
  static const TransformRegistry registry = TransformRegistry::with_builtins();
  auto t = registry.create_transformation(name);
  EXPECT_TRUE(t.ok()) << t.status().message();
  Status s = (*t)->configure(props);
  EXPECT_TRUE(s.ok()) << s.message();
  return std::move(t).value();
}

Status configure_error(std::string_view name, const ConfigMap& props) {
  auto t = TransformRegistry::with_builtins().create_transformation(name);
  EXPECT_TRUE(t.ok());
  return (*t)->configure(props);
}

Value map(std::initializer_list<std::pair<std::string, Value>> entries) {
  Value::Map m;
  for (const auto& [k, v] : entries) m.emplace_back(Value::string(k), v);
  return Value::map(std::move(m));
}

const Value* map_get(const Value& v, std::string_view key) {
  for (const auto& [k, val] : v.as_map()) {
    if (k.as_string() == key) return &val;
  }
  return nullptr;
}

std::vector<std::string> map_keys(const Value& v) {
  std::vector<std::string> out;
  for (const auto& [k, val] : v.as_map()) out.push_back(k.as_string());
  return out;
}

data::SourceRecord source_record(SchemaPtr value_schema, Value value) {
  data::SourceRecord r;
  r.topic = "t";
  r.value_schema = std::move(value_schema);
  r.value = std::move(value);
  return r;
}

// Casts a whole schemaless value; the result value, or the error message as a string value.
Value cast_whole(const std::string& type, Value in, SchemaPtr schema = nullptr) {
  auto t = make("Cast$Value", {{"spec", type}});
  data::SourceRecord r = source_record(std::move(schema), std::move(in));
  auto out = t->apply(r, RecordKind::kSource);
  if (!out.ok()) return Value::string("!! " + out.status().message());
  return r.value;
}

// ---- Cast ----

TEST(CastTest, NarrowsDoubleAsJavaDoesWhenCastingToIntegers) {
  EXPECT_EQ(cast_whole("int8", Value::float64(300.7)), Value::int8(44));
  EXPECT_EQ(cast_whole("int16", Value::float64(300.7)), Value::int16(300));
  EXPECT_EQ(cast_whole("int32", Value::float64(-1e20)), Value::int32(INT32_MIN));
  EXPECT_EQ(cast_whole("int64", Value::float64(-1e20)), Value::int64(INT64_MIN));
  EXPECT_EQ(cast_whole("int16", Value::float64(-1e20)), Value::int16(0));
  EXPECT_EQ(cast_whole("int32", Value::float32(NAN)), Value::int32(0));
}

TEST(CastTest, WrapsLongWhenCastingToSmallerIntegers) {
  EXPECT_EQ(cast_whole("int8", Value::int64(70000)), Value::int8(112));
  EXPECT_EQ(cast_whole("int16", Value::int64(70000)), Value::int16(4464));
  EXPECT_EQ(cast_whole("float32", Value::int64(70000)), Value::float32(70000));
  EXPECT_EQ(cast_whole("boolean", Value::int64(70000)), Value::boolean(true));
}

TEST(CastTest, CastsNumbersToBooleanByLongValue) {
  EXPECT_EQ(cast_whole("boolean", Value::float64(300.7)), Value::boolean(true));
  EXPECT_EQ(cast_whole("boolean", Value::float64(0.5)), Value::boolean(false));
  EXPECT_EQ(cast_whole("boolean", Value::float32(NAN)), Value::boolean(false));
}

TEST(CastTest, FormatsNumbersAsJavaWhenCastingToString) {
  EXPECT_EQ(cast_whole("string", Value::float64(300.7)), Value::string("300.7"));
  EXPECT_EQ(cast_whole("string", Value::float64(-1e20)), Value::string("-1.0E20"));
  EXPECT_EQ(cast_whole("string", Value::float32(NAN)), Value::string("NaN"));
  EXPECT_EQ(cast_whole("string", Value::float32(0.1f), schemas::float32()), Value::string("0.1"));
  EXPECT_EQ(cast_whole("string", Value::int64(70000)), Value::string("70000"));
  EXPECT_EQ(cast_whole("string", Value::boolean(true)), Value::string("true"));
}

TEST(CastTest, ParsesStringsAsJavaDoesWhenCastingFromString) {
  EXPECT_EQ(cast_whole("int8", Value::string("12")), Value::int8(12));
  EXPECT_EQ(cast_whole("float32", Value::string(" 12")), Value::float32(12));
  EXPECT_EQ(cast_whole("float64", Value::string("1e3")), Value::float64(1000));
  EXPECT_EQ(cast_whole("boolean", Value::string("TRUE")), Value::boolean(true));
  EXPECT_EQ(cast_whole("boolean", Value::string("yes")), Value::boolean(false));
  EXPECT_EQ(cast_whole("boolean", Value::string("12")), Value::boolean(false));
}

TEST(CastTest, FailsWithOutOfRangeWhenStringIsNotAnInteger) {
  EXPECT_EQ(cast_whole("int32", Value::string(" 12")),
            Value::string("!! Value ( 12) was out of range for requested data type"));
  EXPECT_EQ(cast_whole("int64", Value::string("1e3")),
            Value::string("!! Value (1e3) was out of range for requested data type"));
  EXPECT_EQ(cast_whole("int8", Value::string("300")),
            Value::string("!! Value (300) was out of range for requested data type"));
  EXPECT_EQ(cast_whole("float64", Value::string("TRUE")),
            Value::string("!! Value (TRUE) was out of range for requested data type"));
}

TEST(CastTest, CastsBooleanToOneOrZero) {
  EXPECT_EQ(cast_whole("int8", Value::boolean(true)), Value::int8(1));
  EXPECT_EQ(cast_whole("int64", Value::boolean(false)), Value::int64(0));
  EXPECT_EQ(cast_whole("float64", Value::boolean(true)), Value::float64(1));
}

TEST(CastTest, EncodesBytesAsBase64WhenCastingToString) {
  EXPECT_EQ(cast_whole("string", Value::bytes(std::string_view("\x01\x02\x03", 3))),
            Value::string("AQID"));
}

TEST(CastTest, FailsWhenCastingBytesToNumber) {
  EXPECT_EQ(cast_whole("int8", Value::bytes(std::string_view("\x01", 1))),
            Value::string("!! Unexpected type in Cast transformation: class [B"));
}

TEST(CastTest, FailsWhenWholeValueIsAMap) {
  EXPECT_EQ(cast_whole("int32", map({{"a", Value::int64(1)}})),
            Value::string("!! Cast transformation does not support casting from MAP; supported "
                          "types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, "
                          "STRING, BYTES]"));
}

TEST(CastTest, CastsDecimalAsBigDecimalDoesWhenSchemaIsDecimal) {
  SchemaPtr decimal = data::logical::decimal(3).build();
  Value v = Value::bytes(data::logical::decimal_unscaled_bytes(-123456));

  EXPECT_EQ(cast_whole("int8", v, decimal), Value::int8(-123));
  EXPECT_EQ(cast_whole("int64", v, decimal), Value::int64(-123));
  EXPECT_EQ(cast_whole("float64", v, decimal), Value::float64(-123.456));
  EXPECT_EQ(cast_whole("boolean", v, decimal), Value::boolean(true));
  EXPECT_EQ(cast_whole("string", v, decimal), Value::string("-123.456"));
}

TEST(CastTest, KeepsSchemaNameAndTargetTypeWhenWholeValueHasLogicalSchema) {
  auto t = make("Cast$Value", {{"spec", "int64"}});
  data::SourceRecord r =
      source_record(data::logical::decimal(3).build(),
                    Value::bytes(data::logical::decimal_unscaled_bytes(-123456)));

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_EQ(r.value_schema->type(), data::SchemaType::kInt64);
  EXPECT_EQ(*r.value_schema->name(), "org.apache.kafka.connect.data.Decimal");
}

TEST(CastTest, FormatsLogicalDatesAsConnectWhenCastingToString) {
  EXPECT_EQ(cast_whole("string", Value::int32(19000), data::logical::date().build()),
            Value::string("2022-01-08"));
  EXPECT_EQ(cast_whole("string", Value::int64(1700000000123), data::logical::timestamp().build()),
            Value::string("2023-11-14T22:13:20.123Z"));
  EXPECT_EQ(cast_whole("string", Value::int32(3723004), data::logical::time().build()),
            Value::string("01:02:03.004Z"));
  EXPECT_EQ(cast_whole("int64", Value::int64(1700000000123), data::logical::timestamp().build()),
            Value::int64(1700000000123));
}

TEST(CastTest, CastsStructFieldsAndDefaultsWhenValueHasSchema) {
  SchemaPtr s = SchemaBuilder::structure()
                    .optional()
                    .field("a", SchemaBuilder::int32().default_value(Value::int32(5)).build())
                    .field("b", schemas::optional_string())
                    .field("c", schemas::string())
                    .build();
  Struct in(s);
  ASSERT_TRUE(in.put("b", Value::string("7")).ok());
  ASSERT_TRUE(in.put("c", Value::string("keep")).ok());
  auto t = make("Cast$Value", {{"spec", "a:string,b:int32"}});
  data::SourceRecord r = source_record(s, std::move(in));

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  const SchemaPtr& out = r.value_schema;
  EXPECT_TRUE(out->is_optional());
  EXPECT_EQ(out->field("a")->schema->type(), data::SchemaType::kString);
  EXPECT_EQ(*out->field("a")->schema->default_value(), Value::string("5"));
  EXPECT_TRUE(out->field("b")->schema->is_optional());
  EXPECT_EQ(out->field("c")->schema, schemas::string());
  const Struct& v = r.value.as_struct();
  EXPECT_EQ(*v.get("a"), Value::string("5"));
  EXPECT_EQ(*v.get("b"), Value::int32(7));
  EXPECT_EQ(*v.get("c"), Value::string("keep"));
}

TEST(CastTest, CastsListedEntriesAndAddsAbsentOnesAsNullWhenSchemaless) {
  auto t = make("Cast$Value", {{"spec", "a:string,b:int32"}});
  data::SourceRecord r = source_record(nullptr, map({{"a", Value::int64(1)}}));

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_EQ(*map_get(r.value, "a"), Value::string("1"));
  ASSERT_NE(map_get(r.value, "b"), nullptr);
  EXPECT_TRUE(map_get(r.value, "b")->is_null());
}

TEST(CastTest, PassesNullValueThrough) {
  auto t = make("Cast$Key", {{"spec", "int32"}});
  data::SourceRecord r = source_record(nullptr, Value());
  r.key_schema = schemas::optional_int64();

  auto out = t->apply(r, RecordKind::kSource);

  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(r.key.is_null());
  EXPECT_EQ(r.key_schema, schemas::optional_int64());
}

TEST(CastTest, FailsWhenWholeValueIsAStruct) {
  SchemaPtr s = SchemaBuilder::structure().field("a", schemas::optional_int32()).build();
  auto t = make("Cast$Value", {{"spec", "string"}});
  data::SourceRecord r = source_record(s, Struct(s));

  auto out = t->apply(r, RecordKind::kSource);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message().substr(0, 56),
            "Cast transformation does not support casting from STRUCT");
}

TEST(CastTest, RejectsConfigWhenSpecIsInvalid) {
  EXPECT_EQ(configure_error("Cast$Value", {{"spec", ""}}).message(),
            "Invalid value  for configuration spec: Must specify at least one field to cast.");
  EXPECT_EQ(configure_error("Cast$Value", {{"spec", "a:foo"}}).message(),
            "Invalid value a:foo for configuration spec: Invalid type found in casting spec: foo");
  EXPECT_EQ(configure_error("Cast$Value", {{"spec", "a:map"}}).message(),
            "Invalid value a:map for configuration spec: Cast transformation does not support "
            "casting to MAP; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, "
            "BOOLEAN, STRING]");
  EXPECT_EQ(configure_error("Cast$Value", {{"spec", "int8,a:int8"}}).message(),
            "Invalid value int8,a:int8 for configuration spec: Cast transformations that specify "
            "a type to cast the entire value to may only specify a single cast in their spec");
}

// ---- Flatten ----

SchemaPtr address_schema() {
  static const SchemaPtr s =
      SchemaBuilder::structure()
          .field("city", schemas::string())
          .field("zip", SchemaBuilder::int32().default_value(Value::int32(7)).build())
          .field("lines", SchemaBuilder::array(schemas::string()).build())
          .build();
  return s;
}

SchemaPtr person_schema() {
  static const SchemaPtr s =
      SchemaBuilder::structure()
          .name("com.example.Person")
          .field("name", schemas::string())
          .field("home", address_schema())
          .field("work",
                 SchemaBuilder::structure().optional().field("floor", schemas::int32()).build())
          .build();
  return s;
}

TEST(FlattenTest, FlattensNestedStructsWithDelimiterWhenValueHasSchema) {
  Struct home(address_schema());
  ASSERT_TRUE(home.put("city", Value::string("Oslo")).ok());
  ASSERT_TRUE(home.put("lines", Value::array({Value::string("a")})).ok());
  Struct person(person_schema());
  ASSERT_TRUE(person.put("name", Value::string("Ada")).ok());
  ASSERT_TRUE(person.put("home", Value(std::move(home))).ok());
  auto t = make("Flatten$Value", {{"delimiter", "_"}});
  data::SourceRecord r = source_record(person_schema(), Value(std::move(person)));

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  const SchemaPtr& s = r.value_schema;
  std::vector<std::string> names;
  for (const auto& f : s->fields()) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"name", "home_city", "home_zip", "home_lines",
                                             "work_floor"}));
  EXPECT_EQ(*s->name(), "com.example.Person");
  EXPECT_TRUE(s->field("work_floor")->schema->is_optional());
  EXPECT_FALSE(s->field("home_city")->schema->is_optional());
  const Struct& v = r.value.as_struct();
  EXPECT_EQ(*v.get("home_city"), Value::string("Oslo"));
  EXPECT_EQ(*v.get("home_zip"), Value::int32(7));  // the field's default
  EXPECT_EQ(*v.get("home_lines"), Value::array({Value::string("a")}));
  EXPECT_TRUE(v.get("work_floor")->is_null());
}

TEST(FlattenTest, FlattensNestedMapsWhenSchemaless) {
  auto t = make("Flatten$Value", {});
  data::SourceRecord r = source_record(
      nullptr, map({{"a", map({{"b", Value::int64(1)}, {"c", map({{"d", Value::string("x")}})}})},
                    {"e", Value()},
                    {"f", Value::array({Value::int64(2)})}}));

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_EQ(map_keys(r.value), (std::vector<std::string>{"a.b", "a.c.d", "e", "f"}));
  EXPECT_EQ(*map_get(r.value, "a.c.d"), Value::string("x"));
  EXPECT_TRUE(map_get(r.value, "e")->is_null());
}

TEST(FlattenTest, KeepsNullValueAndFlattensSchemaWhenValueIsNull) {
  auto t = make("Flatten$Value", {});
  data::SourceRecord r = source_record(person_schema(), Value());

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_TRUE(r.value.is_null());
  EXPECT_NE(r.value_schema->field("home.city"), nullptr);
}

TEST(FlattenTest, PassesTombstoneWhenSchemaless) {
  auto t = make("Flatten$Key", {});
  data::SourceRecord r = source_record(nullptr, Value::string("v"));

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_TRUE(r.key.is_null());
  EXPECT_EQ(r.value, Value::string("v"));
}

TEST(FlattenTest, FailsWhenSchemaHasMapField) {
  SchemaPtr s = SchemaBuilder::structure()
                    .field("m", SchemaBuilder::map(schemas::string(), schemas::string()).build())
                    .build();
  auto t = make("Flatten$Value", {});
  Struct v(s);
  ASSERT_TRUE(v.put("m", Value::map({})).ok());
  data::SourceRecord r = source_record(s, Value(std::move(v)));

  auto out = t->apply(r, RecordKind::kSource);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "Flatten transformation does not support MAP for record with schemas (for field m).");
}

TEST(FlattenTest, FailsWhenSchemalessMapHoldsStruct) {
  SchemaPtr s = SchemaBuilder::structure().field("x", schemas::optional_int32()).build();
  auto t = make("Flatten$Value", {});
  data::SourceRecord r = source_record(nullptr, map({{"s", Value(Struct(s))}}));

  auto out = t->apply(r, RecordKind::kSource);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "Flatten transformation does not support class org.apache.kafka.connect.data.Struct "
            "for record without schemas (for field s).");
}

}  // namespace
}  // namespace kanal::transforms
