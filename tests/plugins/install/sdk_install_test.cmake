# CTest script (label unit): installs the SDK into a scratch prefix, extracts the plugin guide's
# hello-world from docs/plugin-guide.md (each fenced block after `<!-- file: NAME -->`), builds
# it out of tree with find_package(kanal 1), and loads the result with kanal_plugin_probe.
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -DPROBE=... -P sdk_install_test.cmake
cmake_minimum_required(VERSION 3.25)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "Command failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
set(example ${WORK_DIR}/hello)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --component sdk --prefix ${prefix})
foreach(f include/kanal/kanal.h include/kanal/kanal.hpp lib/cmake/kanal/kanalConfig.cmake
    lib/cmake/kanal/kanalConfigVersion.cmake share/pkgconfig/kanal-sdk.pc)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "cmake --install did not install ${f}")
  endif()
endforeach()

file(READ ${SOURCE_DIR}/docs/plugin-guide.md guide)
string(REGEX MATCHALL "<!-- file: [^ ]+ -->\n```[a-z]*\n" markers "${guide}")
set(files "")
foreach(marker ${markers})
  string(REGEX REPLACE "<!-- file: ([^ ]+) -->.*" "\\1" name "${marker}")
  string(FIND "${guide}" "${marker}" start)
  string(LENGTH "${marker}" marker_len)
  math(EXPR body_start "${start} + ${marker_len}")
  string(SUBSTRING "${guide}" ${body_start} -1 rest)
  string(FIND "${rest}" "\n```" body_end)
  string(SUBSTRING "${rest}" 0 ${body_end} body)
  file(WRITE ${example}/${name} "${body}\n")
  list(APPEND files ${name})
endforeach()
if(NOT "CMakeLists.txt" IN_LIST files OR NOT "hello.cc" IN_LIST files)
  message(FATAL_ERROR "docs/plugin-guide.md lost its CMakeLists.txt or hello.cc block: ${files}")
endif()

run(${CMAKE_COMMAND} -S ${example} -B ${example}/build -G Ninja -DCMAKE_PREFIX_PATH=${prefix}
  -DCMAKE_CXX_FLAGS=-Werror)
run(${CMAKE_COMMAND} --build ${example}/build)
set(lib ${example}/build/libkanal-hello.so)
run(${PROBE} ${lib})
foreach(expected "source com.example.HelloSourceConnector 1.0.0"
    "sink com.example.HelloSinkConnector 1.0.0")
  string(FIND "${run_output}" "${expected}" found)
  if(found EQUAL -1)
    message(FATAL_ERROR "kanal_plugin_probe did not list '${expected}':\n${run_output}")
  endif()
endforeach()

# The pkg-config route: compile the same file with the flags kanal-sdk.pc gives.
find_program(pkg_config pkg-config)
if(pkg_config)
  set(ENV{PKG_CONFIG_PATH} ${prefix}/share/pkgconfig)
  run(${pkg_config} --cflags kanal-sdk)
  string(STRIP "${run_output}" cflags)
  run(${pkg_config} --variable=plugin_cxxflags kanal-sdk)
  string(STRIP "${run_output}" cxxflags)
  separate_arguments(flags UNIX_COMMAND "${cflags} ${cxxflags}")
  run(c++ -std=c++17 ${flags} -shared -Wl,--no-undefined ${example}/hello.cc
    -o ${WORK_DIR}/libkanal-hello-pc.so)
  run(${PROBE} ${WORK_DIR}/libkanal-hello-pc.so)
endif()
message(STATUS "SDK installed, guide example built and loaded")
