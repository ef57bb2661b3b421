/*
 * flowlake record scanner: the hot loop of FlowLogParser as a WebAssembly SIMD (simd128) kernel.
 *
 * Scans newline-terminated lines of one buffer into columns: integer fields into float64 columns (NaN for '-'),
 * string fields as (start, end) byte offsets. It handles only "plain" lines: exactly n fields separated by single
 * spaces, no byte < 0x20 except the final LF, a first byte other than '#', and integer fields of 1 to 16 digits
 * (value <= 2^53 - 1) or a lone '-'. At the first line that is not plain it stops, so the JavaScript scanner (the
 * reference for blank lines, comments, tabs, CRLF, runs of spaces and every error) handles exactly that line.
 *
 * Build: npm run build:wasm (clang --target=wasm32 -O3 -msimd128; see packages/flowlogs/wasm/build.ts).
 */
#include <stdint.h>
#include <wasm_simd128.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define MAX_FIELDS 128
#define MAX_SAFE 9007199254740991ULL

/* The plan, written by JavaScript before each call. */
struct plan {
  u32 n;                   /* fields per line */
  u32 kind[MAX_FIELDS];    /* 1 = integer, 0 = string */
  u32 col[MAX_FIELDS];     /* integer: address of its float64 column; string: address of its int32 start column */
  u32 col2[MAX_FIELDS];    /* string: address of its int32 end column */
};

/* Results of a call. */
struct result {
  u32 rows;   /* records stored */
  u32 end;    /* offset (from the input's start) of the first line not consumed */
  u32 status; /* 0: reached the end of the input; 1: row capacity reached; 2: stopped at a line that is not plain */
};

static struct plan PLAN;
static struct result RESULT;

__attribute__((export_name("plan"))) struct plan *plan_addr(void) { return &PLAN; }
__attribute__((export_name("result"))) struct result *result_addr(void) { return &RESULT; }

/* Separator positions of the current segment (stage 1 output, stage 2 input). */
#define SEGMENT 16384
static u32 POS_[1 + SEGMENT + MAX_FIELDS + 64];
#define POS (POS_ + 1) /* POS[-1]: the first line start of a segment - 1 */
/*
 * POS as a variable the compiler cannot fold: stores through it get constant offsets in the instruction (memarg)
 * instead of one address computation each, which V8 compiles to one instruction less per position.
 */
u32 *POS_BASE = POS_ + 1;
/*
 * 0x20 in every byte, as a variable for the same reason: with a constant, clang turns "<= 0x20" into "< 0x21",
 * which V8 compiles to four instructions instead of two.
 */
v128_t SEP_LIMIT = {0x20202020, 0x20202020, 0x20202020, 0x20202020};

/* KEEP[len]: 0xff in the last len of 16 bytes (the digits of a field that ends at byte 16). */
static const u8 KEEP[17][16] __attribute__((aligned(16))) = {
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
};

/*
 * The value of the 1..16 digits ending just before `end` (16 readable bytes before it). Clears *ok when a byte is
 * not a digit or len is out of range.
 */
static inline u64 digits16(const u8 *end, u32 len, u32 *ok) {
  const u32 l = len > 16 ? 16 : len;
  const v128_t keep = wasm_v128_load(KEEP[l]);
  const v128_t d = wasm_v128_and(wasm_i8x16_sub(wasm_v128_load(end - 16), wasm_u8x16_splat('0')), keep);
  *ok &= wasm_i8x16_all_true(wasm_u8x16_le(d, wasm_u8x16_splat(9))) & (len - 1 < 16);
  /* pairs of digits, then 4, then 8: d[2k] is the more significant digit of pair k */
  const v128_t t16 = wasm_i16x8_add(wasm_i16x8_mul(wasm_v128_and(d, wasm_u16x8_splat(0xff)), wasm_u16x8_splat(10)),
                                    wasm_u16x8_shr(d, 8));
  const v128_t t32 = wasm_i32x4_dot_i16x8(t16, wasm_i32x4_splat(100 | (1 << 16)));
  const v128_t n16 = wasm_i16x8_narrow_i32x4(t32, t32);
  const v128_t t = wasm_i32x4_dot_i16x8(n16, wasm_i32x4_splat(10000 | (1 << 16)));
  return (u64)(u32)wasm_i32x4_extract_lane(t, 0) * 100000000ULL + (u32)wasm_i32x4_extract_lane(t, 1);
}

/*
 * Stage 2 for one line at a time (any segment): takes the positions n at a time, one line per n: a plain line has
 * spaces at the first n - 1 and LF at the n-th, so a line of another shape (too few or too many fields, tabs, CR,
 * control characters, empty fields) fails that check on its own positions. Stores rows from *row until a line is not
 * plain (returns 0) or the row capacity is reached; *k, *lineStart and *row advance past the lines stored.
 */
static u32 lines_path(const u8 *buf, const u8 *expect, u32 npos, u32 *k_, u32 *lineStart_, u32 *row_, u32 cap,
                      u32 base) {
  const u32 n = PLAN.n;
  u32 k = *k_, lineStart = *lineStart_, row = *row_, good = 1;
  while (npos - k >= n && row < cap) {
    const u32 *P = POS + k;
    u32 ok = buf[lineStart] != '#';
    u32 fstart = lineStart;
    for (u32 f = 0; f < n; f++) {
      const u32 p = P[f];
      const u32 flen = p - fstart;
      ok &= (buf[p] == expect[f]) & (flen != 0);
      if (PLAN.kind[f]) {
        u32 digits = 1;
        const u64 v = digits16(buf + p, flen, &digits);
        const u32 dash = (flen == 1) & (buf[fstart] == '-');
        ok &= (digits & (v <= MAX_SAFE)) | dash;
        ((double *)PLAN.col[f])[row] = dash ? __builtin_nan("") : (double)(int64_t)v;
      } else {
        ((int32_t *)PLAN.col[f])[row] = (int32_t)(fstart + base);
        ((int32_t *)PLAN.col2[f])[row] = (int32_t)(p + base);
      }
      fstart = p + 1;
    }
    if (!ok) {
      good = 0;
      break;
    }
    lineStart = fstart;
    k += n;
    row++;
  }
  *k_ = k;
  *lineStart_ = lineStart;
  *row_ = row;
  return good;
}

/* '-' (a lone dash) is NaN in lane `lane` of v; returns 0 when the field (end e, length l) is not a dash */
static inline u32 dash_lane(const u8 *buf, u32 e, u32 l, v128_t *v, u32 lane) {
  if (!((l == 1) & (buf[e - 1] == '-'))) return 0;
  *v = lane ? wasm_f64x2_replace_lane(*v, 1, __builtin_nan("")) : wasm_f64x2_replace_lane(*v, 0, __builtin_nan(""));
  return 1;
}

/*
 * Integer field f of lines 0..L-1 of a clean segment (stage 2, column by column). POS[i * n + f] is the end of the
 * field in line i, POS[i * n + f - 1] + 1 its start (POS[-1] is the segment's first line start - 1). Two lines per
 * step: fields of up to 8 digits share one 16-byte vector, longer ones (up to 16) take one vector each and share the
 * reduction. Returns 0 when a value is not 1-16 digits (or '-'), or exceeds 2^53 - 1.
 */
static u32 int_column(const u8 *buf, u32 f, u32 L, double *col) {
  const u32 n = PLAN.n;
  const v128_t zero = wasm_u8x16_splat('0');
  const v128_t nine = wasm_u8x16_splat(9);
  const v128_t lowByte = wasm_u16x8_splat(0xff);
  const v128_t ten = wasm_u16x8_splat(10);
  const v128_t m100 = wasm_i32x4_splat(100 | (1 << 16));
  const v128_t m10000 = wasm_i32x4_splat(10000 | (1 << 16));
  const u32 *p = POS + f;
  u32 i = 0;
  /* fields of up to 4 digits, four lines at a time, while they last (version, protocol, TCP flags, ...) */
  for (; i + 4 <= L; i += 4, p += 4 * n) {
    const u32 *p1 = p + n, *p2 = p + 2 * n, *p3 = p + 3 * n;
    const u32 e0 = p[0], e1 = p1[0], e2 = p2[0], e3 = p3[0];
    const u32 l0 = e0 - p[-1] - 1, l1 = e1 - p1[-1] - 1, l2 = e2 - p2[-1] - 1, l3 = e3 - p3[-1] - 1;
    if ((l0 | l1 | l2 | l3) > 4) break;
    v128_t raw = wasm_v128_load32_zero(buf + e0 - 4);
    raw = wasm_v128_load32_lane(buf + e1 - 4, raw, 1);
    raw = wasm_v128_load32_lane(buf + e2 - 4, raw, 2);
    raw = wasm_v128_load32_lane(buf + e3 - 4, raw, 3);
    v128_t keep = wasm_v128_load32_zero(&KEEP[l0][12]);
    keep = wasm_v128_load32_lane(&KEEP[l1][12], keep, 1);
    keep = wasm_v128_load32_lane(&KEEP[l2][12], keep, 2);
    keep = wasm_v128_load32_lane(&KEEP[l3][12], keep, 3);
    const v128_t d = wasm_v128_and(wasm_i8x16_sub(raw, zero), keep);
    const v128_t bad = wasm_u8x16_sub_sat(d, nine);
    const v128_t t16 = wasm_i16x8_add(wasm_i16x8_mul(wasm_v128_and(d, lowByte), ten), wasm_u16x8_shr(d, 8));
    const v128_t t = wasm_i32x4_dot_i16x8(t16, m100);
    v128_t v01 = wasm_f64x2_convert_low_i32x4(t);
    v128_t v23 = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(t, t, 2, 3, 2, 3));
    if (wasm_v128_any_true(bad)) {
      if (wasm_i32x4_extract_lane(bad, 0) != 0 && !dash_lane(buf, e0, l0, &v01, 0)) return 0;
      if (wasm_i32x4_extract_lane(bad, 1) != 0 && !dash_lane(buf, e1, l1, &v01, 1)) return 0;
      if (wasm_i32x4_extract_lane(bad, 2) != 0 && !dash_lane(buf, e2, l2, &v23, 0)) return 0;
      if (wasm_i32x4_extract_lane(bad, 3) != 0 && !dash_lane(buf, e3, l3, &v23, 1)) return 0;
    }
    wasm_v128_store(col + i, v01);
    wasm_v128_store(col + i + 2, v23);
  }
  for (; i < L; i += 2, p += 2 * n) {
    const u32 last = i + 1 == L; /* the last line of an odd count pairs with itself */
    const u32 *q = last ? p : p + n;
    const u32 eA = p[0], eB = q[0];
    const u32 lA = eA - p[-1] - 1, lB = eB - q[-1] - 1;
    v128_t v, bad;
    if ((lA <= 8) & (lB <= 8)) {
      v128_t raw = wasm_v128_load64_zero(buf + eA - 8);
      raw = wasm_v128_load64_lane(buf + eB - 8, raw, 1);
      v128_t keep = wasm_v128_load64_zero(&KEEP[lA][8]);
      keep = wasm_v128_load64_lane(&KEEP[lB][8], keep, 1);
      const v128_t d = wasm_v128_and(wasm_i8x16_sub(raw, zero), keep);
      bad = wasm_u8x16_sub_sat(d, nine);
      const v128_t t16 = wasm_i16x8_add(wasm_i16x8_mul(wasm_v128_and(d, lowByte), ten), wasm_u16x8_shr(d, 8));
      const v128_t t32 = wasm_i32x4_dot_i16x8(t16, m100);
      const v128_t t = wasm_i32x4_dot_i16x8(wasm_i16x8_narrow_i32x4(t32, t32), m10000);
      v = wasm_f64x2_convert_low_i32x4(t);
    } else {
      if ((lA > 16) | (lB > 16)) return 0;
      const v128_t dA = wasm_v128_and(wasm_i8x16_sub(wasm_v128_load(buf + eA - 16), zero), wasm_v128_load(KEEP[lA]));
      const v128_t dB = wasm_v128_and(wasm_i8x16_sub(wasm_v128_load(buf + eB - 16), zero), wasm_v128_load(KEEP[lB]));
      /* lanes 0-7: A's bad digits, 8-15: B's (a digit is bad where either half of its vector is) */
      const v128_t bA = wasm_u8x16_sub_sat(dA, nine), bB = wasm_u8x16_sub_sat(dB, nine);
      /* lane 0: A's digits all good, lane 1: B's (only looked at when some digit is bad) */
      bad = wasm_v128_or(bA, bB);
      if (wasm_v128_any_true(bad)) bad = wasm_i64x2_make(wasm_v128_any_true(bA), wasm_v128_any_true(bB));
      const v128_t tA = wasm_i16x8_add(wasm_i16x8_mul(wasm_v128_and(dA, lowByte), ten), wasm_u16x8_shr(dA, 8));
      const v128_t tB = wasm_i16x8_add(wasm_i16x8_mul(wasm_v128_and(dB, lowByte), ten), wasm_u16x8_shr(dB, 8));
      const v128_t n16 = wasm_i16x8_narrow_i32x4(wasm_i32x4_dot_i16x8(tA, m100), wasm_i32x4_dot_i16x8(tB, m100));
      const v128_t t = wasm_i32x4_dot_i16x8(n16, m10000); /* A high 8 digits, A low 8, B high 8, B low 8 */
      const v128_t hi = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(t, t, 0, 2, 0, 2));
      const v128_t lo = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(t, t, 1, 3, 1, 3));
      v = wasm_f64x2_add(wasm_f64x2_mul(hi, wasm_f64x2_splat(1e8)), lo);
      /* a 16-digit value may exceed 2^53 - 1; such a sum rounds to >= 2^53, so the comparison is exact */
      if (((lA == 16) | (lB == 16)) && wasm_v128_any_true(wasm_f64x2_gt(v, wasm_f64x2_splat((double)MAX_SAFE))))
        return 0;
    }
    if (wasm_v128_any_true(bad)) {
      /* not all digits: each such field must be a lone '-' (NaN) */
      if (wasm_i64x2_extract_lane(bad, 0) != 0 && !dash_lane(buf, eA, lA, &v, 0)) return 0;
      if (wasm_i64x2_extract_lane(bad, 1) != 0 && !dash_lane(buf, eB, lB, &v, 1)) return 0;
    }
    if (last)
      wasm_v128_store64_lane(col + i, v, 0);
    else
      wasm_v128_store(col + i, v);
  }
  return 1;
}

/*
 * Scans buf[0, len) (buf[len - 1] is LF; 16 readable bytes before buf and 64 after it) into at most cap rows.
 * String offsets are stored plus `base` (the caller's offset of buf[0]).
 *
 * Stage 1 (SIMD) lists the positions of bytes <= 0x20 of a segment and notes, for the whole segment, whether it has
 * control characters other than LF, adjacent separators (empty fields, runs of spaces, blank lines, leading or
 * trailing spaces) and how many LFs. Stage 2: a clean segment whose every n-th position is an LF and whose LF count
 * equals its line count has only plain lines (n fields, single spaces): its columns are filled column by column with
 * no per-field checks but the integer digits. Any other segment (or one whose integers do not convert) goes through
 * lines_path, which stops at the first line that is not plain.
 */
__attribute__((export_name("scan"))) u32 scan(const u8 *buf, u32 len, u32 cap, u32 base) {
  const u32 n = PLAN.n;
  u32 row = 0, lineStart = 0, status = 0, npos = 0;
  u32 dirtyEnd = 0; /* a line starting before this offset began in a segment that was not clean */
  u64 carry = 1;    /* separator bit of the byte before the block (a virtual one before buf) */
  u8 expect[MAX_FIELDS];
  for (u32 f = 0; f < n; f++) expect[f] = f == n - 1 ? '\n' : ' ';
  const v128_t limit = SEP_LIMIT;
  const v128_t lfv = wasm_u8x16_splat('\n');
  const v128_t spv = wasm_u8x16_splat(' ');
  for (u32 s0 = 0; s0 < len; s0 += SEGMENT) {
    const u32 s1 = len - s0 < SEGMENT ? len : s0 + SEGMENT;
    v128_t odd = wasm_i8x16_splat(0); /* lanes that saw a control character other than LF */
    v128_t lfacc = wasm_i8x16_splat(0);
    u64 adj = 0;
    u32 lfs = 0;
    u32 b = s0;
    for (; b + 64 <= s1; b += 64) {
      u64 m = 0;
      for (u32 q = 0; q < 4; q++) {
        const v128_t v = wasm_v128_load(buf + b + 16 * q);
        const v128_t sep = wasm_u8x16_le(v, limit);
        const v128_t lf = wasm_i8x16_eq(v, lfv);
        odd = wasm_v128_or(odd, wasm_v128_xor(sep, wasm_v128_or(lf, wasm_i8x16_eq(v, spv))));
        lfacc = wasm_i8x16_sub(lfacc, lf);
        m |= (u64)(u16)wasm_i8x16_bitmask(sep) << (16 * q);
      }
      if (((b - s0) & 2047) == 2047 - 63) { /* every 32 blocks, before a lane can count past 127 */
        const v128_t w = wasm_i32x4_extadd_pairwise_i16x8(wasm_u16x8_extadd_pairwise_u8x16(lfacc));
        lfs += (u32)(wasm_i32x4_extract_lane(w, 0) + wasm_i32x4_extract_lane(w, 1) + wasm_i32x4_extract_lane(w, 2) +
                     wasm_i32x4_extract_lane(w, 3));
        lfacc = wasm_i8x16_splat(0);
      }
      adj |= m & ((m << 1) | carry);
      carry = m >> 63;
      const u32 cnt = (u32)__builtin_popcountll(m);
      u32 *out = POS_BASE + npos;
      for (u32 i = 0; i < 8; i++) {
        out[i] = b + (u32)__builtin_ctzll(m);
        m &= m - 1;
      }
      if (cnt > 8) {
        for (u32 i = 8; i < cnt; i++) {
          out[i] = b + (u32)__builtin_ctzll(m);
          m &= m - 1;
        }
      }
      npos += cnt;
    }
    {
      const v128_t w = wasm_i32x4_extadd_pairwise_i16x8(wasm_u16x8_extadd_pairwise_u8x16(lfacc));
      lfs += (u32)(wasm_i32x4_extract_lane(w, 0) + wasm_i32x4_extract_lane(w, 1) + wasm_i32x4_extract_lane(w, 2) +
                   wasm_i32x4_extract_lane(w, 3));
    }
    if (b < s1) { /* the last, partial block of the input */
      const u64 keep = (((u64)1) << (s1 - b)) - 1;
      u64 m = 0, lfm = 0, spm = 0;
      for (u32 q = 0; q < 4; q++) {
        const v128_t v = wasm_v128_load(buf + b + 16 * q);
        m |= (u64)(u16)wasm_i8x16_bitmask(wasm_u8x16_le(v, limit)) << (16 * q);
        lfm |= (u64)(u16)wasm_i8x16_bitmask(wasm_i8x16_eq(v, lfv)) << (16 * q);
        spm |= (u64)(u16)wasm_i8x16_bitmask(wasm_i8x16_eq(v, spv)) << (16 * q);
      }
      m &= keep;
      lfm &= keep;
      if (m != ((lfm | spm) & keep)) odd = wasm_i8x16_splat(-1);
      lfs += (u32)__builtin_popcountll(lfm);
      adj |= m & ((m << 1) | carry);
      carry = m >> 63;
      const u32 cnt = (u32)__builtin_popcountll(m);
      u32 *out = POS + npos;
      for (u32 i = 0; i < cnt; i++) {
        out[i] = b + (u32)__builtin_ctzll(m);
        m &= m - 1;
      }
      npos += cnt;
    }
    /* stage 2: a clean segment column by column, else line by line */
    const u32 L = npos / n;
    u32 k = 0;
    /* the checks cover all L lines; at most W (the rows left) are stored */
    const u32 W = L < cap - row ? L : cap - row;
    u32 clean = (L > 0) & !wasm_v128_any_true(odd) & (adj == 0) & (lineStart >= dirtyEnd) &
                (buf[lineStart] != '#');
    if (clean) {
      /* the LFs of the carried positions (bytes of earlier segments) count too */
      for (u32 i = 0; i < npos && POS[i] < s0; i++) lfs += buf[POS[i]] == '\n';
      u32 ends = 0;
      const u32 *E = POS + n - 1;
      for (u32 i = 0; i < L; i++, E += n) ends |= (u32)(buf[*E] ^ '\n') | (u32)(buf[*E + 1] == '#');
      ends = (ends == 0) & (lfs == L);
      clean = ends;
    }
    if (clean) {
      POS[-1] = lineStart - 1;
      for (u32 f = 0; f < n && clean; f++) {
        if (PLAN.kind[f]) clean = int_column(buf, f, W, (double *)PLAN.col[f] + row);
      }
    }
    if (clean) {
      const v128_t basev = wasm_i32x4_splat((int32_t)base), base1 = wasm_i32x4_splat((int32_t)base + 1);
      for (u32 f = 0; f < n; f++) {
        if (PLAN.kind[f]) continue;
        int32_t *ss = (int32_t *)PLAN.col[f] + row, *se = (int32_t *)PLAN.col2[f] + row;
        const u32 *P = POS + f;
        u32 i = 0;
        /* four lines at a time: their ends (positions n apart) gathered into one vector */
        for (; i + 4 <= W; i += 4, P += 4 * n) {
          v128_t e = wasm_v128_load32_zero(P);
          e = wasm_v128_load32_lane(P + n, e, 1);
          e = wasm_v128_load32_lane(P + 2 * n, e, 2);
          e = wasm_v128_load32_lane(P + 3 * n, e, 3);
          v128_t b = wasm_v128_load32_zero(P - 1);
          b = wasm_v128_load32_lane(P + n - 1, b, 1);
          b = wasm_v128_load32_lane(P + 2 * n - 1, b, 2);
          b = wasm_v128_load32_lane(P + 3 * n - 1, b, 3);
          wasm_v128_store(ss + i, wasm_i32x4_add(b, base1));
          wasm_v128_store(se + i, wasm_i32x4_add(e, basev));
        }
        for (; i < W; i++, P += n) {
          ss[i] = (int32_t)(P[-1] + 1 + base);
          se[i] = (int32_t)(P[0] + base);
        }
      }
      k = W * n;
      lineStart = POS[k - 1] + 1;
      row += W;
      if (row == cap) {
        status = lineStart < len ? 1 : 0;
        goto done;
      }
    } else {
      if (wasm_v128_any_true(odd) | (adj != 0)) dirtyEnd = s1;
      if (!lines_path(buf, expect, npos, &k, &lineStart, &row, cap, base)) goto bad;
      if (row == cap) {
        status = lineStart < len ? 1 : 0;
        goto done;
      }
    }
    /* carry the positions of the unfinished line into the next segment */
    for (u32 i = k; i < npos; i++) POS[i - k] = POS[i];
    npos -= k;
  }
  if (npos > 0) goto bad; /* a last line with too few fields */
  goto done;
bad:
  status = 2;
done:
  RESULT.rows = row;
  RESULT.end = lineStart;
  RESULT.status = status;
  return row;
}
