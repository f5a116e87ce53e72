/* hj212 parser: one data segment -> hj212_packet, without allocating.
 *
 * HJ 212-2017 §6.3.2 table 3 (header fields QN ST CN PW MN Flag PNUM PNO CP, ';'-separated)
 * and §6.3.3 table 4 (CP data area: entries Name=value, ';' between items, ',' between the
 * fields of one factor, "//" brackets around log text). Real devices reorder and omit
 * header fields, confuse ';' and ',', and send values that are not numbers; those are
 * recorded as defects, never as failures, so that one odd value does not lose a packet. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hj212/hj212.h"

bool hj212_str_eq(hj212_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n == n && memcmp(s.p, lit, n) == 0;
}

static void fail(hj212_error *err, int code, size_t off, const char *fmt, const char *field,
                 hj212_str v)
{
    if (!err)
        return;
    char shown[48];
    size_t k = 0;
    for (size_t i = 0; i < v.n && k + 5 < sizeof shown; i++) {
        unsigned char c = (unsigned char)v.p[i];
        if (c >= 0x20 && c < 0x7f)
            shown[k++] = (char)c;
        else
            k += (size_t)snprintf(shown + k, sizeof shown - k, "\\x%02X", c);
    }
    shown[k] = 0;
    err->code = code;
    err->offset = off;
    snprintf(err->msg, sizeof err->msg, fmt, field, shown);
}

static inline bool is_pad(char c)
{
    /* Space and control characters (tab, CR, LF) never belong to a name or value. */
    return (unsigned char)c <= ' ';
}

static inline hj212_str trim(const char *p, size_t n)
{
    /* Real devices put spaces around '=' and after ';'; conforming ones never do, so the
     * common case costs two compares. */
    while (n && is_pad(*p)) {
        p++;
        n--;
    }
    while (n && is_pad(p[n - 1]))
        n--;
    return (hj212_str){p, n};
}

/* ---- numbers ---------------------------------------------------------------------- */

static const double pow10_tab[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static inline int parse_num(const char *p, size_t n, double *out)
{
    /* Table 4 type N: optional sign, digits, optional decimal point; exponents are accepted
     * because some instruments print them. Up to 19 digits accumulate exactly in 64 bits. */
    size_t i = 0;
    bool neg = false;
    if (i < n && (p[i] == '+' || p[i] == '-'))
        neg = p[i++] == '-';
    uint64_t mant = 0;
    size_t int0 = i;
    unsigned d;
    while (i < n && (d = (unsigned)(unsigned char)p[i] - '0') < 10) {
        mant = mant * 10 + d;
        i++;
    }
    size_t digits = i - int0, frac = 0;
    if (i < n && p[i] == '.') {
        size_t f0 = ++i;
        while (i < n && (d = (unsigned)(unsigned char)p[i] - '0') < 10) {
            mant = mant * 10 + d;
            i++;
        }
        frac = i - f0;
        digits += frac;
    }
    if (digits == 0)
        return -1;
    int exp10 = 0;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (p[i] == '+' || p[i] == '-'))
            eneg = p[i++] == '-';
        size_t e0 = i;
        for (; i < n && (unsigned char)(p[i] - '0') < 10; i++)
            if (exp10 < 10000)
                exp10 = exp10 * 10 + (p[i] - '0');
        if (i == e0)
            return -1;
        if (eneg)
            exp10 = -exp10;
    }
    if (i != n)
        return -1;
    long e = (long)exp10 - (long)frac;
    if (digits <= 19 && mant <= (1ull << 53) && e >= -22 && e <= 22) {
        /* Both operands exact, so one IEEE operation rounds correctly (Clinger's fast path). */
        double v = e < 0 ? (double)mant / pow10_tab[-e] : (double)mant * pow10_tab[e];
        *out = neg ? -v : v;
        return 0;
    }
    char tmp[128];
    if (n >= sizeof tmp)
        return -1;
    memcpy(tmp, p, n);
    tmp[n] = 0;
    double v = strtod(tmp, NULL);
    if (!isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int hj212_parse_num(const char *p, size_t n, double *out)
{
    return parse_num(p, n, out);
}

/* ---- field names (table 4) ---------------------------------------------------------- */

static const char *const field_names[HJ212_F__COUNT] = {
    [HJ212_F_OTHER] = "",
    [HJ212_F_RTD] = "Rtd",
    [HJ212_F_MIN] = "Min",
    [HJ212_F_AVG] = "Avg",
    [HJ212_F_MAX] = "Max",
    [HJ212_F_COU] = "Cou",
    [HJ212_F_ZSRTD] = "ZsRtd",
    [HJ212_F_ZSMIN] = "ZsMin",
    [HJ212_F_ZSAVG] = "ZsAvg",
    [HJ212_F_ZSMAX] = "ZsMax",
    [HJ212_F_FLAG] = "Flag",
    [HJ212_F_EFLAG] = "EFlag",
    [HJ212_F_SAMPLETIME] = "SampleTime",
    [HJ212_F_DATA] = "Data",
    [HJ212_F_DAYDATA] = "DayData",
    [HJ212_F_NIGHTDATA] = "NightData",
    [HJ212_F_RS] = "RS",
    [HJ212_F_RT] = "RT",
    [HJ212_F_INFO] = "Info",
    [HJ212_F_SN] = "SN",
    [HJ212_F_DATATIME] = "DataTime",
    [HJ212_F_BEGINTIME] = "BeginTime",
    [HJ212_F_ENDTIME] = "EndTime",
    [HJ212_F_SYSTEMTIME] = "SystemTime",
    [HJ212_F_RESTARTTIME] = "RestartTime",
    [HJ212_F_POLID] = "PolId",
    [HJ212_F_QNRTN] = "QnRtn",
    [HJ212_F_EXERTN] = "ExeRtn",
    [HJ212_F_RTDINTERVAL] = "RtdInterval",
    [HJ212_F_MININTERVAL] = "MinInterval",
    [HJ212_F_OVERTIME] = "OverTime",
    [HJ212_F_RECOUNT] = "ReCount",
    [HJ212_F_NEWPW] = "NewPW",
    [HJ212_F_INFOID] = "InfoId",
    [HJ212_F_QN] = "QN",
};

const char *hj212_field_name(hj212_field f)
{
    return (unsigned)f < HJ212_F__COUNT ? field_names[f] : "";
}

/* Compare with a literal byte by byte: with constant lengths the compiler turns this into a
 * few immediate compares instead of a memcmp call per CP entry. */
static inline bool eqn(const char *p, const char *lit, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != lit[i])
            return false;
    return true;
}
#define IS(lit) (n == sizeof(lit) - 1 && eqn(p, lit, sizeof(lit) - 1))

/* Suffix after the last '-' (table 4, per-factor fields). Dispatch on length first: this
 * runs once per CP entry. */
static inline hj212_field suffix_kind(const char *p, size_t n)
{
    switch (n) {
    case 2:
        return IS("RS")   ? HJ212_F_RS
               : IS("RT") ? HJ212_F_RT
               : IS("SN") ? HJ212_F_SN
                          : HJ212_F_OTHER;
    case 3:
        switch (p[0]) {
        case 'R':
            return IS("Rtd") ? HJ212_F_RTD : HJ212_F_OTHER;
        case 'A':
            return IS("Avg") ? HJ212_F_AVG : HJ212_F_OTHER;
        case 'M':
            return IS("Min") ? HJ212_F_MIN : IS("Max") ? HJ212_F_MAX : HJ212_F_OTHER;
        case 'C':
            return IS("Cou") ? HJ212_F_COU : HJ212_F_OTHER;
        }
        return HJ212_F_OTHER;
    case 4:
        return IS("Flag")   ? HJ212_F_FLAG
               : IS("Info") ? HJ212_F_INFO
               : IS("Data") ? HJ212_F_DATA
                            : HJ212_F_OTHER;
    case 5:
        if (p[0] == 'Z' && p[1] == 's') {
            hj212_field k = suffix_kind(p + 2, 3);
            return k == HJ212_F_RTD   ? HJ212_F_ZSRTD
                   : k == HJ212_F_MIN ? HJ212_F_ZSMIN
                   : k == HJ212_F_AVG ? HJ212_F_ZSAVG
                   : k == HJ212_F_MAX ? HJ212_F_ZSMAX
                                      : HJ212_F_OTHER;
        }
        return IS("EFlag") ? HJ212_F_EFLAG : HJ212_F_OTHER;
    case 7:
        return IS("DayData") ? HJ212_F_DAYDATA : HJ212_F_OTHER;
    case 9:
        return IS("NightData") ? HJ212_F_NIGHTDATA : HJ212_F_OTHER;
    case 10:
        return IS("SampleTime") ? HJ212_F_SAMPLETIME : HJ212_F_OTHER;
    }
    return HJ212_F_OTHER;
}

/* A key without '-' (table 4, plain fields). */
static hj212_field plain_kind(const char *p, size_t n)
{
    switch (n) {
    case 2:
        return IS("QN") ? HJ212_F_QN : HJ212_F_OTHER;
    case 5:
        return IS("PolId")   ? HJ212_F_POLID
               : IS("QnRtn") ? HJ212_F_QNRTN
               : IS("NewPW") ? HJ212_F_NEWPW
                             : HJ212_F_OTHER;
    case 6:
        return IS("ExeRtn") ? HJ212_F_EXERTN : IS("InfoId") ? HJ212_F_INFOID : HJ212_F_OTHER;
    case 7:
        return IS("EndTime") ? HJ212_F_ENDTIME : IS("ReCount") ? HJ212_F_RECOUNT : HJ212_F_OTHER;
    case 8:
        return IS("DataTime")   ? HJ212_F_DATATIME
               : IS("OverTime") ? HJ212_F_OVERTIME
                                : HJ212_F_OTHER;
    case 9:
        return IS("BeginTime") ? HJ212_F_BEGINTIME : HJ212_F_OTHER;
    case 10:
        return IS("SystemTime") ? HJ212_F_SYSTEMTIME : HJ212_F_OTHER;
    case 11:
        return IS("RestartTime")   ? HJ212_F_RESTARTTIME
               : IS("RtdInterval") ? HJ212_F_RTDINTERVAL
               : IS("MinInterval") ? HJ212_F_MININTERVAL
                                   : HJ212_F_OTHER;
    }
    return HJ212_F_OTHER;
}

/* ---- values ------------------------------------------------------------------------- */

/* The value's type from its field (table 4). Works on locals and returns the type, so the
 * caller stores field and type once (re-reading them from the item just written costs a
 * store-forwarding stall per entry). */
static inline hj212_vtype type_value(hj212_field field, const char *p, size_t n, double *num,
                                     int64_t *t_utc)
{
    if (n == 0)
        return HJ212_VT_EMPTY;
    switch (field) {
    case HJ212_F_FLAG:
    case HJ212_F_EFLAG:
    case HJ212_F_SN:
    case HJ212_F_POLID:
    case HJ212_F_NEWPW:
    case HJ212_F_INFOID:
    case HJ212_F_QN:
        return HJ212_VT_TEXT;
    case HJ212_F_DATATIME:
    case HJ212_F_BEGINTIME:
    case HJ212_F_ENDTIME:
    case HJ212_F_SYSTEMTIME:
    case HJ212_F_RESTARTTIME:
    case HJ212_F_SAMPLETIME: {
        /* Table 4: YYYYMMDDhhmmss, a Beijing-time label. */
        ew_civil c;
        if (ew_parse_compact(p, n, &c) != 0)
            return HJ212_VT_BAD;
        *t_utc = ew_bj_to_utc(&c);
        return HJ212_VT_TIME;
    }
    case HJ212_F_INFO:
    case HJ212_F_OTHER:
        /* Info carries numbers (parameters i13xxx) or text (logs); unknown keys either. */
        return parse_num(p, n, num) == 0 ? HJ212_VT_NUM : HJ212_VT_TEXT;
    default:
        return parse_num(p, n, num) == 0 ? HJ212_VT_NUM : HJ212_VT_BAD;
    }
}

/* ---- header ------------------------------------------------------------------------- */

enum { H_QN, H_ST, H_CN, H_PW, H_MN, H_FLAG, H_PNUM, H_PNO, H_CP, H_UNKNOWN };

static int header_key(hj212_str k)
{
    const char *p = k.p;
    size_t n = k.n;
    switch (n) {
    case 2:
        return IS("QN")   ? H_QN
               : IS("ST") ? H_ST
               : IS("CN") ? H_CN
               : IS("PW") ? H_PW
               : IS("MN") ? H_MN
               : IS("CP") ? H_CP
                          : H_UNKNOWN;
    case 3:
        return IS("PNO") ? H_PNO : H_UNKNOWN;
    case 4:
        return IS("Flag") ? H_FLAG : IS("PNUM") ? H_PNUM : H_UNKNOWN;
    }
    return H_UNKNOWN;
}

#undef IS

/* Up to maxd decimal digits and nothing else; -1 otherwise. */
static long small_int(hj212_str v, size_t maxd)
{
    if (v.n == 0 || v.n > maxd)
        return -1;
    long r = 0;
    for (size_t i = 0; i < v.n; i++) {
        if ((unsigned char)(v.p[i] - '0') >= 10)
            return -1;
        r = r * 10 + (v.p[i] - '0');
    }
    return r;
}

static const char *find2(const char *p, const char *end, char a, char b)
{
    /* First "ab" in [p, end). */
    while (p + 1 < end) {
        const char *q = memchr(p, a, (size_t)(end - p - 1));
        if (!q)
            return NULL;
        if (q[1] == b)
            return q;
        p = q + 1;
    }
    return NULL;
}

static int parse_cp(const char *seg, const char *a, const char *e, hj212_packet *pkt,
                    hj212_item *items, size_t cap, hj212_error *err);

/* The header, the CP location and (with_cp) the CP entries into items/cap. */
static int parse(const char *seg, size_t n, hj212_packet *pkt, hj212_item *items, size_t cap,
                 bool with_cp, hj212_error *err)
{
    memset(pkt, 0, sizeof *pkt);
    pkt->flag = -1;
    pkt->cn = -1;
    const char *p = seg, *end = seg + n;
    hj212_str cn_raw = {0};
    bool have[H_UNKNOWN] = {0};
    int last = -1;
    int rc;
    hj212_str none = {"", 0};
    /* Header: Key=Value fields separated by ';' up to CP (table 3). */
    for (;;) {
        if (p >= end) {
            fail(err, HJ212_E_CP, (size_t)(p - seg), "%s: missing (no CP=&& in the data segment)%s",
                 "CP", none);
            rc = HJ212_E_CP;
            goto failed;
        }
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *fe = semi ? semi : end;
        const char *eq = memchr(p, '=', (size_t)(fe - p));
        hj212_str key = trim(p, eq ? (size_t)(eq - p) : (size_t)(fe - p));
        int k = header_key(key);
        if (k == H_CP && eq) {
            const char *v = eq + 1;
            while (v < end && *v == ' ')
                v++;
            if (end - v < 2 || v[0] != '&' || v[1] != '&') {
                fail(err, HJ212_E_CP, (size_t)(v - seg), "%s: value '%s' does not start with &&",
                     "CP", (hj212_str){v, (size_t)(end - v) < 16 ? (size_t)(end - v) : 16});
                rc = HJ212_E_CP;
                goto failed;
            }
            /* §6.3.2: the data area lies between the first "CP=&&" and the last "&&". */
            const char *a = v + 2, *z = end;
            while (z > a && (z[-1] == ' ' || z[-1] == '\r' || z[-1] == '\n'))
                z--;
            if (z - a >= 2 && z[-1] == '&' && z[-2] == '&') {
                z -= 2;
            } else {
                const char *lastamp = NULL;
                for (const char *q = a; (q = find2(q, z, '&', '&')) != NULL; q += 2)
                    lastamp = q;
                if (lastamp) {
                    z = lastamp;
                } else {
                    pkt->defects |= HJ212_PDEF_CP_UNCLOSED;
                }
            }
            pkt->cp = (hj212_str){a, (size_t)(z - a)};
            break;
        }
        if (!eq) {
            fail(err, HJ212_E_FIELD, (size_t)(p - seg), "%s: header field '%s' has no '='",
                 "header", key);
            rc = HJ212_E_FIELD;
            goto failed;
        }
        hj212_str val = trim(eq + 1, (size_t)(fe - eq - 1));
        if (k == H_UNKNOWN) {
            pkt->defects |= HJ212_PDEF_HDR_UNKNOWN;
        } else if (have[k]) {
            pkt->defects |= HJ212_PDEF_HDR_DUP;
        } else {
            have[k] = true;
            if (k < last)
                pkt->defects |= HJ212_PDEF_HDR_ORDER;
            last = k;
            switch (k) {
            case H_QN:
                pkt->qn = val;
                break;
            case H_ST:
                pkt->st = val;
                break;
            case H_CN:
                cn_raw = val;
                break;
            case H_PW:
                pkt->pw = val;
                break;
            case H_MN:
                pkt->mn = val;
                break;
            case H_FLAG:
                pkt->flag_raw = val;
                break;
            case H_PNUM:
                pkt->pnum_raw = val;
                break;
            case H_PNO:
                pkt->pno_raw = val;
                break;
            }
        }
        if (!semi) {
            fail(err, HJ212_E_CP, n, "%s: missing (no CP=&& in the data segment)%s", "CP", none);
            rc = HJ212_E_CP;
            goto failed;
        }
        p = semi + 1;
    }
    /* Table 3: ST 2 chars, CN 4 digits, MN present. Lenient on widths, strict on syntax. */
    if (!have[H_ST] || pkt->st.n == 0) {
        fail(err, HJ212_E_FIELD, 0, "%s: missing%s", "ST", none);
        rc = HJ212_E_FIELD;
        goto failed;
    }
    if (!have[H_CN]) {
        fail(err, HJ212_E_FIELD, 0, "%s: missing%s", "CN", none);
        rc = HJ212_E_FIELD;
        goto failed;
    }
    long cn = small_int(cn_raw, 4);
    if (cn < 0) {
        fail(err, HJ212_E_FIELD, (size_t)(cn_raw.p - seg), "%s: '%s' is not a 4-digit command code",
             "CN", cn_raw);
        rc = HJ212_E_FIELD;
        goto failed;
    }
    pkt->cn = (int)cn;
    if (!have[H_MN] || pkt->mn.n == 0) {
        fail(err, HJ212_E_FIELD, 0, "%s: missing%s", "MN", none);
        rc = HJ212_E_FIELD;
        goto failed;
    }
    if (have[H_FLAG]) {
        long fl = small_int(pkt->flag_raw, 3);
        if (fl < 0 || fl > 255) {
            fail(err, HJ212_E_FIELD, (size_t)(pkt->flag_raw.p - seg),
                 "%s: '%s' is not an integer 0-255", "Flag", pkt->flag_raw);
            rc = HJ212_E_FIELD;
            goto failed;
        }
        /* Table 3: Flag = V5..V0 D A. */
        pkt->flag = (int)fl;
        pkt->version = (int)(fl >> 2);
        pkt->split = (fl & 2) != 0;
        pkt->ack = (fl & 1) != 0;
    } else {
        pkt->version = HJ212_V2005; /* 2005-era uploads carry no Flag */
    }
    if (have[H_PNUM] || have[H_PNO]) {
        long pn = small_int(pkt->pnum_raw, 4), po = small_int(pkt->pno_raw, 4);
        if (pn < 1 || po < 1 || po > pn) {
            hj212_str bad = pn < 1 ? pkt->pnum_raw : pkt->pno_raw;
            fail(err, HJ212_E_FIELD, bad.p ? (size_t)(bad.p - seg) : 0,
                 pn < 1 ? "%s: '%s' is not a piece count 1-9999"
                        : "%s: '%s' is not a piece number between 1 and PNUM",
                 pn < 1 ? "PNUM" : "PNO", bad);
            rc = HJ212_E_FIELD;
            goto failed;
        }
        pkt->pnum = (int)pn;
        pkt->pno = (int)po;
        if (!pkt->split && pkt->flag >= 0)
            pkt->defects |= HJ212_PDEF_PIECE;
        pkt->split = true;
    } else if (pkt->split) {
        /* Flag D without PNUM/PNO (seen from real devices): treated as unsplit. */
        pkt->defects |= HJ212_PDEF_PIECE;
        pkt->split = false;
    }
    if (pkt->qn.n) {
        if (pkt->qn.n == 17 && ew_parse_compact(pkt->qn.p, 17, &pkt->qn_time) == 0)
            pkt->has_qn_time = true;
        else
            pkt->defects |= HJ212_PDEF_QN_FORMAT;
    }
    if (with_cp) {
        rc = parse_cp(seg, pkt->cp.p, pkt->cp.p + pkt->cp.n, pkt, items, cap, err);
        if (rc < 0)
            goto failed;
    }
    return 0;
failed:
    memset(pkt, 0, sizeof *pkt);
    pkt->flag = -1;
    pkt->cn = -1;
    return rc;
}

int hj212_parse(const char *seg, size_t n, hj212_packet *pkt, hj212_item *items, size_t cap,
                hj212_error *err)
{
    return parse(seg, n, pkt, items, cap, true, err);
}

int hj212_parse_header(const char *seg, size_t n, hj212_packet *pkt, hj212_error *err)
{
    /* Every failure of hj212_parse but HJ212_E_ITEMS is decided before the CP entries. */
    return parse(seg, n, pkt, NULL, 0, false, err);
}

/* ---- CP data area (table 4) ---------------------------------------------------------- */

/* Byte classes of the CP scan (§6.3.3 delimiters). */
enum { C_SEP = 1 };
static const unsigned char cp_class[256] = {[';'] = C_SEP, [','] = C_SEP};

/* First byte in [q, e) of class >= min_class (C_SEP: ';' ','; C_SEP with eq: also '='),
 * eight bytes at a time where the buffer allows (SWAR: a byte of w ^ c is zero exactly
 * where w holds c). Names and values are a few bytes long, so this replaces most of the
 * per-byte work of the CP scan. */
static inline uint64_t zero_bytes(uint64_t x)
{
    const uint64_t lo7 = 0x7F7F7F7F7F7F7F7Full;
    return ~(((x & lo7) + lo7) | x | lo7); /* 0x80 in each byte of x that is 0 */
}

static inline const char *scan_stop(const char *q, const char *e, bool eq)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101ull;
    while (e - q >= 8) {
        uint64_t w;
        memcpy(&w, q, 8);
        uint64_t m = zero_bytes(w ^ (ones * ';')) | zero_bytes(w ^ (ones * ','));
        if (eq)
            m |= zero_bytes(w ^ (ones * '='));
        if (m)
            return q + (__builtin_ctzll(m) >> 3);
        q += 8;
    }
#endif
    while (q < e && cp_class[(unsigned char)*q] != C_SEP && !(eq && *q == '='))
        q++;
    return q;
}

static int parse_cp(const char *seg, const char *a, const char *e, hj212_packet *pkt,
                    hj212_item *items, size_t cap, hj212_error *err)
{
    size_t ni = 0;
    char sep = 0;
    const char *p = a;
    while (p < e) {
        /* One entry: Name=value up to the next ';' or ','. */
        const char *q = scan_stop(p, e, true);
        hj212_str key = trim(p, (size_t)(q - p));
        hj212_str raw, val;
        const char *next;
        if (q < e && *q == '=') {
            const char *v = q + 1;
            while (v < e && *v == ' ')
                v++;
            if (e - v >= 2 && v[0] == '/' && v[1] == '/') {
                /* §6.3.3: log text between "//" may hold any character but "//". */
                const char *close = find2(v + 2, e, '/', '/');
                const char *ve = close ? close : e;
                val = (hj212_str){v + 2, (size_t)(ve - v - 2)};
                const char *r = close ? close + 2 : e;
                while (r < e && *r != ';' && *r != ',')
                    r++;
                raw = (hj212_str){v, (size_t)(r - v)};
                next = r;
                if (!close)
                    pkt->defects |= HJ212_PDEF_BAD_VALUE;
            } else {
                const char *r = scan_stop(v, e, false);
                val = raw = trim(v, (size_t)(r - v));
                next = r;
            }
        } else {
            if (key.n == 0) {
                /* ";;" or a trailing separator: nothing to keep. */
                pkt->defects |= HJ212_PDEF_EMPTY_ENTRY;
                sep = q < e ? *q : sep;
                p = q + 1;
                continue;
            }
            pkt->defects |= HJ212_PDEF_NO_EQ;
            val = raw = (hj212_str){q, 0};
            next = q;
        }
        if (ni == cap) {
            if (err) {
                err->code = HJ212_E_ITEMS;
                err->offset = (size_t)(p - seg);
                snprintf(err->msg, sizeof err->msg,
                         "CP: more than %zu entries (the caller's item array is full)", cap);
            }
            return HJ212_E_ITEMS;
        }
        /* Split at the last '-': suffixes never contain '-', codes do not either. Suffixes
         * are short, so the backward scan is too. */
        const char *dash = NULL;
        for (const char *d = key.p + key.n; d > key.p; d--)
            if (d[-1] == '-') {
                dash = d - 1;
                break;
            }
        hj212_str code, name;
        hj212_field fk;
        if (dash) {
            code = (hj212_str){key.p, (size_t)(dash - key.p)};
            name = (hj212_str){dash + 1, (size_t)(key.p + key.n - dash - 1)};
            fk = suffix_kind(name.p, name.n);
        } else {
            code = key;
            name = (hj212_str){key.p + key.n, 0};
            fk = plain_kind(key.p, key.n);
        }
        double num = 0;
        int64_t t_utc = 0;
        hj212_vtype vt = type_value(fk, val.p, val.n, &num, &t_utc);
        hj212_item *it = &items[ni++];
        it->key = key;
        it->code = code;
        it->name = name;
        it->value = val;
        it->raw = raw;
        it->field = fk;
        it->vtype = vt;
        it->sep = sep;
        it->num = num;
        it->t_utc = t_utc;
        if (vt == HJ212_VT_BAD)
            pkt->defects |= HJ212_PDEF_BAD_VALUE;
        if (fk == HJ212_F_DATATIME && vt == HJ212_VT_TIME && !pkt->has_datatime) {
            pkt->has_datatime = true;
            pkt->datatime_utc = t_utc;
            ew_utc_to_bj(t_utc, &pkt->datatime);
        }
        if (next >= e)
            break;
        sep = *next;
        p = next + 1;
        if (p == e)
            pkt->defects |= HJ212_PDEF_EMPTY_ENTRY; /* trailing separator */
    }
    pkt->items = items;
    pkt->n_items = ni;
    return 0;
}

const hj212_item *hj212_packet_get(const hj212_packet *pkt, const char *code, hj212_field f)
{
    for (size_t i = 0; i < pkt->n_items; i++) {
        const hj212_item *it = &pkt->items[i];
        if (it->field == f && hj212_str_eq(it->code, code))
            return it;
    }
    return NULL;
}
