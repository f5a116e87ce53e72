/* envwatch assess: under construction. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_assess(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "envwatch assess: not available in this build\n");
    return EW_EXIT_RUNTIME;
}
