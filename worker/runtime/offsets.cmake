# kanal_worker_offsets: which source offsets may be committed (OffsetTracker, Connect's
# SubmittedRecords). Its own target so the runtime and its tests link it without the rest.
add_library(kanal_worker_offsets STATIC ${CMAKE_CURRENT_LIST_DIR}/offset_tracker.cc)
add_library(kanal::worker_offsets ALIAS kanal_worker_offsets)
target_link_libraries(kanal_worker_offsets
  PUBLIC kanal::worker_storage kanal::worker_data
  PRIVATE kanal_warnings)
