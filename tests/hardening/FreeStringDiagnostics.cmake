# Fails when a compiler diagnostic is built from a free string instead of a CAMP_MESSAGE row.
# usage: cmake -DSOURCE_DIR=<repo> -DALLOWED=<n> -P FreeStringDiagnostics.cmake
# The pattern is the one issue 14 counts with grep; ALLOWED is the number of sites not converted
# yet, and the count must equal it (a ratchet): a new free-string site makes the count exceed it,
# a converted one asks for ALLOWED to be lowered. Every site is converted now (ALLOWED=0), and
# DiagnosticEngine::report(Kind, range, string) is private to the typed diag::report<…>.
cmake_policy(SET CMP0007 NEW)
set(dirs sema lower frontend syntax driver tooling)
set(sites "")
set(count 0)
foreach(dir ${dirs})
  file(GLOB_RECURSE files "${SOURCE_DIR}/compiler/${dir}/*.cpp")
  foreach(f ${files})
    file(STRINGS "${f}" lines REGEX "report\\(")
    foreach(line IN LISTS lines)
      if(line MATCHES "report<")
        continue()
      endif()
      if(line MATCHES "diag::Kind|report\\(k|report\\(r\\.kind|report\\(kind")
        file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
        string(STRIP "${line}" line)
        string(REPLACE ";" "," line "${line}") # a list separator in CMake
        math(EXPR count "${count} + 1")
        list(APPEND sites "${rel}: ${line}")
      endif()
    endforeach()
  endforeach()
endforeach()
message(STATUS "free-string diagnostic sites: ${count} (allowed: ${ALLOWED})")
if(count GREATER ALLOWED)
  list(JOIN sites "\n  " shown)
  message(FATAL_ERROR "report a CAMP_MESSAGE template with diag::report<diag::msg::Id>(…) "
                      "instead of a free string (see docs/architecture.md):\n  ${shown}")
elseif(count LESS ALLOWED)
  message(FATAL_ERROR "only ${count} free-string diagnostic sites are left: lower ALLOWED to ${count} "
                      "in tests/hardening/CMakeLists.txt, so the count can never go back up")
endif()
