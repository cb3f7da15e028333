# Version and git SHA, baked into config.hpp for `arraycast --version`.
execute_process(COMMAND git rev-parse --short HEAD
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
  OUTPUT_VARIABLE ARRAYCAST_GIT_SHA OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT ARRAYCAST_GIT_SHA)
  set(ARRAYCAST_GIT_SHA "unknown")
endif()
configure_file(${CMAKE_SOURCE_DIR}/cmake/config.hpp.in ${CMAKE_BINARY_DIR}/generated/config.hpp @ONLY)
