/* envwatch serve: under construction. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_serve(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "envwatch serve: not available in this build\n");
    return EW_EXIT_RUNTIME;
}
