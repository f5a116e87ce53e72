/* hj212 CRC: the checksum of HJ 212-2017 Annex A.
 *
 * The Annex A routine, per data-segment byte: reg = (reg >> 8) ^ byte, then eight rounds of
 * "shift right; if the bit shifted out was 1, reg ^= 0xA001"; reg starts at 0xFFFF and is the
 * result after the last byte (no final XOR). It is NOT CRC-16/MODBUS, which keeps the low
 * byte (reg ^= byte): "123456789" gives 2F80 here and 4B37 under Modbus.
 *
 * Why the fast form is possible: the shift by 8 throws the low byte away, so the state
 * carried from byte to byte is only the high byte s = reg >> 8, and one step is
 *     reg' = T[s ^ byte]    (T = the eight rounds applied to an 8-bit value: the CRC-16/ARC
 *                            table), s' = reg' >> 8 = H[s ^ byte].
 * T, hence H, is linear over GF(2) (T[a ^ b] = T[a] ^ T[b]), so after k bytes
 *     s_k = H^k(s ^ b_0) ^ H^(k-1)(b_1) ^ ... ^ H(b_(k-1)),
 * and the k lookups are independent of each other ("slicing"): sixteen bytes cost sixteen
 * parallel loads instead of a chain of sixteen dependent ones. The last byte uses the full T
 * because the result is the whole 16-bit register. */
#include <stdint.h>
#include <string.h>

#include "hj212/crc_tables.h"
#include "hj212/hj212.h"

uint16_t hj212_crc16_ref(const void *data, size_t n)
{
    /* HJ 212-2017 Annex A, transcribed literally. */
    const unsigned char *p = data;
    unsigned reg = 0xFFFF;
    for (size_t i = 0; i < n; i++) {
        reg = (reg >> 8) ^ p[i];
        for (int j = 0; j < 8; j++) {
            unsigned bit = reg & 1u;
            reg >>= 1;
            if (bit)
                reg ^= 0xA001;
        }
    }
    return (uint16_t)reg;
}

static inline uint64_t load64le(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HJ212_CRC_SIMD 1
/* The same algebra with SSSE3: sixteen lane accumulators A_j, one per byte position mod 16.
 * Per 16-byte block A = H^16(A) ^ block, where H^16 (one matrix for every lane) is applied
 * with two nibble-table shuffles because it is linear: H^16(x) = H^16(x & 0x0F) ^
 * H^16(x & 0xF0). At the end the state is the XOR over lanes of H^(16-j)(A_j). About one
 * instruction per 3 bytes instead of four per byte. Returns the state after nb blocks. */
__attribute__((target("ssse3"))) static unsigned crc_blocks_ssse3(const unsigned char *p, size_t nb,
                                                                  unsigned s)
{
    unsigned char lo_t[16], hi_t[16], a[16];
    for (int x = 0; x < 16; x++) {
        lo_t[x] = crc_h[15][x];
        hi_t[x] = crc_h[15][x << 4];
    }
    const __m128i lo = _mm_loadu_si128((const __m128i *)lo_t);
    const __m128i hi = _mm_loadu_si128((const __m128i *)hi_t);
    const __m128i m4 = _mm_set1_epi8(0x0F);
    __m128i acc = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p), _mm_cvtsi32_si128((int)s));
    for (size_t m = 1; m < nb; m++) {
        __m128i l = _mm_shuffle_epi8(lo, _mm_and_si128(acc, m4));
        __m128i h = _mm_shuffle_epi8(hi, _mm_and_si128(_mm_srli_epi16(acc, 4), m4));
        acc = _mm_xor_si128(_mm_xor_si128(l, h), _mm_loadu_si128((const __m128i *)(p + 16 * m)));
    }
    _mm_storeu_si128((__m128i *)a, acc);
    unsigned r = 0;
    for (int j = 0; j < 16; j++)
        r ^= crc_h[15 - j][a[j]];
    return r;
}
#endif

uint16_t hj212_crc16(const void *data, size_t n)
{
    const unsigned char *p = data;
    if (n == 0)
        return 0xFFFF;
    unsigned s = 0xFF; /* high byte of the initial 0xFFFF */
    size_t last = n - 1;
    size_t i = 0;
#ifdef HJ212_CRC_SIMD
    if (last >= 64 && __builtin_cpu_supports("ssse3")) {
        size_t nb = last / 16;
        s = crc_blocks_ssse3(p, nb, s);
        i = nb * 16;
    }
#endif
    /* 16 bytes per step: two word loads, sixteen independent table lookups. */
    for (; i + 16 <= last; i += 16) {
        uint64_t a = load64le(p + i) ^ s, b = load64le(p + i + 8);
        s = (unsigned)crc_h[15][a & 0xFF] ^ crc_h[14][(a >> 8) & 0xFF] ^
            crc_h[13][(a >> 16) & 0xFF] ^ crc_h[12][(a >> 24) & 0xFF] ^
            crc_h[11][(a >> 32) & 0xFF] ^ crc_h[10][(a >> 40) & 0xFF] ^ crc_h[9][(a >> 48) & 0xFF] ^
            crc_h[8][a >> 56] ^ crc_h[7][b & 0xFF] ^ crc_h[6][(b >> 8) & 0xFF] ^
            crc_h[5][(b >> 16) & 0xFF] ^ crc_h[4][(b >> 24) & 0xFF] ^ crc_h[3][(b >> 32) & 0xFF] ^
            crc_h[2][(b >> 40) & 0xFF] ^ crc_h[1][(b >> 48) & 0xFF] ^ crc_h[0][b >> 56];
    }
    for (; i < last; i++)
        s = crc_h[0][s ^ p[i]];
    return crc_t[s ^ p[last]];
}

void hj212_crc_hex(uint16_t crc, char out[4])
{
    /* Annex A: "high byte first"; the standard's examples print upper case, zero-padded. */
    static const char hex[] = "0123456789ABCDEF";
    out[0] = hex[(crc >> 12) & 15];
    out[1] = hex[(crc >> 8) & 15];
    out[2] = hex[(crc >> 4) & 15];
    out[3] = hex[crc & 15];
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int hj212_crc_parse(const char *p, uint16_t *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hexval((unsigned char)p[i]);
        if (d < 0)
            return -1;
        v = v << 4 | (unsigned)d;
    }
    *out = (uint16_t)v;
    return 0;
}
