# Script mode (cmake -P), from Package.cmake: arraycast.1.gz by help2man from
# `arraycast --help`, with one section per subcommand holding its own --help,
# so `man arraycast` documents every flag. Needs BINARY, HELP2MAN and OUTPUT.
execute_process(COMMAND ${BINARY} --help OUTPUT_VARIABLE help COMMAND_ERROR_IS_FATAL ANY)
# CLI11 lists the subcommands under "Subcommands:", one "  name  description" a line.
string(REGEX REPLACE ".*Subcommands:\n" "" listing "${help}")
string(REGEX MATCHALL "(^|\n)  [a-z]+ " names "${listing}")

set(include "")
foreach(name ${names})
  string(STRIP "${name}" name)
  execute_process(COMMAND ${BINARY} ${name} --help OUTPUT_VARIABLE text COMMAND_ERROR_IS_FATAL ANY)
  string(REPLACE "${BINARY}" "arraycast" text "${text}")
  # Verbatim in roff: backslashes escaped, no line read as a request.
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  string(APPEND include "[COMMAND: ${name}]\n.nf\n${text}\n.fi\n")
endforeach()
if(include STREQUAL "")
  message(FATAL_ERROR "ManPage.cmake: found no subcommands in `arraycast --help`")
endif()
get_filename_component(dir ${OUTPUT} DIRECTORY)
file(WRITE ${dir}/commands.h2m "${include}")

execute_process(COMMAND ${HELP2MAN} --no-info --section 1 --include ${dir}/commands.h2m
                        --name "streams packets of arrays to WebSocket clients" --output ${dir}/arraycast.1 ${BINARY}
                COMMAND_ERROR_IS_FATAL ANY)
# Debian installs man pages compressed, without a timestamp (reproducible).
execute_process(COMMAND gzip -9nf ${dir}/arraycast.1 COMMAND_ERROR_IS_FATAL ANY)
