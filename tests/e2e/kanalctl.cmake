# kanalctl end to end (issue #10 part 5): the built kanalctl binary run as an operator runs it,
# against a `kanal standalone` worker (real broker, FileStream connectors).
kanal_add_test(kanalctl_e2e_test LABEL e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/kanalctl_test.cc
  LIBRARIES kanal_test_worker kanal_rapidjson)
add_dependencies(kanalctl_e2e_test kanal kanalctl kanal_connector_file)
