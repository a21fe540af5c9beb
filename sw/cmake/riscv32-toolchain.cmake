# Cross toolchain for the aimc-vp host core: RV32IMAC + Zicsr + Zifencei, ilp32, bare metal,
# picolibc (located by riscv32-detect.cmake), our own crt and linker script (sw/hal, sw/linker).

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)

include(${CMAKE_CURRENT_LIST_DIR}/riscv32-detect.cmake)
# try_compile projects re-read this file: hand them the same choices.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES AIMC_RISCV_GCC AIMC_PICOLIBC_DIR AIMC_PICOLIBC_VARIANT)

set(CMAKE_C_COMPILER ${AIMC_RISCV_GCC})
set(CMAKE_ASM_COMPILER ${AIMC_RISCV_GCC})
set(CMAKE_OBJCOPY ${AIMC_RISCV_TOOL_PREFIX}objcopy CACHE FILEPATH "")
set(CMAKE_OBJDUMP ${AIMC_RISCV_TOOL_PREFIX}objdump CACHE FILEPATH "")
set(CMAKE_SIZE ${AIMC_RISCV_TOOL_PREFIX}size CACHE FILEPATH "")

# Nothing links before our crt and linker script exist: compiler checks build a library.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(_aimc_arch "-march=rv32imac_zicsr_zifencei -mabi=ilp32 -mcmodel=medlow")
set(CMAKE_C_FLAGS_INIT
    "${_aimc_arch} -isystem ${AIMC_PICOLIBC_INCLUDE_DIR} -O2 -g -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${_aimc_arch} -isystem ${AIMC_PICOLIBC_INCLUDE_DIR} -g")
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "-nostartfiles -nostdlib -L${AIMC_PICOLIBC_LIB_DIR} -L${AIMC_LIBGCC_DIR} -Wl,--gc-sections")
set(CMAKE_C_STANDARD_LIBRARIES "-Wl,--start-group -lc -lgcc -Wl,--end-group")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
