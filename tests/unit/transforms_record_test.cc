// Unit tests of the record-level transforms (Filter, RegexRouter, SetSchemaMetadata), the header
// transforms (DropHeaders, HeaderFrom, InsertHeader) and the predicates.
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

const TransformRegistry& registry() {
  static const TransformRegistry r = TransformRegistry::with_builtins();
  return r;
}

std::unique_ptr<Transformation> make(std::string_view name, const ConfigMap& props) {
  auto t = registry().create_transformation(name);
  EXPECT_TRUE(t.ok()) << t.status().message();
  Status s = (*t)->configure(props);
  EXPECT_TRUE(s.ok()) << s.message();
  return std::move(t).value();
}

std::unique_ptr<Predicate> make_predicate(std::string_view name, const ConfigMap& props) {
  auto p = registry().create_predicate(name);
  EXPECT_TRUE(p.ok()) << p.status().message();
  Status s = (*p)->configure(props);
  EXPECT_TRUE(s.ok()) << s.message();
  return std::move(p).value();
}

Status configure_error(std::string_view name, const ConfigMap& props) {
  auto t = registry().create_transformation(name);
  EXPECT_TRUE(t.ok());
  return (*t)->configure(props);
}

Value map(std::initializer_list<std::pair<std::string, Value>> entries) {
  Value::Map m;
  for (const auto& [k, v] : entries) m.emplace_back(Value::string(k), v);
  return Value::map(std::move(m));
}

data::SourceRecord source_record(SchemaPtr value_schema, Value value) {
  data::SourceRecord r;
  r.topic = "orders-raw";
  r.value_schema = std::move(value_schema);
  r.value = std::move(value);
  return r;
}

std::vector<std::string> header_keys(const data::Headers& h) {
  std::vector<std::string> out;
  for (const auto& header : h) out.push_back(header.key);
  return out;
}

// ---- Filter ----

TEST(FilterTest, DropsEveryRecord) {
  auto t = make("Filter", {});
  data::SourceRecord r = source_record(nullptr, Value::string("x"));

  auto out = t->apply(r, RecordKind::kSource);

  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, Outcome::kDrop);
}

// ---- RegexRouter ----

TEST(RegexRouterTest, RewritesTopicWithGroupsWhenWholeTopicMatches) {
  auto t = make("RegexRouter", {{"regex", "(.*)-raw"}, {"replacement", "$1-clean"}});
  data::SourceRecord r = source_record(nullptr, Value::string("x"));

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_EQ(r.topic, "orders-clean");
}

TEST(RegexRouterTest, KeepsTopicWhenOnlyPartOfItMatches) {
  auto t = make("RegexRouter", {{"regex", "orders"}, {"replacement", "x"}});
  data::SourceRecord r = source_record(nullptr, Value::string("x"));

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_EQ(r.topic, "orders-raw");
}

TEST(RegexRouterTest, RoutesEachTopicWhenTopicsAlternate) {
  auto t = make("RegexRouter", {{"regex", "(?i)ORDERS-(.*)"}, {"replacement", "o_$1\\$"}});
  data::SourceRecord a = source_record(nullptr, Value());
  data::SourceRecord b = source_record(nullptr, Value());
  data::SourceRecord c = source_record(nullptr, Value());
  b.topic = "other";
  c.topic = "orders-eu";

  ASSERT_TRUE(t->apply(a, RecordKind::kSource).ok());
  ASSERT_TRUE(t->apply(b, RecordKind::kSource).ok());
  ASSERT_TRUE(t->apply(c, RecordKind::kSource).ok());

  EXPECT_EQ(a.topic, "o_raw$");
  EXPECT_EQ(b.topic, "other");
  EXPECT_EQ(c.topic, "o_eu$");
}

TEST(RegexRouterTest, RejectsConfigWhenRegexIsInvalid) {
  Status s = configure_error("RegexRouter", {{"regex", "("}, {"replacement", "x"}});

  EXPECT_EQ(s.message().rfind("Invalid value ( for configuration regex: Invalid regex: ", 0), 0u);
}

TEST(RegexRouterTest, RejectsConfigWhenReplacementNamesMissingGroup) {
  Status s = configure_error("RegexRouter", {{"regex", "(.*)"}, {"replacement", "$2"}});

  EXPECT_EQ(s.message(), "Invalid value $2 for configuration replacement: No group 2");
}

// ---- SetSchemaMetadata ----

TEST(SetSchemaMetadataTest, SetsNameAndVersionAndRebuildsStruct) {
  SchemaPtr s = SchemaBuilder::structure()
                    .name("old")
                    .doc("d")
                    .field("a", SchemaBuilder::int32().default_value(Value::int32(5)).build())
                    .build();
  auto t = make("SetSchemaMetadata$Value", {{"schema.name", "n2"}, {"schema.version", "3"}});
  data::SourceRecord r = source_record(s, Struct(s));

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_EQ(*r.value_schema->name(), "n2");
  EXPECT_EQ(*r.value_schema->version(), 3);
  EXPECT_EQ(*r.value_schema->doc(), "d");
  EXPECT_EQ(r.value.as_struct().schema(), r.value_schema);
  EXPECT_EQ(r.value.as_struct().get(0), Value::int32(5));
}

TEST(SetSchemaMetadataTest, KeepsNameWhenOnlyVersionIsSet) {
  auto t = make("SetSchemaMetadata$Key", {{"schema.version", "9"}});
  data::SourceRecord r = source_record(nullptr, Value());
  r.key_schema = SchemaBuilder::string().name("k").build();
  r.key = Value::string("id");

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_EQ(*r.key_schema->name(), "k");
  EXPECT_EQ(*r.key_schema->version(), 9);
  EXPECT_EQ(r.key, Value::string("id"));
}

TEST(SetSchemaMetadataTest, FailsWhenRecordIsSchemaless) {
  auto t = make("SetSchemaMetadata$Value", {{"schema.name", "x"}});
  data::SourceRecord r = source_record(nullptr, Value::string("x"));

  auto out = t->apply(r, RecordKind::kSource);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "Schema required for [updating schema metadata]");
}

TEST(SetSchemaMetadataTest, RejectsConfigWhenNothingIsSet) {
  EXPECT_EQ(configure_error("SetSchemaMetadata$Value", {}).message(),
            "Neither schema name nor version configured");
}

// ---- DropHeaders ----

TEST(DropHeadersTest, RemovesEveryHeaderWithListedNames) {
  auto t = make("DropHeaders", {{"headers", "a,c"}});
  data::SourceRecord r = source_record(nullptr, Value());
  r.headers.add("a", nullptr, Value::string("1"));
  r.headers.add("b", nullptr, Value::string("2"));
  r.headers.add("a", nullptr, Value::string("3"));
  r.headers.add("c", nullptr, Value::string("4"));

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_EQ(header_keys(r.headers), (std::vector<std::string>{"b"}));
}

TEST(DropHeadersTest, RejectsConfigWhenHeadersIsEmpty) {
  EXPECT_EQ(configure_error("DropHeaders", {{"headers", ""}}).message(),
            "Configuration 'headers' must not be empty. Valid values include: any non-empty "
            "value");
}

// ---- HeaderFrom ----

TEST(HeaderFromTest, MovesFieldsToHeadersWithSchemasWhenValueHasSchema) {
  SchemaPtr s = SchemaBuilder::structure()
                    .name("n")
                    .field("id", schemas::int64())
                    .field("trace", schemas::optional_string())
                    .build();
  Struct v(s);
  ASSERT_TRUE(v.put("id", Value::int64(1)).ok());
  ASSERT_TRUE(v.put("trace", Value::string("abc")).ok());
  auto t = make("HeaderFrom$Value",
                {{"fields", "trace"}, {"headers", "x-trace"}, {"operation", "move"}});
  data::SourceRecord r = source_record(s, Value(std::move(v)));

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  ASSERT_EQ(r.headers.size(), 1u);
  const data::Header* h = r.headers.last_with_name("x-trace");
  EXPECT_EQ(h->value, Value::string("abc"));
  EXPECT_EQ(h->schema, schemas::optional_string());
  EXPECT_EQ(r.value_schema->fields().size(), 1u);
  EXPECT_EQ(*r.value_schema->name(), "n");
  EXPECT_EQ(*r.value.as_struct().get("id"), Value::int64(1));
}

TEST(HeaderFromTest, CopiesEntriesToSchemalessHeadersWhenOperationIsCopy) {
  auto t = make("HeaderFrom$Key",
                {{"fields", "a,missing"}, {"headers", "h1,h2"}, {"operation", "copy"}});
  data::SourceRecord r = source_record(nullptr, Value());
  r.key = map({{"a", Value::int64(1)}});

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());

  EXPECT_EQ(r.key.as_map().size(), 1u);
  EXPECT_EQ(header_keys(r.headers), (std::vector<std::string>{"h1", "h2"}));
  EXPECT_EQ(r.headers.last_with_name("h1")->value, Value::int64(1));
  EXPECT_EQ(r.headers.last_with_name("h1")->schema, nullptr);
  EXPECT_TRUE(r.headers.last_with_name("h2")->value.is_null());
}

TEST(HeaderFromTest, FailsWhenValueIsNull) {
  auto t = make("HeaderFrom$Value", {{"fields", "a"}, {"headers", "h"}, {"operation", "copy"}});
  data::SourceRecord r = source_record(nullptr, Value());

  auto out = t->apply(r, RecordKind::kSource);

  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "Only Map objects supported in absence of schema for [header copy], found: null");
}

TEST(HeaderFromTest, RejectsConfigWhenListsDifferInLength) {
  EXPECT_EQ(configure_error("HeaderFrom$Value",
                            {{"fields", "a,b"}, {"headers", "h"}, {"operation", "move"}})
                .message(),
            "'fields' config must have the same number of elements as 'headers' config.");
  EXPECT_EQ(
      configure_error("HeaderFrom$Value", {{"fields", ""}, {"headers", ""}, {"operation", "copy"}})
          .message(),
      "Invalid value  for configuration fields: Empty list");
}

// ---- InsertHeader ----

TEST(InsertHeaderTest, AddsHeaderWithValueParsedLikeSimpleHeaderConverter) {
  auto t = make("InsertHeader", {{"header", "h"}, {"value.literal", "[1,2]"}});
  auto text = make("InsertHeader", {{"header", "s"}, {"value.literal", "hello world"}});
  data::SourceRecord r = source_record(nullptr, Value());

  ASSERT_TRUE(t->apply(r, RecordKind::kSource).ok());
  ASSERT_TRUE(text->apply(r, RecordKind::kSource).ok());

  const data::Header* h = r.headers.last_with_name("h");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->schema->type(), data::SchemaType::kArray);
  EXPECT_EQ(h->value.as_array().size(), 2u);
  EXPECT_EQ(r.headers.last_with_name("s")->value, Value::string("hello world"));
}

// ---- predicates ----

TEST(TopicNameMatchesTest, MatchesWhenWholeTopicMatchesPattern) {
  auto p = make_predicate("TopicNameMatches", {{"pattern", "orders-.*"}});
  auto partial = make_predicate("TopicNameMatches", {{"pattern", "orders"}});
  data::SourceRecord r = source_record(nullptr, Value());

  EXPECT_TRUE(p->test(r));
  EXPECT_FALSE(partial->test(r));
  r.topic = "payments";
  EXPECT_FALSE(p->test(r));
}

TEST(TopicNameMatchesTest, RejectsConfigWhenPatternIsEmptyOrInvalid) {
  auto p = registry().create_predicate("TopicNameMatches");
  ASSERT_TRUE(p.ok());

  EXPECT_EQ((*p)->configure({{"pattern", ""}}).message(),
            "Invalid value  for configuration pattern: String must be non-empty");
  EXPECT_FALSE((*p)->configure({{"pattern", "a[b"}}).ok());
  EXPECT_EQ((*p)->configure({}).message(),
            "Missing required configuration \"pattern\" which has no default value.");
}

TEST(HasHeaderKeyTest, MatchesWhenAnyHeaderHasTheName) {
  auto p = make_predicate("org.apache.kafka.connect.transforms.predicates.HasHeaderKey",
                          {{"name", "trace"}});
  data::SourceRecord r = source_record(nullptr, Value());

  EXPECT_FALSE(p->test(r));
  r.headers.add("trace", nullptr, Value());
  EXPECT_TRUE(p->test(r));
}

TEST(RecordIsTombstoneTest, MatchesWhenValueIsNull) {
  auto p = make_predicate("RecordIsTombstone", {});
  data::SourceRecord tombstone = source_record(schemas::optional_string(), Value());
  data::SourceRecord live = source_record(nullptr, Value::string("x"));

  EXPECT_TRUE(p->test(tombstone));
  EXPECT_FALSE(p->test(live));
}

}  // namespace
}  // namespace kanal::transforms
