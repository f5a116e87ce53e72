/* hj212: the pure HJ 212 codec — CRC, stream framer, packet parser, reassembly of
 * packetised messages, code tables and encoders. No I/O, no global mutable state.
 *
 * Standards: HJ 212-2017 (the reference), HJ/T 212-2005 (read: same framing and CRC,
 * version bits 000000, legacy factor codes), HJ 212-2025 (accepted: same framing and CRC,
 * version bits 000010, i.e. Flag 8..11; new commands such as the 9015 heartbeat).
 *
 * A frame on the wire (HJ 212-2017 §6.3.1, table 2):
 *
 *     "##" LLLL <data segment, LLLL bytes> CCCC "\r\n"
 *
 * LLLL is the decimal byte length of the data segment (0..1024 in the standard, up to 9999
 * accepted when the framer is configured for it), CCCC the CRC of the data segment as four
 * hex digits. Lengths count bytes, never characters: UTF-8 (or GBK) log text is framed and
 * checksummed as raw bytes.
 *
 * Strings crossing this API are slices (hj212_str): pointer + length, not NUL-terminated,
 * borrowed from a buffer the caller owns. Each function says how long its results stay valid.
 *
 * Errors are values: fallible functions return 0 (or a positive count) on success and a
 * negative hj212_err on failure, and fill an hj212_error whose msg names the field and the
 * fault. A failed call leaves its outputs in a defined state (described per function). */
#ifndef EW_HJ212_H
#define EW_HJ212_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/bjtime.h"

#define HJ212_WARN_UNUSED __attribute__((warn_unused_result))

/* ---------------------------------------------------------------------------------------
 * Limits */

/* HJ 212-2017 table 2: data segment 0 <= n <= 1024 bytes. */
#define HJ212_SEG_MAX_STD 1024
/* The 4-digit length field cannot express more; real devices do exceed 1024. */
#define HJ212_SEG_MAX_ABS 9999
/* "##" + 4 length digits + 4 CRC digits + CR LF. */
#define HJ212_FRAME_OVERHEAD 12
/* Largest frame for a segment cap (the tail may be LF-only or absent; never longer). */
#define HJ212_FRAME_MAX(seg_max) ((size_t)(seg_max) + HJ212_FRAME_OVERHEAD)
/* An upper bound on the CP entries a segment of n bytes can hold ("a=" plus a separator is
 * the shortest entry): an items array this long never overflows. */
#define HJ212_ITEMS_MAX(n) ((size_t)(n) / 3 + 1)

/* ---------------------------------------------------------------------------------------
 * Errors */

typedef enum hj212_err {
    HJ212_OK = 0,
    /* framing (reported by the framer, each with the stream offset of the bad bytes) */
    HJ212_E_GARBAGE = -1,    /* bytes outside any frame before the next "##" */
    HJ212_E_LENGTH = -2,     /* length field not 4 decimal digits */
    HJ212_E_OVERSIZE = -3,   /* length field above the configured cap */
    HJ212_E_TAIL = -4,       /* no CR LF (nor tolerated variant) where the length puts it */
    HJ212_E_CRC_SYNTAX = -5, /* CRC field not 4 hex digits */
    HJ212_E_CRC = -6,        /* CRC mismatch */
    HJ212_E_TRUNCATED = -7,  /* stream ended inside a frame */
    /* parsing */
    HJ212_E_FIELD = -10, /* a header field is missing, malformed or out of range */
    HJ212_E_CP = -11,    /* CP data area missing or malformed */
    HJ212_E_ITEMS = -12, /* more CP entries than the caller's items array holds */
    /* reassembly */
    HJ212_E_PIECE = -20, /* PNUM/PNO inconsistent, duplicate piece, too many pieces */
    /* encoding */
    HJ212_E_SPACE = -30, /* output buffer too small */
    HJ212_E_ARG = -31,   /* an argument is invalid (names it) */
} hj212_err;

/* A short fixed name for an error code ("bad_crc", "garbage", ...), used as a reason key in
 * summaries and metrics. Never NULL. */
const char *hj212_err_name(int err);

typedef struct hj212_error {
    int code;      /* hj212_err */
    size_t offset; /* byte offset within the input of the function (segment, frame) */
    char msg[160]; /* NUL-terminated; names the field and what was wrong */
} hj212_error;

/* ---------------------------------------------------------------------------------------
 * CRC (HJ 212-2017 Annex A)
 *
 * Not CRC-16/MODBUS: the reference routine shifts the register right by 8 first and XORs
 * the byte into what is left, then runs 8 LSB-first rounds with 0xA001; initial value 0xFFFF,
 * no final XOR; over the data-segment bytes only. "123456789" -> 0x2F80. */

uint16_t hj212_crc16(const void *data, size_t n);
/* The bit-by-bit transcription of Annex A, for tests and as the definition. */
uint16_t hj212_crc16_ref(const void *data, size_t n);
/* Write crc as 4 upper-case hex digits (no NUL). */
void hj212_crc_hex(uint16_t crc, char out[4]);
/* Parse 4 hex digits, either case (real devices send lower case). Returns 0 or -1. */
int hj212_crc_parse(const char *p, uint16_t *out);

/* ---------------------------------------------------------------------------------------
 * Slices */

typedef struct hj212_str {
    const char *p;
    size_t n;
} hj212_str;

/* True if s equals the NUL-terminated lit. */
bool hj212_str_eq(hj212_str s, const char *lit);

/* ---------------------------------------------------------------------------------------
 * Streaming framer: one per TCP connection.
 *
 * Feed the bytes of each read with hj212_framer_feed(), then call hj212_framer_next() until
 * it returns 0. Each call that returns 1 yields one event: a complete frame, or an error
 * covering a run of rejected bytes with its exact stream offset and length; the stream
 * always carries on (resynchronising at the next "##").
 *
 * Zero copy: a frame wholly inside the fed chunk points into that chunk; only a frame split
 * across reads is copied into the framer's own buffer.
 *
 * Memory per connection: sizeof(hj212_framer) (about 200 bytes) plus, only while a frame is
 * split across reads, one buffer of HJ212_FRAME_MAX(seg_max) bytes (1036 with the standard's
 * cap), allocated on first need and kept until hj212_framer_free().
 *
 * Resynchronisation rules:
 *  - bytes before a "##" are reported as one HJ212_E_GARBAGE event ("###" counts its first
 *    '#' as garbage: a stray byte before a real frame, not a frame with a bad length);
 *  - a bad length field, an oversize length, or a missing tail reject the "##" they follow:
 *    the scan restarts just after that "##" (the next frame may start inside what the bad
 *    length claimed), and the event covers everything up to the next "##";
 *  - a CRC mismatch or malformed CRC field inside an otherwise well-formed frame rejects
 *    exactly that frame (HJ 212-2017 §6.5: a frame with a bad CRC is not executed).
 * Error events for rejected runs are emitted once the run's end is known (at the next "##"
 * or at hj212_framer_finish()).
 *
 * Tolerated deviations (accepted, reported in hj212_frame.defects): lower-case CRC hex,
 * LF-only tail, missing tail when the next frame's "##" follows directly. */

enum {
    HJ212_DEF_CRC_LOWER = 1u << 0, /* CRC hex digits in lower case */
    HJ212_DEF_TAIL_LF = 1u << 1,   /* tail was LF only */
    HJ212_DEF_TAIL_NONE = 1u << 2, /* no tail: next "##" (or end of stream) followed the CRC */
    HJ212_DEF_OVER_STD = 1u << 3,  /* segment longer than the standard's 1024 bytes */
};

typedef struct hj212_framer_opts {
    uint16_t seg_max; /* accepted data-segment cap: 0 = HJ212_SEG_MAX_STD; at most 9999 */
    bool strict;      /* true: reject the tolerated deviations listed above */
} hj212_framer_opts;

typedef struct hj212_frame {
    const char *seg; /* data segment, seg_len bytes (borrowed, see hj212_framer_next) */
    size_t seg_len;
    const char *raw; /* the whole frame from "##" through the tail */
    size_t raw_len;
    uint64_t offset;  /* stream offset of its "##" */
    uint16_t crc;     /* the CRC (verified) */
    unsigned defects; /* HJ212_DEF_* bits */
} hj212_frame;

typedef struct hj212_frame_event {
    int kind; /* HJ212_OK: frame is valid; else the hj212_err of the rejected run */
    hj212_frame frame;
    uint64_t offset; /* errors: stream offset of the first rejected byte */
    uint64_t len;    /* errors: number of rejected bytes */
    char msg[160];   /* errors: what was wrong, e.g. "CRC mismatch: frame says 1C81, ..." */
} hj212_frame_event;

typedef struct hj212_framer {
    hj212_framer_opts opts;
    const char *chunk; /* borrowed: the last fed chunk */
    size_t chunk_len, pos;
    char *buf; /* owned: partial frame carried across chunks (starts with '#') */
    size_t buf_len;
    uint64_t buf_off;   /* stream offset of buf[0] */
    size_t buf_done;    /* bytes of buf delivered by the last event, dropped at the next */
    uint64_t chunk_off; /* stream offset of chunk[0] */
    uint64_t rej_off;   /* start of the pending rejected run */
    uint64_t rej_len;   /* its length so far (0: none pending) */
    int rej_kind;       /* its reason */
    char rej_msg[100];
    bool at_end; /* set by hj212_framer_finish */
} hj212_framer;

void hj212_framer_init(hj212_framer *f, const hj212_framer_opts *opts /* NULL: defaults */);
/* Release the buffer. f may be re-initialised. */
void hj212_framer_free(hj212_framer *f);
/* Register the next chunk of the stream. The chunk is borrowed until hj212_framer_next()
 * returns 0; call feed only then (feeding earlier is a programming error, asserted). */
void hj212_framer_feed(hj212_framer *f, const void *data, size_t n);
/* Produce the next event: 1 = *ev filled, 0 = chunk consumed, feed more. Pointers in
 * ev->frame stay valid until the next call to hj212_framer_next/feed/free. */
int hj212_framer_next(hj212_framer *f, hj212_frame_event *ev);
/* End of stream: flush what is pending (a frame missing only its tail is delivered; a
 * partial frame becomes HJ212_E_TRUNCATED; pending rejected bytes their error). Call
 * repeatedly until it returns 0. */
int hj212_framer_finish(hj212_framer *f, hj212_frame_event *ev);
/* Total bytes fed so far. */
uint64_t hj212_framer_offset(const hj212_framer *f);

/* Frame one complete buffer holding exactly one frame (e.g. a stored raw packet). Returns 0
 * and fills *fr, or a negative hj212_err with err filled. */
int hj212_frame_one(const char *p, size_t n, const hj212_framer_opts *opts, hj212_frame *fr,
                    hj212_error *err) HJ212_WARN_UNUSED;

/* ---------------------------------------------------------------------------------------
 * Code tables: ST, CN, data flags, reply codes, factor codes (Annex B) */

/* Version bits V5..V0 of Flag (HJ 212-2017 table 3). */
enum { HJ212_V2005 = 0, HJ212_V2017 = 1, HJ212_V2025 = 2 };
/* "HJ/T 212-2005", "HJ 212-2017", "HJ 212-2025", or NULL for an unknown version. */
const char *hj212_version_name(int version);

typedef struct hj212_st_info {
    const char *st; /* 2 characters */
    const char *name_zh;
    const char *name_en;
} hj212_st_info;
/* HJ 212-2017 table 5. NULL if unknown. */
const hj212_st_info *hj212_st_find(hj212_str st);

enum { HJ212_DIR_P2F = 1, HJ212_DIR_F2P = 2, HJ212_DIR_BOTH = 3 };
typedef struct hj212_cn_info {
    int cn;
    int dir;   /* HJ212_DIR_* */
    int since; /* first version defining it (HJ212_V2005/2017/2025) */
    int until; /* last version defining it (-1: still current) */
    const char *name_zh;
    const char *name_en;
} hj212_cn_info;
/* HJ 212-2017 table 9 plus HJ/T 212-2005 and HJ 212-2025 additions. NULL if unknown. */
const hj212_cn_info *hj212_cn_find(int cn);

/* Meaning of a data flag (HJ 212-2017 table 8; HJ/T 212-2005 flags for version 0, including
 * the air-station digits 0..3). NULL if unknown for that version. */
const char *hj212_flag_meaning(hj212_str flag, int version, bool zh);
/* Whether a stored data flag says "normal measurement", the one rule for both editions:
 * N (HJ 212-2017 table 8 and HJ/T 212-2005: normal), the 2005 air-station digit 3 ("normal
 * data"; 0 calibration, 1 meteorological parameter, 2 abnormal are not), and no flag at all
 * (an absent flag, or the platform's own computed value, is taken as normal). Every other
 * flag (F M S D C T B P, the 2005 digits 0-2, provincial extensions) is the device saying its
 * value is not a valid measurement. The flag alone decides: neither edition gives a letter
 * or digit a second meaning, so the packet's version is not needed. NULL counts as absent. */
bool hj212_flag_normal(const char *flag);
/* HJ 212-2017 table 6 (QnRtn) and table 7 (ExeRtn). NULL if unknown. */
const char *hj212_qnrtn_text(int code);
const char *hj212_exertn_text(int code);
enum { /* QnRtn, table 6 */
       HJ212_QN_READY = 1,
       HJ212_QN_REFUSED = 2,
       HJ212_QN_PW_ERR = 3,
       HJ212_QN_MN_ERR = 4,
       HJ212_QN_ST_ERR = 5,
       HJ212_QN_FLAG_ERR = 6,
       HJ212_QN_QN_ERR = 7,
       HJ212_QN_CN_ERR = 8,
       HJ212_QN_CRC_ERR = 9,
       HJ212_QN_UNKNOWN = 100
};
enum { /* ExeRtn, table 7 */
       HJ212_EXE_OK = 1,
       HJ212_EXE_FAIL = 2,
       HJ212_EXE_COND = 3,
       HJ212_EXE_TIMEOUT = 4,
       HJ212_EXE_BUSY = 5,
       HJ212_EXE_FAULT = 6,
       HJ212_EXE_NODATA = 100
};

typedef struct hj212_param {
    const char *code;     /* HJ 212-2017 code, e.g. "a34013" */
    const char *old_code; /* HJ/T 212-2005 code printed beside it ("01"), or NULL */
    const char *name_zh;
    const char *name_en;
    const char *unit;     /* concentration / value unit as printed in Annex B */
    const char *unit_cou; /* unit of -Cou (emission quantity), or NULL */
    const char *type;     /* default data type, e.g. "N4" */
    int st_class;         /* 22 air, 31 flue gas, 32 wastewater, 0 several */
} hj212_param;
/* Look a factor code up: a 2017 code, else a 2005 code mapped onto its 2017 entry (so "01"
 * and "a34013" return the same entry). NULL if unknown. Borrowed static data. */
const hj212_param *hj212_param_find(hj212_str code);
/* The whole table (for listings and tests). */
const hj212_param *hj212_param_table(size_t *n);

/* ---------------------------------------------------------------------------------------
 * Packet parsing (HJ 212-2017 §6.3.2 table 3, §6.3.3 table 4)
 *
 * The header is parsed as an order-independent list of Key=Value fields up to "CP=" (real
 * devices reorder and omit fields); QN, PW, Flag, PNUM and PNO are optional, ST, CN and MN
 * required. The CP data area is everything between the first "CP=&&" and the last "&&".
 * Entries are split on both ';' and ',' (devices confuse them); the separator before each
 * entry is kept so callers can regroup. A key splits at its last '-' into code and field;
 * a value starting with "//" runs to the closing "//" (HJ 212-2017 §6.3.3, log text). */

typedef enum hj212_field {
    HJ212_F_OTHER = 0, /* unknown suffix or plain key: kept verbatim */
    /* per-factor suffixes, table 4 */
    HJ212_F_RTD,
    HJ212_F_MIN,
    HJ212_F_AVG,
    HJ212_F_MAX,
    HJ212_F_COU,
    HJ212_F_ZSRTD,
    HJ212_F_ZSMIN,
    HJ212_F_ZSAVG,
    HJ212_F_ZSMAX,
    HJ212_F_FLAG,
    HJ212_F_EFLAG,
    HJ212_F_SAMPLETIME,
    HJ212_F_DATA,
    HJ212_F_DAYDATA,
    HJ212_F_NIGHTDATA,
    HJ212_F_RS,
    HJ212_F_RT,
    HJ212_F_INFO,
    HJ212_F_SN,
    /* plain keys, table 4 */
    HJ212_F_DATATIME,
    HJ212_F_BEGINTIME,
    HJ212_F_ENDTIME,
    HJ212_F_SYSTEMTIME,
    HJ212_F_RESTARTTIME,
    HJ212_F_POLID,
    HJ212_F_QNRTN,
    HJ212_F_EXERTN,
    HJ212_F_RTDINTERVAL,
    HJ212_F_MININTERVAL,
    HJ212_F_OVERTIME,
    HJ212_F_RECOUNT,
    HJ212_F_NEWPW,
    HJ212_F_INFOID,
    HJ212_F_QN, /* QN inside CP (HJ/T 212-2005 replies) */
    HJ212_F__COUNT
} hj212_field;
/* The canonical spelling of a field ("Rtd", "DataTime", ...); "" for HJ212_F_OTHER. */
const char *hj212_field_name(hj212_field f);

typedef enum hj212_vtype {
    HJ212_VT_NUM = 0, /* num holds the value */
    HJ212_VT_TIME,    /* time holds it; t_utc the instant (Beijing label -> UTC) */
    HJ212_VT_TEXT,    /* value is text (flags, ids, log text without its "//") */
    HJ212_VT_EMPTY,   /* value present but empty */
    HJ212_VT_BAD,     /* could not be read as the field's type; value kept raw */
} hj212_vtype;

typedef struct hj212_item {
    hj212_str key;   /* "a34004-Rtd" */
    hj212_str code;  /* "a34004" (before the last '-'), or the whole key if it has none */
    hj212_str name;  /* "Rtd" (after the last '-'), empty if none */
    hj212_str value; /* the value (for log text: inside the "//"), spaces trimmed */
    hj212_str raw;   /* the value as sent (log text with its "//") */
    hj212_field field;
    hj212_vtype vtype;
    char sep;      /* separator before the entry: ';', ',' or 0 for the first */
    double num;    /* HJ212_VT_NUM */
    int64_t t_utc; /* HJ212_VT_TIME */
} hj212_item;

enum {
    HJ212_PDEF_CP_UNCLOSED = 1u << 0, /* CP had no closing "&&"; data area ran to the end */
    HJ212_PDEF_HDR_ORDER = 1u << 1,   /* header fields not in the standard's order */
    HJ212_PDEF_HDR_UNKNOWN = 1u << 2, /* unknown header field ignored */
    HJ212_PDEF_HDR_DUP = 1u << 3,     /* repeated header field (first kept) */
    HJ212_PDEF_QN_FORMAT = 1u << 4,   /* QN present but not 17 digits of a valid time */
    HJ212_PDEF_PIECE = 1u << 5,       /* Flag D without PNUM/PNO, or PNUM/PNO without D */
    HJ212_PDEF_BAD_VALUE = 1u << 6,   /* at least one item has vtype HJ212_VT_BAD */
    HJ212_PDEF_EMPTY_ENTRY = 1u << 7, /* empty entries (";;", trailing ';') were skipped */
    HJ212_PDEF_NO_EQ = 1u << 8,       /* an entry without '=' was kept with an empty value */
};

typedef struct hj212_packet {
    /* raw header fields (borrowed from the segment; n = 0 when absent) */
    hj212_str qn, st, pw, mn, flag_raw, pnum_raw, pno_raw;
    hj212_str cp; /* the data area between "CP=&&" and the closing "&&" */
    int cn;       /* command code, 0..9999 */
    int flag;     /* 0..255, or -1 when absent */
    int version;  /* Flag >> 2 (HJ212_V*); HJ212_V2005 when Flag is absent */
    bool split;   /* Flag bit D (HJ 212-2017 table 3): PNUM/PNO present */
    bool ack;     /* Flag bit A: the sender wants an answer (9014 for uploads) */
    int pnum;     /* total pieces; 0 when absent */
    int pno;      /* this piece, 1-based; 0 when absent */
    bool has_qn_time;
    ew_civil qn_time; /* QN read as a Beijing-time label with milliseconds */
    bool has_datatime;
    ew_civil datatime;    /* first DataTime of CP: a Beijing-time label ... */
    int64_t datatime_utc; /* ... and its instant */
    hj212_item *items;    /* the caller's array; n_items entries filled */
    size_t n_items;
    unsigned defects; /* HJ212_PDEF_* */
} hj212_packet;

/* Parse a data segment (as framed, without "##", length, CRC, tail). items/cap is the
 * caller's array (HJ212_ITEMS_MAX(n) entries always suffice). Nothing is allocated; every
 * slice in *pkt points into seg, which must outlive their use.
 * Returns 0, or a negative hj212_err with err filled (field named, offset within seg);
 * on failure *pkt is zeroed. Bad values inside CP are not failures: the item gets
 * HJ212_VT_BAD and the packet HJ212_PDEF_BAD_VALUE. */
int hj212_parse(const char *seg, size_t n, hj212_packet *pkt, hj212_item *items, size_t cap,
                hj212_error *err) HJ212_WARN_UNUSED;

/* The structure check of hj212_parse without its CP entries: header fields and the CP
 * location are parsed as hj212_parse does; pkt->n_items is 0, has_datatime false and the
 * entry defects (HJ212_PDEF_BAD_VALUE, _EMPTY_ENTRY, _NO_EQ) are not looked for. Returns what
 * hj212_parse returns given an items array of HJ212_ITEMS_MAX(n) entries: entries never
 * fail a packet, so a stream checker need not read them. */
int hj212_parse_header(const char *seg, size_t n, hj212_packet *pkt,
                       hj212_error *err) HJ212_WARN_UNUSED;

/* Find the first item with this code and field (e.g. "a34004", HJ212_F_RTD); NULL if none. */
const hj212_item *hj212_packet_get(const hj212_packet *pkt, const char *code, hj212_field f);

/* Read a decimal number as HJ 212 writes them (sign, digits, optional fraction, optional
 * exponent). Returns 0 or -1 ("", "NaN", "-", trailing junk). Locale-independent. */
int hj212_parse_num(const char *p, size_t n, double *out);

/* ---------------------------------------------------------------------------------------
 * Reassembly of packetised messages (Flag D = 1, PNUM/PNO; HJ 212-2017 table 3, C.47–C.50)
 *
 * Each piece is a complete frame with its own QN and CRC, and repeats DataTime, so pieces
 * are collected per (MN, CN, PNUM, DataTime-or-first-QN-less key) and delivered, in PNO
 * order, once all PNUM pieces are in. One reassembler per connection (or per MN). Pieces
 * are copied (they outlive the read buffer); memory is bounded by max_bytes. */

typedef struct hj212_reasm hj212_reasm;

typedef struct hj212_reasm_opts {
    size_t max_open;   /* messages in progress at once; 0 = 16 (the oldest is dropped) */
    size_t max_pieces; /* PNUM above this is rejected; 0 = 256 */
    size_t max_bytes;  /* total bytes held; 0 = 1 MiB */
    int64_t max_age_s; /* incomplete messages older than this are dropped; 0 = 600 */
} hj212_reasm_opts;

typedef struct hj212_message {
    size_t n_pieces;
    const char *const *seg; /* seg[i], seg_len[i]: the data segment of piece PNO = i + 1 */
    const size_t *seg_len;
} hj212_message;

hj212_reasm *hj212_reasm_new(const hj212_reasm_opts *opts /* NULL: defaults */);
void hj212_reasm_free(hj212_reasm *r);
/* Offer a parsed piece (pkt parsed from seg). Returns 1 when this piece completed a
 * message (*out filled, valid until the next call on r), 0 when the message is still
 * incomplete, or a negative hj212_err (duplicate PNO, PNO > PNUM, PNUM over the cap) with
 * err filled; a rejected piece changes nothing. A packet without PNUM/PNO is delivered at
 * once as a one-piece message. now_utc ages open messages. */
int hj212_reasm_add(hj212_reasm *r, const hj212_packet *pkt, const char *seg, size_t seg_len,
                    int64_t now_utc, hj212_message *out, hj212_error *err) HJ212_WARN_UNUSED;
/* Drop incomplete messages older than max_age_s; returns how many were dropped. */
size_t hj212_reasm_expire(hj212_reasm *r, int64_t now_utc);
/* Messages in progress and bytes held. */
size_t hj212_reasm_open(const hj212_reasm *r, size_t *bytes);

/* ---------------------------------------------------------------------------------------
 * Encoding
 *
 * All encoders write into the caller's buffer and return the frame length (> 0), or
 * HJ212_E_SPACE / HJ212_E_ARG with err filled (buffer contents then unspecified). The frame
 * is complete: "##", length, segment, upper-case CRC, CR LF; no NUL is written.
 * HJ212_FRAME_MAX(HJ212_SEG_MAX_ABS) bytes always suffice. */

typedef struct hj212_header {
    const char *qn; /* 17 digits, or NULL to omit (HJ/T 212-2005 uploads) */
    const char *st; /* 2 characters */
    int cn;
    const char *pw; /* NULL to omit */
    const char *mn;
    int flag;      /* 0..255; -1 to omit the field */
    int pnum, pno; /* written when pnum > 0 */
} hj212_header;

/* Flag value for a version with the D and A bits (HJ 212-2017 table 3). */
int hj212_flag_make(int version, bool split, bool ack);
/* QN for a UTC instant in milliseconds: Beijing time "YYYYMMDDhhmmsszzz" + NUL (out 18). */
void hj212_qn_format(int64_t utc_ms, char out[18]);

/* Frame an arbitrary header and CP data area (cp without the "&&" brackets). */
int hj212_encode(char *buf, size_t cap, const hj212_header *h, const char *cp, size_t cp_len,
                 hj212_error *err) HJ212_WARN_UNUSED;

/* CP builder: appends entries with the right separators into a caller buffer. */
typedef struct hj212_cp {
    char *buf;
    size_t cap, len;
    bool overflow; /* set when an append did not fit; the encoders then fail with E_SPACE */
} hj212_cp;
void hj212_cp_init(hj212_cp *cp, char *buf, size_t cap);
/* sep: ';' between items/factors, ',' between fields of one factor, 0 for none. */
void hj212_cp_str(hj212_cp *cp, char sep, const char *key, const char *value);
void hj212_cp_num(hj212_cp *cp, char sep, const char *code, hj212_field f, double v, int decimals);
void hj212_cp_int(hj212_cp *cp, char sep, const char *key, long v);
void hj212_cp_time(hj212_cp *cp, char sep, const char *key, int64_t t_utc); /* Beijing label */
void hj212_cp_flag(hj212_cp *cp, char sep, const char *code, char flag);

/* One factor of a data upload: which fields are written is given by `fields`, a bit set of
 * (1u << hj212_field). Written in the standard's order: SampleTime, Rtd, Min, Avg, Max,
 * ZsRtd, ZsMin, ZsAvg, ZsMax, Cou, RS, RT, Info, Flag, EFlag. */
typedef struct hj212_factor {
    const char *code; /* "a34004", "SB1" (RS/RT), "i12001" (Info) */
    unsigned fields;
    double rtd, min, avg, max, zsrtd, zsmin, zsavg, zsmax, cou, rt;
    int rs;
    int decimals; /* digits after the point for the numbers; -1: shortest exact form */
    char flag;    /* data flag, table 8 (0: none) */
    const char *eflag, *info;
    int64_t sample_utc;
} hj212_factor;
#define HJ212_FB(f) (1u << (f))

/* A data upload (2011 real-time, 2051 minute, 2061 hour, 2031 day, 2041 running time,
 * 2021 running state, 3020 field-unit information, ...; HJ 212-2017 Annex C): h->cn says
 * which. CP = "DataTime=<Beijing time>;" then one ';'-separated group per factor. */
int hj212_encode_upload(char *buf, size_t cap, const hj212_header *h, int64_t datatime_utc,
                        const hj212_factor *factors, size_t n, hj212_error *err) HJ212_WARN_UNUSED;

/* A reply to a received packet req (HJ 212-2017 §6.5, Annex C): ST=91, req's QN, PW and MN,
 * Flag = req's version bits with D = A = 0, and
 *   9011 request answer:      CP=&&QnRtn=<rtn>&&
 *   9012 execution result:    CP=&&ExeRtn=<rtn>&&
 *   9013 notification answer: CP=&&&&
 *   9014 data answer:         CP=&&&&   (what the platform sends for an upload with A = 1)
 * For HJ/T 212-2005 peers (version 0) whose request carried no top-level QN, the QN is put
 * inside CP as that edition's replies did. rtn is ignored for 9013/9014. */
int hj212_encode_reply(char *buf, size_t cap, const hj212_packet *req, int cn, int rtn,
                       hj212_error *err) HJ212_WARN_UNUSED;

/* Platform requests (P→F), with h->st, h->mn, h->pw, h->qn, h->flag set by the caller and
 * h->cn set by the function:
 *   1012 set field-unit time: SystemTime (polid NULL: the logger itself)
 *   2011/2012 start/stop real-time data (2012 with no CP)
 *   2031/2041/2051/2061 get day/run-time/minute/hour data between begin and end
 *   1000 OverTime/ReCount; 1062 RtdInterval; 1064 MinInterval
 *   9015 heartbeat (HJ 212-2025), empty CP */
int hj212_encode_set_time(char *buf, size_t cap, hj212_header *h, const char *polid,
                          int64_t system_utc, hj212_error *err) HJ212_WARN_UNUSED;
int hj212_encode_history(char *buf, size_t cap, hj212_header *h, int cn, int64_t begin_utc,
                         int64_t end_utc, hj212_error *err) HJ212_WARN_UNUSED;
int hj212_encode_simple(char *buf, size_t cap, hj212_header *h, int cn, const char *key, long v,
                        hj212_error *err) HJ212_WARN_UNUSED; /* key NULL: empty CP */
int hj212_encode_timeouts(char *buf, size_t cap, hj212_header *h, int overtime_s, int recount,
                          hj212_error *err) HJ212_WARN_UNUSED;

#endif
