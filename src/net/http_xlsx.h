/* http_xlsx: a table of the API as an Excel workbook (?format=xlsx), written by libxlsxwriter
 * (Debian's libxlsxwriter-dev), for the bureau's staff who file and forward spreadsheets.
 *
 * One worksheet named after the table, a bold header row of the column names (the keys of the
 * first row, as the CSV has them) and one row per table row: strings as text, numbers as
 * numbers (so that a spreadsheet sums and sorts them), true/false as booleans, null as an
 * empty cell, a list of names as "a;b", anything else as its JSON text. */
#ifndef EW_NET_HTTP_XLSX_H
#define EW_NET_HTTP_XLSX_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "net/http_internal.h"

/* Write rows[from, to) of rows (a JSON array of objects with the same keys) as a workbook
 * into b (appended). name: the table's name, used for the sheet (cut to Excel's 31
 * characters). libxlsxwriter writes to a file: it goes to a private temporary directory under
 * $TMPDIR (or /tmp) and is removed before returning. Returns 0, or a negative EW_E* code with
 * err filled (the temporary file could not be made or written); b may then hold part of
 * nothing useful and the caller answers an error instead. rows is borrowed. */
int http_xlsx_table(http_buf *b, json_t *rows, int64_t from, int64_t to, const char *name,
                    char *err, size_t errcap) EW_MUST_CHECK;

#endif
