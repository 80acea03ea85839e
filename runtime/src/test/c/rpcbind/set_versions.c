/*
 * Registers versions 1 and 3 of PROGRAM, and no version 2, as C servers register with the
 * directory on this host, for MissingVersionInteropTest:
 *
 *   set_versions PROGRAM
 *
 * Version 1 with pmap_set (portmap's call, TCP and UDP ports), version 3 with rpcb_set (rpcbind's,
 * a netconfig and an address each for tcp and udp), all at 127.0.0.1 port 4001 (15.161), where
 * nothing needs to listen. Prints one line per call, "pmap_set 1 tcp TRUE"; exits 1 if any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <netconfig.h>
#include <rpc/rpc.h>
#include <rpc/pmap_clnt.h>
#include <rpc/rpcb_clnt.h>

static int failed;

static void report(const char *call, int version, const char *netid, bool_t done) {
  printf("%s %d %s %s\n", call, version, netid, done ? "TRUE" : "FALSE");
  failed |= !done;
}

static void rpcb_set_at(rpcprog_t program, rpcvers_t version, const char *netid) {
  struct netconfig *nconf = getnetconfigent(netid);
  struct netbuf *address = nconf == NULL ? NULL : uaddr2taddr(nconf, "127.0.0.1.15.161");
  report("rpcb_set", (int) version, netid, address != NULL && rpcb_set(program, version, nconf, address));
  if (nconf != NULL) {
    freenetconfigent(nconf);
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: set_versions PROGRAM\n");
    return 2;
  }
  rpcprog_t program = (rpcprog_t) strtoul(argv[1], NULL, 0);
  report("pmap_set", 1, "tcp", pmap_set(program, 1, IPPROTO_TCP, 4001));
  report("pmap_set", 1, "udp", pmap_set(program, 1, IPPROTO_UDP, 4001));
  rpcb_set_at(program, 3, "tcp");
  rpcb_set_at(program, 3, "udp");
  return failed;
}
