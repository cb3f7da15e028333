# `cpack -G DEB` in the build directory: arraycast_<version>_<arch>.deb with
# the binary, its man page, a systemd unit and a default config. Maintainer
# scripts only reload systemd and stop the service on removal: the service is
# not enabled on install, because until its config names a real source it
# would stream random numbers (see packaging/postinst).
set(ARRAYCAST_PACKAGING ${PROJECT_SOURCE_DIR}/packaging)

install(TARGETS arraycast RUNTIME DESTINATION bin)
install(FILES ${ARRAYCAST_PACKAGING}/arraycast.service DESTINATION /lib/systemd/system)
install(FILES ${ARRAYCAST_PACKAGING}/arraycast.toml DESTINATION /etc/arraycast)

# The man page, from CLI11's --help of the binary and of each subcommand.
# help2man (scripts/deps.sh) is needed only to package: without it the build
# still works and `cpack` stops, saying why. Sanitized builds are not packaged
# (and their binary's exit status is the sanitizer's), so they skip it.
find_program(ARRAYCAST_HELP2MAN help2man)
set(ARRAYCAST_MAN_PAGE ${CMAKE_BINARY_DIR}/man/arraycast.1.gz)
if(ARRAYCAST_ASAN OR ARRAYCAST_TSAN)
  install(CODE [[message(FATAL_ERROR "a sanitized build is not packaged: use the release preset")]])
elseif(ARRAYCAST_HELP2MAN)
  add_custom_command(OUTPUT ${ARRAYCAST_MAN_PAGE}
    COMMAND ${CMAKE_COMMAND} -DBINARY=$<TARGET_FILE:arraycast> -DHELP2MAN=${ARRAYCAST_HELP2MAN}
            -DOUTPUT=${ARRAYCAST_MAN_PAGE} -P ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
    DEPENDS arraycast ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
    COMMENT "arraycast.1: the man page, from --help")
  add_custom_target(arraycast_man ALL DEPENDS ${ARRAYCAST_MAN_PAGE})
  install(FILES ${ARRAYCAST_MAN_PAGE} DESTINATION share/man/man1)
else()
  install(CODE [[message(FATAL_ERROR "help2man is needed for the man page: run scripts/deps.sh")]])
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME arraycast)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "arraycast maintainers <arraycast@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "streams packets of arrays to WebSocket clients")
set(CPACK_PACKAGE_DESCRIPTION
    "arraycast serves a live stream of numeric arrays (from a script, a command, UDP, a serial board or a
recording) to WebSocket clients, with resume after a reconnect, a dashboard and Prometheus metrics,
and records such a stream to files.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/arraycast/arraycast")
# Depends from the libraries the binary links (dpkg-shlibdeps, in dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)  # as Debian ships binaries: symbols would triple its size
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${ARRAYCAST_PACKAGING}/conffiles ${ARRAYCAST_PACKAGING}/postinst
    ${ARRAYCAST_PACKAGING}/prerm ${ARRAYCAST_PACKAGING}/postrm)
include(CPack)
