# worker/transforms: Single Message Transforms, predicates and the transform chain.
kanal_add_test(transforms_test LABEL unit
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/transforms_field_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/transforms_cast_flatten_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/transforms_timestamp_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/transforms_record_test.cc
  LIBRARIES kanal::worker_transforms)
