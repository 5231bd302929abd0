# The test harness's own unit tests (no broker): Process, eventually(), TempDir, ports.
kanal_add_test(test_support_test LABEL unit
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/support/eventually_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/support/process_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/support/temp_dir_test.cc)
