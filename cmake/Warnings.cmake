# Warning policy as a target: every arraycast target links it.
add_library(arraycast_warnings INTERFACE)
target_compile_options(arraycast_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
option(ARRAYCAST_WERROR "Treat warnings as errors" ON)
if(ARRAYCAST_WERROR)
  target_compile_options(arraycast_warnings INTERFACE -Werror)
endif()
