/* Tests of src/service/plan: the shipped 2023-2025 plan of the zone against the figures of
 * the plan text itself, and precise errors for malformed files (tests/data/plan/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/bjtime.h"
#include "service/plan.h"

#define SHIPPED TEST_DATA_DIR "/../../data/plan/" PLAN_DEFAULT_FILE

static plan *load_shipped(void)
{
    plan_error err;
    plan *p = plan_load_file(SHIPPED, &err);
    if (!p) {
        char buf[512];
        fail_msg("%s", plan_error_format(&err, buf, sizeof buf));
    }
    return p;
}

static const char *unit_name(const plan *p, plan_refs r, size_t i)
{
    assert_true(i < r.n);
    return p->units[r.idx[i]].name;
}

static int unit_idx(const plan *p, const char *id)
{
    const plan_unit *u = plan_unit_by_id(p, id);
    assert_non_null(u);
    return (int)(u - p->units);
}

/* 三、重点任务: "十大行动" with tasks numbered 1..21. */
static void shipped_plan_has_ten_actions_and_21_tasks(void **state)
{
    (void)state;
    plan *p = load_shipped();
    assert_int_equal(p->n_actions, 10);
    assert_int_equal(p->n_tasks, 21);
    assert_string_equal(p->actions[0].name, "城市空气质量提升进位行动");
    assert_string_equal(p->actions[5].name, "美丽主福河湖建设行动");
    assert_string_equal(p->actions[9].name, "环境监管能力提升行动");
    /* Tasks per action as numbered in the text: 1 | 2 | 3-4 | 5-6 | 7-8 | 9 | 10 | 11-12 |
     * 13-18 | 19-21. */
    static const size_t per_action[10] = {1, 1, 2, 2, 2, 1, 1, 2, 6, 3};
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(p->actions[i].n_tasks, per_action[i]);
    for (size_t i = 0; i < 21; i++)
        assert_int_equal(p->tasks[i].no, (int)i + 1);
    assert_string_equal(p->tasks[12].title, "强化扬尘综合管控");
    assert_int_equal(p->tasks[12].action, 8);
    assert_string_equal(p->title, "经开区推动生态环境质量稳定向好 三年行动计划(2023—2025年)");
    assert_int_equal(p->start_day, ew_days_from_civil(2023, 1, 1));
    assert_int_equal(p->end_day, ew_days_from_civil(2025, 12, 31));
    plan_free(p);
}

/* 二、主要目标: PM2.5 40 μg/m³, good days 66.5 %, heavy days not above 1.2 % by 2025. */
static void shipped_plan_main_air_targets(void **state)
{
    (void)state;
    plan *p = load_shipped();
    const plan_target *t = plan_target_by_id(p, "pm25_annual_mean");
    assert_non_null(t);
    assert_true(t->target == 40.0);
    assert_int_equal(t->cmp, PLAN_CMP_LE);
    assert_int_equal(t->source, PLAN_SRC_MONITORING);
    assert_string_equal(t->statistic, "airq.pm25_annual_mean");
    assert_string_equal(t->unit, "μg/m³");
    assert_int_equal(t->year, 2025);
    assert_int_equal(t->deadline_day, ew_days_from_civil(2025, 12, 31));
    assert_int_equal(t->task, -1);

    t = plan_target_by_id(p, "good_days_ratio");
    assert_non_null(t);
    assert_true(t->target == 66.5);
    assert_int_equal(t->cmp, PLAN_CMP_GE);
    assert_string_equal(t->statistic, "airq.good_days_ratio");

    t = plan_target_by_id(p, "heavy_days_ratio");
    assert_non_null(t);
    assert_true(t->target == 1.2);
    assert_int_equal(t->cmp, PLAN_CMP_LE);

    /* Water: 南水北调 main canal class Ⅱ; drinking-water sources 100 %. Farmland 95 %. */
    t = plan_target_by_id(p, "snbd_main_canal_class");
    assert_non_null(t);
    assert_true(t->target == 2.0);
    assert_int_equal(t->cmp, PLAN_CMP_LE);
    t = plan_target_by_id(p, "drinking_source_compliance");
    assert_true(t->target == 100.0);
    t = plan_target_by_id(p, "polluted_farmland_safe_use");
    assert_true(t->target == 95.0);
    assert_int_equal(t->source, PLAN_SRC_REPORTED);
    assert_null(t->statistic);
    plan_free(p);
}

/* Indicators inside tasks: 4万千瓦 (task 3), 2025年9月底前 (task 5), 2023年年底前 and 90 %
 * (task 8), 43/95/97 % (task 11), 70 % (task 12), 7 吨/月·平方公里 (task 13). */
static void shipped_plan_task_indicators(void **state)
{
    (void)state;
    plan *p = load_shipped();
    const plan_target *t = plan_target_by_id(p, "clean_energy_capacity");
    assert_non_null(t);
    assert_true(t->target == 40000.0);
    assert_string_equal(t->unit, "kW");
    assert_int_equal(t->source, PLAN_SRC_REPORTED);
    assert_string_equal(p->tasks[t->task].id, "T03");

    t = plan_target_by_id(p, "cement_clean_transport_ule");
    assert_int_equal(t->cmp, PLAN_CMP_DONE);
    assert_int_equal(t->deadline_day, ew_days_from_civil(2025, 9, 30));
    assert_int_equal(p->tasks[t->task].no, 5);

    t = plan_target_by_id(p, "sewage_facility_coverage");
    assert_int_equal(t->deadline_day, ew_days_from_civil(2023, 12, 31));
    t = plan_target_by_id(p, "sewage_collection_ratio");
    assert_true(t->target == 90.0);
    assert_int_equal(t->cmp, PLAN_CMP_GE);
    assert_int_equal(p->tasks[t->task].no, 8);

    const plan_task *t11 = plan_task_by_id(p, "T11");
    assert_int_equal(t11->targets.n, 3);
    static const double t11_values[3] = {43, 95, 97};
    for (size_t i = 0; i < 3; i++)
        assert_true(p->targets[t11->targets.idx[i]].target == t11_values[i]);

    assert_true(plan_target_by_id(p, "rural_sewage_treatment")->target == 70.0);
    t = plan_target_by_id(p, "dustfall_city_mean");
    assert_true(t->target == 7.0);
    assert_int_equal(t->cmp, PLAN_CMP_LE);
    assert_string_equal(t->scope, "city");
    t = plan_target_by_id(p, "eco_flow_compliance");
    assert_true(t->target == 90.0);
    assert_int_equal(t->source, PLAN_SRC_MONITORING);

    /* Task 5 dates only its cement step (2025-09-30, a target); the rest of the task runs
     * to the plan's end. Task 3 states "2025年年底前"; task 1 names no date. */
    assert_int_equal(plan_task_by_id(p, "T05")->deadline_day, ew_days_from_civil(2025, 12, 31));
    assert_false(plan_task_by_id(p, "T05")->deadline_stated);
    assert_true(plan_task_by_id(p, "T03")->deadline_stated);
    assert_false(plan_task_by_id(p, "T01")->deadline_stated);
    assert_int_equal(plan_task_by_id(p, "T01")->deadline_day, p->end_day);
    plan_free(p);
}

/* Units exactly as the text names them, in the roles it gives them. */
static void shipped_plan_units_and_roles(void **state)
{
    (void)state;
    plan *p = load_shipped();
    const plan_task *t = plan_task_by_id(p, "T01");
    assert_int_equal(t->lead.n, 1);
    assert_string_equal(unit_name(p, t->lead, 0), "区攻坚办");
    assert_string_equal(unit_name(p, t->responsible, 0), "区攻坚办各成员单位");

    t = plan_task_by_id(p, "T02");
    assert_int_equal(t->responsible.n, 5);
    assert_string_equal(unit_name(p, t->responsible, 4), "区开放办");
    assert_int_equal(t->cooperating.n, 3);
    assert_string_equal(unit_name(p, t->cooperating, 0), "区财政局(审计局)");
    assert_string_equal(unit_name(p, t->cooperating, 2), "各镇、办(管区)");

    t = plan_task_by_id(p, "T03");
    assert_int_equal(t->cooperating.n, 8);
    assert_string_equal(unit_name(p, t->cooperating, 6), "城东供电公司");

    t = plan_task_by_id(p, "T16");
    assert_string_equal(unit_name(p, t->responsible, 0), "区应急管理局");
    assert_string_equal(unit_name(p, t->responsible, 1), "公安分局");

    t = plan_task_by_id(p, "T17"); /* 牵头单位 and 配合单位 only */
    assert_int_equal(t->lead.n, 2);
    assert_string_equal(unit_name(p, t->lead, 0), "生态环境分局");
    assert_string_equal(unit_name(p, t->lead, 1), "区经济发展局");
    assert_int_equal(t->responsible.n, 0);

    t = plan_task_by_id(p, "T18");
    assert_int_equal(t->responsible.n, 6);
    assert_string_equal(unit_name(p, t->responsible, 2), "区社会事业局(水利)");
    assert_string_equal(p->units[p->units[t->responsible.idx[2]].parent].name, "区社会事业局");

    t = plan_task_by_id(p, "T21"); /* the text gives both lines as 责任单位 */
    assert_int_equal(t->responsible.n, 2);
    assert_int_equal(t->cooperating.n, 0);

    /* 生态环境分局 appears in tasks 2, 4-12, 14, 17-21 (16 tasks); 各镇、办(管区) in every
     * task but the first (20). */
    int eeb = unit_idx(p, "sthj"), towns = unit_idx(p, "towns");
    size_t n_eeb = 0, n_towns = 0;
    for (size_t i = 0; i < p->n_tasks; i++) {
        n_eeb += plan_task_involves(&p->tasks[i], eeb);
        n_towns += plan_task_involves(&p->tasks[i], towns);
    }
    assert_int_equal(n_eeb, 16);
    assert_int_equal(n_towns, 20);
    assert_false(plan_task_involves(plan_task_by_id(p, "T01"), towns));
    assert_non_null(plan_unit_by_id(p, "ziran-guihua"));
    assert_string_equal(plan_unit_by_id(p, "kongchenban")->name, "区控尘办");
    assert_string_equal(plan_unit_by_id(p, "shichang")->name, "区市场监督管理局");
    plan_free(p);
}

static void shipped_plan_round_trips_through_json(void **state)
{
    (void)state;
    plan *p = load_shipped();
    json_t *j = plan_to_json(p);
    assert_int_equal(json_array_size(json_object_get(j, "targets")), p->n_targets);
    assert_int_equal(json_array_size(json_object_get(j, "units")), p->n_units);
    json_t *a9 = json_array_get(json_object_get(j, "actions"), 8);
    assert_int_equal(json_array_size(json_object_get(a9, "tasks")), 6);
    char *s = json_dumps(j, JSON_PRESERVE_ORDER);
    json_decref(j);
    plan_error err;
    plan *q = plan_load_string(s, strlen(s), &err);
    free(s);
    assert_non_null(q);
    assert_int_equal(q->n_tasks, 21);
    assert_true(plan_target_by_id(q, "good_days_ratio")->target == 66.5);
    assert_string_equal(q->tasks[17].title, p->tasks[17].title);
    plan_free(q);
    plan_free(p);
}

static void another_district_plan_loads(void **state)
{
    (void)state;
    plan_error err;
    plan *p = plan_load_file(TEST_DATA_DIR "/plan/minimal.json", &err);
    assert_non_null(p);
    assert_int_equal(p->n_tasks, 2);
    const plan_target *t = plan_target_by_id(p, "pm25_annual_mean");
    assert_true(t->has_baseline);
    assert_true(t->baseline == 42.0);
    assert_int_equal(t->baseline_year, 2023);
    assert_int_equal(plan_task_by_id(p, "T2")->deadline_day, ew_days_from_civil(2026, 12, 31));
    assert_false(plan_task_by_id(p, "T2")->deadline_stated);
    assert_string_equal(p->units[p->units[2].parent].id, "towns");
    plan_free(p);
}

static void expect_error(const char *file, const char *want)
{
    char path[512], buf[512];
    snprintf(path, sizeof path, "%s/plan/%s", TEST_DATA_DIR, file);
    plan_error err;
    plan *p = plan_load_file(path, &err);
    assert_null(p);
    assert_string_equal(plan_error_format(&err, buf, sizeof buf), want);
}

static void malformed_files_give_path_and_fault(void **state)
{
    (void)state;
    expect_error("unknown_unit.json", "$.actions[0].tasks[1].lead[1]: unknown unit \"police\"");
    expect_error("bad_comparator.json", "$.targets[0].comparator: \"=<\" is not one of \"<=\", "
                                        "\">=\", \"<\", \">\", \"==\", \"done\"");
    expect_error("missing_statistic.json",
                 "$.targets[0]: missing member \"statistic\" (required for a monitoring target)");
    expect_error("unknown_member.json",
                 "$.actions[0].tasks[0].deadine: unknown member \"deadine\"");
    expect_error("bad_date.json", "$.targets[1].deadline: \"2025-06-31\" is not a date YYYY-MM-DD");
    expect_error("outside_period.json", "$.targets[0].deadline: date lies outside the plan period");
    expect_error("unknown_target.json",
                 "$.actions[0].tasks[0].targets[0]: unknown target \"dust_sites_on\"");
    expect_error(
        "no_unit_answers.json",
        "$.actions[0].tasks[1]: a task needs at least one \"lead\" or \"responsible\" unit");
    expect_error("done_with_value.json",
                 "$.targets[1].target: a \"done\" target has no target value");
    expect_error("wrong_type.json", "$.targets[0].target: expected a number, got a string");
    expect_error("duplicate_unit.json", "$.units[1].id: duplicate unit id \"eeb\"");
    expect_error("target_in_two_tasks.json",
                 "$.actions[0].tasks[1].targets[0]: target \"dust_sites_online\" already belongs "
                 "to task \"T1\"");
    expect_error("unknown_parent.json", "$.units[2].parent: unknown unit \"town\"");
    expect_error("wrong_format.json", "$.format: \"envwatch-plan/2\" is not a supported format "
                                      "(expected \"envwatch-plan/1\")");
}

/* Line 3 lacks its comma; the parser meets the string "title" on line 4, which ends at
 * column 9 (two spaces, then 7 characters). */
static void syntax_error_gives_line_and_column(void **state)
{
    (void)state;
    plan_error err;
    assert_null(plan_load_file(TEST_DATA_DIR "/plan/bad_syntax.json", &err));
    assert_int_equal(err.line, 4);
    assert_int_equal(err.column, 9);
    assert_string_equal(err.path, "");
    char buf[512];
    plan_error_format(&err, buf, sizeof buf);
    assert_non_null(strstr(buf, "line 4, column 9: "));
}

static void small_documents_fail_precisely(void **state)
{
    (void)state;
    plan_error err;
    char buf[512];
    assert_null(plan_load_string("[]", 2, &err));
    assert_string_equal(plan_error_format(&err, buf, sizeof buf),
                        "$: expected an object, got an array");
    const char *dup = "{\"format\":\"envwatch-plan/1\",\"format\":\"x\"}";
    assert_null(plan_load_string(dup, strlen(dup), &err));
    assert_true(err.line == 1);
    assert_null(plan_load_file(TEST_DATA_DIR "/plan/no-such-file.json", &err));
    assert_int_equal(err.line, 0);
    assert_string_equal(err.path, "");
    assert_non_null(strstr(err.msg, "cannot open"));
}

/* "task" on a target is computed; a file may carry it only if it agrees. */
static void computed_members_must_agree(void **state)
{
    (void)state;
    plan *p = load_shipped();
    json_t *j = plan_to_json(p);
    plan_free(p);
    json_t *pm = json_array_get(json_object_get(j, "targets"), 1); /* pm25_annual_mean */
    json_object_set_new(pm, "task", json_string("T05"));
    plan_error err;
    char buf[512];
    assert_null(plan_load_json(j, &err));
    assert_string_equal(plan_error_format(&err, buf, sizeof buf),
                        "$.targets[1].task: no task lists this target; use null");
    json_object_set_new(pm, "task", json_null());
    json_t *t1 = json_array_get(
        json_object_get(json_array_get(json_object_get(j, "actions"), 0), "tasks"), 0);
    json_object_set_new(t1, "action", json_string("A02"));
    assert_null(plan_load_json(j, &err));
    assert_string_equal(plan_error_format(&err, buf, sizeof buf),
                        "$.actions[0].tasks[0].action: does not name the enclosing action \"A01\"");
    json_object_set_new(t1, "action", json_string("A01"));
    p = plan_load_json(j, &err);
    assert_non_null(p);
    plan_free(p);
    json_decref(j);
}

static void default_plan_found_through_data_dir(void **state)
{
    (void)state;
    char buf[1024];
    assert_int_equal(plan_find_default(TEST_DATA_DIR "/../../data", NULL, buf, sizeof buf), 0);
    assert_non_null(strstr(buf, "/plan/" PLAN_DEFAULT_FILE));
    /* <exe dir>/../data/plan: an executable in tests/ of the source tree finds data/. */
    assert_int_equal(plan_find_default(NULL, TEST_DATA_DIR "/..", buf, sizeof buf), 0);
}

static void deadline_day_ends_at_beijing_midnight(void **state)
{
    (void)state;
    /* 2025-12-31 ends at 2026-01-01T00:00+08:00 = 2025-12-31T16:00Z = 1767196800. */
    assert_int_equal(plan_day_end_utc(ew_days_from_civil(2025, 12, 31)), 1767196800);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_plan_has_ten_actions_and_21_tasks),
        cmocka_unit_test(shipped_plan_main_air_targets),
        cmocka_unit_test(shipped_plan_task_indicators),
        cmocka_unit_test(shipped_plan_units_and_roles),
        cmocka_unit_test(shipped_plan_round_trips_through_json),
        cmocka_unit_test(another_district_plan_loads),
        cmocka_unit_test(malformed_files_give_path_and_fault),
        cmocka_unit_test(syntax_error_gives_line_and_column),
        cmocka_unit_test(small_documents_fail_precisely),
        cmocka_unit_test(computed_members_must_agree),
        cmocka_unit_test(default_plan_found_through_data_dir),
        cmocka_unit_test(deadline_day_ends_at_beijing_midnight),
    };
    return cmocka_run_group_tests_name("service_plan", tests, NULL, NULL);
}
