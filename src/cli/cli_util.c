/* cli_util: helpers shared by several subcommands. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "service/plan.h"

int cli_default_plan(char *buf, size_t cap)
{
    /* The executable's own directory lets a build or installed tree find its data without
     * configuration (plan_find_default lists the places). */
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *dir = NULL;
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            dir = exe;
        }
    }
    return plan_find_default(getenv("ENVWATCH_DATA_DIR"), dir, buf, cap);
}
