# REST layer tests (rest/). rest_server_test binds loopback ports only, like the librdkafka
# mock cluster other unit tests use; it starts no broker and no process.
kanal_add_test(rest_router_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/rest_router_test.cc
  LIBRARIES kanal::rest)
kanal_add_test(rest_api_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/rest_api_test.cc
  LIBRARIES kanal::rest kanal::rest_fake_herder)
kanal_add_test(rest_openapi_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/rest_openapi_test.cc
  LIBRARIES kanal::rest kanal::rest_fake_herder yaml-cpp)
target_compile_definitions(rest_openapi_test PRIVATE KANAL_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
kanal_add_test(rest_server_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/rest_server_test.cc
  LIBRARIES kanal::rest kanal::rest_fake_herder kanal::rest_test_client)
