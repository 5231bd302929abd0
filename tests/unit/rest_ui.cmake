# The dashboard's routes (/ui/, rest/ui.h) on RestApi, without network or browser.
kanal_add_test(rest_ui_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/rest_ui_test.cc
  LIBRARIES kanal::rest kanal::rest_fake_herder)
