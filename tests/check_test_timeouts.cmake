# TestTimeouts.EveryEntryNamesATest: every test test_timeouts.cmake names exists and carries
# the label slow it gives (ctest ignores properties set on a name it does not know, so a
# renamed test would otherwise silently lose its timeout).
#   cmake -DCTEST=<ctest> -DBUILD=<build dir> -DTABLE=<test_timeouts.cmake> -P check_test_timeouts.cmake

cmake_minimum_required(VERSION 3.16)

execute_process(COMMAND ${CTEST} --test-dir ${BUILD} --show-only=json-v1
                OUTPUT_VARIABLE listing ERROR_VARIABLE errors RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "ctest --show-only failed (${status}): ${errors}")
endif()
string(JSON count LENGTH "${listing}" tests)
math(EXPR last "${count} - 1")
set(slow_tests "")
foreach(i RANGE ${last})
  string(JSON name GET "${listing}" tests ${i} name)
  string(JSON properties ERROR_VARIABLE none GET "${listing}" tests ${i} properties)
  if(properties MATCHES "\"slow\"")
    list(APPEND slow_tests ${name})
  endif()
endforeach()

file(STRINGS ${TABLE} entries REGEX "^e3_slow_test\\(")
if(NOT entries)
  message(FATAL_ERROR "${TABLE}: no e3_slow_test entries")
endif()
foreach(entry IN LISTS entries)
  string(REGEX REPLACE "^e3_slow_test\\(([^ ]+) .*" "\\1" name "${entry}")
  if(NOT name IN_LIST slow_tests)
    message(FATAL_ERROR "${TABLE}: ${name} is not a test labelled slow (renamed or removed?)")
  endif()
endforeach()
list(LENGTH entries entry_count)
list(LENGTH slow_tests slow_count)
message(STATUS "${entry_count} entries of ${TABLE}, ${slow_count} tests labelled slow")
