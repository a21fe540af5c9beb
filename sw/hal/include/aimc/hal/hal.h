/* Everything in the aimc-vp firmware HAL. */
#ifndef AIMC_HAL_HAL_H
#define AIMC_HAL_HAL_H

#include "clint.h"
#include "csr.h"
#include "dma.h"
#include "error.h"
#include "exit.h"
#include "irq_wait.h"
#include "ldpu.h"
#include "plic.h"
#include "region.h"
#include "syscon.h"
#include "tile.h"
#include "trap.h"
#include "uart.h"

#endif
