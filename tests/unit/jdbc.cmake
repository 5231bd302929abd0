# connectors/jdbc: the SDK-free core (URLs, SQL text, type mapping, value codecs) and the SQLite
# database layer against files in temporary directories.
kanal_add_test(jdbc_core_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/jdbc_core_test.cc
  LIBRARIES kanal_jdbc_core)
