# tests/bench: the raw librdkafka ceiling and the topic helper of the benchmark runner
# (tests/bench/run_bench.py, started by scripts/bench). A benchmark, not a test: no add_test.
add_executable(kanal_bench_ceiling ${CMAKE_CURRENT_LIST_DIR}/ceiling.cc)
target_link_libraries(kanal_bench_ceiling PRIVATE kanal_warnings PkgConfig::RDKAFKA)
