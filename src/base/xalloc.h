/* xalloc: the one out-of-memory policy of envwatch.
 *
 * envwatch is a server whose correctness depends on never acknowledging data it has not
 * stored; limping on after a failed allocation would risk exactly that. So allocation
 * failure prints a message and aborts the process, and callers of these functions never
 * check for NULL. Memory returned is owned by the caller and released with free(). */
#ifndef EW_BASE_XALLOC_H
#define EW_BASE_XALLOC_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
