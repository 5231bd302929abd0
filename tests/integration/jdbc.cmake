# connectors/jdbc against a real PostgreSQL server. kanal_test_postgres is the harness that
# starts one (tests/support/postgres_server.h); the e2e tests link it too.
add_library(kanal_test_postgres STATIC ${PROJECT_SOURCE_DIR}/tests/support/postgres_server.cc)
target_link_libraries(kanal_test_postgres PUBLIC kanal_test_support PRIVATE kanal_warnings)

kanal_add_test(jdbc_postgres_test LABEL integration
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/jdbc_postgres_test.cc
  LIBRARIES kanal_test_postgres kanal_jdbc_core)
