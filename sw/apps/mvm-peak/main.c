/*
 * mvm-peak: peak MVM throughput and efficiency of the whole chip, from the firmware's own view.
 *
 * Every tile found is programmed with a full-size int8 weight matrix (the same one, staged by one DMA
 * chain), then kept busy with back-to-back full-size multi-vector MVMs: each tile's command stream
 * is [MVM x m, FENCE] repeated, at most `queue depth` commands outstanding. The FENCE interrupt's
 * handler reads CMD_DONE and tops the queue up again, so a queue never runs dry while the host
 * sleeps in wfi. The command arguments are written once per tile before the burst: CMD_ARG keeps its
 * values, and FENCE's tag (ARG0) is the MVM's input offset 0, so every push is one register write.
 *
 * The burst is syscon region 1. Around it the firmware reads simulated time (TIME_NS) and energy
 * (ENERGY_PJ) and prints MVMs (from the tiles' MVM_COUNT), elapsed ns, pJ, TOPS = 2 rows cols MVMs /
 * ns / 1000 and TOPS/W = 2 rows cols MVMs / pJ, with integer arithmetic.
 *
 * Compile-time parameters (DEFINITIONS in CMakeLists.txt: one image per variant, since the firmware
 * has no arguments):
 *   MVM_PEAK_PHASES        1 (mvm-peak.elf) or 4 (mvm-peak-4phase.elf): MVM ARG6
 *   MVM_PEAK_CHAIN         0 raw int32 output; 1 affine_fp16 + relu + requantize to int8 (the default:
 *                          the chain the tile's calibration to the IBM chip assumes, docs/models/tile.md);
 *                          2 affine_fixed + relu + requantize to int8
 *   MVM_PEAK_MVMS_PER_TILE MVMs each tile runs in the burst (rounded up to whole commands)
 * Data follow the analog cost model's calibration workload (docs/models/analog-cost.md): weights
 * uniform in +-63 (mean |w|/127 = 0.25), inputs uniform in +-127 (mean |x|/127 = 0.5), or +-MVM_PEAK_X_AMPL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aimc/hal/check.h"
#include "aimc/hal/dma.h"
#include "aimc/hal/ldpu.h"
#include "aimc/hal/region.h"
#include "aimc/hal/syscon.h"
#include "aimc/hal/tile.h"
#include "aimc/hal/trap.h"

#ifndef MVM_PEAK_PHASES
#define MVM_PEAK_PHASES 1
#endif
#ifndef MVM_PEAK_CHAIN
#define MVM_PEAK_CHAIN 1
#endif
#ifndef MVM_PEAK_MVMS_PER_TILE
#define MVM_PEAK_MVMS_PER_TILE 16384
#endif
#ifndef MVM_PEAK_W_AMPL
#define MVM_PEAK_W_AMPL 63
#endif
#ifndef MVM_PEAK_X_AMPL
#define MVM_PEAK_X_AMPL 127
#endif
#define MAX_VECTORS 256
#define REGION_BURST 1
#define REGION_AFTER 2

static const char *const chain_names[] = {"raw int32", "affine_fp16 + relu + requantize int8",
                                           "affine_fixed + relu + requantize int8"};

/* Per-tile stream state, shared with the interrupt hook. */
typedef struct {
  uint32_t done_base; /* CMD_DONE before the burst */
  uint32_t pushed;    /* commands of the stream pushed */
  uint32_t done;      /* commands completed (from CMD_DONE) */
  bool finished;
} stream_t;

/* Static, not on the heap: the hook's loop then keeps the stream in registers across its MMIO
 * writes (a heap pointer might alias them), which keeps the burst's timing to the nanosecond. */
static stream_t streams[AIMC_TILE_IRQ_MAX];
static unsigned tiles, depth, mvms_per_unit;
static uint32_t total_cmds;
static volatile unsigned finished_tiles, error_irqs;

/* Command k of a stream: FENCE after every mvms_per_unit MVMs. */
static inline uint32_t stream_opcode(uint32_t k) {
  return (k % (mvms_per_unit + 1)) == mvms_per_unit ? AIMC_TILE_OP_FENCE : AIMC_TILE_OP_MVM;
}

static void push_next(unsigned t) {
  stream_t *s = &streams[t];
  aimc_tile_reg_write(t, AIMC_TILE_CMD_PUSH, stream_opcode(s->pushed));
  s->pushed++;
}

static void top_up(unsigned t) {
  stream_t *s = &streams[t];
  while (s->pushed < total_cmds && s->pushed - s->done < depth) push_next(t);
}

static void on_tile_irq(unsigned t, uint32_t causes) {
  if (causes & AIMC_TILE_IRQ_ERROR) error_irqs++;
  if (!(causes & AIMC_TILE_IRQ_FENCE) || t >= tiles) return;
  stream_t *s = &streams[t];
  s->done = aimc_tile_reg_read(t, AIMC_TILE_CMD_DONE) - s->done_base;
  top_up(t);
  if (!s->finished && s->done >= total_cmds) {
    s->finished = true;
    finished_tiles++;
  }
}

/* The burst, region 1: a function of its own, so its code does not depend on the rest of main. */
typedef struct {
  uint64_t t0, e0, t1, e1;
  unsigned wakeups;
} burst_t;

static __attribute__((noinline)) void burst(burst_t *run) {
  (void)aimc_region(REGION_BURST);
  run->t0 = aimc_sim_time_ns();
  run->e0 = aimc_energy_pj();
  aimc_irq_global_disable();
  for (unsigned round = 0; round < depth; round++)
    for (unsigned t = 0; t < tiles; t++)
      if (streams[t].pushed < total_cmds) push_next(t);
  unsigned wakeups = 0;
  while (finished_tiles < tiles && error_irqs == 0) {
    aimc_wfi();
    wakeups++;
    aimc_irq_global_enable();
    aimc_irq_global_disable();
  }
  run->t1 = aimc_sim_time_ns();
  run->e1 = aimc_energy_pj();
  (void)aimc_region(REGION_AFTER);
  aimc_irq_global_enable();
  run->wakeups = wakeups;
}

/* "label 123.456" from a value scaled by 1000. */
static void print_milli(const char *label, uint64_t milli) {
  printf("%s %llu.%03u\n", label, (unsigned long long)(milli / 1000), (unsigned)(milli % 1000));
}

/* The chain's offset in *chain; builder errors stick, so the end reports the first. */
static int build_chain(unsigned t, unsigned cols, uint32_t *chain) {
#if MVM_PEAK_CHAIN == 0
  (void)t, (void)cols;
  *chain = AIMC_TILE_NO_CHAIN;
  return 0;
#else
  if (cols > 1024) return AIMC_EINVAL; /* the parameter arrays below */
  aimc_ldpu_builder b;
  uint32_t s, o;
  aimc_ldpu_begin(&b, t, 0, 0x200, AIMC_LDPU_TYPE_INT32);
#if MVM_PEAK_CHAIN == 1
  static float scale[1024], bias[1024];
  for (unsigned c = 0; c < cols; c++) scale[c] = 1.0f / 512, bias[c] = (float)(c % 5) - 2.0f;
  aimc_ldpu_put_fp16(&b, scale, cols, &s);
  aimc_ldpu_put_fp16(&b, bias, cols, &o);
  aimc_ldpu_affine_fp16(&b, s, o, 0);
  aimc_ldpu_relu(&b);
  aimc_ldpu_requantize(&b, 1, 0, 8);
#else
  static int16_t scale[1024];
  static int32_t bias[1024];
  for (unsigned c = 0; c < cols; c++) scale[c] = 16384, bias[c] = ((int32_t)(c % 5) - 2) * 512;
  aimc_ldpu_put_i16(&b, scale, cols, &s);
  aimc_ldpu_put_i32(&b, bias, cols, &o);
  aimc_ldpu_affine_fixed(&b, s, o, 14, 0);
  aimc_ldpu_relu(&b);
  aimc_ldpu_requantize(&b, 1, 9, 8);
#endif
  return aimc_ldpu_end(&b, chain);
#endif
}

int main(void) {
  tiles = aimc_tile_count();
  if (!aimc_check(tiles > 0, "no tiles")) return aimc_check_finish("mvm-peak");
  if (tiles > AIMC_TILE_IRQ_MAX) {
    printf("mvm-peak: %u tiles, only the first %u have interrupts the HAL dispatches: using those\n", tiles,
           AIMC_TILE_IRQ_MAX);
    tiles = AIMC_TILE_IRQ_MAX;
  }
  aimc_tile_info info;
  if (!aimc_check_ok(aimc_tile_get_info(0, &info), "tile 0 info")) return aimc_check_finish("mvm-peak");
  unsigned rows = info.rows, cols = info.cols;
  for (unsigned t = 1; t < tiles; t++) {
    aimc_tile_info other;
    if (!aimc_check_ok(aimc_tile_get_info(t, &other), "tile %u info", t)) return aimc_check_finish("mvm-peak");
    if (!aimc_check(other.rows == rows && other.cols == cols && other.queue_depth == info.queue_depth,
                    "tile %u differs from tile 0 (%ux%u, queue %u)", t, other.rows, other.cols, other.queue_depth))
      return aimc_check_finish("mvm-peak");
  }
  depth = info.queue_depth;
  if (!aimc_check(depth >= 2, "queue depth %u: no room for MVM + FENCE", depth)) return aimc_check_finish("mvm-peak");
  unsigned out_bytes = MVM_PEAK_CHAIN == 0 ? 4 * cols : cols;
  unsigned vectors = MAX_VECTORS;
  if (vectors > info.in_size / rows) vectors = info.in_size / rows;
  if (vectors > info.out_size / out_bytes) vectors = info.out_size / out_bytes;
  mvms_per_unit = depth / 2 > 1 ? depth / 2 - 1 : 1; /* a FENCE mid-queue: the queue is refilled before it drains */
  uint32_t commands_per_tile = (MVM_PEAK_MVMS_PER_TILE + vectors - 1) / vectors;
  uint32_t units = (commands_per_tile + mvms_per_unit - 1) / mvms_per_unit;
  total_cmds = units * (mvms_per_unit + 1);
  uint64_t mvms_expected = (uint64_t)tiles * units * mvms_per_unit * vectors;
  printf("mvm-peak: %u tiles of %ux%u, %u phase(s), LDPU chain: %s\n", tiles, rows, cols, MVM_PEAK_PHASES,
         chain_names[MVM_PEAK_CHAIN]);
  printf("mvm-peak: per tile: %lu MVM commands of %u vectors, a FENCE after every %u, queue depth %u\n",
         (unsigned long)(units * mvms_per_unit), vectors, mvms_per_unit, depth);

  /* Weights and inputs: one DMA chain stages them in every tile (CPU copies without a DMA engine). */
  size_t wbytes = (size_t)rows * cols, xbytes = (size_t)vectors * rows;
  int8_t *w = malloc(wbytes), *x = malloc(xbytes);
  struct aimc_dma_desc *desc = aligned_alloc(32, 2 * tiles * sizeof *desc);
  uint64_t *busy_before = calloc(tiles, sizeof *busy_before);
  if (!aimc_check(w && x && desc && busy_before, "out of memory")) return aimc_check_finish("mvm-peak");
  aimc_rng rng;
  aimc_rng_seed(&rng, 63);
  aimc_rng_fill_i8(&rng, w, wbytes, MVM_PEAK_W_AMPL);
  aimc_rng_fill_i8(&rng, x, xbytes, MVM_PEAK_X_AMPL);
  int err = 0;
  if (aimc_dma_present()) {
    for (unsigned t = 0; t < tiles && err == 0; t++) {
      err = aimc_dma_desc_1d(&desc[2 * t], aimc_tile_weights_addr(t, 0), (uintptr_t)w, wbytes);
      if (err == 0) err = aimc_dma_desc_1d(&desc[2 * t + 1], aimc_tile_in_addr(t, 0), (uintptr_t)x, xbytes);
    }
    if (err == 0) err = aimc_dma_link(desc, 2 * tiles);
    if (err == 0) err = aimc_dma_start(desc, false);
    if (err == 0) err = aimc_dma_wait(AIMC_DMA_TIMEOUT_DEFAULT_US * 10);
  } else {
    for (unsigned t = 0; t < tiles && err == 0; t++) {
      err = aimc_tile_stage_weights(t, 0, w, wbytes);
      if (err == 0) err = aimc_tile_write(t, AIMC_TILE_IN_OFFSET, x, xbytes);
    }
  }
  if (!aimc_check_ok(err, "staging")) return aimc_check_finish("mvm-peak");
  for (unsigned t = 0; t < tiles; t++) {
    uint32_t staged = aimc_tile_staged_bytes(t);
    if (!aimc_check(staged >= wbytes, "tile %u: STAGED_BYTES %lu < %lu", t, (unsigned long)staged, (unsigned long)wbytes))
      return aimc_check_finish("mvm-peak");
    if (!aimc_check_ok(aimc_tile_program(t, &(aimc_tile_program_args){.rows = rows, .cols = cols}), "tile %u: PROGRAM", t))
      return aimc_check_finish("mvm-peak");
  }
  uint32_t chain = AIMC_TILE_NO_CHAIN;
  for (unsigned t = 0; t < tiles; t++) /* all tiles program in parallel; chains meanwhile */
    if (!aimc_check_ok(build_chain(t, cols, &chain), "tile %u: LDPU chain builder", t)) return aimc_check_finish("mvm-peak");
  for (unsigned t = 0; t < tiles; t++)
    if (!aimc_check_ok(aimc_tile_sync(t, AIMC_TILE_TIMEOUT_DEFAULT_US * 10), "tile %u: PROGRAM", t))
      return aimc_check_finish("mvm-peak");

  /* Arguments once per tile; interrupts; counters before. */
  uint64_t mvm_before = 0;
  for (unsigned t = 0; t < tiles; t++) {
    busy_before[t] = aimc_tile_read64(t, AIMC_TILE_BUSY_CYCLES);
    const uint32_t args[8] = {0, rows, cols, vectors, 0, chain, MVM_PEAK_PHASES, 0};
    for (unsigned i = 0; i < 8; i++) aimc_tile_reg_write(t, AIMC_TILE_CMD_ARG + 4 * i, args[i]);
    streams[t].done_base = aimc_tile_reg_read(t, AIMC_TILE_CMD_DONE);
    mvm_before += aimc_tile_read64(t, AIMC_TILE_MVM_COUNT);
    if (!aimc_check_ok(aimc_tile_irq_attach(t, AIMC_TILE_IRQ_FENCE | AIMC_TILE_IRQ_ERROR), "tile %u: interrupt", t))
      return aimc_check_finish("mvm-peak");
  }
  aimc_tile_irq_set_hook(on_tile_irq);

  /* The burst. The first round starts every tile (one write each), later rounds fill the queues. */
  /* aimc_region() fails only without aimc-vp's syscon: checked here, so nothing extra runs in the burst. */
  if (!aimc_check(aimc_syscon_present(), "no aimc-vp syscon: no regions, time or energy")) return aimc_check_finish("mvm-peak");
  burst_t run;
  burst(&run);
  uint64_t t0 = run.t0, e0 = run.e0, t1 = run.t1, e1 = run.e1;
  unsigned wakeups = run.wakeups;

  uint64_t mvm_after = 0, busy = 0, busy_min = UINT64_MAX, busy_max = 0;
  unsigned sat = 0;
  for (unsigned t = 0; t < tiles; t++) {
    aimc_tile_counters c = {0};
    aimc_tile_irq_state st = {0};
    uint32_t info_v = 0, code = 0;
    aimc_check_ok(aimc_tile_get_counters(t, &c), "tile %u: counters", t);
    aimc_check_ok(aimc_tile_error(t, &code, &info_v), "tile %u: ERROR", t);
    aimc_check_ok(aimc_tile_irq_get_state(t, &st), "tile %u: interrupt state", t);
    mvm_after += c.mvms;
    uint64_t b = c.busy_cycles - busy_before[t];
    busy += b;
    if (b < busy_min) busy_min = b;
    if (b > busy_max) busy_max = b;
    sat += c.saturations;
    aimc_check(code == 0 && st.errors == 0, "tile %u: error %s (info 0x%lx)", t,
               aimc_tile_error_name(code ? code : st.error), (unsigned long)(code ? info_v : st.error_info));
  }
  uint64_t mvms = mvm_after - mvm_before, ns = t1 - t0, pj = e1 - e0;
  uint64_t ops = mvms * 2u * rows * cols;
  printf("mvm-peak: region %u: %llu MVMs in %llu ns, %llu pJ (%u wfi wake-ups)\n", REGION_BURST,
         (unsigned long long)mvms, (unsigned long long)ns, (unsigned long long)pj, wakeups);
  printf("mvm-peak: %llu ops (2 x %u x %u per MVM); %u saturations counted (ADC clipping, FP16 overflow of raw "
         "outputs beyond 65504: they do not change time or energy)\n",
         (unsigned long long)ops, rows, cols, sat);
  aimc_check(finished_tiles == tiles, "%u of %u tiles finished their streams", finished_tiles, tiles);
  aimc_check(mvms == mvms_expected, "MVM_COUNT grew by %llu, expected %llu", (unsigned long long)mvms,
             (unsigned long long)mvms_expected);
  if (!aimc_check(ns > 0 && pj > 0, "no simulated time or energy (syscon absent?)")) return aimc_check_finish("mvm-peak");
  /* TOPS = ops / ns / 1000: milli-TOPS = ops / ns. TOPS/W = ops / pJ: milli-TOPS/W = 1000 ops / pJ. */
  uint64_t mtops = ops / ns, mtops_w = ops * 1000u / pj;
  print_milli("mvm-peak: TOPS", mtops);
  print_milli("mvm-peak: TOPS/W", mtops_w);
  printf("mvm-peak: tile busy cycles in the burst: mean %llu, min %llu, max %llu; mean utilisation %llu.%01u %% "
         "(busy cycles / elapsed ns: tile clock 1 GHz assumed)\n",
         (unsigned long long)(busy / tiles), (unsigned long long)busy_min, (unsigned long long)busy_max,
         (unsigned long long)(busy * 100 / ((uint64_t)tiles * ns)), (unsigned)(busy * 1000 / ((uint64_t)tiles * ns) % 10));
  return aimc_check_finish("mvm-peak");
}
