# KIP-891 version selection for converters, transformations and predicates (issue #3): the
# "versioned" test plugin built as 1.0.0 and 2.0.0 (tests/plugins/, added by plugins.cmake).
kanal_add_test(plugin_versions_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/plugin_versions_test.cc
  LIBRARIES kanal::worker_herder kanal::worker_plugins kanal::worker_runtime)
target_compile_definitions(plugin_versions_test PRIVATE
  KANAL_TEST_PLUGIN_DIR="${PROJECT_BINARY_DIR}/test-plugins")
add_dependencies(plugin_versions_test kanal_test_plugin_versioned-1 kanal_test_plugin_versioned-2)
