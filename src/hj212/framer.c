/* hj212 framer: cuts an HJ 212 byte stream (TCP) into frames, resynchronising on "##".
 *
 * Frame layout, HJ 212-2017 §6.3.1 table 2: "##" + 4 decimal digits (data-segment length in
 * bytes) + data segment + 4 hex digits (CRC of the segment, Annex A) + CR LF.
 *
 * Invariants kept here:
 *  - buf, when non-empty, holds a prefix of a possible frame: buf[0] == '#', and buf[1] == '#'
 *    when buf_len >= 2; it never holds more than HJ212_FRAME_MAX(seg_max) bytes.
 *  - a pending rejected run [rej_off, rej_off + rej_len) ends exactly where the next
 *    unexamined byte (buf[0], else chunk[pos]) starts, so runs are contiguous and counted
 *    once.
 * The hot path (a frame wholly inside one read) copies nothing. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "hj212/hj212.h"

enum { R_NEED, R_FRAME, R_SKIP, R_BAD_FRAME, R_NOSTART };

typedef struct verdict {
    int r;
    int err;     /* R_SKIP / R_BAD_FRAME: the hj212_err */
    size_t need; /* R_NEED: bytes needed to decide */
    size_t flen; /* R_FRAME / R_BAD_FRAME: bytes of the frame */
    size_t seg_len;
    uint16_t crc;
    unsigned defects;
    char msg[100];
} verdict;

static void shown(const char *p, size_t n, char *out, size_t cap)
{
    /* Bytes as printable text for a message: non-printables as \xNN. */
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < cap; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, cap - o, "\\x%02X", c);
    }
    out[o] = 0;
}

static unsigned seg_cap(const hj212_framer_opts *o)
{
    return o->seg_max ? o->seg_max : HJ212_SEG_MAX_STD;
}

/* Decide what the bytes p[0..n) (p[0] == '#') are. at_end: no more bytes will come. */
static void examine(const char *p, size_t n, const hj212_framer_opts *o, bool at_end, verdict *v)
{
    char tmp[24];
    v->defects = 0;
    if (n < 2) {
        v->r = at_end ? R_NOSTART : R_NEED;
        v->need = 2;
        return;
    }
    /* "###": the first '#' is noise (a stray byte before a real "##"), not a bad length. */
    if (p[1] != '#' || (n >= 3 && p[2] == '#')) {
        v->r = R_NOSTART;
        return;
    }
    /* Table 2: the length is exactly 4 decimal digits. */
    size_t len = 0;
    for (size_t i = 2; i < 6; i++) {
        if (i >= n) {
            v->r = at_end ? R_SKIP : R_NEED;
            v->err = HJ212_E_TRUNCATED;
            v->need = 6;
            snprintf(v->msg, sizeof v->msg, "stream ended inside the length field");
            return;
        }
        unsigned char c = (unsigned char)p[i];
        if (c < '0' || c > '9') {
            shown(p + 2, n < 6 ? n - 2 : 4, tmp, sizeof tmp);
            v->r = R_SKIP;
            v->err = HJ212_E_LENGTH;
            snprintf(v->msg, sizeof v->msg, "length: '%s' after ## is not 4 decimal digits", tmp);
            return;
        }
        len = len * 10 + (c - '0');
    }
    if (len > seg_cap(o)) {
        v->r = R_SKIP;
        v->err = HJ212_E_OVERSIZE;
        snprintf(v->msg, sizeof v->msg, "length: data segment of %zu bytes exceeds the cap of %u",
                 len, seg_cap(o));
        return;
    }
    if (len > HJ212_SEG_MAX_STD)
        v->defects |= HJ212_DEF_OVER_STD;
    size_t crc_at = 6 + len, tail_at = crc_at + 4;
    if (n < tail_at + 2) {
        /* At the end of the stream a frame missing only its tail is still a frame. */
        bool tail_prefix = n == tail_at || (n == tail_at + 1 && p[tail_at] == '\r');
        if (!at_end || o->strict || !tail_prefix) {
            if (n > tail_at && p[tail_at] == '\n' && !o->strict) {
                /* LF-only tail: decided with one byte. */
                v->flen = tail_at + 1;
                v->defects |= HJ212_DEF_TAIL_LF;
                goto tail_ok;
            }
            if (n > tail_at && p[tail_at] != '\r' && p[tail_at] != '#')
                goto bad_tail;
            if (at_end) {
                v->r = R_SKIP;
                v->err = HJ212_E_TRUNCATED;
                snprintf(v->msg, sizeof v->msg,
                         "truncated: stream ended %zu bytes into a frame of %zu", n, len + 12);
                return;
            }
            v->r = R_NEED;
            v->need = tail_at + 2;
            return;
        }
        v->flen = n;
        v->defects |= HJ212_DEF_TAIL_NONE;
        goto tail_ok;
    }
    if (p[tail_at] == '\r' && p[tail_at + 1] == '\n') {
        v->flen = tail_at + 2;
    } else if (!o->strict && p[tail_at] == '\n') {
        v->flen = tail_at + 1;
        v->defects |= HJ212_DEF_TAIL_LF;
    } else if (!o->strict && p[tail_at] == '#' && p[tail_at + 1] == '#') {
        /* Tail missing, the next frame follows directly (seen from real loggers). */
        v->flen = tail_at;
        v->defects |= HJ212_DEF_TAIL_NONE;
    } else {
        goto bad_tail;
    }
tail_ok:
    v->seg_len = len;
    if (hj212_crc_parse(p + crc_at, &v->crc) != 0) {
        shown(p + crc_at, 4, tmp, sizeof tmp);
        v->r = R_BAD_FRAME;
        v->err = HJ212_E_CRC_SYNTAX;
        snprintf(v->msg, sizeof v->msg, "CRC: '%s' is not 4 hex digits", tmp);
        return;
    }
    for (int i = 0; i < 4; i++)
        if (p[crc_at + i] >= 'a' && p[crc_at + i] <= 'f')
            v->defects |= HJ212_DEF_CRC_LOWER;
    if ((v->defects & (HJ212_DEF_CRC_LOWER | HJ212_DEF_TAIL_LF | HJ212_DEF_TAIL_NONE)) &&
        o->strict) {
        v->r = R_BAD_FRAME;
        v->err = HJ212_E_CRC_SYNTAX;
        snprintf(v->msg, sizeof v->msg, "CRC: lower-case hex refused in strict mode");
        return;
    }
    uint16_t got = hj212_crc16(p + 6, len);
    if (got != v->crc) {
        char want[5] = {0}, have[5] = {0};
        memcpy(have, p + crc_at, 4);
        hj212_crc_hex(got, want);
        v->r = R_BAD_FRAME;
        v->err = HJ212_E_CRC;
        snprintf(v->msg, sizeof v->msg, "CRC: frame says %s, data segment gives %s", have, want);
        return;
    }
    v->r = R_FRAME;
    return;
bad_tail:
    shown(p + tail_at, n - tail_at >= 2 ? 2 : n - tail_at, tmp, sizeof tmp);
    v->r = R_SKIP;
    v->err = HJ212_E_TAIL;
    snprintf(v->msg, sizeof v->msg, "tail: '%s' where length %zu puts CR LF (byte %zu)", tmp, len,
             tail_at);
}

void hj212_framer_init(hj212_framer *f, const hj212_framer_opts *opts)
{
    memset(f, 0, sizeof *f);
    if (opts)
        f->opts = *opts;
    if (f->opts.seg_max == 0)
        f->opts.seg_max = HJ212_SEG_MAX_STD;
    if (f->opts.seg_max > HJ212_SEG_MAX_ABS)
        f->opts.seg_max = HJ212_SEG_MAX_ABS;
}

void hj212_framer_free(hj212_framer *f)
{
    free(f->buf);
    f->buf = NULL;
    f->buf_len = 0;
}

void hj212_framer_feed(hj212_framer *f, const void *data, size_t n)
{
    assert(f->pos == f->chunk_len && "feed only after hj212_framer_next returned 0");
    f->chunk_off += f->chunk_len;
    f->chunk = data;
    f->chunk_len = n;
    f->pos = 0;
}

uint64_t hj212_framer_offset(const hj212_framer *f)
{
    return f->chunk_off + f->chunk_len;
}

/* Extend (or start) the pending rejected run by n bytes at stream offset off. */
static void reject(hj212_framer *f, uint64_t off, uint64_t n, int kind, const char *msg)
{
    if (n == 0)
        return;
    if (f->rej_len == 0) {
        f->rej_off = off;
        f->rej_kind = kind;
        snprintf(f->rej_msg, sizeof f->rej_msg, "%s", msg);
    }
    assert(f->rej_off + f->rej_len == off);
    f->rej_len += n;
}

static int emit_rejected(hj212_framer *f, hj212_frame_event *ev)
{
    memset(&ev->frame, 0, sizeof ev->frame);
    ev->kind = f->rej_kind;
    ev->offset = f->rej_off;
    ev->len = f->rej_len;
    if (f->rej_kind == HJ212_E_GARBAGE)
        snprintf(ev->msg, sizeof ev->msg, "garbage: %llu bytes outside any frame",
                 (unsigned long long)f->rej_len);
    else
        snprintf(ev->msg, sizeof ev->msg, "%s (%llu bytes skipped)", f->rej_msg,
                 (unsigned long long)f->rej_len);
    f->rej_len = 0;
    return 1;
}

static int emit_frame(hj212_frame_event *ev, const char *p, uint64_t off, const verdict *v)
{
    ev->kind = HJ212_OK;
    ev->offset = off;
    ev->len = v->flen;
    ev->msg[0] = 0;
    ev->frame.raw = p;
    ev->frame.raw_len = v->flen;
    ev->frame.seg = p + 6;
    ev->frame.seg_len = v->seg_len;
    ev->frame.offset = off;
    ev->frame.crc = v->crc;
    ev->frame.defects = v->defects;
    return 1;
}

static int emit_bad_frame(hj212_frame_event *ev, const char *p, uint64_t off, const verdict *v)
{
    memset(&ev->frame, 0, sizeof ev->frame);
    ev->frame.raw = p; /* the rejected bytes, for callers that keep evidence */
    ev->frame.raw_len = v->flen;
    ev->kind = v->err;
    ev->offset = off;
    ev->len = v->flen;
    snprintf(ev->msg, sizeof ev->msg, "%s", v->msg);
    return 1;
}

/* Index of the first possible frame start ("##", or '#' as the last byte) in p[from..n). */
static size_t find_start(const char *p, size_t from, size_t n)
{
    size_t i = from;
    while (i < n) {
        const char *q = memchr(p + i, '#', n - i);
        if (!q)
            return n;
        i = (size_t)(q - p);
        if (i + 1 == n)
            return i;
        if (p[i + 1] == '#') {
            if (i + 2 < n && p[i + 2] == '#') {
                i++; /* "###": the start, if any, is further on */
                continue;
            }
            return i;
        }
        i += 2; /* p[i+1] is not '#', so no start at i+1 either */
    }
    return n;
}

/* Drop buf[0..k) as rejected-or-delivered and move to the next possible frame start. */
static void buf_rescan(hj212_framer *f, size_t k, bool delivered)
{
    if (!delivered)
        reject(f, f->buf_off, k, HJ212_E_GARBAGE, "");
    memmove(f->buf, f->buf + k, f->buf_len - k);
    f->buf_len -= k;
    f->buf_off += k;
    size_t s = find_start(f->buf, 0, f->buf_len);
    reject(f, f->buf_off, s, HJ212_E_GARBAGE, "");
    memmove(f->buf, f->buf + s, f->buf_len - s);
    f->buf_len -= s;
    f->buf_off += s;
}

/* Buffered mode: buf holds the beginning of a frame carried over from earlier reads. */
static int next_buffered(hj212_framer *f, hj212_frame_event *ev, bool *done)
{
    if (f->buf_done) {
        /* The frame delivered last time is no longer borrowed; what followed it stays. */
        size_t k = f->buf_done;
        f->buf_done = 0;
        buf_rescan(f, k, true);
        return 0;
    }
    verdict v;
    size_t appended = 0;
    for (;;) {
        if (f->rej_len && f->buf_len >= 3 && f->buf[1] == '#' && f->buf[2] != '#')
            return emit_rejected(f, ev); /* the rejected run ends at this "##" */
        examine(f->buf, f->buf_len, &f->opts, f->at_end && f->pos == f->chunk_len, &v);
        if (v.r != R_NEED)
            break;
        size_t want = v.need - f->buf_len, have = f->chunk_len - f->pos;
        if (have == 0) {
            *done = true; /* wait for more bytes */
            return 0;
        }
        if (want > have)
            want = have;
        assert(f->buf_len + want <= HJ212_FRAME_MAX(f->opts.seg_max));
        memcpy(f->buf + f->buf_len, f->chunk + f->pos, want);
        f->buf_len += want;
        f->pos += want;
        appended += want;
    }
    if (v.r == R_NOSTART) {
        buf_rescan(f, 1, false);
        return 0;
    }
    if (v.r == R_SKIP) {
        /* Reject this "##" and rescan from the byte after its first '#'. */
        reject(f, f->buf_off, 1, v.err, v.msg);
        buf_rescan(f, 1, true);
        return 0;
    }
    /* R_FRAME / R_BAD_FRAME. Bytes read beyond the frame (e.g. the next "##" after a missing
     * tail) go back to the chunk when they came from it, else stay buffered. */
    size_t extra = f->buf_len - v.flen;
    if (extra <= appended) {
        f->pos -= extra;
        f->buf_len = 0;
    } else {
        f->buf_done = v.flen;
    }
    return v.r == R_FRAME ? emit_frame(ev, f->buf, f->buf_off, &v)
                          : emit_bad_frame(ev, f->buf, f->buf_off, &v);
}

static int step(hj212_framer *f, hj212_frame_event *ev, bool *done)
{
    if (f->buf_len > 0)
        return next_buffered(f, ev, done);
    if (f->pos == f->chunk_len) {
        *done = true;
        return 0;
    }
    const char *p = f->chunk + f->pos;
    size_t n = f->chunk_len - f->pos;
    uint64_t off = f->chunk_off + f->pos;
    if (p[0] != '#' || (n >= 2 && p[1] != '#')) {
        size_t s = find_start(p, 0, n);
        reject(f, off, s, HJ212_E_GARBAGE, "");
        f->pos += s;
        return 0;
    }
    if (n >= 3 && f->rej_len)
        return emit_rejected(f, ev); /* the rejected run ends at this "##" */
    verdict v;
    examine(p, n, &f->opts, false, &v);
    switch (v.r) {
    case R_NOSTART:
        reject(f, off, 1, HJ212_E_GARBAGE, "");
        f->pos += 1;
        return 0;
    case R_FRAME:
        f->pos += v.flen;
        return emit_frame(ev, p, off, &v);
    case R_BAD_FRAME:
        f->pos += v.flen;
        return emit_bad_frame(ev, p, off, &v);
    case R_SKIP:
        reject(f, off, 1, v.err, v.msg);
        f->pos += 1;
        return 0;
    default: /* R_NEED: carry the partial frame over to the next read */
        if (!f->buf)
            f->buf = xmalloc(HJ212_FRAME_MAX(f->opts.seg_max));
        memcpy(f->buf, p, n);
        f->buf_len = n;
        f->buf_off = off;
        f->pos = f->chunk_len;
        return 0;
    }
}

int hj212_framer_next(hj212_framer *f, hj212_frame_event *ev)
{
    for (;;) {
        bool done = false;
        if (step(f, ev, &done))
            return 1;
        if (done)
            break;
    }
    if (f->at_end && f->buf_len == 0 && f->rej_len)
        return emit_rejected(f, ev);
    return 0;
}

int hj212_framer_finish(hj212_framer *f, hj212_frame_event *ev)
{
    assert(f->pos == f->chunk_len);
    f->at_end = true;
    return hj212_framer_next(f, ev);
}

int hj212_frame_one(const char *p, size_t n, const hj212_framer_opts *opts, hj212_frame *fr,
                    hj212_error *err)
{
    hj212_framer_opts o = opts ? *opts : (hj212_framer_opts){0};
    if (o.seg_max == 0)
        o.seg_max = HJ212_SEG_MAX_STD;
    verdict v;
    memset(fr, 0, sizeof *fr);
    if (n < 2 || p[0] != '#' || p[1] != '#') {
        err->code = HJ212_E_GARBAGE;
        err->offset = 0;
        snprintf(err->msg, sizeof err->msg, "frame: does not start with ##");
        return HJ212_E_GARBAGE;
    }
    examine(p, n, &o, true, &v);
    if (v.r == R_FRAME && v.flen != n) {
        err->code = HJ212_E_TAIL;
        err->offset = v.flen;
        snprintf(err->msg, sizeof err->msg, "frame: %zu bytes after the end of the frame",
                 n - v.flen);
        return HJ212_E_TAIL;
    }
    if (v.r != R_FRAME) {
        err->code = v.r == R_NOSTART ? HJ212_E_GARBAGE : v.err;
        err->offset = 0;
        snprintf(err->msg, sizeof err->msg, "%s", v.msg);
        return err->code;
    }
    fr->raw = p;
    fr->raw_len = v.flen;
    fr->seg = p + 6;
    fr->seg_len = v.seg_len;
    fr->crc = v.crc;
    fr->defects = v.defects;
    return 0;
}
