# worker/data: schema/value model and the built-in converters.
kanal_add_test(data_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/data_test.cc
  LIBRARIES kanal::worker_data)
kanal_add_test(json_converter_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/json_converter_test.cc
  LIBRARIES kanal::worker_data)
kanal_add_test(simple_converters_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/simple_converters_test.cc
  LIBRARIES kanal::worker_data)
