# The SBOM of the built psw (docs/sbom.md): target `sbom` (part of `all`) runs cmake/psw_sbom.py
# after psw is linked and writes <build>/psw.cdx.json; `cmake --install` puts it in
# share/psw/sbom/, where `psw sbom` of an installed psw finds it.
#
# Included from the top-level CMakeLists.txt once psw, psw_cli and psw_python exist, before the
# tests (which use PSW_SBOM_FILE and PSW_SBOM_PYTHON_FOR_TESTS). What CMake knows goes to
# the generator in one small file; what dpkg, ldd and npm know is asked at build time, so the
# SBOM is written again when psw is relinked, when dpkg's database changes (an apt install or
# upgrade), when the npm prefix changes, or when scripts/install-deps or the generator change.

find_program(PSW_DPKG_QUERY dpkg-query)
find_program(PSW_READELF readelf)
find_program(PSW_LDD ldd)
set(psw_sbom_default OFF)
if(PSW_DPKG_QUERY AND PSW_READELF AND PSW_LDD)
  set(psw_sbom_default ON)
endif()
option(PSW_BUILD_SBOM "Write the CycloneDX SBOM psw.cdx.json with every build (needs dpkg)"
  ${psw_sbom_default})
if(NOT PSW_BUILD_SBOM)
  message(STATUS "SBOM: off (PSW_BUILD_SBOM=OFF, or dpkg-query, readelf or ldd missing)")
  return()
endif()

if(DEFINED Python_EXECUTABLE)
  set(psw_sbom_python "${Python_EXECUTABLE}")
else()
  find_program(PSW_SBOM_PYTHON python3 HINTS /usr/bin REQUIRED)
  set(psw_sbom_python "${PSW_SBOM_PYTHON}")
endif()
# The tests' validator needs python3-jsonschema, a Debian package: Debian's interpreter.
set(PSW_SBOM_PYTHON_FOR_TESTS "${psw_sbom_python}")

# ---- what CMake found: the `psw --version` table, each entry with a file of its own ----------
# name | variable(s) holding a file or directory the package installed | targets psw links from it
set(psw_sbom_evidence
  "Eigen|Eigen3_DIR|^Eigen3::"
  "SUNDIALS|SUNDIALS_DIR|^SUNDIALS::"
  "HDF5|HDF5_C_INCLUDE_DIRS,HDF5_INCLUDE_DIRS|^HDF5::"
  "VTK|VTK_DIR|^VTK::"
  "OpenCV|OpenCV_DIR|^opencv_"
  "yaml-cpp|yaml-cpp_DIR|^yaml-cpp"
  "nlohmann_json|nlohmann_json_DIR|^nlohmann_json::"
  "CLI11|CLI11_DIR|^CLI11::"
  "spdlog|spdlog_DIR|^spdlog::"
  "fmt|fmt_DIR|^fmt::"
  "MPI|MPI_mpi_LIBRARY,MPI_CXX_HEADER_DIR|^MPI::"
  "Python|Python_EXECUTABLE|^Python::"
  "pybind11|pybind11_DIR|^pybind11::")

set(psw_sbom_targets psw psw_cli)
if(TARGET psw_python)
  list(APPEND psw_sbom_targets psw_python)
endif()
set(psw_sbom_links "")
foreach(target IN LISTS psw_sbom_targets)
  get_target_property(links ${target} LINK_LIBRARIES)
  if(links)
    list(APPEND psw_sbom_links ${links})
  endif()
endforeach()
if(TARGET psw_python)
  list(APPEND psw_sbom_links pybind11::module Python::Module)  # added by pybind11_add_module
endif()

get_property(psw_dep_versions GLOBAL PROPERTY PSW_DEP_VERSIONS)
set(psw_sbom_rows "")
foreach(entry IN LISTS psw_dep_versions)
  string(REPLACE "|" ";" entry "${entry}")
  list(GET entry 0 name)
  list(GET entry 1 version)
  set(path "")
  set(use "found")
  foreach(row IN LISTS psw_sbom_evidence)
    string(REPLACE "|" ";" row "${row}")
    list(GET row 0 row_name)
    if(NOT row_name STREQUAL name)
      continue()
    endif()
    list(GET row 1 variables)
    list(GET row 2 pattern)
    string(REPLACE "," ";" variables "${variables}")
    foreach(variable IN LISTS variables)
      if(path STREQUAL "" AND DEFINED ${variable} AND NOT "${${variable}}" MATCHES "NOTFOUND$")
        list(GET ${variable} 0 path)
      endif()
    endforeach()
    foreach(link IN LISTS psw_sbom_links)
      if(link MATCHES "${pattern}")
        set(use "linked")
      endif()
    endforeach()
  endforeach()
  string(APPEND psw_sbom_rows "${name}\t${version}\t${path}\t${use}\n")
endforeach()
set(psw_sbom_cmake_file "${PROJECT_BINARY_DIR}/sbom/cmake_packages.tsv")
file(WRITE "${psw_sbom_cmake_file}.in" "${psw_sbom_rows}")
configure_file("${psw_sbom_cmake_file}.in" "${psw_sbom_cmake_file}" COPYONLY)

# ---- psw's revision, at configure time -------------------------------------------------------
set(psw_git_describe "")
find_program(PSW_GIT git)
if(PSW_GIT)
  execute_process(COMMAND "${PSW_GIT}" describe --tags --always --dirty
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    OUTPUT_VARIABLE psw_git_describe OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE git_result ERROR_QUIET)
  if(NOT git_result EQUAL 0)
    set(psw_git_describe "")
  endif()
endif()

# ---- what re-triggers it ---------------------------------------------------------------------
set(psw_install_deps "${PROJECT_SOURCE_DIR}/scripts/install-deps")
set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  "${psw_install_deps}")
set(psw_sbom_depends "${PROJECT_SOURCE_DIR}/cmake/psw_sbom.py" "${psw_install_deps}"
  "${psw_sbom_cmake_file}" "${PROJECT_SOURCE_DIR}/data/sbom/spdx.SNAPSHOT.schema.json")
if(EXISTS /var/lib/dpkg/status)
  list(APPEND psw_sbom_depends /var/lib/dpkg/status)  # rewritten by every dpkg change
endif()
execute_process(COMMAND bash "${psw_install_deps}" --list
  OUTPUT_VARIABLE psw_deps_list RESULT_VARIABLE deps_result ERROR_QUIET)
if(deps_result EQUAL 0)
  string(REPLACE "\n" ";" psw_deps_list "${psw_deps_list}")
  foreach(line IN LISTS psw_deps_list)
    if(line MATCHES "^npm-prefix (.+)$")
      set(watched "${CMAKE_MATCH_1}/node_modules/.package-lock.json")  # npm rewrites it
    elseif(line MATCHES "^npm-dir (.+)$")
      set(watched "${CMAKE_MATCH_1}/package.json")
    else()
      continue()
    endif()
    if(EXISTS "${watched}")
      list(APPEND psw_sbom_depends "${watched}")
    endif()
  endforeach()
endif()

# ---- the target --------------------------------------------------------------------------------
set(PSW_SBOM_FILE "${PROJECT_BINARY_DIR}/psw.cdx.json")
set(psw_sbom_binaries "")
foreach(target IN LISTS psw_sbom_targets)
  list(APPEND psw_sbom_binaries --binary "$<TARGET_FILE:${target}>")
endforeach()
add_custom_command(OUTPUT "${PSW_SBOM_FILE}"
  COMMAND "${psw_sbom_python}" "${PROJECT_SOURCE_DIR}/cmake/psw_sbom.py"
    --install-deps "${psw_install_deps}"
    --cmake-packages "${psw_sbom_cmake_file}"
    --schema-dir "${PROJECT_SOURCE_DIR}/data/sbom"
    ${psw_sbom_binaries}
    --build-dir "${PROJECT_BINARY_DIR}"
    --psw-version "${PROJECT_VERSION}"
    --description "${PROJECT_DESCRIPTION}"
    --git-describe "${psw_git_describe}"
    --compiler "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}"
    -o "${PSW_SBOM_FILE}"
  DEPENDS ${psw_sbom_targets} ${psw_sbom_depends}
  COMMENT "Writing the SBOM psw.cdx.json"
  VERBATIM)
add_custom_target(sbom ALL DEPENDS "${PSW_SBOM_FILE}")
install(FILES "${PSW_SBOM_FILE}" DESTINATION "${CMAKE_INSTALL_DATADIR}/psw/sbom")
