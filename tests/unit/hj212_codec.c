/* Tests of src/hj212: CRC, framer, parser, code tables, reassembly, encoders.
 * Expected values come from HJ 212-2017 (Annex A example, tables 3-9), from packets of real
 * equipment whose CRCs were checked independently (tests/data/hj212/), and from hand
 * calculation; never from this code's own output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hj212/hj212.h"

#define ANNEX_A                                                                                    \
    "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&"        \
    "RtdInterval=30&&"
#define ANNEX_A_FRAME "##0101" ANNEX_A "1C80\r\n"

static hj212_item items[4096];

/* ---- CRC ------------------------------------------------------------------------------ */

static void crc_matches_annex_a_and_check_values(void **state)
{
    (void)state;
    assert_int_equal(hj212_crc16("", 0), 0xFFFF);
    assert_int_equal(hj212_crc16("A", 1), 0x7080);
    assert_int_equal(hj212_crc16("123456789", 9), 0x2F80); /* Modbus would give 4B37 */
    assert_int_equal(hj212_crc16(ANNEX_A, strlen(ANNEX_A)), 0x1C80);
    const char *s1 = "QN=20160801085857223;ST=32;CN=1000;PW=123456;MN=010000A8900016F000169DC0;"
                     "Flag=5;CP=&&OverTime=5;ReCount=3&&";
    assert_int_equal(hj212_crc16(s1, strlen(s1)), 0xCAC1);
    assert_int_equal(hj212_crc16_ref("123456789", 9), 0x2F80);
}

static void crc_fast_form_equals_bitwise_routine(void **state)
{
    (void)state;
    unsigned char b[2100]; /* longer than a frame: many 32-byte word steps */
    srand(212);
    for (int t = 0; t < 2000; t++) {
        size_t n = (size_t)(rand() % (int)sizeof b);
        for (size_t i = 0; i < n; i++)
            b[i] = (unsigned char)rand();
        uint16_t c = hj212_crc16(b, n);
        assert_int_equal(c, hj212_crc16_ref(b, n));
        /* Annex A discards the low byte each step, so the low byte of the result is the
         * 8-round image of a byte: one of 00 01 40 41 80 81 C0 C1. */
        unsigned lo = c & 0xFF;
        assert_true(n == 0 || (lo & 0x3E) == 0);
    }
}

static void crc_hex_is_upper_and_parse_accepts_lower(void **state)
{
    (void)state;
    char out[4];
    hj212_crc_hex(0x0880, out);
    assert_memory_equal(out, "0880", 4); /* zero-padded */
    hj212_crc_hex(0x1dc0, out);
    assert_memory_equal(out, "1DC0", 4);
    uint16_t v;
    assert_int_equal(hj212_crc_parse("1dc0", &v), 0);
    assert_int_equal(v, 0x1DC0);
    assert_int_equal(hj212_crc_parse("1DCG", &v), -1);
    assert_int_equal(hj212_crc_parse("880\r", &v), -1);
}

/* ---- framer ---------------------------------------------------------------------------- */

typedef struct ev_rec {
    int kind;
    uint64_t off, len;
    size_t seg_len;
    unsigned defects;
    char seg[64];
} ev_rec;

/* Feed stream s in chunks of k bytes; record every event. Returns the count. */
static size_t run_stream(const char *s, size_t n, size_t k, const hj212_framer_opts *o, ev_rec *r,
                         size_t cap)
{
    hj212_framer f;
    hj212_framer_init(&f, o);
    hj212_frame_event ev;
    size_t m = 0;
    for (size_t i = 0; i < n; i += k) {
        size_t c = n - i < k ? n - i : k;
        /* Copy into a scratch buffer that is overwritten after each read, as a socket
         * buffer would be: frames must not point into old reads. */
        char *chunk = malloc(c);
        memcpy(chunk, s + i, c);
        hj212_framer_feed(&f, chunk, c);
        while (hj212_framer_next(&f, &ev)) {
            assert_true(m < cap);
            r[m] = (ev_rec){ev.kind, ev.offset, ev.len, ev.frame.seg_len, ev.frame.defects, {0}};
            if (ev.kind == HJ212_OK) {
                assert_int_equal(ev.frame.raw[0], '#');
                assert_int_equal(hj212_crc16(ev.frame.seg, ev.frame.seg_len), ev.frame.crc);
                memcpy(r[m].seg, ev.frame.seg, ev.frame.seg_len < 63 ? ev.frame.seg_len : 63);
            } else {
                assert_true(strlen(ev.msg) > 0);
            }
            m++;
        }
        memset(chunk, 'x', c);
        free(chunk);
    }
    while (hj212_framer_finish(&f, &ev)) {
        assert_true(m < cap);
        r[m++] = (ev_rec){ev.kind, ev.offset, ev.len, ev.frame.seg_len, ev.frame.defects, {0}};
    }
    hj212_framer_free(&f);
    return m;
}

static void framer_yields_frames_for_every_split(void **state)
{
    (void)state;
    const char *s = ANNEX_A_FRAME ANNEX_A_FRAME ANNEX_A_FRAME;
    size_t n = strlen(s);
    ev_rec r[16];
    for (size_t k = 1; k <= n; k++) {
        size_t m = run_stream(s, n, k, NULL, r, 16);
        assert_int_equal(m, 3);
        for (size_t i = 0; i < 3; i++) {
            assert_int_equal(r[i].kind, HJ212_OK);
            assert_int_equal(r[i].off, 113 * i); /* 101 + 12 bytes per frame */
            assert_int_equal(r[i].len, 113);
            assert_int_equal(r[i].seg_len, 101);
            assert_memory_equal(r[i].seg, "QN=20160801085857223;ST=32", 26);
        }
    }
}

static void framer_resyncs_after_garbage(void **state)
{
    (void)state;
    /* 5 bytes of garbage, a frame, a stray '#' and 3 more bytes, a frame. */
    const char *s = "hello" ANNEX_A_FRAME "#ab\n" ANNEX_A_FRAME;
    size_t n = strlen(s);
    ev_rec r[16];
    for (size_t k = 1; k <= n; k++) {
        size_t m = run_stream(s, n, k, NULL, r, 16);
        assert_int_equal(m, 4);
        assert_int_equal(r[0].kind, HJ212_E_GARBAGE);
        assert_int_equal(r[0].off, 0);
        assert_int_equal(r[0].len, 5);
        assert_int_equal(r[1].kind, HJ212_OK);
        assert_int_equal(r[1].off, 5);
        assert_int_equal(r[2].kind, HJ212_E_GARBAGE);
        assert_int_equal(r[2].off, 118);
        assert_int_equal(r[2].len, 4);
        assert_int_equal(r[3].kind, HJ212_OK);
        assert_int_equal(r[3].off, 122);
    }
}

static void framer_rejects_bad_crc_and_keeps_going(void **state)
{
    (void)state;
    const char *s = "##0101" ANNEX_A "1C81\r\n" ANNEX_A_FRAME;
    ev_rec r[8];
    for (size_t k = 1; k <= strlen(s); k += 7) {
        size_t m = run_stream(s, strlen(s), k, NULL, r, 8);
        assert_int_equal(m, 2);
        assert_int_equal(r[0].kind, HJ212_E_CRC);
        assert_int_equal(r[0].off, 0);
        assert_int_equal(r[0].len, 113);
        assert_int_equal(r[1].kind, HJ212_OK);
        assert_int_equal(r[1].off, 113);
    }
    /* A CRC field that is not hex rejects exactly its frame. */
    const char *x = "##0101" ANNEX_A "1CZ0\r\n" ANNEX_A_FRAME;
    size_t m = run_stream(x, strlen(x), 9, NULL, r, 8);
    assert_int_equal(m, 2);
    assert_int_equal(r[0].kind, HJ212_E_CRC_SYNTAX);
    assert_int_equal(r[0].len, 113);
    assert_int_equal(r[1].kind, HJ212_OK);
    /* The message names both values. */
    hj212_framer f;
    hj212_framer_init(&f, NULL);
    hj212_frame_event ev;
    hj212_framer_feed(&f, s, strlen(s));
    assert_int_equal(hj212_framer_next(&f, &ev), 1);
    assert_non_null(strstr(ev.msg, "1C81"));
    assert_non_null(strstr(ev.msg, "1C80"));
    assert_int_equal(hj212_framer_next(&f, &ev), 1);
    assert_int_equal(hj212_framer_next(&f, &ev), 0);
    hj212_framer_free(&f);
}

static void framer_bad_length_resyncs_inside_claimed_bytes(void **state)
{
    (void)state;
    /* Length 0200 is wrong (the segment has 101 bytes): no CR LF where it points, so the
     * "##" is rejected and the next frame, which starts inside the claimed 200 bytes, is
     * found. The rejected run covers everything up to that frame. */
    const char *s = "##0200" ANNEX_A "1C80\r\n" ANNEX_A_FRAME ANNEX_A_FRAME;
    ev_rec r[8];
    for (size_t k = 1; k <= strlen(s); k++) {
        size_t m = run_stream(s, strlen(s), k, NULL, r, 8);
        assert_int_equal(m, 3);
        assert_int_equal(r[0].kind, HJ212_E_TAIL);
        assert_int_equal(r[0].off, 0);
        assert_int_equal(r[0].len, 113);
        assert_int_equal(r[1].kind, HJ212_OK);
        assert_int_equal(r[1].off, 113);
        assert_int_equal(r[2].kind, HJ212_OK);
        assert_int_equal(r[2].off, 226);
    }
    /* Non-digit length: "##01x1". */
    const char *t = "##01x1abc" ANNEX_A_FRAME;
    size_t m = run_stream(t, strlen(t), 3, NULL, r, 8);
    assert_int_equal(m, 2);
    assert_int_equal(r[0].kind, HJ212_E_LENGTH);
    assert_int_equal(r[0].len, 9);
    assert_int_equal(r[1].kind, HJ212_OK);
    assert_int_equal(r[1].off, 9);
    /* "###0101...": the first '#' is noise, the frame starts at offset 1. */
    const char *u = "#" ANNEX_A_FRAME;
    m = run_stream(u, strlen(u), 1, NULL, r, 8);
    assert_int_equal(m, 2);
    assert_int_equal(r[0].kind, HJ212_E_GARBAGE);
    assert_int_equal(r[0].len, 1);
    assert_int_equal(r[1].kind, HJ212_OK);
    assert_int_equal(r[1].off, 1);
}

static void framer_caps_oversize_segments(void **state)
{
    (void)state;
    /* A 1100-byte segment: rejected with the standard's cap, accepted with 4096. */
    static char seg[1100], frame[1200];
    memset(seg, 'a', sizeof seg);
    memcpy(seg, "ST=22;CN=2011;MN=X;CP=&&", 24);
    memcpy(seg + 1098, "&&", 2);
    char crc[5] = {0};
    hj212_crc_hex(hj212_crc16(seg, sizeof seg), crc);
    int n = snprintf(frame, sizeof frame, "##1100%.*s%s\r\n", 1100, seg, crc);
    ev_rec r[8];
    size_t m = run_stream(frame, (size_t)n, 64, NULL, r, 8);
    assert_int_equal(m, 1);
    assert_int_equal(r[0].kind, HJ212_E_OVERSIZE);
    assert_int_equal(r[0].len, (uint64_t)n);
    hj212_framer_opts big = {.seg_max = 4096};
    m = run_stream(frame, (size_t)n, 64, &big, r, 8);
    assert_int_equal(m, 1);
    assert_int_equal(r[0].kind, HJ212_OK);
    assert_true(r[0].defects & HJ212_DEF_OVER_STD);
}

static void framer_reports_truncated_stream(void **state)
{
    (void)state;
    const char *s = ANNEX_A_FRAME "##0101QN=2016";
    ev_rec r[8];
    size_t m = run_stream(s, strlen(s), 5, NULL, r, 8);
    assert_int_equal(m, 2);
    assert_int_equal(r[0].kind, HJ212_OK);
    assert_int_equal(r[1].kind, HJ212_E_TRUNCATED);
    assert_int_equal(r[1].off, 113);
    assert_int_equal(r[1].len, 13);
}

static void framer_tolerates_lower_crc_lf_and_missing_tail(void **state)
{
    (void)state;
    /* 1dc0-style lower case, an LF-only tail, and a frame running straight into the next. */
    const char *s = "##0101" ANNEX_A "1c80\n"
                    "##0101" ANNEX_A "1C80" ANNEX_A_FRAME "##0101" ANNEX_A "1C80";
    ev_rec r[8];
    for (size_t k = 1; k <= strlen(s); k += 3) {
        size_t m = run_stream(s, strlen(s), k, NULL, r, 8);
        assert_int_equal(m, 4);
        assert_int_equal(r[0].kind, HJ212_OK);
        assert_int_equal(r[0].defects, HJ212_DEF_CRC_LOWER | HJ212_DEF_TAIL_LF);
        assert_int_equal(r[0].len, 112);
        assert_int_equal(r[1].kind, HJ212_OK);
        assert_int_equal(r[1].defects, HJ212_DEF_TAIL_NONE);
        assert_int_equal(r[1].off, 112);
        assert_int_equal(r[1].len, 111);
        assert_int_equal(r[2].kind, HJ212_OK);
        assert_int_equal(r[2].off, 223);
        assert_int_equal(r[3].kind, HJ212_OK); /* tail missing at the end of the stream */
        assert_int_equal(r[3].defects, HJ212_DEF_TAIL_NONE);
    }
    hj212_framer_opts strict = {.strict = true};
    size_t m = run_stream(s, strlen(s), 50, &strict, r, 8);
    assert_int_equal(r[0].kind, HJ212_E_TAIL);
    assert_true(m >= 2);
}

static void frame_one_checks_a_stored_frame(void **state)
{
    (void)state;
    hj212_frame fr;
    hj212_error err;
    assert_int_equal(hj212_frame_one(ANNEX_A_FRAME, 113, NULL, &fr, &err), 0);
    assert_int_equal(fr.seg_len, 101);
    assert_int_equal(fr.crc, 0x1C80);
    assert_int_equal(hj212_frame_one(ANNEX_A_FRAME "x", 114, NULL, &fr, &err), HJ212_E_TAIL);
    assert_int_equal(hj212_frame_one("QN=1", 4, NULL, &fr, &err), HJ212_E_GARBAGE);
}

/* ---- golden packets -------------------------------------------------------------------- */

static char golden[16][1100];
static size_t n_golden;

static void load_golden(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/hj212/%s", TEST_DATA_DIR, name);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    n_golden = 0;
    while (n_golden < 16 && fgets(golden[n_golden], (int)sizeof golden[0] - 2, fp)) {
        char *e = strchr(golden[n_golden], '\n');
        if (e)
            *e = 0;
        strcat(golden[n_golden], "\r\n");
        n_golden++;
    }
    fclose(fp);
}

static void golden_packets_verify_and_parse(void **state)
{
    (void)state;
    load_golden("golden.txt");
    assert_int_equal(n_golden, 8);
    hj212_frame fr;
    hj212_packet pk;
    hj212_error err;
    for (size_t i = 0; i < n_golden; i++) {
        assert_int_equal(hj212_frame_one(golden[i], strlen(golden[i]), NULL, &fr, &err), 0);
        assert_int_equal(hj212_parse(fr.seg, fr.seg_len, &pk, items, 4096, &err), 0);
    }
    /* G1: ambient-air station minute data, ST 22, Flag 4 = HJ 212-2017, no ack. */
    assert_int_equal(hj212_frame_one(golden[0], strlen(golden[0]), NULL, &fr, &err), 0);
    assert_int_equal(fr.crc, 0xD641);
    assert_int_equal(hj212_parse(fr.seg, fr.seg_len, &pk, items, 4096, &err), 0);
    assert_true(hj212_str_eq(pk.st, "22"));
    assert_int_equal(pk.cn, 2051);
    assert_true(hj212_str_eq(pk.mn, "JLYP01_AIR01_0001"));
    assert_int_equal(pk.flag, 4);
    assert_int_equal(pk.version, HJ212_V2017);
    assert_false(pk.ack);
    assert_false(pk.split);
    assert_true(pk.has_datatime);
    assert_int_equal(pk.datatime_utc, 1652430360); /* 2022-05-13 16:26 +08:00 */
    assert_int_equal(pk.datatime.hour, 16);
    assert_true(pk.has_qn_time);
    assert_int_equal(pk.qn_time.msec, 370);
    assert_int_equal(pk.n_items, 1 + 11 * 2);
    const hj212_item *co = hj212_packet_get(&pk, "a21005", HJ212_F_AVG);
    assert_non_null(co);
    assert_int_equal(co->vtype, HJ212_VT_NUM);
    assert_true(co->num == 0.427);
    assert_int_equal(co->sep, ';');
    const hj212_item *fl = hj212_packet_get(&pk, "a21005", HJ212_F_FLAG);
    assert_non_null(fl);
    assert_int_equal(fl->sep, ',');
    assert_true(hj212_str_eq(fl->value, "N"));
    assert_int_equal(pk.defects, 0);

    /* G2: history request with BeginTime,EndTime joined by ',' and Flag 3 (2005, D, A) but
     * no PNUM/PNO: treated as unsplit and flagged. */
    assert_int_equal(hj212_frame_one(golden[1], strlen(golden[1]), NULL, &fr, &err), 0);
    assert_int_equal(hj212_parse(fr.seg, fr.seg_len, &pk, items, 4096, &err), 0);
    assert_int_equal(pk.version, HJ212_V2005);
    assert_true(pk.ack);
    assert_false(pk.split);
    assert_true(pk.defects & HJ212_PDEF_PIECE);
    const hj212_item *et = hj212_packet_get(&pk, "EndTime", HJ212_F_ENDTIME);
    assert_non_null(et);
    assert_int_equal(et->sep, ',');
    assert_int_equal(et->vtype, HJ212_VT_TIME);

    /* G3: 2005 CEMS real-time data, no Flag: version 2005; legacy codes map onto 2017. */
    assert_int_equal(hj212_frame_one(golden[2], strlen(golden[2]), NULL, &fr, &err), 0);
    assert_int_equal(hj212_parse(fr.seg, fr.seg_len, &pk, items, 4096, &err), 0);
    assert_int_equal(pk.flag, -1);
    assert_int_equal(pk.version, HJ212_V2005);
    assert_int_equal(pk.datatime_utc, 1521092640); /* 2018-03-15 13:44 +08:00 */
    const hj212_item *zs = hj212_packet_get(&pk, "01", HJ212_F_ZSRTD);
    assert_non_null(zs);
    assert_true(zs->num == 63.6616);
    const hj212_param *pa = hj212_param_find(zs->code);
    assert_non_null(pa);
    assert_string_equal(pa->code, "a34013");

    /* G6: no QN; Flag=0; a vendor typo H102-Rtd=N keeps the packet but marks the value. */
    assert_int_equal(hj212_frame_one(golden[5], strlen(golden[5]), NULL, &fr, &err), 0);
    assert_int_equal(hj212_parse(fr.seg, fr.seg_len, &pk, items, 4096, &err), 0);
    assert_int_equal(pk.qn.n, 0);
    assert_int_equal(pk.flag, 0);
    assert_true(pk.defects & HJ212_PDEF_BAD_VALUE);
    const hj212_item *h102 = NULL;
    for (size_t i = 0; i < pk.n_items; i++)
        if (hj212_str_eq(pk.items[i].key, "H102-Rtd") && hj212_str_eq(pk.items[i].value, "N"))
            h102 = &pk.items[i];
    assert_non_null(h102);
    assert_int_equal(h102->vtype, HJ212_VT_BAD);

    /* G8: the standard's Annex A example: Flag 5 = 2017 with acknowledgement. */
    assert_int_equal(hj212_frame_one(golden[7], strlen(golden[7]), NULL, &fr, &err), 0);
    assert_int_equal(hj212_parse(fr.seg, fr.seg_len, &pk, items, 4096, &err), 0);
    assert_int_equal(pk.cn, 1062);
    assert_true(pk.ack);
    const hj212_item *ri = hj212_packet_get(&pk, "RtdInterval", HJ212_F_RTDINTERVAL);
    assert_non_null(ri);
    assert_true(ri->num == 30);
}

/* hj212_parse_header (what `hj212 check` runs) decides exactly as hj212_parse: on every
 * golden segment, every prefix of it, and every one-byte change to a delimiter or a letter. */
static void header_check_decides_as_full_parse(void **state)
{
    (void)state;
    load_golden("golden.txt");
    static const char subst[] = ";=& ,&x0";
    hj212_packet a, b;
    hj212_error ea, eb;
    size_t cases = 0;
    for (size_t g = 0; g < n_golden; g++) {
        hj212_frame fr;
        assert_int_equal(hj212_frame_one(golden[g], strlen(golden[g]), NULL, &fr, &ea), 0);
        char seg[1100];
        memcpy(seg, fr.seg, fr.seg_len);
        for (size_t n = 0; n <= fr.seg_len; n++) {
            for (size_t at = 0; at <= n; at++) {
                for (size_t k = 0; k < (at < n ? sizeof subst - 1 : 1); k++) {
                    char keep = at < n ? seg[at] : 0;
                    if (at < n)
                        seg[at] = subst[k];
                    int ra = hj212_parse(seg, n, &a, items, HJ212_ITEMS_MAX(n), &ea);
                    int rb = hj212_parse_header(seg, n, &b, &eb);
                    if (at < n)
                        seg[at] = keep;
                    assert_int_equal(ra, rb);
                    cases++;
                    if (ra < 0) {
                        assert_string_equal(ea.msg, eb.msg);
                        continue;
                    }
                    assert_int_equal(a.cn, b.cn);
                    assert_int_equal(a.flag, b.flag);
                    assert_int_equal(a.version, b.version);
                    assert_int_equal(a.pnum, b.pnum);
                    assert_true(a.mn.p == b.mn.p && a.mn.n == b.mn.n);
                    assert_true(a.cp.p == b.cp.p && a.cp.n == b.cp.n);
                    assert_int_equal(b.n_items, 0);
                }
            }
            if (n > 140)
                n += 7; /* long prefixes: a sample suffices */
        }
    }
    assert_true(cases > 100000);
}

static void public_example_with_wrong_crc_is_rejected(void **state)
{
    (void)state;
    load_golden("bad_crc_public.txt");
    assert_int_equal(n_golden, 1);
    hj212_frame fr;
    hj212_error err;
    int rc = hj212_frame_one(golden[0], strlen(golden[0]), NULL, &fr, &err);
    assert_true(rc < 0);
}

/* ---- parser ---------------------------------------------------------------------------- */

static int parse_str(const char *s, hj212_packet *pk, hj212_error *err)
{
    return hj212_parse(s, strlen(s), pk, items, 4096, err);
}

static void parse_reads_2025_flag_and_pieces(void **state)
{
    (void)state;
    hj212_packet pk;
    hj212_error err;
    /* Flag 11 = 000010 1 1: HJ 212-2025, split, ack. PNO before PNUM (seen in the field). */
    const char *s = "QN=20260101000000001;ST=31;CN=2061;PW=123456;MN=AB;Flag=11;PNO=2;PNUM=3;"
                    "CP=&&DataTime=20260101000000;a34013-Avg=12.5&&";
    assert_int_equal(parse_str(s, &pk, &err), 0);
    assert_int_equal(pk.version, HJ212_V2025);
    assert_string_equal(hj212_version_name(pk.version), "HJ 212-2025");
    assert_true(pk.split);
    assert_true(pk.ack);
    assert_int_equal(pk.pnum, 3);
    assert_int_equal(pk.pno, 2);
    assert_true(pk.defects & HJ212_PDEF_HDR_ORDER);
    /* 2026-01-01 00:00 Beijing = 2025-12-31 16:00 UTC */
    assert_int_equal(pk.datatime_utc, 1767196800);
}

static void parse_errors_name_the_field(void **state)
{
    (void)state;
    hj212_packet pk;
    hj212_error err;
    assert_int_equal(parse_str("ST=22;MN=A;CP=&&&&", &pk, &err), HJ212_E_FIELD);
    assert_non_null(strstr(err.msg, "CN"));
    assert_int_equal(parse_str("ST=22;CN=20x1;MN=A;CP=&&&&", &pk, &err), HJ212_E_FIELD);
    assert_non_null(strstr(err.msg, "CN"));
    assert_non_null(strstr(err.msg, "20x1"));
    assert_int_equal(pk.cn, -1); /* a failed call leaves a zeroed packet */
    assert_int_equal(parse_str("CN=2011;MN=A;CP=&&&&", &pk, &err), HJ212_E_FIELD);
    assert_non_null(strstr(err.msg, "ST"));
    assert_int_equal(parse_str("ST=22;CN=2011;CP=&&&&", &pk, &err), HJ212_E_FIELD);
    assert_non_null(strstr(err.msg, "MN"));
    assert_int_equal(parse_str("ST=22;CN=2011;MN=A;Flag=256;CP=&&&&", &pk, &err), HJ212_E_FIELD);
    assert_non_null(strstr(err.msg, "Flag"));
    assert_int_equal(parse_str("ST=22;CN=2011;MN=A", &pk, &err), HJ212_E_CP);
    assert_non_null(strstr(err.msg, "CP"));
    assert_int_equal(parse_str("ST=22;CN=2011;MN=A;CP=x", &pk, &err), HJ212_E_CP);
    assert_int_equal(parse_str("ST=22;CN=2011;MN=A;PNUM=2;PNO=3;CP=&&&&", &pk, &err),
                     HJ212_E_FIELD);
    assert_non_null(strstr(err.msg, "PNO"));
    assert_int_equal(parse_str("ST=22;CN=2011;MN=A;CP=&&a=1;b=2&&", &pk, &err), 0);
    assert_int_equal(hj212_parse("ST=22;CN=2011;MN=A;CP=&&a=1;b=2&&", 33, &pk, items, 1, &err),
                     HJ212_E_ITEMS);
    assert_non_null(strstr(err.msg, "CP"));
}

static void parse_cp_forms(void **state)
{
    (void)state;
    hj212_packet pk;
    hj212_error err;
    /* Log text between "//" may hold ';' and ','; empty value; exponent; negative; unknown
     * suffix kept; entry without '='; trailing ';'. */
    const char *s = "ST=32;CN=3020;MN=A;Flag=4;CP=&&DataTime=20160801085857;PolId=w01018;"
                    "i11001-Info=//清洗;管路,完成//;w01018-Cou=;a01013-Rtd=-0.052,"
                    "a01013-SampleTime=20160801085000;w00000-Rtd=1.5e2,w00000-EFlag=A01;"
                    "a34004-ValidNum=12;NOIS;SB1-RS=1,SB1-RT=23.50;&&";
    assert_int_equal(parse_str(s, &pk, &err), 0);
    const hj212_item *info = hj212_packet_get(&pk, "i11001", HJ212_F_INFO);
    assert_non_null(info);
    assert_int_equal(info->vtype, HJ212_VT_TEXT);
    assert_true(hj212_str_eq(info->value, "清洗;管路,完成"));
    const hj212_item *cou = hj212_packet_get(&pk, "w01018", HJ212_F_COU);
    assert_int_equal(cou->vtype, HJ212_VT_EMPTY);
    const hj212_item *p = hj212_packet_get(&pk, "a01013", HJ212_F_RTD);
    assert_true(p->num == -0.052);
    const hj212_item *st = hj212_packet_get(&pk, "a01013", HJ212_F_SAMPLETIME);
    assert_int_equal(st->vtype, HJ212_VT_TIME);
    assert_int_equal(hj212_packet_get(&pk, "w00000", HJ212_F_RTD)->num, 150);
    const hj212_item *ef = hj212_packet_get(&pk, "w00000", HJ212_F_EFLAG);
    assert_true(hj212_str_eq(ef->value, "A01"));
    const hj212_item *vn = hj212_packet_get(&pk, "a34004", HJ212_F_OTHER);
    assert_true(hj212_str_eq(vn->name, "ValidNum"));
    assert_true(vn->num == 12);
    assert_int_equal(hj212_packet_get(&pk, "SB1", HJ212_F_RS)->num, 1);
    assert_true(hj212_packet_get(&pk, "SB1", HJ212_F_RT)->num == 23.5);
    assert_true(pk.defects & HJ212_PDEF_NO_EQ);
    assert_true(pk.defects & HJ212_PDEF_EMPTY_ENTRY);
    assert_int_equal(pk.n_items, 12);

    /* Empty CP and unclosed CP. */
    assert_int_equal(parse_str("ST=91;CN=9014;MN=A;Flag=4;CP=&&&&", &pk, &err), 0);
    assert_int_equal(pk.n_items, 0);
    assert_int_equal(pk.cp.n, 0);
    assert_int_equal(parse_str("ST=91;CN=9014;MN=A;CP=&&QnRtn=1", &pk, &err), 0);
    assert_true(pk.defects & HJ212_PDEF_CP_UNCLOSED);
    assert_int_equal(hj212_packet_get(&pk, "QnRtn", HJ212_F_QNRTN)->num, 1);
    /* Bad DataTime is a bad value, not a failure. */
    assert_int_equal(parse_str("ST=22;CN=2011;MN=A;CP=&&DataTime=20250229000000&&", &pk, &err), 0);
    assert_false(pk.has_datatime);
    assert_true(pk.defects & HJ212_PDEF_BAD_VALUE);
}

static void numbers_parse_exactly(void **state)
{
    (void)state;
    double d;
    assert_int_equal(hj212_parse_num("0.427", 5, &d), 0);
    assert_true(d == 0.427);
    assert_int_equal(hj212_parse_num("-12", 3, &d), 0);
    assert_true(d == -12);
    assert_int_equal(hj212_parse_num("+.5", 3, &d), 0);
    assert_true(d == 0.5);
    assert_int_equal(hj212_parse_num("21941455.50", 11, &d), 0);
    assert_true(d == 21941455.5);
    assert_int_equal(hj212_parse_num("1234567890.1234567", 18, &d), 0);
    assert_true(d == 1234567890.1234567);
    assert_int_equal(hj212_parse_num("1e3", 3, &d), 0);
    assert_true(d == 1000);
    assert_int_equal(hj212_parse_num("", 0, &d), -1);
    assert_int_equal(hj212_parse_num("-", 1, &d), -1);
    assert_int_equal(hj212_parse_num("NaN", 3, &d), -1);
    assert_int_equal(hj212_parse_num("1.2.3", 5, &d), -1);
    assert_int_equal(hj212_parse_num("1e", 2, &d), -1);
    assert_int_equal(hj212_parse_num("1e999", 5, &d), -1);
    assert_int_equal(hj212_parse_num("12 ", 3, &d), -1);
}

/* ---- code tables ------------------------------------------------------------------------ */

static void code_tables_follow_the_standard(void **state)
{
    (void)state;
    /* Annex B: 2005 codes land on the 2017 parameter. */
    const char *pairs[][2] = {{"01", "a34013"},  {"02", "a21026"},  {"03", "a21002"},
                              {"B01", "w00000"}, {"011", "w01018"}, {"060", "w21003"},
                              {"101", "w21011"}, {"065", "w21001"}, {"001", "w01001"},
                              {"B02", "a00000"}, {"S01", "a19001"}, {"S03", "a01012"},
                              {"S08", "a01013"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const hj212_param *o = hj212_param_find((hj212_str){pairs[i][0], strlen(pairs[i][0])});
        const hj212_param *n = hj212_param_find((hj212_str){pairs[i][1], strlen(pairs[i][1])});
        assert_non_null(o);
        assert_ptr_equal(o, n);
    }
    const hj212_param *pm = hj212_param_find((hj212_str){"a34004", 6});
    assert_string_equal(pm->name_en, "PM2.5");
    assert_string_equal(pm->name_zh, "细微颗粒物");
    assert_null(hj212_param_find((hj212_str){"zz", 2}));
    const hj212_st_info *st = hj212_st_find((hj212_str){"31", 2});
    assert_string_equal(st->name_en, "atmospheric pollution source");
    assert_null(hj212_st_find((hj212_str){"43", 2}));
    assert_int_equal(hj212_cn_find(9014)->dir, HJ212_DIR_BOTH);
    assert_int_equal(hj212_cn_find(9015)->since, HJ212_V2025);
    assert_int_equal(hj212_cn_find(2072)->until, HJ212_V2005);
    assert_null(hj212_cn_find(9016));
    /* Table 8 vs HJ/T 212-2005: F changed meaning, B is new, P is gone. */
    hj212_str F = {"F", 1}, B = {"B", 1}, P = {"P", 1}, three = {"3", 1};
    assert_string_equal(hj212_flag_meaning(F, HJ212_V2017, false), "instrument stopped");
    assert_string_equal(hj212_flag_meaning(F, HJ212_V2005, false), "emission source stopped");
    assert_non_null(hj212_flag_meaning(B, HJ212_V2017, false));
    assert_null(hj212_flag_meaning(P, HJ212_V2017, false));
    assert_string_equal(hj212_flag_meaning(three, HJ212_V2005, false), "normal data");
    /* Validity, one rule for both editions: N, the 2005 air digit 3 and no flag are normal;
     * every other flag of either table is not. */
    assert_true(hj212_flag_normal("N") && hj212_flag_normal("3") && hj212_flag_normal("") &&
                hj212_flag_normal(NULL));
    static const char *const not_normal[] = {"F", "M", "S", "D", "C", "T",  "B",
                                             "P", "0", "1", "2", "n", "NN", "St"};
    for (size_t i = 0; i < sizeof not_normal / sizeof not_normal[0]; i++)
        if (hj212_flag_normal(not_normal[i]))
            fail_msg("flag %s taken as normal", not_normal[i]);
    assert_string_equal(hj212_qnrtn_text(9), "CRC error");
    assert_string_equal(hj212_exertn_text(100), "no data");
    assert_null(hj212_qnrtn_text(10));
}

/* ---- reassembly -------------------------------------------------------------------------- */

static void reassembly_collects_pieces_in_order(void **state)
{
    (void)state;
    const char *seg[3] = {
        "QN=20160801085857534;ST=32;CN=2061;PW=1;MN=M;Flag=7;PNUM=3;PNO=1;"
        "CP=&&DataTime=20160801080000;w01018-Avg=1&&",
        "QN=20160801085857535;ST=32;CN=2061;PW=1;MN=M;Flag=7;PNUM=3;PNO=2;"
        "CP=&&DataTime=20160801080000;w21003-Avg=2&&",
        "QN=20160801085857536;ST=32;CN=2061;PW=1;MN=M;Flag=7;PNUM=3;PNO=3;"
        "CP=&&DataTime=20160801080000;w21011-Avg=3&&",
    };
    hj212_reasm *r = hj212_reasm_new(NULL);
    hj212_packet pk;
    hj212_error err;
    hj212_message msg;
    int order[3] = {2, 0, 1};
    for (int i = 0; i < 3; i++) {
        const char *s = seg[order[i]];
        assert_int_equal(parse_str(s, &pk, &err), 0);
        int rc = hj212_reasm_add(r, &pk, s, strlen(s), 100, &msg, &err);
        if (i < 2) {
            assert_int_equal(rc, 0);
            if (i == 1) { /* the same piece twice is refused and changes nothing */
                assert_int_equal(hj212_reasm_add(r, &pk, s, strlen(s), 100, &msg, &err),
                                 HJ212_E_PIECE);
                assert_non_null(strstr(err.msg, "PNO"));
            }
        } else {
            assert_int_equal(rc, 1);
        }
    }
    assert_int_equal(msg.n_pieces, 3);
    for (int i = 0; i < 3; i++)
        assert_memory_equal(msg.seg[i], seg[i], strlen(seg[i]));
    assert_int_equal(hj212_reasm_open(r, NULL), 0);
    /* An incomplete message ages out. */
    assert_int_equal(parse_str(seg[0], &pk, &err), 0);
    assert_int_equal(hj212_reasm_add(r, &pk, seg[0], strlen(seg[0]), 1000, &msg, &err), 0);
    size_t bytes;
    assert_int_equal(hj212_reasm_open(r, &bytes), 1);
    assert_int_equal(bytes, strlen(seg[0]));
    assert_int_equal(hj212_reasm_expire(r, 1000 + 601), 1);
    assert_int_equal(hj212_reasm_open(r, &bytes), 0);
    assert_int_equal(bytes, 0);
    /* The byte budget drops the oldest open message first. */
    hj212_reasm *small = hj212_reasm_new(&(hj212_reasm_opts){.max_bytes = 150});
    const char *other = "QN=20160801085857534;ST=32;CN=2061;PW=1;MN=N;Flag=7;PNUM=2;PNO=1;"
                        "CP=&&DataTime=20160801080000;w01018-Avg=1&&";
    assert_int_equal(parse_str(seg[0], &pk, &err), 0);
    assert_int_equal(hj212_reasm_add(small, &pk, seg[0], strlen(seg[0]), 1, &msg, &err), 0);
    assert_int_equal(parse_str(other, &pk, &err), 0);
    assert_int_equal(hj212_reasm_add(small, &pk, other, strlen(other), 2, &msg, &err), 0);
    assert_int_equal(hj212_reasm_open(small, &bytes), 1);
    assert_int_equal(bytes, strlen(other));
    hj212_reasm_free(small);
    /* PNUM above the cap is refused. */
    const char *huge = "ST=32;CN=2061;MN=M;Flag=7;PNUM=9999;PNO=1;CP=&&&&";
    assert_int_equal(parse_str(huge, &pk, &err), 0);
    assert_int_equal(hj212_reasm_add(r, &pk, huge, strlen(huge), 0, &msg, &err), HJ212_E_PIECE);
    assert_non_null(strstr(err.msg, "PNUM"));
    /* An unsplit packet comes straight through. */
    assert_int_equal(parse_str(ANNEX_A, &pk, &err), 0);
    assert_int_equal(hj212_reasm_add(r, &pk, ANNEX_A, 101, 0, &msg, &err), 1);
    assert_int_equal(msg.n_pieces, 1);
    hj212_reasm_free(r);
}

/* ---- encoders ---------------------------------------------------------------------------- */

static void replies_match_the_standard(void **state)
{
    (void)state;
    char buf[256];
    hj212_packet pk;
    hj212_error err;
    /* 9014 to the station's minute packet (CRC computed independently: 18C0). */
    const char *up = "QN=20220513162608370;ST=22;CN=2051;PW=123456;MN=JLYP01_AIR01_0001;Flag=5;"
                     "CP=&&DataTime=20220513162600;a21004-Avg=4,a21004-Flag=N&&";
    assert_int_equal(parse_str(up, &pk, &err), 0);
    int n = hj212_encode_reply(buf, sizeof buf, &pk, 9014, 0, &err);
    const char *want = "##0080QN=20220513162608370;ST=91;CN=9014;PW=123456;MN=JLYP01_AIR01_0001;"
                       "Flag=4;CP=&&&&18C0\r\n";
    assert_int_equal(n, (int)strlen(want));
    assert_memory_equal(buf, want, strlen(want));
    /* 9011 / 9012 to the standard's request (Annex C texts, CRCs 1B00 and 6240). */
    const char *req = "QN=20160801085857223;ST=32;CN=1000;PW=123456;MN=010000A8900016F000169DC0;"
                      "Flag=5;CP=&&OverTime=5;ReCount=3&&";
    assert_int_equal(parse_str(req, &pk, &err), 0);
    n = hj212_encode_reply(buf, sizeof buf, &pk, 9011, HJ212_QN_READY, &err);
    want = "##0094QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;"
           "Flag=4;CP=&&QnRtn=1&&1B00\r\n";
    assert_int_equal(n, (int)strlen(want));
    assert_memory_equal(buf, want, strlen(want));
    n = hj212_encode_reply(buf, sizeof buf, &pk, 9012, HJ212_EXE_OK, &err);
    want = "##0095QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;"
           "Flag=4;CP=&&ExeRtn=1&&6240\r\n";
    assert_memory_equal(buf, want, strlen(want));
    assert_int_equal(hj212_encode_reply(buf, sizeof buf, &pk, 9011, 42, &err), HJ212_E_ARG);
    assert_non_null(strstr(err.msg, "QnRtn"));
    assert_int_equal(hj212_encode_reply(buf, sizeof buf, &pk, 2011, 1, &err), HJ212_E_ARG);
    assert_int_equal(hj212_encode_reply(buf, 20, &pk, 9014, 0, &err), HJ212_E_SPACE);
    /* A 2025 peer (Flag 9) is answered with version bits 000010: Flag 8. */
    assert_int_equal(
        parse_str("QN=20260101000000001;ST=31;CN=2011;PW=1;MN=A;Flag=9;CP=&&&&", &pk, &err), 0);
    n = hj212_encode_reply(buf, sizeof buf, &pk, 9014, 0, &err);
    assert_true(n > 0);
    assert_non_null(memmem(buf, (size_t)n, ";Flag=8;", 8));
    /* A 2005 request (no Flag) with a QN: HJ/T 212-2005 replies carry that QN inside CP and
     * have no Flag field (CRCs 4680 and 56C0 computed independently). */
    assert_int_equal(
        parse_str("QN=20050801085857223;ST=22;CN=2011;PW=123456;MN=A;CP=&&&&", &pk, &err), 0);
    assert_int_equal(pk.flag, -1);
    assert_int_equal(pk.version, HJ212_V2005);
    n = hj212_encode_reply(buf, sizeof buf, &pk, 9014, 0, &err);
    want = "##0056ST=91;CN=9014;PW=123456;MN=A;CP=&&QN=20050801085857223&&4680\r\n";
    assert_int_equal(n, (int)strlen(want));
    assert_memory_equal(buf, want, strlen(want));
    assert_null(memmem(buf, (size_t)n, "Flag=", 5));
    n = hj212_encode_reply(buf, sizeof buf, &pk, 9011, HJ212_QN_READY, &err);
    want = "##0064ST=91;CN=9011;PW=123456;MN=A;CP=&&QN=20050801085857223;QnRtn=1&&56C0\r\n";
    assert_int_equal(n, (int)strlen(want));
    assert_memory_equal(buf, want, strlen(want));
    assert_null(memmem(buf, (size_t)n, "Flag=", 5));
    /* The platform's 1000 request reproduces the Annex C frame (CRC CAC1). */
    hj212_header h = {.qn = "20160801085857223",
                      .st = "32",
                      .pw = "123456",
                      .mn = "010000A8900016F000169DC0",
                      .flag = 5};
    n = hj212_encode_timeouts(buf, sizeof buf, &h, 5, 3, &err);
    want = "##0107QN=20160801085857223;ST=32;CN=1000;PW=123456;MN=010000A8900016F000169DC0;"
           "Flag=5;CP=&&OverTime=5;ReCount=3&&CAC1\r\n";
    assert_int_equal(n, (int)strlen(want));
    assert_memory_equal(buf, want, strlen(want));
    /* Annex A example: 1062 RtdInterval=30 with PW 100000 gives 1C80. */
    h.pw = "100000";
    n = hj212_encode_simple(buf, sizeof buf, &h, 1062, "RtdInterval", 30, &err);
    assert_int_equal(n, 113);
    assert_memory_equal(buf, ANNEX_A_FRAME, 113);
}

static void requests_carry_beijing_times(void **state)
{
    (void)state;
    char buf[256];
    hj212_error err;
    hj212_header h = {.qn = "20160801085857223", .st = "32", .pw = "123456", .mn = "M", .flag = 5};
    /* 2016-08-01 00:00 Beijing = 2016-07-31 16:00 UTC = 1469980800 */
    int n = hj212_encode_history(buf, sizeof buf, &h, 2061, 1469980800, 1469980800 + 3600, &err);
    assert_true(n > 0);
    assert_non_null(memmem(buf, (size_t)n, "CN=2061;", 8));
    assert_non_null(
        memmem(buf, (size_t)n, "CP=&&BeginTime=20160801000000;EndTime=20160801010000&&", 54));
    n = hj212_encode_set_time(buf, sizeof buf, &h, NULL, 1469980800, &err);
    assert_non_null(memmem(buf, (size_t)n, "CN=1012;", 8));
    assert_non_null(memmem(buf, (size_t)n, "CP=&&SystemTime=20160801000000&&", 32));
    n = hj212_encode_simple(buf, sizeof buf, &h, 9015, NULL, 0, &err);
    assert_non_null(memmem(buf, (size_t)n, "CN=9015;", 8));
    assert_non_null(memmem(buf, (size_t)n, "CP=&&&&", 7));
    assert_int_equal(hj212_encode_history(buf, sizeof buf, &h, 2011, 0, 0, &err), HJ212_E_ARG);
    assert_int_equal(hj212_encode_history(buf, sizeof buf, &h, 2061, 10, 0, &err), HJ212_E_ARG);
    assert_int_equal(hj212_encode_timeouts(buf, sizeof buf, &h, 0, 3, &err), HJ212_E_ARG);
    assert_non_null(strstr(err.msg, "OverTime"));
    char qn[18];
    hj212_qn_format(1469980800LL * 1000 + 7, qn);
    assert_string_equal(qn, "20160801000000007");
    assert_int_equal(hj212_flag_make(HJ212_V2017, true, true), 7);
    assert_int_equal(hj212_flag_make(HJ212_V2025, false, true), 9);
}

static void upload_round_trips(void **state)
{
    (void)state;
    static char buf[HJ212_FRAME_MAX(HJ212_SEG_MAX_ABS)];
    hj212_error err;
    hj212_header h = {.qn = "20250101080000000",
                      .st = "31",
                      .cn = 2051,
                      .pw = "123456",
                      .mn = "010000A8900016F000169DC0",
                      .flag = 5};
    hj212_factor f[3] = {
        {.code = "a34013",
         .fields = HJ212_FB(HJ212_F_MIN) | HJ212_FB(HJ212_F_AVG) | HJ212_FB(HJ212_F_MAX) |
                   HJ212_FB(HJ212_F_ZSAVG) | HJ212_FB(HJ212_F_COU) | HJ212_FB(HJ212_F_FLAG),
         .min = 1.25,
         .avg = 2.5,
         .max = 3.75,
         .zsavg = 4.5,
         .cou = 0.125,
         .decimals = 3,
         .flag = 'N'},
        {.code = "a19001",
         .fields = HJ212_FB(HJ212_F_AVG) | HJ212_FB(HJ212_F_FLAG),
         .avg = 8.4,
         .decimals = -1,
         .flag = 'M'},
        {.code = "i12001", .fields = HJ212_FB(HJ212_F_INFO), .info = "维护中"},
    };
    /* 2025-01-01 08:00 Beijing = 2025-01-01 00:00 UTC = 1735689600 */
    int n = hj212_encode_upload(buf, sizeof buf, &h, 1735689600, f, 3, &err);
    assert_true(n > 0);
    hj212_frame fr;
    assert_int_equal(hj212_frame_one(buf, (size_t)n, NULL, &fr, &err), 0);
    hj212_packet pk;
    assert_int_equal(hj212_parse(fr.seg, fr.seg_len, &pk, items, 4096, &err), 0);
    assert_int_equal(pk.cn, 2051);
    assert_int_equal(pk.datatime_utc, 1735689600);
    assert_true(hj212_packet_get(&pk, "a34013", HJ212_F_MIN)->num == 1.25);
    assert_true(hj212_packet_get(&pk, "a34013", HJ212_F_ZSAVG)->num == 4.5);
    assert_true(hj212_packet_get(&pk, "a34013", HJ212_F_COU)->num == 0.125);
    assert_true(hj212_packet_get(&pk, "a19001", HJ212_F_AVG)->num == 8.4);
    assert_true(hj212_str_eq(hj212_packet_get(&pk, "a19001", HJ212_F_FLAG)->value, "M"));
    assert_true(hj212_str_eq(hj212_packet_get(&pk, "i12001", HJ212_F_INFO)->value, "维护中"));
    assert_non_null(memmem(fr.seg, fr.seg_len,
                           "CP=&&DataTime=20250101080000;a34013-Min=1.250,a34013-Avg=2.500", 61));
    /* A delimiter inside a value is unrepresentable (§6.3.3 has no escape). */
    hj212_factor bad = {.code = "a3;4", .fields = HJ212_FB(HJ212_F_RTD)};
    assert_int_equal(hj212_encode_upload(buf, sizeof buf, &h, 0, &bad, 1, &err), HJ212_E_ARG);
    h.mn = "A;B";
    assert_int_equal(hj212_encode_upload(buf, sizeof buf, &h, 0, f, 1, &err), HJ212_E_ARG);
    assert_non_null(strstr(err.msg, "MN"));
    h.mn = "M";
    assert_int_equal(hj212_encode_upload(buf, 40, &h, 0, f, 1, &err), HJ212_E_SPACE);
    /* Packetised header. */
    h.pnum = 2;
    h.pno = 1;
    h.flag = 7;
    n = hj212_encode_upload(buf, sizeof buf, &h, 1735689600, f, 1, &err);
    assert_true(n > 0);
    assert_non_null(memmem(buf, (size_t)n, ";Flag=7;PNUM=2;PNO=1;CP=", 24));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_matches_annex_a_and_check_values),
        cmocka_unit_test(crc_fast_form_equals_bitwise_routine),
        cmocka_unit_test(crc_hex_is_upper_and_parse_accepts_lower),
        cmocka_unit_test(framer_yields_frames_for_every_split),
        cmocka_unit_test(framer_resyncs_after_garbage),
        cmocka_unit_test(framer_rejects_bad_crc_and_keeps_going),
        cmocka_unit_test(framer_bad_length_resyncs_inside_claimed_bytes),
        cmocka_unit_test(framer_caps_oversize_segments),
        cmocka_unit_test(framer_reports_truncated_stream),
        cmocka_unit_test(framer_tolerates_lower_crc_lf_and_missing_tail),
        cmocka_unit_test(frame_one_checks_a_stored_frame),
        cmocka_unit_test(golden_packets_verify_and_parse),
        cmocka_unit_test(header_check_decides_as_full_parse),
        cmocka_unit_test(public_example_with_wrong_crc_is_rejected),
        cmocka_unit_test(parse_reads_2025_flag_and_pieces),
        cmocka_unit_test(parse_errors_name_the_field),
        cmocka_unit_test(parse_cp_forms),
        cmocka_unit_test(numbers_parse_exactly),
        cmocka_unit_test(code_tables_follow_the_standard),
        cmocka_unit_test(reassembly_collects_pieces_in_order),
        cmocka_unit_test(replies_match_the_standard),
        cmocka_unit_test(requests_carry_beijing_times),
        cmocka_unit_test(upload_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
