// RestApi's GET /metrics: the Prometheus page (worker/metrics/prometheus.h). Connector and task
// states come from the Herder, as for GET /connectors/{name}/status; counters from the
// process's metrics registry. Only what runs on this worker is shown, as Kafka Connect's
// per-worker metrics do.
#include <string>

#include "metrics/metrics.h"
#include "metrics/prometheus.h"
#include "rest/rest_api.h"

namespace kanal::rest {

HttpResponse RestApi::metrics_page(const RouteRequest&) {
  metrics::WorkerView view;
  const std::string me = herder_.worker_id();
  // The herder may refuse while it is not ready or rebalancing: the page then has the
  // counters without the connector and task states, rather than failing the scrape.
  auto names = herder_.connectors();
  if (names.ok()) {
    for (const std::string& name : *names) {
      auto status = herder_.connector_status(name);
      if (!status.ok()) continue;
      metrics::ConnectorView c;
      c.name = name;
      c.type = herder::connector_type_name(status->type);
      if (status->connector.worker_id == me) {
        c.state = status->connector.state;
        c.version = status->connector.version.value_or("");
        auto config = herder_.connector_config(name);
        if (config.ok()) {
          auto it = config->find("connector.class");
          if (it != config->end()) c.class_name = it->second;
        }
      }
      for (const herder::TaskState& t : status->tasks) {
        if (t.state.worker_id == me) c.tasks.emplace_back(t.id, t.state.state);
      }
      view.connectors.push_back(std::move(c));
    }
  }
  HttpResponse r;
  r.body = metrics::render_page(metrics::Registry::global(), view, metrics::Clock::now());
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return r;
}

}  // namespace kanal::rest
