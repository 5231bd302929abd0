# The dashboard (/ui/) end to end in headless Chromium (Debian's `chromium`, installed by
# scripts/setup), driven over the DevTools protocol with cpprestsdk's websocket client.
find_package(OpenSSL REQUIRED)
kanal_add_test(dashboard_e2e_test LABEL e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/dashboard_test.cc
          ${CMAKE_CURRENT_LIST_DIR}/headless_chromium.cc
  LIBRARIES kanal_test_worker kanal_rapidjson cpprestsdk::cpprest OpenSSL::SSL OpenSSL::Crypto)
add_dependencies(dashboard_e2e_test kanal kanal_connector_datagen)
