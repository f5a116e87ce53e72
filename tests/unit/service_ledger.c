/* Tests of src/service/ledger: RAG boundaries, target status, overdue warnings, progress
 * reports and their change records, unit scoring rules — on the shipped plan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"

#include "base/bjtime.h"
#include "service/ledger.h"

#define SHIPPED TEST_DATA_DIR "/../../data/plan/" PLAN_DEFAULT_FILE
#define DAY 86400

static int64_t bj(int y, int mo, int d, int h, int mi, int s)
{
    ew_civil c = {.year = y, .mon = mo, .day = d, .hour = h, .min = mi, .sec = s};
    return ew_bj_to_utc(&c);
}

static int setup(void **state)
{
    plan_error err;
    *state = plan_load_file(SHIPPED, &err);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    plan_free(*state);
    return 0;
}

static size_t task_idx(const plan *p, const char *id)
{
    const plan_task *t = plan_task_by_id(p, id);
    assert_non_null(t);
    return (size_t)(t - p->tasks);
}

static size_t unit_idx(const plan *p, const char *id)
{
    const plan_unit *u = plan_unit_by_id(p, id);
    assert_non_null(u);
    return (size_t)(u - p->units);
}

/* Deadline day 2025-12-31, yellow window 30 days. */
static void rag_boundaries(void **state)
{
    (void)state;
    int64_t d = ew_days_from_civil(2025, 12, 31);
    /* 2025-11-30T23:59:59+08:00: 31 days left → green. */
    ledger_status s = ledger_deadline_status(d, false, 0, bj(2025, 11, 30, 23, 59, 59), NULL);
    assert_int_equal(s.rag, LEDGER_GREEN);
    assert_int_equal(s.days_left, 31);
    /* 2025-12-01T00:00:00+08:00 = 1764518400: 30 days left → yellow. */
    assert_int_equal(bj(2025, 12, 1, 0, 0, 0), 1764518400);
    s = ledger_deadline_status(d, false, 0, 1764518400, NULL);
    assert_int_equal(s.rag, LEDGER_YELLOW);
    assert_int_equal(s.days_left, 30);
    /* The deadline day's last second, 1767196799, is still yellow with 0 days left. */
    s = ledger_deadline_status(d, false, 0, 1767196799, NULL);
    assert_int_equal(s.rag, LEDGER_YELLOW);
    assert_int_equal(s.days_left, 0);
    /* Beijing midnight after it (2025-12-31T16:00Z) → red, one day over. */
    s = ledger_deadline_status(d, false, 0, 1767196800, NULL);
    assert_int_equal(s.rag, LEDGER_RED);
    assert_int_equal(s.days_left, -1);
    assert_string_equal(s.why, "overdue");
    /* Done: green whenever; late if reported after the deadline day. */
    s = ledger_deadline_status(d, true, 1767196799, 1767196800 + 40 * DAY, NULL);
    assert_int_equal(s.rag, LEDGER_GREEN);
    assert_false(s.done_late);
    s = ledger_deadline_status(d, true, 1767196800, 1767196800 + 40 * DAY, NULL);
    assert_int_equal(s.rag, LEDGER_GREEN);
    assert_true(s.done_late);
    /* A narrower window. */
    ledger_policy week = {.yellow_days = 7};
    assert_int_equal(ledger_deadline_status(d, false, 0, bj(2025, 12, 24, 0, 0, 0), &week).rag,
                     LEDGER_YELLOW);
    assert_int_equal(ledger_deadline_status(d, false, 0, bj(2025, 12, 23, 23, 0, 0), &week).rag,
                     LEDGER_GREEN);
}

static void target_status_rules(void **state)
{
    plan *p = *state;
    const plan_target *pm = plan_target_by_id(p, "pm25_annual_mean"); /* <= 40 by 2025-12-31 */
    int64_t mid = bj(2025, 6, 30, 12, 0, 0), after = bj(2026, 1, 15, 0, 0, 0);
    assert_int_equal(ledger_target_status(pm, true, 45, true, 41, mid, NULL).rag, LEDGER_YELLOW);
    assert_int_equal(ledger_target_status(pm, true, 45, true, 40, mid, NULL).rag, LEDGER_GREEN);
    assert_int_equal(ledger_target_status(pm, true, 39, false, 0, mid, NULL).rag, LEDGER_GREEN);
    assert_int_equal(ledger_target_status(pm, true, 40.1, false, 0, mid, NULL).rag, LEDGER_YELLOW);
    assert_int_equal(ledger_target_status(pm, true, 40.0, true, 55, after, NULL).rag, LEDGER_GREEN);
    ledger_status s = ledger_target_status(pm, true, 40.1, false, 0, after, NULL);
    assert_int_equal(s.rag, LEDGER_RED);
    assert_string_equal(s.why, "missed");
    assert_int_equal(ledger_target_status(pm, false, 0, false, 0, after, NULL).rag, LEDGER_RED);

    const plan_target *good = plan_target_by_id(p, "good_days_ratio"); /* >= 66.5 */
    assert_false(ledger_target_met(good, 66.4));
    assert_true(ledger_target_met(good, 66.5));
    const plan_target *heavy = plan_target_by_id(p, "heavy_days_ratio"); /* <= 1.2 */
    assert_true(ledger_target_met(heavy, 1.2));
    assert_false(ledger_target_met(heavy, 1.3));
    const plan_target *nev = plan_target_by_id(p, "nev_city_annual_output"); /* > 100万 */
    assert_false(ledger_target_met(nev, 1000000));
    assert_true(ledger_target_met(nev, 1000001));

    /* A yes/no target due 2025-09-30: unreported with 15 days left → yellow; 61 → green. */
    const plan_target *cement = plan_target_by_id(p, "cement_clean_transport_ule");
    s = ledger_target_status(cement, false, 0, false, 0, bj(2025, 9, 15, 9, 0, 0), NULL);
    assert_int_equal(s.rag, LEDGER_YELLOW);
    assert_string_equal(s.why, "not yet reported");
    assert_int_equal(
        ledger_target_status(cement, false, 0, false, 0, bj(2025, 7, 31, 9, 0, 0), NULL).rag,
        LEDGER_GREEN);
    assert_int_equal(
        ledger_target_status(cement, true, 1, false, 0, bj(2025, 10, 1, 9, 0, 0), NULL).rag,
        LEDGER_GREEN);
}

static void warnings_put_red_first(void **state)
{
    plan *p = *state;
    ledger_task_state st[21] = {0};
    ledger_warning w[5];
    /* 2025-12-15: every task (deadline 2025-12-31) has 16 days left → 21 yellow. */
    assert_int_equal(ledger_warnings(p, st, bj(2025, 12, 15, 10, 0, 0), NULL, w, 5), 21);
    assert_int_equal(w[0].status.rag, LEDGER_YELLOW);
    assert_int_equal(w[0].status.days_left, 16);
    assert_int_equal(w[0].task, 0);
    /* Task 1 done; 2026-01-02 → the plan's period is over: a closed ledger warns of
     * nothing. */
    st[0].done = true;
    st[0].done_utc = bj(2025, 12, 20, 0, 0, 0);
    assert_int_equal(ledger_warnings(p, st, bj(2026, 1, 2, 10, 0, 0), NULL, w, 5), 0);
    /* Were the period to run on (a plan extended to 2026-12-31), the same day has 20 red,
     * two days over, in task order. */
    int64_t end = p->end_day;
    p->end_day = ew_bj_day_of(bj(2026, 12, 31, 12, 0, 0));
    assert_int_equal(ledger_warnings(p, st, bj(2026, 1, 2, 10, 0, 0), NULL, w, 5), 20);
    p->end_day = end;
    assert_int_equal(w[0].task, 1);
    assert_int_equal(w[0].status.rag, LEDGER_RED);
    assert_int_equal(w[0].status.days_left, -2);
    assert_int_equal(w[4].task, 5);
    /* 2025-06-01: nothing due → none. */
    assert_int_equal(ledger_warnings(p, st, bj(2025, 6, 1, 0, 0, 0), NULL, w, 5), 0);
}

/* The shipped plan runs 2023-01-01 .. 2025-12-31 (Beijing); every deadline is its last day. */
static void a_finished_plan_is_closed_at_its_end(void **state)
{
    plan *p = *state;
    /* Over once its last day has ended, not during it. */
    assert_false(ledger_plan_over(p, bj(2025, 12, 31, 23, 59, 59)));
    assert_true(ledger_plan_over(p, bj(2026, 1, 1, 0, 0, 0)));
    assert_int_equal(ledger_as_of(p, bj(2025, 6, 1, 8, 0, 0)), bj(2025, 6, 1, 8, 0, 0));
    assert_int_equal(ledger_as_of(p, bj(2026, 12, 5, 9, 0, 0)), bj(2026, 1, 1, 0, 0, 0));
    assert_int_equal(ledger_plan_year(p, bj(2025, 12, 31, 23, 0, 0)), 2025);
    assert_int_equal(ledger_plan_year(p, bj(2026, 12, 5, 9, 0, 0)), 2025);
    ledger_task_state st = {0};
    /* During the period: the deadline rule, not closed. */
    ledger_status s = ledger_task_status(p, 0, &st, bj(2025, 12, 15, 10, 0, 0), NULL);
    assert_false(s.closed);
    assert_int_equal(s.rag, LEDGER_YELLOW);
    assert_int_equal(s.days_left, 16);
    /* Undone at the end: closed, "not done at period end", one day over — the same a day
     * and a year after the end, not a count that grows. */
    s = ledger_task_status(p, 0, &st, bj(2026, 1, 1, 9, 0, 0), NULL);
    assert_true(s.closed);
    assert_int_equal(s.rag, LEDGER_RED);
    assert_string_equal(s.why, "not done at period end");
    assert_int_equal(s.days_left, -1);
    ledger_status later = ledger_task_status(p, 0, &st, bj(2026, 12, 5, 9, 0, 0), NULL);
    assert_int_equal(later.days_left, -1);
    assert_string_equal(later.why, s.why);
    /* Done in time stays done; done after the end does not change how the period ended. */
    st = (ledger_task_state){.progress_pct = 100, .done = true, .done_utc = bj(2025, 11, 2, 0, 0, 0)};
    s = ledger_task_status(p, 0, &st, bj(2026, 12, 5, 9, 0, 0), NULL);
    assert_true(s.closed);
    assert_int_equal(s.rag, LEDGER_GREEN);
    assert_string_equal(s.why, "done");
    st.done_utc = bj(2026, 3, 1, 0, 0, 0);
    s = ledger_task_status(p, 0, &st, bj(2026, 12, 5, 9, 0, 0), NULL);
    assert_int_equal(s.rag, LEDGER_RED);
    assert_string_equal(s.why, "not done at period end");
    /* A target after the end: the final value decides, closed. */
    size_t pm = 0;
    while (pm < p->n_targets && strcmp(p->targets[pm].id, "pm25_annual_mean"))
        pm++;
    assert_true(pm < p->n_targets);
    s = ledger_plan_target_status(p, pm, true, 39.0, false, 0, bj(2026, 12, 5, 9, 0, 0), NULL);
    assert_true(s.closed);
    assert_int_equal(s.rag, LEDGER_GREEN);
    assert_string_equal(s.why, "met");
    s = ledger_plan_target_status(p, pm, true, 39.0, true, 45.0, bj(2025, 12, 1, 9, 0, 0), NULL);
    assert_false(s.closed);
    assert_string_equal(s.why, "projected to miss");
}

static void progress_reports_leave_change_records(void **state)
{
    plan *p = *state;
    size_t t13 = task_idx(p, "T13"); /* responsible: 区控尘办、区建设局、区综合行政执法局 */
    ledger_task_state st = {0};
    ledger_change ch;
    char msg[256];
    case_actor dust = {.name = "chen", .role = EW_ROLE_UNIT, .org = "kongchenban"};
    int64_t now = bj(2025, 3, 1, 10, 0, 0);
    ledger_task_report r = {.progress_pct = 30};
    assert_int_equal(ledger_task_report_apply(p, t13, &st, &r, &dust, now, &ch, msg, sizeof msg),
                     0);
    assert_int_equal(st.progress_pct, 30);
    assert_string_equal(ch.object_id, "T13");
    assert_string_equal(ch.field, "progress");
    assert_string_equal(ch.old_value, "0");
    assert_string_equal(ch.new_value, "30");
    assert_string_equal(ch.unit, "kongchenban");
    assert_string_equal(ch.actor, "chen");
    assert_int_equal(ch.at_utc, now);

    /* A cooperating unit (各镇、办(管区)) and an unrelated one may not report. */
    case_actor towns = {.name = "liu", .role = EW_ROLE_UNIT, .org = "towns"};
    r.progress_pct = 40;
    assert_int_equal(ledger_task_report_apply(p, t13, &st, &r, &towns, now, &ch, msg, sizeof msg),
                     EW_EFORBIDDEN);
    assert_string_equal(msg, "denied: towns is not a lead or responsible unit of task T13");
    case_actor auditor = {.name = "zhao", .role = EW_ROLE_AUDITOR};
    assert_int_equal(ledger_task_report_apply(p, t13, &st, &r, &auditor, now, &ch, msg, sizeof msg),
                     EW_EFORBIDDEN);
    /* An auditor attached to a unit that answers for the task: auth_decide refuses. */
    case_actor aud_unit = {.name = "qian", .role = EW_ROLE_AUDITOR, .org = "kongchenban"};
    assert_int_equal(ledger_task_report_apply(p, t13, &st, &r, &aud_unit, now, &ch, msg, sizeof msg),
                     EW_EFORBIDDEN);
    assert_non_null(strstr(msg, "denied"));

    r.progress_pct = 20;
    assert_int_equal(ledger_task_report_apply(p, t13, &st, &r, &dust, now, &ch, msg, sizeof msg),
                     EW_EINVALID);
    assert_string_equal(msg, "progress goes down from 30% to 20%: a note must say why");
    assert_int_equal(st.progress_pct, 30);
    r.progress_pct = 30;
    assert_int_equal(ledger_task_report_apply(p, t13, &st, &r, &dust, now, &ch, msg, sizeof msg),
                     EW_EINVALID);

    ledger_task_report done = {.done = true, .note = "全部工地完成围挡"};
    assert_int_equal(ledger_task_report_apply(p, t13, &st, &done, &dust, now, &ch, msg, sizeof msg),
                     EW_EINVALID);
    assert_string_equal(msg, "reporting task T13 done needs evidence and a note");
    static const char *const ev[] = {"report:2025-q1.pdf"};
    done.evidence = ev;
    done.n_evidence = 1;
    assert_int_equal(
        ledger_task_report_apply(p, t13, &st, &done, &dust, now + DAY, &ch, msg, sizeof msg), 0);
    assert_true(st.done);
    assert_int_equal(st.done_utc, now + DAY);
    assert_string_equal(ch.field, "done");
    assert_string_equal(ch.new_value, "true");
    assert_int_equal(ch.n_evidence, 1);
    assert_int_equal(
        ledger_task_report_apply(p, t13, &st, &done, &dust, now + DAY, &ch, msg, sizeof msg), EW_EINVALID);
}

static void target_reports(void **state)
{
    plan *p = *state;
    ledger_change ch;
    char msg[256];
    case_actor jingfa = {.name = "he", .role = EW_ROLE_UNIT, .org = "jingfa"};
    case_actor gongxin = {.name = "ma", .role = EW_ROLE_UNIT, .org = "gongxin"};
    case_actor bureau = {.name = "zhang", .role = EW_ROLE_BUREAU, .org = "sthj"};
    size_t cap = (size_t)(plan_target_by_id(p, "clean_energy_capacity") - p->targets);
    size_t pm = (size_t)(plan_target_by_id(p, "pm25_annual_mean") - p->targets);
    size_t ule = (size_t)(plan_target_by_id(p, "cement_clean_transport_ule") - p->targets);
    int64_t now = bj(2025, 7, 1, 9, 0, 0);
    /* Task 3 (clean energy) is 区经济发展局's; 区工信局 only cooperates. */
    assert_int_equal(ledger_target_report_check(p, cap, true, 28000, 31500, "光伏并网统计", &jingfa,
                                                now, &ch, msg, sizeof msg),
                     0);
    assert_int_equal(ch.object, LEDGER_OBJ_TARGET);
    assert_string_equal(ch.object_id, "clean_energy_capacity");
    assert_string_equal(ch.field, "value");
    assert_string_equal(ch.old_value, "28000");
    assert_string_equal(ch.new_value, "31500");
    assert_string_equal(ch.unit, "jingfa");
    assert_int_equal(ledger_target_report_check(p, cap, false, 0, 31500, "x", &gongxin, now, &ch,
                                                msg, sizeof msg),
                     EW_EFORBIDDEN);
    assert_string_equal(msg, "denied: gongxin does not answer for target clean_energy_capacity");
    assert_int_equal(
        ledger_target_report_check(p, cap, false, 0, 31500, "", &jingfa, now, &ch, msg, sizeof msg),
        EW_EINVALID);
    assert_int_equal(
        ledger_target_report_check(p, pm, false, 0, 38, "x", &bureau, now, &ch, msg, sizeof msg),
        EW_EINVALID);
    assert_string_equal(msg, "target pm25_annual_mean is computed from monitoring data "
                             "(airq.pm25_annual_mean), not reported");
    assert_int_equal(
        ledger_target_report_check(p, ule, false, 0, 2, "x", &bureau, now, &ch, msg, sizeof msg),
        EW_EINVALID);
    assert_int_equal(ledger_target_report_check(p, ule, false, 0, 1, "验收报告", &bureau, now, &ch,
                                                msg, sizeof msg),
                     0);
    assert_string_equal(ch.old_value, "");
}

static void find_hits(const ledger_score *s, const char *rule, const char *object, int *count)
{
    *count = 0;
    for (size_t i = 0; i < s->n_hits; i++)
        if (!strcmp(s->hits[i].rule->id, rule) && (!object || !strcmp(s->hits[i].object, object)))
            (*count)++;
}

/* 区控尘办 answers only for task 13 (responsible); its indicator is dust fall ≤ 7. */
static void score_overdue_task_and_missed_target(void **state)
{
    plan *p = *state;
    ledger_task_state st[21] = {0};
    ledger_status ts[26];
    for (size_t i = 0; i < p->n_targets; i++)
        ts[i] = (ledger_status){.rag = LEDGER_GREEN};
    ts[plan_target_by_id(p, "dustfall_city_mean") - p->targets].rag = LEDGER_RED;
    ledger_score s;
    /* January 2026: task 13 (due 2025-12-31) still open; its target red. 100 - 5 - 10. */
    ledger_score_unit(p, unit_idx(p, "kongchenban"), st, ts, NULL, 0, bj(2026, 1, 1, 0, 0, 0),
                      bj(2026, 2, 1, 0, 0, 0), &s);
    assert_int_equal(s.base, 100);
    assert_int_equal(s.total, 85);
    assert_int_equal(s.n_hits, 2);
    assert_string_equal(s.hits[0].rule->id, "task_overdue");
    assert_string_equal(s.hits[0].object, "T13");
    assert_int_equal(s.hits[0].points, -5);
    assert_string_equal(s.hits[1].rule->id, "target_missed");
    assert_string_equal(s.hits[1].object, "dustfall_city_mean");
    assert_non_null(strstr(s.hits[1].rule->text, "-10"));
    ledger_score_free(&s);

    /* 2025 as a whole: the deadline day is the period's last day, nothing overdue yet. */
    ledger_score_unit(p, unit_idx(p, "kongchenban"), st, NULL, NULL, 0, bj(2025, 1, 1, 0, 0, 0),
                      bj(2026, 1, 1, 0, 0, 0), &s);
    assert_int_equal(s.total, 100);
    assert_int_equal(s.n_hits, 0);
    ledger_score_free(&s);
}

/* 区建设局 answers for tasks 2, 8, 9, 13 and 18 (responsible); it only cooperates on 3, 14, 15. */
static void score_done_on_time_and_late(void **state)
{
    plan *p = *state;
    ledger_task_state st[21] = {0};
    size_t t02 = task_idx(p, "T02"), t08 = task_idx(p, "T08");
    st[t08] = (ledger_task_state){
        .progress_pct = 100, .done = true, .done_utc = bj(2025, 6, 10, 9, 0, 0)};
    st[t02] =
        (ledger_task_state){.progress_pct = 100, .done = true, .done_utc = bj(2026, 1, 5, 9, 0, 0)};
    size_t js = unit_idx(p, "jianshe");
    ledger_score s;
    ledger_score_unit(p, js, st, NULL, NULL, 0, bj(2025, 1, 1, 0, 0, 0), bj(2026, 1, 1, 0, 0, 0),
                      &s);
    assert_int_equal(s.total, 105); /* T08 on time */
    assert_int_equal(s.n_hits, 1);
    assert_string_equal(s.hits[0].object, "T08");
    ledger_score_free(&s);
    /* Q1 2026: T02 done late (+2); T09, T13, T18 overdue (3 × -5). 100 + 2 - 15 = 87. */
    ledger_score_unit(p, js, st, NULL, NULL, 0, bj(2026, 1, 1, 0, 0, 0), bj(2026, 4, 1, 0, 0, 0),
                      &s);
    assert_int_equal(s.total, 87);
    int n;
    find_hits(&s, "task_done_late", "T02", &n);
    assert_int_equal(n, 1);
    find_hits(&s, "task_overdue", NULL, &n);
    assert_int_equal(n, 3);
    find_hits(&s, "task_overdue", "T14", &n); /* cooperating only */
    assert_int_equal(n, 0);
    ledger_score_free(&s);
}

static const case_actor bureau = {.name = "zhang", .role = EW_ROLE_BUREAU, .org = "sthj"};
static const case_actor js_staff = {.name = "sun", .role = EW_ROLE_UNIT, .org = "jianshe"};
static const char *const ev[] = {"photo:1"};

static ew_case *assigned_case(int64_t t, const char *unit, int64_t deadline)
{
    case_report r = {.source = CASE_SRC_INSPECTION,
                     .category = CASE_CAT_DUST,
                     .location = "经开第十五大街工地",
                     .description = "裸土未苫盖"};
    case_error err;
    ew_case *c = case_open(&r, &bureau, t, &err);
    assert_non_null(c);
    case_cmd acc = {.action = CASE_ACT_ACCEPT};
    case_cmd asg = {.action = CASE_ACT_ASSIGN, .unit = unit, .deadline_utc = deadline};
    assert_int_equal(case_apply(c, &acc, &bureau, t + 60, NULL, &err), 0);
    assert_int_equal(case_apply(c, &asg, &bureau, t + 120, NULL, &err), 0);
    return c;
}

static void step(ew_case *c, case_cmd cmd, const case_actor *who, int64_t t)
{
    case_error err;
    if (case_apply(c, &cmd, who, t, NULL, &err))
        fail_msg("%s", err.msg);
}

/* Cases in March 2026, all assigned to 区建设局 except D. */

/* unit's score for month (1-11) of 2026 on the cases given, every task done in time
 * (December 2025), so that only the cases move it. */
static void score_cases_of_month(const plan *p, const char *unit, int month,
                                 const ew_case *const *cases, size_t n, ledger_score *s)
{
    ledger_task_state st[21] = {0};
    for (size_t i = 0; i < 21; i++)
        st[i].done = true, st[i].done_utc = bj(2025, 12, 1, 0, 0, 0);
    ledger_score_unit(p, unit_idx(p, unit), st, NULL, cases, n, bj(2026, month, 1, 0, 0, 0),
                      bj(2026, month + 1, 1, 0, 0, 0), s);
}
static void score_cases_by_unit_at_event_time(void **state)
{
    plan *p = *state;
    int64_t t = bj(2026, 3, 2, 9, 0, 0);
    case_actor js_as_unit = js_staff;
    /* A: deadline 3 days; 督办 at the deadline; rectified late, verified: -2, no credit. */
    ew_case *a = assigned_case(t, "jianshe", t + 3 * DAY);
    step(a, (case_cmd){.action = CASE_ACT_SIGN}, &js_as_unit, t + 3600);
    assert_int_equal(case_escalate(a, t + 3 * DAY, &case_policy_default), 1);
    step(a, (case_cmd){.action = CASE_ACT_SUBMIT, .evidence = ev, .n_evidence = 1}, &js_as_unit,
         t + 4 * DAY);
    step(a, (case_cmd){.action = CASE_ACT_VERIFY}, &bureau, t + 5 * DAY);
    /* B: rectified before its deadline and verified: +1. */
    ew_case *b = assigned_case(t, "jianshe", t + 3 * DAY);
    step(b, (case_cmd){.action = CASE_ACT_SIGN}, &js_as_unit, t + 3600);
    step(b, (case_cmd){.action = CASE_ACT_SUBMIT, .evidence = ev, .n_evidence = 1}, &js_as_unit,
         t + DAY);
    step(b, (case_cmd){.action = CASE_ACT_VERIFY}, &bureau, t + 2 * DAY);
    /* C: closed on time (+1), then recurs and goes to 区工信局: -3 for 区建设局. */
    ew_case *c = assigned_case(t, "jianshe", t + 3 * DAY);
    step(c, (case_cmd){.action = CASE_ACT_SIGN}, &js_as_unit, t + 3600);
    step(c, (case_cmd){.action = CASE_ACT_SUBMIT, .evidence = ev, .n_evidence = 1}, &js_as_unit,
         t + DAY);
    step(c, (case_cmd){.action = CASE_ACT_VERIFY}, &bureau, t + 2 * DAY);
    step(c,
         (case_cmd){.action = CASE_ACT_REOPEN,
                    .reason = "复发",
                    .unit = "gongxin",
                    .deadline_utc = t + 20 * DAY},
         &bureau, t + 10 * DAY);
    /* D: another unit's 挂牌督办 (two levels) does not touch 区建设局. */
    ew_case *d = assigned_case(t, "gongxin", t + DAY);
    assert_int_equal(case_escalate(d, t + 9 * DAY, &case_policy_default), 2);

    const ew_case *cases[] = {a, b, c, d};
    ledger_score s;
    score_cases_of_month(p, "jianshe", 3, cases, 4, &s);
    /* 100 - 2 (A) + 1 (B) + 1 (C) - 3 (C) = 97 */
    assert_int_equal(s.total, 97);
    assert_int_equal(s.n_hits, 4);
    int n;
    find_hits(&s, "case_duban", a->tracking, &n);
    assert_int_equal(n, 1);
    find_hits(&s, "case_closed_on_time", NULL, &n);
    assert_int_equal(n, 2);
    find_hits(&s, "case_reopened", c->tracking, &n);
    assert_int_equal(n, 1);
    ledger_score_free(&s);

    /* 区工信局: D's 督办 (-2) and 挂牌督办 (-5); C's recurrence is not its fault. */
    score_cases_of_month(p, "gongxin", 3, cases, 4, &s);
    assert_int_equal(s.total, 93);
    find_hits(&s, "case_listed", d->tracking, &n);
    assert_int_equal(n, 1);
    ledger_score_free(&s);

    /* Outside the period nothing counts. */
    score_cases_of_month(p, "jianshe", 4, cases, 4, &s);
    assert_int_equal(s.total, 100);
    ledger_score_free(&s);
    case_free(a);
    case_free(b);
    case_free(c);
    case_free(d);
}

/* 禁烧: a fire point in the period costs the unit the case rests with 2 points, once; one the
 * bureau closed as a false alarm costs nothing; a fire before the period is not counted. */
static void fire_points_are_charged_to_their_town(void **state)
{
    plan *p = *state;
    int64_t t = bj(2026, 3, 2, 9, 0, 0);
    case_error err;
    case_report r = {.source = CASE_SRC_FIRE_POINT,
                     .category = CASE_CAT_OPEN_BURNING,
                     .location = "九龙镇 (113.71, 34.60)",
                     .description = "卫星火点"};
    ew_case *fire[4];
    for (int i = 0; i < 4; i++) {
        fire[i] = case_open(&r, &bureau, i == 3 ? bj(2026, 2, 20, 9, 0, 0) : t, &err);
        assert_non_null(fire[i]);
        step(fire[i], (case_cmd){.action = CASE_ACT_ACCEPT}, &bureau, t + 60);
        /* The third goes first to the wrong unit, which sends it back. */
        step(fire[i],
             (case_cmd){.action = CASE_ACT_ASSIGN,
                        .unit = i == 2 ? "gongxin" : "jianshe",
                        .deadline_utc = t + 3 * DAY},
             &bureau, t + 120);
    }
    case_actor gx = {.name = "gx", .role = EW_ROLE_UNIT, .org = "gongxin"};
    step(fire[2], (case_cmd){.action = CASE_ACT_SEND_BACK, .reason = "不在本辖区"}, &gx, t + 600);
    step(fire[2],
         (case_cmd){.action = CASE_ACT_ASSIGN, .unit = "jianshe", .deadline_utc = t + 3 * DAY},
         &bureau, t + 900);
    /* The second: a factory's heat, closed as a false alarm. */
    case_actor js_as_unit = js_staff;
    step(fire[1], (case_cmd){.action = CASE_ACT_SIGN}, &js_as_unit, t + 3600);
    step(fire[1], (case_cmd){.action = CASE_ACT_SUBMIT, .evidence = ev, .n_evidence = 1},
         &js_as_unit, t + DAY);
    step(fire[1], (case_cmd){.action = CASE_ACT_VERIFY, .finding = CASE_FINDING_FALSE_ALARM},
         &bureau, t + 2 * DAY);
    const ew_case *cases[] = {fire[0], fire[1], fire[2], fire[3]};
    ledger_score s;
    score_cases_of_month(p, "jianshe", 3, cases, 4, &s);
    int n;
    find_hits(&s, "fire_point", NULL, &n);
    assert_int_equal(n, 2);
    find_hits(&s, "fire_point", fire[0]->tracking, &n);
    assert_int_equal(n, 1);
    find_hits(&s, "fire_point", fire[2]->tracking, &n);
    assert_int_equal(n, 1);
    /* 100 - 2 - 2, and +1 for the false alarm closed on time */
    assert_int_equal(s.total, 97);
    ledger_score_free(&s);
    score_cases_of_month(p, "gongxin", 3, cases, 4, &s);
    find_hits(&s, "fire_point", NULL, &n);
    assert_int_equal(n, 0);
    ledger_score_free(&s);
    for (int i = 0; i < 4; i++)
        case_free(fire[i]);
}

static void rules_are_listed_with_their_points(void **state)
{
    (void)state;
    assert_int_equal(ledger_n_rules, 9);
    for (size_t i = 0; i < ledger_n_rules; i++) {
        char pts[8];
        snprintf(pts, sizeof pts, "%+d", ledger_rules[i].points);
        assert_non_null(strstr(ledger_rules[i].text, pts)); /* the text states its points */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rag_boundaries),
        cmocka_unit_test(target_status_rules),
        cmocka_unit_test(warnings_put_red_first),
        cmocka_unit_test(a_finished_plan_is_closed_at_its_end),
        cmocka_unit_test(progress_reports_leave_change_records),
        cmocka_unit_test(target_reports),
        cmocka_unit_test(score_overdue_task_and_missed_target),
        cmocka_unit_test(score_done_on_time_and_late),
        cmocka_unit_test(score_cases_by_unit_at_event_time),
        cmocka_unit_test(rules_are_listed_with_their_points),
        cmocka_unit_test(fire_points_are_charged_to_their_town),
    };
    return cmocka_run_group_tests_name("service_ledger", tests, setup, teardown);
}
