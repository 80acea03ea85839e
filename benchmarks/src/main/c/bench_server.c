/*
 * A C server for bench.x that needs no rpcbind: TCP and UDP on 127.0.0.1 at the given ports
 * (0: chosen by the system), the program registered with protocol 0 so that libtirpc never
 * contacts the portmapper. It prints "TCP-PORT UDP-PORT" on stdout and serves until killed, or
 * until its lifetime (default 3600 s) ends, in case whoever started it dies without killing it.
 *
 *   bench_server [TCP-PORT [UDP-PORT [LIFETIME-SECONDS]]]
 *
 * libtirpc's defaults otherwise: 64 KiB record buffers on TCP (so a 1 MiB reply leaves in 64 KiB
 * fragments), no UDP reply cache (the Onyx server has no duplicate request cache for these
 * MAYBE procedures either), one thread serving every connection in turn (svc_run).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

void bench_prog_1(struct svc_req *request, SVCXPRT *transport); /* from rpcgen -m */

static int bound_socket(int type, int port) {
  int fd = socket(AF_INET, type, 0);
  if (fd < 0) {
    perror("socket");
    exit(1);
  }
  int on = 1;
  if (type == SOCK_STREAM && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0) {
    perror("setsockopt SO_REUSEADDR");
    exit(1);
  }
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons((in_port_t) port);
  if (bind(fd, (struct sockaddr *) &addr, sizeof addr) != 0) {
    fprintf(stderr, "cannot bind %s port %d: ", type == SOCK_STREAM ? "TCP" : "UDP", port);
    perror(NULL);
    exit(1);
  }
  return fd;
}

static int local_port(int fd) {
  struct sockaddr_in addr;
  socklen_t length = sizeof addr;
  if (getsockname(fd, (struct sockaddr *) &addr, &length) != 0) {
    perror("getsockname");
    exit(1);
  }
  return ntohs(addr.sin_port);
}

int main(int argc, char **argv) {
  int tcp_port = argc > 1 ? atoi(argv[1]) : 0;
  int udp_port = argc > 2 ? atoi(argv[2]) : 0;
  alarm(argc > 3 ? (unsigned) atoi(argv[3]) : 3600);

  int tcp = bound_socket(SOCK_STREAM, tcp_port);
  int udp = bound_socket(SOCK_DGRAM, udp_port);
  if (listen(tcp, SOMAXCONN) != 0) {
    perror("listen");
    return 1;
  }
  SVCXPRT *tcp_transport = svctcp_create(tcp, 0, 0);
  SVCXPRT *udp_transport = svcudp_create(udp);
  if (tcp_transport == NULL || udp_transport == NULL) {
    fprintf(stderr, "cannot create the service transports\n");
    return 1;
  }
  /* Protocol 0: register with the dispatcher only, not with rpcbind. */
  if (!svc_register(tcp_transport, BENCH_PROG, BENCH_V1, bench_prog_1, 0)
      || !svc_register(udp_transport, BENCH_PROG, BENCH_V1, bench_prog_1, 0)) {
    fprintf(stderr, "cannot register the program\n");
    return 1;
  }

  printf("%d %d\n", local_port(tcp), local_port(udp));
  fflush(stdout);
  svc_run();
  fprintf(stderr, "svc_run returned\n");
  return 1;
}
