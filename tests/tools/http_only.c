/* http_only: the HTTP API alone on a database, for the API and browser tests and the HTTP
 * benchmark, without the HJ 212 intake.
 *
 *   http_only --init DB            create DB with the current schema (store migrations), exit
 *   http_only DB HOST:PORT [DIR]   serve DB (and the dashboard from DIR) until SIGINT/SIGTERM
 *
 * Prints "listening PORT" on stdout once the socket is bound (PORT 0 picks a free one). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/metrics.h"
#include "net/http.h"
#include "store/store.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

int main(int argc, char **argv)
{
    char err[512];
    if (argc == 3 && !strcmp(argv[1], "--init")) {
        store *s = store_open(argv[2], err, sizeof err);
        if (!s) {
            fprintf(stderr, "http_only: %s\n", err);
            return 3;
        }
        store_close(s);
        return 0;
    }
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: http_only --init DB | http_only DB HOST:PORT [STATIC_DIR]\n");
        return 2;
    }
    static ew_metrics metrics;
    ew_http_config cfg = {.listen_addr = argv[2],
                          .db_path = argv[1],
                          .static_dir = argc == 4 ? argv[3] : NULL,
                          .metrics = &metrics};
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    ew_http *h = ew_http_start(&cfg, err, sizeof err);
    if (!h) {
        fprintf(stderr, "http_only: %s\n", err);
        return 3;
    }
    printf("listening %u\n", (unsigned)ew_http_port(h));
    fflush(stdout);
    while (!stop)
        pause();
    ew_http_stop(h);
    return 0;
}
