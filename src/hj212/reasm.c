/* hj212 reassembly of packetised messages (Flag D = 1 with PNUM/PNO).
 *
 * HJ 212-2017 table 3 and Annex C.47-C.50: a message longer than one frame is sent as PNUM
 * pieces, each a complete frame with its own QN and CRC and its own DataTime copy. So pieces
 * cannot be keyed on QN; they are keyed on (MN, CN, PNUM, DataTime) and delivered in PNO
 * order once all have arrived. Memory is bounded: a few open messages, a byte budget, an
 * age limit; a rejected piece changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "hj212/hj212.h"

typedef struct open_msg {
    bool used;
    char mn[64];
    size_t mn_len;
    int cn, pnum;
    bool has_dt;
    int64_t dt_utc;
    int64_t first_utc;
    size_t got, bytes;
    char **seg; /* pnum slots */
    size_t *seg_len;
} open_msg;

struct hj212_reasm {
    hj212_reasm_opts o;
    open_msg *open;
    size_t bytes;
    /* the message delivered last, owned until the next call */
    char **out_seg;
    size_t *out_len;
    size_t out_n;
};

static void msg_clear(hj212_reasm *r, open_msg *m)
{
    if (m->seg) {
        for (int i = 0; i < m->pnum; i++)
            free(m->seg[i]);
    }
    free(m->seg);
    free(m->seg_len);
    r->bytes -= m->bytes;
    memset(m, 0, sizeof *m);
}

static void out_clear(hj212_reasm *r)
{
    for (size_t i = 0; i < r->out_n; i++)
        free(r->out_seg[i]);
    free(r->out_seg);
    free(r->out_len);
    r->out_seg = NULL;
    r->out_len = NULL;
    r->out_n = 0;
}

hj212_reasm *hj212_reasm_new(const hj212_reasm_opts *opts)
{
    hj212_reasm *r = xcalloc(1, sizeof *r);
    if (opts)
        r->o = *opts;
    if (!r->o.max_open)
        r->o.max_open = 16;
    if (!r->o.max_pieces)
        r->o.max_pieces = 256;
    if (!r->o.max_bytes)
        r->o.max_bytes = 1u << 20;
    if (!r->o.max_age_s)
        r->o.max_age_s = 600;
    r->open = xcalloc(r->o.max_open, sizeof *r->open);
    return r;
}

void hj212_reasm_free(hj212_reasm *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->o.max_open; i++)
        if (r->open[i].used)
            msg_clear(r, &r->open[i]);
    out_clear(r);
    free(r->open);
    free(r);
}

size_t hj212_reasm_open(const hj212_reasm *r, size_t *bytes)
{
    size_t n = 0;
    for (size_t i = 0; i < r->o.max_open; i++)
        n += r->open[i].used;
    if (bytes)
        *bytes = r->bytes;
    return n;
}

size_t hj212_reasm_expire(hj212_reasm *r, int64_t now_utc)
{
    size_t n = 0;
    for (size_t i = 0; i < r->o.max_open; i++)
        if (r->open[i].used && now_utc - r->open[i].first_utc > r->o.max_age_s) {
            msg_clear(r, &r->open[i]);
            n++;
        }
    return n;
}

static int piece_err(hj212_error *err, const char *fmt, long a, long b)
{
    if (err) {
        err->code = HJ212_E_PIECE;
        err->offset = 0;
        snprintf(err->msg, sizeof err->msg, fmt, a, b);
    }
    return HJ212_E_PIECE;
}

int hj212_reasm_add(hj212_reasm *r, const hj212_packet *pkt, const char *seg, size_t seg_len,
                    int64_t now_utc, hj212_message *out, hj212_error *err)
{
    out_clear(r);
    if (pkt->pnum <= 0 || pkt->pno <= 0) {
        /* Not packetised: a one-piece message, copied for a uniform lifetime. */
        r->out_seg = xmalloc(sizeof *r->out_seg);
        r->out_len = xmalloc(sizeof *r->out_len);
        r->out_seg[0] = xmalloc(seg_len ? seg_len : 1);
        memcpy(r->out_seg[0], seg, seg_len);
        r->out_len[0] = seg_len;
        r->out_n = 1;
        out->n_pieces = 1;
        out->seg = (const char *const *)r->out_seg;
        out->seg_len = r->out_len;
        return 1;
    }
    if ((size_t)pkt->pnum > r->o.max_pieces)
        return piece_err(err, "PNUM: %ld pieces exceed the cap of %ld", pkt->pnum,
                         (long)r->o.max_pieces);
    if (pkt->pno > pkt->pnum)
        return piece_err(err, "PNO: %ld is above PNUM %ld", pkt->pno, pkt->pnum);
    if (pkt->mn.n >= sizeof r->open[0].mn)
        return piece_err(err, "MN: %ld characters, at most %ld for reassembly", (long)pkt->mn.n,
                         (long)sizeof r->open[0].mn - 1);
    if (seg_len > r->o.max_bytes)
        return piece_err(err, "piece of %ld bytes exceeds the reassembly budget of %ld",
                         (long)seg_len, (long)r->o.max_bytes);
    open_msg *m = NULL, *free_slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < r->o.max_open; i++) {
        open_msg *c = &r->open[i];
        if (!c->used) {
            if (!free_slot)
                free_slot = c;
            continue;
        }
        if (!oldest || c->first_utc < oldest->first_utc)
            oldest = c;
        if (c->cn == pkt->cn && c->pnum == pkt->pnum && c->mn_len == pkt->mn.n &&
            memcmp(c->mn, pkt->mn.p, pkt->mn.n) == 0 && c->has_dt == pkt->has_datatime &&
            (!c->has_dt || c->dt_utc == pkt->datatime_utc)) {
            m = c;
            break;
        }
    }
    if (m && m->seg[pkt->pno - 1])
        return piece_err(err, "PNO: piece %ld of %ld received twice", pkt->pno, pkt->pnum);
    /* Make room: drop the oldest open message when slots or the byte budget run out. */
    while (r->bytes + seg_len > r->o.max_bytes || (!m && !free_slot)) {
        open_msg *victim = NULL;
        for (size_t i = 0; i < r->o.max_open; i++) {
            open_msg *c = &r->open[i];
            if (c->used && c != m && (!victim || c->first_utc < victim->first_utc))
                victim = c;
        }
        if (!victim)
            return piece_err(err, "piece of %ld bytes does not fit the budget of %ld",
                             (long)seg_len, (long)r->o.max_bytes);
        msg_clear(r, victim);
        if (!free_slot)
            free_slot = victim;
    }
    (void)oldest;
    if (!m) {
        m = free_slot;
        m->used = true;
        memcpy(m->mn, pkt->mn.p, pkt->mn.n);
        m->mn_len = pkt->mn.n;
        m->cn = pkt->cn;
        m->pnum = pkt->pnum;
        m->has_dt = pkt->has_datatime;
        m->dt_utc = pkt->datatime_utc;
        m->first_utc = now_utc;
        m->seg = xcalloc((size_t)pkt->pnum, sizeof *m->seg);
        m->seg_len = xcalloc((size_t)pkt->pnum, sizeof *m->seg_len);
    }
    char *copy = xmalloc(seg_len ? seg_len : 1);
    memcpy(copy, seg, seg_len);
    m->seg[pkt->pno - 1] = copy;
    m->seg_len[pkt->pno - 1] = seg_len;
    m->got++;
    m->bytes += seg_len;
    r->bytes += seg_len;
    if (m->got < (size_t)m->pnum)
        return 0;
    /* Complete: hand the pieces over to the output slot. */
    r->out_seg = m->seg;
    r->out_len = m->seg_len;
    r->out_n = (size_t)m->pnum;
    r->bytes -= m->bytes;
    memset(m, 0, sizeof *m);
    out->n_pieces = r->out_n;
    out->seg = (const char *const *)r->out_seg;
    out->seg_len = r->out_len;
    return 1;
}
