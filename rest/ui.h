// The dashboard: a web page (rest/ui/index.html, app.js, style.css) built into the worker and
// served under /ui/ by RestApi. It talks to the worker only through the REST API itself.
//
//   GET /ui          → 302 to /ui/ (so the page's relative asset URLs resolve under /ui/)
//   GET /ui/         → index.html
//   GET /ui/{asset}  → that file with its Content-Type; 404 for a name not built in
//
// The files are compiled into the binary at build time (cmake/embed_files.cmake), so the page
// needs nothing from disk or network at run time. Thread-safe; no I/O.
#pragma once

#include <span>
#include <string_view>

#include "rest/http_message.h"
#include "rest/router.h"

namespace kanal::rest {

// One file of rest/ui/, named by its path below rest/ui ("app.js"). `data` points at static
// storage that lives as long as the program.
struct EmbeddedFile {
  std::string_view name;
  std::string_view data;
};

// Every dashboard file, as generated from rest/ui/ at build time (ui_assets.cc in the build dir).
std::span<const EmbeddedFile> dashboard_files();

// The Content-Type the dashboard serves a file name with ("text/html; charset=utf-8" for .html,
// …; "application/octet-stream" for an unknown extension).
std::string_view dashboard_content_type(std::string_view name);

// Handler of GET /ui and GET /ui/{asset} (see the table above).
HttpResponse serve_dashboard(const RouteRequest& request);

}  // namespace kanal::rest
