# Source offsets: the offsets-topic codec, the standalone SQLite store, the offset tracker.
kanal_add_test(offsets_codec_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/offsets_codec_test.cc
  LIBRARIES kanal::worker_storage)
kanal_add_test(offsets_sqlite_store_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/offsets_sqlite_store_test.cc
  LIBRARIES kanal::worker_storage SQLite::SQLite3)
kanal_add_test(offsets_tracker_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/offsets_tracker_test.cc
  LIBRARIES kanal::worker_offsets)
