kanal_add_test(cli_test LABEL e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/cli_test.cc)
add_dependencies(cli_test kanal)
