/* The contract of the media stores (store/water.h, store/flow.h, store/blackodor.h) through
 * their interfaces alone — no SQL — so that it runs unchanged against another backend: what
 * a put keeps, what replaces what, the order and bounds of every walk, a callback stopping a
 * walk, a refused row storing nothing, and a rolled-back transaction leaving nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "standards/blackodor.h"
#include "store/blackodor.h"
#include "store/flow.h"
#include "store/read.h"
#include "store/store.h"
#include "store/water.h"
#include "testutil.h"

typedef struct fx {
    tu_tmpdb db;
    store *s;
    ew_reader *rd;
} fx;

static int setup(void **state)
{
    static fx f;
    memset(&f, 0, sizeof f);
    f.s = tu_store_open(&f.db, "media");
    assert_non_null(f.s);
    char err[256];
    f.rd = ew_read_open(f.db.path, err, sizeof err);
    assert_non_null(f.rd);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    ew_read_close(f->rd);
    assert_int_equal(tu_store_close(&f->db, f->s), 0);
    return 0;
}

/* ---- water sections --------------------------------------------------------------------- */

typedef struct sections_seen {
    char text[512];
    int n, stop_after;
} sections_seen;

static int section_cb(void *ctx, const water_section_row *r)
{
    sections_seen *v = ctx;
    size_t used = strlen(v->text);
    snprintf(v->text + used, sizeof v->text - used, "%s|%s|%s|%d|%d|%d|%s;", r->code, r->name,
             r->water, r->target_class, r->compensation, r->drinking, r->station ? r->station : "");
    return ++v->n == v->stop_after ? 7 : 0;
}

static void sections_keep_every_field_and_replace_whole(void **state)
{
    fx *f = *state;
    char err[256];
    water_section_row b = {.code = "B",
                           .name = "乙",
                           .water = "lake",
                           .target_class = 2,
                           .compensation = true,
                           .drinking = true,
                           .station = "MN-B"};
    water_section_row a = {.code = "A", .name = "甲", .water = "river", .target_class = 4};
    assert_int_equal(water_section_put(f->s, &b, err, sizeof err), 0);
    assert_int_equal(water_section_put(f->s, &a, err, sizeof err), 0);
    sections_seen v = {.n = 0};
    assert_int_equal(water_sections_each(f->rd, section_cb, &v, err, sizeof err), 0);
    assert_string_equal(v.text, "A|甲|river|4|0|0|;B|乙|lake|2|1|1|MN-B;");
    /* A put replaces the whole section: flags and station cleared. */
    b.compensation = b.drinking = false;
    b.station = NULL;
    b.target_class = 3;
    assert_int_equal(water_section_put(f->s, &b, err, sizeof err), 0);
    memset(&v, 0, sizeof v);
    assert_int_equal(water_section_get(f->rd, "B", section_cb, &v, err, sizeof err), 1);
    assert_string_equal(v.text, "B|乙|lake|3|0|0|;");
    assert_int_equal(water_section_get(f->rd, "NOPE", section_cb, &v, err, sizeof err), 0);
    /* A callback's non-zero return stops the walk and is returned. */
    memset(&v, 0, sizeof v);
    v.stop_after = 1;
    assert_int_equal(water_sections_each(f->rd, section_cb, &v, err, sizeof err), 7);
    assert_int_equal(v.n, 1);
}

/* ---- water samples and Table 3 results ------------------------------------------------ */

typedef struct text_seen {
    char text[512];
} text_seen;

static int sample_cb(void *ctx, const water_sample_row *r)
{
    text_seen *v = ctx;
    size_t used = strlen(v->text);
    snprintf(v->text + used, sizeof v->text - used, "%lld %s %lld %d %s;", (long long)r->ts_utc,
             r->item, (long long)r->value_micro, r->below_dl, r->source);
    return 0;
}

static int specific_cb(void *ctx, const water_specific_row *r)
{
    text_seen *v = ctx;
    size_t used = strlen(v->text);
    snprintf(v->text + used, sizeof v->text - used, "%lld %s %lld/%lld %d;", (long long)r->ts_utc,
             r->item, (long long)r->value_micro, (long long)r->limit_micro, r->below_dl);
    return 0;
}

static void samples_replace_by_key_and_walk_half_open(void **state)
{
    fx *f = *state;
    char err[256];
    water_sample_row rows[] = {
        {"S", 200, "NH3-N", 1500000, false, "lab"}, {"S", 100, "TP", 100000, false, "lab"},
        {"S", 100, "DO", 6000000, false, "lab"},    {"S", 100, "DO", 6500000, true, "lab"},
        {"S", 100, "DO", 5000000, false, "auto"},   {"S", 300, "NH3-N", 9, false, "lab"},
        {"T", 150, "NH3-N", 1, false, "lab"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(water_sample_put(f->s, &rows[i], err, sizeof err), 0);
    text_seen v = {""};
    /* [100, 300): the time 300 is out; the second lab DO replaced the first; the auto DO is
     * its own (source is part of the key); by time, item, then source. */
    assert_int_equal(water_samples_each(f->rd, "S", 100, 300, sample_cb, &v, err, sizeof err), 0);
    assert_string_equal(v.text, "100 DO 5000000 0 auto;100 DO 6500000 1 lab;100 TP 100000 0 lab;"
                                "200 NH3-N 1500000 0 lab;");
    water_specific_row sp = {"S", 100, "t3.benzene", 20000, 10000, false, "lab"};
    assert_int_equal(water_specific_put(f->s, &sp, err, sizeof err), 0);
    sp.value_micro = 5000;
    assert_int_equal(water_specific_put(f->s, &sp, err, sizeof err), 0);
    /* A limit of 0 is refused: negative, err says why, nothing stored. */
    water_specific_row bad = {"S", 120, "t3.x", 1, 0, false, "lab"};
    err[0] = 0;
    assert_true(water_specific_put(f->s, &bad, err, sizeof err) < 0);
    assert_true(err[0] != 0);
    memset(&v, 0, sizeof v);
    assert_int_equal(water_specific_each(f->rd, "S", 0, 1000, specific_cb, &v, err, sizeof err), 0);
    assert_string_equal(v.text, "100 t3.benzene 5000/10000 0;");
}

/* ---- flows ---------------------------------------------------------------------------- */

static int day_cb(void *ctx, const flow_day_row *r)
{
    text_seen *v = ctx;
    size_t used = strlen(v->text);
    snprintf(v->text + used, sizeof v->text - used, "%lld:%lld:%d;", (long long)r->day,
             (long long)r->mean_milli, r->exempt);
    return 0;
}

static void flow_days_walk_inclusive_and_refuse_no_base(void **state)
{
    fx *f = *state;
    char err[256];
    flow_section_row sec = {"F", "河", 0};
    err[0] = 0;
    assert_true(flow_section_put(f->s, &sec, err, sizeof err) < 0); /* base flow must be > 0 */
    assert_true(err[0] != 0);
    sec.base_milli = 500;
    assert_int_equal(flow_section_put(f->s, &sec, err, sizeof err), 0);
    for (int64_t d = 10; d <= 14; d++) {
        flow_day_row r = {"F", d, 100 * d, d == 12};
        assert_int_equal(flow_day_put(f->s, &r, err, sizeof err), 0);
    }
    flow_day_row again = {"F", 11, 7, false};
    assert_int_equal(flow_day_put(f->s, &again, err, sizeof err), 0);
    text_seen v = {""};
    assert_int_equal(flow_days_each(f->rd, "F", 11, 13, day_cb, &v, err, sizeof err), 0);
    assert_string_equal(v.text, "11:7:0;12:1200:1;13:1300:0;");
}

/* ---- black-odorous samplings ---------------------------------------------------------- */

static int bo_cb(void *ctx, const bo_sample_row *r)
{
    text_seen *v = ctx;
    size_t used = strlen(v->text);
    snprintf(v->text + used, sizeof v->text - used, "%d%s@%lld sd=%s orp=%lld;", r->seq, r->point,
             (long long)r->ts_utc, r->sd_milli == BLACKODOR_NA ? "NA" : "v",
             (long long)r->orp_milli);
    return 0;
}

static void bo_samplings_keep_missing_values_and_order_by_seq(void **state)
{
    fx *f = *state;
    char err[256];
    bo_body_row b = {"B1", "沟", false};
    assert_int_equal(bo_body_put(f->s, &b, err, sizeof err), 0);
    bo_sample_row rows[] = {
        {"B1", "P2", 2, 50, 30000, 1000, -150000, 5000, BLACKODOR_NA},
        {"B1", "P1", 1, 60, BLACKODOR_NA, 1000, -250000, 5000, 80000},
        {"B1", "P1", 1, 40, 30000, 1000, 20000, 5000, 80000},
    };
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(bo_sample_put(f->s, &rows[i], err, sizeof err), 0);
    text_seen v = {""};
    assert_int_equal(bo_samples_each(f->rd, "B1", 0, 100, bo_cb, &v, err, sizeof err), 0);
    assert_string_equal(v.text, "1P1@40 sd=v orp=20000;1P1@60 sd=NA orp=-250000;"
                                "2P2@50 sd=v orp=-150000;");
}

/* ---- transactions --------------------------------------------------------------------- */

static int count_cb(void *ctx, const flow_section_row *r)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

static void a_rolled_back_transaction_leaves_nothing(void **state)
{
    fx *f = *state;
    char err[256];
    int before = 0, after = 0;
    assert_int_equal(flow_sections_each(f->rd, count_cb, &before, err, sizeof err), 0);
    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    flow_section_row a = {"TX1", "a", 100}, b = {"TX2", "b", 100};
    assert_int_equal(flow_section_put(f->s, &a, err, sizeof err), 0);
    assert_int_equal(flow_section_put(f->s, &b, err, sizeof err), 0);
    store_rollback(f->s);
    assert_int_equal(flow_sections_each(f->rd, count_cb, &after, err, sizeof err), 0);
    assert_int_equal(after, before);
    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    assert_int_equal(flow_section_put(f->s, &a, err, sizeof err), 0);
    assert_int_equal(store_commit(f->s, err, sizeof err), 0);
    after = 0;
    assert_int_equal(flow_sections_each(f->rd, count_cb, &after, err, sizeof err), 0);
    assert_int_equal(after, before + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sections_keep_every_field_and_replace_whole, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(samples_replace_by_key_and_walk_half_open, setup, teardown),
        cmocka_unit_test_setup_teardown(flow_days_walk_inclusive_and_refuse_no_base, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(bo_samplings_keep_missing_values_and_order_by_seq, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_rolled_back_transaction_leaves_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
