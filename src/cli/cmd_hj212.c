/* envwatch hj212: decode, encode and check HJ 212 byte streams.
 *
 *   decode [FILE|-]  one JSON object per line: per frame its header, version and typed CP
 *                    items; per rejected run of bytes {"offset","len","reason","error"}
 *   encode [FILE|-]  JSON lines (decode's output or hand-written) back to frames
 *   check  [FILE|-]  framing, CRC and structure of a whole stream; one summary line
 *
 * The codec (src/hj212) does the work; this file only moves bytes and JSON. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "hj212/hj212.h"

/* Pipes and terminals are read in chunks this large; regular files are mapped whole. */
#define READ_CHUNK (4u << 20)

static void usage(FILE *out)
{
    fprintf(out,
            "usage: envwatch hj212 decode [--max-seg N] [--strict] [FILE|-]\n"
            "       envwatch hj212 encode [FILE|-]\n"
            "       envwatch hj212 check  [--max-seg N] [--strict] [FILE|-]\n"
            "\n"
            "decode  print one JSON object per line for every frame (header fields, version,\n"
            "        typed CP items) and for every rejected run of bytes (\"error\", \"offset\")\n"
            "encode  read JSON objects (as decode prints them) and write the frames\n"
            "check   verify framing, CRC and packet structure; print one summary line\n"
            "\n"
            "--max-seg N  accept data segments up to N bytes (default 1024, HJ 212-2017;\n"
            "             at most 9999)\n"
            "--strict     refuse lower-case CRCs and LF-only or missing tails\n"
            "exit status: 0 all frames good, 1 bad frames found, 2 usage, 3 I/O error\n");
}

typedef struct opts {
    hj212_framer_opts fo;
    const char *path;
} opts;

static int parse_opts(int argc, char **argv, opts *o, bool framing)
{
    memset(o, 0, sizeof *o);
    o->path = "-";
    bool have_path = false;
    for (int i = 2; i < argc; i++) {
        if (framing && !strcmp(argv[i], "--strict")) {
            o->fo.strict = true;
        } else if (framing && !strcmp(argv[i], "--max-seg") && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > HJ212_SEG_MAX_ABS) {
                fprintf(stderr, "envwatch hj212: --max-seg: '%s' is not 1-9999\n", argv[i]);
                return -1;
            }
            o->fo.seg_max = (uint16_t)v;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "envwatch hj212: unknown option '%s'\n", argv[i]);
            return -1;
        } else if (!have_path) {
            o->path = argv[i];
            have_path = true;
        } else {
            fprintf(stderr, "envwatch hj212: one input file at most\n");
            return -1;
        }
    }
    return 0;
}

static int open_input(const char *path)
{
    if (!strcmp(path, "-"))
        return STDIN_FILENO;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        fprintf(stderr, "envwatch hj212: %s: %s\n", path, strerror(errno));
    return fd;
}

static ssize_t read_some(int fd, char *buf, size_t cap)
{
    for (;;) {
        ssize_t n = read(fd, buf, cap);
        if (n >= 0 || errno != EINTR)
            return n;
    }
}

/* ---- JSON helpers ------------------------------------------------------------------- */

/* A JSON string for raw bytes. HJ 212 text is UTF-8 (§6.3), but devices send GBK: bytes
 * that are not UTF-8 are shown as \xNN and the exact bytes are kept in "<name>_hex". */
static void set_str(json_t *obj, const char *name, hj212_str s)
{
    json_t *j = json_stringn(s.p ? s.p : "", s.n);
    if (j) {
        json_object_set_new(obj, name, j);
        return;
    }
    char *shown = xmalloc(s.n * 4 + 1), *hex = xmalloc(s.n * 2 + 1);
    size_t k = 0;
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c < 0x80)
            shown[k++] = (char)c;
        else
            k += (size_t)sprintf(shown + k, "\\x%02X", c);
        sprintf(hex + 2 * i, "%02X", c);
    }
    shown[k] = 0;
    hex[2 * s.n] = 0;
    json_object_set_new(obj, name, json_string(shown));
    char hname[64];
    snprintf(hname, sizeof hname, "%s_hex", name);
    json_object_set_new(obj, hname, json_string(hex));
    free(shown);
    free(hex);
}

static json_t *defect_list(unsigned frame_defects, unsigned pkt_defects)
{
    static const struct {
        unsigned bit;
        bool pkt;
        const char *name;
    } names[] = {
        {HJ212_DEF_CRC_LOWER, false, "crc_lower_case"},
        {HJ212_DEF_TAIL_LF, false, "tail_lf_only"},
        {HJ212_DEF_TAIL_NONE, false, "tail_missing"},
        {HJ212_DEF_OVER_STD, false, "segment_over_1024"},
        {HJ212_PDEF_CP_UNCLOSED, true, "cp_unclosed"},
        {HJ212_PDEF_HDR_ORDER, true, "header_order"},
        {HJ212_PDEF_HDR_UNKNOWN, true, "header_unknown_field"},
        {HJ212_PDEF_HDR_DUP, true, "header_duplicate_field"},
        {HJ212_PDEF_QN_FORMAT, true, "qn_format"},
        {HJ212_PDEF_PIECE, true, "pnum_pno_vs_flag"},
        {HJ212_PDEF_BAD_VALUE, true, "bad_value"},
        {HJ212_PDEF_EMPTY_ENTRY, true, "empty_entry"},
        {HJ212_PDEF_NO_EQ, true, "entry_without_equals"},
    };
    json_t *a = json_array();
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if ((names[i].pkt ? pkt_defects : frame_defects) & names[i].bit)
            json_array_append_new(a, json_string(names[i].name));
    return a;
}

static json_t *packet_json(const hj212_frame *fr, const hj212_packet *pk)
{
    json_t *o = json_object();
    char crc[5] = {0}, iso[32];
    hj212_crc_hex(fr->crc, crc);
    json_object_set_new(o, "offset", json_integer((json_int_t)fr->offset));
    json_object_set_new(o, "len", json_integer((json_int_t)fr->raw_len));
    json_object_set_new(o, "crc", json_string(crc));
    if (pk->qn.n)
        set_str(o, "qn", pk->qn);
    set_str(o, "st", pk->st);
    json_object_set_new(o, "cn", json_integer(pk->cn));
    if (pk->pw.n)
        set_str(o, "pw", pk->pw);
    set_str(o, "mn", pk->mn);
    if (pk->flag >= 0)
        json_object_set_new(o, "flag", json_integer(pk->flag));
    const char *vn = hj212_version_name(pk->version);
    json_object_set_new(o, "version", vn ? json_string(vn) : json_integer(pk->version));
    json_object_set_new(o, "split", json_boolean(pk->split));
    json_object_set_new(o, "ack", json_boolean(pk->ack));
    if (pk->pnum) {
        json_object_set_new(o, "pnum", json_integer(pk->pnum));
        json_object_set_new(o, "pno", json_integer(pk->pno));
    }
    const hj212_st_info *st = hj212_st_find(pk->st);
    if (st)
        json_object_set_new(o, "system", json_string(st->name_en));
    const hj212_cn_info *cn = hj212_cn_find(pk->cn);
    if (cn)
        json_object_set_new(o, "command", json_string(cn->name_en));
    if (pk->has_datatime) {
        ew_format_iso_bj(pk->datatime_utc, iso, sizeof iso);
        json_object_set_new(o, "datatime", json_string(iso));
    }
    json_t *cp = json_array();
    for (size_t i = 0; i < pk->n_items; i++) {
        const hj212_item *it = &pk->items[i];
        json_t *j = json_object();
        set_str(j, "key", it->key);
        if (it->name.n) {
            set_str(j, "code", it->code);
            set_str(j, "field", it->name);
        }
        switch (it->vtype) {
        case HJ212_VT_NUM:
            json_object_set_new(j, "value", json_real(it->num));
            break;
        case HJ212_VT_TIME:
            ew_format_iso_bj(it->t_utc, iso, sizeof iso);
            json_object_set_new(j, "value", json_string(iso));
            break;
        case HJ212_VT_TEXT:
            set_str(j, "value", it->value);
            break;
        case HJ212_VT_EMPTY:
            json_object_set_new(j, "value", json_null());
            break;
        case HJ212_VT_BAD:
            json_object_set_new(j, "value", json_null());
            json_object_set_new(j, "bad", json_true());
            break;
        }
        set_str(j, "raw", it->raw);
        if (it->sep) {
            char sep[2] = {it->sep, 0};
            json_object_set_new(j, "sep", json_string(sep));
        }
        if (it->field == HJ212_F_FLAG && it->vtype == HJ212_VT_TEXT) {
            const char *m = hj212_flag_meaning(it->value, pk->version, false);
            if (m)
                json_object_set_new(j, "meaning", json_string(m));
        }
        if (it->name.n || it->field == HJ212_F_OTHER) {
            const hj212_param *pa = hj212_param_find(it->code);
            if (pa)
                json_object_set_new(j, "param", json_string(pa->code));
        }
        json_array_append_new(cp, j);
    }
    json_object_set_new(o, "cp", cp);
    json_object_set_new(o, "defects", defect_list(fr->defects, pk->defects));
    return o;
}

static void print_json(json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    puts(s);
    free(s);
    json_decref(o);
}

static json_t *error_json(uint64_t off, uint64_t len, int code, const char *msg)
{
    json_t *o = json_object();
    json_object_set_new(o, "offset", json_integer((json_int_t)off));
    json_object_set_new(o, "len", json_integer((json_int_t)len));
    json_object_set_new(o, "reason", json_string(hj212_err_name(code)));
    json_object_set_new(o, "error", json_string(msg));
    return o;
}

/* ---- decode and check ------------------------------------------------------------------ */

typedef struct tally {
    uint64_t frames, good, bad, bytes;
    uint64_t by_reason[32]; /* index: -hj212_err */
} tally;

static hj212_item g_items[HJ212_ITEMS_MAX(HJ212_SEG_MAX_ABS)];

/* One event; prints when pr is set. Returns true if it was a good packet. */
static bool handle(const hj212_frame_event *ev, tally *t, bool pr)
{
    if (ev->kind != HJ212_OK) {
        if (ev->kind != HJ212_E_GARBAGE)
            t->frames++;
        t->bad++;
        t->by_reason[-ev->kind & 31]++;
        if (pr)
            print_json(error_json(ev->offset, ev->len, ev->kind, ev->msg));
        return false;
    }
    t->frames++;
    hj212_packet pk;
    hj212_error err;
    /* g_items never fills (HJ212_ITEMS_MAX), so without output the header decides. */
    int rc = pr ? hj212_parse(ev->frame.seg, ev->frame.seg_len, &pk, g_items,
                              sizeof g_items / sizeof g_items[0], &err)
                : hj212_parse_header(ev->frame.seg, ev->frame.seg_len, &pk, &err);
    if (rc < 0) {
        t->bad++;
        t->by_reason[-rc & 31]++;
        if (pr) {
            json_t *o = error_json(ev->offset, ev->len, rc, err.msg);
            json_object_set_new(o, "segment_offset", json_integer((json_int_t)err.offset));
            print_json(o);
        }
        return false;
    }
    t->good++;
    if (pr)
        print_json(packet_json(&ev->frame, &pk));
    return true;
}

/* A regular file as one chunk: the framer then copies nothing and reads the page cache in
 * place (a read() would first copy every byte). Returns 1 if the file was framed this way,
 * 0 if it must be read (pipe, terminal, or a file mmap refuses). */
static int map_stream(int fd, hj212_framer *f, tally *t, bool pr)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (uint64_t)st.st_size > SIZE_MAX)
        return 0;
    size_t n = (size_t)st.st_size;
    void *m = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED)
        return 0;
    madvise(m, n, MADV_SEQUENTIAL);
    hj212_frame_event ev;
    t->bytes += n;
    hj212_framer_feed(f, m, n);
    while (hj212_framer_next(f, &ev))
        handle(&ev, t, pr);
    while (hj212_framer_finish(f, &ev))
        handle(&ev, t, pr);
    munmap(m, n);
    return 1;
}

static int run_stream(const opts *o, bool pr, tally *t)
{
    int fd = open_input(o->path);
    if (fd < 0)
        return EW_EXIT_RUNTIME;
    hj212_framer f;
    hj212_framer_init(&f, &o->fo);
    int rc = EW_EXIT_OK;
    if (map_stream(fd, &f, t, pr)) {
        hj212_framer_free(&f);
        if (fd != STDIN_FILENO)
            close(fd);
        return t->bad ? EW_EXIT_FOUND : EW_EXIT_OK;
    }
    char *buf = xmalloc(READ_CHUNK);
    hj212_frame_event ev;
    for (;;) {
        ssize_t n = read_some(fd, buf, READ_CHUNK);
        if (n < 0) {
            fprintf(stderr, "envwatch hj212: %s: %s\n", o->path, strerror(errno));
            rc = EW_EXIT_RUNTIME;
            break;
        }
        if (n == 0)
            break;
        t->bytes += (uint64_t)n;
        hj212_framer_feed(&f, buf, (size_t)n);
        while (hj212_framer_next(&f, &ev))
            handle(&ev, t, pr);
    }
    if (rc == EW_EXIT_OK)
        while (hj212_framer_finish(&f, &ev))
            handle(&ev, t, pr);
    hj212_framer_free(&f);
    free(buf);
    if (fd != STDIN_FILENO)
        close(fd);
    if (rc == EW_EXIT_OK && t->bad)
        rc = EW_EXIT_FOUND;
    return rc;
}

static int cmd_decode(int argc, char **argv)
{
    opts o;
    if (parse_opts(argc, argv, &o, true) < 0)
        return EW_EXIT_USAGE;
    tally t = {0};
    return run_stream(&o, true, &t);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmd_check(int argc, char **argv)
{
    opts o;
    if (parse_opts(argc, argv, &o, true) < 0)
        return EW_EXIT_USAGE;
    tally t = {0};
    double t0 = now_s();
    int rc = run_stream(&o, false, &t);
    double dt = now_s() - t0;
    if (rc == EW_EXIT_RUNTIME)
        return rc;
    printf("frames %llu good %llu bad %llu", (unsigned long long)t.frames,
           (unsigned long long)t.good, (unsigned long long)t.bad);
    bool any = false;
    for (int i = 1; i < 32; i++)
        if (t.by_reason[i]) {
            printf("%s%s=%llu", any ? " " : " (", hj212_err_name(-i),
                   (unsigned long long)t.by_reason[i]);
            any = true;
        }
    printf("%s bytes %llu time %.3f s %.1f MB/s\n", any ? ")" : "", (unsigned long long)t.bytes, dt,
           dt > 0 ? (double)t.bytes / dt / 1e6 : 0.0);
    return rc;
}

/* ---- encode ------------------------------------------------------------------------------ */

/* A header string field: NULL when absent. Returns -1 if present but not a string. */
static int get_str(json_t *o, const char *k, const char **out)
{
    json_t *v = json_object_get(o, k);
    *out = NULL;
    if (!v)
        return 0;
    if (!json_is_string(v))
        return -1;
    *out = json_string_value(v);
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The exact bytes of item field k: "<k>_hex" if present (non-UTF-8 originals), else the
 * string. Appends to cp. */
static int put_bytes(hj212_cp *cp, json_t *item, const char *k)
{
    char hk[32];
    snprintf(hk, sizeof hk, "%s_hex", k);
    json_t *h = json_object_get(item, hk);
    if (json_is_string(h)) {
        const char *s = json_string_value(h);
        size_t n = strlen(s);
        if (n % 2)
            return -1;
        for (size_t i = 0; i < n; i += 2) {
            int a = hexval(s[i]), b = hexval(s[i + 1]);
            if (a < 0 || b < 0)
                return -1;
            if (cp->len >= cp->cap) {
                cp->overflow = true;
                return 0;
            }
            cp->buf[cp->len++] = (char)(a << 4 | b);
        }
        return 0;
    }
    json_t *v = json_object_get(item, k);
    if (!json_is_string(v))
        return -1;
    size_t n = json_string_length(v);
    if (cp->len + n > cp->cap) {
        cp->overflow = true;
        return 0;
    }
    memcpy(cp->buf + cp->len, json_string_value(v), n);
    cp->len += n;
    return 0;
}

static int encode_one(json_t *o, char *frame, size_t cap, char *msg, size_t msgcap)
{
    hj212_header h = {.flag = -1};
    json_t *cn = json_object_get(o, "cn");
    if (!json_is_integer(cn)) {
        snprintf(msg, msgcap, "cn: missing or not an integer");
        return -1;
    }
    h.cn = (int)json_integer_value(cn);
    if (get_str(o, "qn", &h.qn) || get_str(o, "st", &h.st) || get_str(o, "pw", &h.pw) ||
        get_str(o, "mn", &h.mn)) {
        snprintf(msg, msgcap, "qn, st, pw, mn: must be strings");
        return -1;
    }
    json_t *fl = json_object_get(o, "flag");
    if (fl) {
        if (!json_is_integer(fl)) {
            snprintf(msg, msgcap, "flag: not an integer");
            return -1;
        }
        h.flag = (int)json_integer_value(fl);
    }
    json_t *pn = json_object_get(o, "pnum"), *po = json_object_get(o, "pno");
    if (pn || po) {
        if (!json_is_integer(pn) || !json_is_integer(po)) {
            snprintf(msg, msgcap, "pnum, pno: both needed, as integers");
            return -1;
        }
        h.pnum = (int)json_integer_value(pn);
        h.pno = (int)json_integer_value(po);
    }
    static char cpbuf[HJ212_SEG_MAX_ABS];
    hj212_cp cp;
    hj212_cp_init(&cp, cpbuf, sizeof cpbuf);
    json_t *items = json_object_get(o, "cp");
    if (items && !json_is_array(items)) {
        snprintf(msg, msgcap, "cp: not an array");
        return -1;
    }
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *sep = NULL;
        if (!json_is_object(it) || get_str(it, "sep", &sep)) {
            snprintf(msg, msgcap, "cp[%zu]: not an object with string fields", i);
            return -1;
        }
        if (i > 0) {
            char c = sep && *sep ? *sep : ';';
            if (cp.len < cp.cap)
                cp.buf[cp.len++] = c;
            else
                cp.overflow = true;
        }
        if (put_bytes(&cp, it, "key") < 0) {
            snprintf(msg, msgcap, "cp[%zu].key: missing or not a string", i);
            return -1;
        }
        if (cp.len < cp.cap)
            cp.buf[cp.len++] = '=';
        else
            cp.overflow = true;
        /* "raw" keeps the value exactly as sent; without it a number or string value. */
        json_t *raw = json_object_get(it, "raw"), *val = json_object_get(it, "value");
        if (raw || json_object_get(it, "raw_hex")) {
            if (put_bytes(&cp, it, "raw") < 0) {
                snprintf(msg, msgcap, "cp[%zu].raw: not a string", i);
                return -1;
            }
        } else if (json_is_number(val)) {
            hj212_cp tmp;
            char t[64];
            hj212_cp_init(&tmp, t, sizeof t);
            hj212_cp_num(&tmp, 0, "", HJ212_F_OTHER, json_number_value(val), -1);
            /* tmp holds "=<number>": skip the '=' */
            if (cp.len + tmp.len - 1 > cp.cap)
                cp.overflow = true;
            else {
                memcpy(cp.buf + cp.len, t + 1, tmp.len - 1);
                cp.len += tmp.len - 1;
            }
        } else if (json_is_string(val)) {
            if (put_bytes(&cp, it, "value") < 0)
                return -1;
        } else if (!json_is_null(val) && val) {
            snprintf(msg, msgcap, "cp[%zu].value: not a number, string or null", i);
            return -1;
        }
    }
    if (cp.overflow) {
        snprintf(msg, msgcap, "cp: longer than 9999 bytes");
        return -1;
    }
    hj212_error err;
    int n = hj212_encode(frame, cap, &h, cp.buf, cp.len, &err);
    if (n < 0) {
        snprintf(msg, msgcap, "%s", err.msg);
        return -1;
    }
    return n;
}

static int cmd_encode(int argc, char **argv)
{
    opts o;
    if (parse_opts(argc, argv, &o, false) < 0)
        return EW_EXIT_USAGE;
    FILE *in = strcmp(o.path, "-") ? fopen(o.path, "r") : stdin;
    if (!in) {
        fprintf(stderr, "envwatch hj212: %s: %s\n", o.path, strerror(errno));
        return EW_EXIT_RUNTIME;
    }
    static char frame[HJ212_FRAME_MAX(HJ212_SEG_MAX_ABS)];
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = EW_EXIT_OK;
    long lineno = 0;
    while ((len = getline(&line, &cap, in)) > 0) {
        lineno++;
        json_error_t jerr;
        json_t *obj = json_loadb(line, (size_t)len, 0, &jerr);
        if (!obj) {
            if (strspn(line, " \t\r\n") == (size_t)len)
                continue;
            fprintf(stderr, "envwatch hj212 encode: line %ld: %s\n", lineno, jerr.text);
            rc = EW_EXIT_FOUND;
            continue;
        }
        if (json_object_get(obj, "error")) { /* decode's record of rejected bytes */
            json_decref(obj);
            continue;
        }
        char msg[200];
        int n = encode_one(obj, frame, sizeof frame, msg, sizeof msg);
        json_decref(obj);
        if (n < 0) {
            fprintf(stderr, "envwatch hj212 encode: line %ld: %s\n", lineno, msg);
            rc = EW_EXIT_FOUND;
            continue;
        }
        fwrite(frame, 1, (size_t)n, stdout);
    }
    free(line);
    if (in != stdin)
        fclose(in);
    return rc;
}

int cmd_hj212(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EW_EXIT_USAGE : EW_EXIT_OK;
    }
    if (!strcmp(argv[1], "decode"))
        return cmd_decode(argc, argv);
    if (!strcmp(argv[1], "encode"))
        return cmd_encode(argc, argv);
    if (!strcmp(argv[1], "check"))
        return cmd_check(argc, argv);
    fprintf(stderr, "envwatch hj212: '%s' is not decode, encode or check\n", argv[1]);
    usage(stderr);
    return EW_EXIT_USAGE;
}
