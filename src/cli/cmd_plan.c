/* envwatch plan: check and show action-plan files (format: docs/plan-format.md). */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bjtime.h"
#include "cli/cli.h"
#include "service/plan.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: envwatch plan check FILE\n"
            "       envwatch plan show [FILE] [--json]\n"
            "\n"
            "  check   validate a plan file; prints the first fault with its JSON path\n"
            "          (or line and column for a JSON syntax error); exit 1 if invalid\n"
            "  show    print the plan in Chinese, or as JSON with --json (targets, actions\n"
            "          with their tasks, units)\n"
            "\n"
            "Without FILE, the default plan %s is read from $ENVWATCH_DATA_DIR/plan/,\n"
            "<exe dir>/../data/plan/, <exe dir>/../share/envwatch/plan/ or ./data/plan/.\n",
            PLAN_DEFAULT_FILE);
}

/* Exit status for a failed load: a file that is there but wrong is a found problem (1); one
 * that cannot be read is a runtime error (3). */
static int report(const char *file, const plan_error *err)
{
    char buf[512];
    fprintf(stderr, "%s: %s\n", file, plan_error_format(err, buf, sizeof buf));
    return (err->line > 0 || err->path[0]) ? EW_EXIT_FOUND : EW_EXIT_RUNTIME;
}

static void date_str(int64_t day, char *buf, size_t cap)
{
    ew_format_day(day, buf, cap);
}

plan *cli_plan_open(const char *cmd, const char *file)
{
    char path[PATH_MAX + 64];
    if (!file) {
        if (plan_default_path(path, sizeof path) < 0) {
            fprintf(stderr, "envwatch %s: no default plan found (last tried %s); use --plan\n",
                    cmd, path);
            return NULL;
        }
        file = path;
    }
    plan_error perr;
    plan *p = plan_load_file(file, &perr);
    if (!p) {
        char buf[512];
        fprintf(stderr, "envwatch %s: %s: %s\n", cmd, file,
                plan_error_format(&perr, buf, sizeof buf));
    }
    return p;
}

static void print_units(const plan *p, const char *label, plan_refs r)
{
    if (!r.n)
        return;
    printf("      %s:", label);
    for (size_t i = 0; i < r.n; i++)
        /* The plan text joins departments with "、" and sets the towns group off with ",". */
        printf("%s%s",
               !i                                           ? ""
               : p->units[r.idx[i]].kind == PLAN_UNIT_GROUP ? ","
                                                            : "、",
               p->units[r.idx[i]].name);
    printf("\n");
}

static const char *cmp_zh(plan_cmp c)
{
    switch (c) {
    case PLAN_CMP_LE:
        return "≤";
    case PLAN_CMP_GE:
        return "≥";
    case PLAN_CMP_LT:
        return "<";
    case PLAN_CMP_GT:
        return ">";
    case PLAN_CMP_EQ:
        return "=";
    case PLAN_CMP_DONE:
        return "完成";
    }
    return "?";
}

static void print_target(const plan_target *t)
{
    char d[16];
    date_str(t->deadline_day, d, sizeof d);
    if (t->cmp == PLAN_CMP_DONE)
        printf("  %-34s %s:完成", t->id, t->name_zh);
    else
        printf("  %-34s %s %s %.10g%s%s", t->id, t->name_zh, cmp_zh(t->cmp), t->target,
               *t->unit ? " " : "", t->unit);
    printf("  截止 %s  %s", d, t->source == PLAN_SRC_MONITORING ? "监测计算" : "单位报送");
    if (t->statistic)
        printf("(%s)", t->statistic);
    if (!strcmp(t->scope, "city"))
        printf("  全市指标");
    printf("\n");
}

static void show_text(const plan *p)
{
    char a[16], b[16];
    printf("%s\n", p->title);
    if (p->issuer)
        printf("发布单位:%s", p->issuer);
    if (p->published_day >= 0) {
        date_str(p->published_day, a, sizeof a);
        printf("  发布日期:%s", a);
    }
    date_str(p->start_day, a, sizeof a);
    date_str(p->end_day, b, sizeof b);
    printf("\n实施期限:%s 至 %s\n", a, b);
    if (p->basis)
        printf("依据:%s\n", p->basis);

    size_t n_main = 0;
    for (size_t i = 0; i < p->n_targets; i++)
        n_main += p->targets[i].task < 0;
    printf("\n主要目标(%zu 项;另有任务指标 %zu 项)\n", n_main, p->n_targets - n_main);
    for (size_t i = 0; i < p->n_targets; i++)
        if (p->targets[i].task < 0)
            print_target(&p->targets[i]);

    printf("\n重点任务(%zu 项行动,%zu 项任务)\n", p->n_actions, p->n_tasks);
    for (size_t i = 0; i < p->n_actions; i++) {
        const plan_action *ac = &p->actions[i];
        printf("\n(%d)%s\n", ac->no ? ac->no : (int)i + 1, ac->name);
        for (size_t k = 0; k < ac->n_tasks; k++) {
            const plan_task *t = &p->tasks[ac->first_task + k];
            date_str(t->deadline_day, a, sizeof a);
            printf("  %s %d.%s  截止 %s%s\n", t->id, t->no, t->title, a,
                   t->deadline_stated ? "" : "(规划期末)");
            print_units(p, "牵头单位", t->lead);
            print_units(p, "责任单位", t->responsible);
            print_units(p, "配合单位", t->cooperating);
            if (t->note)
                printf("      注:%s\n", t->note);
            for (size_t r = 0; r < t->targets.n; r++) {
                printf("    指标");
                print_target(&p->targets[t->targets.idx[r]]);
            }
        }
    }

    printf("\n单位(%zu 个)\n", p->n_units);
    for (size_t i = 0; i < p->n_units; i++) {
        const plan_unit *u = &p->units[i];
        size_t ntasks = 0;
        for (size_t k = 0; k < p->n_tasks; k++)
            ntasks += plan_task_involves(&p->tasks[k], (int)i);
        printf("  %-20s %s  任务 %zu 项\n", u->id, u->name, ntasks);
    }
}

int cmd_plan(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return EW_EXIT_OK;
    }
    if (argc < 2) {
        usage(stderr);
        return EW_EXIT_USAGE;
    }
    const char *verb = argv[1];
    const char *file = NULL;
    bool json = false;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = true;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "envwatch plan: unknown option %s\n", argv[i]);
            return EW_EXIT_USAGE;
        } else if (!file)
            file = argv[i];
        else {
            fprintf(stderr, "envwatch plan: one FILE at most\n");
            return EW_EXIT_USAGE;
        }
    }
    bool check = !strcmp(verb, "check");
    if (!check && strcmp(verb, "show")) {
        fprintf(stderr, "envwatch plan: unknown action '%s'\n", verb);
        usage(stderr);
        return EW_EXIT_USAGE;
    }
    if (check && (!file || json)) {
        fprintf(stderr, "envwatch plan: check takes one FILE and no --json\n");
        return EW_EXIT_USAGE;
    }
    char path[PATH_MAX + 64];
    if (!file) {
        if (plan_default_path(path, sizeof path)) {
            fprintf(stderr,
                    "envwatch plan: default plan not found (last tried %s); set "
                    "ENVWATCH_DATA_DIR\n",
                    path);
            return EW_EXIT_RUNTIME;
        }
        file = path;
    }
    plan_error err;
    plan *p = plan_load_file(file, &err);
    if (!p)
        return report(file, &err);
    if (check) {
        printf("%s: ok: %zu targets, %zu actions, %zu tasks, %zu units\n", file, p->n_targets,
               p->n_actions, p->n_tasks, p->n_units);
    } else if (json) {
        json_t *j = plan_to_json(p);
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
        fputc('\n', stdout);
        json_decref(j);
    } else {
        show_text(p);
    }
    plan_free(p);
    return EW_EXIT_OK;
}
