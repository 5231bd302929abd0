# kanalctl (rest/kanalctl/): argument parsing, tables and commands against a scripted transport;
# no network. The binary against a running worker is tests/e2e/kanalctl.cmake.
kanal_add_test(kanalctl_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/kanalctl_test.cc
  LIBRARIES kanal::rest_kanalctl)
