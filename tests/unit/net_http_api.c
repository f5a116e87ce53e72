/* Tests of src/net/http: the API over real HTTP on loopback, against a database made by the
 * store's migrations and filled through the store's interface with the data set of
 * tests/tools/http_fixture.sql (which api.sh and web.mjs load), the clock pinned at
 * 2026-03-10T12:30:00+08:00. Expected figures are worked out by hand from HJ 633 Table 1
 * (comments beside each), not taken from the server's output. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "standards/airq.h"
#include <jansson.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "net/http.h"
#include "service/auth.h"
#include "store/office.h"
#include "store/store.h"
#include "testutil.h"

#define PLAN TEST_DATA_DIR "/../../data/plan/zhengzhou-jingkai-2023-2025.json"

static tu_tmpdb tmp;
static ew_http *srv;
static ew_metrics metrics;
/* "Authorization: Bearer ..." of an administrator's session, made in setup. */
static char admin_auth[128];

typedef struct reply {
    int status;
    char headers[4096];
    char *body;
    size_t body_n;
    json_t *json;
} reply;

/* The data set of tests/tools/http_fixture.sql, put through store.h (Beijing-time labels):
 *   site 1 经开区管委 (air, 明湖街道): hourly PM2.5 80, PM10 100, SO2 10, NO2 40, CO 0.8, O3 60,
 *          from 2026-01-01T00:00 to the hour starting 2026-03-10T11:00, the PM2.5 hour of
 *          2026-03-10T09:00 flagged M (maintenance);
 *   site 2 九龙站 (air, 潮河街道): PM2.5 40, PM10 60, same gases, until the hour starting
 *          2026-03-10T08:00 (then silent: offline, 21 of the last 24 hours);
 *   site 3 某热电公司 1号排口 (gas_outlet): no data. */
static int fill_fixture(store *s, char *err, size_t errcap)
{
    const store_site sites[] = {
        {.mn = "1320A",
         .pw = "123456",
         .kind = "air",
         .name = "经开区管委",
         .town = "明湖街道",
         .lon = 113.727,
         .lat = 34.7187,
         .status = "active"},
        {.mn = "JK0002",
         .pw = "123456",
         .kind = "air",
         .name = "九龙站",
         .town = "潮河街道",
         .lon = 113.80,
         .lat = 34.70,
         .status = "active"},
        {.mn = "JK0103",
         .pw = "123456",
         .kind = "gas_outlet",
         .name = "某热电公司1号排口",
         .town = "前程街道",
         .lon = 113.76,
         .lat = 34.68,
         .enterprise = "某热电有限公司",
         .status = "active"},
    };
    int64_t id[3], pid;
    static const char *const param[6] = {"a34004", "a34002", "a21026",
                                         "a21004", "a21005", "a05024"};
    static const double value[2][6] = {{80, 100, 10, 40, 0.8, 60}, {40, 60, 10, 40, 0.8, 60}};
    const int64_t first = 1767196800, last[2] = {1773111600, 1773100800}, flagged = 1773104400;
    store_packet pk = {.peer = "fixture", .data_time_utc = STORE_NO_TIME, .outcome = "stored"};
    if (store_begin(s, err, errcap) < 0)
        return -1;
    for (int i = 0; i < 3; i++)
        if (store_site_put(s, &sites[i], &id[i], err, errcap) < 0)
            return -1;
    if (store_packet_put(s, &pk, &pid, err, errcap) < 0)
        return -1;
    for (int k = 0; k < 2; k++)
        for (int64_t t = first; t <= last[k]; t += 3600)
            for (int p = 0; p < 6; p++) {
                double v = value[k][p];
                store_obs o = {.site_id = id[k],
                               .param = param[p],
                               .period = STORE_HOUR,
                               .ts_utc = t,
                               .value = v,
                               .min = v,
                               .max = v,
                               .cou = NAN,
                               .flag = k == 0 && p == 0 && t == flagged ? "M" : "N",
                               .packet_id = pid};
                if (store_obs_put(s, &o, err, errcap) != 1)
                    return -1;
            }
    return store_commit(s, err, errcap);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    setenv("ENVWATCH_NOW", "2026-03-10T12:30:00", 1);
    const char *db = tmp.path;
    char err[512];
    store *s = tu_store_open(&tmp, "http");
    if (!s)
        return -1;
    if (fill_fixture(s, err, sizeof err) < 0) {
        fprintf(stderr, "fixture: %s\n", err);
        return -1;
    }
    store_close(s);
    /* An administrator with a session: operations data (completeness, metrics) and outlet
     * sites need an account with data.read. */
    s = store_open(db, err, sizeof err);
    char hash[AUTH_HASH_MAX], tok[AUTH_TOKEN_TEXT];
    auth_session as;
    int64_t uid;
    office_user u = {.name = "admin", .role = "admin", .pw_hash = hash};
    if (!s || auth_password_hash("admin-password", hash) ||
        office_user_put(s, &u, &uid, err, sizeof err) < 0 ||
        auth_token_new(1773117000, 3600, tok, &as)) {
        fprintf(stderr, "admin account: %s\n", err);
        return -1;
    }
    office_session os = {
        .user_id = uid, .csrf = "c", .created_utc = as.created_utc, .expires_utc = as.expires_utc};
    memcpy(os.token_hash, as.token_hash, sizeof os.token_hash);
    if (office_session_put(s, &os, err, sizeof err) < 0) {
        fprintf(stderr, "session: %s\n", err);
        return -1;
    }
    store_close(s);
    snprintf(admin_auth, sizeof admin_auth, "Authorization: Bearer %s\r\n", tok);
    /* A minimal dashboard build: index.html, a hashed asset, the OpenAPI document. */
    char p[320];
    snprintf(p, sizeof p, "%s/web", tmp.dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/web/assets", tmp.dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/web/index.html", tmp.dir);
    write_file(p, "<!doctype html><title>t</title>");
    snprintf(p, sizeof p, "%s/web/assets/app-0123456789ab.js", tmp.dir);
    write_file(p, "export {};");
    snprintf(p, sizeof p, "%s/web/openapi.json", tmp.dir);
    write_file(p, "{\"openapi\":\"3.0.3\",\"paths\":{}}");
    snprintf(p, sizeof p, "%s/web", tmp.dir);
    ew_http_config cfg = {.listen_addr = "127.0.0.1:0",
                          .db_path = db,
                          .static_dir = p,
                          .metrics = &metrics,
                          .threads = 2,
                          .plan_path = PLAN};
    srv = ew_http_start(&cfg, err, sizeof err);
    if (!srv) {
        fprintf(stderr, "ew_http_start: %s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ew_http_stop(srv);
    return tu_tmpdb_remove(&tmp);
}

/* One HTTP/1.0 exchange (the server closes after the response). extra: more header lines. */
static void request(const char *method, const char *path, const char *extra, reply *r)
{
    memset(r, 0, sizeof *r);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(ew_http_port(srv))};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    char req[1024];
    int n = snprintf(req, sizeof req, "%s %s HTTP/1.0\r\nHost: t\r\n%s\r\n", method, path,
                     extra ? extra : "");
    assert_int_equal(write(fd, req, (size_t)n), n);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    ssize_t k;
    while ((k = read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)k;
        if (len + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    close(fd);
    buf[len] = '\0';
    char *end = strstr(buf, "\r\n\r\n");
    assert_non_null(end);
    assert_int_equal(sscanf(buf, "HTTP/1.%*d %d", &r->status), 1);
    snprintf(r->headers, sizeof r->headers, "%.*s", (int)(end - buf), buf);
    r->body_n = len - (size_t)(end + 4 - buf);
    r->body = malloc(r->body_n + 1);
    memcpy(r->body, end + 4, r->body_n + 1);
    free(buf);
    r->json = json_loadb(r->body, r->body_n, 0, NULL);
}

static void release(reply *r)
{
    free(r->body);
    json_decref(r->json);
}

/* GET as the administrator. */
static json_t *get_json(const char *path, int want_status, reply *r)
{
    request("GET", path, admin_auth, r);
    if (r->status != want_status)
        fail_msg("GET %s: status %d, body %s", path, r->status, r->body);
    assert_non_null(r->json);
    return r->json;
}

static json_t *row_where(json_t *rows, const char *key, const char *value)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_t *v = json_object_get(row, key);
        if (json_is_string(v) && !strcmp(json_string_value(v), value))
            return row;
    }
    return NULL;
}

static void health_answers_without_login(void **state)
{
    (void)state;
    reply r;
    json_t *j = get_json("/api/v1/health", 200, &r);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
    assert_string_equal(json_string_value(json_object_get(j, "time")), "2026-03-10T12:30:00+08:00");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "database"), "sites")),
                     3);
    assert_non_null(strstr(r.headers, "application/json"));
    release(&r);
}

static void sites_filter_by_kind_and_town(void **state)
{
    (void)state;
    reply r;
    json_t *j = get_json("/api/v1/sites?kind=air", 200, &r);
    assert_int_equal(json_array_size(json_object_get(j, "data")), 2);
    release(&r);
    /* 明湖街道, percent-encoded UTF-8 */
    j = get_json("/api/v1/sites?town=%E6%98%8E%E6%B9%96%E8%A1%97%E9%81%93", 200, &r);
    json_t *d = json_object_get(j, "data");
    assert_int_equal(json_array_size(d), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 0), "mn")), "1320A");
    assert_null(json_object_get(json_array_get(d, 0), "pw")); /* the device password never leaves */
    release(&r);
}

static void pagination_reports_total_and_next_offset(void **state)
{
    (void)state;
    reply r;
    json_t *j = get_json("/api/v1/sites?limit=1&offset=1", 200, &r);
    json_t *page = json_object_get(j, "page");
    assert_int_equal(json_array_size(json_object_get(j, "data")), 1);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(json_object_get(j, "data"), 0), "id")),
        2);
    assert_int_equal(json_integer_value(json_object_get(page, "total")), 3);
    assert_int_equal(json_integer_value(json_object_get(page, "next_offset")), 2);
    release(&r);
}

static void csv_export_has_bom_header_and_rows(void **state)
{
    (void)state;
    reply r;
    request("GET", "/api/v1/sites?format=csv", admin_auth, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.headers, "text/csv"));
    assert_non_null(strstr(r.headers, "attachment; filename=\"sites.csv\""));
    assert_memory_equal(r.body,
                        "\xEF\xBB\xBF"
                        "id,mn,kind,name,town,lon,lat,enterprise,status\r\n",
                        50);
    assert_non_null(
        strstr(r.body, "\r\n1,1320A,air,经开区管委,明湖街道,113.727,34.7187,,active\r\n"));
    int lines = 0;
    for (char *p = r.body; (p = strstr(p, "\r\n")); p += 2)
        lines++;
    assert_int_equal(lines, 4); /* header + 3 sites */
    release(&r);
    /* Lists (primary pollutants) become "A;B" cells. */
    request("GET", "/api/v1/aqi/daily?from=2026-03-01&to=2026-03-01&format=csv", NULL, &r);
    assert_non_null(
        strstr(r.body, "\r\n2026-03-01,zone,全区,100,2,良,PM2.5,60,80,10,40,0.8,60,true,2026\r\n"));
    release(&r);
}

static void series_is_hourly_with_flags_and_beijing_times(void **state)
{
    (void)state;
    reply r;
    /* Hours starting 00:00 .. 11:00 of 2026-03-10 (the fixture's last hour): 12 values. */
    json_t *j =
        get_json("/api/v1/sites/1/series?param=a34004&period=hour&from=2026-03-10", 200, &r);
    json_t *d = json_object_get(j, "data");
    assert_int_equal(json_array_size(d), 12);
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 0), "time")),
                        "2026-03-10T00:00:00+08:00");
    /* 09:00 was flagged M (maintenance) in the fixture. */
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 9), "flag")), "M");
    assert_int_equal((int)json_number_value(json_object_get(json_array_get(d, 9), "value")), 80);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "page"), "total")), 12);
    release(&r);
    /* Daily means: 24 hours of 80 on 2026-03-09. */
    j = get_json("/api/v1/sites/1/series?param=a34004&period=day&from=2026-03-09&to=2026-03-10",
                 200, &r);
    d = json_object_get(j, "data");
    assert_int_equal(json_array_size(d), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 0), "time")),
                        "2026-03-09T00:00:00+08:00");
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 0), "flag")), "n=24");
    release(&r);
}

static void daily_aqi_follows_the_edition_of_the_day(void **state)
{
    (void)state;
    reply r;
    /* Zone = mean of stations (HJ 663—2013 §5.2): PM2.5 (80+40)/2 = 60, PM10 (100+60)/2 = 80.
     * 2026-02-28, HJ 633—2012 Table 1: PM2.5 60 in 35–75 → 50 + 50·25/40 = 81.25 → 82 (ceil);
     *   PM10 80 in 50–150 → 65; NO2 40 → 50; so AQI 82, primary PM2.5.
     * 2026-03-01, HJ 633—2026: PM2.5 breakpoint at IAQI 100 is 60 → exactly 100; PM10 80 in
     *   50–120 → 50 + 50·30/70 = 71.4 → 72; AQI 100. */
    json_t *j = get_json("/api/v1/aqi/daily?from=2026-02-28&to=2026-03-01", 200, &r);
    json_t *d = json_object_get(j, "data");
    assert_int_equal(json_array_size(d), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(d, 0), "aqi")), 82);
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 0), "edition")),
                        "2012");
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(json_array_get(d, 0), "primary"), 0)),
        "PM2.5");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(d, 1), "aqi")), 100);
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 1), "edition")),
                        "2026");
    assert_string_equal(json_string_value(json_object_get(j, "rules")), "auto");
    release(&r);
    /* rules=2012 judges 2026-03-01 by the old table: 82 again. */
    j = get_json("/api/v1/aqi/daily?from=2026-03-01&to=2026-03-01&rules=2012", 200, &r);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(json_object_get(j, "data"), 0), "aqi")),
        82);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(j, "data"), 0), "edition")),
                        "2012");
    release(&r);
    /* Station 1 alone, PM2.5 80: 2012 → 100 + 50·5/40 = 106.25 → 107; 2026 → 100 + 50·20/55
     * = 118.2 → 119. */
    j = get_json("/api/v1/aqi/daily?from=2026-02-28&to=2026-03-01&site=1", 200, &r);
    d = json_object_get(j, "data");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(d, 0), "aqi")), 107);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(d, 1), "aqi")), 119);
    release(&r);
}

static void aqi_now_uses_the_newest_hour(void **state)
{
    (void)state;
    reply r;
    /* Newest hour: the one starting 11:00, labelled 12:00 (HJ 663: hour named by its end).
     * Only station 1 reported it (station 2 stopped at 08:00), so the zone is station 1:
     * PM2.5 1-h 80 on the 2026 24-h breakpoints → 119, level 3 (轻度污染). */
    json_t *j = get_json("/api/v1/aqi/now", 200, &r);
    assert_string_equal(json_string_value(json_object_get(j, "time")), "2026-03-10T12:00:00+08:00");
    json_t *zone = json_object_get(j, "zone");
    assert_int_equal(json_integer_value(json_object_get(zone, "aqi")), 119);
    assert_int_equal(json_integer_value(json_object_get(zone, "level")), 3);
    assert_string_equal(json_string_value(json_object_get(zone, "category")), "轻度污染");
    assert_string_equal(json_string_value(json_object_get(zone, "edition")), "2026");
    release(&r);
}

static void assessment_counts_days_by_edition_for_zone_and_station(void **state)
{
    (void)state;
    reply r;
    /* 2026-01-01 .. 2026-03-09: 59 days under the 2012 set (January 31 + February 28), 9 under
     * the 2026 set. Station 2's PM2.5 is 40 every day, so its mean is 40. */
    json_t *j = get_json("/api/v1/assessment?from=2026-01-01&to=2026-03-09&site=2", 200, &r);
    json_t *d = json_object_get(j, "data");
    /* The document of service/assessment, the one `envwatch assess --json` prints. */
    json_t *rules = json_object_get(d, "rules");
    assert_string_equal(json_string_value(json_object_get(rules, "requested")), "auto");
    assert_int_equal(json_integer_value(json_object_get(rules, "days_2012")), 59);
    assert_int_equal(json_integer_value(json_object_get(rules, "days_2026")), 9);
    assert_int_equal(json_integer_value(json_object_get(d, "scope")), 2);
    json_t *pm = json_array_get(json_object_get(d, "pollutants"), AIRQ_PM25);
    assert_string_equal(json_string_value(json_object_get(pm, "name")), "PM2.5");
    assert_int_equal((int)json_number_value(json_object_get(pm, "mean")), 40);
    assert_int_equal(json_integer_value(json_object_get(pm, "valid_days")), 68);
    release(&r);
    j = get_json("/api/v1/assessment?from=2026-01-01&to=2026-03-09", 200, &r);
    pm = json_array_get(json_object_get(json_object_get(j, "data"), "pollutants"), AIRQ_PM25);
    assert_int_equal((int)json_number_value(json_object_get(pm, "mean")), 60); /* (80 + 40) / 2 */
    release(&r);
    j = get_json("/api/v1/assessment?site=3", 404, &r); /* an outlet is no air station */
    release(&r);
}

static void ranking_puts_the_cleanest_town_first(void **state)
{
    (void)state;
    reply r;
    json_t *j = get_json("/api/v1/ranking?from=2026-03-01&to=2026-03-09", 200, &r);
    json_t *d = json_object_get(j, "data");
    assert_int_equal(json_array_size(d), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 0), "town")),
                        "潮河街道");
    assert_int_equal((int)json_number_value(json_object_get(json_array_get(d, 0), "pm25")), 40);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(d, 1), "rank")), 2);
    release(&r);
}

static void completeness_counts_hours_and_finds_offline_devices(void **state)
{
    (void)state;
    reply r;
    /* Window 2026-03-09T12:00 .. 2026-03-10T12:00: station 2's last hour starts 08:00, so
     * 12:00..23:00 (12) + 00:00..08:00 (9) = 21 of 24 = 87.5 %. */
    json_t *j = get_json("/api/v1/completeness", 200, &r);
    json_t *s2 = row_where(json_object_get(j, "data"), "mn", "JK0002");
    assert_non_null(s2);
    assert_int_equal(json_integer_value(json_object_get(s2, "hours_present")), 21);
    assert_true(json_number_value(json_object_get(s2, "completeness_pct")) == 87.5);
    assert_true(json_is_false(json_object_get(s2, "online")));
    /* Station 1's newest report is the hour starting 11:00, due at 12:00: at 12:30 it has
     * been silent half an hour, not an hour and a half. */
    json_t *s1 = row_where(json_object_get(j, "data"), "mn", "1320A");
    assert_non_null(s1);
    assert_int_equal(json_integer_value(json_object_get(s1, "silent_s")), 1800);
    assert_true(json_is_true(json_object_get(s1, "online")));
    release(&r);
    j = get_json("/api/v1/devices/offline", 200, &r);
    assert_int_equal(json_array_size(json_object_get(j, "data")), 2); /* station 2, the outlet */
    assert_null(row_where(json_object_get(j, "data"), "mn", "1320A"));
    release(&r);
}

static void targets_list_every_plan_target_with_progress(void **state)
{
    (void)state;
    reply r;
    json_t *j = get_json("/api/v1/targets", 200, &r);
    json_t *d = json_object_get(j, "data");
    assert_int_equal(json_array_size(d), 26); /* the plan file's 26 targets */
    json_t *pm = row_where(d, "id", "pm25_annual_mean");
    assert_non_null(pm);
    static const char *const keys[] = {"id",        "name",     "unit",  "target", "comparator",
                                       "value",     "projected", "on_track", "status"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_non_null(json_object_get(pm, keys[i]));
    /* 2026-01-01 .. 2026-03-09: every zone day has PM2.5 60 → year-to-date mean 60. To end
     * the year at 40 (GB/T 8170: below 40.5) the remaining 297 days may average
     * (40.5·365 − 60·68)/297 = 36.03. */
    assert_int_equal((int)json_number_value(json_object_get(pm, "value")), 60);
    assert_true(json_is_true(json_object_get(pm, "on_track")));
    /* Reachable, but the projection (60 all year) misses 40: at risk. */
    assert_string_equal(json_string_value(json_object_get(pm, "status")), "at_risk");
    double rest = json_number_value(json_object_get(pm, "rest_needed"));
    assert_true(rest > 35.9 && rest < 36.1);
    /* Every day is good (AQI 82 or 100): 100 %; no heavy day: 0 %. */
    assert_true(json_number_value(
                    json_object_get(row_where(d, "id", "good_days_ratio"), "value")) == 100.0);
    assert_true(
        json_number_value(json_object_get(row_where(d, "id", "heavy_days_ratio"), "value")) == 0.0);
    release(&r);
}

static void errors_are_json_with_a_message(void **state)
{
    (void)state;
    reply r;
    json_t *j = get_json("/api/v1/no-such-thing", 404, &r);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
                        "not_found");
    release(&r);
    j = get_json("/api/v1/aqi/daily?rules=2019", 400, &r);
    assert_non_null(
        strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")),
               "2012 or 2026"));
    release(&r);
    j = get_json("/api/v1/sites?limit=abc", 400, &r);
    release(&r);
    j = get_json("/api/v1/sites/1/series", 400, &r); /* param is required */
    release(&r);
    j = get_json("/api/v1/sites/99", 404, &r);
    release(&r);
    request("POST", "/api/v1/sites", "Content-Length: 0\r\n", &r);
    assert_int_equal(r.status, 405);
    assert_non_null(strstr(r.headers, "Allow: GET, HEAD"));
    release(&r);
}

static void static_files_have_types_and_cache_rules(void **state)
{
    (void)state;
    reply r;
    request("GET", "/", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.headers, "text/html; charset=utf-8"));
    assert_non_null(strstr(r.headers, "Cache-Control: no-cache"));
    char etag[80] = "";
    const char *e = strstr(r.headers, "ETag: ");
    assert_non_null(e);
    sscanf(e + 6, "%79[^\r\n]", etag);
    release(&r);
    char hdr[128];
    snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", etag);
    request("GET", "/index.html", hdr, &r);
    assert_int_equal(r.status, 304);
    release(&r);
    request("GET", "/assets/app-0123456789ab.js", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.headers, "text/javascript"));
    assert_non_null(strstr(r.headers, "max-age=31536000, immutable"));
    release(&r);
    request("GET", "/assets/../../t.db", NULL, &r);
    assert_int_equal(r.status, 404);
    release(&r);
    json_t *j = get_json("/api/v1/openapi.json", 200, &r);
    assert_string_equal(json_string_value(json_object_get(j, "openapi")), "3.0.3");
    release(&r);
}

static void aggregates_are_served_from_the_cache_the_second_time(void **state)
{
    (void)state;
    reply a, b;
    request("GET", "/api/v1/ranking?from=2026-02-01&to=2026-02-10", NULL, &a);
    request("GET", "/api/v1/ranking?from=2026-02-01&to=2026-02-10", NULL, &b);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.headers, "X-Cache: miss"));
    assert_non_null(strstr(b.headers, "X-Cache: hit"));
    assert_int_equal(a.body_n, b.body_n);
    assert_memory_equal(a.body, b.body, a.body_n);
    release(&a);
    release(&b);
    /* Latest values are never cached. */
    request("GET", "/api/v1/sites/1/latest", NULL, &a);
    assert_null(strstr(a.headers, "X-Cache"));
    release(&a);
}

static void the_public_sees_published_sites_only(void **state)
{
    (void)state;
    reply r;
    /* Anonymous: the two air stations, not the gas outlet (site 3); operations data need a
     * login (401), and so does everything when the token is unknown. */
    request("GET", "/api/v1/sites", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "data")), 2);
    release(&r);
    request("GET", "/api/v1/sites/3/latest", NULL, &r);
    assert_int_equal(r.status, 404);
    release(&r);
    request("GET", "/api/v1/completeness", NULL, &r);
    assert_int_equal(r.status, 401);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(r.json, "error"), "code")),
        "login_required");
    release(&r);
    request("GET", "/api/v1/completeness", "Authorization: Bearer AAAA\r\n", &r);
    assert_int_equal(r.status, 401);
    release(&r);
    request("GET", "/api/v1/sites/3", admin_auth, &r);
    assert_int_equal(r.status, 200);
    release(&r);
}

static void bodies_over_the_limit_are_refused(void **state)
{
    (void)state;
    reply r;
    /* 64 KiB + 1 announced for a JSON route: 413 before the body is read. */
    request("POST", "/api/v1/login", "Content-Length: 65537\r\n", &r);
    assert_int_equal(r.status, 413);
    release(&r);
    /* A POST on a GET-only path: 405 naming the path's methods. */
    request("POST", "/api/v1/health", NULL, &r);
    assert_int_equal(r.status, 405);
    assert_non_null(strstr(r.headers, "Allow: GET, HEAD"));
    release(&r);
}

static void metrics_count_http_requests(void **state)
{
    (void)state;
    reply r;
    json_t *j = get_json("/api/v1/metrics", 200, &r);
    json_t *row = row_where(json_object_get(j, "data"), "metric", "http_requests");
    assert_non_null(row);
    assert_true(json_integer_value(json_object_get(row, "value")) >= 1);
    release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(health_answers_without_login),
        cmocka_unit_test(sites_filter_by_kind_and_town),
        cmocka_unit_test(pagination_reports_total_and_next_offset),
        cmocka_unit_test(csv_export_has_bom_header_and_rows),
        cmocka_unit_test(series_is_hourly_with_flags_and_beijing_times),
        cmocka_unit_test(daily_aqi_follows_the_edition_of_the_day),
        cmocka_unit_test(aqi_now_uses_the_newest_hour),
        cmocka_unit_test(assessment_counts_days_by_edition_for_zone_and_station),
        cmocka_unit_test(ranking_puts_the_cleanest_town_first),
        cmocka_unit_test(completeness_counts_hours_and_finds_offline_devices),
        cmocka_unit_test(targets_list_every_plan_target_with_progress),
        cmocka_unit_test(errors_are_json_with_a_message),
        cmocka_unit_test(static_files_have_types_and_cache_rules),
        cmocka_unit_test(aggregates_are_served_from_the_cache_the_second_time),
        cmocka_unit_test(metrics_count_http_requests),
        cmocka_unit_test(the_public_sees_published_sites_only),
        cmocka_unit_test(bodies_over_the_limit_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
