/*
 * A client of dirtest.x's ADD made as most C programs make theirs: clnt_create (or
 * clnt_create_timed) on a nettype, which tries each netconfig entry of the nettype in turn
 * ("netpath" and the "_n" nettypes in the order of $NETPATH, the "_v" ones in /etc/netconfig's)
 * and asks HOST's rpcbind for the program's address over each:
 *
 *   nettype_client HOST PROGRAM NETTYPE [timed]
 *
 * Prints "add(2, 40) = 42 over NETID" with the netid of the socket it got (its family and
 * type), or libtirpc's own words for what failed.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <rpc/rpc.h>

#include "dirtest.h"

/* The netid of the client's socket: tcp, udp, tcp6 or udp6. */
static const char *netid(CLIENT *client) {
  int fd;
  struct sockaddr_storage local;
  socklen_t length = sizeof local;
  int type;
  socklen_t typeLength = sizeof type;
  if (!clnt_control(client, CLGET_FD, (char *) &fd)
      || getsockname(fd, (struct sockaddr *) &local, &length) != 0
      || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &typeLength) != 0) {
    return "?";
  }
  int v6 = local.ss_family == AF_INET6;
  return type == SOCK_STREAM ? (v6 ? "tcp6" : "tcp") : (v6 ? "udp6" : "udp");
}

int main(int argc, char **argv) {
  if (argc != 4 && !(argc == 5 && strcmp(argv[4], "timed") == 0)) {
    fprintf(stderr, "usage: %s HOST PROGRAM NETTYPE [timed]\n", argv[0]);
    return 2;
  }
  rpcprog_t program = strtoul(argv[2], NULL, 0);
  struct timeval timeout = {10, 0};
  CLIENT *client = argc == 5
      ? clnt_create_timed(argv[1], program, TESTVERS, argv[3], &timeout)
      : clnt_create(argv[1], program, TESTVERS, argv[3]);
  if (client == NULL) {
    clnt_pcreateerror(argv[1]);
    return 1;
  }
  pair args = {2, 40};
  int *sum = add_1(&args, client);
  if (sum == NULL) {
    clnt_perror(client, "add");
    clnt_destroy(client);
    return 1;
  }
  printf("add(2, 40) = %d over %s\n", *sum, netid(client));
  clnt_destroy(client);
  return 0;
}
