/* textlines: walking the lines of a small text file held in memory (list and import files).
 * Header-only: two loops over the same line rules would drift apart. */
#ifndef EW_SERVICE_TEXTLINES_H
#define EW_SERVICE_TEXTLINES_H
#include <stddef.h>
#include <string.h>

typedef struct textlines {
    char *next; /* the rest of the buffer, NULL at the end */
    int lineno; /* number of the line last returned, 1-based */
    int header; /* 1 until the header line (the first that is neither empty nor a comment)
                   has been skipped */
} textlines;

/* The next data line of buf (modified in place: line ends become NUL, a CR before LF is
 * dropped), skipping empty lines, '#' comments and the header line; NULL at the end. */
static inline char *textlines_next(textlines *t)
{
    while (t->next) {
        char *line = t->next, *nl = strchr(line, '\n');
        t->next = nl ? nl + 1 : NULL;
        if (nl)
            *nl = 0;
        t->lineno++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[--len] = 0;
        if (!len || line[0] == '#')
            continue;
        if (t->header) {
            t->header = 0;
            continue;
        }
        return line;
    }
    return NULL;
}

/* Split line (modified in place) at commas into at most max fields f[]; returns the count
 * (max means there may be more). */
static inline int textlines_split(char *line, char **f, int max)
{
    int n = 0;
    for (char *p = line; n < max;) {
        f[n++] = p;
        char *c = strchr(p, ',');
        if (!c)
            break;
        *c = 0;
        p = c + 1;
    }
    return n;
}

#endif
