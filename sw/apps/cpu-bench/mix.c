/*
 * Integer/branch/memory mix in the spirit of CoreMark. Each repetition generates a data set and
 * runs four parts whose results are folded into the checksum:
 *   list   build a linked list in a random order through a node pool, walk it, reverse it, walk again
 *   sort   insertion sort of signed words
 *   crc    bitwise CRC-32 over the sorted words
 *   fsm    a switch-based state machine classifying comma-separated number tokens
 *
 * Repetition r uses data set r % MIX_PERIOD. The reference computes each data set once with
 * different code (array walks, qsort, table CRC, a recursive-descent classifier) and folds the
 * results in the same order, so it costs MIX_PERIOD repetitions whatever `reps` is.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define MIX_PERIOD 16
#define LIST_LEN 64
#define SORT_LEN 48
#define CRC_LEN 128 /* bytes of the sorted array */
#define TEXT_LEN 96

enum { C_EMPTY, C_INT, C_FLOAT, C_EXP, C_INVALID, NUM_CLASSES };

typedef struct dataset {
  uint32_t keys[LIST_LEN];
  uint8_t order[LIST_LEN]; /* list position k lives in pool node order[k] */
  int32_t words[SORT_LEN];
  char text[TEXT_LEN];
} dataset;

/* ---- input generation (shared: it defines the data, it is not what is checked) ---- */

static void gen_token(uint32_t *seed, char *out, int *len) {
  int n = 0;
  uint32_t r = bench_rand(seed);
  if ((r & 3u) == 0) out[n++] = (r & 4u) ? '-' : '+';
  for (int d = 1 + (int)((r >> 3) & 3u); d > 0; d--) out[n++] = (char)('0' + (bench_rand(seed) >> 28) % 10u);
  if (r & (1u << 5)) {
    out[n++] = '.';
    for (int d = (int)((r >> 6) & 3u); d > 0; d--) out[n++] = (char)('0' + (bench_rand(seed) >> 28) % 10u);
  }
  if ((r & (3u << 8)) == 0) {
    out[n++] = (r & (1u << 10)) ? 'e' : 'E';
    if (r & (1u << 11)) out[n++] = '-';
    for (int d = (int)((r >> 12) & 3u); d > 0; d--) out[n++] = (char)('0' + (bench_rand(seed) >> 28) % 10u);
  }
  if ((r & (7u << 14)) == 0) out[(r >> 17) % (uint32_t)n] = "x.+e"[(r >> 20) & 3u]; /* corrupt one */
  *len = n;
}

static void gen_dataset(uint32_t set, dataset *ds) {
  uint32_t seed = 0x9e3779b9u * (set + 1u);
  for (int k = 0; k < LIST_LEN; k++) {
    ds->keys[k] = bench_rand(&seed) >> 8;
    ds->order[k] = (uint8_t)k;
  }
  for (int k = LIST_LEN - 1; k > 0; k--) { /* Fisher-Yates */
    uint32_t other = bench_rand(&seed) % (uint32_t)(k + 1);
    uint8_t t = ds->order[k];
    ds->order[k] = ds->order[other];
    ds->order[other] = t;
  }
  for (int i = 0; i < SORT_LEN; i++) ds->words[i] = (int32_t)bench_rand(&seed);
  int pos = 0;
  while (pos < TEXT_LEN) {
    char token[16];
    int len;
    gen_token(&seed, token, &len);
    for (int i = 0; i < len && pos < TEXT_LEN; i++) ds->text[pos++] = token[i];
    if (pos < TEXT_LEN) ds->text[pos++] = ',';
  }
}

/* ---- kernel ---- */

typedef struct node {
  struct node *next;
  uint32_t key;
} node;

static node pool[LIST_LEN];

static uint32_t list_part(const dataset *ds) {
  for (int k = 0; k < LIST_LEN; k++) {
    node *n = &pool[ds->order[k]];
    n->key = ds->keys[k];
    n->next = k + 1 < LIST_LEN ? &pool[ds->order[k + 1]] : NULL;
  }
  node *head = &pool[ds->order[0]];

  uint32_t hash = BENCH_FOLD_INIT, small = 0, max = 0, pos = 0;
  for (node *p = head; p; p = p->next, pos++) {
    hash = bench_fold(hash, p->key + pos);
    if ((p->key & 0xffu) < 0x40u) small++;
    if (p->key > max) max = p->key;
  }
  node *prev = NULL;
  while (head) {
    node *next = head->next;
    head->next = prev;
    prev = head;
    head = next;
  }
  pos = 0;
  for (node *p = prev; p; p = p->next, pos++) hash = bench_fold(hash, p->key ^ pos);
  return bench_fold(bench_fold(hash, small), max);
}

static void insertion_sort(int32_t *a, int n) {
  for (int i = 1; i < n; i++) {
    int32_t v = a[i];
    int j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static uint32_t crc32_bitwise(const uint8_t *data, int len) {
  uint32_t crc = 0xffffffffu;
  for (int i = 0; i < len; i++) {
    crc ^= data[i];
    for (int b = 0; b < 8; b++) crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1u));
  }
  return ~crc;
}

enum { S_START, S_SIGN, S_INT, S_DOT, S_FRAC, S_EXP, S_EXP_SIGN, S_EXP_INT, S_INVALID };

static unsigned final_class(int state) {
  switch (state) {
    case S_START: return C_EMPTY;
    case S_INT: return C_INT;
    case S_FRAC: return C_FLOAT;
    case S_EXP_INT: return C_EXP;
    default: return C_INVALID;
  }
}

static uint32_t fsm_part(const char *text, int len) {
  unsigned counts[NUM_CLASSES] = {0};
  uint32_t hash = BENCH_FOLD_INIT;
  int state = S_START;
  for (int i = 0; i <= len; i++) {
    char c = i < len ? text[i] : ','; /* the end closes the last token */
    int digit = c >= '0' && c <= '9';
    int sign = c == '+' || c == '-';
    int exp = c == 'e' || c == 'E';
    if (c == ',') {
      unsigned cls = final_class(state);
      counts[cls]++;
      hash = bench_fold(hash, cls);
      state = S_START;
      continue;
    }
    switch (state) {
      case S_START: state = sign ? S_SIGN : digit ? S_INT : S_INVALID; break;
      case S_SIGN: state = digit ? S_INT : S_INVALID; break;
      case S_INT: state = digit ? S_INT : c == '.' ? S_DOT : exp ? S_EXP : S_INVALID; break;
      case S_DOT: state = digit ? S_FRAC : S_INVALID; break;
      case S_FRAC: state = digit ? S_FRAC : exp ? S_EXP : S_INVALID; break;
      case S_EXP: state = sign ? S_EXP_SIGN : digit ? S_EXP_INT : S_INVALID; break;
      case S_EXP_SIGN: state = digit ? S_EXP_INT : S_INVALID; break;
      case S_EXP_INT: state = digit ? S_EXP_INT : S_INVALID; break;
      default: break;
    }
  }
  for (int k = 0; k < NUM_CLASSES; k++) hash = bench_fold(hash, counts[k]);
  return hash;
}

static uint32_t fold_words(uint32_t hash, const int32_t *a, int n) {
  for (int i = 0; i < n; i++) hash = bench_fold(hash, (uint32_t)a[i]);
  return hash;
}

static uint32_t mix_run(uint32_t reps) {
  static dataset ds;
  uint32_t total = BENCH_FOLD_INIT;
  for (uint32_t r = 0; r < reps; r++) {
    gen_dataset(r % MIX_PERIOD, &ds);
    uint32_t h = bench_fold(BENCH_FOLD_INIT, list_part(&ds));
    insertion_sort(ds.words, SORT_LEN);
    h = fold_words(h, ds.words, SORT_LEN);
    h = bench_fold(h, crc32_bitwise((const uint8_t *)ds.words, CRC_LEN));
    h = bench_fold(h, fsm_part(ds.text, TEXT_LEN));
    total = bench_fold(total, h);
  }
  return total;
}

/* ---- reference ---- */

/* The list visits keys in generation order, so its walks are plain array walks. */
static uint32_t list_ref(const dataset *ds) {
  uint32_t hash = BENCH_FOLD_INIT, small = 0, max = 0;
  for (uint32_t k = 0; k < LIST_LEN; k++) {
    hash = bench_fold(hash, ds->keys[k] + k);
    small += (ds->keys[k] & 0xffu) < 0x40u;
    max = ds->keys[k] > max ? ds->keys[k] : max;
  }
  for (uint32_t k = 0; k < LIST_LEN; k++) hash = bench_fold(hash, ds->keys[LIST_LEN - 1 - k] ^ k);
  return bench_fold(bench_fold(hash, small), max);
}

static int compare_words(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

static uint32_t crc32_table(const uint8_t *data, int len) {
  static uint32_t table[256];
  if (!table[1]) {
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int b = 0; b < 8; b++) c = c & 1u ? (c >> 1) ^ 0xedb88320u : c >> 1;
      table[i] = c;
    }
  }
  uint32_t crc = 0xffffffffu;
  for (int i = 0; i < len; i++) crc = table[(crc ^ data[i]) & 0xffu] ^ (crc >> 8);
  return ~crc;
}

static int span_digits(const char *s, int n) {
  int i = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  return i;
}

/* [sign] digits [. digits] [(e|E) [sign] digits] */
static unsigned classify_ref(const char *t, int n) {
  if (n == 0) return C_EMPTY;
  int i = (t[0] == '+' || t[0] == '-') ? 1 : 0;
  int d = span_digits(t + i, n - i);
  if (d == 0) return C_INVALID;
  i += d;
  unsigned cls = C_INT;
  if (i < n && t[i] == '.') {
    d = span_digits(t + i + 1, n - i - 1);
    if (d == 0) return C_INVALID;
    i += 1 + d;
    cls = C_FLOAT;
  }
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    i++;
    if (i < n && (t[i] == '+' || t[i] == '-')) i++;
    d = span_digits(t + i, n - i);
    if (d == 0) return C_INVALID;
    i += d;
    cls = C_EXP;
  }
  return i == n ? cls : C_INVALID;
}

static uint32_t fsm_ref(const char *text, int len) {
  unsigned counts[NUM_CLASSES] = {0};
  uint32_t hash = BENCH_FOLD_INIT;
  const char *p = text, *end = text + len;
  for (;;) {
    const char *comma = memchr(p, ',', (size_t)(end - p));
    const char *stop = comma ? comma : end;
    unsigned cls = classify_ref(p, (int)(stop - p));
    counts[cls]++;
    hash = bench_fold(hash, cls);
    if (!comma) break;
    p = comma + 1;
  }
  for (int k = 0; k < NUM_CLASSES; k++) hash = bench_fold(hash, counts[k]);
  return hash;
}

static uint32_t mix_reference(uint32_t reps) {
  static dataset ds;
  uint32_t per_set[MIX_PERIOD];
  for (uint32_t s = 0; s < MIX_PERIOD && s < reps; s++) {
    gen_dataset(s, &ds);
    uint32_t h = bench_fold(BENCH_FOLD_INIT, list_ref(&ds));
    qsort(ds.words, SORT_LEN, sizeof ds.words[0], compare_words);
    h = fold_words(h, ds.words, SORT_LEN);
    h = bench_fold(h, crc32_table((const uint8_t *)ds.words, CRC_LEN));
    per_set[s] = bench_fold(h, fsm_ref(ds.text, TEXT_LEN));
  }
  uint32_t total = BENCH_FOLD_INIT;
  for (uint32_t r = 0; r < reps; r++) total = bench_fold(total, per_set[r % MIX_PERIOD]);
  return total;
}

const bench_kernel bench_mix = {"mix", mix_run, mix_reference};
