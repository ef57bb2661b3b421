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
static u32 POS[SEGMENT + MAX_FIELDS + 64];

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

/* Bit mask of the bytes <= 0x20 (field and line ends, and control characters) in buf[b, b + 64). */
static inline u64 separators(const u8 *p) {
  const v128_t limit = wasm_u8x16_splat(0x20);
  return (u64)wasm_i8x16_bitmask(wasm_u8x16_le(wasm_v128_load(p), limit)) |
         ((u64)wasm_i8x16_bitmask(wasm_u8x16_le(wasm_v128_load(p + 16), limit)) << 16) |
         ((u64)wasm_i8x16_bitmask(wasm_u8x16_le(wasm_v128_load(p + 32), limit)) << 32) |
         ((u64)wasm_i8x16_bitmask(wasm_u8x16_le(wasm_v128_load(p + 48), limit)) << 48);
}

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
 * Scans buf[0, len) (buf[len - 1] is LF; 16 readable bytes before buf and 64 after it) into at most cap rows.
 * String offsets are stored plus `base` (the caller's offset of buf[0]).
 *
 * Stage 1 (SIMD) lists the positions of bytes <= 0x20 of a segment; stage 2 takes them n at a time, one line per n:
 * a plain line has spaces at the first n - 1 and LF at the n-th, so a line of another shape (too few or too many
 * fields, tabs, CR, control characters, empty fields) fails that check on its own positions and stops the scan
 * there.
 */
__attribute__((export_name("scan"))) u32 scan(const u8 *buf, u32 len, u32 cap, u32 base) {
  const u32 n = PLAN.n;
  u32 row = 0, lineStart = 0, status = 0, npos = 0;
  u8 expect[MAX_FIELDS];
  for (u32 f = 0; f < n; f++) expect[f] = f == n - 1 ? '\n' : ' ';
  for (u32 s0 = 0; s0 < len; s0 += SEGMENT) {
    const u32 s1 = len - s0 < SEGMENT ? len : s0 + SEGMENT;
    for (u32 b = s0; b < s1; b += 64) {
      u64 m = separators(buf + b);
      if (s1 - b < 64) m &= (((u64)1) << (s1 - b)) - 1;
      const u32 cnt = (u32)__builtin_popcountll(m);
      u32 *out = POS + npos;
      for (u32 i = 0; i < 12; i++) {
        out[i] = b + (u32)__builtin_ctzll(m);
        m &= m - 1;
      }
      if (cnt > 12) {
        for (u32 i = 12; i < cnt; i++) {
          out[i] = b + (u32)__builtin_ctzll(m);
          m &= m - 1;
        }
      }
      npos += cnt;
    }
    u32 k = 0;
    while (npos - k >= n) {
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
      if (!ok) goto bad;
      lineStart = fstart;
      k += n;
      if (++row == cap) {
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
