// Alias and version rules of PluginRegistry, on registered descriptions (no libraries).
#include "plugins/plugin_registry.h"

#include <gtest/gtest.h>

#include <memory>

#include "plugins/version.h"

namespace kanal::plugins {
namespace {

std::shared_ptr<const PluginInfo> info(std::string class_name, PluginKind kind,
                                       std::string version = "1.0.0") {
  auto p = std::make_shared<PluginInfo>();
  p->class_name = std::move(class_name);
  p->kind = kind;
  p->version = std::move(version);
  return p;
}

TEST(PluginRegistryTest, DropsAnAliasTwoClassesClaim) {
  PluginRegistry registry({info("a.FileSourceConnector", PluginKind::kSource),
                           info("b.FileSourceConnector", PluginKind::kSource)});

  auto found = registry.find_connector("FileSource");

  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), Status::Code::kNotFound);
  EXPECT_NE(found.status().message().find("ambiguous"), std::string::npos);
  EXPECT_TRUE(registry.find_connector("a.FileSourceConnector").ok());
}

TEST(PluginRegistryTest, PrunesTheSuffixOfEachKind) {
  PluginRegistry registry({info("x.RegexRouterTransformation", PluginKind::kTransformation),
                           info("x.HasHeaderPredicate", PluginKind::kPredicate),
                           info("x.AvroConverter", PluginKind::kConverter)});

  EXPECT_TRUE(registry.find("RegexRouter", {PluginKind::kTransformation}).ok());
  EXPECT_TRUE(registry.find("HasHeader", {PluginKind::kPredicate}).ok());
  EXPECT_TRUE(registry.find("Avro", {PluginKind::kConverter}).ok());
  EXPECT_FALSE(registry.find("Avro", {PluginKind::kSource, PluginKind::kSink}).ok());
}

TEST(PluginRegistryTest, PicksTheNewestVersionWhenNoneIsRequested) {
  PluginRegistry registry({info("x.AConnector", PluginKind::kSink, "1.10.0"),
                           info("x.AConnector", PluginKind::kSink, "1.9.3"),
                           info("x.AConnector", PluginKind::kSink, "1.10.0-SNAPSHOT")});

  EXPECT_EQ((*registry.find_connector("A"))->version, "1.10.0");
  EXPECT_EQ((*registry.find_connector("A", "(,1.10.0)"))->version, "1.10.0-SNAPSHOT");
  EXPECT_EQ((*registry.find_connector("A", "[1.0,1.9.3]"))->version, "1.9.3");
}

TEST(PluginRegistryTest, RejectsAMalformedVersionRequirement) {
  PluginRegistry registry({info("x.AConnector", PluginKind::kSink)});

  auto found = registry.find_connector("A", "[1.0,2.0");

  EXPECT_EQ(found.status().code(), Status::Code::kInvalidArgument);
}

TEST(VersionTest, ComparesLikeMaven) {
  EXPECT_EQ(compare_versions("1.0", "1.0.0"), 0);
  EXPECT_LT(compare_versions("1.9", "1.10"), 0);
  EXPECT_LT(compare_versions("2.0.0-rc1", "2.0.0"), 0);
  EXPECT_LT(compare_versions("2.0.0-alpha", "2.0.0-beta"), 0);
  EXPECT_GT(compare_versions("2.0.1", "2.0.0"), 0);
}

TEST(VersionTest, MatchesRangesAndExactVersions) {
  auto range = VersionRequirement::parse("[1.0,1.2],[1.5,)");
  ASSERT_TRUE(range.ok());

  EXPECT_TRUE(range->matches("1.2"));
  EXPECT_FALSE(range->matches("1.3"));
  EXPECT_TRUE(range->matches("7.0"));
  EXPECT_TRUE(VersionRequirement::parse("[1.5]")->matches("1.5.0"));
  EXPECT_TRUE(VersionRequirement::parse("1.5")->matches("1.5.0"));
  EXPECT_FALSE(VersionRequirement::parse("(1.0,2.0)")->matches("2.0"));
}

}  // namespace
}  // namespace kanal::plugins
