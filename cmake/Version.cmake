# Version and git SHA, baked into generated/config.hpp for `arraycast --version`.
# Included at configure time, it adds a target that runs this file again in
# script mode at every build, so the SHA follows new commits; configure_file
# rewrites the header only when it changed, so nothing else rebuilds.
if(CMAKE_SCRIPT_MODE_FILE)
  execute_process(COMMAND git rev-parse --short HEAD
    WORKING_DIRECTORY ${SOURCE_DIR}
    OUTPUT_VARIABLE ARRAYCAST_GIT_SHA OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT ARRAYCAST_GIT_SHA)
    set(ARRAYCAST_GIT_SHA "unknown")
  endif()
  configure_file(${SOURCE_DIR}/cmake/config.hpp.in ${OUTPUT} @ONLY)
  return()
endif()

set(ARRAYCAST_CONFIG_HPP ${CMAKE_BINARY_DIR}/generated/config.hpp)
add_custom_target(arraycast_version
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUTPUT=${ARRAYCAST_CONFIG_HPP}
          -DPROJECT_VERSION=${PROJECT_VERSION} -P ${CMAKE_CURRENT_LIST_FILE}
  BYPRODUCTS ${ARRAYCAST_CONFIG_HPP}
  COMMENT "arraycast --version: the git commit")
