# ONNX Runtime for the classifier (DESIGN.md section 4): optional, never linked.
#
# psw compiles its ONNX Runtime engine when onnxruntime_c_api.h is found, and loads the library
# with dlopen at run time. The library path found here becomes psw's default (the run-time
# variable PSW_ONNXRUNTIME_LIBRARY overrides it). Looked for in, in order:
#   -DPSW_ONNXRUNTIME_ROOT=<dir> or $PSW_ONNXRUNTIME_ROOT (a user's own install: include/, lib/),
#   scripts/install-deps' cache ($PSW_ONNXRUNTIME_DIR, ~/.cache/psw/onnxruntime-<version>),
#   then the system prefixes (/usr/local/include/onnxruntime, ...).
# Sets PSW_ONNXRUNTIME_INCLUDE_DIR, PSW_ONNXRUNTIME_LIBRARY (both cache variables).
set(PSW_ONNXRUNTIME_ROOT "$ENV{PSW_ONNXRUNTIME_ROOT}" CACHE PATH
  "An ONNX Runtime install (include/, lib/) to build the onnxruntime engine against")
set(psw_ort_hints "")
if(PSW_ONNXRUNTIME_ROOT)
  list(APPEND psw_ort_hints "${PSW_ONNXRUNTIME_ROOT}")
endif()
if(DEFINED ENV{PSW_ONNXRUNTIME_DIR})
  list(APPEND psw_ort_hints "$ENV{PSW_ONNXRUNTIME_DIR}")
endif()
if(DEFINED ENV{XDG_CACHE_HOME})
  file(GLOB psw_ort_cache "$ENV{XDG_CACHE_HOME}/psw/onnxruntime-*")
else()
  file(GLOB psw_ort_cache "$ENV{HOME}/.cache/psw/onnxruntime-*")
endif()
list(SORT psw_ort_cache COMPARE NATURAL ORDER DESCENDING)  # newest version first
list(APPEND psw_ort_hints ${psw_ort_cache})

find_path(PSW_ONNXRUNTIME_INCLUDE_DIR onnxruntime_c_api.h
  HINTS ${psw_ort_hints}
  PATH_SUFFIXES include include/onnxruntime include/onnxruntime/core/session
  DOC "Directory holding onnxruntime_c_api.h")
find_library(PSW_ONNXRUNTIME_LIBRARY NAMES onnxruntime libonnxruntime.so.1
  HINTS ${psw_ort_hints}
  PATH_SUFFIXES lib lib64
  DOC "ONNX Runtime's shared library, psw's default for dlopen")

if(PSW_ONNXRUNTIME_INCLUDE_DIR)
  file(STRINGS "${PSW_ONNXRUNTIME_INCLUDE_DIR}/onnxruntime_c_api.h" psw_ort_api
    REGEX "^#define ORT_API_VERSION [0-9]+")
  string(REGEX REPLACE ".* ([0-9]+)$" "\\1" PSW_ONNXRUNTIME_API_VERSION "${psw_ort_api}")
  message(STATUS "ONNX Runtime engine: header ${PSW_ONNXRUNTIME_INCLUDE_DIR} "
                 "(API ${PSW_ONNXRUNTIME_API_VERSION}), default library "
                 "${PSW_ONNXRUNTIME_LIBRARY}")
else()
  message(STATUS "ONNX Runtime engine: compiled out (onnxruntime_c_api.h not found; run "
                 "scripts/install-deps or set PSW_ONNXRUNTIME_ROOT); OpenCV dnn only")
endif()
