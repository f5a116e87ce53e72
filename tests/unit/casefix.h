/* casefix: a public report taken some steps along the closed loop, for the unit tests of the
 * services built on cases (header-only: CMakeLists.txt makes a test of every .c file). */
#ifndef EW_TESTS_CASEFIX_H
#define EW_TESTS_CASEFIX_H
#include "service/casework.h"

static const case_actor cf_public = {.name = "public", .role = EW_ROLE_PUBLIC};
static const case_actor cf_bureau = {.name = "zhang", .role = EW_ROLE_BUREAU, .org = "sthj"};
static const case_actor cf_town_a = {.name = "li", .role = EW_ROLE_UNIT, .org = "town-a"};
#define CF_T0 INT64_C(1709251200) /* 2024-03-01 08:00 Beijing */
#define CF_DAY INT64_C(86400)
static const char *const cf_photos[] = {"AAAAAAAAAAAAAAAAAAAAAA"};

/* A public report opened at CF_T0 and taken `steps` (0..5) steps along accept, assign
 * (town-a, deadline CF_T0 + 3 days), sign, submit, verify, one minute apart. */
static inline int64_t cf_report(store *s, int steps)
{
    case_report r = {.source = CASE_SRC_PUBLIC_REPORT,
                     .category = CASE_CAT_OPEN_BURNING,
                     .location = "经北五路",
                     .description = "露天焚烧",
                     .attachments = cf_photos,
                     .n_attachments = 1};
    casework_meta m = {.reporter_name = "王女士", .reporter_contact = "13800000000"};
    int64_t id = 0;
    char tracking[CASE_TRACKING_LEN + 1];
    case_error e = {{0}};
    assert_int_equal(casework_open(s, &r, &cf_public, &m, CF_T0, &id, tracking, &e), 0);
    case_cmd cmd[] = {
        {.action = CASE_ACT_ACCEPT},
        {.action = CASE_ACT_ASSIGN, .unit = "town-a", .deadline_utc = CF_T0 + 3 * CF_DAY},
        {.action = CASE_ACT_SIGN},
        {.action = CASE_ACT_SUBMIT, .evidence = cf_photos, .n_evidence = 1},
        {.action = CASE_ACT_VERIFY}};
    const case_actor *by[] = {&cf_bureau, &cf_bureau, &cf_town_a, &cf_town_a, &cf_bureau};
    for (int i = 0; i < steps; i++)
        assert_int_equal(casework_apply(s, id, &cmd[i], by[i], CF_T0 + 60 * (i + 1), NULL, &e), 0);
    return id;
}

#endif
