# Distributed mode end to end: several `kanal distributed` processes against the real broker.
kanal_add_test(distributed_cluster_test LABEL e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/distributed_cluster_test.cc
  LIBRARIES kanal_test_worker)
add_dependencies(distributed_cluster_test kanal kanal_connector_file kanal_connector_datagen)
