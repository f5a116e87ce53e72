/* hj212 encoders: frames for uploads (the device simulator) and for the platform's replies
 * and requests. Everything is written into the caller's buffer; nothing is allocated.
 *
 * HJ 212-2017 §6.3.1 table 2 (framing), table 3 (header order QN ST CN PW MN Flag PNUM PNO
 * CP), table 4 (CP fields), Annex A (CRC), Annex C (the command flows). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hj212/hj212.h"

static int arg_err(hj212_error *err, const char *field, const char *what)
{
    if (err) {
        err->code = HJ212_E_ARG;
        err->offset = 0;
        snprintf(err->msg, sizeof err->msg, "%s: %s", field, what);
    }
    return HJ212_E_ARG;
}

static int space_err(hj212_error *err, size_t need, size_t cap)
{
    if (err) {
        err->code = HJ212_E_SPACE;
        err->offset = 0;
        snprintf(err->msg, sizeof err->msg, "output: frame needs %zu bytes, buffer holds %zu", need,
                 cap);
    }
    return HJ212_E_SPACE;
}

int hj212_flag_make(int version, bool split, bool ack)
{
    return (version & 63) << 2 | (split ? 2 : 0) | (ack ? 1 : 0);
}

void hj212_qn_format(int64_t utc_ms, char out[18])
{
    int64_t s = utc_ms >= 0 ? utc_ms / 1000 : -((-utc_ms + 999) / 1000);
    int ms = (int)(utc_ms - s * 1000);
    char t[16];
    ew_format_compact_bj(s, t, sizeof t);
    snprintf(out, 18, "%.14s%03d", t, ms);
}

/* Delimiters of §6.3.3 may not appear inside header values: there is no escape. */
static bool clean(const char *s)
{
    return s && !strpbrk(s, ";=&,\r\n");
}

int hj212_encode(char *buf, size_t cap, const hj212_header *h, const char *cp, size_t cp_len,
                 hj212_error *err)
{
    if (!h->st || strlen(h->st) != 2 || !clean(h->st))
        return arg_err(err, "ST", "must be 2 characters");
    if (h->cn < 0 || h->cn > 9999)
        return arg_err(err, "CN", "must be 0-9999");
    if (!clean(h->mn) || !*h->mn)
        return arg_err(err, "MN", "missing or contains a delimiter");
    if (h->qn && !clean(h->qn))
        return arg_err(err, "QN", "contains a delimiter");
    if (h->pw && !clean(h->pw))
        return arg_err(err, "PW", "contains a delimiter");
    if (h->flag > 255)
        return arg_err(err, "Flag", "must be 0-255");
    if (h->pnum > 0 && (h->pnum > 9999 || h->pno < 1 || h->pno > h->pnum))
        return arg_err(err, "PNO", "must be 1..PNUM (PNUM at most 9999)");
    if (cap < 6)
        return space_err(err, 6, cap);
    /* The segment is written straight after "##LLLL"; the length is patched in afterwards. */
    char *seg = buf + 6;
    size_t room = cap - 6, n = 0;
    int w;
#define PUT(...)                                                                                   \
    do {                                                                                           \
        w = snprintf(seg + n, room > n ? room - n : 0, __VA_ARGS__);                               \
        if (w < 0)                                                                                 \
            return arg_err(err, "header", "cannot be formatted");                                  \
        n += (size_t)w;                                                                            \
    } while (0)
    if (h->qn)
        PUT("QN=%s;", h->qn);
    PUT("ST=%s;CN=%04d;", h->st, h->cn);
    if (h->pw)
        PUT("PW=%s;", h->pw);
    PUT("MN=%s;", h->mn);
    if (h->flag >= 0)
        PUT("Flag=%d;", h->flag);
    if (h->pnum > 0)
        PUT("PNUM=%d;PNO=%d;", h->pnum, h->pno);
#undef PUT
    size_t total = 6 + n + 5 + cp_len + 2 + 4 + 2;
    if (total > cap)
        return space_err(err, total, cap);
    size_t seg_len = n + 5 + cp_len + 2;
    if (seg_len > HJ212_SEG_MAX_ABS)
        return arg_err(err, "data segment", "longer than 9999 bytes: split it (PNUM/PNO)");
    memcpy(seg + n, "CP=&&", 5);
    n += 5;
    memmove(seg + n, cp, cp_len); /* cp may already sit in buf */
    n += cp_len;
    memcpy(seg + n, "&&", 2);
    n += 2;
    char len4[5];
    snprintf(len4, sizeof len4, "%04zu", n);
    buf[0] = '#';
    buf[1] = '#';
    memcpy(buf + 2, len4, 4);
    hj212_crc_hex(hj212_crc16(seg, n), seg + n);
    seg[n + 4] = '\r';
    seg[n + 5] = '\n';
    return (int)(6 + n + 6);
}

/* ---- CP builder ----------------------------------------------------------------------- */

void hj212_cp_init(hj212_cp *cp, char *buf, size_t cap)
{
    cp->buf = buf;
    cp->cap = cap;
    cp->len = 0;
    cp->overflow = false;
}

static void cp_put(hj212_cp *cp, const char *s, size_t n)
{
    if (cp->overflow || cp->len + n > cp->cap) {
        cp->overflow = true;
        return;
    }
    memcpy(cp->buf + cp->len, s, n);
    cp->len += n;
}

static void cp_key(hj212_cp *cp, char sep, const char *code, const char *name)
{
    if (sep && cp->len)
        cp_put(cp, &sep, 1);
    cp_put(cp, code, strlen(code));
    if (name && *name) {
        cp_put(cp, "-", 1);
        cp_put(cp, name, strlen(name));
    }
    cp_put(cp, "=", 1);
}

void hj212_cp_str(hj212_cp *cp, char sep, const char *key, const char *value)
{
    cp_key(cp, sep, key, NULL);
    cp_put(cp, value, strlen(value));
}

static void cp_double(hj212_cp *cp, double v, int decimals)
{
    char t[48];
    int w;
    if (!isfinite(v)) {
        cp->overflow = true; /* table 4 type N has no NaN / infinity */
        return;
    }
    if (decimals >= 0) {
        w = snprintf(t, sizeof t, "%.*f", decimals > 6 ? 6 : decimals, v);
    } else {
        w = snprintf(t, sizeof t, "%.15g", v);
        /* %g switches to exponent form for large/small values; N has none, so fall back. */
        if (strchr(t, 'e'))
            w = snprintf(t, sizeof t, "%.6f", v);
    }
    if (w < 0 || (size_t)w >= sizeof t) {
        cp->overflow = true;
        return;
    }
    cp_put(cp, t, (size_t)w);
}

void hj212_cp_num(hj212_cp *cp, char sep, const char *code, hj212_field f, double v, int decimals)
{
    cp_key(cp, sep, code, hj212_field_name(f));
    cp_double(cp, v, decimals);
}

void hj212_cp_int(hj212_cp *cp, char sep, const char *key, long v)
{
    char t[24];
    int w = snprintf(t, sizeof t, "%ld", v);
    cp_key(cp, sep, key, NULL);
    cp_put(cp, t, (size_t)w);
}

void hj212_cp_time(hj212_cp *cp, char sep, const char *key, int64_t t_utc)
{
    char t[16];
    ew_format_compact_bj(t_utc, t, sizeof t);
    cp_key(cp, sep, key, NULL);
    cp_put(cp, t, 14);
}

void hj212_cp_flag(hj212_cp *cp, char sep, const char *code, char flag)
{
    cp_key(cp, sep, code, "Flag");
    cp_put(cp, &flag, 1);
}

/* ---- uploads ------------------------------------------------------------------------- */

int hj212_encode_upload(char *buf, size_t cap, const hj212_header *h, int64_t datatime_utc,
                        const hj212_factor *factors, size_t n, hj212_error *err)
{
    /* Annex C uploads: CP = DataTime, then per factor its fields joined by ',' and factors
     * separated by ';'. The CP text is built at the place it will occupy in the frame
     * (after a generous header allowance) and moved once by hj212_encode. */
    char cpbuf[HJ212_SEG_MAX_ABS];
    hj212_cp cp;
    hj212_cp_init(&cp, cpbuf, sizeof cpbuf);
    hj212_cp_time(&cp, 0, "DataTime", datatime_utc);
    for (size_t i = 0; i < n; i++) {
        const hj212_factor *f = &factors[i];
        if (!f->code || !clean(f->code) || !*f->code)
            return arg_err(err, "factor code", "missing or contains a delimiter");
        char sep = ';';
#define NUM(F, V)                                                                                  \
    if (f->fields & HJ212_FB(F)) {                                                                 \
        hj212_cp_num(&cp, sep, f->code, F, V, f->decimals);                                        \
        sep = ',';                                                                                 \
    }
        if (f->fields & HJ212_FB(HJ212_F_SAMPLETIME)) {
            char t[16];
            ew_format_compact_bj(f->sample_utc, t, sizeof t);
            cp_key(&cp, sep, f->code, "SampleTime");
            cp_put(&cp, t, 14);
            sep = ',';
        }
        NUM(HJ212_F_RTD, f->rtd)
        NUM(HJ212_F_MIN, f->min)
        NUM(HJ212_F_AVG, f->avg)
        NUM(HJ212_F_MAX, f->max)
        NUM(HJ212_F_ZSRTD, f->zsrtd)
        NUM(HJ212_F_ZSMIN, f->zsmin)
        NUM(HJ212_F_ZSAVG, f->zsavg)
        NUM(HJ212_F_ZSMAX, f->zsmax)
        NUM(HJ212_F_COU, f->cou)
#undef NUM
        if (f->fields & HJ212_FB(HJ212_F_RS)) {
            char t[16];
            snprintf(t, sizeof t, "%d", f->rs);
            cp_key(&cp, sep, f->code, "RS");
            cp_put(&cp, t, strlen(t));
            sep = ',';
        }
        if (f->fields & HJ212_FB(HJ212_F_RT)) {
            cp_key(&cp, sep, f->code, "RT");
            cp_double(&cp, f->rt, 2);
            sep = ',';
        }
        if (f->fields & HJ212_FB(HJ212_F_INFO)) {
            if (!f->info || strstr(f->info, "//"))
                return arg_err(err, "Info", "missing or contains \"//\"");
            cp_key(&cp, sep, f->code, "Info");
            /* §6.3.3: text values are wrapped in "//"; numeric ones are sent bare. */
            double d;
            bool numeric = hj212_parse_num(f->info, strlen(f->info), &d) == 0;
            if (!numeric)
                cp_put(&cp, "//", 2);
            cp_put(&cp, f->info, strlen(f->info));
            if (!numeric)
                cp_put(&cp, "//", 2);
            sep = ',';
        }
        if ((f->fields & HJ212_FB(HJ212_F_FLAG)) && f->flag) {
            hj212_cp_flag(&cp, sep, f->code, f->flag);
            sep = ',';
        }
        if ((f->fields & HJ212_FB(HJ212_F_EFLAG)) && f->eflag) {
            if (!clean(f->eflag))
                return arg_err(err, "EFlag", "contains a delimiter");
            cp_key(&cp, sep, f->code, "EFlag");
            cp_put(&cp, f->eflag, strlen(f->eflag));
        }
    }
    if (cp.overflow)
        return arg_err(err, "CP", "longer than 9999 bytes or a value is not a finite number");
    return hj212_encode(buf, cap, h, cpbuf, cp.len, err);
}

/* ---- replies and requests -------------------------------------------------------------- */

int hj212_encode_reply(char *buf, size_t cap, const hj212_packet *req, int cn, int rtn,
                       hj212_error *err)
{
    if (cn != 9011 && cn != 9012 && cn != 9013 && cn != 9014)
        return arg_err(err, "CN", "a reply is 9011, 9012, 9013 or 9014");
    if (cn == 9011 && !hj212_qnrtn_text(rtn))
        return arg_err(err, "QnRtn", "not a code of HJ 212-2017 table 6");
    if (cn == 9012 && !hj212_exertn_text(rtn))
        return arg_err(err, "ExeRtn", "not a code of HJ 212-2017 table 7");
    char qn[32], pw[64], mn[64];
    if (req->qn.n >= sizeof qn || req->pw.n >= sizeof pw || req->mn.n >= sizeof mn)
        return arg_err(err, "request", "QN, PW or MN too long to echo");
    memcpy(qn, req->qn.p ? req->qn.p : "", req->qn.n);
    qn[req->qn.n] = 0;
    memcpy(pw, req->pw.p ? req->pw.p : "", req->pw.n);
    pw[req->pw.n] = 0;
    memcpy(mn, req->mn.p ? req->mn.p : "", req->mn.n);
    mn[req->mn.n] = 0;
    /* §6.5 / Annex C: replies echo QN, PW and MN, use ST=91 and the peer's version bits with
     * D = A = 0 (Flag=4 for a 2017 peer). */
    hj212_header h = {
        .qn = req->qn.n ? qn : NULL,
        .st = "91",
        .cn = cn,
        .pw = req->pw.n ? pw : NULL,
        .mn = mn,
        .flag = hj212_flag_make(req->version, false, false),
    };
    char cpb[64];
    hj212_cp cp;
    hj212_cp_init(&cp, cpb, sizeof cpb);
    if (req->version == HJ212_V2005 && req->flag < 0 && req->qn.n) {
        /* HJ/T 212-2005 replies carried the request's QN inside CP and no Flag. */
        h.qn = NULL;
        h.flag = -1;
        hj212_cp_str(&cp, 0, "QN", qn);
    }
    if (cn == 9011)
        hj212_cp_int(&cp, ';', "QnRtn", rtn);
    else if (cn == 9012)
        hj212_cp_int(&cp, ';', "ExeRtn", rtn);
    return hj212_encode(buf, cap, &h, cpb, cp.len, err);
}

int hj212_encode_set_time(char *buf, size_t cap, hj212_header *h, const char *polid,
                          int64_t system_utc, hj212_error *err)
{
    /* Annex C (1012): CP=&&[PolId=xxx;]SystemTime=YYYYMMDDhhmmss&& */
    char cpb[64];
    hj212_cp cp;
    hj212_cp_init(&cp, cpb, sizeof cpb);
    if (polid) {
        if (!clean(polid) || strlen(polid) > 24)
            return arg_err(err, "PolId", "too long or contains a delimiter");
        hj212_cp_str(&cp, 0, "PolId", polid);
    }
    hj212_cp_time(&cp, ';', "SystemTime", system_utc);
    h->cn = 1012;
    return hj212_encode(buf, cap, h, cpb, cp.len, err);
}

int hj212_encode_history(char *buf, size_t cap, hj212_header *h, int cn, int64_t begin_utc,
                         int64_t end_utc, hj212_error *err)
{
    /* Annex C (2031/2041/2051/2061 requests): CP=&&BeginTime=...;EndTime=...&& */
    if (cn != 2031 && cn != 2041 && cn != 2051 && cn != 2061)
        return arg_err(err, "CN", "a history request is 2031, 2041, 2051 or 2061");
    if (end_utc < begin_utc)
        return arg_err(err, "EndTime", "is before BeginTime");
    char cpb[64];
    hj212_cp cp;
    hj212_cp_init(&cp, cpb, sizeof cpb);
    hj212_cp_time(&cp, 0, "BeginTime", begin_utc);
    hj212_cp_time(&cp, ';', "EndTime", end_utc);
    h->cn = cn;
    return hj212_encode(buf, cap, h, cpb, cp.len, err);
}

int hj212_encode_simple(char *buf, size_t cap, hj212_header *h, int cn, const char *key, long v,
                        hj212_error *err)
{
    char cpb[64];
    hj212_cp cp;
    hj212_cp_init(&cp, cpb, sizeof cpb);
    if (key) {
        if (!clean(key) || strlen(key) > 32)
            return arg_err(err, "key", "too long or contains a delimiter");
        hj212_cp_int(&cp, 0, key, v);
    }
    h->cn = cn;
    return hj212_encode(buf, cap, h, cpb, cp.len, err);
}

int hj212_encode_timeouts(char *buf, size_t cap, hj212_header *h, int overtime_s, int recount,
                          hj212_error *err)
{
    /* §6.2 / table 1 and Annex C (1000): OverTime 0 < n <= 99 s, ReCount 0 < n <= 99. */
    if (overtime_s < 1 || overtime_s > 99)
        return arg_err(err, "OverTime", "must be 1-99 seconds");
    if (recount < 1 || recount > 99)
        return arg_err(err, "ReCount", "must be 1-99");
    char cpb[64];
    hj212_cp cp;
    hj212_cp_init(&cp, cpb, sizeof cpb);
    hj212_cp_int(&cp, 0, "OverTime", overtime_s);
    hj212_cp_int(&cp, ';', "ReCount", recount);
    h->cn = 1000;
    return hj212_encode(buf, cap, h, cpb, cp.len, err);
}

const char *hj212_err_name(int err)
{
    switch (err) {
    case HJ212_OK:
        return "ok";
    case HJ212_E_GARBAGE:
        return "garbage";
    case HJ212_E_LENGTH:
        return "bad_length";
    case HJ212_E_OVERSIZE:
        return "oversize";
    case HJ212_E_TAIL:
        return "bad_tail";
    case HJ212_E_CRC_SYNTAX:
        return "bad_crc_field";
    case HJ212_E_CRC:
        return "bad_crc";
    case HJ212_E_TRUNCATED:
        return "truncated";
    case HJ212_E_FIELD:
        return "bad_field";
    case HJ212_E_CP:
        return "bad_cp";
    case HJ212_E_ITEMS:
        return "too_many_items";
    case HJ212_E_PIECE:
        return "bad_piece";
    case HJ212_E_SPACE:
        return "no_space";
    case HJ212_E_ARG:
        return "bad_argument";
    }
    return "unknown";
}
