/* Tests of service/ledgerbook.h on the shipped plan over a real SQLite file: progress and
 * target reports stored with their change records, refused reports that leave nothing, and
 * states and values read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "service/ledgerbook.h"
#include "store/office.h"
#include "store/store.h"
#include "testutil.h"

#define SHIPPED TEST_DATA_DIR "/../../data/plan/" PLAN_DEFAULT_FILE
/* 2024-06-01 08:00 Beijing. */
#define NOW INT64_C(1717200000)

typedef struct fixture {
    tu_tmpdb db;
    store *s;
    plan *p;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->s = tu_store_open(&f->db, "ledgerbook");
    plan_error perr;
    f->p = plan_load_file(SHIPPED, &perr);
    if (!f->s || !f->p)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    plan_free(f->p);
    int rc = tu_store_close(&f->db, f->s);
    free(f);
    return rc;
}

static size_t task_idx(const plan *p, const char *id)
{
    const plan_task *t = plan_task_by_id(p, id);
    assert_non_null(t);
    return (size_t)(t - p->tasks);
}

static size_t target_idx(const plan *p, const char *id)
{
    const plan_target *t = plan_target_by_id(p, id);
    assert_non_null(t);
    return (size_t)(t - p->targets);
}

typedef struct changes {
    int n;
    char field[8][16], old_value[8][32], new_value[8][32], unit[8][32], actor[8][16];
    size_t n_evidence[8];
} changes;

static int keep_change(void *ctx, const office_change *c)
{
    changes *g = ctx;
    if (g->n < 8) {
        snprintf(g->field[g->n], sizeof g->field[0], "%s", c->field);
        snprintf(g->old_value[g->n], sizeof g->old_value[0], "%s", c->old_value);
        snprintf(g->new_value[g->n], sizeof g->new_value[0], "%s", c->new_value);
        snprintf(g->unit[g->n], sizeof g->unit[0], "%s", c->unit ? c->unit : "(null)");
        snprintf(g->actor[g->n], sizeof g->actor[0], "%s", c->actor);
        g->n_evidence[g->n] = c->n_evidence;
    }
    g->n++;
    return 0;
}

static changes history(fixture *f, const char *object_id)
{
    changes g = {0};
    office_change_filter flt = {.plan_id = f->p->id, .object_id = object_id};
    char err[256];
    assert_int_equal(office_changes_each(f->s, &flt, NULL, keep_change, &g, err, sizeof err), 0);
    return g;
}

/* T13 (扬尘治理): 区控尘办 is a responsible unit (plan §三(四) task 13). */
static void progress_reports_are_stored_with_history(void **state)
{
    fixture *f = *state;
    const plan *p = f->p;
    size_t t13 = task_idx(p, "T13");
    case_actor dust = {.name = "chen", .role = EW_ROLE_UNIT, .org = "kongchenban"};
    char msg[256] = "";
    ledger_task_report r = {.progress_pct = 40};
    assert_int_equal(ledgerbook_report_task(f->s, p, t13, &r, &dust, NOW, msg, sizeof msg), 0);
    r.progress_pct = 70;
    assert_int_equal(ledgerbook_report_task(f->s, p, t13, &r, &dust, NOW + 3600, msg, sizeof msg),
                     0);
    const char *const proof[] = {"AAAAAAAAAAAAAAAAAAAAAA"};
    ledger_task_report fin = {.done = true, .note = "验收完成", .evidence = proof, .n_evidence = 1};
    assert_int_equal(ledgerbook_report_task(f->s, p, t13, &fin, &dust, NOW + 7200, msg, sizeof msg),
                     0);

    ledger_task_state *st = calloc(p->n_tasks, sizeof *st);
    assert_int_equal(ledgerbook_task_states(f->s, p, st, msg, sizeof msg), 0);
    assert_int_equal(st[t13].progress_pct, 100);
    assert_true(st[t13].done);
    assert_int_equal(st[t13].done_utc, NOW + 7200);
    /* Every other task was never reported: 0 %, not done. */
    size_t t01 = task_idx(p, "T01");
    assert_int_equal(st[t01].progress_pct, 0);
    assert_false(st[t01].done);
    free(st);

    changes g = history(f, "T13");
    assert_int_equal(g.n, 3);
    /* Newest first. */
    assert_string_equal(g.field[0], "done");
    assert_string_equal(g.old_value[0], "false");
    assert_string_equal(g.new_value[0], "true");
    assert_int_equal(g.n_evidence[0], 1);
    assert_string_equal(g.field[1], "progress");
    assert_string_equal(g.old_value[1], "40");
    assert_string_equal(g.new_value[1], "70");
    assert_string_equal(g.old_value[2], "0");
    assert_string_equal(g.unit[2], "kongchenban");
    assert_string_equal(g.actor[2], "chen");
    /* The evidence of the done report is now visible to the unit it was made for. */
    char err[256];
    assert_int_equal(office_attachment_visible(f->s, proof[0], "kongchenban", err, sizeof err), 1);
}

static void refused_reports_leave_no_change(void **state)
{
    fixture *f = *state;
    const plan *p = f->p;
    size_t t13 = task_idx(p, "T13");
    case_actor dust = {.name = "chen", .role = EW_ROLE_UNIT, .org = "kongchenban"};
    case_actor towns = {.name = "liu", .role = EW_ROLE_UNIT, .org = "gongan"};
    char msg[256] = "";
    ledger_task_report r = {.progress_pct = 50};
    assert_int_equal(ledgerbook_report_task(f->s, p, t13, &r, &dust, NOW, msg, sizeof msg), 0);
    /* Not a lead or responsible unit of T13. */
    r.progress_pct = 60;
    assert_int_equal(ledgerbook_report_task(f->s, p, t13, &r, &towns, NOW, msg, sizeof msg),
                     LEDGERBOOK_E_DENIED);
    assert_non_null(strstr(msg, "denied"));
    /* Same value again: changes nothing. */
    r.progress_pct = 50;
    assert_int_equal(ledgerbook_report_task(f->s, p, t13, &r, &dust, NOW, msg, sizeof msg),
                     LEDGERBOOK_E_REFUSED);
    /* Down without a note. */
    r.progress_pct = 30;
    assert_int_equal(ledgerbook_report_task(f->s, p, t13, &r, &dust, NOW, msg, sizeof msg),
                     LEDGERBOOK_E_REFUSED);
    /* Done without evidence. */
    ledger_task_report fin = {.done = true, .note = "完成"};
    assert_int_equal(ledgerbook_report_task(f->s, p, t13, &fin, &dust, NOW, msg, sizeof msg),
                     LEDGERBOOK_E_REFUSED);
    assert_int_equal(ledgerbook_report_task(f->s, p, p->n_tasks, &fin, &dust, NOW, msg, sizeof msg),
                     LEDGERBOOK_E_REFUSED);
    changes g = history(f, "T13");
    assert_int_equal(g.n, 1);
    ledger_task_state *st = calloc(p->n_tasks, sizeof *st);
    assert_int_equal(ledgerbook_task_states(f->s, p, st, msg, sizeof msg), 0);
    assert_int_equal(st[t13].progress_pct, 50);
    free(st);
}

/* clean_energy_capacity (T03, 区经发局 responsible): ≥ 40000 kW by the plan's end. */
static void target_reports_keep_the_latest_value(void **state)
{
    fixture *f = *state;
    const plan *p = f->p;
    size_t cap = target_idx(p, "clean_energy_capacity");
    size_t pm = target_idx(p, "pm25_annual_mean");
    case_actor jingfa = {.name = "he", .role = EW_ROLE_UNIT, .org = "jingfa"};
    case_actor gongxin = {.name = "ma", .role = EW_ROLE_UNIT, .org = "gongxin"};
    char msg[256] = "";
    const char *const stats[] = {"AAAAAAAAAAAAAAAAAAAAAA"};
    assert_int_equal(ledgerbook_report_target(f->s, p, cap, 28000, "光伏并网统计", NULL, 0, &jingfa,
                                              NOW, msg, sizeof msg),
                     0);
    assert_int_equal(ledgerbook_report_target(f->s, p, cap, 31500.5, "二季度并网", stats, 1,
                                              &jingfa, NOW + 86400, msg, sizeof msg),
                     0);
    /* Refused: another unit, no note, a computed target. Nothing is stored. */
    assert_int_equal(
        ledgerbook_report_target(f->s, p, cap, 99999, "x", NULL, 0, &gongxin, NOW, msg, sizeof msg),
        LEDGERBOOK_E_DENIED);
    assert_int_equal(
        ledgerbook_report_target(f->s, p, cap, 99999, "", NULL, 0, &jingfa, NOW, msg, sizeof msg),
        LEDGERBOOK_E_REFUSED);
    assert_int_equal(
        ledgerbook_report_target(f->s, p, pm, 38, "x", NULL, 0, &jingfa, NOW, msg, sizeof msg),
        LEDGERBOOK_E_REFUSED);

    bool *has = calloc(p->n_targets, sizeof *has);
    double *v = calloc(p->n_targets, sizeof *v);
    assert_int_equal(ledgerbook_target_values(f->s, p, has, v, msg, sizeof msg), 0);
    assert_true(has[cap]);
    assert_true(v[cap] == 31500.5);
    assert_false(has[pm]);
    size_t n_has = 0;
    for (size_t i = 0; i < p->n_targets; i++)
        n_has += has[i];
    assert_int_equal(n_has, 1);
    free(has);
    free(v);

    changes g = history(f, "clean_energy_capacity");
    assert_int_equal(g.n, 2);
    assert_string_equal(g.field[0], "value");
    assert_string_equal(g.old_value[0], "28000");
    assert_string_equal(g.new_value[0], "31500.5");
    assert_int_equal(g.n_evidence[0], 1);
    /* The first report had no earlier value. */
    assert_string_equal(g.old_value[1], "");
    assert_string_equal(g.unit[1], "jingfa");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(progress_reports_are_stored_with_history, setup, teardown),
        cmocka_unit_test_setup_teardown(refused_reports_leave_no_change, setup, teardown),
        cmocka_unit_test_setup_teardown(target_reports_keep_the_latest_value, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
