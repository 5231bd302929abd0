kanal_add_test(config_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/config_test.cc
  LIBRARIES kanal::worker_config)
