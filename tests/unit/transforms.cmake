# worker/transforms: Single Message Transforms, predicates and the transform chain.
kanal_add_test(transforms_test LABEL unit
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/transforms_field_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/transforms_cast_flatten_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/transforms_timestamp_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/transforms_record_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/transforms_chain_test.cc
  LIBRARIES kanal::worker_transforms)

# Micro-benchmark (not a test): ns/record of a 3-transform chain. Run bin/kanal_transforms_bench.
add_executable(kanal_transforms_bench ${CMAKE_CURRENT_LIST_DIR}/../bench/transforms_bench.cc)
target_link_libraries(kanal_transforms_bench PRIVATE kanal_warnings kanal::worker_transforms)
