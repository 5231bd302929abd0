# REST security settings (rest/rest_security.h, rest/client/tls_settings.h): basic auth, CORS and
# TLS key resolution, without network. The https listener itself is tested end to end
# (tests/e2e/rest_security.cmake).
kanal_add_test(rest_security_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/rest_security_test.cc
  LIBRARIES kanal::rest kanal::rest_client kanal::rest_test_client)
