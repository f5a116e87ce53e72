/* libFuzzer target: the fast CRC (hj212_crc16) equals the bitwise Annex A routine
 * (hj212_crc16_ref) on arbitrary bytes, at the input's own address and at every offset
 * 1..7 from it (the fast form reads eight bytes at a time), and on every prefix. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hj212/hj212.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2 * HJ212_SEG_MAX_ABS)
        return 0;
    uint16_t ref = hj212_crc16_ref(data, size);
    CHECK(hj212_crc16(data, size) == ref);
    unsigned char *copy = malloc(size + 8);
    if (!copy)
        return 0;
    for (size_t a = 1; a < 8; a++) {
        memcpy(copy + a, data, size);
        CHECK(hj212_crc16(copy + a, size) == ref);
    }
    free(copy);
    /* Prefixes: the lengths on both sides of every word and block boundary. */
    for (size_t k = size > 72 ? size - 72 : 0; k < size; k++)
        CHECK(hj212_crc16(data, k) == hj212_crc16_ref(data, k));
    return 0;
}
