/*
 * libtirpc's rpcbind client functions over every netid of /etc/netconfig that rpcbind serves
 * (tcp, udp, tcp6, udp6, local), as a C program calls them on this machine:
 *
 *   getaddr_netids PROGRAM
 *
 * rpcb_set registers version 1 of PROGRAM on each netid at a loopback address (a socket path
 * for local) and version 2 at the wildcard of tcp, tcp6 and udp6; rpcb_getaddr asks for each
 * version and netid at 127.0.0.1 and at ::1 (libtirpc asks the rpcbind of HOST over the
 * netid's own transport, and over the local socket for local; a host of the other family is
 * "Unknown host" before any call); rpcb_taddr2uaddr and rpcb_uaddr2taddr convert an IPv6 and a
 * local address through the local rpcbind; rpcb_unset removes each. One line per call.
 */
#include <netconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rpc/rpc.h>
#include <rpc/rpcb_clnt.h>

static const char *netids[] = {"tcp", "udp", "tcp6", "udp6", "local"};
#define NETIDS 5

static const char *yes(bool_t b) {
  return b ? "TRUE" : "FALSE";
}

static void set(rpcprog_t program, rpcvers_t version, const char *netid, const char *uaddr) {
  struct netconfig *nc = getnetconfigent(netid);
  struct netbuf *taddr = nc != NULL ? uaddr2taddr(nc, uaddr) : NULL;
  printf("rpcb_set(v%lu, %s, %s) -> %s\n", (unsigned long) version, netid, uaddr,
      taddr != NULL ? yes(rpcb_set(program, version, nc, taddr)) : "no netconfig or address");
  if (taddr != NULL) {
    free(taddr->buf);
    free(taddr);
  }
  if (nc != NULL) {
    freenetconfigent(nc);
  }
}

static void getaddr(rpcprog_t program, rpcvers_t version, const char *netid, const char *host) {
  struct netconfig *nc = getnetconfigent(netid);
  char buffer[128];
  struct netbuf found = {sizeof buffer, 0, buffer};
  bool_t ok = rpcb_getaddr(program, version, nc, &found, host);
  char *uaddr = ok ? taddr2uaddr(nc, &found) : NULL;
  printf("rpcb_getaddr(v%lu, %s, %s) -> %s\n", (unsigned long) version, netid, host,
      uaddr != NULL ? uaddr : clnt_spcreateerror("FALSE"));
  free(uaddr);
  freenetconfigent(nc);
}

/* uaddr -> taddr -> uaddr through the local rpcbind (UADDR2TADDR, TADDR2UADDR). */
static void convert(const char *netid, const char *uaddr) {
  struct netconfig *nc = getnetconfigent(netid);
  struct netbuf *taddr = rpcb_uaddr2taddr(nc, (char *) uaddr);
  char *back = taddr != NULL ? rpcb_taddr2uaddr(nc, taddr) : NULL;
  printf("rpcb_uaddr2taddr(%s, %s) -> %u bytes, rpcb_taddr2uaddr -> %s\n", netid, uaddr,
      taddr != NULL ? taddr->len : 0, back != NULL ? back : "NULL");
  free(back);
  if (taddr != NULL) {
    free(taddr->buf);
    free(taddr);
  }
  freenetconfigent(nc);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: getaddr_netids PROGRAM\n");
    return 2;
  }
  rpcprog_t program = strtoul(argv[1], NULL, 0);
  static const char *loopback[] = {"127.0.0.1.16.225", "127.0.0.1.16.226", "::1.16.227", "::1.16.228",
                                   "/run/getaddr_netids.sock"};
  for (int n = 0; n < NETIDS; n++) {
    set(program, 1, netids[n], loopback[n]);
  }
  set(program, 2, "tcp", "0.0.0.0.16.229");
  set(program, 2, "tcp6", "::.16.230");
  set(program, 2, "udp6", "::.16.231");
  static const char *hosts[] = {"127.0.0.1", "::1"};
  for (rpcvers_t version = 1; version <= 2; version++) {
    for (int h = 0; h < 2; h++) {
      for (int n = 0; n < NETIDS; n++) {
        getaddr(program, version, netids[n], hosts[h]);
      }
    }
  }
  convert("tcp6", "::1.16.227");
  convert("udp6", "fe80::1.0.111");
  convert("local", "/run/getaddr_netids.sock");
  for (rpcvers_t version = 1; version <= 2; version++) {
    for (int n = 0; n < NETIDS; n++) {
      struct netconfig *nc = getnetconfigent(netids[n]);
      printf("rpcb_unset(v%lu, %s) -> %s\n", (unsigned long) version, netids[n],
          yes(rpcb_unset(program, version, nc)));
      freenetconfigent(nc);
    }
  }
  return 0;
}
