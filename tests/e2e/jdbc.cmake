# connectors/jdbc through `kanal standalone`, the real broker and real databases (SQLite files,
# a PostgreSQL server from kanal_test_postgres, defined in tests/integration/jdbc.cmake).
kanal_add_test(jdbc_pipeline_test LABEL e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/jdbc_pipeline_test.cc
  LIBRARIES kanal_test_postgres kanal_jdbc_core)
add_dependencies(jdbc_pipeline_test kanal kanal_connector_jdbc)
