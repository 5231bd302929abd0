# kanal_add_connector(<name> SOURCES <files...> [LIBRARIES <targets...>])
#
# Builds a bundled plugin exactly as a third party would: a MODULE library with hidden
# visibility, linked against the SDK only, placed in <build>/plugins/<name>/. `--no-undefined`
# makes any stray dependency on the worker fail the link.
#
# GCC marks static locals of inline functions and static members of templates that come from
# default-visibility headers (the standard library's) as STB_GNU_UNIQUE, which glibc binds
# process-wide despite RTLD_LOCAL and which pins the library in memory. `-fno-gnu-unique` keeps
# such tables local to each plugin. RPATH `$ORIGIN` lets a plugin find the private shared
# libraries in its own folder (plugin.path entries are one folder per plugin).
function(kanal_add_connector name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  set(target kanal_connector_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE kanal::sdk kanal_warnings ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME kanal-${name}
    PREFIX lib
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    BUILD_RPATH "$ORIGIN"
    INSTALL_RPATH "$ORIGIN"
    LIBRARY_OUTPUT_DIRECTORY ${KANAL_PLUGIN_OUTPUT_DIR}/${name})
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANG_AND_ID:CXX,GNU>:-fno-gnu-unique>
    $<$<COMPILE_LANG_AND_ID:C,GNU>:-fno-gnu-unique>)
  if(NOT KANAL_SANITIZE)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
endfunction()
