# Build step (cmake -P): unpack the vendored Liberty file, check its sha256, and
# derive the synthesis library from it. Algorithm:
#  1. extract ARCHIVE (a .tar.xz holding NAME.lib; CMake's own libarchive, no xz
#     binary needed) into a scratch folder of OUT_DIR;
#  2. compare the sha256 of the extracted NAME.lib with SHA256 (fatal on mismatch);
#  3. NAME.synth.lib = NAME.lib with the line "        dont_use : true;" inserted
#     after the opening line `    cell ("X") {` of every cell X that matches a glob
#     pattern of DONT_USE (one pattern a line, `*` and `?` wildcards, `#` comments);
#  4. move both files into OUT_DIR (the .lib last, so an interrupted run re-runs).
# Variables: ARCHIVE, SHA256, DONT_USE, NAME, OUT_DIR.
cmake_minimum_required(VERSION 3.18)

foreach(v ARCHIVE SHA256 DONT_USE NAME OUT_DIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "prepare.cmake: -D${v}=... is required")
  endif()
endforeach()

set(scratch "${OUT_DIR}/${NAME}.unpack")
file(REMOVE_RECURSE "${scratch}")
file(MAKE_DIRECTORY "${scratch}")
file(ARCHIVE_EXTRACT INPUT "${ARCHIVE}" DESTINATION "${scratch}")
set(lib "${scratch}/${NAME}.lib")
if(NOT EXISTS "${lib}")
  message(FATAL_ERROR "${ARCHIVE}: does not contain ${NAME}.lib")
endif()
file(SHA256 "${lib}" got)
if(NOT got STREQUAL SHA256)
  file(REMOVE_RECURSE "${scratch}")
  message(FATAL_ERROR "${ARCHIVE}: ${NAME}.lib has sha256 ${got}, expected ${SHA256}")
endif()

# glob patterns -> one anchored regular expression
file(STRINGS "${DONT_USE}" lines)
set(patterns "")
foreach(line IN LISTS lines)
  string(STRIP "${line}" line)
  if(line STREQUAL "" OR line MATCHES "^#")
    continue()
  endif()
  string(REGEX REPLACE "([.+^$()|\\[\\]{}\\\\])" "\\\\\\1" re "${line}")
  string(REPLACE "*" ".*" re "${re}")
  string(REPLACE "?" "." re "${re}")
  list(APPEND patterns "${re}")
endforeach()
list(JOIN patterns "|" any)

file(READ "${lib}" text)
string(REGEX MATCHALL "\n    cell \\(\"[^\"]+\"\\) {\n" heads "${text}")
set(marked 0)
foreach(head IN LISTS heads)
  string(REGEX REPLACE "^\n    cell \\(\"([^\"]+)\"\\) {\n$" "\\1" cell "${head}")
  if(cell MATCHES "^(${any})$")
    string(REPLACE "${head}" "${head}        dont_use : true;\n" text "${text}")
    math(EXPR marked "${marked} + 1")
  endif()
endforeach()
if(marked EQUAL 0)
  message(FATAL_ERROR "${DONT_USE}: no cell of ${NAME}.lib matches")
endif()
file(WRITE "${scratch}/${NAME}.synth.lib" "${text}")

file(RENAME "${scratch}/${NAME}.synth.lib" "${OUT_DIR}/${NAME}.synth.lib")
file(RENAME "${lib}" "${OUT_DIR}/${NAME}.lib")
file(TOUCH "${OUT_DIR}/${NAME}.lib")
file(REMOVE_RECURSE "${scratch}")
message(STATUS "${NAME}: sha256 checked, ${marked} cells marked dont_use")
