/* http_static: the dashboard's files from the build directory — MIME types, a path check
 * that keeps every request inside the directory, validators and cache headers. */
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/http_core.h"

/* MIME types of what the dashboard build produces (RFC 9239 for JavaScript). */
static const struct {
    const char *ext, *type;
} mime_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
};

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof mime_types / sizeof mime_types[0]; i++)
            if (!strcmp(dot, mime_types[i].ext))
                return mime_types[i].type;
    return "application/octet-stream";
}

/* A path is served only if every segment is a plain name: no "..", no hidden files, no
 * backslashes or NULs, so nothing outside static_dir can be reached. */
static bool safe_path(const char *p)
{
    if (*p != '/' || strlen(p) > 512)
        return false;
    for (const char *s = p; *s; s++) {
        if (*s == '\\')
            return false;
        if (*s == '/' && s[1] == '.')
            return false;
    }
    return true;
}

struct MHD_Response *http_static_file(const char *static_dir, const char *url, bool tls,
                                      struct MHD_Connection *conn, int *status)
{
    if (!static_dir || !safe_path(url))
        return NULL;
    const char *rel = strcmp(url, "/") ? url : "/index.html";
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s%s", static_dir, rel) >= sizeof path)
        return NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        return NULL;
    }
    /* A weak validator from size and modification time lets the browser revalidate
     * index.html cheaply (RFC 9110 §8.8.3). */
    char etag[64];
    snprintf(etag, sizeof etag, "W/\"%llx-%llx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtime);
    const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
    struct MHD_Response *resp;
    if (inm && !strcmp(inm, etag)) {
        close(fd);
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        *status = MHD_HTTP_NOT_MODIFIED;
    } else {
        resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
        *status = MHD_HTTP_OK;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, mime_of(rel));
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
    /* The build names assets by content hash (assets/name-HASH.js), so they never change
     * under the same name and may be cached for a year; the HTML that names them must be
     * revalidated each time. */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                            !strncmp(rel, "/assets/", 8) ? "public, max-age=31536000, immutable"
                                                         : "no-cache");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (tls)
        MHD_add_response_header(resp, "Strict-Transport-Security", HTTP_HSTS_VALUE);
    return resp;
}
