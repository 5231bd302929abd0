#include <gtest/gtest.h>

#include "config/worker_config.h"
#include "rest/listener.h"
#include "rest/router.h"
#include "rest/url.h"

namespace kanal::rest {
namespace {

HttpResponse echo_params(const RouteRequest& r) {
  std::string out;
  for (const auto& [k, v] : r.params) out += k + "=" + v + ";";
  return json_response(out);
}

Router sample_router() {
  Router router;
  router.add("GET", "/items/{name}", echo_params);
  router.add("PUT", "/items/{name}", echo_params, /*consumes_json=*/true);
  router.add("GET", "/items/{name}/parts/{part:int}", echo_params);
  return router;
}

HttpResponse get(const Router& router, std::string path) {
  return router.dispatch(HttpRequest{"GET", std::move(path), "", "", "", ""});
}

TEST(UrlTest, DecodesPercentEscapesWhenSegmentIsEncoded) {
  EXPECT_EQ(percent_decode("my%20sink%2F1"), "my sink/1");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_EQ(percent_decode("a+b", /*plus_is_space=*/true), "a b");
}

TEST(UrlTest, RejectsEscapeWhenItIsMalformed) {
  EXPECT_EQ(percent_decode("bad%2"), std::nullopt);
  EXPECT_EQ(percent_decode("bad%zz"), std::nullopt);
}

TEST(UrlTest, EncodesEverythingButUnreservedWhenEncodingSegment) {
  EXPECT_EQ(percent_encode_segment("my sink/1-a_b.c~"), "my%20sink%2F1-a_b.c~");
  EXPECT_EQ(percent_encode_segment("é"), "%C3%A9");
}

TEST(UrlTest, KeepsRepeatedKeysInOrderWhenParsingQuery) {
  QueryParams q = parse_query("expand=status&expand=info&flag&x=a%20b");

  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[0], (std::pair<std::string, std::string>("expand", "status")));
  EXPECT_EQ(q[1], (std::pair<std::string, std::string>("expand", "info")));
  EXPECT_EQ(q[2], (std::pair<std::string, std::string>("flag", "")));
  EXPECT_EQ(q[3], (std::pair<std::string, std::string>("x", "a b")));
}

TEST(RouterTest, PassesDecodedParametersWhenPathMatches) {
  HttpResponse r = get(sample_router(), "/items/a%20b/parts/7");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "name=a b;part=7;");
}

TEST(RouterTest, MatchesWhenPathHasTrailingSlash) {
  EXPECT_EQ(get(sample_router(), "/items/x/").status, 200);
}

TEST(RouterTest, Returns404WhenIntParameterIsNotAnInteger) {
  EXPECT_EQ(get(sample_router(), "/items/x/parts/seven").status, 404);
  EXPECT_EQ(get(sample_router(), "/items/x/parts/99999999999").status, 404);
}

TEST(RouterTest, Returns404WhenSegmentIsEmpty) {
  EXPECT_EQ(get(sample_router(), "/items//parts/1").status, 404);
}

TEST(RouterTest, Returns404WhenEscapeIsMalformed) {
  EXPECT_EQ(get(sample_router(), "/items/a%zz").status, 404);
}

TEST(RouterTest, Returns405WithAllowHeaderWhenMethodIsNotRegistered) {
  HttpResponse r = sample_router().dispatch(HttpRequest{"DELETE", "/items/x", "", "", "", ""});

  EXPECT_EQ(r.status, 405);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>("Allow", "GET, PUT")));
}

TEST(RouterTest, AnswersHeadWithoutBodyWhenRouteIsUnknown) {
  HttpResponse r = sample_router().dispatch(HttpRequest{"HEAD", "/nothing", "", "", "", ""});

  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "");
}

TEST(RouterTest, Returns415WhenJsonRouteGetsOtherMediaType) {
  HttpResponse r =
      sample_router().dispatch(HttpRequest{"PUT", "/items/x", "", "a=b", "text/plain", ""});

  EXPECT_EQ(r.status, 415);
}

TEST(RouterTest, AcceptsBodyWhenContentTypeIsAbsent) {
  HttpResponse r = sample_router().dispatch(HttpRequest{"PUT", "/items/x", "", "{}", "", ""});

  EXPECT_EQ(r.status, 200);
}

TEST(RouterTest, ListsPatternsWithoutTypeSuffixWhenAskedForRoutes) {
  std::vector<RouteInfo> routes = sample_router().routes();

  std::vector<RouteInfo> expected = {
      {"GET", "/items/{name}"}, {"GET", "/items/{name}/parts/{part}"}, {"PUT", "/items/{name}"}};
  EXPECT_EQ(routes, expected);
}

TEST(ListenerTest, ParsesHostAndPortWhenListenerIsWellFormed) {
  auto l = parse_listener("http://localhost:8083");

  ASSERT_TRUE(l.ok()) << l.status().to_string();
  EXPECT_EQ(l->scheme, "http");
  EXPECT_EQ(l->host, "localhost");
  EXPECT_EQ(l->port, 8083);
}

TEST(ListenerTest, ParsesEmptyHostWhenListenerMeansAllInterfaces) {
  auto l = parse_listener("http://:8083");

  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->host, "");
  EXPECT_EQ(l->port, 8083);
}

TEST(ListenerTest, ParsesIpv6HostWhenBracketed) {
  auto l = parse_listener("https://[::1]:0");

  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->scheme, "https");
  EXPECT_EQ(l->host, "::1");
  EXPECT_EQ(l->port, 0);
}

TEST(ListenerTest, RejectsListenerWhenPortIsMissingOrBad) {
  EXPECT_FALSE(parse_listener("http://localhost").ok());
  EXPECT_FALSE(parse_listener("http://localhost:http").ok());
  EXPECT_FALSE(parse_listener("http://localhost:70000").ok());
  EXPECT_FALSE(parse_listener("ftp://localhost:21").ok());
}

config::WorkerConfig worker_config(config::ConfigMap extra) {
  config::ConfigMap props = {{"bootstrap.servers", "localhost:9092"},
                             {"key.converter", "org.apache.kafka.connect.json.JsonConverter"},
                             {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
                             {"offset.storage.file.filename", "/tmp/offsets.db"}};
  for (auto& [k, v] : extra) props[k] = v;
  auto c = config::WorkerConfig::create(props, config::WorkerMode::kStandalone);
  EXPECT_TRUE(c.ok()) << c.status().to_string();
  return c.value();
}

TEST(AdvertisedUrlTest, UsesListenerHostAndBoundPortWhenNothingIsAdvertised) {
  std::string url = advertised_url(worker_config({}), {{"http", "10.0.0.5", 41234}}, "myhost");

  EXPECT_EQ(url, "http://10.0.0.5:41234/");
}

TEST(AdvertisedUrlTest, UsesLocalHostNameWhenListenerHostIsEmpty) {
  std::string url = advertised_url(worker_config({}), {{"http", "", 8083}}, "myhost");

  EXPECT_EQ(url, "http://myhost:8083/");
}

TEST(AdvertisedUrlTest, UsesAdvertisedSettingsWhenTheyAreSet) {
  auto config = worker_config({{"rest.advertised.host.name", "public.example"},
                               {"rest.advertised.port", "9999"},
                               {"rest.advertised.listener", "https"}});

  std::string url = advertised_url(config, {{"http", "", 8083}}, "myhost");

  EXPECT_EQ(url, "https://public.example:9999/");
}

TEST(AdvertisedUrlTest, BracketsIpv6HostWhenListenerIsIpv6) {
  std::string url = advertised_url(worker_config({}), {{"http", "::1", 8083}}, "myhost");

  EXPECT_EQ(url, "http://[::1]:8083/");
}

}  // namespace
}  // namespace kanal::rest
