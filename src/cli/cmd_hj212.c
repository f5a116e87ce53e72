/* envwatch hj212: under construction. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_hj212(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "envwatch hj212: not available in this build\n");
    return EW_EXIT_RUNTIME;
}
