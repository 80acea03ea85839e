/*
 * A portmapper that speaks version 2 only (RFC 1833 section 3), as the old portmap daemon and
 * small embedded ones do: SET, UNSET, GETPORT and DUMP over a table in memory. Calls to versions
 * 3 and 4 get libtirpc's PROG_MISMATCH (2..2). It listens on 127.0.0.1, TCP and UDP on one free
 * port number, which it prints, and serves until killed or its lifetime (default 300 s) ends.
 *
 *   portmap_v2 [lifetime-seconds]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rpc/rpc.h>
#include <rpc/pmap_prot.h>

#include "same_port.h"

#define MAX_MAPPINGS 64

static struct pmaplist table[MAX_MAPPINGS];
static int mappings;

static void relink(void) {
  for (int i = 0; i < mappings; i++) {
    table[i].pml_next = i + 1 < mappings ? &table[i + 1] : NULL;
  }
}

static struct pmap *find(u_long program, u_long version, u_long protocol) {
  for (int i = 0; i < mappings; i++) {
    struct pmap *m = &table[i].pml_map;
    if (m->pm_prog == program && m->pm_vers == version && m->pm_prot == protocol) {
      return m;
    }
  }
  return NULL;
}

static bool_t set(const struct pmap *m) {
  if (find(m->pm_prog, m->pm_vers, m->pm_prot) != NULL || mappings == MAX_MAPPINGS) {
    return FALSE;
  }
  table[mappings++].pml_map = *m;
  relink();
  return TRUE;
}

static bool_t unset(const struct pmap *m) {
  bool_t removed = FALSE;
  for (int i = 0; i < mappings;) {
    if (table[i].pml_map.pm_prog == m->pm_prog && table[i].pml_map.pm_vers == m->pm_vers) {
      table[i] = table[--mappings];
      removed = TRUE;
    } else {
      i++;
    }
  }
  relink();
  return removed;
}

static void dispatch(struct svc_req *request, SVCXPRT *transport) {
  struct pmap m;
  bool_t done;
  u_long port;
  switch (request->rq_proc) {
    case PMAPPROC_NULL:
      svc_sendreply(transport, (xdrproc_t) xdr_void, NULL);
      return;
    case PMAPPROC_SET:
    case PMAPPROC_UNSET:
    case PMAPPROC_GETPORT:
      if (!svc_getargs(transport, (xdrproc_t) xdr_pmap, (char *) &m)) {
        svcerr_decode(transport);
        return;
      }
      if (request->rq_proc == PMAPPROC_GETPORT) {
        struct pmap *found = find(m.pm_prog, m.pm_vers, m.pm_prot);
        port = found == NULL ? 0 : found->pm_port;
        svc_sendreply(transport, (xdrproc_t) xdr_u_long, (char *) &port);
      } else {
        done = request->rq_proc == PMAPPROC_SET ? set(&m) : unset(&m);
        svc_sendreply(transport, (xdrproc_t) xdr_bool, (char *) &done);
      }
      return;
    case PMAPPROC_DUMP: {
      struct pmaplist *list = mappings == 0 ? NULL : &table[0];
      svc_sendreply(transport, (xdrproc_t) xdr_pmaplist, (char *) &list);
      return;
    }
    default:
      svcerr_noproc(transport);
  }
}

int main(int argc, char **argv) {
  alarm(argc > 1 ? (unsigned) atoi(argv[1]) : 300);
  int tcp, udp;
  in_port_t port = same_port_sockets("portmap_v2", &tcp, &udp);
  if (port == 0) {
    return 1;
  }
  SVCXPRT *tcp_transport = svctcp_create(tcp, 0, 0);
  SVCXPRT *udp_transport = svcudp_create(udp);
  /* Protocol 0: the dispatcher only; this is the portmapper, nobody to register with. */
  if (tcp_transport == NULL || udp_transport == NULL
      || !svc_register(tcp_transport, PMAPPROG, PMAPVERS, dispatch, 0)
      || !svc_register(udp_transport, PMAPPROG, PMAPVERS, dispatch, 0)) {
    fprintf(stderr, "portmap_v2: cannot serve\n");
    return 1;
  }
  printf("%d\n", (int) port);
  fflush(stdout);
  svc_run();
  return 1;
}
