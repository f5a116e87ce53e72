/* Tests of the fast HJ 212 CRC (src/hj212/crc.c) against the bitwise Annex A routine: on
 * every frame of the test data, on the standard's check values, and on random buffers of
 * every length 0..4096 at every alignment the word loads can meet. The expected values are
 * hj212_crc16_ref's, a literal transcription of HJ 212-2017 Annex A, never the fast form's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hj212/hj212.h"

enum { MAX_LEN = 4096, ALIGNS = 64 };

static uint32_t rnd(uint32_t *x)
{
    *x ^= *x << 13; /* xorshift32 */
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

/* Every frame of a golden file (one per line, "##" + length + segment + CRC): the fast and
 * the reference CRC of the segment agree; on good frames they also equal the CRC field. */
static size_t check_file(const char *name, bool good)
{
    char path[512], line[12000];
    snprintf(path, sizeof path, "%s/hj212/%s", TEST_DATA_DIR, name);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    size_t n = 0;
    while (fgets(line, (int)sizeof line, fp)) {
        size_t len = strcspn(line, "\r\n");
        assert_true(len >= 10 && line[0] == '#' && line[1] == '#');
        const char *seg = line + 6;
        size_t seg_n = len - 10; /* the segment as it is, whatever the length field says */
        uint16_t ref = hj212_crc16_ref(seg, seg_n), field;
        assert_int_equal(hj212_crc16(seg, seg_n), ref);
        assert_int_equal(hj212_crc_parse(seg + seg_n, &field), 0);
        if (good)
            assert_int_equal(ref, field);
        else
            assert_int_not_equal(ref, field);
        /* Every prefix too: segments of every length mod 8 and mod 32. */
        for (size_t k = 0; k <= seg_n; k++)
            assert_int_equal(hj212_crc16(seg, k), hj212_crc16_ref(seg, k));
        n++;
    }
    fclose(fp);
    return n;
}

static void crc_fast_equals_reference_on_every_test_frame(void **state)
{
    (void)state;
    assert_int_equal(check_file("golden.txt", true), 8);
    assert_int_equal(check_file("bad_crc_public.txt", false), 1);
}

static void crc_check_values_of_the_standard(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        uint16_t crc;
    } v[] = {
        {"", 0xFFFF},
        {"A", 0x7080},
        {"123456789", 0x2F80}, /* CRC-16/MODBUS would give 4B37 */
        /* HJ 212-2017 Annex A example */
        {"QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
         "CP=&&RtdInterval=30&&",
         0x1C80},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        assert_int_equal(hj212_crc16(v[i].s, strlen(v[i].s)), v[i].crc);
        assert_int_equal(hj212_crc16_ref(v[i].s, strlen(v[i].s)), v[i].crc);
    }
}

/* Random bytes (and runs of 0x00 / 0xFF, where a lost lane or a missing initial value
 * would hide least) of every length 0..MAX_LEN, each at every alignment 0..ALIGNS-1. The
 * reference is computed once per length; the same bytes are then moved to each alignment. */
static void crc_fast_equals_reference_for_every_length_and_alignment(void **state)
{
    (void)state;
    static unsigned char src[MAX_LEN], buf[MAX_LEN + ALIGNS];
    static uint16_t ref[MAX_LEN + 1];
    uint32_t x = 212;
    for (int fill = 0; fill < 3; fill++) {
        for (size_t i = 0; i < MAX_LEN; i++)
            src[i] = fill == 0 ? (unsigned char)rnd(&x) : fill == 1 ? 0x00 : 0xFF;
        for (size_t n = 0; n <= MAX_LEN; n++)
            ref[n] = hj212_crc16_ref(src, n);
        for (size_t a = 0; a < ALIGNS; a++) {
            memset(buf, 0xA5, sizeof buf);
            memcpy(buf + a, src, MAX_LEN);
            for (size_t n = 0; n <= MAX_LEN; n++)
                if (hj212_crc16(buf + a, n) != ref[n])
                    fail_msg("fill %d length %zu alignment %zu: fast %04X, Annex A %04X", fill, n,
                             a, hj212_crc16(buf + a, n), ref[n]);
        }
    }
}

/* A single flipped bit anywhere must move the result exactly as it moves the reference:
 * catches a fast form that reads a byte twice or not at all. */
static void crc_fast_tracks_every_single_bit_change(void **state)
{
    (void)state;
    unsigned char b[300];
    uint32_t x = 2017;
    for (size_t i = 0; i < sizeof b; i++)
        b[i] = (unsigned char)rnd(&x);
    for (size_t n = 1; n <= sizeof b; n += 37) {
        for (size_t i = 0; i < n; i++) {
            for (int bit = 0; bit < 8; bit++) {
                b[i] ^= (unsigned char)(1u << bit);
                assert_int_equal(hj212_crc16(b, n), hj212_crc16_ref(b, n));
                b[i] ^= (unsigned char)(1u << bit);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_fast_equals_reference_on_every_test_frame),
        cmocka_unit_test(crc_check_values_of_the_standard),
        cmocka_unit_test(crc_fast_equals_reference_for_every_length_and_alignment),
        cmocka_unit_test(crc_fast_tracks_every_single_bit_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
