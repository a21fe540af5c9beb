/*
 * infer: classifies a batch of inputs with a model image on the chip and prints the report.
 *
 * Both files come with the simulator's --load, at fixed addresses (docs/runtime.md):
 *   aimc-vp --platform hermes64 --firmware infer.elf \
 *           --load model.aimg@0x80400000 --load batch.bin@0x80800000 [--load shard.bin@0x80F00000]
 * The model image (aimc-compile -o) may take up to 4 MiB, the batch (aimc-dataset -o) up to the stack.
 * A shard block (aimc-sweep, docs/sweeps.md) limits the run to inputs [first, first + count) of the
 * batch; without one the whole batch runs.
 * The inputs run through the runtime (sw/runtime) as one pipelined batch (aimc_rt_run_batch), or one
 * after the other with a shard block or the batch's AIMC_BATCH_SEQUENTIAL flag; the report gives
 * accuracy, latency, energy and throughput per image from the syscon's simulated time and energy, the
 * host's sleep on tiles, and a per-layer table. A bad or missing file, or a runtime error, prints what
 * is wrong and exits 1.
 */
#include <stdio.h>
#include <string.h>

#include "aimc/hal/syscon.h"
#include "aimc/hal/tile.h"
#include "aimc/input_batch.h"
#include "aimc/runtime.h"

#define INFER_MODEL_ADDR 0x80400000u
#define INFER_BATCH_ADDR 0x80800000u
#define INFER_MODEL_MAX (INFER_BATCH_ADDR - INFER_MODEL_ADDR)
#define INFER_ARENA_BYTES (512u * 1024u)
#define INFER_REGION_PROGRAM 1u /* weight programming; layers are AIMC_RT_REGION_BASE + i, the rest 0 */
/* The shard block: 16 bytes of little-endian u32 written by aimc-sweep (docs/sweeps.md). */
#define INFER_SHARD_ADDR 0x80F00000u
#define INFER_SHARD_MAGIC 0x44524853u /* the bytes "SHRD" in memory */
#define INFER_SHARD_VERSION 1u

extern char __bss_end[], __heap_end[];

static aimc_rt_model model;
static uint8_t arena[INFER_ARENA_BYTES];

/* value / div with `digits` decimals, integers only (no float printf needed). */
static void print_fixed(const char *label, uint64_t value, uint64_t div, unsigned digits, const char *unit) {
  uint64_t scale = 1;
  for (unsigned i = 0; i < digits; ++i) scale *= 10;
  const uint64_t q = div ? (value * scale + div / 2) / div : 0;
  printf("%s%llu.%0*llu%s", label, (unsigned long long)(q / scale), (int)digits, (unsigned long long)(q % scale), unit);
}

static int fail(const char *what, int rc) {
  printf("infer: %s: %s: %s\n", what, aimc_rt_strerror(rc), model.message[0] ? model.message : "-");
  return 1;
}

static int check_batch(const aimc_batch_header_t *b, const aimc_image_header_t *h, size_t max_bytes) {
  if (b->magic != AIMC_BATCH_MAGIC) {
    printf("infer: no input batch at 0x%08lx (magic 0x%08lx, expected 0x%08lx \"AIMB\"): load one with "
           "--load batch.bin@0x%08lx\n", (unsigned long)INFER_BATCH_ADDR, (unsigned long)b->magic,
           (unsigned long)AIMC_BATCH_MAGIC, (unsigned long)INFER_BATCH_ADDR);
    return 1;
  }
  if (b->version != AIMC_BATCH_VERSION || b->header_bytes != sizeof *b) {
    printf("infer: input batch version %lu (header %lu bytes), the app reads version %u\n", (unsigned long)b->version,
           (unsigned long)b->header_bytes, AIMC_BATCH_VERSION);
    return 1;
  }
  const uint32_t need = (uint32_t)h->input_c * h->input_h * h->input_w;
  if (b->input_bytes != need || b->input_c != h->input_c || b->input_h != h->input_h || b->input_w != h->input_w) {
    printf("infer: the batch's inputs are %ux%ux%u (%lu bytes), model '%.32s' takes %ux%ux%u (%lu bytes)\n",
           b->input_h, b->input_w, b->input_c, (unsigned long)b->input_bytes, h->model_name, h->input_h, h->input_w,
           h->input_c, (unsigned long)need);
    return 1;
  }
  if (b->total_bytes > max_bytes || b->count == 0 || b->inputs_offset < sizeof *b + b->count ||
      (uint64_t)b->inputs_offset + (uint64_t)b->count * b->input_bytes != b->total_bytes) {
    printf("infer: input batch of %lu inputs in %lu bytes (inputs at %lu) is inconsistent or larger than the %lu "
           "bytes below the stack\n", (unsigned long)b->count, (unsigned long)b->total_bytes,
           (unsigned long)b->inputs_offset, (unsigned long)max_bytes);
    return 1;
  }
  const uint32_t crc = aimc_rt_crc32(0, (const uint8_t *)b + sizeof *b, b->total_bytes - sizeof *b);
  if (crc != b->crc32) {
    printf("infer: input batch CRC 0x%08lx, the header says 0x%08lx (corrupt or truncated)\n", (unsigned long)crc,
           (unsigned long)b->crc32);
    return 1;
  }
  return 0;
}

/* The range of the batch this run classifies: the shard block's, or the whole batch where there is none
 * (the word at INFER_SHARD_ADDR is 0, or the batch itself covers that address: a block loaded there would
 * have failed the batch's CRC). *sharded says whether there is a block. Returns 1 (after saying why) for a
 * bad block. */
static int shard_range(const aimc_batch_header_t *b, uint32_t *first, uint32_t *count, int *sharded) {
  *first = 0, *count = b->count, *sharded = 0;
  if (INFER_BATCH_ADDR + (uint64_t)b->total_bytes > INFER_SHARD_ADDR) return 0;
  const volatile uint32_t *s = (const volatile uint32_t *)INFER_SHARD_ADDR;
  if (s[0] == 0) return 0;
  if (s[0] != INFER_SHARD_MAGIC || s[1] != INFER_SHARD_VERSION) {
    printf("infer: bad shard block at 0x%08lx: magic 0x%08lx version %lu, expected 0x%08lx (\"SHRD\") version %u "
           "(aimc-sweep writes it; without a shard the word there must be 0)\n", (unsigned long)INFER_SHARD_ADDR,
           (unsigned long)s[0], (unsigned long)s[1], (unsigned long)INFER_SHARD_MAGIC, INFER_SHARD_VERSION);
    return 1;
  }
  const uint32_t f = s[2], n = s[3];
  if (n == 0 || f >= b->count || n > b->count - f) {
    printf("infer: shard block at 0x%08lx: inputs [%lu, %lu + %lu) are empty or outside the batch of %lu inputs\n",
           (unsigned long)INFER_SHARD_ADDR, (unsigned long)f, (unsigned long)f, (unsigned long)n,
           (unsigned long)b->count);
    return 1;
  }
  *first = f, *count = n, *sharded = 1;
  return 0;
}

static void layer_table(const aimc_rt_model *m, uint32_t images) {
  const aimc_image_header_t *h = m->header;
  printf("per layer (per image):\n");
  printf("  %-3s %-20s %-6s %5s %6s %10s %10s %10s %10s\n", "#", "name", "kind", "tiles", "MVMs", "time us", "asleep us",
         "energy uJ", "TOPS/W");
  static const char *kinds[] = {"?", "dense", "conv", "add", "maxpl", "avgpl", "lut"};
  for (uint32_t i = 0; i < h->n_layers; ++i) {
    const aimc_image_layer_t *l = &m->layers[i];
    const aimc_rt_layer_stats *s = aimc_rt_layer_stats_of(m, i);
    static uint8_t seen[AIMC_RT_MAX_TILES];
    memset(seen, 0, sizeof seen);
    unsigned tiles = 0;
    for (uint32_t b = 0; b < h->n_blocks; ++b)
      if (m->blocks[b].layer == i && !seen[m->blocks[b].tile]) seen[m->blocks[b].tile] = 1, tiles++;
    const uint64_t ops = 2ull * l->matrix_rows * l->matrix_cols * l->out_h * l->out_w; /* network MACs x 2 */
    printf("  %-3lu %-20.20s %-6s %5u %6lu", (unsigned long)i, aimc_rt_layer_name(m, i),
           kinds[l->kind <= AIMC_LAYER_LUT ? l->kind : 0], tiles, (unsigned long)l->mvms);
    print_fixed(" ", s->time_ns, 1000ull * images, 3, "");
    print_fixed(" ", s->wait_ns, 1000ull * images, 3, "");
    print_fixed(" ", s->energy_pj, 1000000ull * images, 4, "");
    if (ops && s->energy_pj) print_fixed(" ", ops * images, s->energy_pj, 5, "\n");  /* ops/pJ = TOPS/W */
    else printf(" %10s\n", "-");
  }
}

/* What the report counts of each input's outputs. */
typedef struct tally {
  const uint8_t *labels;
  uint32_t first, correct, labelled, outputs;
  int print;
} tally;

static void on_output(void *ctx, uint32_t index, const int8_t *y) {
  tally *r = ctx;
  const uint32_t i = r->first + index;
  int cls = 0;
  for (uint32_t k = 1; k < r->outputs; ++k)
    if (y[k] > y[cls]) cls = (int)k;  /* aimc_rt_argmax's rule: the first maximum */
  if (r->labels[i] != 0xFF) r->labelled++, r->correct += cls == r->labels[i];
  if (r->print) {
    printf("out %lu", (unsigned long)i);
    for (uint32_t k = 0; k < r->outputs; ++k) printf(" %d", y[k]);
    printf("\n");
  }
}

int main(void) {
  if ((uintptr_t)__bss_end > INFER_MODEL_ADDR) {
    printf("infer: the app's data ends at %p, past the model address 0x%08lx\n", (void *)__bss_end,
           (unsigned long)INFER_MODEL_ADDR);
    return 1;
  }
  int rc = aimc_rt_load(&model, (const void *)INFER_MODEL_ADDR, INFER_MODEL_MAX, arena, sizeof arena);
  if (rc) return fail("model image", rc);
  const aimc_image_header_t *h = model.header;
  const aimc_batch_header_t *b = (const aimc_batch_header_t *)INFER_BATCH_ADDR;
  if (check_batch(b, h, (size_t)((uintptr_t)__heap_end - INFER_BATCH_ADDR))) return 1;
  uint32_t first, n_run;
  int sharded;
  if (shard_range(b, &first, &n_run, &sharded)) return 1;
  const unsigned n_tiles = sharded ? aimc_tile_count() : 0;
  printf("infer: model '%.32s' (compiled for %.32s): %lu layers, %lu tiles, %lu blocks, %lu steps; %lu inputs\n",
         h->model_name, h->platform_name, (unsigned long)h->n_layers, (unsigned long)h->n_tiles,
         (unsigned long)h->n_blocks, (unsigned long)h->n_steps, (unsigned long)b->count);
  if (sharded)
    printf("infer: shard: inputs %lu..%lu of the batch, each with its own noise stream\n", (unsigned long)first,
           (unsigned long)(first + n_run - 1));

  const uint64_t p0 = aimc_sim_time_ns(), pe0 = aimc_energy_pj();
  (void)aimc_rt_region(INFER_REGION_PROGRAM, "program weights");  /* the report's time and energy of it */
  rc = aimc_rt_program(&model);
  (void)aimc_rt_region(0, NULL);
  if (rc) return fail("programming", rc);
  uint64_t t0 = aimc_sim_time_ns(), e0 = aimc_energy_pj();
  print_fixed("infer: programmed the weights in ", t0 - p0, 1000, 1, " us simulated");
  print_fixed(", ", e0 - pe0, 1000000, 1, " uJ\n");

  const uint8_t *labels = (const uint8_t *)b + sizeof *b;
  const int8_t *inputs = (const int8_t *)((const uint8_t *)b + b->inputs_offset);
  /* The runtime's queue bookkeeping carries over from one input to the next (the first input after
   * programming polls the tiles less), so a shard first runs its first input once uncounted: every
   * counted input then follows another, in any split of the batch. */
  if (sharded) {
    rc = aimc_rt_run(&model, inputs + (size_t)first * b->input_bytes, b->input_bytes);
    if (rc) return fail("inference (shard warm-up)", rc);
    memset(model.layer_stats, 0, sizeof model.layer_stats);
    t0 = aimc_sim_time_ns(), e0 = aimc_energy_pj();  /* the report's per-image figures leave it out */
  }
  tally r = {.labels = labels, .first = first, .outputs = h->output_count,
             .print = (b->flags & AIMC_BATCH_PRINT_OUTPUTS) != 0};
  /* Each input's time and energy, from before its noise stream and run to after its label check: the sums
   * over any split of the batch are those of one unsharded run (docs/sweeps.md). A pipelined batch's
   * inputs overlap: the sums are the batch's. */
  uint64_t input_ns = 0, input_pj = 0;
  if (!sharded) {
    model.pipeline = !(b->flags & AIMC_BATCH_SEQUENTIAL);
    const uint64_t ti = aimc_sim_time_ns(), ei = aimc_energy_pj();
    rc = aimc_rt_run_batch(&model, inputs + (size_t)first * b->input_bytes, n_run, b->input_bytes, b->input_bytes,
                           on_output, &r);
    if (rc) return fail("inference", rc);
    input_ns = aimc_sim_time_ns() - ti, input_pj = aimc_energy_pj() - ei;
  }
  for (uint32_t i = first; sharded && i < first + n_run; ++i) {
    const uint64_t ti = aimc_sim_time_ns(), ei = aimc_energy_pj();
    /* Sharded: input i's read noise is stream i of each crossbar's seed, whatever ran before it, so
     * that any split of the batch classifies every input as one unsharded run does. Pipelining would
     * start input i + 1 before input i's commands are done: a sharded run goes one input at a time. */
    for (unsigned t = 0; t < n_tiles; ++t) aimc_tile_reg_write(t, AIMC_TILE_NOISE_STREAM, i);
    rc = aimc_rt_run(&model, inputs + (size_t)i * b->input_bytes, b->input_bytes);
    if (rc) {
      printf("infer: input %lu: ", (unsigned long)i);
      return fail("inference", rc);
    }
    on_output(&r, i - first, aimc_rt_output(&model));
    input_ns += aimc_sim_time_ns() - ti, input_pj += aimc_energy_pj() - ei;
  }
  const uint64_t dt = aimc_sim_time_ns() - t0, de = aimc_energy_pj() - e0, n = n_run;
  uint64_t ops = 0;
  for (uint32_t i = 0; i < h->n_layers; ++i) {
    const aimc_image_layer_t *l = &model.layers[i];
    ops += 2ull * l->matrix_rows * l->matrix_cols * l->out_h * l->out_w;
  }
  /* Enough decimals (10^digits > images) that correct = round(accuracy x images) (docs/sweeps.md). */
  const uint32_t correct = r.correct, labelled = r.labelled;
  unsigned digits = 4;
  for (uint64_t p = 10000; p <= labelled; p *= 10) digits++;
  print_fixed("accuracy ", correct, labelled ? labelled : 1, digits, "");
  printf(" over %lu images\n", (unsigned long)labelled);
  printf("inputs %lu from %lu: energy %llu pJ, time %llu ns\n", (unsigned long)n_run, (unsigned long)first,
         (unsigned long long)input_pj, (unsigned long long)input_ns);
  print_fixed("latency per image ", dt, 1000 * n, 3, " us\n");
  print_fixed("energy per image ", de, 1000000 * n, 4, " uJ\n");
  print_fixed("images per simulated second ", n * 1000000000ull, dt, 1, "\n");
  print_fixed("TOPS/W ", ops * n, de ? de : 1, 5, "");  /* ops/pJ = TOPS/W */
  printf(" (%llu network ops per image)\n", (unsigned long long)ops);
  uint64_t wait_ns = 0;
  for (uint32_t i = 0; i < h->n_layers; ++i) wait_ns += aimc_rt_layer_stats_of(&model, i)->wait_ns;
  print_fixed("host asleep on tiles per image ", wait_ns, 1000 * n, 3, " us");
  print_fixed(" (", wait_ns * 100, dt ? dt : 1, 2, " % of the time)\n");
  if (!sharded && aimc_rt_can_pipeline(&model) && n > 1)
    printf("pipelined: %llu steps of later inputs begun while the host waited on tiles\n",
           (unsigned long long)model.overlapped);
  else
    printf("pipelined: no (%s)\n", sharded ? "a shard runs its inputs one at a time"
                                   : n == 1 ? "one input" : model.pipeline ? "arena or image too large" : "sequential batch");
  layer_table(&model, n_run);
  return 0;
}
