/* net_addr_parse: the HOST:PORT forms the command line and config files accept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <string.h>

#include "net/addr.h"

static void ipv4_forms(void **state)
{
    (void)state;
    struct sockaddr_storage ss;
    const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ss;
    assert_int_equal(net_addr_parse("192.168.1.20:8005", &ss), 0);
    assert_int_equal(s4->sin_family, AF_INET);
    assert_int_equal(ntohs(s4->sin_port), 8005);
    assert_int_equal(ntohl(s4->sin_addr.s_addr), 0xC0A80114u);
    assert_int_equal(net_addr_parse("localhost:80", &ss), 0);
    assert_int_equal(ntohl(s4->sin_addr.s_addr), 0x7F000001u);
    assert_int_equal(net_addr_parse("*:0", &ss), 0);
    assert_int_equal(s4->sin_addr.s_addr, htonl(INADDR_ANY));
    assert_int_equal(net_addr_parse(":1", &ss), 0);
    assert_int_equal(s4->sin_addr.s_addr, htonl(INADDR_ANY));
    assert_int_equal(net_addr_parse("0.0.0.0:65535", &ss), 0);
    assert_int_equal(ntohs(s4->sin_port), 65535);
}

static void ipv6_in_brackets(void **state)
{
    (void)state;
    struct sockaddr_storage ss;
    const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;
    assert_int_equal(net_addr_parse("[::1]:8080", &ss), 0);
    assert_int_equal(s6->sin6_family, AF_INET6);
    assert_int_equal(ntohs(s6->sin6_port), 8080);
    assert_int_equal(s6->sin6_addr.s6_addr[15], 1);
    assert_int_equal(net_addr_parse("[::1:8080", &ss), -1);
    assert_int_equal(net_addr_parse("[]:8080", &ss), -1);
}

static void malformed_is_refused(void **state)
{
    (void)state;
    struct sockaddr_storage ss;
    const char *bad[] = {"8005",         "127.0.0.1:",    "127.0.0.1:65536",
                         "127.0.0.1:-1", "127.0.0.1:80x", "999.0.0.1:80",
                         "host.name:80", "127.0.0.1:+80", NULL};
    for (size_t i = 0; bad[i]; i++)
        assert_int_equal(net_addr_parse(bad[i], &ss), -1);
    assert_int_equal(net_addr_parse(NULL, &ss), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ipv4_forms),
        cmocka_unit_test(ipv6_in_brackets),
        cmocka_unit_test(malformed_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
