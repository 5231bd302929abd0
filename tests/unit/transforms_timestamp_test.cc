// Unit tests of TimestampConverter and TimestampRouter. Formatted and parsed values were produced
// by Kafka Connect 4.3.1's TimestampConverter (java.text.SimpleDateFormat, UTC) on the same input.
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

data::SourceRecord source_record(SchemaPtr value_schema, Value value) {
  data::SourceRecord r;
  r.topic = "t";
  r.value_schema = std::move(value_schema);
  r.value = std::move(value);
  return r;
}

// Converts a schemaless value; the result, or "!! <error>".
Value convert(const ConfigMap& props, Value in) {
  auto t = make("TimestampConverter$Value", props);
  data::SourceRecord r = source_record(nullptr, std::move(in));
  auto out = t->apply(r, RecordKind::kSource);
  if (!out.ok()) return Value::string("!! " + out.status().message());
  return r.value;
}

Value format(const std::string& pattern, int64_t millis) {
  return convert({{"target.type", "string"}, {"format", pattern}}, Value::int64(millis));
}

Value parse(const std::string& pattern, const std::string& text) {
  return convert({{"target.type", "unix"}, {"format", pattern}}, Value::string(text));
}

TEST(TimestampConverterTest, FormatsLikeSimpleDateFormatWhenTargetIsString) {
  EXPECT_EQ(format("yyyy-MM-dd'T'HH:mm:ss.SSSZ", 1700000000123),
            Value::string("2023-11-14T22:13:20.123+0000"));
  EXPECT_EQ(format("yyyy-MM-dd HH:mm:ss.SSSXXX", -1), Value::string("1969-12-31 23:59:59.999Z"));
  EXPECT_EQ(format("yy/M/d h:mm a", 0), Value::string("70/1/1 12:00 AM"));
  EXPECT_EQ(format("yy/M/d h:mm a", 951829200005), Value::string("00/2/29 1:00 PM"));
  EXPECT_EQ(format("EEE, d MMM yyyy HH:mm:ss z", 1700000000123),
            Value::string("Tue, 14 Nov 2023 22:13:20 UTC"));
  EXPECT_EQ(format("EEEE MMMM dd yyyy 'o''clock' k K S D u", 1700000000123),
            Value::string("Tuesday November 14 2023 o'clock 22 10 123 318 2"));
  EXPECT_EQ(format("EEEE MMMM dd yyyy 'o''clock' k K S D u", 0),
            Value::string("Thursday January 01 1970 o'clock 24 0 0 1 4"));
  EXPECT_EQ(format("yyyyMMdd", 951829200005), Value::string("20000229"));
}

TEST(TimestampConverterTest, ParsesLikeSimpleDateFormatWhenSourceIsString) {
  EXPECT_EQ(parse("yyyy-MM-dd HH:mm:ss", "2023-11-14 22:13:20"), Value::int64(1700000000000));
  EXPECT_EQ(parse("yyyyMMddHHmmss", "20231114221320"), Value::int64(1700000000000));
  EXPECT_EQ(parse("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2023-11-14T23:13:20.123+01:00"),
            Value::int64(1700000000123));
  EXPECT_EQ(parse("yyyy-MM-dd'T'HH:mm:ssZ", "2023-11-14T22:13:20-0130"),
            Value::int64(1700005400000));
  EXPECT_EQ(parse("dd/MMM/yy", "05/feb/24"), Value::int64(1707091200000));
  EXPECT_EQ(parse("h:mm a", "12:30 AM"), Value::int64(1800000));
  EXPECT_EQ(parse("yyyy-MM-dd", "2023-1-5"), Value::int64(1672876800000));
}

TEST(TimestampConverterTest, RollsOverOutOfRangeFieldsWhenParsingLeniently) {
  EXPECT_EQ(parse("yyyy-MM-dd", "2023-13-40"), Value::int64(1707436800000));
  EXPECT_EQ(parse("yyyy-MM-dd", "2020-01-02xyz"), Value::int64(1577923200000));
}

TEST(TimestampConverterTest, FailsWhenStringDoesNotMatchPattern) {
  EXPECT_EQ(parse("yyyy-MM-dd", "abc"),
            Value::string("!! Could not parse timestamp: value (abc) does not match pattern "
                          "(yyyy-MM-dd)"));
}

TEST(TimestampConverterTest, ConvertsUnixPrecisionsAsTimeUnitDoes) {
  auto in = [](const std::string& precision) {
    auto t = make("TimestampConverter$Value",
                  {{"target.type", "Timestamp"}, {"unix.precision", precision}});
    data::SourceRecord r = source_record(schemas::int64(), Value::int64(-1500));
    EXPECT_TRUE(t->apply(r, RecordKind::kSource).ok());
    EXPECT_TRUE(data::logical::is_timestamp(*r.value_schema));
    return r.value;
  };
  auto out = [](const std::string& precision) {
    auto t =
        make("TimestampConverter$Value", {{"target.type", "unix"}, {"unix.precision", precision}});
    data::SourceRecord r = source_record(data::logical::timestamp().build(), Value::int64(-1500));
    EXPECT_TRUE(t->apply(r, RecordKind::kSource).ok());
    EXPECT_EQ(r.value_schema, schemas::int64());
    return r.value;
  };

  EXPECT_EQ(in("seconds"), Value::int64(-1500000));
  EXPECT_EQ(in("microseconds"), Value::int64(-1));
  EXPECT_EQ(in("nanoseconds"), Value::int64(0));
  EXPECT_EQ(out("seconds"), Value::int64(-1));
  EXPECT_EQ(out("microseconds"), Value::int64(-1500000));
  EXPECT_EQ(out("nanoseconds"), Value::int64(-1500000000));
}

TEST(TimestampConverterTest, TruncatesToDayAndTimeOfDayWhenTargetIsDateOrTime) {
  auto convert_to = [](const std::string& type) {
    auto t = make("TimestampConverter$Value", {{"target.type", type}});
    data::SourceRecord r = source_record(data::logical::timestamp().build(), Value::int64(-1500));
    EXPECT_TRUE(t->apply(r, RecordKind::kSource).ok());
    return r;
  };

  data::SourceRecord date = convert_to("Date");
  data::SourceRecord time = convert_to("Time");

  EXPECT_TRUE(data::logical::is_date(*date.value_schema));
  EXPECT_EQ(date.value, Value::int32(-1));  // 1969-12-31
  EXPECT_TRUE(data::logical::is_time(*time.value_schema));
  EXPECT_EQ(time.value, Value::int32(86398500));
}

TEST(TimestampConverterTest, ConvertsDateSchemaToStringWhenSourceIsDate) {
  auto t = make("TimestampConverter$Value", {{"target.type", "string"}, {"format", "yyyy-MM-dd"}});
  data::SourceRecord r =
      source_record(data::logical::date().optional().build(), Value::int32(19000));

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_EQ(r.value, Value::string("2022-01-08"));
  EXPECT_EQ(r.value_schema, schemas::optional_string());
}

TEST(TimestampConverterTest, ConvertsNamedFieldAndKeepsOthersWhenValueIsStruct) {
  SchemaPtr s = SchemaBuilder::structure()
                    .optional()
                    .field("ts", schemas::int64())
                    .field("o", schemas::string())
                    .build();
  Struct v(s);
  ASSERT_TRUE(v.put("ts", Value::int64(1700000000123)).ok());
  ASSERT_TRUE(v.put("o", Value::string("x")).ok());
  auto t = make("TimestampConverter$Value",
                {{"target.type", "string"}, {"field", "ts"}, {"format", "yyyy"}});
  data::SourceRecord r = source_record(s, Value(std::move(v)));

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_EQ(r.value_schema->field("ts")->schema, schemas::string());
  EXPECT_TRUE(r.value_schema->is_optional());
  EXPECT_EQ(*r.value.as_struct().get("ts"), Value::string("2023"));
  EXPECT_EQ(*r.value.as_struct().get("o"), Value::string("x"));
}

TEST(TimestampConverterTest, ConvertsNamedEntryWhenSchemaless) {
  auto t = make("TimestampConverter$Value", {{"target.type", "unix"},
                                             {"field", "when"},
                                             {"format", "yyyy-MM-dd"},
                                             {"unix.precision", "seconds"}});
  Value::Map m;
  m.emplace_back(Value::string("when"), Value::string("2023-11-14"));
  data::SourceRecord r = source_record(nullptr, Value::map(std::move(m)));

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_EQ(r.value.as_map()[0].second, Value::int64(1699920000));
}

TEST(TimestampConverterTest, KeepsNullWithTargetSchemaWhenValueIsNull) {
  auto t = make("TimestampConverter$Value", {{"target.type", "unix"}});
  data::SourceRecord r = source_record(data::logical::timestamp().optional().build(), Value());

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_TRUE(r.value.is_null());
  EXPECT_EQ(r.value_schema, schemas::optional_int64());
}

TEST(TimestampConverterTest, GivesEpochMillisWhenSchemalessTargetIsDate) {
  EXPECT_EQ(convert({{"target.type", "Date"}}, Value::int64(1000000000000)),
            Value::int64(999993600000));
}

TEST(TimestampConverterTest, FailsWhenSchemalessValueIsNotLongOrString) {
  EXPECT_EQ(convert({{"target.type", "Date"}}, Value::int32(5)),
            Value::string("!! TimestampConverter does not support class java.lang.Integer objects "
                          "as timestamps"));
}

TEST(TimestampConverterTest, FailsWhenSchemaIsNotATimestampType) {
  auto t = make("TimestampConverter$Value", {{"target.type", "unix"}});
  data::SourceRecord r = source_record(schemas::int32(), Value::int32(5));

  auto out = t->apply(r, RecordKind::kSource);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "Schema Schema{INT32} does not correspond to a known timestamp type format");
}

TEST(TimestampConverterTest, RejectsConfigWhenFormatIsMissingOrInvalid) {
  EXPECT_EQ(configure_error("TimestampConverter$Value", {{"target.type", "string"}}).message(),
            "Invalid value  for configuration format: TimestampConverter requires format option "
            "to be specified when using string timestamps");
  EXPECT_EQ(configure_error("TimestampConverter$Value",
                            {{"target.type", "string"}, {"format", "yyyy-qq"}})
                .message(),
            "Invalid value yyyy-qq for configuration format: TimestampConverter requires a "
            "SimpleDateFormat-compatible pattern for string timestamps: yyyy-qq (Illegal pattern "
            "character 'q')");
  EXPECT_EQ(configure_error("TimestampConverter$Value", {{"target.type", "foo"}}).message(),
            "Invalid value foo for configuration target.type: String must be one of: string, "
            "unix, Date, Time, Timestamp");
}

// ---- TimestampRouter ----

TEST(TimestampRouterTest, RewritesTopicWithFormattedTimestamp) {
  auto t = make("TimestampRouter", {{"topic.format", "${topic}_${timestamp}_${topic}"},
                                    {"timestamp.format", "yyyy-MM"}});
  data::SourceRecord r = source_record(nullptr, Value::string("x"));
  r.topic = "logs";
  r.timestamp = 1700000000123;

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_EQ(r.topic, "logs_2023-11_logs");
}

TEST(TimestampRouterTest, UsesDefaultFormatsWhenUnset) {
  auto t = make("org.apache.kafka.connect.transforms.TimestampRouter", {});
  data::SourceRecord r = source_record(nullptr, Value::string("x"));
  r.timestamp = 1700000000123;

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_EQ(r.topic, "t-20231114");
}

TEST(TimestampRouterTest, FailsWhenRecordHasNoTimestamp) {
  auto t = make("TimestampRouter", {});
  data::SourceRecord r = source_record(nullptr, Value::string("x"));

  auto out = t->apply(r, RecordKind::kSource);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message().rfind("Timestamp missing on record: ", 0), 0u);
}

}  // namespace
}  // namespace kanal::transforms
