/* addr: network addresses as the command line and config files write them, "HOST:PORT".
 * HOST is an IPv4 address, "[IPv6]", "localhost" (127.0.0.1), or "*", "0.0.0.0" or nothing
 * for every IPv4 interface; PORT is 0–65535 in decimal (0: any free port, for listeners).
 * One parser for the HJ 212 listener, the HTTP listener and the simulator's target. */
#ifndef EW_NET_ADDR_H
#define EW_NET_ADDR_H
#include <sys/socket.h>

/* 0 and *ss filled (sockaddr_in or sockaddr_in6), or -1 if addr is not such an address. */
int net_addr_parse(const char *addr, struct sockaddr_storage *ss);

#endif
