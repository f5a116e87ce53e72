/* envwatch aqi: under construction. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_aqi(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "envwatch aqi: not available in this build\n");
    return EW_EXIT_RUNTIME;
}
