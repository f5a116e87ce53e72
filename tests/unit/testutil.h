/* testutil: what several unit tests share, header-only so that it is not a test of its own
 * (CMakeLists.txt makes a test of every .c file in tests/unit): a temporary directory holding a
 * SQLite database, removed again at teardown. Tests stay independent of each other because
 * each fixture gets a directory of its own under $TMPDIR (or /tmp). */
#ifndef EW_TESTS_TESTUTIL_H
#define EW_TESTS_TESTUTIL_H
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"

typedef struct tu_tmpdb {
    char dir[256];  /* the directory, made by tu_tmpdb_make */
    char path[300]; /* dir/t.db: the database file (created by whoever opens it) */
} tu_tmpdb;

/* Make a fresh directory $TMPDIR/ew_<tag>_XXXXXX and fill in the database path beside it.
 * Returns 0, or -1 (with a message on stderr) when the directory cannot be made. */
static inline int tu_tmpdb_make(tu_tmpdb *t, const char *tag)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(t->dir, sizeof t->dir, "%s/ew_%s_XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
    if (!mkdtemp(t->dir)) {
        perror(t->dir);
        return -1;
    }
    snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
    return 0;
}

static inline int tu_rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    return (type == FTW_DP ? rmdir(path) : unlink(path)) ? -1 : 0;
}

/* Remove the directory and everything in it (the database and its -wal/-shm files, and
 * whatever a test wrote there). Returns 0, or -1 when something could not be removed. */
static inline int tu_tmpdb_remove(const tu_tmpdb *t)
{
    if (!t->dir[0])
        return 0;
    return nftw(t->dir, tu_rm_entry, 16, FTW_DEPTH | FTW_PHYS) ? -1 : 0;
}

/* tu_tmpdb_make, then store_open on the path (migrating a new database). Returns the store,
 * or NULL with the reason on stderr. */
static inline store *tu_store_open(tu_tmpdb *t, const char *tag)
{
    if (tu_tmpdb_make(t, tag))
        return NULL;
    char err[256];
    store *s = store_open(t->path, err, sizeof err);
    if (!s)
        fprintf(stderr, "store_open %s: %s\n", t->path, err);
    return s;
}

/* Close s (may be NULL) and remove the directory: 0, or -1 if something stayed behind. */
static inline int tu_store_close(tu_tmpdb *t, store *s)
{
    store_close(s);
    return tu_tmpdb_remove(t);
}

/* The fixture of tests that need nothing but a fresh store: use tu_store_setup and
 * tu_store_teardown as cmocka's setup and teardown, and read *state as a tu_store_fixture. */
typedef struct tu_store_fixture {
    tu_tmpdb db;
    store *s;
} tu_store_fixture;

static inline int tu_store_setup(void **state)
{
    tu_store_fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->s = tu_store_open(&f->db, "test"))) {
        if (f)
            tu_tmpdb_remove(&f->db);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static inline int tu_store_teardown(void **state)
{
    tu_store_fixture *f = *state;
    int rc = tu_store_close(&f->db, f->s);
    free(f);
    return rc;
}

#endif
