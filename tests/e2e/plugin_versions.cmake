# KIP-891 per-component plugin versions in a running worker (issue #3): the "versioned" test
# plugin (tests/plugins/, built by tests/unit/plugins.cmake) installed in two versions.
kanal_add_test(plugin_versions_pipeline_test LABEL e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/plugin_versions_pipeline_test.cc
  LIBRARIES kanal_test_worker)
target_compile_definitions(plugin_versions_pipeline_test PRIVATE
  KANAL_TEST_PLUGIN_DIR="${PROJECT_BINARY_DIR}/test-plugins")
add_dependencies(plugin_versions_pipeline_test kanal kanal_test_plugin_versioned-1
  kanal_test_plugin_versioned-2)
