/*
 * libtirpc's local transport (netid "local" in /etc/netconfig: a record-marked stream over a
 * Unix-domain socket) found through the rpcbind on this machine, for LocalTransportInteropTest:
 *
 *   local_peer server PATH    serves ADD on a Unix-domain socket at PATH (svcunix_create) and
 *                             registers it with svc_reg on the netconfig entry "local", which
 *                             sets the mapping through rpcbind's own socket; prints "registered"
 *   local_peer client HOST    asks HOST's rpcbind for the program's "local" address
 *                             (clnt_tp_create, as transport-independent C clients do) and calls
 *                             ADD(2, 40) there
 *
 * The program is org.onyxrpc.testing.TestService's, version 1: ADD takes two ints and returns
 * their sum. Its XDR routine is written here, so no rpcgen is needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <rpc/rpc.h>

#define TEST_PROG 0x20000101
#define TEST_VERS 1
#define ADD 1

struct pair {
  int a;
  int b;
};

static bool_t xdr_pair(XDR *xdrs, struct pair *p) {
  return xdr_int(xdrs, &p->a) && xdr_int(xdrs, &p->b);
}

static void dispatch(struct svc_req *request, SVCXPRT *transport) {
  switch (request->rq_proc) {
    case NULLPROC:
      svc_sendreply(transport, (xdrproc_t) xdr_void, NULL);
      return;
    case ADD: {
      struct pair p;
      if (!svc_getargs(transport, (xdrproc_t) xdr_pair, (char *) &p)) {
        svcerr_decode(transport);
        return;
      }
      int sum = p.a + p.b;
      svc_sendreply(transport, (xdrproc_t) xdr_int, (char *) &sum);
      return;
    }
    default:
      svcerr_noproc(transport);
  }
}

static struct netconfig *local_netconfig(void) {
  struct netconfig *nconf = getnetconfigent("local");
  if (nconf == NULL) {
    fprintf(stderr, "local_peer: no netconfig entry \"local\" in /etc/netconfig\n");
    exit(2);
  }
  return nconf;
}

static int serve(const char *path) {
  unlink(path);
  SVCXPRT *transport = svcunix_create(RPC_ANYSOCK, 0, 0, (char *) path);
  if (transport == NULL) {
    fprintf(stderr, "local_peer: cannot serve on %s\n", path);
    return 1;
  }
  if (!svc_reg(transport, TEST_PROG, TEST_VERS, dispatch, local_netconfig())) {
    fprintf(stderr, "local_peer: svc_reg on \"local\" failed\n");
    return 1;
  }
  printf("registered\n");
  fflush(stdout);
  svc_run();
  fprintf(stderr, "svc_run returned\n");
  return 1;
}

static int call(const char *host) {
  CLIENT *client = clnt_tp_create(host, TEST_PROG, TEST_VERS, local_netconfig());
  if (client == NULL) {
    clnt_pcreateerror(host);
    return 1;
  }
  struct pair args = {2, 40};
  int sum = 0;
  struct timeval timeout = {10, 0};
  if (clnt_call(client, ADD, (xdrproc_t) xdr_pair, (char *) &args, (xdrproc_t) xdr_int,
          (char *) &sum, timeout) != RPC_SUCCESS) {
    clnt_perror(client, "add");
    return 1;
  }
  printf("add(2, 40) = %d over local\n", sum);
  clnt_destroy(client);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3 || (strcmp(argv[1], "server") != 0 && strcmp(argv[1], "client") != 0)) {
    fprintf(stderr, "usage: local_peer server PATH | local_peer client HOST\n");
    return 2;
  }
  alarm(120); /* never outlive a test that forgot us */
  return strcmp(argv[1], "server") == 0 ? serve(argv[2]) : call(argv[2]);
}
