// Unit tests of the field-level transforms: InsertField, MaskField, ReplaceField, ExtractField,
// HoistField and ValueToKey, with and without schemas. Expected outputs follow Kafka Connect 4.3.1
// (several edge cases were checked against the Java transforms jar).
#include <gtest/gtest.h>

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

Struct make_struct(const SchemaPtr& schema,
                   std::initializer_list<std::pair<std::string, Value>> f) {
  Struct s(schema);
  for (const auto& [k, v] : f) EXPECT_TRUE(s.put(k, v).ok()) << k;
  return s;
}

data::SourceRecord source_record(SchemaPtr value_schema, Value value) {
  data::SourceRecord r;
  r.topic = "orders";
  r.kafka_partition = 3;
  r.timestamp = 1700000000000;
  r.value_schema = std::move(value_schema);
  r.value = std::move(value);
  return r;
}

data::SinkRecord sink_record(SchemaPtr value_schema, Value value) {
  data::SinkRecord r;
  r.topic = "orders";
  r.kafka_partition = 3;
  r.kafka_offset = 42;
  r.timestamp = 1700000000000;
  r.value_schema = std::move(value_schema);
  r.value = std::move(value);
  return r;
}

Result<Outcome> run(Transformation& t, data::SourceRecord& r) {
  return t.apply(r, RecordKind::kSource);
}

const SchemaPtr& order_schema() {
  static const SchemaPtr s = SchemaBuilder::structure()
                                 .name("com.example.Order")
                                 .field("id", schemas::int64())
                                 .field("name", schemas::optional_string())
                                 .field("amount", schemas::float64())
                                 .build();
  return s;
}

// ---- InsertField ----

TEST(InsertFieldTest, AddsMetadataFieldsWhenValueHasSchema) {
  auto t = make("org.apache.kafka.connect.transforms.InsertField$Value",
                {{"topic.field", "topic!"},
                 {"partition.field", "partition"},
                 {"offset.field", "offset"},
                 {"timestamp.field", "ts"},
                 {"static.field", "source"},
                 {"static.value", "kanal"}});
  data::SinkRecord r = sink_record(
      order_schema(),
      make_struct(order_schema(), {{"id", Value::int64(1)}, {"amount", Value::float64(2.5)}}));

  auto out = t->apply(r, RecordKind::kSink);

  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, Outcome::kKeep);
  const SchemaPtr& s = r.value_schema;
  ASSERT_EQ(s->fields().size(), 8u);
  EXPECT_EQ(*s->name(), "com.example.Order");
  EXPECT_FALSE(s->field("topic")->schema->is_optional());
  EXPECT_TRUE(s->field("partition")->schema->is_optional());
  EXPECT_TRUE(data::logical::is_timestamp(*s->field("ts")->schema));
  const Struct& v = r.value.as_struct();
  EXPECT_EQ(*v.get("id"), Value::int64(1));
  EXPECT_EQ(*v.get("topic"), Value::string("orders"));
  EXPECT_EQ(*v.get("partition"), Value::int32(3));
  EXPECT_EQ(*v.get("offset"), Value::int64(42));
  EXPECT_EQ(*v.get("ts"), Value::int64(1700000000000));
  EXPECT_EQ(*v.get("source"), Value::string("kanal"));
}

TEST(InsertFieldTest, AddsMetadataEntriesWhenValueIsSchemaless) {
  auto t = make("InsertField$Value", {{"topic.field", "topic"}, {"timestamp.field", "ts"}});
  data::SourceRecord r = source_record(nullptr, map({{"id", Value::int64(1)}}));

  ASSERT_TRUE(run(*t, r).ok());

  EXPECT_EQ(*map_get(r.value, "id"), Value::int64(1));
  EXPECT_EQ(*map_get(r.value, "topic"), Value::string("orders"));
  EXPECT_EQ(*map_get(r.value, "ts"), Value::int64(1700000000000));
}

TEST(InsertFieldTest, PassesTombstoneWhenValueIsNull) {
  auto t = make("InsertField$Value", {{"topic.field", "topic"}});
  data::SourceRecord r = source_record(order_schema(), Value());

  auto out = run(*t, r);

  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, Outcome::kKeep);
  EXPECT_TRUE(r.value.is_null());
  EXPECT_EQ(r.value_schema, order_schema());
}

TEST(InsertFieldTest, FailsWhenOffsetFieldIsUsedOnSourceRecord) {
  auto t = make("InsertField$Value", {{"offset.field", "o"}});
  data::SourceRecord r = source_record(nullptr, map({{"a", Value::int64(1)}}));

  auto out = run(*t, r);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "Only SinkRecord supported for [field insertion], found: "
            "org.apache.kafka.connect.source.SourceRecord");
}

TEST(InsertFieldTest, FailsWhenSchemalessValueIsNotAMap) {
  auto t = make("InsertField$Value", {{"topic.field", "t"}});
  data::SourceRecord r = source_record(nullptr, Value::string("x"));

  auto out = run(*t, r);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "Only Map objects supported in absence of schema for [field insertion], found: "
            "java.lang.String");
}

TEST(InsertFieldTest, InsertsIntoKeyWhenKeyVariantIsUsed) {
  auto t = make("InsertField$Key", {{"static.field", "k"}, {"static.value", "v"}});
  data::SourceRecord r = source_record(nullptr, Value::string("value"));
  r.key = map({});

  ASSERT_TRUE(run(*t, r).ok());

  EXPECT_EQ(*map_get(r.key, "k"), Value::string("v"));
  EXPECT_EQ(r.value, Value::string("value"));
}

TEST(InsertFieldTest, ReusesUpdatedSchemaWhenInputSchemaRepeats) {
  auto t = make("InsertField$Value", {{"topic.field", "topic"}});
  data::SourceRecord a = source_record(
      order_schema(),
      make_struct(order_schema(), {{"id", Value::int64(1)}, {"amount", Value::float64(1)}}));
  data::SourceRecord b = source_record(
      order_schema(),
      make_struct(order_schema(), {{"id", Value::int64(2)}, {"amount", Value::float64(2)}}));

  ASSERT_TRUE(run(*t, a).ok());
  ASSERT_TRUE(run(*t, b).ok());

  EXPECT_EQ(a.value_schema.get(), b.value_schema.get());
}

TEST(InsertFieldTest, UsesFieldDefaultWhenReplaceNullWithDefaultIsTrue) {
  SchemaPtr s =
      SchemaBuilder::structure()
          .field("n", SchemaBuilder::int32().optional().default_value(Value::int32(7)).build())
          .build();
  auto with = make("InsertField$Value", {{"topic.field", "t"}});
  auto without =
      make("InsertField$Value", {{"topic.field", "t"}, {"replace.null.with.default", "false"}});
  data::SourceRecord a = source_record(s, Struct(s));
  data::SourceRecord b = source_record(s, Struct(s));

  ASSERT_TRUE(run(*with, a).ok());
  ASSERT_TRUE(run(*without, b).ok());

  EXPECT_EQ(a.value.as_struct().get(0), Value::int32(7));
  EXPECT_TRUE(b.value.as_struct().get(0).is_null());
}

// ---- MaskField ----

TEST(MaskFieldTest, MasksWithEmptyValuesWhenValueHasSchema) {
  SchemaPtr s = SchemaBuilder::structure()
                    .field("i8", schemas::int8())
                    .field("i64", schemas::int64())
                    .field("f", schemas::float32())
                    .field("b", schemas::boolean())
                    .field("s", schemas::string())
                    .field("arr", SchemaBuilder::array(schemas::int32()).build())
                    .field("keep", schemas::string())
                    .build();
  auto t = make("MaskField$Value", {{"fields", "i8,i64,f,b,s,arr"}});
  data::SourceRecord r = source_record(s, make_struct(s, {{"i8", Value::int8(5)},
                                                          {"i64", Value::int64(9)},
                                                          {"f", Value::float32(1.5f)},
                                                          {"b", Value::boolean(true)},
                                                          {"s", Value::string("secret")},
                                                          {"arr", Value::array({Value::int32(1)})},
                                                          {"keep", Value::string("visible")}}));

  ASSERT_TRUE(run(*t, r).ok());

  const Struct& v = r.value.as_struct();
  EXPECT_EQ(*v.get("i8"), Value::int8(0));
  EXPECT_EQ(*v.get("i64"), Value::int64(0));
  EXPECT_EQ(*v.get("f"), Value::float32(0));
  EXPECT_EQ(*v.get("b"), Value::boolean(false));
  EXPECT_EQ(*v.get("s"), Value::string(""));
  EXPECT_EQ(*v.get("arr"), Value::array({}));
  EXPECT_EQ(*v.get("keep"), Value::string("visible"));
  EXPECT_EQ(r.value_schema, s);
}

TEST(MaskFieldTest, UsesReplacementConvertedToFieldTypeWhenReplacementIsSet) {
  auto t = make("MaskField$Value", {{"fields", "n,s"}, {"replacement", "123"}});
  data::SourceRecord r =
      source_record(nullptr, map({{"n", Value::int32(77)}, {"s", Value::string("card")}}));

  ASSERT_TRUE(run(*t, r).ok());

  EXPECT_EQ(*map_get(r.value, "n"), Value::int32(123));
  EXPECT_EQ(*map_get(r.value, "s"), Value::string("123"));
}

TEST(MaskFieldTest, AddsNullEntryWhenSchemalessFieldIsAbsent) {
  auto t = make("MaskField$Value", {{"fields", "b"}});
  data::SourceRecord r = source_record(nullptr, map({{"a", Value::int64(1)}}));

  ASSERT_TRUE(run(*t, r).ok());

  ASSERT_NE(map_get(r.value, "b"), nullptr);
  EXPECT_TRUE(map_get(r.value, "b")->is_null());
}

TEST(MaskFieldTest, FailsWhenReplacementIsNotANumberForNumericField) {
  auto t = make("MaskField$Value", {{"fields", "a"}, {"replacement", "x"}});
  data::SourceRecord r = source_record(nullptr, map({{"a", Value::int32(1)}}));

  auto out = run(*t, r);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "Unable to convert x (class java.lang.String) to a number");
}

TEST(MaskFieldTest, FailsWhenReplacementTargetsBoolean) {
  auto t = make("MaskField$Value", {{"fields", "a"}, {"replacement", "x"}});
  data::SourceRecord r = source_record(nullptr, map({{"a", Value::boolean(true)}}));

  auto out = run(*t, r);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "Cannot mask value of type class java.lang.Boolean with custom replacement.");
}

TEST(MaskFieldTest, FailsWhenMaskingBytes) {
  auto t = make("MaskField$Value", {{"fields", "a"}});
  data::SourceRecord r =
      source_record(nullptr, map({{"a", Value::bytes(std::string_view("\x01"))}}));

  auto out = run(*t, r);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "Cannot mask value of type: class [B");
}

TEST(MaskFieldTest, FailsWhenValueIsNull) {
  auto t = make("MaskField$Value", {{"fields", "a"}});
  data::SourceRecord r = source_record(nullptr, Value());

  auto out = run(*t, r);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "Only Map objects supported in absence of schema for [mask fields], found: null");
}

TEST(MaskFieldTest, MasksDecimalAndDateWithZeroWhenSchemaHasLogicalTypes) {
  SchemaPtr s = SchemaBuilder::structure()
                    .field("price", data::logical::decimal(2).build())
                    .field("day", data::logical::date().build())
                    .build();
  auto t = make("MaskField$Value", {{"fields", "price,day"}});
  data::SourceRecord r = source_record(
      s, make_struct(s, {{"price", Value::bytes(data::logical::decimal_unscaled_bytes(12345))},
                         {"day", Value::int32(19000)}}));

  ASSERT_TRUE(run(*t, r).ok());

  EXPECT_EQ(*r.value.as_struct().get("price"), Value::bytes(std::string(1, '\0')));
  EXPECT_EQ(*r.value.as_struct().get("day"), Value::int32(0));
}

TEST(MaskFieldTest, RejectsConfigWhenReplacementIsEmpty) {
  Status s = configure_error("MaskField$Value", {{"fields", "a"}, {"replacement", ""}});

  EXPECT_EQ(s.message(), "Invalid value  for configuration replacement: String must be non-empty");
}

// ---- ReplaceField ----

TEST(ReplaceFieldTest, ExcludesIncludesAndRenamesWhenValueHasSchema) {
  auto t = make("ReplaceField$Value",
                {{"include", "id,name,amount"}, {"exclude", "amount"}, {"renames", "id:order_id"}});
  data::SourceRecord r =
      source_record(order_schema(), make_struct(order_schema(), {{"id", Value::int64(7)},
                                                                 {"name", Value::string("x")},
                                                                 {"amount", Value::float64(1)}}));

  ASSERT_TRUE(run(*t, r).ok());

  const SchemaPtr& s = r.value_schema;
  ASSERT_EQ(s->fields().size(), 2u);
  EXPECT_EQ(s->fields()[0].name, "order_id");
  EXPECT_EQ(s->fields()[1].name, "name");
  EXPECT_EQ(*s->name(), "com.example.Order");
  EXPECT_EQ(*r.value.as_struct().get("order_id"), Value::int64(7));
}

TEST(ReplaceFieldTest, ExcludesAndRenamesWhenValueIsSchemaless) {
  auto t = make("ReplaceField$Value", {{"exclude", "b"}, {"renames", "a:x"}});
  data::SourceRecord r =
      source_record(nullptr, map({{"a", Value::int64(1)}, {"b", Value::int64(2)}}));

  ASSERT_TRUE(run(*t, r).ok());

  EXPECT_EQ(r.value.as_map().size(), 1u);
  EXPECT_EQ(*map_get(r.value, "x"), Value::int64(1));
}

TEST(ReplaceFieldTest, HonoursDeprecatedBlacklistWhenExcludeIsUnset) {
  auto t = make("ReplaceField$Value", {{"blacklist", "b"}, {"whitelist", "a,b"}});
  data::SourceRecord r = source_record(
      nullptr, map({{"a", Value::int64(1)}, {"b", Value::int64(2)}, {"c", Value::int64(3)}}));

  ASSERT_TRUE(run(*t, r).ok());

  EXPECT_EQ(r.value.as_map().size(), 1u);
  EXPECT_NE(map_get(r.value, "a"), nullptr);
}

TEST(ReplaceFieldTest, PassesTombstoneWhenValueIsNull) {
  auto t = make("ReplaceField$Value", {{"exclude", "a"}});
  data::SourceRecord r = source_record(nullptr, Value());

  auto out = run(*t, r);

  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(r.value.is_null());
}

TEST(ReplaceFieldTest, RejectsConfigWhenRenameHasNoColon) {
  Status s = configure_error("ReplaceField$Value", {{"renames", "a"}});

  EXPECT_EQ(s.message(), "Invalid value a for configuration renames: Invalid rename mapping: a");
}

// ---- ExtractField ----

TEST(ExtractFieldTest, ReplacesValueWithFieldAndItsSchemaWhenValueHasSchema) {
  auto t = make("ExtractField$Value", {{"field", "name"}});
  data::SourceRecord r =
      source_record(order_schema(), make_struct(order_schema(), {{"id", Value::int64(1)},
                                                                 {"name", Value::string("widget")},
                                                                 {"amount", Value::float64(1)}}));

  ASSERT_TRUE(run(*t, r).ok());

  EXPECT_EQ(r.value, Value::string("widget"));
  EXPECT_EQ(r.value_schema, schemas::optional_string());
}

TEST(ExtractFieldTest, ReturnsNullWhenSchemalessFieldIsAbsent) {
  auto t = make("ExtractField$Key", {{"field", "missing"}});
  data::SourceRecord r = source_record(nullptr, Value());
  r.key = map({{"id", Value::int64(1)}});

  ASSERT_TRUE(run(*t, r).ok());

  EXPECT_TRUE(r.key.is_null());
}

TEST(ExtractFieldTest, FollowsNestedPathWhenSyntaxVersionIsV2) {
  SchemaPtr inner = SchemaBuilder::structure().field("city", schemas::string()).build();
  SchemaPtr outer = SchemaBuilder::structure().field("address", inner).build();
  auto t = make("ExtractField$Value", {{"field", "address.city"}, {"field.syntax.version", "V2"}});
  data::SourceRecord r = source_record(
      outer,
      make_struct(outer, {{"address", make_struct(inner, {{"city", Value::string("Oslo")}})}}));

  ASSERT_TRUE(run(*t, r).ok());

  EXPECT_EQ(r.value, Value::string("Oslo"));
  EXPECT_EQ(r.value_schema, schemas::string());
}

TEST(ExtractFieldTest, FollowsNestedMapPathWhenSchemalessAndV2) {
  auto t = make("ExtractField$Value", {{"field", "a.`b.c`"}, {"field.syntax.version", "V2"}});
  data::SourceRecord r = source_record(nullptr, map({{"a", map({{"b.c", Value::int64(5)}})}}));

  ASSERT_TRUE(run(*t, r).ok());

  EXPECT_EQ(r.value, Value::int64(5));
}

TEST(ExtractFieldTest, FailsWhenFieldIsNotInSchema) {
  auto t = make("ExtractField$Value", {{"field", "zz"}});
  data::SourceRecord r = source_record(
      order_schema(),
      make_struct(order_schema(), {{"id", Value::int64(1)}, {"amount", Value::float64(1)}}));

  auto out = run(*t, r);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "Unknown field: zz");
}

TEST(ExtractFieldTest, KeepsNullValueWithFieldSchemaWhenValueIsNull) {
  auto t = make("ExtractField$Value", {{"field", "name"}});
  data::SourceRecord r = source_record(order_schema(), Value());

  ASSERT_TRUE(run(*t, r).ok());

  EXPECT_TRUE(r.value.is_null());
  EXPECT_EQ(r.value_schema, schemas::optional_string());
}

TEST(ExtractFieldTest, FailsWhenSchemalessValueIsNotAMap) {
  auto t = make("ExtractField$Value", {{"field", "a"}});
  data::SourceRecord r = source_record(nullptr, Value::string("x"));

  auto out = run(*t, r);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "Only Map objects supported in absence of schema for [field extraction], found: "
            "java.lang.String");
}

// ---- HoistField ----

TEST(HoistFieldTest, WrapsValueInStructWhenValueHasSchema) {
  auto t = make("HoistField$Value", {{"field", "line"}});
  data::SourceRecord r = source_record(schemas::string(), Value::string("hello"));

  ASSERT_TRUE(run(*t, r).ok());

  ASSERT_EQ(r.value_schema->type(), data::SchemaType::kStruct);
  EXPECT_EQ(r.value_schema->field("line")->schema, schemas::string());
  EXPECT_EQ(*r.value.as_struct().get("line"), Value::string("hello"));
}

TEST(HoistFieldTest, WrapsValueInMapWhenSchemaless) {
  auto t = make("HoistField$Key", {{"field", "id"}});
  data::SourceRecord r = source_record(nullptr, Value());
  r.key = Value::int64(9);

  ASSERT_TRUE(run(*t, r).ok());

  EXPECT_EQ(*map_get(r.key, "id"), Value::int64(9));
}

TEST(HoistFieldTest, HoistsNullWhenSchemalessValueIsNull) {
  auto t = make("HoistField$Value", {{"field", "f"}});
  data::SourceRecord r = source_record(nullptr, Value());

  ASSERT_TRUE(run(*t, r).ok());

  ASSERT_NE(map_get(r.value, "f"), nullptr);
  EXPECT_TRUE(map_get(r.value, "f")->is_null());
}

TEST(HoistFieldTest, FailsWhenNullValueHasRequiredSchema) {
  auto t = make("HoistField$Value", {{"field", "f"}});
  data::SourceRecord r = source_record(schemas::string(), Value());

  auto out = run(*t, r);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "Invalid value: null used for required field: \"f\", schema type: STRING");
}

// ---- ValueToKey ----

TEST(ValueToKeyTest, BuildsStructKeyFromValueFieldsWhenValueHasSchema) {
  auto t = make("ValueToKey", {{"fields", "id,name"}});
  data::SourceRecord r =
      source_record(order_schema(), make_struct(order_schema(), {{"id", Value::int64(5)},
                                                                 {"name", Value::string("n")},
                                                                 {"amount", Value::float64(1)}}));

  ASSERT_TRUE(run(*t, r).ok());

  ASSERT_EQ(r.key_schema->fields().size(), 2u);
  EXPECT_EQ(r.key_schema->field("id")->schema, schemas::int64());
  EXPECT_EQ(*r.key.as_struct().get("id"), Value::int64(5));
  EXPECT_EQ(*r.key.as_struct().get("name"), Value::string("n"));
}

TEST(ValueToKeyTest, BuildsMapKeyWhenSchemaless) {
  auto t = make("org.apache.kafka.connect.transforms.ValueToKey", {{"fields", "b"}});
  data::SourceRecord r = source_record(nullptr, map({{"a", Value::int64(1)}}));

  ASSERT_TRUE(run(*t, r).ok());

  ASSERT_NE(map_get(r.key, "b"), nullptr);
  EXPECT_TRUE(map_get(r.key, "b")->is_null());
  EXPECT_EQ(r.key_schema, nullptr);
}

TEST(ValueToKeyTest, FailsWhenFieldIsNotInValueSchema) {
  auto t = make("ValueToKey", {{"fields", "nope"}});
  data::SourceRecord r = source_record(
      order_schema(),
      make_struct(order_schema(), {{"id", Value::int64(1)}, {"amount", Value::float64(1)}}));

  auto out = run(*t, r);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "Field does not exist: nope");
}

TEST(ValueToKeyTest, FailsWhenValueIsTombstone) {
  auto t = make("ValueToKey", {{"fields", "a"}});
  data::SourceRecord r = source_record(nullptr, Value());

  auto out = run(*t, r);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "Only Map objects supported in absence of schema for [copying fields from value to "
            "key], found: null");
}

TEST(ValueToKeyTest, RejectsConfigWhenFieldsIsEmpty) {
  Status s = configure_error("ValueToKey", {{"fields", ""}});

  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("fields"), std::string::npos);
}

}  // namespace
}  // namespace kanal::transforms
