/* envwatch plan: under construction. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_plan(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "envwatch plan: not available in this build\n");
    return EW_EXIT_RUNTIME;
}
