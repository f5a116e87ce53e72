/* cli: the envwatch command line. Each subcommand is one function in its own cmd_*.c,
 * registered in the table of main.c. A subcommand receives argv with argv[0] = its name,
 * prints its own --help, and returns the process exit status:
 *   0 success, 1 the work found a problem (bad packets, failed checks), 2 usage error,
 *   3 runtime error (I/O, database). */
#ifndef EW_CLI_H
#define EW_CLI_H
#include <stddef.h>
#include <stdint.h>

enum { EW_EXIT_OK = 0, EW_EXIT_FOUND = 1, EW_EXIT_USAGE = 2, EW_EXIT_RUNTIME = 3 };

int cmd_hj212(int argc, char **argv);
int cmd_aqi(int argc, char **argv);
int cmd_assess(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_db_check(int argc, char **argv);
int cmd_db_backup(int argc, char **argv);
int cmd_db_restore(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_targets(int argc, char **argv);
int cmd_water(int argc, char **argv);
int cmd_rules(int argc, char **argv);

/* The whole file at path (caller frees; xalloc policy) and its length, or NULL if it cannot
 * be opened (errno tells why). Defined in cmd_assess.c. */
char *cli_read_file(const char *path, size_t *n);

/* The plan of file, or of the default plan (service/plan.h's plan_default_path) when file is
 * NULL: the caller frees it with plan_free. On failure prints "envwatch CMD: why" on stderr
 * and returns NULL. Defined in cmd_plan.c. */
struct plan;
struct plan *cli_plan_open(const char *cmd, const char *file);

/* Print "envwatch CMD: <message>" on stderr and return EW_EXIT_USAGE, for a command's
 * refusal of its arguments. Defined in main.c. */
__attribute__((format(printf, 2, 3))) int cli_usage_error(const char *cmd, const char *fmt, ...);

/* An instant argument: Unix seconds, or a date YYYY-MM-DD meaning its Beijing midnight, into
 * *out. Returns 0, or -1 after printing "envwatch CMD: OPT needs …" on stderr (*out
 * unchanged). Defined in main.c. */
int cli_when_arg(const char *cmd, const char *opt, const char *v, int64_t *out);

/* True if argv[1..] contains -h or --help. */
int cli_wants_help(int argc, char **argv);

#endif
