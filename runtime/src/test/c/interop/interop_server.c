/*
 * A C server for interop.x that needs no rpcbind: it listens on 127.0.0.1, TCP and UDP on the
 * same port number, registers the program with protocol 0 (so the library never contacts the
 * portmapper), prints the port on stdout and serves until killed.
 *
 *   interop_server [lifetime-seconds [unix-socket-path]]
 *
 * TCP replies are cut into record fragments of at most 96 bytes, so clients must reassemble
 * multi-fragment records (RFC 5531 section 11). UDP has libtirpc's reply cache, so a retransmitted
 * call (same xid, program, version, procedure and sender) gets the saved reply and does not run
 * again. Given a path, it also serves on a Unix-domain socket there (svcunix_create: the same
 * record marking as TCP, in the same fragments). The process exits by itself after its lifetime
 * (default 300 s) in case whoever started it dies without killing it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "interop.h"
#include "same_port.h"

void interop_prog_1(struct svc_req *request, SVCXPRT *transport); /* from rpcgen -m */

/* libtirpc's xdrrec: 100 is the smallest buffer it accepts; 4 bytes go to the record mark. */
#define TCP_BUFFER 100

int main(int argc, char **argv) {
  alarm(argc > 1 ? (unsigned) atoi(argv[1]) : 300);

  int tcp, udp;
  in_port_t port = same_port_sockets("interop_server", &tcp, &udp);
  if (port == 0) {
    return 1;
  }

  SVCXPRT *tcp_transport = svctcp_create(tcp, TCP_BUFFER, TCP_BUFFER);
  SVCXPRT *udp_transport = svcudp_create(udp);
  if (tcp_transport == NULL || udp_transport == NULL) {
    fprintf(stderr, "cannot create the service transports\n");
    return 1;
  }
  /* Replays the saved reply to a retransmitted UDP call instead of running it again. */
  if (!svc_dg_enablecache(udp_transport, 64)) {
    fprintf(stderr, "cannot enable the UDP reply cache\n");
    return 1;
  }
  /* Protocol 0: register with the dispatcher only, not with rpcbind. */
  if (!svc_register(tcp_transport, INTEROP_PROG, INTEROP_V1, interop_prog_1, 0)
      || !svc_register(udp_transport, INTEROP_PROG, INTEROP_V1, interop_prog_1, 0)) {
    fprintf(stderr, "cannot register the program\n");
    return 1;
  }

  if (argc > 2) {
    SVCXPRT *local = svcunix_create(RPC_ANYSOCK, TCP_BUFFER, TCP_BUFFER, argv[2]);
    if (local == NULL || !svc_register(local, INTEROP_PROG, INTEROP_V1, interop_prog_1, 0)) {
      fprintf(stderr, "cannot serve on the Unix-domain socket %s\n", argv[2]);
      return 1;
    }
  }

  printf("%d\n", (int) port);
  fflush(stdout);
  svc_run();
  fprintf(stderr, "svc_run returned\n");
  return 1;
}
