kanal_add_test(runtime_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/runtime_test.cc
  LIBRARIES kanal::worker_runtime)
kanal_add_test(source_runner_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/source_runner_test.cc
  LIBRARIES kanal::worker_runtime)
