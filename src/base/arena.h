/* arena: a bump allocator for memory that lives and dies together (one packet, one HTTP
 * request, one import batch). Allocation never fails (xalloc policy); everything is
 * released at once by arena_reset() or arena_free(). Pointers returned are owned by the
 * arena and valid until the next reset/free. Not thread-safe: one arena per thread. */
#ifndef EW_BASE_ARENA_H
#define EW_BASE_ARENA_H
#include <stddef.h>

typedef struct arena_chunk arena_chunk;
typedef struct arena {
    arena_chunk *head;  /* newest chunk first */
    size_t chunk_size;  /* size of ordinary chunks */
} arena;

/* Initialise an empty arena; the first chunk is allocated lazily. chunk_size 0 = 16 KiB. */
void arena_init(arena *a, size_t chunk_size);
/* Allocate n bytes aligned for any type. */
void *arena_alloc(arena *a, size_t n);
/* Copy n bytes of s and NUL-terminate. */
char *arena_strndup(arena *a, const char *s, size_t n);
/* Release everything but keep the first chunk for reuse (the hot-path case). */
void arena_reset(arena *a);
/* Release everything. The arena may be reused after arena_init. */
void arena_free(arena *a);

#endif
