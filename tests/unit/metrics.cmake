# The metrics registry and the Prometheus page (worker/metrics/).
kanal_add_test(metrics_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/metrics_test.cc
  LIBRARIES kanal::worker_metrics)
