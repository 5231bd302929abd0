kanal_add_test(transforms_pipeline_test LABEL e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/transforms_pipeline_test.cc
  LIBRARIES kanal_test_worker)
add_dependencies(transforms_pipeline_test kanal kanal_connector_file)
