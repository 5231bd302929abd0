# Source offsets: the offsets-topic record codec and the standalone SQLite store. Included from
# CMakeLists.txt; adds to kanal_worker_storage.
target_sources(kanal_worker_storage PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/offset_codec.cc
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_offset_store.cc)
target_link_libraries(kanal_worker_storage
  PRIVATE SQLite::SQLite3 kanal_rapidjson
  PUBLIC kanal::worker_data)
