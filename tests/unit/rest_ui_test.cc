// The dashboard's files as RestApi serves them under /ui/ (rest/ui.h): built in, each with its
// Content-Type, and nothing else under /ui/. The page itself is tested in a browser by
// tests/e2e/dashboard_test.cc.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "rest/rest_api.h"
#include "rest/testing/fake_herder.h"
#include "rest/ui.h"

namespace kanal::rest {
namespace {

class DashboardRoutesTest : public ::testing::Test {
 protected:
  HttpResponse get(std::string path) {
    HttpRequest r;
    r.method = "GET";
    r.path = std::move(path);
    r.base_url = "http://localhost:8083";
    return api_.handle(r);
  }

  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  testing::FakeHerder herder_;
  RestApi api_{herder_, {}};
};

TEST_F(DashboardRoutesTest, RedirectsToTrailingSlashWhenPathIsUi) {
  HttpResponse r = get("/ui");

  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(header(r, "Location"), "/ui/");
}

TEST_F(DashboardRoutesTest, ServesIndexPageWhenPathIsUiWithSlash) {
  HttpResponse r = get("/ui/");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<title>kanal dashboard</title>"), std::string::npos);
  EXPECT_NE(r.body.find("src=\"app.js\""), std::string::npos);
  EXPECT_NE(header(r, "Content-Security-Policy").find("default-src 'none'"), std::string::npos);
}

TEST_F(DashboardRoutesTest, ServesEachAssetWithItsContentTypeWhenRequested) {
  HttpResponse js = get("/ui/app.js");
  HttpResponse css = get("/ui/style.css");

  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(js.body.find("/connectors?expand=status&expand=info"), std::string::npos);
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(header(css, "X-Content-Type-Options"), "nosniff");
}

TEST_F(DashboardRoutesTest, Returns404WhenAssetIsUnknown) {
  HttpResponse r = get("/ui/secret.txt");

  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("\"error_code\":404"), std::string::npos);
  EXPECT_NE(r.body.find("secret.txt"), std::string::npos);
}

TEST_F(DashboardRoutesTest, EmbedsEveryFileOfRestUiWhenBuilt) {
  std::set<std::string> names;
  for (const EmbeddedFile& f : dashboard_files()) {
    EXPECT_FALSE(f.data.empty()) << f.name;
    names.insert(std::string(f.name));
  }

  EXPECT_EQ(names, (std::set<std::string>{"app.js", "index.html", "style.css"}));
}

TEST_F(DashboardRoutesTest, LeavesConnectRoutesAloneWhenDashboardIsServed) {
  HttpResponse r = get("/connectors");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "[]");
  EXPECT_TRUE(r.content_type.empty());
}

}  // namespace
}  // namespace kanal::rest
