kanal_add_test(internal_topics_test LABEL integration
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/internal_topics_test.cc
  LIBRARIES kanal::worker_storage)
