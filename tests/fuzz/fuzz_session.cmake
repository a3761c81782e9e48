# Short, bounded fuzzing sessions, run by ctest (tests/CMakeLists.txt), in two steps:
# - without FUZZ_TARGET: builds tests/fuzz with clang (CLANGXX) into FUZZ_BUILD_DIR (ccache
#   keeps rebuilds cheap); the session tests require this one as a fixture;
# - with FUZZ_TARGET: fuzzes that target for FUZZ_SECONDS from a scratch copy of the seeds
#   matched by FUZZ_SEEDS (a glob). Fails on anything the fuzzer finds: a crash, a sanitizer
#   report, a leak, an input slower than 10 s, or more than 2 GB of memory.
foreach(var SOURCE_DIR FUZZ_BUILD_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "fuzz_session.cmake needs -D${var}=...")
  endif()
endforeach()

if(NOT DEFINED FUZZ_TARGET)
  if(NOT DEFINED CLANGXX)
    message(FATAL_ERROR "fuzz_session.cmake needs -DCLANGXX=... to build")
  endif()
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
  return()
endif()

foreach(var FUZZ_SEEDS FUZZ_SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "fuzz_session.cmake needs -D${var}=... to fuzz")
  endif()
endforeach()

# A scratch corpus, so the session never writes into the source tree.
set(corpus "${FUZZ_BUILD_DIR}/corpus/${FUZZ_TARGET}")
file(REMOVE_RECURSE "${corpus}")
file(MAKE_DIRECTORY "${corpus}")
file(GLOB seeds "${FUZZ_SEEDS}")
if(NOT seeds)
  message(FATAL_ERROR "no seeds match ${FUZZ_SEEDS}")
endif()
file(COPY ${seeds} DESTINATION "${corpus}")
execute_process(
  COMMAND "${FUZZ_BUILD_DIR}/${FUZZ_TARGET}" -max_total_time=${FUZZ_SECONDS} -timeout=10
          -rss_limit_mb=2048 "-artifact_prefix=${FUZZ_BUILD_DIR}/${FUZZ_TARGET}-" "${corpus}"
  RESULT_VARIABLE fuzzed)
if(NOT fuzzed EQUAL 0)
  message(FATAL_ERROR "${FUZZ_TARGET} found a crash (input saved under ${FUZZ_BUILD_DIR})")
endif()
