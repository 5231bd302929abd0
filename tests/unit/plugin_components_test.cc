// Plugin transformations, predicates and converters registered in the worker's registries
// (register_plugin_components) and listed by GET /connector-plugins, against the real "good"
// test plugin built by tests/plugins/.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "data/converter.h"
#include "plugins/plugin_registry.h"
#include "runtime/plugin_catalog.h"
#include "transforms/transform_registry.h"

namespace kanal::plugins {
namespace {

namespace fs = std::filesystem;

const fs::path kPluginDir = KANAL_TEST_PLUGIN_DIR;

struct Registries {
  PluginRegistry plugins = PluginRegistry::scan({kPluginDir / "good"});
  transforms::TransformRegistry transforms = transforms::TransformRegistry::with_builtins();
  data::ConverterRegistry converters = data::ConverterRegistry::with_builtins();
};

data::SourceRecord string_record(std::string topic, std::string value) {
  data::SourceRecord r;
  r.topic = std::move(topic);
  r.value_schema = data::schemas::string();
  r.value = data::Value::string(std::move(value));
  return r;
}

TEST(PluginComponentsTest, ResolvesPluginTransformationByClassNameWhenRegistered) {
  Registries r;
  ASSERT_TRUE(register_plugin_components(r.plugins, r.transforms, r.converters).ok());

  auto t = r.transforms.create_transformation("com.example.test.UppercaseTransformation");
  ASSERT_TRUE(t.ok()) << t.status().to_string();
  ASSERT_TRUE((*t)->configure({}).ok());
  data::SourceRecord record = string_record("orders", "hello");
  auto outcome = (*t)->apply(record, transforms::RecordKind::kSource);

  ASSERT_TRUE(outcome.ok()) << outcome.status().to_string();
  EXPECT_EQ(record.topic, "orders-up");
  EXPECT_EQ(*record.value.string_if(), "HELLO");
}

TEST(PluginComponentsTest, ResolvesPluginTransformationAndPredicateByAlias) {
  Registries r;
  ASSERT_TRUE(register_plugin_components(r.plugins, r.transforms, r.converters).ok());

  auto t = r.transforms.resolve("Uppercase", transforms::PluginType::kTransformation);
  auto p = r.transforms.create_predicate("TopicIs");

  ASSERT_TRUE(t.ok()) << t.status().to_string();
  EXPECT_EQ(*t, "com.example.test.UppercaseTransformation");
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  ASSERT_TRUE((*p)->configure({{"topic", "orders"}}).ok());
  EXPECT_TRUE((*p)->test(string_record("orders", "x")));
  EXPECT_FALSE((*p)->test(string_record("other", "x")));
}

TEST(PluginComponentsTest, ConvertsBothWaysWithPluginConverterResolvedByClassName) {
  Registries r;
  ASSERT_TRUE(register_plugin_components(r.plugins, r.transforms, r.converters).ok());

  auto c = r.converters.create_converter("com.example.test.ReverseConverter");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  ASSERT_TRUE((*c)->configure({{"prefix", "rev:"}}, false).ok());
  data::SerializedData bytes;
  Status written = (*c)->from_connect("orders", nullptr, data::schemas::string(),
                                      data::Value::string("abc"), bytes);
  auto read = (*c)->to_connect("orders", nullptr, bytes.view());

  ASSERT_TRUE(written.ok()) << written.to_string();
  EXPECT_EQ(bytes.bytes, "rev:cba");
  EXPECT_FALSE(bytes.is_null);
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  EXPECT_EQ(*read->value.string_if(), "abc");
  ASSERT_NE(read->schema, nullptr);
  EXPECT_EQ(read->schema->type(), data::SchemaType::kString);
}

TEST(PluginComponentsTest, WritesKafkaNullWhenPluginConverterGetsNullValue) {
  Registries r;
  ASSERT_TRUE(register_plugin_components(r.plugins, r.transforms, r.converters).ok());
  auto c = r.converters.create_converter("ReverseConverter");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  ASSERT_TRUE((*c)->configure({}, true).ok());
  data::SerializedData bytes;

  Status written = (*c)->from_connect("orders", nullptr, nullptr, data::Value(), bytes);
  auto read = (*c)->to_connect("orders", nullptr, std::nullopt);

  ASSERT_TRUE(written.ok()) << written.to_string();
  EXPECT_TRUE(bytes.is_null);
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  EXPECT_TRUE(read->value.is_null());
}

TEST(PluginComponentsTest, ResolvesPluginConverterByPrunedAlias) {
  Registries r;
  ASSERT_TRUE(register_plugin_components(r.plugins, r.transforms, r.converters).ok());

  auto c = r.converters.create_converter("Reverse");

  EXPECT_TRUE(c.ok()) << c.status().to_string();
}

TEST(PluginComponentsTest, KeepsBuiltinConverterAliasesWhenPluginsAreRegistered) {
  Registries r;
  ASSERT_TRUE(register_plugin_components(r.plugins, r.transforms, r.converters).ok());

  auto json = r.converters.create_converter("JsonConverter");

  EXPECT_TRUE(json.ok()) << json.status().to_string();
}

TEST(PluginComponentsTest, ReportsConflictAndRegistersTheRestWhenAClassVersionIsAlreadyRegistered) {
  Registries r;
  ASSERT_TRUE(r.transforms
                  .register_transformation("com.example.test.UppercaseTransformation", "1.2.0",
                                           [] { return nullptr; })
                  .ok());

  Status st = register_plugin_components(r.plugins, r.transforms, r.converters);

  EXPECT_EQ(st.code(), Status::Code::kConflict);
  EXPECT_NE(st.message().find("com.example.test.UppercaseTransformation"), std::string::npos);
  EXPECT_TRUE(r.converters.create_converter("com.example.test.ReverseConverter").ok());
  EXPECT_TRUE(r.transforms.create_predicate("com.example.test.TopicIsPredicate").ok());
}

TEST(PluginComponentsTest, ListsPluginTransformationOnceWithItsVersion) {
  Registries r;
  ASSERT_TRUE(register_plugin_components(r.plugins, r.transforms, r.converters).ok());
  runtime::RegistryCatalog catalog(r.plugins, r.converters, r.transforms);

  std::vector<herder::PluginInfo> listed = catalog.plugins(false);

  auto named = [&](const std::string& name) {
    return std::count_if(listed.begin(), listed.end(),
                         [&](const herder::PluginInfo& p) { return p.class_name == name; });
  };
  auto it = std::find_if(listed.begin(), listed.end(), [](const herder::PluginInfo& p) {
    return p.class_name == "com.example.test.UppercaseTransformation";
  });
  ASSERT_NE(it, listed.end());
  EXPECT_EQ(named("com.example.test.UppercaseTransformation"), 1);
  EXPECT_EQ(it->type, "transformation");
  EXPECT_EQ(it->version, "1.2.0");
  EXPECT_EQ(named("com.example.test.TopicIsPredicate"), 1);
  EXPECT_EQ(named("com.example.test.ReverseConverter"), 1);
}

}  // namespace
}  // namespace kanal::plugins
