/*
 * The C server of cpeers.x, versions 1 and 3, with rpcgen's MT-safe dispatcher (rpcgen -M -N -m)
 * and no rpcbind: it listens on 127.0.0.1, TCP and UDP on the same port number, registers with
 * protocol 0 (so the library never contacts the portmapper), prints the port on stdout and serves
 * until killed, or until its lifetime in seconds (the argument, default 300) has passed.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cpeers.h"

void cpeers_prog_1(struct svc_req *request, SVCXPRT *transport); /* from rpcgen -m */
void cpeers_prog_3(struct svc_req *request, SVCXPRT *transport);

#define BIND_ATTEMPTS 50

static int bound_socket(int type, in_port_t port) {
  int fd = socket(AF_INET, type, 0);
  if (fd < 0) {
    perror("socket");
    exit(1);
  }
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (bind(fd, (struct sockaddr *) &addr, sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static in_port_t local_port(int fd) {
  struct sockaddr_in addr;
  socklen_t length = sizeof addr;
  if (getsockname(fd, (struct sockaddr *) &addr, &length) != 0) {
    perror("getsockname");
    exit(1);
  }
  return ntohs(addr.sin_port);
}

int main(int argc, char **argv) {
  alarm(argc > 1 ? (unsigned) atoi(argv[1]) : 300);

  /* An ephemeral TCP port, then UDP on the same number; retry if UDP has it taken. */
  int tcp = -1, udp = -1;
  in_port_t port = 0;
  for (int attempt = 0; attempt < BIND_ATTEMPTS && udp < 0; attempt++) {
    if (tcp >= 0) {
      close(tcp);
    }
    tcp = bound_socket(SOCK_STREAM, 0);
    if (tcp < 0) {
      perror("bind tcp");
      return 1;
    }
    port = local_port(tcp);
    udp = bound_socket(SOCK_DGRAM, port);
  }
  if (udp < 0 || listen(tcp, SOMAXCONN) != 0) {
    fprintf(stderr, "no port free for both TCP and UDP\n");
    return 1;
  }

  SVCXPRT *tcp_transport = svctcp_create(tcp, 0, 0);
  SVCXPRT *udp_transport = svcudp_create(udp);
  if (tcp_transport == NULL || udp_transport == NULL) {
    fprintf(stderr, "cannot create the service transports\n");
    return 1;
  }
  /* Protocol 0: register with the dispatcher only, not with rpcbind. */
  if (!svc_register(tcp_transport, CPEERS_PROG, CPEERS_V1, cpeers_prog_1, 0)
      || !svc_register(udp_transport, CPEERS_PROG, CPEERS_V1, cpeers_prog_1, 0)
      || !svc_register(tcp_transport, CPEERS_PROG, CPEERS_V3, cpeers_prog_3, 0)
      || !svc_register(udp_transport, CPEERS_PROG, CPEERS_V3, cpeers_prog_3, 0)) {
    fprintf(stderr, "cannot register the program\n");
    return 1;
  }

  printf("%d\n", (int) port);
  fflush(stdout);
  svc_run();
  fprintf(stderr, "svc_run returned\n");
  return 1;
}
