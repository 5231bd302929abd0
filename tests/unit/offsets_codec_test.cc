// Offsets-topic key/value bytes (spec 3.3) as Java's JsonConverter writes them.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "data/record.h"
#include "storage/offset_codec.h"

namespace kanal::storage {
namespace {

using data::OrderedMap;
using data::Value;

std::string key_of(std::string_view connector, const OrderedMap& partition) {
  auto key = encode_offset_key(connector, partition);
  EXPECT_TRUE(key.ok()) << key.status().to_string();
  return key.ok() ? *key : std::string();
}

std::string value_of(const OrderedMap& offset) {
  auto value = encode_offset_value(offset);
  EXPECT_TRUE(value.ok()) << value.status().to_string();
  return value.ok() ? *value : std::string();
}

TEST(OffsetCodecTest, WritesFileSourceKeyAndValueAsJavaDoes) {
  OrderedMap partition{{"filename", Value::string("/tmp/in.txt")}};
  OrderedMap offset{{"position", Value::int64(2048)}};

  std::string key = key_of("local-file-source", partition);
  std::string value = value_of(offset);

  EXPECT_EQ(key, R"(["local-file-source",{"filename":"/tmp/in.txt"}])");
  EXPECT_EQ(value, R"({"position":2048})");
}

TEST(OffsetCodecTest, KeepsEntryOrderOfMultiEntryMaps) {
  OrderedMap partition{{"table", Value::string("orders")},
                       {"db", Value::string("shop")},
                       {"shard", Value::int32(3)}};
  OrderedMap offset{{"ts", Value::int64(1717171717171)}, {"id", Value::int64(42)}};

  std::string key = key_of("jdbc", partition);
  std::string value = value_of(offset);

  EXPECT_EQ(key, R"(["jdbc",{"table":"orders","db":"shop","shard":3}])");
  EXPECT_EQ(value, R"({"ts":1717171717171,"id":42})");
}

TEST(OffsetCodecTest, WritesPrimitivesAsJacksonDoes) {
  OrderedMap offset{{"i8", Value::int8(-8)},
                    {"i16", Value::int16(1600)},
                    {"i32", Value::int32(-70000)},
                    {"i64", Value::int64(std::numeric_limits<int64_t>::max())},
                    {"half", Value::float64(1.5)},
                    {"ten", Value::float64(10.0)},
                    {"big", Value::float64(1e10)},
                    {"small", Value::float64(0.0001)},
                    {"f32", Value::float32(0.1f)},
                    {"yes", Value::boolean(true)},
                    {"no", Value::boolean(false)},
                    {"none", Value::null()},
                    {"raw", Value::bytes(std::string_view("hi!?"))}};

  std::string value = value_of(offset);

  EXPECT_EQ(value, R"({"i8":-8,"i16":1600,"i32":-70000,"i64":9223372036854775807,"half":1.5,)"
                   R"("ten":10.0,"big":1.0E10,"small":1.0E-4,"f32":0.1,"yes":true,"no":false,)"
                   R"("none":null,"raw":"aGkhPw=="})");
}

TEST(OffsetCodecTest, WritesNonFiniteNumbersAsStringsWhenJacksonQuotesThem) {
  OrderedMap offset{{"nan", Value::float64(std::nan(""))},
                    {"inf", Value::float64(std::numeric_limits<double>::infinity())},
                    {"ninf", Value::float32(-std::numeric_limits<float>::infinity())}};

  std::string value = value_of(offset);

  EXPECT_EQ(value, R"({"nan":"NaN","inf":"Infinity","ninf":"-Infinity"})");
}

TEST(OffsetCodecTest, EscapesStringsAsJacksonDoes) {
  OrderedMap partition{{"f\"ile", Value::string("a\\b\n\t\r\b\f\x01\x1f/\x7f\xc3\xa9")}};

  std::string key = key_of("con\"n", partition);

  EXPECT_EQ(key,
            "[\"con\\\"n\",{\"f\\\"ile\":\"a\\\\b\\n\\t\\r\\b\\f\\u0001\\u001F/\x7f\xc3\xa9\"}]");
}

TEST(OffsetCodecTest, WritesEmptyMaps) {
  std::string key = key_of("c", OrderedMap{});
  std::string value = value_of(OrderedMap{});

  EXPECT_EQ(key, R"(["c",{}])");
  EXPECT_EQ(value, "{}");
}

TEST(OffsetCodecTest, RejectsNestedMapInOffsetNamingTheKey) {
  OrderedMap offset{{"position", Value::int64(1)},
                    {"x", Value::map({{Value::string("a"), Value::int64(1)}})}};

  auto value = encode_offset_value(offset);

  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(value.status().message(),
            "Source offset may only contain primitive values (string, integer, float, boolean, "
            "bytes or null), but key 'x' is a map");
}

TEST(OffsetCodecTest, RejectsArrayInPartitionNamingTheKey) {
  OrderedMap partition{{"files", Value::array({Value::string("a")})}};

  auto key = encode_offset_key("c", partition);

  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.status().message().find("Source partition may only contain primitive values"),
            std::string::npos);
  EXPECT_NE(key.status().message().find("key 'files' is an array"), std::string::npos);
}

TEST(OffsetCodecTest, DecodesKeyWithValuesAsConnectReadsThem) {
  auto key = decode_offset_key(R"(["src",{"b":1,"a":2.5,"s":"x","t":true,"n":null,"i":7}])");

  ASSERT_TRUE(key.ok()) << key.status().to_string();
  EXPECT_EQ(key->connector, "src");
  ASSERT_EQ(key->partition.size(), 6u);
  const auto& e = key->partition.entries();
  EXPECT_EQ(e[0].first, "b");
  EXPECT_EQ(e[0].second, Value::int64(1));
  EXPECT_EQ(e[1].first, "a");
  EXPECT_EQ(e[1].second, Value::float64(2.5));
  EXPECT_EQ(e[2].second, Value::string("x"));
  EXPECT_EQ(e[3].second, Value::boolean(true));
  EXPECT_EQ(e[4].second, Value::null());
  EXPECT_EQ(e[5].second, Value::int64(7));
}

TEST(OffsetCodecTest, ReadsIntegersBackAsInt64) {
  OrderedMap offset{{"position", Value::int32(2048)}};

  auto decoded = decode_offset_value(value_of(offset));

  ASSERT_TRUE(decoded.ok());
  ASSERT_TRUE(decoded->has_value());
  EXPECT_EQ(**decoded, (OrderedMap{{"position", Value::int64(2048)}}));
}

TEST(OffsetCodecTest, RoundTripsKeyBytesThroughDecodeAndEncode) {
  const std::string bytes = R"(["local-file-source",{"filename":"/tmp/in.txt","n":3}])";

  auto key = decode_offset_key(bytes);
  ASSERT_TRUE(key.ok());
  std::string again = key_of(key->connector, key->partition);

  EXPECT_EQ(again, bytes);
}

TEST(OffsetCodecTest, DecodesNullValueAsTombstone) {
  auto decoded = decode_offset_value("null");

  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(decoded->has_value());
}

TEST(OffsetCodecTest, RejectsValueThatIsNotAnObject) {
  auto decoded = decode_offset_value("[1,2]");

  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().message(), "Offset value is a JSON array, expected an object or null");
}

struct MalformedKey {
  const char* bytes;
  const char* message_part;
};

class MalformedOffsetKeyTest : public ::testing::TestWithParam<MalformedKey> {};

TEST_P(MalformedOffsetKeyTest, ReturnsInvalidArgumentWhenKeyIsMalformed) {
  auto key = decode_offset_key(GetParam().bytes);

  ASSERT_FALSE(key.ok()) << GetParam().bytes;
  EXPECT_EQ(key.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(key.status().message().find(GetParam().message_part), std::string::npos)
      << key.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    OffsetCodecTest, MalformedOffsetKeyTest,
    ::testing::Values(MalformedKey{"not json", "not valid JSON"},
                      MalformedKey{"", "not valid JSON"},
                      MalformedKey{R"(["c",{}] x)", "not valid JSON"},
                      MalformedKey{R"({"c":{}})", "is a JSON object, expected an array"},
                      MalformedKey{R"(["c"])", "has 1 elements, expected 2"},
                      MalformedKey{R"(["c",{},{}])", "has 3 elements, expected 2"},
                      MalformedKey{R"([1,{}])", "first element is a JSON number"},
                      MalformedKey{R"(["c",null])", "second element is a JSON null"},
                      MalformedKey{R"(["c",["a"]])", "second element is a JSON array"}));

}  // namespace
}  // namespace kanal::storage
