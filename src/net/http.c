/* Placeholder until the HTTP API lands: refuses to start with a clear message. */
#include "net/http.h"

#include <stdio.h>

ew_http *ew_http_start(const ew_http_config *cfg, char *err, size_t errcap)
{
    (void)cfg;
    snprintf(err, errcap, "the HTTP API is not part of this build yet");
    return NULL;
}

void ew_http_stop(ew_http *h)
{
    (void)h;
}
