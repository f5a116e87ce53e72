/* libFuzzer target: the parser on an arbitrary data segment, the number reader on every
 * value, and an encode -> frame -> parse round trip of what was understood. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hj212/hj212.h"

static hj212_item items[HJ212_ITEMS_MAX(HJ212_SEG_MAX_ABS)];
static hj212_item items2[HJ212_ITEMS_MAX(HJ212_SEG_MAX_ABS)];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > HJ212_SEG_MAX_ABS)
        return 0;
    const char *seg = (const char *)data;
    hj212_packet pk;
    hj212_error err;
    /* A tiny item array exercises the overflow path. */
    (void)hj212_parse(seg, size, &pk, items, 2, &err);
    if (hj212_parse(seg, size, &pk, items, sizeof items / sizeof items[0], &err) < 0) {
        CHECK(err.msg[0] != 0);
        return 0;
    }
    CHECK(pk.n_items <= HJ212_ITEMS_MAX(size));
    for (size_t i = 0; i < pk.n_items; i++) {
        const hj212_item *it = &pk.items[i];
        CHECK(it->key.p >= seg && it->key.p + it->key.n <= seg + size);
        CHECK(it->value.p >= seg && it->value.p + it->value.n <= seg + size);
        double d;
        (void)hj212_parse_num(it->value.p, it->value.n, &d);
        (void)hj212_param_find(it->code);
    }
    (void)hj212_st_find(pk.st);
    (void)hj212_cn_find(pk.cn);
    /* Re-frame the header and data area as understood; what encodes must parse back with
     * the same command and the same number of entries. */
    char mn[64], st[3];
    if (pk.mn.n >= sizeof mn || pk.st.n != 2 || pk.cp.n > 8000)
        return 0;
    memcpy(mn, pk.mn.p, pk.mn.n);
    mn[pk.mn.n] = 0;
    memcpy(st, pk.st.p, 2);
    st[2] = 0;
    if (memchr(mn, 0, pk.mn.n) || memchr(st, 0, 2))
        return 0;
    hj212_header h = {.st = st, .cn = pk.cn, .mn = mn, .flag = pk.flag};
    static char out[HJ212_FRAME_MAX(HJ212_SEG_MAX_ABS)];
    int w = hj212_encode(out, sizeof out, &h, pk.cp.p, pk.cp.n, &err);
    if (w < 0)
        return 0;
    hj212_frame fr;
    hj212_packet pk2;
    CHECK(hj212_frame_one(out, (size_t)w, &(hj212_framer_opts){.seg_max = 9999}, &fr, &err) == 0);
    int rc = hj212_parse(fr.seg, fr.seg_len, &pk2, items2, sizeof items2 / sizeof items2[0], &err);
    CHECK(rc == 0);
    CHECK(pk2.cn == pk.cn);
    return 0;
}
