# A short, bounded fuzzing session, run by ctest: builds tests/fuzz with clang into
# FUZZ_BUILD_DIR (ccache keeps rebuilds cheap) and fuzzes the file-tree reader from the shipped
# trees for FUZZ_SECONDS. Fails on a build error or on anything the fuzzer finds.
foreach(var SOURCE_DIR FUZZ_BUILD_DIR CLANGXX FUZZ_SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "fuzz_session.cmake needs -D${var}=...")
  endif()
endforeach()

set(launcher "")
find_program(CCACHE ccache)
if(CCACHE)
  set(launcher "-DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE}")
endif()
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}/tests/fuzz" -B "${FUZZ_BUILD_DIR}" -G Ninja
          "-DCMAKE_CXX_COMPILER=${CLANGXX}" ${launcher}
  RESULT_VARIABLE configured)
if(NOT configured EQUAL 0)
  message(FATAL_ERROR "configuring the fuzz build failed")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${FUZZ_BUILD_DIR}" RESULT_VARIABLE built)
if(NOT built EQUAL 0)
  message(FATAL_ERROR "building the fuzz targets failed")
endif()

# A scratch corpus, so the session never writes into the source tree.
file(REMOVE_RECURSE "${FUZZ_BUILD_DIR}/corpus")
file(MAKE_DIRECTORY "${FUZZ_BUILD_DIR}/corpus")
file(GLOB seeds "${SOURCE_DIR}/templates/*.json")
file(COPY ${seeds} DESTINATION "${FUZZ_BUILD_DIR}/corpus")
execute_process(
  COMMAND "${FUZZ_BUILD_DIR}/fuzz_filetree_template" -max_total_time=${FUZZ_SECONDS} -timeout=10
          -rss_limit_mb=2048 "-artifact_prefix=${FUZZ_BUILD_DIR}/" "${FUZZ_BUILD_DIR}/corpus"
  RESULT_VARIABLE fuzzed)
if(NOT fuzzed EQUAL 0)
  message(FATAL_ERROR "the fuzzer found a crash (input saved under ${FUZZ_BUILD_DIR})")
endif()
