/* libFuzzer target for the CSV parsers of src/standards/csv: the wide national layout, the
 * long layout and the site list, on the same input. Checks the invariants the callers rely
 * on: every slice lies inside the input, lines and columns are in range, values are
 * non-negative, hours 0–23, pollutants known. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "standards/airq.h"
#include "standards/csv.h"

/* Not assert(): the fuzz build defines NDEBUG. */
#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if (!(x))                                                                                  \
            abort();                                                                               \
    } while (0)

typedef struct span {
    const char *p;
    size_t n;
} span;

static void in_input(const span *in, csv_slice s)
{
    if (s.n == 0)
        return;
    CHECK(s.p >= in->p && s.p + s.n <= in->p + in->n);
}

static void on_obs(void *c, const csv_obs *o)
{
    in_input(c, o->site);
    CHECK(o->site.n > 0);
    CHECK(o->hour >= 0 && o->hour <= 23);
    CHECK(o->milli >= 0);
    CHECK(o->pollutant >= -1 && o->pollutant < AIRQ_NPOLL);
    CHECK(o->line >= 2);
}

static void on_issue(void *c, const csv_issue *i)
{
    in_input(c, i->site);
    CHECK(i->line >= 1);
    CHECK(i->column >= 0);
    CHECK(i->msg != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    span in = {(const char *)data, size};
    csv_sink s = {on_obs, on_issue, &in};
    csv_counts k;
    if (csv_parse_wide(in.p, in.n, &s, &k) == 0)
        CHECK(k.values + k.missing + k.bad <= size + 1);
    (void)csv_parse_long(in.p, in.n, &s, &k);
    (void)csv_detect(in.p, in.n);
    csv_site *v;
    size_t n;
    if (csv_parse_sites(in.p, in.n, &s, &v, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            in_input(&in, v[i].code);
            in_input(&in, v[i].name);
            CHECK(v[i].lat_e6 >= -90000000 && v[i].lat_e6 <= 90000000);
        }
        free(v);
    }
    return 0;
}
