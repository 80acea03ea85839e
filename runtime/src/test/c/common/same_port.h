/*
 * The sockets the C test peers listen on, on 127.0.0.1: TCP and UDP on one port number (a client
 * told the port reaches them over either): an ephemeral TCP port, then UDP on the same number,
 * tried again with another TCP port while UDP has that number taken; or one socket on an
 * ephemeral port. With SAME_PORT=N in the environment, both on port N (a server restarted where
 * it was).
 */
#ifndef SAME_PORT_H
#define SAME_PORT_H

#include <netinet/in.h>

/*
 * Binds *tcp, listening, and *udp; returns their port, or 0 after a message on stderr that
 * starts with `who`.
 */
in_port_t same_port_sockets(const char *who, int *tcp, int *udp);

/*
 * A socket of `type` bound to an ephemeral port of 127.0.0.1, listening if SOCK_STREAM, its
 * port in *port; or -1 after a message on stderr that starts with `who`.
 */
int loopback_socket(const char *who, int type, in_port_t *port);

#endif
