# Kafka-topic-backed stores for distributed mode: the KafkaBasedLog and, on it, the offset,
# config and status stores. Included from CMakeLists.txt; adds to kanal_worker_storage.
target_sources(kanal_worker_storage PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/kafka_based_log.cc
  ${CMAKE_CURRENT_LIST_DIR}/kafka_offset_store.cc
  ${CMAKE_CURRENT_LIST_DIR}/config_store.cc
  ${CMAKE_CURRENT_LIST_DIR}/status_topic_store.cc)
target_link_libraries(kanal_worker_storage PRIVATE kanal_rapidjson)
