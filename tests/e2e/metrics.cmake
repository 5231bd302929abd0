# GET /metrics end to end (issue #10): `kanal standalone` moving 10,000 records through
# FileStreamSource and FileStreamSink, its Prometheus page read as a scraper reads it.
kanal_add_test(metrics_e2e_test LABEL e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/metrics_endpoint_test.cc
  LIBRARIES kanal_test_worker)
add_dependencies(metrics_e2e_test kanal kanal_connector_file)
