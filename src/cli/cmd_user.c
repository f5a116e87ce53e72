/* envwatch user: manage accounts in a database — add, list, change a password, disable.
 * Passwords are read from stdin (or a file), never from the command line, where every user
 * of the machine could see them in the process list. Every change leaves an audit entry
 * (actor "cli") in the same transaction. */
#include <jansson.h>
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/bjtime.h"
#include "base/clock.h"
#include "cli/cli.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/plan.h"
#include "store/office.h"
#include "store/store.h"

static const char usage_text[] =
    "usage: envwatch user add NAME --db FILE --role ROLE [--org ORG] [--display TEXT]\n"
    "                         [--password-file FILE] [--plan FILE]\n"
    "       envwatch user list --db FILE [--json]\n"
    "       envwatch user passwd NAME --db FILE [--password-file FILE]\n"
    "       envwatch user disable NAME --db FILE\n"
    "\n"
    "Manage the accounts of the platform. The password is the first line of stdin (or of\n"
    "--password-file), 8 to 256 bytes; it is stored only as an Argon2id hash.\n"
    "\n"
    "roles: admin, bureau, unit, enterprise, auditor, public.\n"
    "  unit        --org is required and must be a unit id of the plan (the default plan,\n"
    "              or --plan FILE); 'envwatch plan show' lists them\n"
    "  enterprise  --org is required: the enterprise's name\n"
    "  bureau      --org optional: the staff member's department (a unit id)\n"
    "\n"
    "exit status: 0 done, 1 the user exists (add) or does not (passwd, disable),\n"
    "2 usage error (unknown role, bad unit, short password), 3 database error.\n";

#define USAGE_FAIL(...)                                                                            \
    do {                                                                                           \
        fprintf(stderr, "envwatch user: " __VA_ARGS__);                                            \
        fputc('\n', stderr);                                                                       \
        return EW_EXIT_USAGE;                                                                      \
    } while (0)

typedef struct opts {
    const char *verb, *name, *db, *role, *org, *display, *password_file, *plan_file;
    int json;
} opts;

static int parse(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    if (argc < 2)
        USAGE_FAIL("which action? add, list, passwd or disable (--help)");
    o->verb = argv[1];
    static const struct {
        const char *flag;
        size_t off;
    } valued[] = {
        {"--db", offsetof(opts, db)},
        {"--role", offsetof(opts, role)},
        {"--org", offsetof(opts, org)},
        {"--display", offsetof(opts, display)},
        {"--password-file", offsetof(opts, password_file)},
        {"--plan", offsetof(opts, plan_file)},
    };
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) {
            o->json = 1;
            continue;
        }
        if (a[0] == '-' && a[1]) {
            size_t k = 0;
            while (k < sizeof valued / sizeof valued[0] && strcmp(a, valued[k].flag))
                k++;
            if (k == sizeof valued / sizeof valued[0])
                USAGE_FAIL("unknown option %s", a);
            if (i + 1 >= argc)
                USAGE_FAIL("%s needs a value", a);
            *(const char **)((char *)o + valued[k].off) = argv[++i];
            continue;
        }
        if (o->name)
            USAGE_FAIL("unexpected argument '%s'", a);
        o->name = a;
    }
    if (!o->db)
        USAGE_FAIL("--db FILE is required");
    bool named = strcmp(o->verb, "list") != 0;
    if (strcmp(o->verb, "add") && strcmp(o->verb, "list") && strcmp(o->verb, "passwd") &&
        strcmp(o->verb, "disable"))
        USAGE_FAIL("unknown action '%s' (add, list, passwd, disable)", o->verb);
    if (named && !o->name)
        USAGE_FAIL("%s needs a user NAME", o->verb);
    if (!named && o->name)
        USAGE_FAIL("list takes no NAME");
    if (o->name && (strlen(o->name) < 1 || strlen(o->name) > 64))
        USAGE_FAIL("a user name is 1 to 64 bytes");
    return 0;
}

/* The first line of stdin or of file, without its line end, into buf. */
static int read_password(const char *file, char *buf, size_t cap)
{
    FILE *in = file ? fopen(file, "r") : stdin;
    if (!in) {
        fprintf(stderr, "envwatch user: %s: cannot read the password file\n", file);
        return EW_EXIT_RUNTIME;
    }
    char *line = NULL;
    size_t n = 0;
    ssize_t got = getline(&line, &n, in);
    if (file)
        fclose(in);
    if (got <= 0) {
        free(line);
        fprintf(stderr, "envwatch user: no password given (first line of %s)\n",
                file ? file : "stdin");
        return EW_EXIT_USAGE;
    }
    while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
        line[--got] = '\0';
    int rc = 0;
    if ((size_t)got >= cap) {
        fprintf(stderr, "envwatch user: the password is longer than %d bytes\n", AUTH_PASSWORD_MAX);
        rc = EW_EXIT_USAGE;
    } else {
        memcpy(buf, line, (size_t)got + 1);
    }
    sodium_memzero(line, n);
    free(line);
    return rc;
}

static int hash_password(const char *file, char hash[AUTH_HASH_MAX])
{
    char pw[AUTH_PASSWORD_MAX + 2];
    int rc = read_password(file, pw, sizeof pw);
    if (rc)
        return rc;
    int h = auth_password_hash(pw, hash);
    sodium_memzero(pw, sizeof pw);
    if (h == -1) {
        fprintf(stderr, "envwatch user: a password is %d to %d bytes\n", AUTH_PASSWORD_MIN,
                AUTH_PASSWORD_MAX);
        return EW_EXIT_USAGE;
    }
    if (h < 0) {
        fprintf(stderr, "envwatch user: hashing the password failed (out of memory)\n");
        return EW_EXIT_RUNTIME;
    }
    return 0;
}

/* A unit account must name a unit of the plan: its cases and tasks are found by that id. */
static int check_unit(const char *plan_file, const char *org)
{
    plan *p = cli_plan_open("user", plan_file);
    if (!p)
        return EW_EXIT_RUNTIME;
    int rc = 0;
    if (!plan_unit_by_id(p, org)) {
        fprintf(stderr, "envwatch user: '%s' is not a unit of plan %s; units:", org, p->id);
        for (size_t i = 0; i < p->n_units; i++)
            fprintf(stderr, " %s", p->units[i].id);
        fputc('\n', stderr);
        rc = EW_EXIT_USAGE;
    }
    plan_free(p);
    return rc;
}

typedef struct found {
    int n;
    office_user u;
    char name[65], display[256], role[16], org[256], hash[AUTH_HASH_MAX];
} found;

static int keep(void *ctx, const office_user *u)
{
    found *f = ctx;
    f->n++;
    f->u = *u;
    snprintf(f->name, sizeof f->name, "%s", u->name);
    snprintf(f->display, sizeof f->display, "%s", u->display ? u->display : "");
    snprintf(f->role, sizeof f->role, "%s", u->role);
    snprintf(f->org, sizeof f->org, "%s", u->org ? u->org : "");
    snprintf(f->hash, sizeof f->hash, "%s", u->pw_hash);
    f->u.name = f->name;
    f->u.display = u->display ? f->display : NULL;
    f->u.role = f->role;
    f->u.org = u->org ? f->org : NULL;
    f->u.pw_hash = f->hash;
    return 0;
}

/* Store u and its audit entry in one transaction. */
static int save(store *s, const office_user *u, const char *action, const char *detail, char *err,
                size_t cap)
{
    if (store_begin(s, err, cap) < 0)
        return -1;
    if (office_user_put(s, u, NULL, err, cap) < 0 ||
        audit_note(s, ew_now_utc(), "cli", action, u->name, detail, NULL, err, cap) < 0 ||
        store_commit(s, err, cap) < 0) {
        store_rollback(s);
        return -1;
    }
    return 0;
}

static int do_add(store *s, const opts *o)
{
    ew_role role;
    if (!o->role)
        USAGE_FAIL("add needs --role (admin, bureau, unit, enterprise, auditor, public)");
    if (auth_role_parse(o->role, &role) < 0)
        USAGE_FAIL("unknown role '%s' (admin, bureau, unit, enterprise, auditor, public)", o->role);
    if ((role == EW_ROLE_UNIT || role == EW_ROLE_ENTERPRISE) && (!o->org || !*o->org))
        USAGE_FAIL("role %s needs --org (%s)", o->role,
                   role == EW_ROLE_UNIT ? "a unit id of the plan" : "the enterprise's name");
    if (role == EW_ROLE_UNIT) {
        int rc = check_unit(o->plan_file, o->org);
        if (rc)
            return rc;
    }
    char err[256];
    found f = {0};
    if (office_user_get(s, o->name, keep, &f, err, sizeof err) < 0) {
        fprintf(stderr, "envwatch user: %s\n", err);
        return EW_EXIT_RUNTIME;
    }
    if (f.n) {
        fprintf(stderr, "envwatch user: user '%s' exists (role %s); use 'envwatch user passwd'\n",
                o->name, f.role);
        return EW_EXIT_FOUND;
    }
    char hash[AUTH_HASH_MAX];
    int rc = hash_password(o->password_file, hash);
    if (rc)
        return rc;
    office_user u = {.name = o->name,
                     .display = o->display,
                     .role = auth_role_name(role),
                     .org = o->org && *o->org ? o->org : NULL,
                     .pw_hash = hash,
                     .created_utc = ew_now_utc()};
    char detail[320];
    snprintf(detail, sizeof detail, "role=%s%s%s", u.role, u.org ? " org=" : "",
             u.org ? u.org : "");
    if (save(s, &u, "user.add", detail, err, sizeof err) < 0) {
        fprintf(stderr, "envwatch user: %s\n", err);
        return EW_EXIT_RUNTIME;
    }
    printf("added user %s (%s%s%s)\n", u.name, u.role, u.org ? ", " : "", u.org ? u.org : "");
    return EW_EXIT_OK;
}

/* passwd and disable: change an existing user. */
static int do_change(store *s, const opts *o, bool disable)
{
    char err[256];
    found f = {0};
    if (office_user_get(s, o->name, keep, &f, err, sizeof err) < 0) {
        fprintf(stderr, "envwatch user: %s\n", err);
        return EW_EXIT_RUNTIME;
    }
    if (!f.n) {
        fprintf(stderr, "envwatch user: no user '%s'\n", o->name);
        return EW_EXIT_FOUND;
    }
    char hash[AUTH_HASH_MAX];
    if (disable) {
        f.u.disabled = true;
    } else {
        int rc = hash_password(o->password_file, hash);
        if (rc)
            return rc;
        f.u.pw_hash = hash;
    }
    if (save(s, &f.u, disable ? "user.disable" : "user.passwd", NULL, err, sizeof err) < 0) {
        fprintf(stderr, "envwatch user: %s\n", err);
        return EW_EXIT_RUNTIME;
    }
    printf("%s user %s\n", disable ? "disabled" : "changed the password of", o->name);
    return EW_EXIT_OK;
}

static int print_user(void *ctx, const office_user *u)
{
    json_t *arr = ctx;
    if (arr) {
        json_array_append_new(arr, json_pack("{s:s, s:s?, s:s, s:s?, s:b, s:I}", "name", u->name,
                                             "display", u->display, "role", u->role, "org", u->org,
                                             "disabled", u->disabled, "created_utc",
                                             (json_int_t)u->created_utc));
        return 0;
    }
    char when[32];
    ew_format_iso_bj(u->created_utc, when, sizeof when);
    printf("%-20s %-10s %-20s %-8s %s %s\n", u->name, u->role, u->org ? u->org : "-",
           u->disabled ? "disabled" : "active", when, u->display ? u->display : "");
    return 0;
}

static int do_list(store *s, const opts *o)
{
    char err[256];
    json_t *arr = o->json ? json_array() : NULL;
    if (!o->json)
        printf("%-20s %-10s %-20s %-8s %s\n", "NAME", "ROLE", "ORG", "STATE",
               "CREATED (Beijing) DISPLAY");
    if (office_users_each(s, print_user, arr, err, sizeof err) < 0) {
        fprintf(stderr, "envwatch user: %s\n", err);
        json_decref(arr);
        return EW_EXIT_RUNTIME;
    }
    if (arr) {
        char *text = json_dumps(arr, JSON_INDENT(2));
        puts(text);
        free(text);
        json_decref(arr);
    }
    return EW_EXIT_OK;
}

int cmd_user(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return EW_EXIT_OK;
    }
    opts o;
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc;
    char err[256];
    store *s = store_open(o.db, err, sizeof err);
    if (!s) {
        fprintf(stderr, "envwatch user: %s: %s\n", o.db, err);
        return EW_EXIT_RUNTIME;
    }
    if (!strcmp(o.verb, "add"))
        rc = do_add(s, &o);
    else if (!strcmp(o.verb, "list"))
        rc = do_list(s, &o);
    else
        rc = do_change(s, &o, !strcmp(o.verb, "disable"));
    store_close(s);
    return rc;
}
