/* A stand-in for the inference app's batch handling, used to test sharded sweeps: it "classifies"
 * images [first, first + count) of a synthetic 1000-image batch, deterministically from each image's
 * index, and prints the inference app's line `accuracy <fraction> over <n> images`.
 *
 * The range comes from a shard block loaded into RAM, as the inference app takes it:
 *   aimc-vp --firmware shard-demo.elf --load shard.bin@0x80F00000
 * shard.bin is 16 bytes of little-endian u32: magic 0x44524853 ("SHRD"), version 1, first, count
 * (aimc-sweep writes it for every point of a shard axis and names it {shard_file}). */
#include <stdint.h>
#include <stdio.h>

#include "aimc/hal/region.h"

#define SHARD_BLOCK_ADDR 0x80F00000u
#define SHARD_MAGIC 0x44524853u
#define SHARD_VERSION 1u
#define BATCH_SIZE 1000u

/* Index hash (a 32-bit finalizer): same image, same label and prediction, whatever the shard. */
static uint32_t mix(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

/* Per-image work of a fixed instruction count, so every image costs the same time and energy. */
static uint32_t classify(uint32_t image) {
    uint32_t h = image;
    for (int round = 0; round < 64; ++round) h = mix(h + (uint32_t)round);
    const uint32_t label = mix(image) % 10u, wrong = (label + 1u + h % 9u) % 10u;
    /* Branch-free choice (83 % right): the per-image cost, hence energy, adds up across shards. */
    const uint32_t right = 0u - (uint32_t)((h % 100u) < 83u);
    return (label & right) | (wrong & ~right);
}

int main(void) {
    const volatile uint32_t* block = (const volatile uint32_t*)SHARD_BLOCK_ADDR;
    if (block[0] != SHARD_MAGIC || block[1] != SHARD_VERSION) {
        printf("shard-demo: no shard block at 0x%08x (magic 0x%08lx, version %lu): load one with "
               "--load shard.bin@0x%08x\n", SHARD_BLOCK_ADDR, (unsigned long)block[0],
               (unsigned long)block[1], SHARD_BLOCK_ADDR);
        return 1;
    }
    const uint32_t first = block[2], count = block[3];
    if (count == 0 || first >= BATCH_SIZE || count > BATCH_SIZE - first) {
        printf("shard-demo: range [%lu, %lu + %lu) is empty or outside the %u-image batch\n",
               (unsigned long)first, (unsigned long)first, (unsigned long)count, BATCH_SIZE);
        return 1;
    }
    uint32_t correct = 0;
    /* Region 1 holds each image's work and nothing else (loop and region switches are region 2),
     * so its time and energy over a batch are the same however the batch is split. */
    for (uint32_t i = first; i < first + count; ++i) {
        aimc_region(1);
        correct += classify(i) == mix(i) % 10u;
        aimc_region(2);
    }
    aimc_region(0);
    /* The fraction with 9 digits: exact enough that correct = round(fraction * n) for any batch. */
    const uint64_t scaled = (uint64_t)correct * 1000000000ull / count;
    printf("accuracy %lu.%09lu over %lu images\n", (unsigned long)(scaled / 1000000000ull),
           (unsigned long)(scaled % 1000000000ull), (unsigned long)count);
    return 0;
}
