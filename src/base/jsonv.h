/* jsonv: reading a JSON document (jansson) against the shape a caller expects, with the
 * JSON path of the first value that does not fit — "$.actions[2].tasks[0].deadline: "2025-13-01"
 * is not a date YYYY-MM-DD" — so a person can find and fix it. Used by the plan file loader;
 * request bodies can use the same.
 *
 * An ew_jv keeps the current path (ew_jv_push_key / ew_jv_push_idx descend, ew_jv_pop goes
 * back) and, after a failure, the path and message of the fault. Every checking function
 * returns 0 when the value fits, or -1 after recording the fault (ew_jv_fail); the first
 * fault is the one kept, later calls do not overwrite it. Strings read with ew_jv_str are
 * copied into the arena given at ew_jv_init (they live as long as it), or borrowed from the
 * JSON document (as long as it) when the arena is NULL. */
#ifndef EW_BASE_JSONV_H
#define EW_BASE_JSONV_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/arena.h"

typedef struct ew_jv {
    char path[160]; /* where the reader is: "$" then ".key" and "[i]" segments */
    size_t plen;
    bool failed;
    char fault_path[160]; /* after a failure: the path of the value at fault */
    char msg[320];        /* and what is wrong with it */
    arena *ar;            /* copies of strings, or NULL to borrow them */
} ew_jv;

/* Start at the root "$", nothing failed. */
void ew_jv_init(ew_jv *v, arena *ar);

/* Record a fault at the current path (the first one only). Returns -1. */
int ew_jv_fail(ew_jv *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ew_jv_vfail(ew_jv *v, const char *fmt, va_list ap);

/* Descend into member key or element i; each returns the previous path length, which
 * ew_jv_pop restores. A path longer than the buffer is cut short (it still starts at "$"). */
size_t ew_jv_push_key(ew_jv *v, const char *key);
size_t ew_jv_push_idx(ew_jv *v, size_t i);
void ew_jv_pop(ew_jv *v, size_t old);

/* "an object", "an array", "a string", "a number", "a boolean", "null". */
const char *ew_jv_type_name(const json_t *j);

/* Every member of obj is one of allowed (NULL-terminated): unknown members are faults, since
 * a typo ("deadine") would otherwise drop a value silently. */
int ew_jv_members(ew_jv *v, const json_t *obj, const char *const *allowed);
/* j is an object; an array (not empty when nonempty). */
int ew_jv_object(ew_jv *v, const json_t *j);
int ew_jv_array(ew_jv *v, const json_t *j, bool nonempty);

/* Member key of obj as a string: absent gives *out = NULL (a fault if required); a required
 * member must not be empty. On a fault the path stays on the member. */
int ew_jv_str(ew_jv *v, const json_t *obj, const char *key, bool required, const char **out);
/* Member "id": a required string of ASCII letters, digits, '_', '-', '.' (ids appear in URLs
 * and logs). */
int ew_jv_id(ew_jv *v, const json_t *obj, const char **out);
/* Member key as a calendar day "YYYY-MM-DD" (a day number, ew_days_from_civil); absent gives
 * -1 (a fault if required). */
int ew_jv_date(ew_jv *v, const json_t *obj, const char *key, bool required, int64_t *out);
/* Member key as a number: *present says whether it is there; *out is set only then. */
int ew_jv_num(ew_jv *v, const json_t *obj, const char *key, bool *present, double *out);
/* Member key as an integer in lo..hi; *out unchanged when absent. */
int ew_jv_int(ew_jv *v, const json_t *obj, const char *key, int lo, int hi, int *out);

#endif
