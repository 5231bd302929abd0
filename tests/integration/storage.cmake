# Distributed mode's Kafka-topic-backed stores against a real broker; one binary, one broker.
kanal_add_test(storage_distributed_test LABEL integration
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/storage_kafka_based_log_test.cc
          ${CMAKE_CURRENT_LIST_DIR}/storage_config_store_test.cc
          ${CMAKE_CURRENT_LIST_DIR}/storage_offset_store_test.cc
          ${CMAKE_CURRENT_LIST_DIR}/storage_status_store_test.cc
  LIBRARIES kanal::worker_storage)
