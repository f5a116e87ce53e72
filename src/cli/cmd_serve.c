/* envwatch serve: run the platform — HJ 212 intake on TCP, optionally the HTTP API, over one
 * database. Settings come from a config file (key = value lines) and flags; flags win. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/metrics.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "net/hj212_server.h"
#include "net/http.h"
#include "service/jobs.h"
#include "service/source.h"
#include "service/ingest.h"
#include "service/jobs.h"
#include "net/queue.h"
#include "store/store.h"

static const char usage_text[] =
    "usage: envwatch serve --db DB --hj212 HOST:PORT [options]\n"
    "\n"
    "Receive HJ 212 packets from monitoring equipment, store them durably in DB and answer\n"
    "them (9014 only after the data is committed).\n"
    "\n"
    "options:\n"
    "  --config FILE        read settings from FILE (lines 'key = value'; keys as the\n"
    "                       long options without '--', e.g. 'hj212 = 0.0.0.0:8005'); flags win\n"
    "  --db DB              SQLite database file (created and migrated if needed), or a\n"
    "                       PostgreSQL database postgresql://[USER@]HOST[:PORT]/NAME\n"
    "                       (migrated if needed; holds the intake only in this version:\n"
    "                       no --http, --limits or background jobs on it)\n"
    "  --hj212 HOST:PORT    HJ 212 TCP listen address\n"
    "  --http HOST:PORT     also serve the HTTP API and dashboard\n"
    "  --static DIR         dashboard files for --http\n"
    "  --tls-cert FILE      serve --http over HTTPS with this PEM certificate (chain)\n"
    "  --tls-key FILE       and this PEM private key (unencrypted); both or neither\n"
    "  --trust-proxy ADDR   behind a reverse proxy: when the TCP peer is ADDR (an IPv4 or\n"
    "                       IPv6 address, or several separated by commas), the last hop\n"
    "                       of X-Forwarded-For is the client's address (throttling, rate\n"
    "                       limits, audit log), and X-Forwarded-Proto: https makes the\n"
    "                       session cookie Secure and adds HSTS; from anyone else both\n"
    "                       headers are ignored\n"
    "  --devices FILE       load devices from a CSV file at start\n"
    "                       (header mn,pw,kind,name,town,lon,lat,enterprise; kind one of\n"
    "                       air, ghg, gas_outlet, water_outlet, dust, water_section)\n"
    "  --enrol              accept unknown MNs as 'pending' sites for review (default: reject)\n"
    "  --max-per-peer N     connections per peer address (default 256, 0 = unlimited)\n"
    "  --http-max-per-peer N  concurrent HTTP connections per peer address (default 64,\n"
    "                       0 = unlimited; behind a proxy, count the proxy's connections)\n"
    "  --idle-timeout S     close connections silent for S seconds (default 900, 0 = never)\n"
    "  --max-inflight N     packets awaiting storage per connection before reading pauses\n"
    "                       (default 64)\n"
    "  --batch N            packets per transaction at most (default 8192)\n"
    "  --escalate-every S   every S seconds raise the supervision of overdue cases\n"
    "                       (督办 at the deadline, 挂牌督办 7 days later) and check the\n"
    "                       emergency list during heavy-pollution warnings (default 60,\n"
    "                       0 = off); ENVWATCH_NOW pins the clock as for the HTTP API\n"
    "  --scan-every S       every S seconds judge outlets' new hourly data against their\n"
    "                       limits: alerts and cases (default 300, 0 = off)\n"
    "  --scan-first-days N  an outlet the scan has never judged is judged from N days\n"
    "                       before its last hour (default 7; the whole imported history\n"
    "                       with a larger N)\n"
    "  --limits FILE        load outlets' limits at start (docs/source-limits.md)\n"
    "  --facilities FILE    分表计电: outlets' production and treatment facilities\n"
    "                       (outlet_mn,facility,role,running_kw; docs/source-standards.md)\n"
    "  --rules FILE         thresholds of the pollution-source screens, 'name = value' lines\n"
    "                       (docs/source-standards.md; GET /api/v1/rules shows them)\n"
    "  --queue URLS         ingest node: publish every packet to the NATS JetStream stream\n"
    "                       HJ212 on the servers URLS (nats://H1:P1,nats://H2:P2,...) and\n"
    "                       answer devices once the stream acknowledged it; DB is only read\n"
    "                       (device registry). No --http, --limits or --enrol with it\n"
    "  --consume URLS       writer: store what the ingest nodes published (no --hj212):\n"
    "                       batches from the durable consumer, acknowledged after COMMIT\n"
    "  --queue-replicas N   copies of the stream when this process creates it (default 3\n"
    "                       with three or more servers, else 1)\n"
    "  --queue-ack-wait S   a writer's messages come back to the others S seconds after it\n"
    "                       stopped answering for them (default 30; when this process\n"
    "                       creates the writers' consumer)\n"
    "  --log-level LEVEL    debug, info, warn or error (default info)\n"
    "\n"
    "SIGTERM or SIGINT: stop accepting, store and answer what was received, exit 0.\n";

typedef struct serve_cfg {
    char *db, *hj212, *http, *static_dir, *devices, *log_level, *limits, *tls_cert, *tls_key,
        *trust_proxy, *queue, *consume, *rules, *facilities;
    int enrol;
    long max_per_peer, idle_timeout, max_inflight, batch, escalate_every, scan_every,
        scan_first_days, http_max_per_peer, queue_replicas, queue_ack_wait;
} serve_cfg;

static void set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = xstrdup(v);
}

static int parse_long(const char *key, const char *v, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || end == v || n < 0) {
        fprintf(stderr, "envwatch serve: %s: '%s' is not a non-negative integer\n", key, v);
        return -1;
    }
    *out = n;
    return 0;
}

/* Apply one setting; key without leading dashes. value NULL for the flag "enrol". */
static int apply(serve_cfg *c, const char *key, const char *v)
{
    if (!strcmp(key, "enrol")) {
        c->enrol = !v || !strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes");
        return 0;
    }
    if (!v) {
        fprintf(stderr, "envwatch serve: --%s needs a value\n", key);
        return -1;
    }
    if (!strcmp(key, "db"))
        set_str(&c->db, v);
    else if (!strcmp(key, "hj212"))
        set_str(&c->hj212, v);
    else if (!strcmp(key, "http"))
        set_str(&c->http, v);
    else if (!strcmp(key, "static"))
        set_str(&c->static_dir, v);
    else if (!strcmp(key, "devices"))
        set_str(&c->devices, v);
    else if (!strcmp(key, "log-level"))
        set_str(&c->log_level, v);
    else if (!strcmp(key, "tls-cert"))
        set_str(&c->tls_cert, v);
    else if (!strcmp(key, "tls-key"))
        set_str(&c->tls_key, v);
    else if (!strcmp(key, "trust-proxy"))
        set_str(&c->trust_proxy, v);
    else if (!strcmp(key, "max-per-peer"))
        return parse_long(key, v, &c->max_per_peer);
    else if (!strcmp(key, "http-max-per-peer"))
        return parse_long(key, v, &c->http_max_per_peer);
    else if (!strcmp(key, "idle-timeout"))
        return parse_long(key, v, &c->idle_timeout);
    else if (!strcmp(key, "max-inflight"))
        return parse_long(key, v, &c->max_inflight);
    else if (!strcmp(key, "batch"))
        return parse_long(key, v, &c->batch);
    else if (!strcmp(key, "escalate-every"))
        return parse_long(key, v, &c->escalate_every);
    else if (!strcmp(key, "scan-every"))
        return parse_long(key, v, &c->scan_every);
    else if (!strcmp(key, "scan-first-days")) {
        if (parse_long(key, v, &c->scan_first_days) < 0)
            return -1;
        if (c->scan_first_days < 1 || c->scan_first_days > 3660) {
            fprintf(stderr, "envwatch serve: scan-first-days: %s is not 1 to 3660 days\n", v);
            return -1;
        }
    } else if (!strcmp(key, "limits"))
        set_str(&c->limits, v);
    else if (!strcmp(key, "rules"))
        set_str(&c->rules, v);
    else if (!strcmp(key, "facilities"))
        set_str(&c->facilities, v);
    else if (!strcmp(key, "queue"))
        set_str(&c->queue, v);
    else if (!strcmp(key, "consume"))
        set_str(&c->consume, v);
    else if (!strcmp(key, "queue-replicas"))
        return parse_long(key, v, &c->queue_replicas);
    else if (!strcmp(key, "queue-ack-wait"))
        return parse_long(key, v, &c->queue_ack_wait);
    else {
        fprintf(stderr, "envwatch serve: unknown setting '%s'\n", key);
        return -1;
    }
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = 0;
    return s;
}

static int load_config(serve_cfg *c, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        fprintf(stderr, "envwatch serve: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char line[1024];
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, fp)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            fprintf(stderr, "envwatch serve: %s:%d: expected 'key = value'\n", path, lineno);
            rc = -1;
            break;
        }
        *eq = 0;
        char *k = trim(s);
        for (char *p = k; *p; p++)
            if (*p == '_')
                *p = '-';
        rc = apply(c, k, trim(eq + 1));
    }
    fclose(fp);
    return rc;
}

static void cfg_free(serve_cfg *c)
{
    free(c->db);
    free(c->hj212);
    free(c->http);
    free(c->static_dir);
    free(c->devices);
    free(c->log_level);
    free(c->limits);
    free(c->rules);
    free(c->facilities);
    free(c->tls_cert);
    free(c->tls_key);
    free(c->trust_proxy);
    free(c->queue);
    free(c->consume);
}

static volatile sig_atomic_t writer_stop;

static void on_stop_signal(int sig)
{
    (void)sig;
    writer_stop = 1;
}

/* A queue writer: fetch, store in one transaction, acknowledge after COMMIT; a failed batch
 * is handed back for redelivery. Until SIGTERM or SIGINT, which end it after the batch in
 * hand. Negative only when the queue cannot be read at all. */
static int run_writer(ewq *q, ingest *ing, size_t batch)
{
    struct sigaction sa = {.sa_handler = on_stop_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    char err[512], qe[600];
    uint64_t stored = 0, failures = 0;
    ew_log(EW_LOG_INFO, "queue.writer_started", "batch=%zu", batch);
    while (!writer_stop) {
        ewq_batch *b = NULL;
        if (ewq_fetch(q, batch, 1000, &b, err, sizeof err) < 0) {
            /* The servers are away (a restart, an election): the client reconnects. */
            ew_log(EW_LOG_WARN, "queue.fetch_failed", "error=%s",
                   ew_log_quote(err, strlen(err), qe, sizeof qe));
            usleep(200 * 1000);
            continue;
        }
        size_t n = ewq_batch_count(b);
        int ok = n == 0 || ingest_batch(ing, ewq_batch_items(b), n, ew_now_utc() * 1000, err,
                                        sizeof err) == 0;
        if (!ok) {
            failures++;
            ew_log(EW_LOG_ERROR, "queue.store_failed", "messages=%zu error=%s", n,
                   ew_log_quote(err, strlen(err), qe, sizeof qe));
        } else {
            stored += n;
        }
        if (ewq_batch_done(q, b, ok, err, sizeof err) < 0)
            ew_log(EW_LOG_WARN, "queue.ack_failed", "messages=%zu error=%s", n,
                   ew_log_quote(err, strlen(err), qe, sizeof qe));
        if (!ok)
            usleep(100 * 1000);
    }
    ew_log(EW_LOG_INFO, "queue.writer_stopped", "messages=%llu store_failures=%llu",
           (unsigned long long)stored, (unsigned long long)failures);
    return 0;
}

/* Keeps the first problem store_check reports. */
static void serve_first_problem(void *ctx, const char *what, const char *detail)
{
    char *first = ctx;
    if (!first[0])
        snprintf(first, 300, "%s: %s", what, detail);
}

int cmd_serve(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return EW_EXIT_OK;
    }
    serve_cfg c = {.max_per_peer = 256,
                   .idle_timeout = 900,
                   .max_inflight = 64,
                   .batch = 8192,
                   .escalate_every = 60,
                   .scan_every = 300,
                   .scan_first_days = 7,
                   .http_max_per_peer = 64};
    int rc = EW_EXIT_USAGE;
    source_facilities facilities = {0}; /* 分表计电 (--facilities), borrowed by the scan */
    /* The config file first, so that flags override it wherever they appear. */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config")) {
            if (i + 1 >= argc || load_config(&c, argv[i + 1]) < 0)
                goto done;
        }
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "envwatch serve: unexpected argument '%s'\n%s", a, usage_text);
            goto done;
        }
        if (!strcmp(a, "--config")) {
            i++;
            continue;
        }
        if (!strcmp(a, "--enrol")) {
            c.enrol = 1;
            continue;
        }
        if (apply(&c, a + 2, i + 1 < argc ? argv[i + 1] : NULL) < 0)
            goto done;
        i++;
    }
    if (!c.db || (!c.hj212 && !c.consume)) {
        fprintf(stderr, "envwatch serve: --db and --hj212 (or --consume) are required\n%s",
                usage_text);
        goto done;
    }
    if (c.consume && (c.hj212 || c.queue || c.http)) {
        fprintf(stderr, "envwatch serve: --consume runs a writer alone (no --hj212, --queue or "
                        "--http)\n");
        goto done;
    }
    if (c.queue && (c.http || c.limits || c.enrol)) {
        fprintf(stderr, "envwatch serve: an ingest node (--queue) keeps nothing: no --http, "
                        "--limits or --enrol\n");
        goto done;
    }
    if ((c.tls_cert || c.tls_key) && !c.http) {
        fprintf(stderr, "envwatch serve: --tls-cert and --tls-key go with --http\n");
        goto done;
    }
    if (!c.tls_cert != !c.tls_key) {
        fprintf(stderr, "envwatch serve: --tls-cert and --tls-key go together\n");
        goto done;
    }
    if (c.log_level) {
        static const char *const names[] = {"debug", "info", "warn", "error"};
        int lv = -1;
        for (int i = 0; i < 4; i++)
            if (!strcmp(c.log_level, names[i]))
                lv = i;
        if (lv < 0) {
            fprintf(stderr, "envwatch serve: --log-level: '%s' is not a level\n", c.log_level);
            goto done;
        }
        ew_log_set_level((ew_log_level)lv);
    }

    rc = EW_EXIT_RUNTIME;
    char err[512];
    store *s = store_open(c.db, err, sizeof err);
    if (!s) {
        fprintf(stderr, "envwatch serve: %s: %s\n", c.db, err);
        goto done;
    }
    /* A damaged file would be served as if it were data, and written on: refuse it. The
     * quick check reads every page once (store.h); `envwatch check` says more. */
    {
        char first[300] = "";
        int bad = store_check(s, true, serve_first_problem, first, err, sizeof err);
        if (bad != 0) {
            fprintf(stderr,
                    "envwatch serve: %s is damaged (%s); not serving it. Run envwatch check "
                    "--db %s, restore a backup (envwatch restore)\n",
                    c.db, bad < 0 ? err : first, c.db);
            store_close(s);
            goto done;
        }
    }
    /* A backend that holds the intake only (store.h) runs the intake only: the HTTP side,
     * outlets' limits and the background jobs need the rest of the store. */
    bool intake_only = !store_holds_all(s);
    if (intake_only && (c.http || c.limits)) {
        fprintf(stderr,
                "envwatch serve: %s: the %s store holds the intake only in this version; "
                "--http and --limits need a SQLite database\n",
                c.db, store_backend_name(s));
        store_close(s);
        goto done;
    }
    if (intake_only)
        ew_log(EW_LOG_INFO, "serve.intake_only",
               "backend=%s escalation=off scan=off (they need the office store)",
               store_backend_name(s));
    static ew_metrics metrics; /* shared by intake (writes) and HTTP (reads) */
    ewq *q = NULL;
    if (c.queue || c.consume) {
        q = ewq_open(c.queue ? c.queue : c.consume, (int)c.queue_replicas, (int)c.queue_ack_wait,
                     err, sizeof err);
        if (!q) {
            fprintf(stderr, "envwatch serve: %s\n", err);
            store_close(s);
            goto done;
        }
    }
    ingest_opts io = {.enrol = c.enrol != 0,
                      .metrics = &metrics,
                      .relay = {c.queue ? ewq_publish : NULL, q},
                      .replay = c.consume != NULL};
    ingest *ing = ingest_new(s, &io, err, sizeof err);
    if (!ing) {
        fprintf(stderr, "envwatch serve: %s\n", err);
        ewq_close(q);
        store_close(s);
        goto done;
    }
    if (c.consume) {
        if (c.devices) {
            int n = ingest_load_devices(ing, c.devices, err, sizeof err);
            if (n < 0) {
                fprintf(stderr, "envwatch serve: %s\n", err);
                goto close_ingest;
            }
        }
        rc = run_writer(q, ing, (size_t)(c.batch > 0 ? c.batch : 8192)) < 0 ? EW_EXIT_RUNTIME
                                                                             : EW_EXIT_OK;
        goto close_ingest;
    }
    if (c.devices) {
        int n = ingest_load_devices(ing, c.devices, err, sizeof err);
        if (n < 0) {
            fprintf(stderr, "envwatch serve: %s\n", err);
            goto close_ingest;
        }
        ew_log(EW_LOG_INFO, "serve.devices", "file=%s loaded=%d registry=%zu", c.devices, n,
               ingest_device_count(ing));
    }
    if (c.limits) {
        int n = 0;
        if (source_limits_load(s, c.limits, "system", ew_now_utc(), &n, err, sizeof err) < 0) {
            fprintf(stderr, "envwatch serve: --limits %s: %s\n", c.limits, err);
            goto close_ingest;
        }
        ew_log(EW_LOG_INFO, "serve.limits", "file=%s loaded=%d", c.limits, n);
    }
    /* The scan's configuration, borrowed by the jobs and the HTTP side until they stop. */
    source_config src = source_config_default();
    src.first_window_s = (int64_t)c.scan_first_days * 86400;
    if (c.rules && source_config_load(&src, c.rules, err, sizeof err) < 0) {
        fprintf(stderr, "envwatch serve: --rules: %s\n", err);
        goto close_ingest;
    }
    if (c.facilities && source_facilities_load(&facilities, c.facilities, err, sizeof err) < 0) {
        fprintf(stderr, "envwatch serve: --facilities: %s\n", err);
        goto close_ingest;
    }
    src.facilities = &facilities;
    ew_http *http = NULL;
    if (c.http) {
        ew_http_config hc = {.listen_addr = c.http,
                             .db_path = c.db,
                             .static_dir = c.static_dir,
                             .metrics = &metrics,
                             .tls_cert = c.tls_cert,
                             .tls_key = c.tls_key,
                             .trust_proxy = c.trust_proxy,
                             .max_per_peer = (unsigned)c.http_max_per_peer,
                             .source = &src};
        http = ew_http_start(&hc, err, sizeof err);
        if (!http) {
            fprintf(stderr, "envwatch serve: --http %s: %s\n", c.http, err);
            goto close_ingest;
        }
    }
    hj212_server_config sc = {.listen_addr = c.hj212,
                              .ing = ing,
                              .metrics = &metrics,
                              .max_per_peer = (unsigned)c.max_per_peer,
                              .idle_timeout_s = (unsigned)c.idle_timeout,
                              .max_inflight = (unsigned)c.max_inflight,
                              .batch_max = (unsigned)c.batch};
    /* Background work (escalation of overdue cases) on its own thread and store handle:
     * the case loop's deadlines are kept whether or not anyone uses the HTTP side. */
    jobs *bg = NULL;
    if (!intake_only && !c.queue && (c.escalate_every > 0 || c.scan_every > 0)) {
        jobs_config jc = {
            .db = c.db, .every_s = c.escalate_every, .scan_every_s = c.scan_every, .source = &src};
        char jerr[256] = "", jq[300];
        if (jobs_start(&jc, &bg, jerr, sizeof jerr) < 0)
            ew_log(EW_LOG_ERROR, "case.escalate_failed", "error=%s",
                   ew_log_quote(jerr, strlen(jerr), jq, sizeof jq));
    }
    /* Runs until SIGTERM or SIGINT. */
    if (hj212_server_run(&sc, err, sizeof err) < 0)
        fprintf(stderr, "envwatch serve: %s\n", err);
    else
        rc = EW_EXIT_OK;
    jobs_stop(bg);
    if (http)
        ew_http_stop(http);
close_ingest:
    source_facilities_free(&facilities);
    ingest_free(ing);
    ewq_close(q);
    store_close(s);
done:
    cfg_free(&c);
    return rc;
}
