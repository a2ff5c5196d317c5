# Helpers shared by libpsw's module folders.

# psw_add_module(NAME SOURCES src... [DEPS target...])
#
# Compiles one module's sources into an object library whose objects go into libpsw.
# DEPS are private to the module: their headers are visible only to these sources, so a
# module that touches HDF5 or OpenCV does not leak those headers to anybody else.
function(psw_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  set(target psw_${name}_obj)
  add_library(${target} OBJECT ${ARG_SOURCES})
  target_include_directories(${target} PRIVATE
    "${PROJECT_SOURCE_DIR}/libpsw/include" "${PROJECT_BINARY_DIR}/libpsw/generated")
  target_link_libraries(${target} PRIVATE Eigen3::Eigen ${ARG_DEPS})
  target_compile_options(${target} PRIVATE ${PSW_WARNINGS})
  target_sources(psw PRIVATE $<TARGET_OBJECTS:${target}>)
  if(ARG_DEPS)
    target_link_libraries(psw PRIVATE ${ARG_DEPS})
  endif()
endfunction()

# psw_embed_text(OUT_CPP SYMBOL FILE)
#
# Writes a C++ source defining `std::string_view SYMBOL()` in namespace psw::embedded that
# returns FILE's text, so the program carries its defaults without a data directory.
function(psw_embed_text out_cpp symbol file)
  file(READ "${file}" text)
  string(LENGTH "${text}" length)
  set(delimiter "psw_embed")
  configure_file("${PROJECT_SOURCE_DIR}/cmake/embed.cpp.in" "${out_cpp}" @ONLY)
  set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${file}")
endfunction()
