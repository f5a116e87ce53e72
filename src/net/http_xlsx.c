/* http_xlsx: see http_xlsx.h. */
#include "net/http_xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* Excel's sheet names: at most 31 characters, none of []:*?/\ (Excel refuses the file
 * otherwise). Table names are ASCII identifiers; anything else becomes '_'. */
static void sheet_name(const char *name, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < cap && n < 31; p++)
        out[n++] = strchr("[]:*?/\\", *p) || (unsigned char)*p >= 0x80 ? '_' : *p;
    out[n] = '\0';
    if (!n)
        snprintf(out, cap, "data");
}

/* One cell (see the header for the mapping). Returns libxlsxwriter's error code. */
static lxw_error cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        return json_string_length(v)
                   ? worksheet_write_string(ws, row, col, json_string_value(v), NULL)
                   : LXW_NO_ERROR;
    case JSON_INTEGER:
        return worksheet_write_number(ws, row, col, (double)json_integer_value(v), NULL);
    case JSON_REAL:
        return worksheet_write_number(ws, row, col, json_real_value(v), NULL);
    case JSON_TRUE:
    case JSON_FALSE:
        return worksheet_write_boolean(ws, row, col, json_is_true(v), NULL);
    case JSON_NULL:
        return LXW_NO_ERROR;
    case JSON_ARRAY:
        if (json_array_size(v) == 0 || json_is_string(json_array_get(v, 0))) {
            http_buf list = {0};
            http_buf_name_list(&list, v);
            lxw_error e =
                list.n ? worksheet_write_string(ws, row, col, list.p, NULL) : LXW_NO_ERROR;
            free(list.p);
            return e;
        }
        /* fall through */
    default: {
        char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
        lxw_error e = worksheet_write_string(ws, row, col, s ? s : "", NULL);
        free(s);
        return e;
    }
    }
}

/* Write the workbook to path. */
static int write_book(const char *path, json_t *rows, int64_t from, int64_t to, const char *name,
                      char *err, size_t errcap)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return ew_errf(err, errcap, EW_EINTERNAL, "xlsx: cannot create the workbook");
    char sheet[32];
    sheet_name(name, sheet, sizeof sheet);
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_error e = ws ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
    json_t *first =
        json_array_get(rows, 0); /* the columns, as the CSV's: every row has the same keys */
    const char *key;
    json_t *v;
    lxw_col_t col = 0;
    json_object_foreach(first, key, v)
    {
        if (e == LXW_NO_ERROR)
            e = worksheet_write_string(ws, 0, col, key, bold);
        col++;
    }
    if (e == LXW_NO_ERROR && col)
        e = worksheet_set_column(ws, 0, (lxw_col_t)(col - 1), 14, NULL);
    for (int64_t i = from; i < to && e == LXW_NO_ERROR; i++) {
        json_t *row = json_array_get(rows, (size_t)i);
        col = 0;
        json_object_foreach(first, key, v)
        {
            json_t *c = json_object_get(row, key);
            if (c && e == LXW_NO_ERROR)
                e = cell(ws, (lxw_row_t)(i - from + 1), col, c);
            col++;
        }
    }
    lxw_error closed = workbook_close(wb); /* frees wb whatever happened */
    if (e == LXW_NO_ERROR)
        e = closed;
    if (e != LXW_NO_ERROR)
        return ew_errf(err, errcap, EW_EINTERNAL, "xlsx: %s", lxw_strerror(e));
    return EW_OK;
}

int http_xlsx_table(http_buf *b, json_t *rows, int64_t from, int64_t to, const char *name,
                    char *err, size_t errcap)
{
    /* A private directory: the file's name cannot be guessed or raced by another user. */
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[560];
    snprintf(dir, sizeof dir, "%s/envwatch-xlsx.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return ew_errf(err, errcap, EW_EINTERNAL, "xlsx: temporary directory: %s", strerror(errno));
    snprintf(path, sizeof path, "%s/t.xlsx", dir);
    int rc = write_book(path, rows, from, to, name, err, errcap);
    if (rc == EW_OK) {
        FILE *f = fopen(path, "rb");
        if (!f) {
            rc = ew_errf(err, errcap, EW_EINTERNAL, "xlsx: %s", strerror(errno));
        } else {
            char chunk[65536];
            size_t n;
            while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
                http_buf_put(b, chunk, n);
            if (ferror(f))
                rc = ew_errf(err, errcap, EW_EINTERNAL, "xlsx: read back failed");
            fclose(f);
        }
    }
    unlink(path);
    rmdir(dir);
    return rc;
}
