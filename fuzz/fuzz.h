/* fuzz.h: what every libFuzzer target of fuzz/ shares. */
#ifndef EW_FUZZ_H
#define EW_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Not assert(): fuzz builds are optimised with NDEBUG, and these checks must stay. */
#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            abort();                                                                               \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
