// Router: matches (method, path) against a table of route patterns and calls the handler, with
// Kafka Connect's (Jersey's) answers for what matches nothing: 404 for an unknown path, 405 for
// a known path with another method, 415 for a body that is not JSON. No I/O; thread-safe once
// built (add() before the first dispatch()).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rest/http_message.h"
#include "rest/url.h"

namespace kanal::rest {

// One row of the route table as the OpenAPI document spells it:
// {"GET", "/connectors/{name}/tasks/{task}/status"}.
struct RouteInfo {
  std::string method;
  std::string path;
  friend bool operator==(const RouteInfo&, const RouteInfo&) = default;
  friend auto operator<=>(const RouteInfo&, const RouteInfo&) = default;
};

// What a handler sees: the request, its percent-decoded path parameters and its query.
struct RouteRequest {
  const HttpRequest& http;
  std::map<std::string, std::string, std::less<>> params;
  QueryParams query;

  // The decoded path parameter `name` ("" when the route has none of that name).
  const std::string& param(std::string_view name) const;
  // First value of query parameter `key`, nullopt when absent.
  std::optional<std::string> query_value(std::string_view key) const;
  // Every value of `key`, in request order.
  std::vector<std::string> query_values(std::string_view key) const;
};

using Handler = std::function<HttpResponse(const RouteRequest&)>;

class Router {
 public:
  // Registers `handler` for `method` on `pattern`: literal segments and parameters, e.g.
  // "/connectors/{name}/tasks/{task:int}/status". A `:int` parameter only matches a 32-bit
  // integer (Jersey answers 404 for "/tasks/abc/status"). `consumes_json`: a request with a
  // Content-Type other than application/json gets 415.
  void add(std::string method, std::string_view pattern, Handler handler,
           bool consumes_json = false);

  // Routes `request`. HEAD runs the GET handler and drops the body, as Jersey does. Handlers'
  // exceptions propagate (the caller owns the catch-all boundary).
  HttpResponse dispatch(const HttpRequest& request) const;

  // Every (method, pattern) registered, patterns without ":int", sorted.
  std::vector<RouteInfo> routes() const;

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool is_param = false;
    bool is_int = false;
  };
  struct Route {
    std::string method;
    std::vector<Segment> segments;
    std::string pattern;  // as routes() reports it
    Handler handler;
    bool consumes_json = false;
  };

  static bool match(const Route& route, const std::vector<std::string>& segments,
                    std::map<std::string, std::string, std::less<>>* params);

  std::vector<Route> routes_;
};

}  // namespace kanal::rest
