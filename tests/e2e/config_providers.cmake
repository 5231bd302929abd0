# Config providers, client-override hardening and JSON logs end to end (issue #10, parts 2/4).
kanal_add_test(config_providers_e2e_test LABEL e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/config_providers_test.cc
  LIBRARIES kanal_test_worker kanal_rapidjson)
add_dependencies(config_providers_e2e_test kanal kanal_connector_file)
