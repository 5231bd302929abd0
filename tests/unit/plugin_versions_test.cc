// KIP-891 version selection for converters, transformations and predicates: two builds of the
// "versioned" test plugin (1.0.0 and 2.0.0, tests/plugins/versioned/) installed side by side, each
// component showing in its output which version ran. Covers the registries (exact, range, default
// newest, unknown), the records a chain and a task's converters produce, and the validate
// response's version keys.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "config/worker_config.h"
#include "data/converter.h"
#include "herder/standalone_herder.h"
#include "plugins/plugin_registry.h"
#include "plugins/version.h"
#include "runtime/converters.h"
#include "runtime/plugin_catalog.h"
#include "transforms/transform_chain.h"
#include "transforms/transform_registry.h"

namespace kanal {
namespace {

namespace fs = std::filesystem;

const fs::path kPluginDir = KANAL_TEST_PLUGIN_DIR;
constexpr const char* kTag = "com.example.versioned.VersionTagTransformation";
constexpr const char* kPredicate = "com.example.versioned.VersionedPredicate";
constexpr const char* kConverter = "com.example.versioned.VersionedConverter";
constexpr const char* kSource = "com.example.versioned.VersionedSourceConnector";

struct Installed {
  Installed() {
    Status st = plugins::register_plugin_components(plugins, transforms, converters);
    EXPECT_TRUE(st.ok()) << st.to_string();
  }
  plugins::PluginRegistry plugins =
      plugins::PluginRegistry::scan({kPluginDir / "versioned-1", kPluginDir / "versioned-2"});
  transforms::TransformRegistry transforms = transforms::TransformRegistry::with_builtins();
  data::ConverterRegistry converters = data::ConverterRegistry::with_builtins();
};

config::WorkerConfig worker_config(config::ConfigMap extra = {}) {
  config::ConfigMap props = {{"bootstrap.servers", "localhost:9092"},
                             {"key.converter", "org.apache.kafka.connect.storage.StringConverter"},
                             {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
                             {"offset.storage.file.filename", "/unused"}};
  for (auto& [k, v] : extra) props[k] = v;
  auto wc = config::WorkerConfig::create(props, config::WorkerMode::kStandalone);
  EXPECT_TRUE(wc.ok()) << wc.status().to_string();
  return std::move(wc).value();
}

data::SourceRecord string_record(std::string value) {
  data::SourceRecord r;
  r.topic = "versions";
  r.value_schema = data::schemas::string();
  r.value = data::Value::string(std::move(value));
  return r;
}

// The value `config`'s transform chain makes of "v".
std::string transformed(const Installed& in, const config::ConfigMap& config) {
  auto chain = transforms::TransformChain::create(config, in.transforms);
  EXPECT_TRUE(chain.ok()) << chain.status().to_string();
  if (!chain.ok()) return "";
  data::SourceRecord r = string_record("v");
  auto outcome = chain->apply(r);
  EXPECT_TRUE(outcome.ok()) << outcome.status().to_string();
  const std::string* s = r.value.string_if();
  return s ? *s : "";
}

// The bytes the value converter `config` selects writes for "x".
std::string written_value(const Installed& in, const config::WorkerConfig& wc,
                          const config::ConfigMap& config) {
  auto conv = runtime::TaskConverters::create(in.converters, wc, config);
  EXPECT_TRUE(conv.ok()) << conv.status().to_string();
  if (!conv.ok()) return "";
  data::SerializedData bytes;
  Status st = conv->value->from_connect("versions", nullptr, data::schemas::string(),
                                        data::Value::string("x"), bytes);
  EXPECT_TRUE(st.ok()) << st.to_string();
  return bytes.bytes;
}

const herder::ConfigInfo* find(const herder::ConfigInfos& infos, const std::string& name) {
  for (const auto& ci : infos.configs) {
    if (ci.value.name == name) return &ci;
  }
  return nullptr;
}

// ---- version requirements ----

TEST(PluginVersionsTest, PrintsRequirementsAsConnectDoes) {
  EXPECT_EQ(plugins::VersionRequirement::parse("9.9.9")->range_text(), "[9.9.9,9.9.9]");
  EXPECT_EQ(plugins::VersionRequirement::parse("[1.0, 2.0)")->range_text(), "[1.0,2.0)");
  EXPECT_EQ(plugins::VersionRequirement::parse("[1.0,1.2],[1.5,)")->range_text(),
            "[1.0,1.2],[1.5,)");
  EXPECT_EQ(plugins::VersionRequirement::parse("[1.5]")->range_text(), "[1.5,1.5]");
}

TEST(PluginVersionsTest, ReportsConnectsMessageWhenNoVersionMatches) {
  auto picked = plugins::select_version("x.A", "9.9", {"2.0.0", "1.0.0"});

  ASSERT_FALSE(picked.ok());
  EXPECT_EQ(picked.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(picked.status().message(),
            "Plugin x.A not found that matches the version range [9.9,9.9], available versions: "
            "[1.0.0, 2.0.0]");
}

// ---- registries ----

TEST(PluginVersionsTest, KeepsBothVersionsOfATransformationAndPicksByRequirement) {
  Installed in;
  using transforms::PluginType;

  EXPECT_EQ(*in.transforms.version_of(kTag, PluginType::kTransformation), "2.0.0");
  EXPECT_EQ(*in.transforms.version_of("VersionTag", PluginType::kTransformation, "1.0.0"), "1.0.0");
  EXPECT_EQ(*in.transforms.version_of(kTag, PluginType::kTransformation, "[1.0,2.0)"), "1.0.0");
  EXPECT_EQ(*in.transforms.version_of(kPredicate, PluginType::kPredicate, "[1.5,)"), "2.0.0");
  auto unknown = in.transforms.version_of(kTag, PluginType::kTransformation, "3.0");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("available versions: [1.0.0, 2.0.0]"),
            std::string::npos)
      << unknown.status().message();
}

TEST(PluginVersionsTest, KeepsBothVersionsOfAConverterAndPicksByRequirement) {
  Installed in;

  EXPECT_EQ(*in.converters.converter_version(kConverter), "2.0.0");
  EXPECT_EQ(*in.converters.converter_version("VersionedConverter", "1.0.0"), "1.0.0");
  EXPECT_EQ(*in.converters.converter_version(kConverter, "(,2.0.0)"), "1.0.0");
  EXPECT_EQ(in.converters.converter_versions(kConverter),
            (std::vector<std::string>{"1.0.0", "2.0.0"}));
  auto unknown = in.converters.create_converter(kConverter, "[3.0,)");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(),
            std::string("Plugin ") + kConverter +
                " not found that matches the version range [3.0,), available versions: "
                "[1.0.0, 2.0.0]");
}

TEST(PluginVersionsTest, GivesBuiltinConvertersTheWorkersVersion) {
  Installed in;

  EXPECT_EQ(*in.converters.converter_version("JsonConverter"),
            data::ConverterRegistry::builtin_version());
  EXPECT_FALSE(in.converters.header_converter_version("SimpleHeaderConverter", "9.9.9").ok());
}

TEST(PluginVersionsTest, ListsEachInstalledVersionOfAComponent) {
  Installed in;
  runtime::RegistryCatalog catalog(in.plugins, in.converters, in.transforms);

  std::vector<std::string> tag_versions;
  std::vector<std::string> converter_versions;
  for (const auto& p : catalog.plugins(false)) {
    if (p.class_name == kTag) tag_versions.push_back(p.version);
    if (p.class_name == kConverter) converter_versions.push_back(p.version);
  }

  EXPECT_EQ(tag_versions, (std::vector<std::string>{"1.0.0", "2.0.0"}));
  EXPECT_EQ(converter_versions, (std::vector<std::string>{"1.0.0", "2.0.0"}));
}

// ---- records ----

TEST(PluginVersionsTest, AppliesTheTransformationVersionThePluginVersionKeySelects) {
  Installed in;
  config::ConfigMap config = {{"transforms", "tag"}, {"transforms.tag.type", "VersionTag"}};

  std::string newest = transformed(in, config);
  config["transforms.tag.plugin.version"] = "1.0.0";
  std::string exact = transformed(in, config);
  config["transforms.tag.plugin.version"] = "[1.0,2.0)";
  std::string range = transformed(in, config);

  EXPECT_EQ(newest, "v+t2.0.0");
  EXPECT_EQ(exact, "v+t1.0.0");
  EXPECT_EQ(range, "v+t1.0.0");
}

TEST(PluginVersionsTest, TestsWithThePredicateVersionThePluginVersionKeySelects) {
  Installed in;
  config::ConfigMap config = {{"transforms", "tag"},
                              {"transforms.tag.type", kTag},
                              {"transforms.tag.predicate", "p"},
                              {"predicates", "p"},
                              {"predicates.p.type", kPredicate}};

  std::string newest = transformed(in, config);  // 2.x matches: the tag is applied
  config["predicates.p.plugin.version"] = "1.0.0";
  std::string old = transformed(in, config);  // 1.x matches nothing

  EXPECT_EQ(newest, "v+t2.0.0");
  EXPECT_EQ(old, "v");
}

TEST(PluginVersionsTest, RefusesAChainWhoseTransformationVersionIsNotInstalled) {
  Installed in;

  auto chain = transforms::TransformChain::create({{"transforms", "tag"},
                                                   {"transforms.tag.type", kTag},
                                                   {"transforms.tag.plugin.version", "9.9.9"}},
                                                  in.transforms);

  ASSERT_FALSE(chain.ok());
  EXPECT_EQ(chain.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(chain.status().message().find(
                "not found that matches the version range [9.9.9,9.9.9], available versions: "
                "[1.0.0, 2.0.0]"),
            std::string::npos)
      << chain.status().message();
}

TEST(PluginVersionsTest, WritesWithTheConverterVersionThePluginVersionKeySelects) {
  Installed in;
  config::WorkerConfig wc = worker_config();
  config::ConfigMap config = {{"value.converter", kConverter}};

  std::string newest = written_value(in, wc, config);
  config["value.converter.plugin.version"] = "1.0.0";
  std::string exact = written_value(in, wc, config);

  EXPECT_EQ(newest, "c2.0.0|x");
  EXPECT_EQ(exact, "c1.0.0|x");
}

TEST(PluginVersionsTest, UsesTheWorkersConverterVersionForTheWorkersConverter) {
  Installed in;
  config::WorkerConfig wc =
      worker_config({{"value.converter", kConverter}, {"value.converter.plugin.version", "1.0.0"}});

  std::string from_worker = written_value(in, wc, {});
  std::string overridden = written_value(in, wc, {{"value.converter.plugin.version", "2.0.0"}});

  EXPECT_EQ(from_worker, "c1.0.0|x");
  EXPECT_EQ(overridden, "c2.0.0|x");
}

TEST(PluginVersionsTest, RefusesTaskConvertersWhoseVersionIsNotInstalled) {
  Installed in;
  config::WorkerConfig wc = worker_config();

  auto conv = runtime::TaskConverters::create(
      in.converters, wc, {{"key.converter", kConverter}, {"key.converter.plugin.version", "7"}});

  ASSERT_FALSE(conv.ok());
  EXPECT_NE(conv.status().message().find("available versions: [1.0.0, 2.0.0]"), std::string::npos)
      << conv.status().message();
}

// ---- validate response ----

class PluginVersionsValidateTest : public ::testing::Test {
 protected:
  Result<herder::ConfigInfos> validate(const config::ConfigMap& config) {
    runtime::RegistryCatalog catalog(in_.plugins, in_.converters, in_.transforms);
    return herder::validate_connector(wc_, catalog, in_.converters, in_.transforms, kSource,
                                      config);
  }

  Installed in_;
  config::WorkerConfig wc_ = worker_config();
};

TEST_F(PluginVersionsValidateTest, ListsVersionKeysWithResolvedDefaultsInConnectsOrder) {
  auto infos = validate({{"name", "v"}, {"connector.class", kSource}});

  ASSERT_TRUE(infos.ok()) << infos.status().to_string();
  EXPECT_EQ(infos->error_count, 0);
  std::vector<std::string> names;
  for (const auto& ci : infos->configs) names.push_back(ci.value.name);
  const std::vector<std::string> expected_head = {"name",
                                                  "connector.class",
                                                  "connector.plugin.version",
                                                  "tasks.max",
                                                  "tasks.max.enforce",
                                                  "key.converter",
                                                  "key.converter.plugin.version",
                                                  "value.converter",
                                                  "value.converter.plugin.version",
                                                  "header.converter",
                                                  "header.converter.plugin.version",
                                                  "transforms",
                                                  "predicates",
                                                  "config.action.reload"};
  ASSERT_GE(names.size(), expected_head.size());
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + expected_head.size()),
            expected_head);
  const herder::ConfigInfo* connector = find(*infos, "connector.plugin.version");
  ASSERT_NE(connector, nullptr);
  EXPECT_EQ(connector->definition.default_value, "2.0.0");
  EXPECT_EQ(connector->value.value, "2.0.0");
  EXPECT_EQ(connector->value.recommended_values, (std::vector<std::string>{"1.0.0", "2.0.0"}));
  const herder::ConfigInfo* header = find(*infos, "header.converter.plugin.version");
  ASSERT_NE(header, nullptr);
  EXPECT_EQ(header->definition.default_value, data::ConverterRegistry::builtin_version());
  EXPECT_NE(find(*infos, "transaction.boundary.interval.ms"), nullptr);
  EXPECT_NE(std::find(infos->groups.begin(), infos->groups.end(), "offsets.topic"),
            infos->groups.end());
}

TEST_F(PluginVersionsValidateTest, ShowsTheRequestedConverterAndTransformVersions) {
  auto infos = validate({{"name", "v"},
                         {"connector.class", kSource},
                         {"value.converter", kConverter},
                         {"value.converter.plugin.version", "1.0.0"},
                         {"transforms", "tag"},
                         {"transforms.tag.type", kTag},
                         {"transforms.tag.plugin.version", "[1.0,2.0)"}});

  ASSERT_TRUE(infos.ok()) << infos.status().to_string();
  EXPECT_EQ(infos->error_count, 0);
  const herder::ConfigInfo* value = find(*infos, "value.converter.plugin.version");
  const herder::ConfigInfo* tag = find(*infos, "transforms.tag.plugin.version");
  ASSERT_NE(value, nullptr);
  ASSERT_NE(tag, nullptr);
  EXPECT_EQ(value->definition.default_value, "2.0.0");
  EXPECT_EQ(value->value.value, "1.0.0");
  EXPECT_EQ(tag->definition.default_value, "2.0.0");
  EXPECT_EQ(tag->definition.group, "Transforms: tag");
  EXPECT_EQ(tag->value.value, "[1.0,2.0)");
  EXPECT_EQ(tag->value.recommended_values, (std::vector<std::string>{"1.0.0", "2.0.0"}));
}

TEST_F(PluginVersionsValidateTest, ReportsAnUnknownVersionOnTheClassAndVersionKeys) {
  auto infos = validate({{"name", "v"},
                         {"connector.class", kSource},
                         {"key.converter", kConverter},
                         {"key.converter.plugin.version", "9.9.9"},
                         {"predicates", "p"},
                         {"predicates.p.type", kPredicate},
                         {"predicates.p.plugin.version", "[5,)"}});

  ASSERT_TRUE(infos.ok()) << infos.status().to_string();
  EXPECT_EQ(infos->error_count, 4);
  for (const char* key : {"key.converter", "key.converter.plugin.version", "predicates.p.type",
                          "predicates.p.plugin.version"}) {
    const herder::ConfigInfo* ci = find(*infos, key);
    ASSERT_NE(ci, nullptr) << key;
    ASSERT_EQ(ci->value.errors.size(), 1u) << key;
    EXPECT_NE(ci->value.errors[0].find("not found that matches the version range"),
              std::string::npos)
        << ci->value.errors[0];
  }
}

}  // namespace
}  // namespace kanal
