# Proves the test harness (tests/support) runs and talks to a real Apache Kafka broker.
kanal_add_test(broker_harness_test LABEL integration
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/broker_harness_test.cc)
# The orphan-JVM test starts kanal_test_broker and kills it with SIGKILL.
add_dependencies(broker_harness_test kanal_test_broker)
target_compile_definitions(broker_harness_test PRIVATE
  KANAL_TEST_BROKER_BINARY="$<TARGET_FILE:kanal_test_broker>")
