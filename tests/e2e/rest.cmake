# REST API end to end (issue #5): `kanal standalone` driven over HTTP with a real client.
# One binary, one broker: every endpoint and error case against a shared worker, then a
# concurrency check against a worker of its own.
kanal_add_test(rest_e2e_test LABEL e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/rest_endpoints_test.cc
          ${CMAKE_CURRENT_LIST_DIR}/rest_concurrency_test.cc
          ${CMAKE_CURRENT_LIST_DIR}/rest_robustness_test.cc
  LIBRARIES kanal_test_worker kanal_rapidjson)
add_dependencies(rest_e2e_test kanal kanal_connector_file kanal_connector_datagen)
