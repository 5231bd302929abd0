// Unit tests of the data model: Schema, SchemaBuilder, logical types, Value, Struct, validation,
// Headers and records.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "data/record.h"
#include "data/schema.h"
#include "data/value.h"

namespace kanal::data {
namespace {

TEST(SchemaBuilderTest, BuildsStructWithFieldsInDeclarationOrder) {
  SchemaPtr s = SchemaBuilder::structure()
                    .name("com.example.Order")
                    .version(2)
                    .field("id", schemas::int64())
                    .field("note", schemas::optional_string())
                    .build();

  ASSERT_EQ(s->fields().size(), 2u);
  EXPECT_EQ(s->fields()[1].name, "note");
  EXPECT_EQ(s->fields()[1].index, 1);
  EXPECT_EQ(s->field("id")->schema, schemas::int64());
  EXPECT_EQ(s->field("missing"), nullptr);
  EXPECT_EQ(*s->name(), "com.example.Order");
  EXPECT_EQ(*s->version(), 2);
}

TEST(SchemaBuilderTest, FailsWhenFieldNameIsDuplicated) {
  SchemaBuilder b = SchemaBuilder::structure();
  b.field("a", schemas::int32()).field("a", schemas::string());

  Result<SchemaPtr> r = b.build_checked();

  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("duplication a"), std::string::npos);
}

TEST(SchemaBuilderTest, FailsWhenFieldAddedToNonStruct) {
  SchemaBuilder b = SchemaBuilder::int32();
  b.field("a", schemas::int32());

  EXPECT_FALSE(b.build_checked().ok());
}

TEST(SchemaBuilderTest, FailsWhenDefaultDoesNotMatchType) {
  SchemaBuilder b = SchemaBuilder::int32();
  b.default_value(Value::string("x"));

  Result<SchemaPtr> r = b.build_checked();

  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Invalid default value"), std::string::npos);
}

TEST(SchemaTest, EqualsWhenBuiltTheSameWay) {
  auto make = [] {
    return SchemaBuilder::structure()
        .field("a", SchemaBuilder::int32().optional().default_value(Value::int32(7)).build())
        .parameter("x", "1")
        .parameter("y", "2")
        .build();
  };
  SchemaPtr other =
      SchemaBuilder::structure()
          .field("a", SchemaBuilder::int32().optional().default_value(Value::int32(7)).build())
          .parameter("y", "2")
          .parameter("x", "1")
          .build();

  EXPECT_TRUE(schema_equals(make(), make()));
  EXPECT_TRUE(schema_equals(make(), other));  // parameter order does not matter
  EXPECT_FALSE(schema_equals(make(), schemas::int32()));
  EXPECT_FALSE(schema_equals(make(), nullptr));
  EXPECT_TRUE(schema_equals(nullptr, nullptr));
}

TEST(SchemaTest, PredefinedSchemasAreSharedSingletons) {
  EXPECT_EQ(schemas::int32().get(), schemas::int32().get());
  EXPECT_TRUE(schemas::optional_string()->is_optional());
  EXPECT_FALSE(schemas::string()->is_optional());
  EXPECT_EQ(schemas::for_type(SchemaType::kBytes, true), schemas::optional_bytes());
  EXPECT_EQ(schemas::for_type(SchemaType::kStruct, false), nullptr);
}

TEST(SchemaTest, NamesTypesAsConnectAndJsonConverterDo) {
  EXPECT_STREQ(to_connect_string(SchemaType::kFloat64), "FLOAT64");
  EXPECT_STREQ(json_type_name(SchemaType::kFloat32), "float");
  EXPECT_STREQ(json_type_name(SchemaType::kFloat64), "double");
  EXPECT_EQ(parse_json_type_name("boolean"), SchemaType::kBoolean);
  EXPECT_EQ(parse_json_type_name("bool"), std::nullopt);
}

TEST(LogicalTest, BuildsConnectLogicalSchemas) {
  SchemaPtr d = logical::decimal(2).build();
  SchemaPtr ts = logical::timestamp().optional().build();

  EXPECT_EQ(d->type(), SchemaType::kBytes);
  EXPECT_EQ(*d->name(), "org.apache.kafka.connect.data.Decimal");
  EXPECT_EQ(*d->version(), 1);
  EXPECT_EQ(*d->parameter("scale"), "2");
  EXPECT_EQ(*logical::decimal_scale(*d), 2);
  EXPECT_TRUE(logical::is_decimal(*d));
  EXPECT_TRUE(logical::is_timestamp(*ts));
  EXPECT_TRUE(ts->is_optional());
  EXPECT_EQ(logical::date().build()->type(), SchemaType::kInt32);
  EXPECT_EQ(*logical::time().build()->name(), "org.apache.kafka.connect.data.Time");
}

TEST(LogicalTest, FormatsDecimalAsBigDecimalToString) {
  EXPECT_EQ(logical::decimal_to_string(std::string("\x30\x39", 2), 2), "123.45");
  EXPECT_EQ(logical::decimal_to_string(std::string("\xff\x6a", 2), 2), "-1.50");
  EXPECT_EQ(logical::decimal_to_string(std::string("\x01", 1), 8), "1E-8");
  EXPECT_EQ(logical::decimal_to_string(std::string("\x01", 1), 6), "0.000001");
  EXPECT_EQ(logical::decimal_to_string(std::string("\x0c", 1), -2), "1.2E+3");
  EXPECT_EQ(logical::decimal_to_string("", 0), "0");
  // 1234567890123456789012 = 0x42ED123B0BD8203A14 (checked against Java's BigInteger)
  EXPECT_EQ(logical::decimal_to_string(std::string("\x42\xed\x12\x3b\x0b\xd8\x20\x3a\x14", 9), 0),
            "1234567890123456789012");
}

TEST(LogicalTest, ParsesDecimalTextToMinimalUnscaledBytes) {
  EXPECT_EQ(*logical::decimal_from_string("123.45", 2), std::string("\x30\x39", 2));
  EXPECT_EQ(*logical::decimal_from_string("-1.5", 2), std::string("\xff\x6a", 2));
  EXPECT_EQ(*logical::decimal_from_string("1.5", 3), std::string("\x05\xdc", 2));
  EXPECT_EQ(*logical::decimal_from_string("1E+3", 0), std::string("\x03\xe8", 2));
  EXPECT_EQ(*logical::decimal_from_string("0", 2), std::string(1, '\0'));
  EXPECT_EQ(*logical::decimal_from_string("128", 0), std::string("\x00\x80", 2));
  EXPECT_EQ(*logical::decimal_from_string("-128", 0), std::string("\x80", 1));
  EXPECT_EQ(*logical::decimal_from_string("-256", 0), std::string("\xff\x00", 2));
  EXPECT_FALSE(logical::decimal_from_string("1.234", 2).ok());
  EXPECT_FALSE(logical::decimal_from_string("abc", 2).ok());
}

TEST(LogicalTest, EncodesInt64AsMinimalTwosComplement) {
  EXPECT_EQ(logical::decimal_unscaled_bytes(12345), std::string("\x30\x39", 2));
  EXPECT_EQ(logical::decimal_unscaled_bytes(-1), std::string("\xff", 1));
  EXPECT_EQ(logical::decimal_unscaled_bytes(0), std::string(1, '\0'));
  EXPECT_EQ(logical::decimal_unscaled_bytes(255), std::string("\x00\xff", 2));
}

TEST(ValueTest, HoldsEachKind) {
  EXPECT_TRUE(Value().is_null());
  EXPECT_EQ(Value::int8(-3).as_int8(), -3);
  EXPECT_EQ(Value::int64(1LL << 40).as_int64(), 1LL << 40);
  EXPECT_EQ(Value::float32(1.5f).as_float32(), 1.5f);
  EXPECT_EQ(Value::string("abc").as_string(), "abc");
  EXPECT_EQ(Value::bytes(std::string_view("\0\1", 2)).as_bytes().data.size(), 2u);
  EXPECT_EQ(Value::array({Value::int32(1)}).as_array().size(), 1u);
  EXPECT_EQ(Value::map({{Value::string("k"), Value::boolean(true)}}).kind(), ValueKind::kMap);
}

TEST(ValueTest, DiffersWhenKindsDifferEvenForEqualNumbers) {
  EXPECT_NE(Value::int32(1), Value::int64(1));
  EXPECT_EQ(Value::int32(1), Value::int32(1));
  EXPECT_NE(Value::string("a"), Value::bytes(std::string_view("a")));
  EXPECT_EQ(Value::float64(std::nan("")), Value::float64(std::nan("")));
}

TEST(ValueTest, ComparesMapsIgnoringEntryOrder) {
  Value a =
      Value::map({{Value::string("x"), Value::int32(1)}, {Value::string("y"), Value::int32(2)}});
  Value b =
      Value::map({{Value::string("y"), Value::int32(2)}, {Value::string("x"), Value::int32(1)}});

  EXPECT_EQ(a, b);
}

TEST(ValueTest, MovesWithoutCopyingStringBuffer) {
  std::string big(1000, 'x');
  const char* data = big.data();

  Value v = Value::string(std::move(big));
  Value moved = std::move(v);

  EXPECT_EQ(moved.as_string().data(), data);
}

TEST(ValueTest, FormatsFloatsAsJavaToString) {
  EXPECT_EQ(to_java_string(Value::float64(1.5)), "1.5");
  EXPECT_EQ(to_java_string(Value::float64(10.0)), "10.0");
  EXPECT_EQ(to_java_string(Value::float64(1e10)), "1.0E10");
  EXPECT_EQ(to_java_string(Value::float64(1e7)), "1.0E7");
  EXPECT_EQ(to_java_string(Value::float64(9999999.0)), "9999999.0");
  EXPECT_EQ(to_java_string(Value::float64(0.001)), "0.001");
  EXPECT_EQ(to_java_string(Value::float64(0.0001)), "1.0E-4");
  EXPECT_EQ(to_java_string(Value::float64(123456789.125)), "1.23456789125E8");
  EXPECT_EQ(to_java_string(Value::float64(-0.0)), "-0.0");
  EXPECT_EQ(to_java_string(Value::float64(4.9e-324)), "4.9E-324");
  EXPECT_EQ(to_java_string(Value::float64(1.7976931348623157e308)), "1.7976931348623157E308");
  EXPECT_EQ(to_java_string(Value::float32(0.1f)), "0.1");
  EXPECT_EQ(to_java_string(Value::float32(3.1415927f)), "3.1415927");
}

TEST(ValueTest, FormatsCollectionsAsJavaToString) {
  SchemaPtr s = SchemaBuilder::structure()
                    .field("a", schemas::int32())
                    .field("b", schemas::optional_string())
                    .field("c", schemas::string())
                    .build();
  Struct st(s);
  st.set(0, Value::int32(1));
  st.set(2, Value::string("x"));

  EXPECT_EQ(to_java_string(Value::array({Value::int32(1), Value::string("a")})), "[1, a]");
  EXPECT_EQ(to_java_string(Value::map({{Value::string("k"), Value::int64(2)}})), "{k=2}");
  EXPECT_EQ(to_java_string(Value::structure(st)), "Struct{a=1,c=x}");
}

TEST(StructTest, ReturnsDefaultWhenFieldIsNull) {
  SchemaPtr s = SchemaBuilder::structure()
                    .field("n", SchemaBuilder::int32().default_value(Value::int32(5)).build())
                    .build();
  Struct st(s);

  EXPECT_EQ(*st.get("n"), Value::int32(5));
  EXPECT_TRUE(st.get_without_default("n")->is_null());
  EXPECT_EQ(st.get("nope"), nullptr);
}

TEST(StructTest, RejectsPutOfWrongType) {
  SchemaPtr s = SchemaBuilder::structure().field("id", schemas::int64()).build();
  Struct st(s);

  Status bad = st.put("id", Value::string("x"));
  Status unknown = st.put("nope", Value::int64(1));
  Status good = st.put("id", Value::int64(1));

  EXPECT_EQ(bad.message(),
            "Invalid Java object for schema with type INT64: class java.lang.String for field: "
            "\"id\"");
  EXPECT_EQ(unknown.message(), "nope is not a valid field name");
  EXPECT_TRUE(good.ok());
}

TEST(StructTest, FailsValidationWhenRequiredFieldIsNull) {
  SchemaPtr s = SchemaBuilder::structure().field("id", schemas::int64()).build();
  Struct st(s);

  Status v = st.validate();

  EXPECT_EQ(v.message(), "Invalid value: null used for required field: \"id\", schema type: INT64");
}

TEST(ValidateValueTest, ChecksArrayElementsAndMapEntries) {
  SchemaPtr arr = SchemaBuilder::array(schemas::int32()).build();
  SchemaPtr map = SchemaBuilder::map(schemas::string(), schemas::int32()).build();

  EXPECT_TRUE(validate_value(arr, Value::array({Value::int32(1)})).ok());
  EXPECT_EQ(validate_value(arr, Value::array({Value::int64(1)})).message(),
            "Invalid Java object for schema with type INT32: class java.lang.Long for element of "
            "array value");
  EXPECT_FALSE(validate_value(map, Value::map({{Value::int32(1), Value::int32(1)}})).ok());
  EXPECT_TRUE(validate_value(nullptr, Value::string("anything")).ok());
  EXPECT_TRUE(validate_value(schemas::optional_int32(), Value()).ok());
}

TEST(ValidateValueTest, RejectsStructWithDifferentSchema) {
  SchemaPtr a = SchemaBuilder::structure().field("x", schemas::int32()).build();
  SchemaPtr b = SchemaBuilder::structure().field("y", schemas::int32()).build();
  Struct st(b);
  st.set(0, Value::int32(1));

  EXPECT_EQ(validate_value(a, Value::structure(st)).message(), "Struct schemas do not match.");
}

TEST(HeadersTest, KeepsOrderAndFindsLastWithName) {
  Headers h;
  h.add("a", schemas::int32(), Value::int32(1))
      .add("b", nullptr, Value::string("x"))
      .add("a", schemas::int32(), Value::int32(2));

  EXPECT_EQ(h.size(), 3u);
  EXPECT_EQ(h.last_with_name("a")->value, Value::int32(2));
  EXPECT_EQ(h.all_with_name("a").size(), 2u);
  EXPECT_EQ(h.last_with_name("zz"), nullptr);
}

TEST(HeadersTest, RemovesAndRetainsLatest) {
  Headers h;
  h.add("a", nullptr, Value::int32(1)).add("b", nullptr, Value::int32(2));
  h.add("a", nullptr, Value::int32(3));

  h.retain_latest("a");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.entries()[0].key, "b");
  EXPECT_EQ(h.entries()[1].value, Value::int32(3));
  EXPECT_EQ(h.remove("a"), 1u);
  EXPECT_EQ(h.size(), 1u);
}

TEST(OrderedMapTest, KeepsInsertionOrderAndReplacesInPlace) {
  OrderedMap m{{"filename", Value::string("/tmp/x")}, {"position", Value::int64(1)}};

  m.set("filename", Value::string("/tmp/y"));
  m.set("extra", Value::boolean(true));

  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m.entries()[0].first, "filename");
  EXPECT_EQ(m.entries()[0].second, Value::string("/tmp/y"));
  EXPECT_EQ(m.entries()[2].first, "extra");
  EXPECT_EQ(*m.find("position"), Value::int64(1));
  EXPECT_TRUE(m.erase("extra"));
  EXPECT_EQ(m, (OrderedMap{{"position", Value::int64(1)}, {"filename", Value::string("/tmp/y")}}));
}

TEST(OrderedMapTest, CopiesShareEntriesUntilOneIsChanged) {
  OrderedMap original{{"filename", Value::string("/tmp/x")}, {"position", Value::int64(1)}};
  OrderedMap copy = original;
  OrderedMap erased = original;
  const OrderedMap empty_before_set;
  OrderedMap filled = empty_before_set;

  copy.set("position", Value::int64(2));
  erased.erase("filename");
  filled.set("a", Value::int32(1));

  EXPECT_EQ(original,
            (OrderedMap{{"filename", Value::string("/tmp/x")}, {"position", Value::int64(1)}}));
  EXPECT_EQ(copy,
            (OrderedMap{{"filename", Value::string("/tmp/x")}, {"position", Value::int64(2)}}));
  EXPECT_EQ(erased, (OrderedMap{{"position", Value::int64(1)}}));
  EXPECT_TRUE(empty_before_set.empty());
  EXPECT_EQ(filled.size(), 1u);
  EXPECT_NE(copy, original);
  OrderedMap moved = std::move(copy);
  EXPECT_EQ(*moved.find("position"), Value::int64(2));
}

TEST(RecordTest, CopiesSourceRecordDeeply) {
  SourceRecord r;
  r.topic = "t";
  r.kafka_partition = 3;
  r.value_schema = schemas::string();
  r.value = Value::string("v");
  r.timestamp = 1717171717171;
  r.headers.add("h", nullptr, Value::int32(1));
  r.source_partition.set("file", Value::string("f"));
  r.source_offset.set("pos", Value::int64(10));

  SourceRecord copy = r;
  copy.source_offset.set("pos", Value::int64(11));

  EXPECT_FALSE(copy == r);
  copy.source_offset.set("pos", Value::int64(10));
  EXPECT_TRUE(copy == r);
  ConnectRecord& base = copy;
  base.topic = "renamed";
  EXPECT_EQ(copy.topic, "renamed");
}

TEST(RecordTest, SpellsTimestampTypesAsKafka) {
  EXPECT_STREQ(to_connect_string(TimestampType::kCreateTime), "CreateTime");
  EXPECT_STREQ(to_connect_string(TimestampType::kLogAppendTime), "LogAppendTime");
  EXPECT_STREQ(to_connect_string(TimestampType::kNoTimestampType), "NoTimestampType");
}

}  // namespace
}  // namespace kanal::data
