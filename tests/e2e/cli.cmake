kanal_add_test(cli_test LABEL e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/cli_test.cc)
add_dependencies(cli_test kanal)
# The allocator `kanal --version` must report: the build links mimalloc into release builds.
if(KANAL_WITH_MIMALLOC)
  target_compile_definitions(cli_test PRIVATE KANAL_EXPECTED_ALLOCATOR="mimalloc")
else()
  target_compile_definitions(cli_test PRIVATE KANAL_EXPECTED_ALLOCATOR="system")
endif()
