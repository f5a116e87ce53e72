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
 * T, hence H, is linear over GF(2) (T[a ^ b] = T[a] ^ T[b]), so for bytes b_0 .. b_last
 *     s_last = H^last(0xFF ^ b_0) ^ H^(last-1)(b_1) ^ ... ^ H(b_(last-1)),
 * and the result is T[s_last ^ b_last]. H, an 8x8 bit matrix, has order 8: H^8 is the
 * identity (crc_tables.h; checked by the unit test through every length). So the weight of
 * byte i depends only on (last - i) mod 8, and the bytes of one residue class can be XORed
 * together before any table is read: the whole segment but its last byte folds into one
 * 64-bit word by XOR (one load and one XOR per 8 bytes, no dependency on the tables), then
 * eight lookups apply H^((last - j) mod 8) to byte lane j. The check is, in effect, an 8-bit
 * position-weighted XOR checksum; it runs at the speed memory is read. */
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

uint16_t hj212_crc16(const void *data, size_t n)
{
    const unsigned char *p = data;
    if (n == 0)
        return 0xFFFF;
    size_t last = n - 1, i = 0;
    /* Byte lane j of acc: XOR of the bytes p[i], i < last, i mod 8 == j. Four words per
     * step keep four independent XOR chains (the compiler may vectorise them). */
    uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (; i + 32 <= last; i += 32) {
        a0 ^= load64le(p + i);
        a1 ^= load64le(p + i + 8);
        a2 ^= load64le(p + i + 16);
        a3 ^= load64le(p + i + 24);
    }
    uint64_t acc = a0 ^ a1 ^ a2 ^ a3;
    for (; i + 8 <= last; i += 8)
        acc ^= load64le(p + i);
    for (; i < last; i++)
        acc ^= (uint64_t)p[i] << (8 * (i & 7));
    acc ^= 0xFF; /* the high byte of the initial 0xFFFF enters with b_0 (lane 0) */
    unsigned s = 0;
    for (unsigned j = 0; j < 8; j++) {
        unsigned b = (unsigned)(acc >> (8 * j)) & 0xFF, e = (unsigned)(last - j) & 7;
        s ^= e ? crc_h[e - 1][b] : b; /* H^e; H^0 = H^8 = identity */
    }
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
