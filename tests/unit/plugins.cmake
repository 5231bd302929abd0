# Plugin SDK and loader tests (issue #3). The test plugins are real shared libraries built by
# tests/plugins/; the tests find them under <build>/test-plugins/.
add_subdirectory(${PROJECT_SOURCE_DIR}/tests/plugins ${PROJECT_BINARY_DIR}/tests/plugins)
get_property(kanal_test_plugin_targets GLOBAL PROPERTY KANAL_TEST_PLUGIN_TARGETS)

kanal_add_test(plugin_loader_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/plugin_loader_test.cc
  LIBRARIES kanal::worker_plugins)
target_compile_definitions(plugin_loader_test PRIVATE
  KANAL_TEST_PLUGIN_DIR="${PROJECT_BINARY_DIR}/test-plugins"
  KANAL_BUNDLED_PLUGIN_DIR="${KANAL_PLUGIN_OUTPUT_DIR}")
add_dependencies(plugin_loader_test ${kanal_test_plugin_targets} kanal_connector_file)

# The SDK's SourceRun against the worker's host table, in one process (ABI 1.1 and 1.0 hosts).
kanal_add_test(plugin_sdk_source_run_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/plugin_sdk_source_run_test.cc
  LIBRARIES kanal::worker_plugins kanal::sdk)

kanal_add_test(plugin_registry_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/plugin_registry_test.cc
  LIBRARIES kanal::worker_plugins)

# The SDK headers must build as C++17 and C++20 (compile-only targets, part of `all`).
foreach(std 17 20)
  add_library(kanal_sdk_cxx${std}_check OBJECT ${CMAKE_CURRENT_LIST_DIR}/plugin_sdk_compile_check.cc)
  target_link_libraries(kanal_sdk_cxx${std}_check PRIVATE kanal::sdk)
  target_compile_options(kanal_sdk_cxx${std}_check PRIVATE -Wall -Wextra -Wpedantic -Werror)
  set_target_properties(kanal_sdk_cxx${std}_check PROPERTIES CXX_STANDARD ${std}
    CXX_EXTENSIONS OFF)
endforeach()
add_library(kanal_sdk_c99_check OBJECT ${CMAKE_CURRENT_LIST_DIR}/plugin_sdk_compile_check.c)
target_link_libraries(kanal_sdk_c99_check PRIVATE kanal::sdk)
target_compile_options(kanal_sdk_c99_check PRIVATE -Wall -Wextra -pedantic -Werror)
set_target_properties(kanal_sdk_c99_check PROPERTIES C_STANDARD 99 C_EXTENSIONS OFF)

# The plugin guide's hello-world, built out of tree against the installed SDK and loaded.
add_test(NAME plugin_sdk_install_test COMMAND ${CMAKE_COMMAND}
  -DBUILD_DIR=${PROJECT_BINARY_DIR} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
  -DWORK_DIR=${PROJECT_BINARY_DIR}/sdk-install-test -DPROBE=$<TARGET_FILE:kanal_plugin_probe>
  -P ${PROJECT_SOURCE_DIR}/tests/plugins/install/sdk_install_test.cmake)
set_tests_properties(plugin_sdk_install_test PROPERTIES LABELS unit TIMEOUT 300)

# Plugin transformations, predicates and converters in the worker registries and the plugin
# listing (register_plugin_components, RegistryCatalog).
kanal_add_test(plugin_components_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/plugin_components_test.cc
  LIBRARIES kanal::worker_plugins kanal::worker_runtime)
target_compile_definitions(plugin_components_test PRIVATE
  KANAL_TEST_PLUGIN_DIR="${PROJECT_BINARY_DIR}/test-plugins")
add_dependencies(plugin_components_test ${kanal_test_plugin_targets})
