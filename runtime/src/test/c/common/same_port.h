/*
 * TCP and UDP sockets on one port number of 127.0.0.1, as the C test servers listen (a client
 * told the port reaches them over either): an ephemeral TCP port, then UDP on the same number,
 * tried again with another TCP port while UDP has that number taken.
 */
#ifndef SAME_PORT_H
#define SAME_PORT_H

#include <netinet/in.h>

/*
 * Binds *tcp, listening, and *udp; returns their port, or 0 after a message on stderr that
 * starts with `who`.
 */
in_port_t same_port_sockets(const char *who, int *tcp, int *udp);

#endif
