/*
 * A client of dirtest.x's ADD as programs written for libtirpc's transport-independent API make
 * theirs: clnt_tp_create on one netconfig entry, which asks HOST's rpcbind for the address
 * (version 4 GETADDR, then 3, then portmap 2 for inet), over that entry's transport:
 *
 *   tp_client HOST PROGRAM NETID [VERSION]
 *
 * Prints "add(2, 40) = 42 over NETID", or libtirpc's own words for what failed.
 */
#include <netconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <rpc/rpc.h>

#include "dirtest.h"

int main(int argc, char **argv) {
  if (argc != 4 && argc != 5) {
    fprintf(stderr, "usage: %s HOST PROGRAM NETID [VERSION]\n", argv[0]);
    return 2;
  }
  rpcprog_t program = strtoul(argv[2], NULL, 0);
  rpcvers_t version = argc == 5 ? strtoul(argv[4], NULL, 0) : TESTVERS;
  struct netconfig *netconfig = getnetconfigent(argv[3]);
  if (netconfig == NULL) {
    fprintf(stderr, "no netconfig entry %s\n", argv[3]);
    return 2;
  }
  CLIENT *client = clnt_tp_create(argv[1], program, version, netconfig);
  freenetconfigent(netconfig);
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
  printf("add(2, 40) = %d over %s\n", *sum, argv[3]);
  clnt_destroy(client);
  return 0;
}
