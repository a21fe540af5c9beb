# Finds the RISC-V bare-metal GCC and picolibc's rv32imac/ilp32 build; fails naming the Debian
# packages when they are missing. Used by the host-side configure (sw/CMakeLists.txt) so a
# missing toolchain stops the first configure, and by riscv32-toolchain.cmake.
#
# In (optional cache variables):
#   AIMC_RISCV_GCC         the cross gcc (searched on PATH if unset)
#   AIMC_PICOLIBC_DIR      picolibc's root with include/ and lib/ (derived from gcc's prefix)
#   AIMC_PICOLIBC_VARIANT  "release" (speed-optimised, default) or "" (size-optimised)
# Out:
#   AIMC_RISCV_GCC, AIMC_RISCV_TOOL_PREFIX (e.g. /usr/bin/riscv64-unknown-elf-),
#   AIMC_PICOLIBC_INCLUDE_DIR, AIMC_PICOLIBC_LIB_DIR, AIMC_LIBGCC_DIR
#
# Debian ships one multilib GCC and picolibc per multilib. GCC 12 needs "_zicsr_zifencei" in
# -march for csr*/fence.i, but with that suffix its multilib matcher no longer finds
# rv32imac/ilp32 (picolibc.specs would then pick the rv64 libraries), so the directories are
# resolved here with the plain ISA string and passed explicitly.

set(_aimc_pkgs "gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf picolibc-riscv64-unknown-elf")

if(NOT AIMC_RISCV_GCC)
  find_program(AIMC_RISCV_GCC NAMES riscv64-unknown-elf-gcc riscv32-unknown-elf-gcc)
endif()
if(NOT AIMC_RISCV_GCC)
  message(FATAL_ERROR "aimc firmware: no RISC-V bare-metal compiler (riscv64-unknown-elf-gcc) found. "
                      "On Debian/Ubuntu install: apt install ${_aimc_pkgs} "
                      "(or configure with -DAIMC_BUILD_FIRMWARE=OFF).")
endif()
string(REGEX REPLACE "gcc$" "" AIMC_RISCV_TOOL_PREFIX "${AIMC_RISCV_GCC}")

execute_process(COMMAND ${AIMC_RISCV_GCC} -march=rv32imac -mabi=ilp32 -print-multi-directory
                OUTPUT_VARIABLE _aimc_multidir OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${AIMC_RISCV_GCC} -march=rv32imac -mabi=ilp32 -print-libgcc-file-name
                OUTPUT_VARIABLE _aimc_libgcc OUTPUT_STRIP_TRAILING_WHITESPACE)
get_filename_component(AIMC_LIBGCC_DIR "${_aimc_libgcc}" DIRECTORY)

if(NOT AIMC_PICOLIBC_DIR)
  get_filename_component(_aimc_bindir "${AIMC_RISCV_GCC}" DIRECTORY)
  get_filename_component(_aimc_triple "${AIMC_RISCV_GCC}" NAME)
  string(REGEX REPLACE "-gcc$" "" _aimc_triple "${_aimc_triple}")
  get_filename_component(AIMC_PICOLIBC_DIR "${_aimc_bindir}/../lib/picolibc/${_aimc_triple}" ABSOLUTE)
endif()
if(NOT DEFINED AIMC_PICOLIBC_VARIANT)
  set(AIMC_PICOLIBC_VARIANT release)
endif()
set(AIMC_PICOLIBC_INCLUDE_DIR "${AIMC_PICOLIBC_DIR}/include/${AIMC_PICOLIBC_VARIANT}")
set(AIMC_PICOLIBC_LIB_DIR "${AIMC_PICOLIBC_DIR}/lib/${AIMC_PICOLIBC_VARIANT}/${_aimc_multidir}")

if(NOT _aimc_multidir STREQUAL "rv32imac/ilp32" OR NOT EXISTS "${AIMC_LIBGCC_DIR}/libgcc.a")
  message(FATAL_ERROR "aimc firmware: ${AIMC_RISCV_GCC} has no rv32imac/ilp32 multilib "
                      "(got '${_aimc_multidir}'). On Debian/Ubuntu install: apt install ${_aimc_pkgs}")
endif()
if(NOT EXISTS "${AIMC_PICOLIBC_LIB_DIR}/libc.a" OR NOT EXISTS "${AIMC_PICOLIBC_INCLUDE_DIR}/picolibc.h")
  message(FATAL_ERROR "aimc firmware: picolibc for rv32imac/ilp32 not found under ${AIMC_PICOLIBC_DIR}. "
                      "On Debian/Ubuntu install: apt install ${_aimc_pkgs}")
endif()
