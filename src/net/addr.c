/* addr: "HOST:PORT" to a socket address (contract in addr.h). */
#include "net/addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

int net_addr_parse(const char *addr, struct sockaddr_storage *ss)
{
    const char *colon = addr ? strrchr(addr, ':') : NULL;
    char host[128];
    if (!colon || (size_t)(colon - addr) >= sizeof host || !colon[1])
        return -1;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || colon[1] == '-' || colon[1] == '+' || port > 65535)
        return -1;
    memcpy(host, addr, (size_t)(colon - addr));
    host[colon - addr] = '\0';
    memset(ss, 0, sizeof *ss);
    size_t n = strlen(host);
    if (host[0] == '[') {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        if (n < 3 || host[n - 1] != ']')
            return -1;
        host[n - 1] = '\0';
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        return inet_pton(AF_INET6, host + 1, &s6->sin6_addr) == 1 ? 0 : -1;
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    if (!n || !strcmp(host, "*") || !strcmp(host, "0.0.0.0"))
        s4->sin_addr.s_addr = htonl(INADDR_ANY);
    else if (!strcmp(host, "localhost"))
        s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    else if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
        return -1;
    return 0;
}
