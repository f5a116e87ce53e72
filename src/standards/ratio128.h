/* ratio128: GB/T 8170 rounding of a 128-bit ratio, for the source modules (fluegas,
 * wastewater) whose products of a concentration and a flow leave int64.
 *
 * Internal to src/standards/: header-only, no state. The same rule as ew_round_ratio_8170
 * (edition.h), whose operands must fit int64. */
#ifndef EW_STANDARDS_RATIO128_H
#define EW_STANDARDS_RATIO128_H
#include <stdint.h>

/* round_8170(num / den) for den > 0: the nearest integer, ties to even (GB/T 8170—2008 §3.2).
 * The caller keeps the quotient within int64. */
static inline int64_t ew_round_ratio128_8170(__int128 num, __int128 den)
{
    __int128 q = num / den, r = num % den;
    if (r < 0) { /* C division truncates; make it floor */
        q--;
        r += den;
    }
    if (2 * r > den || (2 * r == den && (q % 2) != 0))
        q++;
    return (int64_t)q;
}

#endif
