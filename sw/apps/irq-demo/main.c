/*
 * Timer and software interrupts with the HAL: NUM_TICKS periodic CLINT timer interrupts, sleeping
 * in wfi between them, then one machine software interrupt. Exits 0 only if every interrupt
 * arrived, in order, and no tick came before its deadline.
 */
#include <stdio.h>

#include "aimc/hal/clint.h"
#include "aimc/hal/trap.h"

#define NUM_TICKS 5
#define TICK_US 1000

static volatile unsigned ticks, soft_irqs, early_ticks;
static char events[NUM_TICKS + 2]; /* 'T' per timer tick, 'S' for the software interrupt */
static volatile unsigned num_events;

static void record(char event) {
  if (num_events < sizeof events - 1) events[num_events] = event;
  num_events++;
}

static void on_timer(unsigned irq) {
  (void)irq;
  uint64_t deadline = aimc_mtimecmp();
  if (aimc_mtime() < deadline) early_ticks++;
  record('T');
  if (++ticks < NUM_TICKS)
    aimc_mtimecmp_set(deadline + aimc_us_to_ticks(TICK_US)); /* periodic, without drift */
  else
    aimc_timer_stop();
}

static void on_soft(unsigned irq) {
  (void)irq;
  aimc_msip_set(0);
  record('S');
  soft_irqs++;
}

int main(void) {
  if (aimc_irq_set_handler(AIMC_IRQ_M_TIMER, on_timer) != 0 || aimc_irq_set_handler(AIMC_IRQ_M_SOFT, on_soft) != 0) {
    printf("irq-demo: FAIL (no handler slot)\n");
    return 1;
  }
  aimc_irq_enable(AIMC_IRQ_M_TIMER);
  aimc_irq_enable(AIMC_IRQ_M_SOFT);

  uint64_t start = aimc_mtime();
  aimc_timer_start(aimc_us_to_ticks(TICK_US));

  /* Test and sleep with MIE clear: an interrupt between the test and wfi still ends the wfi
   * (it only needs mie), and is taken as soon as MIE is set again. */
  unsigned wakeups = 0;
  aimc_irq_global_disable();
  while (ticks < NUM_TICKS) {
    aimc_wfi();
    wakeups++;
    aimc_irq_global_enable();
    aimc_irq_global_disable();
  }
  uint64_t elapsed = aimc_mtime() - start;

  aimc_irq_global_enable();
  aimc_msip_set(1);
  for (unsigned spin = 0; soft_irqs == 0 && spin < 100000; spin++) {
  }
  aimc_irq_global_disable();

  printf("irq-demo: %u timer ticks of %u us (%u wfi wake-ups, %lu us elapsed), %u software interrupt\n",
         ticks, TICK_US, wakeups, (unsigned long)(elapsed / aimc_us_to_ticks(1)), soft_irqs);
  printf("irq-demo: events %s\n", events);

  bool ok = num_events == NUM_TICKS + 1 && soft_irqs == 1 && early_ticks == 0 &&
            elapsed >= aimc_us_to_ticks((uint64_t)NUM_TICKS * TICK_US);
  for (unsigned i = 0; ok && i < NUM_TICKS; i++) ok = events[i] == 'T';
  ok = ok && events[NUM_TICKS] == 'S';
  printf("irq-demo: %s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
