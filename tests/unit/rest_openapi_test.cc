// docs/rest-api.yaml must describe exactly the routes the router serves.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "rest/rest_api.h"
#include "rest/testing/fake_herder.h"

namespace kanal::rest {
namespace {

const char* const kDocument = KANAL_SOURCE_DIR "/docs/rest-api.yaml";

std::set<RouteInfo> documented_routes(const YAML::Node& doc) {
  static const std::set<std::string> kMethods = {"get",    "put",     "post", "patch",
                                                 "delete", "options", "head"};
  std::set<RouteInfo> out;
  for (const auto& path : doc["paths"]) {
    for (const auto& op : path.second) {
      std::string method = op.first.as<std::string>();
      if (!kMethods.count(method)) continue;
      std::transform(method.begin(), method.end(), method.begin(), ::toupper);
      out.insert({method, path.first.as<std::string>()});
    }
  }
  return out;
}

std::set<RouteInfo> served_routes() {
  testing::FakeHerder herder;
  RestApi api(herder, {});
  std::vector<RouteInfo> routes = api.routes();
  return {routes.begin(), routes.end()};
}

TEST(OpenApiDocumentTest, DocumentsEveryRouteWhenRouterServesIt) {
  YAML::Node doc = YAML::LoadFile(kDocument);
  std::set<RouteInfo> documented = documented_routes(doc);

  for (const RouteInfo& r : served_routes()) {
    EXPECT_TRUE(documented.count(r))
        << r.method << " " << r.path << " is served but missing from docs/rest-api.yaml";
  }
}

TEST(OpenApiDocumentTest, ServesEveryRouteWhenDocumentListsIt) {
  YAML::Node doc = YAML::LoadFile(kDocument);
  std::set<RouteInfo> served = served_routes();

  for (const RouteInfo& r : documented_routes(doc)) {
    EXPECT_TRUE(served.count(r)) << r.method << " " << r.path
                                 << " is in docs/rest-api.yaml but the router does not serve it";
  }
}

TEST(OpenApiDocumentTest, DeclaresResponsesWhenDocumentingAnOperation) {
  YAML::Node doc = YAML::LoadFile(kDocument);

  EXPECT_EQ(doc["openapi"].as<std::string>().rfind("3.", 0), 0u);
  for (const auto& path : doc["paths"]) {
    for (const auto& op : path.second) {
      if (op.first.as<std::string>() == "parameters") continue;
      EXPECT_TRUE(op.second["responses"].IsMap())
          << op.first.as<std::string>() << " " << path.first.as<std::string>();
    }
  }
}

}  // namespace
}  // namespace kanal::rest
