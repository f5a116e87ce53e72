/* clock: the pinned or system clock, and where the executable lives (contract in clock.h). */
#include "base/clock.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/bjtime.h"

int64_t ew_now_utc(void)
{
    const char *fixed = getenv("ENVWATCH_NOW");
    ew_civil c;
    if (fixed && !ew_parse_iso(fixed, strlen(fixed), &c))
        return ew_bj_to_utc(&c);
    return (int64_t)time(NULL);
}

int ew_exe_dir(char *buf, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    return (size_t)snprintf(buf, cap, "%s", exe) < cap ? 0 : -1;
}
