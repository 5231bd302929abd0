kanal_add_test(standalone_pipeline_test LABEL e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/standalone_pipeline_test.cc
  LIBRARIES kanal_test_worker kanal::worker_kafka)
add_dependencies(standalone_pipeline_test kanal kanal_connector_file)
