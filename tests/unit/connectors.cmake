# connectors/: the pure logic of the bundled plugins (line framing, numbering, accounting). The
# plugins themselves are loaded and run by the plugin and runtime tests.
kanal_add_test(connectors_file_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/connectors_file_test.cc)
target_include_directories(connectors_file_test PRIVATE ${PROJECT_SOURCE_DIR})
kanal_add_test(connectors_datagen_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/connectors_datagen_test.cc)
target_include_directories(connectors_datagen_test PRIVATE ${PROJECT_SOURCE_DIR})
