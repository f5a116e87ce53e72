/* Tests of src/service/riverplan on a real SQLite store: a plan file loads whole or not at
 * all with the JSON path of its fault, and sudden incidents open one case per section and
 * Beijing day at the plan's multiple of the target class's limit, naming the downstream
 * sections and the contacts. Worked by hand: CH01's target IV limits NH3-N to 1.5 mg/L, so
 * with the default 2× threshold 2.9 (1.93×) is no incident and 3.0 (2.00×) is one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/bjtime.h"
#include "service/riverplan.h"
#include "service/water.h"
#include "store/emergency.h"
#include "store/office.h"
#include "store/read.h"
#include "store/store.h"
#include "testutil.h"

static const char sections_csv[] = "code,name,water,target\n"
                                   "CH01,潮河上游,river,IV\n"
                                   "CH02,潮河中游,river,IV\n"
                                   "CH03,潮河入贾鲁河口,river,V\n";

static const char plan_json[] =
    "{\"rivers\": [{\"code\": \"chaohe\", \"name\": \"潮河\", \"document\": \"潮河应急预案\","
    " \"sections\": [\"CH01\", \"CH02\", \"CH03\"],"
    " \"contacts\": [{\"name\": \"王队长\", \"org\": \"潮河办事处\", \"phone\": \"0371-1\"}],"
    " \"materials\": [{\"item\": \"围油栏\", \"quantity\": 300, \"unit\": \"m\", \"place\": "
    "\"物资库\"}],"
    " \"drills\": [{\"date\": \"2025-06-12\", \"title\": \"泄漏演练\"}]}]}";

/* 2025-03-10 14:30 Beijing. */
static int64_t now0(void)
{
    return ew_bj_day_start(ew_days_from_civil(2025, 3, 10)) + 14 * 3600 + 1800;
}

static void load_sections(store *s, const char *results)
{
    char err[256];
    int stored = 0, bad = 0;
    if (water_import_sections(s, sections_csv, strlen(sections_csv), NULL, NULL, &stored, &bad, err,
                              sizeof err))
        fail_msg("%s", err);
    assert_int_equal(stored, 3);
    if (results && water_import_results(s, results, strlen(results), NULL, NULL, &stored, &bad, err,
                                        sizeof err))
        fail_msg("%s", err);
    assert_int_equal(bad, 0);
}

/* Load text; the error code, err filled on a fault. */
static int load(tu_store_fixture *f, const char *text, char *err, size_t errcap)
{
    ew_reader *rd = ew_read_open(f->db.path, err, errcap);
    assert_non_null(rd);
    int count = -1;
    int rc = riverplan_load(f->s, rd, text, strlen(text), "sthj", now0(), &count, err, errcap);
    ew_read_close(rd);
    if (rc == EW_OK)
        assert_int_equal(count, 1);
    return rc;
}

/* plan_json with from replaced by to. */
static const char *variant(char *buf, size_t cap, const char *from, const char *to)
{
    const char *at = strstr(plan_json, from);
    assert_non_null(at);
    snprintf(buf, cap, "%.*s%s%s", (int)(at - plan_json), plan_json, to, at + strlen(from));
    return buf;
}

static size_t stored_plans(tu_store_fixture *f)
{
    char err[256];
    rp_plans all;
    if (riverplan_all(f->s, &all, err, sizeof err))
        fail_msg("%s", err);
    size_t n = all.n;
    riverplan_free(&all);
    return n;
}

static void a_plan_loads_whole_or_not_at_all(void **state)
{
    tu_store_fixture *f = *state;
    char err[256], buf[2048];
    load_sections(f->s, NULL);
    struct {
        const char *from, *to, *path;
    } bad[] = {
        {"\"CH03\"]", "\"CH09\"]", "$.rivers[0].sections[2]: no water section CH09"},
        {"\"CH03\"]", "\"CH01\"]", "$.rivers[0].sections[2]"}, /* listed twice */
        {"\"quantity\": 300", "\"quantity\": -1", "quantity"}, /* below 0 */
        {"\"document\"", "\"documnet\"", "$.rivers[0]"},       /* a typo is a fault */
        {"\"date\": \"2025-06-12\"", "\"date\": \"2025-13-01\"", "drills[0].date"},
        {"\"sections\"", "\"incident_multiple\": 1, \"sections\"", "incident_multiple"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        assert_int_equal(load(f, variant(buf, sizeof buf, bad[i].from, bad[i].to), err, sizeof err),
                         EW_EINVALID);
        if (!strstr(err, bad[i].path))
            fail_msg("case %zu: %s", i, err);
        assert_int_equal(stored_plans(f), 0);
    }
    if (load(f, plan_json, err, sizeof err))
        fail_msg("%s", err);
    rp_plans all;
    if (riverplan_all(f->s, &all, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(all.n, 1);
    const rp_plan *p = &all.p[0];
    assert_string_equal(p->name, "潮河");
    assert_int_equal(p->nsections, 3);
    assert_string_equal(p->sections[0], "CH01");
    assert_string_equal(p->sections[2], "CH03");
    assert_int_equal(p->ncontacts, 1);
    assert_string_equal(p->contacts[0].phone, "0371-1");
    assert_int_equal(p->nmaterials, 1);
    assert_int_equal(p->ndrills, 1);
    assert_int_equal(p->drills[0].day, ew_days_from_civil(2025, 6, 12));
    assert_true(p->incident_multiple == RP_INCIDENT_MULTIPLE);
    riverplan_free(&all);
}

typedef struct case_seen {
    int n;
    char location[128], description[1024];
} case_seen;

static int case_of(void *ctx, const office_case *c)
{
    case_seen *cs = ctx;
    cs->n++;
    snprintf(cs->location, sizeof cs->location, "%s", c->location);
    snprintf(cs->description, sizeof cs->description, "%s", c->description);
    return 0;
}

static int check(tu_store_fixture *f, int64_t now)
{
    char err[256];
    ew_reader *rd = ew_read_open(f->db.path, err, sizeof err);
    assert_non_null(rd);
    int opened = -1;
    if (riverplan_check(f->s, rd, now, &opened, err, sizeof err))
        fail_msg("%s", err);
    ew_read_close(rd);
    return opened;
}

static void an_incident_at_twice_the_limit_opens_one_case_a_day(void **state)
{
    tu_store_fixture *f = *state;
    char err[256];
    /* CH01: 1.93× at 10:00, 2.00× at 11:00, 4× at 12:00. CH02: DO 0.5 is worse than IV but
     * DO has no upper limit; NH3-N 9 the day before, 25.5 h before now: out of the window.
     * CH03 (V, 2.0 mg/L): 3.9 is 1.95×. */
    load_sections(f->s, "section,time,item,value,below_dl\n"
                        "CH01,2025-03-10 10:00,NH3-N,2.9,0\n"
                        "CH01,2025-03-10 11:00,NH3-N,3.0,0\n"
                        "CH01,2025-03-10 12:00,NH3-N,6.0,0\n"
                        "CH02,2025-03-10 11:00,DO,0.5,0\n"
                        "CH02,2025-03-09 13:00,NH3-N,9,0\n"
                        "CH03,2025-03-10 11:00,NH3-N,3.9,0\n"
                        "CH01,2025-03-11 09:00,NH3-N,5,0\n");
    if (load(f, plan_json, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(check(f, now0()), 1);
    assert_int_equal(check(f, now0() + 600), 0); /* the same day: no second case */
    case_seen cs = {0};
    office_case_filter all = {0};
    assert_int_equal(office_cases_each(f->s, &all, NULL, case_of, &cs, err, sizeof err), 0);
    assert_int_equal(cs.n, 1);
    assert_string_equal(cs.location, "潮河 潮河上游断面");
    if (!strstr(cs.description, "11:00 氨氮 3.000，为目标 IV 类限值 1.500 的 2.0 倍") ||
        !strstr(cs.description, "下游断面：CH02、CH03。") ||
        !strstr(cs.description, "王队长（潮河办事处，0371-1）"))
        fail_msg("%s", cs.description);
    rp_plans p;
    if (riverplan_all(f->s, &p, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(p.p[0].nincidents, 1);
    assert_string_equal(p.p[0].incidents[0].section, "CH01");
    assert_int_equal(p.p[0].incidents[0].hour_utc,
                     ew_bj_day_start(ew_days_from_civil(2025, 3, 10)) + 11 * 3600);
    riverplan_free(&p);
    /* The next morning's 5 mg/L is a new day's incident. */
    assert_int_equal(check(f, now0() + 20 * 3600), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_plan_loads_whole_or_not_at_all, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(an_incident_at_twice_the_limit_opens_one_case_a_day,
                                        tu_store_setup, tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
