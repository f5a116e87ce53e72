/* envwatch simulate: under construction. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_simulate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "envwatch simulate: not available in this build\n");
    return EW_EXIT_RUNTIME;
}
