#include "rest/router.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <set>

namespace kanal::rest {
namespace {

// Splits a raw path into raw segments: "/a/b%20c" → {"a", "b%20c"}; "/" → {}. One trailing
// slash is ignored, as Jersey matches "/connectors/" like "/connectors".
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.starts_with("/")) path.remove_prefix(1);
  if (path.ends_with("/")) path.remove_suffix(1);
  if (path.empty()) return out;
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool is_int32(std::string_view s) {
  int32_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

std::string media_type(std::string_view content_type) {
  std::string_view t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  std::string out(t);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

const std::string& RouteRequest::param(std::string_view name) const {
  static const std::string kEmpty;
  auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

std::optional<std::string> RouteRequest::query_value(std::string_view key) const {
  for (const auto& [k, v] : query) {
    if (k == key) return v;
  }
  return std::nullopt;
}

std::vector<std::string> RouteRequest::query_values(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : query) {
    if (k == key) out.push_back(v);
  }
  return out;
}

void Router::add(std::string method, std::string_view pattern, Handler handler,
                 bool consumes_json) {
  Route r;
  r.method = std::move(method);
  r.handler = std::move(handler);
  r.consumes_json = consumes_json;
  for (std::string_view seg : split_path(pattern)) {
    Segment s;
    if (seg.starts_with("{") && seg.ends_with("}")) {
      std::string_view inner = seg.substr(1, seg.size() - 2);
      s.is_param = true;
      if (inner.ends_with(":int")) {
        s.is_int = true;
        inner.remove_suffix(4);
      }
      s.text = std::string(inner);
      r.pattern += "/{" + s.text + "}";
    } else {
      s.text = std::string(seg);
      r.pattern += "/" + s.text;
    }
    r.segments.push_back(std::move(s));
  }
  if (r.pattern.empty()) r.pattern = "/";
  routes_.push_back(std::move(r));
}

bool Router::match(const Route& route, const std::vector<std::string>& segments,
                   std::map<std::string, std::string, std::less<>>* params) {
  if (route.segments.size() != segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    const Segment& s = route.segments[i];
    if (!s.is_param) {
      if (s.text != segments[i]) return false;
    } else if (segments[i].empty() || (s.is_int && !is_int32(segments[i]))) {
      return false;
    }
  }
  if (params != nullptr) {
    params->clear();
    for (size_t i = 0; i < segments.size(); ++i) {
      if (route.segments[i].is_param) (*params)[route.segments[i].text] = segments[i];
    }
  }
  return true;
}

HttpResponse Router::dispatch(const HttpRequest& request) const {
  std::vector<std::string> segments;
  for (std::string_view raw : split_path(request.path)) {
    auto decoded = percent_decode(raw);
    if (!decoded) return error_response(404, "HTTP 404 Not Found");
    segments.push_back(std::move(*decoded));
  }
  // Jersey prefers literal segments over parameters: a route with more literal segments wins
  // when both match (none of Connect's routes overlap today; this keeps it that way).
  const Route* found = nullptr;
  const Route* found_get = nullptr;
  std::set<std::string> allowed;
  auto literal_count = [](const Route& r) {
    return std::count_if(r.segments.begin(), r.segments.end(),
                         [](const Segment& s) { return !s.is_param; });
  };
  for (const Route& r : routes_) {
    if (!match(r, segments, nullptr)) continue;
    allowed.insert(r.method);
    if (r.method == request.method &&
        (found == nullptr || literal_count(r) > literal_count(*found))) {
      found = &r;
    }
    if (r.method == "GET" &&
        (found_get == nullptr || literal_count(r) > literal_count(*found_get))) {
      found_get = &r;
    }
  }
  bool head = false;
  if (found == nullptr && request.method == "HEAD" && found_get != nullptr) {
    found = found_get;
    head = true;
  }
  if (found == nullptr) {
    if (allowed.empty()) {
      HttpResponse r = error_response(404, "HTTP 404 Not Found");
      if (request.method == "HEAD") r.body.clear();
      return r;
    }
    HttpResponse r = error_response(405, "HTTP 405 Method Not Allowed");
    std::string allow;
    for (const std::string& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    r.headers.emplace_back("Allow", allow);
    if (request.method == "HEAD") r.body.clear();
    return r;
  }
  if (found->consumes_json && !request.content_type.empty() &&
      media_type(request.content_type) != "application/json") {
    return error_response(415, "HTTP 415 Unsupported Media Type");
  }
  RouteRequest rr{request, {}, parse_query(request.query)};
  match(*found, segments, &rr.params);
  HttpResponse response = found->handler(rr);
  if (head) response.body.clear();
  return response;
}

std::vector<RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  for (const Route& r : routes_) out.push_back(RouteInfo{r.method, r.pattern});
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace kanal::rest
