// StringConverter, ByteArrayConverter, the number converters, SimpleHeaderConverter and the
// ConverterRegistry. Expectations marked Java-verified come from Kafka 4.3.1 (connect-api,
// connect-runtime jars) run on the same inputs.
#include "data/simple_converters.h"

#include <gtest/gtest.h>

#include <string>

#include "data/converter.h"
#include "data/json_converter.h"
#include "data/simple_header_converter.h"

namespace kanal::data {
namespace {

std::string header_text(const SchemaPtr& schema, const Value& value) {
  SimpleHeaderConverter c;
  SerializedData out;
  EXPECT_TRUE(c.from_connect_header("t", "k", schema, value, out).ok());
  return out.is_null ? "<null>" : out.bytes;
}

SchemaAndValue parse_header(std::string_view text) {
  SimpleHeaderConverter c;
  Result<SchemaAndValue> r = c.to_connect_header("t", "k", text);
  EXPECT_TRUE(r.ok());
  return *r;
}

TEST(StringConverterTest, WritesJavaStringFormOfValue) {
  StringConverter c;
  SerializedData out;

  ASSERT_TRUE(c.from_connect("t", nullptr, schemas::string(), Value::string("abc"), out).ok());
  EXPECT_EQ(out.bytes, "abc");
  ASSERT_TRUE(c.from_connect("t", nullptr, nullptr, Value::float64(10.0), out).ok());
  EXPECT_EQ(out.bytes, "10.0");
  ASSERT_TRUE(c.from_connect("t", nullptr, nullptr, Value(), out).ok());
  EXPECT_TRUE(out.is_null);
}

TEST(StringConverterTest, ReadsOptionalStringSchema) {
  StringConverter c;

  Result<SchemaAndValue> v = c.to_connect("t", nullptr, "h\xc3\xa9");
  Result<SchemaAndValue> n = c.to_connect("t", nullptr, std::nullopt);

  EXPECT_EQ(*v, (SchemaAndValue{schemas::optional_string(), Value::string("h\xc3\xa9")}));
  EXPECT_EQ(*n, (SchemaAndValue{schemas::optional_string(), Value()}));
}

TEST(StringConverterTest, RejectsEncodingOtherThanUtf8) {
  StringConverter c;

  EXPECT_TRUE(c.configure({{"converter.encoding", "utf-8"}}, false).ok());
  EXPECT_FALSE(c.configure({{"converter.encoding", "ISO-8859-1"}}, false).ok());
}

TEST(ByteArrayConverterTest, PassesBytesThrough) {
  ByteArrayConverter c;
  SerializedData out;

  ASSERT_TRUE(c.from_connect("t", nullptr, schemas::bytes(),
                             Value::bytes(std::string_view("\x00\x01", 2)), out)
                  .ok());
  Result<SchemaAndValue> back = c.to_connect("t", nullptr, out.view());

  EXPECT_EQ(out.bytes, std::string("\x00\x01", 2));
  EXPECT_EQ(*back, (SchemaAndValue{schemas::optional_bytes(),
                                   Value::bytes(std::string_view("\x00\x01", 2))}));
}

TEST(ByteArrayConverterTest, FailsWhenSchemaIsNotBytes) {
  ByteArrayConverter c;
  SerializedData out;

  Status st = c.from_connect("t", nullptr, schemas::string(), Value::string("x"), out);

  EXPECT_EQ(st.message(), "Invalid schema type for ByteArrayConverter: STRING");
}

TEST(NumberConverterTest, WritesBigEndianFixedWidth) {
  SerializedData out;
  NumberConverter ints(SchemaType::kInt32), longs(SchemaType::kInt64),
      doubles(SchemaType::kFloat64), bools(SchemaType::kBoolean);

  ASSERT_TRUE(ints.from_connect("t", nullptr, nullptr, Value::int32(258), out).ok());
  EXPECT_EQ(out.bytes, std::string("\x00\x00\x01\x02", 4));
  ASSERT_TRUE(longs.from_connect("t", nullptr, nullptr, Value::int64(-1), out).ok());
  EXPECT_EQ(out.bytes, std::string(8, '\xff'));
  ASSERT_TRUE(doubles.from_connect("t", nullptr, nullptr, Value::float64(1.5), out).ok());
  EXPECT_EQ(out.bytes, std::string("\x3f\xf8\x00\x00\x00\x00\x00\x00", 8));
  ASSERT_TRUE(bools.from_connect("t", nullptr, nullptr, Value::boolean(true), out).ok());
  EXPECT_EQ(out.bytes, std::string("\x01", 1));
}

TEST(NumberConverterTest, RoundTripsWithOptionalSchema) {
  NumberConverter shorts(SchemaType::kInt16);
  SerializedData out;
  ASSERT_TRUE(shorts.from_connect("t", nullptr, nullptr, Value::int16(-2), out).ok());

  Result<SchemaAndValue> back = shorts.to_connect("t", nullptr, out.view());

  EXPECT_EQ(*back, (SchemaAndValue{schemas::optional_int16(), Value::int16(-2)}));
}

TEST(NumberConverterTest, FailsWhenLengthIsWrong) {
  NumberConverter ints(SchemaType::kInt32);

  Result<SchemaAndValue> r = ints.to_connect("t", nullptr, std::string_view("\x01\x02", 2));

  EXPECT_EQ(r.status().message(),
            "Failed to deserialize integer: Size of data received by IntegerDeserializer is not 4");
}

TEST(NumberConverterTest, FailsWhenValueKindDiffers) {
  NumberConverter ints(SchemaType::kInt32);
  SerializedData out;

  EXPECT_FALSE(ints.from_connect("t", nullptr, nullptr, Value::int64(1), out).ok());
}

// Java-verified: SimpleHeaderConverter.fromConnectHeader.
TEST(SimpleHeaderConverterTest, WritesValuesAsKafkaValuesConvertToString) {
  SchemaPtr inner = SchemaBuilder::structure().field("n", schemas::int32()).build();
  Struct s(inner);
  s.set(0, Value::int32(5));
  SchemaPtr map_schema = SchemaBuilder::map(schemas::string(), schemas::int32()).build();
  SchemaPtr list_schema = SchemaBuilder::array(schemas::string()).build();

  EXPECT_EQ(header_text(inner, Value::structure(s)), R"({"n":5})");
  EXPECT_EQ(header_text(map_schema, Value::map({{Value::string("x"), Value::int32(1)},
                                                {Value::string("y"), Value::int32(2)}})),
            R"({"x":1,"y":2})");
  EXPECT_EQ(header_text(list_schema, Value::array({Value::string("a"), Value::string("b\"c")})),
            R"(["a","b\"c"])");
  EXPECT_EQ(header_text(schemas::float32(), Value::float32(1.5f)), "1.5");
  EXPECT_EQ(header_text(logical::date().build(), Value::int32(19000)), "2022-01-08");
  EXPECT_EQ(header_text(logical::timestamp().build(), Value::int64(1717171717171)),
            "2024-05-31T16:08:37.171Z");
  EXPECT_EQ(header_text(schemas::bytes(), Value::bytes(std::string_view("\x01\x02\x03", 3))),
            "AQID");
  EXPECT_EQ(header_text(logical::decimal(2).build(),
                        Value::bytes(*logical::decimal_from_string("1.50", 2))),
            "1.50");
  EXPECT_EQ(header_text(schemas::optional_string(), Value()), "<null>");
}

// Java-verified: SimpleHeaderConverter.toConnectHeader (Values.parseString).
TEST(SimpleHeaderConverterTest, InfersNarrowestTypeAsKafkaValuesParseString) {
  EXPECT_EQ(parse_header("true"), (SchemaAndValue{schemas::boolean(), Value::boolean(true)}));
  EXPECT_EQ(parse_header("FALSE"), (SchemaAndValue{schemas::string(), Value::string("FALSE")}));
  EXPECT_EQ(parse_header("42"), (SchemaAndValue{schemas::int8(), Value::int8(42)}));
  EXPECT_EQ(parse_header("-128"), (SchemaAndValue{schemas::int8(), Value::int8(-128)}));
  EXPECT_EQ(parse_header("300"), (SchemaAndValue{schemas::int16(), Value::int16(300)}));
  EXPECT_EQ(parse_header("70000"), (SchemaAndValue{schemas::int32(), Value::int32(70000)}));
  EXPECT_EQ(parse_header("3000000000"),
            (SchemaAndValue{schemas::int64(), Value::int64(3000000000)}));
  EXPECT_EQ(parse_header("1e3"), (SchemaAndValue{schemas::int16(), Value::int16(1000)}));
  EXPECT_EQ(parse_header("1.0"), (SchemaAndValue{schemas::int8(), Value::int8(1)}));
  EXPECT_EQ(parse_header(" 5"), (SchemaAndValue{schemas::int8(), Value::int8(5)}));
  EXPECT_EQ(parse_header("+5"), (SchemaAndValue{schemas::int8(), Value::int8(5)}));
  EXPECT_EQ(parse_header("1.5"), (SchemaAndValue{schemas::float32(), Value::float32(1.5f)}));
  EXPECT_EQ(parse_header("3.14159265358979"),
            (SchemaAndValue{schemas::float32(), Value::float32(3.1415927f)}));
  EXPECT_EQ(parse_header("1.5E300"), (SchemaAndValue{schemas::float64(), Value::float64(1.5e300)}));
  EXPECT_EQ(parse_header("null"), SchemaAndValue{});
  EXPECT_EQ(parse_header("hello world"),
            (SchemaAndValue{schemas::string(), Value::string("hello world")}));
  EXPECT_EQ(parse_header("{a:1}"), (SchemaAndValue{schemas::string(), Value::string("{a:1}")}));
  EXPECT_EQ(parse_header("\"quoted\""),
            (SchemaAndValue{schemas::string(), Value::string("\"quoted\"")}));
  EXPECT_EQ(parse_header(""), (SchemaAndValue{schemas::string(), Value::string("")}));
}

// Java-verified.
TEST(SimpleHeaderConverterTest, ParsesBigIntegerAsDecimal) {
  SchemaAndValue sv = parse_header("12345678901234567890");

  EXPECT_TRUE(schema_equals(sv.schema, logical::decimal(0).build()));
  EXPECT_EQ(logical::decimal_to_string(sv.value.as_bytes().data, 0), "12345678901234567890");
}

// Java-verified.
TEST(SimpleHeaderConverterTest, ParsesIsoDatesTimesAndTimestamps) {
  EXPECT_EQ(parse_header("2024-01-15"),
            (SchemaAndValue{logical::date().build(), Value::int32(19737)}));
  EXPECT_EQ(parse_header("12:30:00.000Z"),
            (SchemaAndValue{logical::time().build(), Value::int32(45000000)}));
  EXPECT_EQ(parse_header("2024-01-15T12:30:00.000Z"),
            (SchemaAndValue{logical::timestamp().build(), Value::int64(1705321800000)}));
}

// Java-verified (element schemas and widening).
TEST(SimpleHeaderConverterTest, ParsesArraysAndMapsWithCommonSchema) {
  EXPECT_EQ(parse_header("[1,2,3]"),
            (SchemaAndValue{SchemaBuilder::array(schemas::int8()).build(),
                            Value::array({Value::int8(1), Value::int8(2), Value::int8(3)})}));
  EXPECT_EQ(parse_header("[1,2.5]"),
            (SchemaAndValue{SchemaBuilder::array(schemas::float32()).build(),
                            Value::array({Value::float32(1.0f), Value::float32(2.5f)})}));
  EXPECT_EQ(parse_header(R"({"a":1,"b":2})"),
            (SchemaAndValue{SchemaBuilder::map(schemas::string(), schemas::int8()).build(),
                            Value::map({{Value::string("a"), Value::int8(1)},
                                        {Value::string("b"), Value::int8(2)}})}));
  EXPECT_EQ(parse_header(R"(["x","y"])").value,
            Value::array({Value::string("x"), Value::string("y")}));
  EXPECT_EQ(parse_header("[[1],[2]]").value,
            Value::array({Value::array({Value::int8(1)}), Value::array({Value::int8(2)})}));
}

TEST(SimpleHeaderConverterTest, ReadsNullWhenHeaderValueIsNull) {
  SimpleHeaderConverter c;

  Result<SchemaAndValue> r = c.to_connect_header("t", "k", std::nullopt);

  EXPECT_EQ(*r, SchemaAndValue{});
}

TEST(ConverterRegistryTest, CreatesBuiltinsByClassNameAndAlias) {
  ConverterRegistry r = ConverterRegistry::with_builtins();

  EXPECT_TRUE(r.create_converter("org.apache.kafka.connect.json.JsonConverter").ok());
  EXPECT_TRUE(r.create_converter("JsonConverter").ok());
  EXPECT_TRUE(r.create_converter("Json").ok());
  EXPECT_TRUE(r.create_converter("org.apache.kafka.connect.storage.StringConverter").ok());
  EXPECT_TRUE(r.create_converter("org.apache.kafka.connect.converters.ByteArrayConverter").ok());
  EXPECT_TRUE(r.create_converter("org.apache.kafka.connect.converters.IntegerConverter").ok());
  EXPECT_TRUE(r.create_converter("BooleanConverter").ok());
  EXPECT_TRUE(
      r.create_header_converter("org.apache.kafka.connect.storage.SimpleHeaderConverter").ok());
  EXPECT_TRUE(r.create_header_converter("JsonConverter").ok());
  EXPECT_FALSE(r.create_converter("SimpleHeaderConverter").ok());
}

TEST(ConverterRegistryTest, ReturnsNotFoundNamingUnknownClass) {
  ConverterRegistry r = ConverterRegistry::with_builtins();

  Result<std::unique_ptr<Converter>> c = r.create_converter("com.example.Missing");

  EXPECT_EQ(c.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(c.status().message(),
            "Failed to find any class that implements Converter and which name matches "
            "com.example.Missing");
}

TEST(ConverterRegistryTest, RegistersPluginConverterAndRejectsTakenName) {
  ConverterRegistry r = ConverterRegistry::with_builtins();

  Status ok = r.register_converter("com.example.MyConverter", {"MyConverter"},
                                   [] { return std::make_unique<StringConverter>(); });
  Status taken = r.register_converter("com.example.Other", {"JsonConverter"},
                                      [] { return std::make_unique<StringConverter>(); });

  EXPECT_TRUE(ok.ok());
  EXPECT_TRUE(r.create_converter("MyConverter").ok());
  EXPECT_EQ(taken.code(), Status::Code::kConflict);
  EXPECT_EQ(r.converter_classes().size(), 10u);
}

}  // namespace
}  // namespace kanal::data
