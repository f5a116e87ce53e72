/* libFuzzer target: the framer on an arbitrary byte stream cut into arbitrary reads, then
 * every frame through the parser, the reply encoder and the reassembler.
 * The first input byte chooses the read size and the framer options. Checks: every frame
 * delivered has a verified CRC and lies inside the stream; events cover the stream without
 * gaps or overlaps; a reply to any parsed packet is itself a valid frame. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hj212/hj212.h"

static hj212_item items[HJ212_ITEMS_MAX(HJ212_SEG_MAX_ABS)];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t ctl = data[0];
    data++;
    size--;
    size_t step = (size_t)(ctl & 0x3F) + 1;
    hj212_framer_opts o = {.seg_max = (ctl & 0x40) ? 200 : 0, .strict = (ctl & 0x80) != 0};
    hj212_framer f;
    hj212_framer_init(&f, &o);
    hj212_reasm *r = hj212_reasm_new(&(hj212_reasm_opts){.max_open = 2, .max_bytes = 4096});
    hj212_frame_event ev;
    uint64_t covered = 0;
    char *copy = malloc(size ? size : 1);
    static char reply[HJ212_FRAME_MAX(HJ212_SEG_MAX_ABS)];
    for (size_t off = 0;; off += step) {
        bool end = off >= size;
        if (!end) {
            size_t n = size - off < step ? size - off : step;
            /* A private copy per read, scribbled over after it: a frame that pointed into an
             * old read would no longer match the input. */
            char *chunk = copy + off;
            memcpy(chunk, data + off, n);
            hj212_framer_feed(&f, chunk, n);
            while (hj212_framer_next(&f, &ev)) {
                CHECK(ev.offset == covered);
                covered += ev.len;
                CHECK(covered <= size);
                if (ev.kind != HJ212_OK)
                    continue;
                CHECK(hj212_crc16(ev.frame.seg, ev.frame.seg_len) == ev.frame.crc);
                CHECK(memcmp(ev.frame.raw, data + ev.frame.offset, ev.frame.raw_len) == 0);
                hj212_packet pk;
                hj212_error err;
                if (hj212_parse(ev.frame.seg, ev.frame.seg_len, &pk, items,
                                sizeof items / sizeof items[0], &err) < 0)
                    continue;
                int w = hj212_encode_reply(reply, sizeof reply, &pk, 9014, 0, &err);
                if (w > 0) {
                    hj212_frame fr;
                    hj212_packet pk2;
                    CHECK(hj212_frame_one(reply, (size_t)w, &(hj212_framer_opts){.seg_max = 9999},
                                          &fr, &err) == 0);
                    CHECK(hj212_parse(fr.seg, fr.seg_len, &pk2, items, 16, &err) == 0);
                    CHECK(pk2.cn == 9014);
                }
                hj212_message msg;
                (void)hj212_reasm_add(r, &pk, ev.frame.seg, ev.frame.seg_len, (int64_t)off, &msg,
                                      &err);
            }
            memset(chunk, '#', n);
            continue;
        }
        while (hj212_framer_finish(&f, &ev)) {
            CHECK(ev.offset == covered);
            covered += ev.len;
        }
        break;
    }
    CHECK(covered == size);
    hj212_framer_free(&f);
    hj212_reasm_free(r);
    free(copy);
    return 0;
}
