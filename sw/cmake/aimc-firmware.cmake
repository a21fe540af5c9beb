# aimc_add_firmware(<name> SOURCES <files...> [NO_CONSOLE] [NO_TRAP_VECTOR]
#                   [DEFINITIONS <defs...>] [LIBRARIES <libs...>])
#
# Builds ${AIMC_SW_DIR}/<name>.elf from the sources, the crt, the HAL and (unless NO_CONSOLE)
# the UART console. NO_CONSOLE images touch no UART (they run on QEMU -M spike, which has none).
# NO_TRAP_VECTOR uses the crt that leaves mtvec at its reset value.
function(aimc_add_firmware name)
  cmake_parse_arguments(ARG "NO_CONSOLE;NO_TRAP_VECTOR" "" "SOURCES;DEFINITIONS;LIBRARIES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  if(ARG_NO_TRAP_VECTOR)
    target_link_libraries(${name} PRIVATE aimc_crt_bare)
  else()
    target_link_libraries(${name} PRIVATE aimc_crt)
  endif()
  target_link_libraries(${name} PRIVATE aimc_hal ${ARG_LIBRARIES})
  if(NOT ARG_NO_CONSOLE)
    target_link_libraries(${name} PRIVATE aimc_console)
  endif()
  target_compile_definitions(${name} PRIVATE ${ARG_DEFINITIONS})
  target_link_options(${name} PRIVATE
    -T${AIMC_SW_SOURCE_DIR}/linker/aimc.ld
    -Wl,--defsym=__ram_size=${AIMC_FW_RAM_SIZE}
    -Wl,--defsym=__stack_size=${AIMC_FW_STACK_SIZE}
    -Wl,-Map=${CMAKE_CURRENT_BINARY_DIR}/${name}.map)
  set_target_properties(${name} PROPERTIES
    OUTPUT_NAME ${name}
    SUFFIX .elf
    RUNTIME_OUTPUT_DIRECTORY ${AIMC_SW_DIR}
    LINK_DEPENDS ${AIMC_SW_SOURCE_DIR}/linker/aimc.ld)
endfunction()
