#include "rest/ui.h"

#include <string>

namespace kanal::rest {
namespace {

// The page loads nothing but its own files and talks to nobody but this worker; the policy
// makes a browser refuse anything else, even if a connector name or trace ever slipped into
// markup.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

struct ContentType {
  std::string_view extension;
  std::string_view type;
};

constexpr ContentType kContentTypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".json", "application/json"},
};

}  // namespace

std::string_view dashboard_content_type(std::string_view name) {
  for (const ContentType& c : kContentTypes) {
    if (name.ends_with(c.extension)) return c.type;
  }
  return "application/octet-stream";
}

HttpResponse serve_dashboard(const RouteRequest& request) {
  std::string_view asset = request.param("asset");
  if (asset.empty()) {
    // The router matches "/ui" and "/ui/" alike; only "/ui/" makes "app.js" mean "/ui/app.js".
    if (!request.http.path.ends_with("/")) {
      HttpResponse redirect = empty_response(302);
      redirect.headers.emplace_back("Location", "/ui/");
      return redirect;
    }
    asset = "index.html";
  }
  for (const EmbeddedFile& f : dashboard_files()) {
    if (f.name != asset) continue;
    HttpResponse r;
    r.status = 200;
    r.body = std::string(f.data);
    r.content_type = std::string(dashboard_content_type(f.name));
    // A new worker version may bring a new page: browsers revalidate instead of reusing it.
    r.headers.emplace_back("Cache-Control", "no-cache");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
    return r;
  }
  return error_response(
      404, "The dashboard has no file '" + std::string(asset) + "'; open /ui/ for the dashboard");
}

}  // namespace kanal::rest
