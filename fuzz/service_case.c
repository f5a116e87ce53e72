/* libFuzzer target: the case machine's parsers and the machine itself (service/case.h).
 * The first byte chooses the mode:
 * - even: the rest is text for case_tracking_normalize and the case_*_parse functions. An
 *   accepted code is canonical (XXXX-XXXX-XXXX over the 31-symbol alphabet), holds the same
 *   symbols as the input once dashes and spaces are dropped and letters upper-cased, and
 *   normalises to itself; a parsed name is the *_name of the value it parsed to.
 * - odd: the rest is a script of (action, actor, hours) byte triples applied to a new case.
 *   Each command either changes nothing or appends exactly one event and moves the state as
 *   case_next_state says; case_may agrees with case_apply on refusals for state or role. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "service/case.h"

static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

static void check_tracking(const char *in)
{
    char out[CASE_TRACKING_LEN + 1], again[CASE_TRACKING_LEN + 1];
    if (case_tracking_normalize(in, out) != 0)
        return;
    CHECK(strlen(out) == CASE_TRACKING_LEN);
    for (int i = 0; i < CASE_TRACKING_LEN; i++)
        CHECK(i % 5 == 4 ? out[i] == '-' : strchr(alphabet, out[i]) != NULL && out[i] != '\0');
    /* The symbols are the input's, in order. */
    size_t k = 0;
    for (const char *p = in; *p; p++) {
        if (*p == '-' || *p == ' ')
            continue;
        char ch = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
        if (out[k] == '-')
            k++;
        CHECK(out[k++] == ch);
    }
    CHECK(k == CASE_TRACKING_LEN);
    CHECK(case_tracking_normalize(out, again) == 0 && !strcmp(out, again));
}

static void check_names(const char *s)
{
    case_state st;
    case_action a;
    case_source so;
    case_category c;
    if (!case_state_parse(s, &st))
        CHECK((unsigned)st < CASE_STATE_COUNT && !strcmp(case_state_name(st), s));
    if (!case_action_parse(s, &a))
        CHECK((unsigned)a < CASE_ACTION_COUNT && !strcmp(case_action_name(a), s));
    if (!case_source_parse(s, &so))
        CHECK((unsigned)so < CASE_SOURCE_COUNT && !strcmp(case_source_name(so), s));
    if (!case_category_parse(s, &c))
        CHECK((unsigned)c < CASE_CATEGORY_COUNT && !strcmp(case_category_name(c), s));
}

static void check_names_round_trip(void)
{
    for (int i = 0; i < CASE_STATE_COUNT; i++) {
        case_state v;
        CHECK(!case_state_parse(case_state_name((case_state)i), &v) && v == (case_state)i);
    }
    for (int i = 0; i < CASE_ACTION_COUNT; i++) {
        case_action v;
        CHECK(!case_action_parse(case_action_name((case_action)i), &v) && v == (case_action)i);
    }
    for (int i = 0; i < CASE_SOURCE_COUNT; i++) {
        case_source v;
        CHECK(!case_source_parse(case_source_name((case_source)i), &v) && v == (case_source)i);
    }
    for (int i = 0; i < CASE_CATEGORY_COUNT; i++) {
        case_category v;
        CHECK(!case_category_parse(case_category_name((case_category)i), &v) &&
              v == (case_category)i);
    }
}

static const case_actor actors[] = {
    {.name = "root", .role = EW_ROLE_ADMIN},
    {.name = "zhang", .role = EW_ROLE_BUREAU, .org = "sthj"},
    {.name = "li", .role = EW_ROLE_UNIT, .org = "town-a"},
    {.name = "wang", .role = EW_ROLE_UNIT, .org = "town-b"},
    {.name = "zhao", .role = EW_ROLE_AUDITOR},
    {.name = "anon", .role = EW_ROLE_PUBLIC},
};
static const char *const units[] = {"town-a", "town-b", "sthj", NULL};
static const char *const evidence[] = {"photo-1"};

static void run_script(const uint8_t *p, size_t n)
{
    case_report r = {.source = CASE_SRC_PUBLIC_REPORT,
                     .category = CASE_CAT_DUST,
                     .location = "place",
                     .description = "dust"};
    case_error err;
    int64_t now = INT64_C(1748739600);
    ew_case *c = case_open(&r, &actors[5], now, &err);
    CHECK(c && c->state == CASE_REPORTED && c->n_events == 1);
    for (size_t i = 0; i + 3 <= n && i < 3 * 64; i += 3) {
        uint8_t b0 = p[i], b1 = p[i + 1], b2 = p[i + 2];
        case_action a = (case_action)(b0 % (CASE_ACTION_COUNT + 1));
        const case_actor *who = &actors[b1 % (sizeof actors / sizeof actors[0])];
        now += (int64_t)b2 * 3600;
        case_cmd cmd = {.action = a,
                        .reason = (b0 & 0x80) ? NULL : "reason",
                        .unit = units[(b1 >> 4) & 3],
                        .deadline_utc = now + (int64_t)((b2 & 0x0F) - 4) * 86400,
                        .evidence = (b1 & 0x08) ? evidence : NULL,
                        .n_evidence = (b1 & 0x08) ? 1 : 0};
        case_state from = c->state;
        size_t events = c->n_events;
        bool may = case_may(c, a, who);
        int rc = case_apply(c, &cmd, who, now, NULL, &err);
        if (rc == 0) {
            CHECK(may);
            CHECK(c->n_events == events + 1);
            CHECK(c->state == case_next_state(from, a));
            const case_event *e = &c->events[c->n_events - 1];
            CHECK(e->seq == c->n_events && e->action == a && e->from == from && e->to == c->state);
        } else {
            CHECK(rc == CASE_E_STATE || rc == CASE_E_DENIED || rc == CASE_E_INVALID);
            CHECK(c->state == from && c->n_events == events && err.msg[0]);
            if (rc == CASE_E_STATE || rc == CASE_E_DENIED)
                CHECK(!may);
            else
                CHECK(may || a == CASE_ACT_CREATE || (unsigned)a >= CASE_ACTION_COUNT);
        }
        int level = c->supervision;
        int raised = case_escalate(c, now, &case_policy_default);
        CHECK(raised >= 0 && c->supervision == level + raised &&
              c->supervision <= CASE_SUPERVISION_LISTED);
    }
    case_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int once;
    if (!once) {
        check_names_round_trip();
        once = 1;
    }
    if (size < 1)
        return 0;
    if (data[0] & 1) {
        run_script(data + 1, size - 1);
        return 0;
    }
    char *s = malloc(size);
    CHECK(s);
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    check_tracking(s);
    check_names(s);
    free(s);
    return 0;
}
