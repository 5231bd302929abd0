# Issue #10 parts 2 and 4: config providers, client override policy and hardening, JSON logs.
kanal_add_test(config_providers_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/config_providers_test.cc
  LIBRARIES kanal::worker_config)
kanal_add_test(client_overrides_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/client_overrides_test.cc
  LIBRARIES kanal::worker_runtime)
kanal_add_test(log_format_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/log_format_test.cc
  LIBRARIES kanal::worker_common kanal_rapidjson)
