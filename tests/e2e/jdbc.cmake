# connectors/jdbc through `kanal standalone`, the real broker and real databases (SQLite files,
# a PostgreSQL server started by tests/support/postgres_server.h).
add_library(kanal_test_postgres STATIC ${PROJECT_SOURCE_DIR}/tests/support/postgres_server.cc)
target_link_libraries(kanal_test_postgres PUBLIC kanal_test_support PRIVATE kanal_warnings)

kanal_add_test(jdbc_pipeline_test LABEL e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/jdbc_pipeline_test.cc
  LIBRARIES kanal_test_postgres kanal_jdbc_core)
add_dependencies(jdbc_pipeline_test kanal kanal_connector_jdbc)
