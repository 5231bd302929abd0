// JsonConverter against golden bytes of Kafka's org.apache.kafka.connect.json.JsonConverter.
//
// Every golden here (except the read-side round trips) was produced by running Kafka 4.3.1's
// JsonConverter (connect-json-4.3.1.jar, Java 17) on the same schema and value with a throwaway
// Java program, not kept in the repo: rerun it against a new Kafka release to refresh them.
#include "data/json_converter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>

namespace kanal::data {
namespace {

std::unique_ptr<JsonConverter> make(bool schemas_enable,
                                    DecimalFormat format = DecimalFormat::kBase64,
                                    bool replace_null = true) {
  auto c = std::make_unique<JsonConverter>();
  ConfigMap cfg{{"schemas.enable", schemas_enable ? "true" : "false"},
                {"decimal.format", format == DecimalFormat::kNumeric ? "NUMERIC" : "BASE64"},
                {"replace.null.with.default", replace_null ? "true" : "false"}};
  EXPECT_TRUE(c->configure(cfg, false).ok());
  return c;
}

std::string write(JsonConverter& c, const SchemaPtr& schema, const Value& value) {
  SerializedData out;
  Status st = c.from_connect("topic", nullptr, schema, value, out);
  EXPECT_TRUE(st.ok()) << st.to_string();
  if (out.is_null) return "<null>";
  return out.bytes;
}

std::string write_with_schema(const SchemaPtr& schema, const Value& value) {
  return write(*make(true), schema, value);
}

SchemaAndValue read(JsonConverter& c, std::string_view json) {
  Result<SchemaAndValue> r = c.to_connect("topic", nullptr, json);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r.ok() ? *r : SchemaAndValue{};
}

std::string envelope(std::string_view schema, std::string_view payload) {
  return "{\"schema\":" + std::string(schema) + ",\"payload\":" + std::string(payload) + "}";
}

SchemaPtr order_schema() {
  return SchemaBuilder::structure()
      .name("com.example.Order")
      .version(2)
      .field("id", schemas::int64())
      .field("customer", schemas::optional_string())
      .field("amount", logical::decimal(2).build())
      .field("created", logical::timestamp().build())
      .field("tags", SchemaBuilder::array(schemas::string()).build())
      .field("notes", SchemaBuilder::map(schemas::int32(), schemas::string()).build())
      .field("active", SchemaBuilder::boolean().default_value(Value::boolean(true)).build())
      .build();
}

Value order_value(const SchemaPtr& schema) {
  Struct s(schema);
  EXPECT_TRUE(s.put("id", Value::int64(42)).ok());
  EXPECT_TRUE(s.put("amount", Value::bytes(std::string_view("\x30\x39", 2))).ok());
  EXPECT_TRUE(s.put("created", Value::int64(1717171717171)).ok());
  EXPECT_TRUE(s.put("tags", Value::array({Value::string("a"), Value::string("b")})).ok());
  EXPECT_TRUE(s.put("notes", Value::map({{Value::int32(1), Value::string("first")},
                                         {Value::int32(2), Value::string("second")}}))
                  .ok());
  EXPECT_TRUE(s.put("active", Value::boolean(true)).ok());
  return Value::structure(std::move(s));
}

// Java-verified.
constexpr std::string_view kOrderGolden =
    R"({"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},{"type":"string","optional":true,"field":"customer"},{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"amount"},{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"created"},{"type":"array","items":{"type":"string","optional":false},"optional":false,"field":"tags"},{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"string","optional":false},"optional":false,"field":"notes"},{"type":"boolean","optional":false,"default":true,"field":"active"}],"optional":false,"name":"com.example.Order","version":2},"payload":{"id":42,"customer":null,"amount":"MDk=","created":1717171717171,"tags":["a","b"],"notes":[[1,"first"],[2,"second"]],"active":true}})";

// ---------------------------------------------------------------------------------------------
// Writing primitives (all Java-verified)

TEST(JsonConverterTest, WritesIntegersWithEnvelope) {
  EXPECT_EQ(write_with_schema(schemas::int8(), Value::int8(-8)),
            R"({"schema":{"type":"int8","optional":false},"payload":-8})");
  EXPECT_EQ(write_with_schema(schemas::int16(), Value::int16(300)),
            R"({"schema":{"type":"int16","optional":false},"payload":300})");
  EXPECT_EQ(write_with_schema(schemas::int32(), Value::int32(70000)),
            R"({"schema":{"type":"int32","optional":false},"payload":70000})");
  EXPECT_EQ(write_with_schema(schemas::int64(), Value::int64(1717171717171)),
            R"({"schema":{"type":"int64","optional":false},"payload":1717171717171})");
}

TEST(JsonConverterTest, WritesFloatsAsJacksonDoes) {
  auto f64 = [](double v) { return write_with_schema(schemas::float64(), Value::float64(v)); };
  auto p = [](std::string_view payload) {
    return envelope(R"({"type":"double","optional":false})", payload);
  };

  EXPECT_EQ(write_with_schema(schemas::float32(), Value::float32(1.5f)),
            R"({"schema":{"type":"float","optional":false},"payload":1.5})");
  EXPECT_EQ(write_with_schema(schemas::float32(), Value::float32(0.1f)),
            R"({"schema":{"type":"float","optional":false},"payload":0.1})");
  EXPECT_EQ(f64(1.5), p("1.5"));
  EXPECT_EQ(f64(10.0), p("10.0"));
  EXPECT_EQ(f64(1e10), p("1.0E10"));
  EXPECT_EQ(f64(1e7), p("1.0E7"));
  EXPECT_EQ(f64(9999999.0), p("9999999.0"));
  EXPECT_EQ(f64(0.001), p("0.001"));
  EXPECT_EQ(f64(0.0001), p("1.0E-4"));
  EXPECT_EQ(f64(M_PI), p("3.141592653589793"));
  EXPECT_EQ(f64(-0.0), p("-0.0"));
  EXPECT_EQ(f64(std::nan("")), p(R"("NaN")"));
  EXPECT_EQ(f64(123456789.125), p("1.23456789125E8"));
  EXPECT_EQ(f64(1.7976931348623157e308), p("1.7976931348623157E308"));
  EXPECT_EQ(f64(4.9e-324), p("4.9E-324"));
}

TEST(JsonConverterTest, WritesBooleanStringAndBytes) {
  EXPECT_EQ(write_with_schema(schemas::boolean(), Value::boolean(true)),
            R"({"schema":{"type":"boolean","optional":false},"payload":true})");
  EXPECT_EQ(write_with_schema(schemas::string(),
                              Value::string("h\xc3\xa9llo \"q\" \\ /\n\t\x01\x1f\x7f")),
            "{\"schema\":{\"type\":\"string\",\"optional\":false},\"payload\":\"h\xc3\xa9llo "
            "\\\"q\\\" \\\\ /\\n\\t\\u0001\\u001F\x7f\"}");
  EXPECT_EQ(
      write_with_schema(schemas::bytes(), Value::bytes(std::string_view("\x00\x01\x02\xff", 4))),
      R"({"schema":{"type":"bytes","optional":false},"payload":"AAEC/w=="})");
}

TEST(JsonConverterTest, WritesNullPayloadWhenOptionalValueIsNull) {
  EXPECT_EQ(write_with_schema(schemas::optional_string(), Value()),
            R"({"schema":{"type":"string","optional":true},"payload":null})");
}

TEST(JsonConverterTest, WritesNullSchemaWhenValueIsSchemaless) {
  EXPECT_EQ(write_with_schema(nullptr, Value::string("x")), R"({"schema":null,"payload":"x"})");
}

TEST(JsonConverterTest, WritesNullBytesWhenSchemaAndValueAreNull) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;
  SerializedData out;
  out.bytes = "stale";

  ASSERT_TRUE(c.from_connect("t", nullptr, nullptr, Value(), out).ok());

  EXPECT_TRUE(out.is_null);
  EXPECT_TRUE(out.bytes.empty());
}

TEST(JsonConverterTest, FailsWhenRequiredValueIsNull) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;
  SerializedData out;

  Status st = c.from_connect("t", nullptr, schemas::string(), Value(), out);

  EXPECT_EQ(st.message(),
            "Conversion error: null value for field that is required and has no default value");
}

// ---------------------------------------------------------------------------------------------
// Logical types (all Java-verified)

TEST(JsonConverterTest, WritesDecimalAsBase64WhenDecimalFormatIsBase64) {
  constexpr std::string_view kSchema =
      R"({"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}})";
  SchemaPtr dec2 = logical::decimal(2).build();

  EXPECT_EQ(write_with_schema(dec2, Value::bytes(*logical::decimal_from_string("123.45", 2))),
            envelope(kSchema, R"("MDk=")"));
  EXPECT_EQ(write_with_schema(dec2, Value::bytes(*logical::decimal_from_string("-1.50", 2))),
            envelope(kSchema, R"("/2o=")"));
}

TEST(JsonConverterTest, WritesDecimalAsNumberWhenDecimalFormatIsNumeric) {
  constexpr std::string_view kSchema =
      R"({"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}})";
  auto c_owner = make(true, DecimalFormat::kNumeric);
  JsonConverter& c = *c_owner;
  auto plain_owner = make(false, DecimalFormat::kNumeric);
  JsonConverter& plain = *plain_owner;
  SchemaPtr dec2 = logical::decimal(2).build();

  EXPECT_EQ(write(c, dec2, Value::bytes(*logical::decimal_from_string("123.45", 2))),
            envelope(kSchema, "123.45"));
  EXPECT_EQ(write(c, dec2, Value::bytes(*logical::decimal_from_string("-1.5", 2))),
            envelope(kSchema, "-1.50"));
  EXPECT_EQ(
      write(plain, logical::decimal(8).build(), Value::bytes(logical::decimal_unscaled_bytes(1))),
      "1E-8");
  EXPECT_EQ(
      write(plain, logical::decimal(6).build(), Value::bytes(logical::decimal_unscaled_bytes(1))),
      "0.000001");
  EXPECT_EQ(write(plain, logical::decimal(0).build(),
                  Value::bytes(*logical::decimal_from_string("1234567890123456789012", 0))),
            "1234567890123456789012");
}

TEST(JsonConverterTest, WritesBigDecimalAsBase64OfMinimalBytes) {
  auto plain_owner = make(false);
  JsonConverter& plain = *plain_owner;

  EXPECT_EQ(write(plain, logical::decimal(0).build(),
                  Value::bytes(*logical::decimal_from_string("1234567890123456789012", 0))),
            R"("Qu0SOwvYIDoU")");
}

TEST(JsonConverterTest, WritesDateTimeAndTimestampAsIntegers) {
  EXPECT_EQ(
      write_with_schema(logical::date().build(), Value::int32(19000)),
      R"({"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1},"payload":19000})");
  EXPECT_EQ(
      write_with_schema(logical::time().build(), Value::int32(3723000)),
      R"({"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Time","version":1},"payload":3723000})");
  EXPECT_EQ(
      write_with_schema(logical::timestamp().build(), Value::int64(1717171717171)),
      R"({"schema":{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1},"payload":1717171717171})");
}

// ---------------------------------------------------------------------------------------------
// Structs, arrays, maps, defaults (all Java-verified)

TEST(JsonConverterTest, WritesStructWithAllFieldKindsAsKafka) {
  SchemaPtr schema = order_schema();

  EXPECT_EQ(write_with_schema(schema, order_value(schema)), kOrderGolden);
}

TEST(JsonConverterTest, WritesDefaultWhenFieldIsNullAndReplaceNullWithDefaultIsTrue) {
  SchemaPtr schema =
      SchemaBuilder::structure()
          .name("D")
          .field("a", SchemaBuilder::int32().optional().default_value(Value::int32(7)).build())
          .field("b", SchemaBuilder::string()
                          .doc("the b")
                          .parameter("p2", "2")
                          .parameter("p1", "1")
                          .optional()
                          .build())
          .build();
  auto keep_null_owner = make(true, DecimalFormat::kBase64, false);
  JsonConverter& keep_null = *keep_null_owner;
  constexpr std::string_view kSchema =
      R"({"type":"struct","fields":[{"type":"int32","optional":true,"default":7,"field":"a"},{"type":"string","optional":true,"doc":"the b","parameters":{"p2":"2","p1":"1"},"field":"b"}],"optional":false,"name":"D"})";

  EXPECT_EQ(write_with_schema(schema, Value::structure(Struct(schema))),
            envelope(kSchema, R"({"a":7,"b":null})"));
  EXPECT_EQ(write(keep_null, schema, Value::structure(Struct(schema))),
            envelope(kSchema, R"({"a":null,"b":null})"));
}

TEST(JsonConverterTest, WritesMapWithStringKeysAsObject) {
  SchemaPtr schema = SchemaBuilder::map(schemas::string(), schemas::int32()).optional().build();

  EXPECT_EQ(
      write_with_schema(schema, Value::map({{Value::string("x"), Value::int32(1)},
                                            {Value::string("y"), Value::int32(2)}})),
      R"({"schema":{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":true},"payload":{"x":1,"y":2}})");
}

TEST(JsonConverterTest, WritesNestedStructsInArray) {
  SchemaPtr inner = SchemaBuilder::structure().field("n", schemas::int32()).build();
  SchemaPtr outer =
      SchemaBuilder::structure()
          .field("items", SchemaBuilder::array(inner).build())
          .field("f", SchemaBuilder::float32().default_value(Value::float32(2.5f)).build())
          .build();
  Struct a(inner), b(inner), o(outer);
  a.set(0, Value::int32(1));
  b.set(0, Value::int32(2));
  o.set(0, Value::array({Value::structure(a), Value::structure(b)}));
  o.set(1, Value::float32(0.25f));

  EXPECT_EQ(
      write_with_schema(outer, Value::structure(o)),
      R"({"schema":{"type":"struct","fields":[{"type":"array","items":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"n"}],"optional":false},"optional":false,"field":"items"},{"type":"float","optional":false,"default":2.5,"field":"f"}],"optional":false},"payload":{"items":[{"n":1},{"n":2}],"f":0.25}})");
}

TEST(JsonConverterTest, WritesSchemaDefaultWhenTopLevelValueIsNull) {
  SchemaPtr schema = SchemaBuilder::array(schemas::int32())
                         .default_value(Value::array({Value::int32(1), Value::int32(2)}))
                         .build();

  EXPECT_EQ(
      write_with_schema(schema, Value()),
      R"({"schema":{"type":"array","items":{"type":"int32","optional":false},"optional":false,"default":[1,2]},"payload":[1,2]})");
}

TEST(JsonConverterTest, FailsWhenStructSchemaDiffersFromDeclaredSchema) {
  SchemaPtr a = SchemaBuilder::structure().field("x", schemas::int32()).build();
  SchemaPtr b = SchemaBuilder::structure().field("y", schemas::int32()).build();
  Struct s(b);
  s.set(0, Value::int32(1));
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;
  SerializedData out;

  EXPECT_EQ(c.from_connect("t", nullptr, a, Value::structure(s), out).message(),
            "Mismatching schema.");
}

// ---------------------------------------------------------------------------------------------
// schemas.enable=false (all Java-verified)

TEST(JsonConverterTest, WritesPayloadOnlyWhenSchemasAreDisabled) {
  auto c_owner = make(false);
  JsonConverter& c = *c_owner;
  Value map = Value::map(
      {{Value::string("a"), Value::int64(1)},
       {Value::string("b"), Value::array({Value::boolean(true), Value(), Value::string("x")})},
       {Value::string("c"), Value::float64(2.5)},
       {Value::string("d"), Value::bytes(std::string_view("\x01\x02\x03", 3))}});

  EXPECT_EQ(write(c, nullptr, map), R"({"a":1,"b":[true,null,"x"],"c":2.5,"d":"AQID"})");
  EXPECT_EQ(write(c, nullptr, Value::int64(42)), "42");
  EXPECT_EQ(write(c, nullptr, Value()), "<null>");
  EXPECT_EQ(write(c, schemas::optional_string(), Value()), "null");
  EXPECT_EQ(write(c, nullptr,
                  Value::map({{Value::int64(1), Value::string("one")},
                              {Value::int64(2), Value::string("two")}})),
            R"([[1,"one"],[2,"two"]])");
}

TEST(JsonConverterTest, ReusesOutputBufferCapacityAcrossRecords) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;
  SerializedData out;
  SchemaPtr schema = order_schema();
  Value v = order_value(schema);
  ASSERT_TRUE(c.from_connect("t", nullptr, schema, v, out).ok());
  const char* first = out.bytes.data();

  ASSERT_TRUE(c.from_connect("t", nullptr, schema, v, out).ok());

  EXPECT_EQ(out.bytes.data(), first);
  EXPECT_EQ(out.bytes, kOrderGolden);
}

// ---------------------------------------------------------------------------------------------
// Reading

TEST(JsonConverterTest, RoundTripsGoldenStructToEqualSchemaAndValue) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;
  SchemaPtr schema = order_schema();

  SchemaAndValue sv = read(c, kOrderGolden);

  EXPECT_TRUE(schema_equals(sv.schema, schema));
  EXPECT_EQ(sv.value, order_value(schema));
  EXPECT_EQ(write(c, sv.schema, sv.value), kOrderGolden);
}

TEST(JsonConverterTest, RoundTripsEveryPrimitiveAndLogicalType) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;
  const std::vector<SchemaAndValue> cases = {
      {schemas::int8(), Value::int8(-8)},
      {schemas::int16(), Value::int16(300)},
      {schemas::int32(), Value::int32(70000)},
      {schemas::int64(), Value::int64(-1717171717171)},
      {schemas::float32(), Value::float32(0.1f)},
      {schemas::float64(), Value::float64(M_PI)},
      {schemas::boolean(), Value::boolean(false)},
      {schemas::string(), Value::string("h\xc3\xa9llo \"q\"\n\x01")},
      {schemas::bytes(), Value::bytes(std::string_view("\x00\xff", 2))},
      {schemas::optional_string(), Value()},
      {logical::decimal(2).build(), Value::bytes(*logical::decimal_from_string("-1.5", 2))},
      {logical::date().build(), Value::int32(19000)},
      {logical::time().build(), Value::int32(3723000)},
      {logical::timestamp().build(), Value::int64(1717171717171)},
  };

  for (const auto& sv : cases) {
    SchemaAndValue back = read(c, write(c, sv.schema, sv.value));
    EXPECT_EQ(back, sv) << write(c, sv.schema, sv.value);
  }
}

TEST(JsonConverterTest, ReadsNumericDecimalAtSchemaScale) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;

  SchemaAndValue sv = read(
      c,
      R"({"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":123.45})");

  EXPECT_EQ(sv.value, Value::bytes(std::string_view("\x30\x39", 2)));
}

TEST(JsonConverterTest, ReadsSchemalessPayloadAsInferredValues) {
  auto c_owner = make(false);
  JsonConverter& c = *c_owner;

  SchemaAndValue sv = read(c, R"([1,2.5,12345678901234,1e2,true,"s",null,{"k":"v"}])");

  EXPECT_EQ(sv.schema, nullptr);
  EXPECT_EQ(sv.value,
            Value::array({Value::int64(1), Value::float64(2.5), Value::int64(12345678901234),
                          Value::float64(100.0), Value::boolean(true), Value::string("s"), Value(),
                          Value::map({{Value::string("k"), Value::string("v")}})}));
}

TEST(JsonConverterTest, ReadsNullWhenBytesAreNullEmptyOrJsonNull) {
  auto schemaless_owner = make(false);
  JsonConverter& schemaless = *schemaless_owner;
  auto with_schema_owner = make(true);
  JsonConverter& with_schema = *with_schema_owner;

  EXPECT_EQ(read(schemaless, "null"), SchemaAndValue{});
  EXPECT_EQ(read(schemaless, ""), SchemaAndValue{});
  Result<SchemaAndValue> tombstone = with_schema.to_connect("t", nullptr, std::nullopt);
  ASSERT_TRUE(tombstone.ok());
  EXPECT_EQ(*tombstone, SchemaAndValue{});
}

TEST(JsonConverterTest, FailsWithKafkaMessageWhenEnvelopeIsMissing) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;
  const std::string kMessage =
      "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not "
      "contain additional fields. If you are trying to deserialize plain JSON data, set "
      "schemas.enable=false in your converter configuration.";

  EXPECT_EQ(c.to_connect("t", nullptr, R"({"a":1})").status().message(), kMessage);
  EXPECT_EQ(c.to_connect("t", nullptr, "").status().message(), kMessage);
  EXPECT_EQ(c.to_connect("t", nullptr, R"({"schema":null,"payload":1,"x":2})").status().message(),
            kMessage);
}

TEST(JsonConverterTest, NarrowsNumbersToDeclaredType) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;

  SchemaAndValue sv = read(c, R"({"schema":{"type":"int32","optional":false},"payload":3.9})");

  EXPECT_EQ(sv.value, Value::int32(3));
}

TEST(JsonConverterTest, IgnoresTrailingContentAsJackson) {
  auto c_owner = make(false);
  JsonConverter& c = *c_owner;

  EXPECT_EQ(read(c, "1 2").value, Value::int64(1));
  EXPECT_EQ(read(c, R"({"a":1}xyz)").value, Value::map({{Value::string("a"), Value::int64(1)}}));
}

TEST(JsonConverterTest, ReadsStringFieldGivenNumberAsNull) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;

  SchemaAndValue sv = read(
      c,
      R"({"schema":{"type":"struct","fields":[{"type":"string","optional":true,"field":"s"}],"optional":false},"payload":{"s":5}})");

  EXPECT_TRUE(sv.value.as_struct().get(0).is_null());
}

TEST(JsonConverterTest, UsesDefaultWhenFieldIsMissing) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;

  SchemaAndValue sv = read(
      c,
      R"({"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"default":5,"field":"n"}],"optional":false},"payload":{}})");

  EXPECT_EQ(sv.value.as_struct().get(0), Value::int32(5));
}

TEST(JsonConverterTest, ReadsBooleanGivenStringAsFalse) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;

  EXPECT_EQ(read(c, R"({"schema":{"type":"boolean"},"payload":"true"})").value,
            Value::boolean(false));
}

TEST(JsonConverterTest, ReadsSchemalessPayloadWhenSchemaIsNull) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;

  SchemaAndValue sv = read(c, R"({"schema":null,"payload":{"a":[1]}})");

  EXPECT_EQ(sv.schema, nullptr);
  EXPECT_EQ(sv.value, Value::map({{Value::string("a"), Value::array({Value::int64(1)})}}));
}

TEST(JsonConverterTest, ReturnsKafkaErrorsForInvalidInput) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;
  auto error = [&](std::string_view json) {
    return c.to_connect("t", nullptr, json).status().message();
  };

  EXPECT_EQ(
      error(
          R"({"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"s"}],"optional":false},"payload":{}})"),
      "Invalid null value for required STRING field");
  EXPECT_EQ(error(R"({"schema":{"type":"foo"},"payload":1})"), "Unknown schema type: foo");
  EXPECT_EQ(
      error(
          R"({"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Date"},"payload":3000000000})"),
      "Invalid type for Date, underlying representation should be integer but was NUMBER");
  EXPECT_EQ(
      error(
          R"({"schema":{"type":"map","keys":{"type":"int32"},"values":{"type":"int32"}},"payload":{"1":2}})"),
      "Maps with non-string fields should be encoded as JSON array of tuples, but found OBJECT");
  EXPECT_EQ(error(R"({"schema":{"optional":true},"payload":1})"),
            "Schema must contain 'type' field");
}

TEST(JsonConverterTest, FailsWithSerializationErrorWhenJsonIsMalformed) {
  auto c_owner = make(false);
  JsonConverter& c = *c_owner;

  Result<SchemaAndValue> r = c.to_connect("t", nullptr, R"({"a":)");

  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(r.status().message().rfind(
                "Converting byte[] to Kafka Connect data failed due to serialization error: ", 0),
            0u);
}

TEST(JsonConverterTest, ReadsMultiByteUtf8AndRejectsInvalidUtf8InStrings) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;

  SchemaAndValue ok = read(c, envelope(R"({"type":"string"})", "\"caf\xc3\xa9 \xe2\x82\xac\""));
  Result<SchemaAndValue> bad =
      c.to_connect("t", nullptr, envelope(R"({"type":"string"})", "\"caf\xc3\""));
  Result<SchemaAndValue> stray = c.to_connect("t", nullptr, "\"\xff\"");

  EXPECT_EQ(ok.value, Value::string("caf\xc3\xa9 \xe2\x82\xac"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("serialization error"), std::string::npos)
      << bad.status().message();
  EXPECT_FALSE(stray.ok());
}

TEST(JsonConverterTest, ReadsSchemaParametersDocAndVersion) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;

  SchemaAndValue sv = read(
      c,
      R"({"schema":{"type":"string","optional":true,"name":"n","version":3,"doc":"d","parameters":{"b":"1","a":"2"}},"payload":"x"})");

  ASSERT_NE(sv.schema, nullptr);
  EXPECT_TRUE(sv.schema->is_optional());
  EXPECT_EQ(*sv.schema->name(), "n");
  EXPECT_EQ(*sv.schema->version(), 3);
  EXPECT_EQ(*sv.schema->doc(), "d");
  ASSERT_EQ(sv.schema->parameters().size(), 2u);
  EXPECT_EQ(sv.schema->parameters()[0].first, "b");
}

TEST(JsonConverterTest, ReturnsCachedSchemaWhenSameSchemaIsReadTwice) {
  auto c_owner = make(true);
  JsonConverter& c = *c_owner;

  SchemaAndValue a = read(c, kOrderGolden);
  SchemaAndValue b = read(c, kOrderGolden);

  EXPECT_EQ(a.schema.get(), b.schema.get());
}

// ---------------------------------------------------------------------------------------------
// Configuration

TEST(JsonConverterTest, RejectsUnknownDecimalFormat) {
  JsonConverter c;

  Status st = c.configure({{"decimal.format", "HEX"}}, false);

  EXPECT_EQ(st.message(),
            "Invalid value HEX for configuration decimal.format: String must be one of (case "
            "insensitive): NUMERIC, BASE64");
}

TEST(JsonConverterTest, UsesKafkaDefaultsWhenNotConfigured) {
  JsonConverter c;

  ASSERT_TRUE(c.configure({}, false).ok());

  EXPECT_TRUE(c.options().schemas_enable);
  EXPECT_EQ(c.options().schemas_cache_size, 1000);
  EXPECT_EQ(c.options().decimal_format, DecimalFormat::kBase64);
  EXPECT_TRUE(c.options().replace_null_with_default);
}

TEST(JsonConverterTest, AcceptsCaseInsensitiveSettings) {
  JsonConverter c;

  ASSERT_TRUE(
      c.configure({{"schemas.enable", "FALSE"}, {"decimal.format", "numeric"}}, false).ok());

  EXPECT_FALSE(c.options().schemas_enable);
  EXPECT_EQ(c.options().decimal_format, DecimalFormat::kNumeric);
}

// schema.content (Connect 4): checked against Apache Kafka 4.3.1's JsonConverter.
constexpr const char* kIdNameSchema = R"({"type":"struct","fields":[{"field":"id","type":"int32"},)"
                                      R"({"field":"name","type":"string","optional":true}]})";

TEST(JsonConverterTest, ReadsBarePayloadWithTheSchemaFromSchemaContent) {
  JsonConverter c;
  ASSERT_TRUE(c.configure({{"schema.content", kIdNameSchema}}, false).ok());

  SchemaAndValue sv = read(c, R"({"id":1,"name":"a"})");

  ASSERT_TRUE(sv.schema);
  EXPECT_EQ(sv.schema->type(), SchemaType::kStruct);
  EXPECT_EQ(*sv.value.as_struct().get("id"), Value::int32(1));
  EXPECT_EQ(*sv.value.as_struct().get("name"), Value::string("a"));
  // Writing still wraps the payload in an envelope.
  EXPECT_EQ(
      write(c, sv.schema, sv.value),
      R"({"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},)"
      R"({"type":"string","optional":true,"field":"name"}],"optional":false},)"
      R"("payload":{"id":1,"name":"a"}})");
}

TEST(JsonConverterTest, ReadsAnEnvelopeAsPayloadWhenSchemaContentIsSet) {
  JsonConverter c;
  ASSERT_TRUE(c.configure({{"schema.content", kIdNameSchema}}, false).ok());

  Result<SchemaAndValue> r =
      c.to_connect("topic", nullptr, envelope(R"({"type":"string"})", "\"x\""));

  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("id"), std::string::npos) << r.status().message();
}

TEST(JsonConverterTest, IgnoresSchemaContentWhenSchemasAreDisabledOrItIsEmpty) {
  JsonConverter disabled;
  ASSERT_TRUE(
      disabled
          .configure({{"schemas.enable", "false"}, {"schema.content", R"({"type":"int32"})"}},
                     false)
          .ok());
  JsonConverter empty;
  ASSERT_TRUE(empty.configure({{"schema.content", ""}}, false).ok());

  SchemaAndValue plain = read(disabled, "5");
  SchemaAndValue enveloped = read(empty, envelope(R"({"type":"string"})", "\"x\""));

  EXPECT_FALSE(plain.schema);
  EXPECT_EQ(plain.value, Value::int64(5));
  ASSERT_TRUE(enveloped.schema);
  EXPECT_EQ(enveloped.value, Value::string("x"));
}

TEST(JsonConverterTest, ReadsAFieldOfTheWrongTypeAsJavaDoesUnderSchemaContent) {
  JsonConverter c;
  ASSERT_TRUE(c.configure({{"schema.content", kIdNameSchema}}, false).ok());

  Result<SchemaAndValue> r = c.to_connect("topic", nullptr, std::string_view(R"({"id":"x"})"));

  // Kafka 4.3.1 gives id=0 here too (Jackson's intValue() of a text node).
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r->value.as_struct().get("id"), Value::int32(0));
}

TEST(JsonConverterTest, RefusesSchemaContentThatIsNotASchema) {
  JsonConverter c;

  Status not_json = c.configure({{"schema.content", "{not json"}}, false);
  Status bad_type = c.configure({{"schema.content", R"({"type":"bogus"})"}}, false);

  EXPECT_EQ(not_json.message().rfind(
                "Failed to parse schema in converter config due to serialization error: ", 0),
            0u)
      << not_json.message();
  EXPECT_EQ(bad_type.message(), "Unknown schema type: bogus");
}

}  // namespace
}  // namespace kanal::data
