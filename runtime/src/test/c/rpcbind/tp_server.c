/*
 * A server of dirtest.x's ADD as programs written for libtirpc's transport-independent API start
 * theirs (rpcgen's main uses the old svcudp_create and svctcp_create instead):
 *
 *   tp_server PROGRAM create NETTYPE     svc_create: every transport of NETTYPE ("netpath": the
 *                                        visible netids of /etc/netconfig, udp, tcp, udp6, tcp6)
 *   tp_server PROGRAM tp NETID...        svc_tp_create on each NETID's netconfig entry
 *
 * Each transport is registered (rpcb_set, through rpcbind's local socket) at the universal
 * address of its wildcard socket. It first unsets what PROGRAM version 1 had on every netid, as
 * rpcgen's servers do, prints "ready" once every transport is registered, and serves until
 * killed. The dispatcher (rpcgen -m) answers ADD whatever the program number.
 */
#include <netconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rpc/rpc.h>

#include "dirtest.h"

void testprog_1(struct svc_req *request, SVCXPRT *transport); /* from rpcgen -m */

int *add_1_svc(pair *args, struct svc_req *request) {
  static int sum;
  sum = args->a + args->b;
  return &sum;
}

int main(int argc, char **argv) {
  if (argc < 4 || (strcmp(argv[2], "create") != 0 && strcmp(argv[2], "tp") != 0)) {
    fprintf(stderr, "usage: %s PROGRAM create NETTYPE | PROGRAM tp NETID...\n", argv[0]);
    return 2;
  }
  rpcprog_t program = strtoul(argv[1], NULL, 0);
  rpcb_unset(program, TESTVERS, NULL);
  if (strcmp(argv[2], "create") == 0) {
    if (svc_create(testprog_1, program, TESTVERS, argv[3]) == 0) {
      fprintf(stderr, "svc_create(%s) created no transport\n", argv[3]);
      return 1;
    }
  } else {
    for (int i = 3; i < argc; i++) {
      struct netconfig *netconfig = getnetconfigent(argv[i]);
      if (netconfig == NULL) {
        fprintf(stderr, "no netconfig entry %s\n", argv[i]);
        return 1;
      }
      if (svc_tp_create(testprog_1, program, TESTVERS, netconfig) == NULL) {
        fprintf(stderr, "svc_tp_create(%s) failed\n", argv[i]);
        return 1;
      }
      freenetconfigent(netconfig);
    }
  }
  printf("ready\n");
  fflush(stdout);
  svc_run();
  fprintf(stderr, "svc_run returned\n");
  return 1;
}
