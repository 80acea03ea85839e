/*
 * libtirpc's portmapper and rpcbind client functions against the directory on HOST's port 111,
 * printing one deterministic line per call for rpcb-calls.txt:
 *
 *   rpcb_calls HOST PROGRAM
 *
 * First the library functions C programs call (pmap_set, pmap_getport, pmap_getmaps, pmap_unset,
 * rpcb_set, rpcb_getaddr, rpcb_getmaps, rpcb_gettime, rpcb_taddr2uaddr, rpcb_uaddr2taddr,
 * rpcb_unset), which pick their own transport and version; then every version (portmap 2,
 * rpcbind 3 and 4) over TCP and over UDP explicitly, through clnt_create and libtirpc's own XDR
 * routines. PROGRAM must be registered nowhere when it starts; it is again when it ends. Setting
 * a mapping again at the same address, and unsetting one no longer there, succeed, as rpcbind
 * answers them.
 */
#include <arpa/inet.h>
#include <netconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <rpc/rpc.h>
#include <rpc/pmap_clnt.h>
#include <rpc/pmap_prot.h>
#include <rpc/rpcb_clnt.h>
#include <rpc/rpcb_prot.h>

static const char *host;
static rpcprog_t program;
static struct timeval timeout = {10, 0};

static const char *yes(bool_t b) {
  return b ? "TRUE" : "FALSE";
}

/* The first entry of program in a portmap list, as "vers proto port", or "none". */
static void print_pmaplist(const char *label, struct pmaplist *l) {
  printf("%s:", label);
  int found = 0;
  for (int proto = IPPROTO_TCP; proto <= IPPROTO_UDP; proto += IPPROTO_UDP - IPPROTO_TCP) {
    for (struct pmaplist *p = l; p != NULL; p = p->pml_next) {
      if (p->pml_map.pm_prog == program && p->pml_map.pm_prot == (u_long) proto) {
        printf(" v%lu/%s/%lu", p->pml_map.pm_vers, proto == IPPROTO_TCP ? "tcp" : "udp",
            p->pml_map.pm_port);
        found = 1;
      }
    }
  }
  printf("%s\n", found ? "" : " none");
}

/* The entries of program in an rpcbind list, in netid order tcp, udp, tcp6, udp6. */
static void print_rpcblist(const char *label, rpcblist *l) {
  static const char *netids[] = {"tcp", "udp", "tcp6", "udp6"};
  printf("%s:", label);
  int found = 0;
  for (int n = 0; n < 4; n++) {
    for (rpcblist *r = l; r != NULL; r = r->rpcb_next) {
      if (r->rpcb_map.r_prog == program && strcmp(r->rpcb_map.r_netid, netids[n]) == 0) {
        printf(" v%lu/%s/%s/%s", (unsigned long) r->rpcb_map.r_vers, r->rpcb_map.r_netid,
            r->rpcb_map.r_addr, r->rpcb_map.r_owner);
        found = 1;
      }
    }
  }
  printf("%s\n", found ? "" : " none");
}

static void library_functions(void) {
  struct sockaddr_in address;
  memset(&address, 0, sizeof address);
  address.sin_family = AF_INET;
  address.sin_port = htons(PMAPPORT);
  inet_pton(AF_INET, host, &address.sin_addr);

  printf("pmap_set(v1, tcp, 4321) -> %s\n", yes(pmap_set(program, 1, IPPROTO_TCP, 4321)));
  printf("pmap_set(v1, udp, 4322) -> %s\n", yes(pmap_set(program, 1, IPPROTO_UDP, 4322)));
  printf("pmap_getport(v1, tcp) -> %u\n", pmap_getport(&address, program, 1, IPPROTO_TCP));
  printf("pmap_getport(v1, udp) -> %u\n", pmap_getport(&address, program, 1, IPPROTO_UDP));
  print_pmaplist("pmap_getmaps", pmap_getmaps(&address));

  struct netconfig *tcp6 = getnetconfigent("tcp6");
  struct netbuf *loopback6 = uaddr2taddr(tcp6, "::1.16.227");
  printf("rpcb_set(v2, tcp6, ::1.16.227) -> %s\n", yes(rpcb_set(program, 2, tcp6, loopback6)));
  printf("rpcb_set(v2, tcp6) again -> %s\n", yes(rpcb_set(program, 2, tcp6, loopback6)));
  /* rpcb_getaddr asks over the netconfig's transport; the conversions go to the local rpcbind. */
  static const char *netids[] = {"tcp", "udp"};
  for (int n = 0; n < 2; n++) {
    struct netconfig *nc = getnetconfigent(netids[n]);
    char buffer[128];
    struct netbuf found = {sizeof buffer, 0, buffer};
    bool_t ok = rpcb_getaddr(program, 1, nc, &found, host);
    char *uaddr = ok ? taddr2uaddr(nc, &found) : NULL;
    printf("rpcb_getaddr(v1, %s) -> %s\n", netids[n], uaddr != NULL ? uaddr : "FALSE");
    freenetconfigent(nc);
  }
  char *uaddr = rpcb_taddr2uaddr(tcp6, loopback6);
  printf("rpcb_taddr2uaddr(tcp6, ::1.16.227) -> %s\n", uaddr != NULL ? uaddr : "NULL");
  struct netbuf *taddr = rpcb_uaddr2taddr(tcp6, "::1.16.227");
  uaddr = taddr != NULL ? taddr2uaddr(tcp6, taddr) : NULL;
  printf("rpcb_uaddr2taddr(tcp6, ::1.16.227) -> %s (%u bytes)\n", uaddr != NULL ? uaddr : "NULL",
      taddr != NULL ? taddr->len : 0);
  struct netconfig *tcp = getnetconfigent("tcp");
  print_rpcblist("rpcb_getmaps", rpcb_getmaps(tcp, host));
  time_t now = 0;
  bool_t ok = rpcb_gettime(host, &now);
  printf("rpcb_gettime -> %s, %s\n", yes(ok), labs((long) (now - time(NULL))) <= 2 ? "now" : "wrong");
  printf("rpcb_unset(v2, tcp6) -> %s\n", yes(rpcb_unset(program, 2, tcp6)));
  printf("rpcb_unset(v2, tcp6) again -> %s\n", yes(rpcb_unset(program, 2, tcp6)));
  print_rpcblist("rpcb_getmaps after", rpcb_getmaps(tcp, host));
  printf("pmap_unset(v1) -> %s\n", yes(pmap_unset(program, 1)));
  printf("pmap_unset(v1) again -> %s\n", yes(pmap_unset(program, 1)));
  printf("pmap_getport(v1, tcp) after -> %u\n", pmap_getport(&address, program, 1, IPPROTO_TCP));
  freenetconfigent(tcp);
  freenetconfigent(tcp6);
}

static CLIENT *portmapper(rpcvers_t version, const char *netid) {
  CLIENT *client = clnt_create(host, PMAPPROG, version, netid);
  if (client == NULL) {
    clnt_pcreateerror("rpcb_calls");
    exit(2);
  }
  return client;
}

static const char *call(CLIENT *c, rpcproc_t proc, xdrproc_t in, void *args, xdrproc_t out,
    void *result) {
  enum clnt_stat status = clnt_call(c, proc, in, args, out, result, timeout);
  return status == RPC_SUCCESS ? NULL : clnt_sperrno(status);
}

static void version_2(const char *netid) {
  CLIENT *c = portmapper(PMAPVERS, netid);
  const char *failed = call(c, NULLPROC, (xdrproc_t) xdr_void, NULL, (xdrproc_t) xdr_void, NULL);
  printf("%s v2 NULL -> %s\n", netid, failed ? failed : "ok");
  struct pmap set = {program, 3, IPPROTO_UDP, 4323};
  bool_t done = FALSE;
  failed = call(c, PMAPPROC_SET, (xdrproc_t) xdr_pmap, &set, (xdrproc_t) xdr_bool, &done);
  printf("%s v2 SET(v3, udp, 4323) -> %s\n", netid, failed ? failed : yes(done));
  u_long port = 0;
  failed = call(c, PMAPPROC_GETPORT, (xdrproc_t) xdr_pmap, &set, (xdrproc_t) xdr_u_long, &port);
  printf("%s v2 GETPORT(v3, udp) -> ", netid);
  failed ? printf("%s\n", failed) : printf("%lu\n", port);
  struct pmaplist *list = NULL;
  failed = call(c, PMAPPROC_DUMP, (xdrproc_t) xdr_void, NULL, (xdrproc_t) xdr_pmaplist_ptr, &list);
  char label[32];
  snprintf(label, sizeof label, "%s v2 DUMP", netid);
  failed ? printf("%s -> %s\n", label, failed) : print_pmaplist(label, list);
  xdr_free((xdrproc_t) xdr_pmaplist_ptr, (char *) &list);
  failed = call(c, PMAPPROC_UNSET, (xdrproc_t) xdr_pmap, &set, (xdrproc_t) xdr_bool, &done);
  printf("%s v2 UNSET(v3) -> %s\n", netid, failed ? failed : yes(done));
  failed = call(c, PMAPPROC_UNSET, (xdrproc_t) xdr_pmap, &set, (xdrproc_t) xdr_bool, &done);
  printf("%s v2 UNSET(v3) again -> %s\n", netid, failed ? failed : yes(done));
  clnt_destroy(c);
}

static void version_3_or_4(rpcvers_t version, const char *netid) {
  CLIENT *c = portmapper(version, netid);
  const char *failed = call(c, NULLPROC, (xdrproc_t) xdr_void, NULL, (xdrproc_t) xdr_void, NULL);
  printf("%s v%lu NULL -> %s\n", netid, (unsigned long) version, failed ? failed : "ok");
  RPCB set = {program, 4, "udp", "0.0.0.0.16.228", "ignored"};
  bool_t done = FALSE;
  failed = call(c, RPCBPROC_SET, (xdrproc_t) xdr_rpcb, &set, (xdrproc_t) xdr_bool, &done);
  printf("%s v%lu SET(v4, udp, 0.0.0.0.16.228) -> %s\n", netid, (unsigned long) version,
      failed ? failed : yes(done));
  char *uaddr = NULL;
  failed = call(c, RPCBPROC_GETADDR, (xdrproc_t) xdr_rpcb, &set, (xdrproc_t) xdr_wrapstring, &uaddr);
  printf("%s v%lu GETADDR(v4, udp) -> %s\n", netid, (unsigned long) version, failed ? failed : uaddr);
  if (version == RPCBVERS4) {
    RPCB other = {program, 5, "udp", "", ""};
    char *exact = NULL;
    failed = call(c, RPCBPROC_GETVERSADDR, (xdrproc_t) xdr_rpcb, &other,
        (xdrproc_t) xdr_wrapstring, &exact);
    printf("%s v4 GETVERSADDR(v5, udp) -> \"%s\"\n", netid, failed ? failed : exact);
    rpcb_entry_list_ptr entries = NULL;
    failed = call(c, RPCBPROC_GETADDRLIST, (xdrproc_t) xdr_rpcb, &set,
        (xdrproc_t) xdr_rpcb_entry_list_ptr, &entries);
    printf("%s v4 GETADDRLIST(v4) ->", netid);
    if (failed) {
      printf(" %s", failed);
    }
    for (rpcb_entry_list_ptr e = entries; e != NULL; e = e->rpcb_entry_next) {
      printf(" %s/%s/%s/%lu", e->rpcb_entry_map.r_maddr, e->rpcb_entry_map.r_nc_netid,
          e->rpcb_entry_map.r_nc_protofmly, (unsigned long) e->rpcb_entry_map.r_nc_semantics);
    }
    printf("\n");
  }
  u_int seconds = 0;
  failed = call(c, RPCBPROC_GETTIME, (xdrproc_t) xdr_void, NULL, (xdrproc_t) xdr_u_int, &seconds);
  printf("%s v%lu GETTIME -> %s\n", netid, (unsigned long) version,
      failed ? failed : labs((long) seconds - (long) time(NULL)) <= 2 ? "now" : "wrong");
  struct netbuf taddr = {0, 0, NULL};
  char *given = "127.0.0.1.16.228";
  failed = call(c, RPCBPROC_UADDR2TADDR, (xdrproc_t) xdr_wrapstring, &given,
      (xdrproc_t) xdr_netbuf, &taddr);
  char *back = NULL;
  if (!failed) {
    failed = call(c, RPCBPROC_TADDR2UADDR, (xdrproc_t) xdr_netbuf, &taddr,
        (xdrproc_t) xdr_wrapstring, &back);
  }
  printf("%s v%lu UADDR2TADDR, TADDR2UADDR(%s) -> %s (%u bytes)\n", netid, (unsigned long) version,
      given, failed ? failed : back, taddr.len);
  rpcblist_ptr list = NULL;
  failed = call(c, RPCBPROC_DUMP, (xdrproc_t) xdr_void, NULL, (xdrproc_t) xdr_rpcblist_ptr, &list);
  char label[32];
  snprintf(label, sizeof label, "%s v%lu DUMP", netid, (unsigned long) version);
  failed ? printf("%s -> %s\n", label, failed) : print_rpcblist(label, list);
  failed = call(c, RPCBPROC_UNSET, (xdrproc_t) xdr_rpcb, &set, (xdrproc_t) xdr_bool, &done);
  printf("%s v%lu UNSET(v4) -> %s\n", netid, (unsigned long) version, failed ? failed : yes(done));
  failed = call(c, RPCBPROC_UNSET, (xdrproc_t) xdr_rpcb, &set, (xdrproc_t) xdr_bool, &done);
  printf("%s v%lu UNSET(v4) again -> %s\n", netid, (unsigned long) version,
      failed ? failed : yes(done));
  clnt_destroy(c);
}

/* GETSTAT (v4): the NULL calls each version counted, which the calls above made two of each. */
static void statistics(const char *netid) {
  CLIENT *c = portmapper(RPCBVERS4, netid);
  rpcb_stat_byvers stats;
  memset(&stats, 0, sizeof stats);
  const char *failed = call(c, RPCBPROC_GETSTAT, (xdrproc_t) xdr_void, NULL,
      (xdrproc_t) xdr_rpcb_stat_byvers, &stats);
  if (failed) {
    printf("%s v4 GETSTAT -> %s\n", netid, failed);
  } else {
    printf("%s v4 GETSTAT -> NULL calls v2 %d, v3 %d, v4 %d; SETs v2 %d, v3 %d, v4 %d\n", netid,
        stats[0].info[NULLPROC], stats[1].info[NULLPROC], stats[2].info[NULLPROC],
        stats[0].setinfo, stats[1].setinfo, stats[2].setinfo);
    xdr_free((xdrproc_t) xdr_rpcb_stat_byvers, (char *) &stats);
  }
  clnt_destroy(c);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: rpcb_calls HOST PROGRAM\n");
    return 2;
  }
  alarm(120); /* never outlive a test that forgot us */
  host = argv[1];
  program = strtoul(argv[2], NULL, 0);
  library_functions();
  static const char *netids[] = {"tcp", "udp"};
  for (int n = 0; n < 2; n++) {
    version_2(netids[n]);
    version_3_or_4(RPCBVERS, netids[n]);
    version_3_or_4(RPCBVERS4, netids[n]);
  }
  statistics("tcp");
  return 0;
}
