/*
 * Both C peers for null_result.x, built with rpcgen's dispatcher (-m) and client stubs (-l):
 *
 *   null_result_peer server          serves TCP on 127.0.0.1 (no rpcbind: protocol 0), prints
 *                                    the port, and answers NULLRES_NULL with "c-bound N", N the
 *                                    number of times it ran; exits by itself after 300 s
 *   null_result_peer client PORT     calls NULLRES_NULL twice, then NULLRES_TWICE(21), over TCP,
 *                                    and prints each result on a line
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "null_result.h"
#include "same_port.h"

void nullres_prog_1(struct svc_req *request, SVCXPRT *transport); /* from rpcgen -m */

static int runs;

char **nullres_null_1_svc(void *argp, struct svc_req *request) {
  static char text[32];
  static char *result = text;
  (void) argp;
  (void) request;
  snprintf(text, sizeof text, "c-bound %d", ++runs);
  return &result;
}

int *nullres_twice_1_svc(int *argp, struct svc_req *request) {
  static int result;
  (void) request;
  result = 2 * *argp;
  return &result;
}

static int serve(void) {
  alarm(300);
  in_port_t port;
  int fd = loopback_socket("null_result_peer", SOCK_STREAM, &port);
  if (fd < 0) {
    return 1;
  }
  SVCXPRT *transport = svctcp_create(fd, 0, 0);
  if (transport == NULL || !svc_register(transport, NULLRES_PROG, NULLRES_V1, nullres_prog_1, 0)) {
    fprintf(stderr, "cannot serve the program\n");
    return 1;
  }
  printf("%d\n", (int) port);
  fflush(stdout);
  svc_run();
  return 1;
}

static int call(int port) {
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons((in_port_t) port);
  int fd = RPC_ANYSOCK;
  CLIENT *client = clnttcp_create(&addr, NULLRES_PROG, NULLRES_V1, &fd, 0, 0);
  if (client == NULL) {
    clnt_pcreateerror("clnttcp_create");
    return 1;
  }
  for (int i = 0; i < 2; i++) {
    char **text = nullres_null_1(NULL, client);
    if (text == NULL) {
      clnt_perror(client, "NULLRES_NULL");
      return 1;
    }
    printf("%s\n", *text);
  }
  int n = 21;
  int *twice = nullres_twice_1(&n, client);
  if (twice == NULL) {
    clnt_perror(client, "NULLRES_TWICE");
    return 1;
  }
  printf("%d\n", *twice);
  clnt_destroy(client);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "server") == 0) {
    return serve();
  }
  if (argc == 3 && strcmp(argv[1], "client") == 0) {
    return call(atoi(argv[2]));
  }
  fprintf(stderr, "usage: null_result_peer server | client PORT\n");
  return 2;
}
