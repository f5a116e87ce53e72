/* envwatch stats: under construction. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_stats(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "envwatch stats: not available in this build\n");
    return EW_EXIT_RUNTIME;
}
