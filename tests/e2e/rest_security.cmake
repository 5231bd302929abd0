# REST security end to end (issue #10 part 3): https with a certificate made by the openssl CLI,
# basic authentication, CORS, start-up errors, and https forwarding between distributed workers.
kanal_add_test(rest_security_e2e_test LABEL e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/rest_security_test.cc
  LIBRARIES kanal_test_worker)
add_dependencies(rest_security_e2e_test kanal kanal_connector_file kanal_connector_datagen)
