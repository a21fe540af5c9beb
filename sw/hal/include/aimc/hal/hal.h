/* Everything in the aimc-vp firmware HAL. */
#ifndef AIMC_HAL_HAL_H
#define AIMC_HAL_HAL_H

#include "clint.h"
#include "csr.h"
#include "exit.h"
#include "plic.h"
#include "syscon.h"
#include "trap.h"
#include "uart.h"

#endif
