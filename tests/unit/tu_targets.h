/* tu_targets: for the service tests of a medium — the row of the default plan's target of
 * one statistic, computed by targets_compute on a reader as seen at now_utc. Header-only,
 * like testutil.h; include after cmocka.h. */
#ifndef EW_TESTS_TU_TARGETS_H
#define EW_TESTS_TU_TARGETS_H
#include <stdbool.h>
#include <string.h>

#include "base/bjtime.h"
#include "service/plan.h"
#include "service/targets.h"
#include "store/read.h"

/* Assert that the target of statistic st, in the Beijing year of now_utc, is measured with
 * value (to 1e-9) and on_track. */
static inline void tu_expect_target(ew_reader *rd, const char *st, int64_t now_utc, double value,
                                    bool on_track)
{
    char err[256];
    plan_error perr;
    plan *pl = plan_load_file(TEST_DATA_DIR "/../../data/plan/" PLAN_DEFAULT_FILE, &perr);
    assert_non_null(pl);
    ew_civil c;
    ew_utc_to_bj(now_utc, &c);
    targets_result r;
    if (targets_compute(rd, pl, c.year, AIRQ_ED_2012, now_utc, &r, err, sizeof err))
        fail_msg("%s", err);
    const targets_row *w = NULL;
    for (size_t i = 0; i < r.n; i++)
        if (r.rows[i].t->statistic && !strcmp(r.rows[i].t->statistic, st))
            w = &r.rows[i];
    assert_non_null(w);
    assert_true(w->measured);
    assert_float_equal(w->value, value, 1e-9);
    assert_int_equal(w->on_track, on_track);
    targets_free(&r);
    plan_free(pl);
}

#endif
