/* jsonv: JSON values against an expected shape, with the path of the fault (see jsonv.h). */
#include "base/jsonv.h"

#include <stdio.h>
#include <string.h>

#include "base/bjtime.h"

void ew_jv_init(ew_jv *v, arena *ar)
{
    memset(v, 0, sizeof *v);
    v->path[0] = '$';
    v->plen = 1;
    v->ar = ar;
}

int ew_jv_vfail(ew_jv *v, const char *fmt, va_list ap)
{
    if (v->failed)
        return -1;
    v->failed = true;
    memcpy(v->fault_path, v->path, v->plen + 1);
    vsnprintf(v->msg, sizeof v->msg, fmt, ap);
    return -1;
}

int ew_jv_fail(ew_jv *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ew_jv_vfail(v, fmt, ap);
    va_end(ap);
    return rc;
}

static size_t append(ew_jv *v, const char *seg, size_t n)
{
    size_t old = v->plen, room = sizeof v->path - 1 - old;
    if (n > room)
        n = room;
    memcpy(v->path + old, seg, n);
    v->plen = old + n;
    v->path[v->plen] = '\0';
    return old;
}

size_t ew_jv_push_key(ew_jv *v, const char *key)
{
    size_t old = append(v, ".", 1);
    append(v, key, strlen(key));
    return old;
}

size_t ew_jv_push_idx(ew_jv *v, size_t i)
{
    char seg[32];
    int n = snprintf(seg, sizeof seg, "[%zu]", i);
    return append(v, seg, (size_t)n);
}

void ew_jv_pop(ew_jv *v, size_t old)
{
    v->plen = old;
    v->path[old] = '\0';
}

const char *ew_jv_type_name(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "?";
}

int ew_jv_members(ew_jv *v, const json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)obj, key, val)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            if (!strcmp(*a, key))
                ok = true;
        if (!ok) {
            size_t o = ew_jv_push_key(v, key);
            int rc = ew_jv_fail(v, "unknown member \"%s\"", key);
            ew_jv_pop(v, o);
            return rc;
        }
    }
    return 0;
}

int ew_jv_object(ew_jv *v, const json_t *j)
{
    return json_is_object(j) ? 0 : ew_jv_fail(v, "expected an object, got %s", ew_jv_type_name(j));
}

int ew_jv_array(ew_jv *v, const json_t *j, bool nonempty)
{
    if (!json_is_array(j))
        return ew_jv_fail(v, "expected an array, got %s", ew_jv_type_name(j));
    if (nonempty && json_array_size(j) == 0)
        return ew_jv_fail(v, "must not be empty");
    return 0;
}

int ew_jv_str(ew_jv *v, const json_t *obj, const char *key, bool required, const char **out)
{
    json_t *j = json_object_get(obj, key);
    *out = NULL;
    if (!j) {
        if (required)
            return ew_jv_fail(v, "missing member \"%s\"", key);
        return 0;
    }
    size_t o = ew_jv_push_key(v, key);
    int rc = 0;
    if (!json_is_string(j))
        rc = ew_jv_fail(v, "expected a string, got %s", ew_jv_type_name(j));
    else if (required && json_string_length(j) == 0)
        rc = ew_jv_fail(v, "must not be empty");
    else
        *out = v->ar ? arena_strndup(v->ar, json_string_value(j), json_string_length(j))
                     : json_string_value(j);
    if (rc == 0)
        ew_jv_pop(v, o);
    return rc;
}

int ew_jv_id(ew_jv *v, const json_t *obj, const char **out)
{
    if (ew_jv_str(v, obj, "id", true, out))
        return -1;
    for (const char *c = *out; *c; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.';
        if (!ok) {
            size_t o = ew_jv_push_key(v, "id");
            int rc = ew_jv_fail(v, "\"%s\" has a character outside [A-Za-z0-9_.-]", *out);
            ew_jv_pop(v, o);
            return rc;
        }
    }
    return 0;
}

int ew_jv_date(ew_jv *v, const json_t *obj, const char *key, bool required, int64_t *out)
{
    const char *s;
    if (ew_jv_str(v, obj, key, required, &s))
        return -1;
    if (!s) {
        *out = -1;
        return 0;
    }
    ew_civil c;
    size_t o = ew_jv_push_key(v, key);
    if (strlen(s) != 10 || ew_parse_iso(s, 10, &c) != 0)
        return ew_jv_fail(v, "\"%s\" is not a date YYYY-MM-DD", s);
    ew_jv_pop(v, o);
    *out = ew_days_from_civil(c.year, c.mon, c.day);
    return 0;
}

int ew_jv_num(ew_jv *v, const json_t *obj, const char *key, bool *present, double *out)
{
    json_t *j = json_object_get(obj, key);
    *present = j != NULL;
    if (!j)
        return 0;
    size_t o = ew_jv_push_key(v, key);
    if (!json_is_number(j))
        return ew_jv_fail(v, "expected a number, got %s", ew_jv_type_name(j));
    ew_jv_pop(v, o);
    *out = json_number_value(j);
    return 0;
}

int ew_jv_int(ew_jv *v, const json_t *obj, const char *key, int lo, int hi, int *out)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return 0;
    size_t o = ew_jv_push_key(v, key);
    if (!json_is_integer(j))
        return ew_jv_fail(v, "expected an integer, got %s", ew_jv_type_name(j));
    json_int_t n = json_integer_value(j);
    if (n < lo || n > hi)
        return ew_jv_fail(v, "%lld is outside %d..%d", (long long)n, lo, hi);
    ew_jv_pop(v, o);
    *out = (int)n;
    return 0;
}
