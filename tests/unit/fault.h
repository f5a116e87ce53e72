/* fault: make one kind of SQL statement fail on a store's connection, for tests of the paths
 * that handle a failing step (SQLITE_BUSY, an I/O error) and that cannot be reached from
 * outside: a statement run inside a transaction that already holds its locks never sees
 * SQLITE_BUSY. Header-only, like testutil.h.
 *
 * fault_on(f, s, prefix) installs a progress handler that interrupts every step of the
 * statements whose SQL begins with prefix (they return SQLITE_INTERRUPT, "interrupted"), and
 * no other statement; fault_also(f, prefix) adds another prefix (up to FAULT_MAX);
 * fault_off removes the handler. f->hits counts the interruptions. */
#ifndef EW_TESTS_FAULT_H
#define EW_TESTS_FAULT_H
#include <sqlite3.h>
#include <string.h>

#include "store/store_internal.h"

enum { FAULT_MAX = 4 };
typedef struct fault {
    sqlite3 *db;
    const char *prefix[FAULT_MAX];
    int hits;
} fault;

static inline int fault_progress(void *ctx)
{
    fault *f = ctx;
    for (sqlite3_stmt *st = sqlite3_next_stmt(f->db, NULL); st; st = sqlite3_next_stmt(f->db, st))
        for (int i = 0; i < FAULT_MAX && f->prefix[i]; i++)
            if (sqlite3_stmt_busy(st) &&
                !strncmp(sqlite3_sql(st), f->prefix[i], strlen(f->prefix[i]))) {
                f->hits++;
                return 1;
            }
    return 0;
}

static inline void fault_on(fault *f, store *s, const char *prefix)
{
    *f = (fault){.db = store_sqlite_handle(s), .prefix = {prefix}};
    sqlite3_progress_handler(f->db, 1, fault_progress, f);
}

static inline void fault_also(fault *f, const char *prefix)
{
    for (int i = 0; i < FAULT_MAX; i++)
        if (!f->prefix[i]) {
            f->prefix[i] = prefix;
            return;
        }
}

static inline void fault_off(fault *f)
{
    sqlite3_progress_handler(f->db, 0, NULL, NULL);
}

#endif
