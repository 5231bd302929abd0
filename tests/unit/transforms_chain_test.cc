// Unit tests of TransformRegistry (names, aliases, listing, plugin registration) and
// TransformChain (building from a connector config, predicates, negate, errors, validation).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "data/record.h"
#include "data/schema.h"
#include "data/value.h"
#include "transforms/transform_chain.h"
#include "transforms/transform_registry.h"
#include "transforms/transformation.h"

namespace kanal::transforms {
namespace {

using data::Value;

const TransformRegistry& registry() {
  static const TransformRegistry r = TransformRegistry::with_builtins();
  return r;
}

data::SourceRecord source_record(std::string topic, Value value) {
  data::SourceRecord r;
  r.topic = std::move(topic);
  r.value = std::move(value);
  return r;
}

Value map(std::initializer_list<std::pair<std::string, Value>> entries) {
  Value::Map m;
  for (const auto& [k, v] : entries) m.emplace_back(Value::string(k), v);
  return Value::map(std::move(m));
}

const config::ConfigValueInfo* find_value(const ChainValidation& v, std::string_view name) {
  for (const auto& i : v.values) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

// ---- TransformRegistry ----

TEST(TransformRegistryTest, ListsEveryBuiltinWithTypeAndVersion) {
  std::vector<PluginDesc> plugins = registry().plugins();

  size_t transformations = std::count_if(plugins.begin(), plugins.end(), [](const PluginDesc& p) {
    return p.type == PluginType::kTransformation;
  });
  size_t predicates = plugins.size() - transformations;
  EXPECT_EQ(transformations, 26u);  // 10 transforms x {$Key,$Value} + 6 single classes
  EXPECT_EQ(predicates, 3u);
  EXPECT_EQ(plugins.front().class_name, "org.apache.kafka.connect.transforms.Cast$Key");
  EXPECT_EQ(plugins.front().version, "4.3.1");
  EXPECT_TRUE(std::is_sorted(
      plugins.begin(), plugins.end(),
      [](const PluginDesc& a, const PluginDesc& b) { return a.class_name < b.class_name; }));
  EXPECT_STREQ(to_connect_string(PluginType::kPredicate), "predicate");
}

TEST(TransformRegistryTest, ResolvesClassNamesAndUniqueAliases) {
  EXPECT_EQ(*registry().resolve("RegexRouter", PluginType::kTransformation),
            "org.apache.kafka.connect.transforms.RegexRouter");
  EXPECT_EQ(*registry().resolve("InsertField$Value", PluginType::kTransformation),
            "org.apache.kafka.connect.transforms.InsertField$Value");
  EXPECT_EQ(*registry().resolve("TopicNameMatches", PluginType::kPredicate),
            "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
}

TEST(TransformRegistryTest, RejectsAmbiguousAliasAndWrongKind) {
  auto ambiguous = registry().resolve("Value", PluginType::kTransformation);
  auto wrong_kind = registry().resolve("RecordIsTombstone", PluginType::kTransformation);

  EXPECT_EQ(ambiguous.status().message(), "Class Value could not be found.");
  EXPECT_EQ(wrong_kind.status().message(), "Not a Transformation");
}

class UpperCaseTopic final : public Transformation {
 public:
  Status configure(const ConfigMap&) override { return Status::OK(); }
  const config::ConfigDef& config_def() const override { return def_; }
  Result<Outcome> apply(data::ConnectRecord& r, RecordKind) override {
    for (char& c : r.topic) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return Outcome::kKeep;
  }

 private:
  config::ConfigDef def_;
};

TEST(TransformRegistryTest, CreatesPluginTransformationByAliasWhenRegistered) {
  TransformRegistry r = TransformRegistry::with_builtins();
  ASSERT_TRUE(r.register_transformation("com.example.UpperCaseTopic", "1.0", [] {
                 return std::make_unique<UpperCaseTopic>();
               }).ok());

  auto chain =
      TransformChain::create({{"transforms", "up"}, {"transforms.up.type", "UpperCaseTopic"}}, r);
  ASSERT_TRUE(chain.ok()) << chain.status().message();
  data::SourceRecord rec = source_record("orders", Value());
  ASSERT_TRUE(chain->apply(rec).ok());

  EXPECT_EQ(rec.topic, "ORDERS");
  EXPECT_EQ(r.register_transformation("com.example.UpperCaseTopic", "1.0", nullptr).code(),
            Status::Code::kConflict);
}

// ---- TransformChain ----

TEST(TransformChainTest, AppliesTransformsInOrder) {
  auto chain = TransformChain::create(
      {{"transforms", "hoist,insert,route"},
       {"transforms.hoist.type", "HoistField$Value"},
       {"transforms.hoist.field", "line"},
       {"transforms.insert.type", "org.apache.kafka.connect.transforms.InsertField$Value"},
       {"transforms.insert.topic.field", "topic"},
       {"transforms.route.type", "RegexRouter"},
       {"transforms.route.regex", "(.*)-raw"},
       {"transforms.route.replacement", "$1-clean"}},
      registry());
  ASSERT_TRUE(chain.ok()) << chain.status().message();
  data::SourceRecord r = source_record("logs-raw", Value::string("hello"));

  auto out = chain->apply(r);

  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, Outcome::kKeep);
  EXPECT_EQ(r.topic, "logs-clean");
  EXPECT_EQ(r.value, map({{"line", Value::string("hello")}, {"topic", Value::string("logs-raw")}}));
  EXPECT_EQ(chain->aliases(), (std::vector<std::string>{"hoist", "insert", "route"}));
}

TEST(TransformChainTest, DropsTombstonesWhenFilterHasTombstonePredicate) {
  auto chain = TransformChain::create(
      {{"transforms", "dropTombstones,route"},
       {"transforms.dropTombstones.type", "org.apache.kafka.connect.transforms.Filter"},
       {"transforms.dropTombstones.predicate", "isTombstone"},
       {"transforms.route.type", "RegexRouter"},
       {"transforms.route.regex", "(.*)-raw"},
       {"transforms.route.replacement", "$1-clean"},
       {"predicates", "isTombstone"},
       {"predicates.isTombstone.type",
        "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone"}},
      registry());
  ASSERT_TRUE(chain.ok()) << chain.status().message();
  data::SourceRecord tombstone = source_record("a-raw", Value());
  data::SourceRecord live = source_record("a-raw", Value::string("x"));

  auto dropped = chain->apply(tombstone);
  auto kept = chain->apply(live);

  EXPECT_EQ(*dropped, Outcome::kDrop);
  EXPECT_EQ(*kept, Outcome::kKeep);
  EXPECT_EQ(live.topic, "a-clean");
}

TEST(TransformChainTest, RunsTransformOnlyWhenPredicateIsFalseWhenNegated) {
  auto chain = TransformChain::create({{"transforms", "keepOrders"},
                                       {"transforms.keepOrders.type", "Filter"},
                                       {"transforms.keepOrders.predicate", "isOrders"},
                                       {"transforms.keepOrders.negate", "true"},
                                       {"predicates", "isOrders"},
                                       {"predicates.isOrders.type", "TopicNameMatches"},
                                       {"predicates.isOrders.pattern", "orders.*"}},
                                      registry());
  ASSERT_TRUE(chain.ok()) << chain.status().message();
  data::SourceRecord orders = source_record("orders-eu", Value::string("x"));
  data::SourceRecord other = source_record("payments", Value::string("x"));

  EXPECT_EQ(*chain->apply(orders), Outcome::kKeep);
  EXPECT_EQ(*chain->apply(other), Outcome::kDrop);
}

TEST(TransformChainTest, ReturnsTransformErrorAndNamesFailingClass) {
  auto chain = TransformChain::create({{"transforms", "extract"},
                                       {"transforms.extract.type", "ExtractField$Value"},
                                       {"transforms.extract.field", "id"}},
                                      registry());
  ASSERT_TRUE(chain.ok());
  data::SourceRecord r = source_record("t", Value::string("not a map"));

  auto out = chain->apply(r);

  ASSERT_FALSE(out.ok());
  EXPECT_FALSE(out.status().retriable());
  EXPECT_EQ(out.status().message(),
            "Only Map objects supported in absence of schema for [field extraction], found: "
            "java.lang.String");
  EXPECT_EQ(chain->failed_class(), "org.apache.kafka.connect.transforms.ExtractField$Value");
}

TEST(TransformChainTest, AppliesToSinkRecordsWithTheirOffset) {
  auto chain = TransformChain::create({{"transforms", "insert"},
                                       {"transforms.insert.type", "InsertField$Value"},
                                       {"transforms.insert.offset.field", "offset"}},
                                      registry());
  ASSERT_TRUE(chain.ok());
  data::SinkRecord r;
  r.topic = "t";
  r.kafka_offset = 17;
  r.value = map({});

  ASSERT_TRUE(chain->apply(r).ok());

  EXPECT_EQ(r.value, map({{"offset", Value::int64(17)}}));
}

TEST(TransformChainTest, KeepsRecordsUnchangedWhenNoTransformsAreConfigured) {
  auto chain = TransformChain::create({{"name", "c"}}, registry());
  ASSERT_TRUE(chain.ok());
  data::SourceRecord r = source_record("t", Value::string("x"));

  EXPECT_TRUE(chain->empty());
  EXPECT_EQ(*chain->apply(r), Outcome::kKeep);
  EXPECT_EQ(r.value, Value::string("x"));
}

TEST(TransformChainTest, FailsNamingPrefixedKeyWhenTransformSettingIsInvalid) {
  auto chain = TransformChain::create(
      {{"transforms", "c"}, {"transforms.c.type", "Cast$Value"}, {"transforms.c.spec", "a:foo"}},
      registry());

  ASSERT_FALSE(chain.ok());
  EXPECT_EQ(chain.status().message(),
            "Invalid value a:foo for configuration transforms.c.spec: Invalid type found in "
            "casting spec: foo");
}

TEST(TransformChainTest, FailsWhenTypeIsMissingOrUnknown) {
  auto missing = TransformChain::create({{"transforms", "a"}}, registry());
  auto unknown = TransformChain::create(
      {{"transforms", "a"}, {"transforms.a.type", "com.example.Nope"}}, registry());
  auto wrong = TransformChain::create({{"transforms", "a"}, {"transforms.a.type", "HasHeaderKey"}},
                                      registry());

  EXPECT_EQ(missing.status().message(),
            "Missing required configuration \"transforms.a.type\" which has no default value.");
  EXPECT_EQ(unknown.status().message(),
            "Invalid value com.example.Nope for configuration transforms.a.type: Class "
            "com.example.Nope could not be found.");
  EXPECT_EQ(wrong.status().message(),
            "Invalid value HasHeaderKey for configuration transforms.a.type: Not a "
            "Transformation");
}

TEST(TransformChainTest, ValidatesEveryKeyAndCollectsAllErrors) {
  ChainValidation v = TransformChain::validate({{"transforms", "mask,route,mask"},
                                                {"transforms.mask.type", "MaskField$Value"},
                                                {"transforms.mask.fields", "card"},
                                                {"transforms.mask.replacement", ""},
                                                {"transforms.mask.negate", "true"},
                                                {"transforms.route.type", "RegexRouter"},
                                                {"transforms.route.replacement", "x"},
                                                {"transforms.route.predicate", "nope"},
                                                {"predicates", "p"},
                                                {"predicates.p.type", "TopicNameMatches"},
                                                {"predicates.p.pattern", "("}},
                                               registry());

  EXPECT_EQ(find_value(v, "transforms")->errors,
            (std::vector<std::string>{"Invalid value [mask, route, mask] for configuration "
                                      "transforms: Duplicate alias provided."}));
  EXPECT_EQ(find_value(v, "transforms.mask.replacement")->errors,
            (std::vector<std::string>{
                "Invalid value  for configuration transforms.mask.replacement: String must be "
                "non-empty"}));
  EXPECT_EQ(find_value(v, "transforms.mask.negate")->errors,
            (std::vector<std::string>{
                "Config 'transforms.mask.negate' was provided but there is no config "
                "'transforms.mask.predicate' defining a predicate to be negated."}));
  EXPECT_EQ(find_value(v, "transforms.route.regex")->errors,
            (std::vector<std::string>{"Missing required configuration \"transforms.route.regex\" "
                                      "which has no default value."}));
  EXPECT_EQ(find_value(v, "transforms.route.predicate")->errors.size(), 1u);
  EXPECT_EQ(find_value(v, "predicates.p.pattern")->errors.size(), 1u);
  EXPECT_TRUE(find_value(v, "transforms.mask.fields")->errors.empty());
  EXPECT_EQ(v.error_count, 6);
  EXPECT_EQ(v.groups,
            (std::vector<std::string>{"Transforms: mask", "Transforms: route", "Predicates: p"}));
  const config::ConfigKey* def = v.definitions.find("transforms.mask.fields");
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(def->group, "Transforms: mask");
  EXPECT_EQ(def->type, config::Type::kList);
}

TEST(TransformChainTest, AttributesCrossFieldConfigureErrorsToNamedKey) {
  ChainValidation v = TransformChain::validate({{"transforms", "h"},
                                                {"transforms.h.type", "HeaderFrom$Value"},
                                                {"transforms.h.fields", "a,b"},
                                                {"transforms.h.headers", "x"},
                                                {"transforms.h.operation", "copy"}},
                                               registry());

  EXPECT_EQ(v.error_count, 1);
  EXPECT_EQ(find_value(v, "transforms.h.fields")->errors,
            (std::vector<std::string>{
                "'fields' config must have the same number of elements as 'headers' config."}));
}

}  // namespace
}  // namespace kanal::transforms
