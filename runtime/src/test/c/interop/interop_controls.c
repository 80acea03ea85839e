/*
 * The "controls" mode of interop_client: what clnt_control changes on a client, seen by a server
 * (expected-controls.txt). CLGET_SERVER_ADDR reports the address asked for; CLSET_VERS moves
 * the client to version 2 (refused with the server's range) and back; CLSET_XID gives a second
 * client, on another socket, the xid the first one just used, and a server that remembers calls
 * by xid (libtirpc's UDP reply cache, Onyx's duplicate request cache) must run the second call
 * rather than answer it with the first's reply; CLSET_TIMEOUT cuts a call short, and the late
 * reply that still comes is not taken for the next call's (over a stream, only if the replies
 * come in order: after a timeout libtirpc drops the next record whatever its xid).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "interop_client.h"

#define SHARED_XID 0x5eed0001u

static void print_status(const char *label, CLIENT *client, enum clnt_stat status) {
  printf("%s -> %s", label, clnt_sperrno(status));
  if (status == RPC_PROGVERSMISMATCH) {
    struct rpc_err error;
    clnt_geterr(client, &error);
    printf(" (versions %lu..%lu)", (unsigned long) error.re_vers.low,
        (unsigned long) error.re_vers.high);
  }
  printf("\n");
}

static enum clnt_stat null_call(CLIENT *client) {
  struct timeval unused = {10, 0};
  return clnt_call(client, NULLPROC, (xdrproc_t) xdr_void, NULL, (xdrproc_t) xdr_void, NULL,
      unused);
}

/* COUNT_RUNS(0) with the xid CLSET_XID sets, or 0 on failure (printed); *sent: CLGET_XID after. */
static u_int runs_with_xid(CLIENT *client, u_int32_t xid, u_int32_t *sent) {
  clnt_control(client, CLSET_XID, (char *) &xid);
  u_int *runs = count_runs_1(0, client);
  clnt_control(client, CLGET_XID, (char *) sent);
  if (runs == NULL) {
    struct rpc_err error;
    clnt_geterr(client, &error);
    printf("COUNT_RUNS(0) after CLSET_XID -> %s\n", clnt_sperrno(error.re_status));
    return 0;
  }
  return *runs;
}

void controls(u_short port) {
  CLIENT *client = connect_to(INTEROP_PROG, INTEROP_V1);

  struct sockaddr_storage address;
  memset(&address, 0, sizeof address);
  int found = clnt_control(client, CLGET_SERVER_ADDR, (char *) &address);
  u_short reported = address.ss_family == AF_INET6
      ? ntohs(((struct sockaddr_in6 *) &address)->sin6_port)
      : ntohs(((struct sockaddr_in *) &address)->sin_port);
  printf("CLGET_SERVER_ADDR -> %s\n",
      !found ? "FALSE" : reported == port ? "the port asked for" : "another port");

  rpcvers_t version = 2;
  clnt_control(client, CLSET_VERS, (char *) &version);
  print_status("CLSET_VERS 2, NULL", client, null_call(client));
  version = 0;
  clnt_control(client, CLGET_VERS, (char *) &version);
  printf("CLGET_VERS -> %lu\n", (unsigned long) version);
  version = INTEROP_V1;
  clnt_control(client, CLSET_VERS, (char *) &version);
  print_status("CLSET_VERS 1, NULL", client, null_call(client));

  CLIENT *other = connect_to(INTEROP_PROG, INTEROP_V1);
  u_int32_t first_xid = 0, second_xid = 0;
  u_int first = runs_with_xid(client, SHARED_XID, &first_xid);
  u_int second = runs_with_xid(other, SHARED_XID, &second_xid);
  /* (libtirpc's stream client sends another xid than CLSET_XID asks, but both clients the same.) */
  printf("COUNT_RUNS(0) from two clients after CLSET_XID 0x%08x -> %s\n", SHARED_XID,
      first == 0 || second == 0 ? "failed"
      : first_xid != second_xid ? "sent with different xids"
      : second == first + 1 ? "both ran"
      : "the second was answered with the first's reply");
  clnt_destroy(other);

  struct timeval short_timeout = {0, 300 * 1000};
  clnt_control(client, CLSET_TIMEOUT, (char *) &short_timeout);
  struct timeval got = {0, 0};
  clnt_control(client, CLGET_TIMEOUT, (char *) &got);
  u_int delay_ms = 1500;
  u_int runs = 0;
  enum clnt_stat status = clnt_call(client, COUNT_RUNS, (xdrproc_t) xdr_u_int, (char *) &delay_ms,
      (xdrproc_t) xdr_u_int, (char *) &runs, short_timeout);
  printf("COUNT_RUNS(1500) with CLSET_TIMEOUT %ld ms -> %s\n",
      (long) (got.tv_sec * 1000 + got.tv_usec / 1000), clnt_sperrno(status));
  struct timeval long_timeout = {10, 0};
  clnt_control(client, CLSET_TIMEOUT, (char *) &long_timeout);
  /* Sent while COUNT_RUNS(1500) runs; its late reply comes before or after this call's. */
  color *next = next_color_1(RED, client);
  printf("NEXT_COLOR(RED) next -> %s\n",
      next == NULL ? "failed" : *next == GREEN ? "GREEN" : "another color");
  next = next_color_1(GREEN, client);
  printf("NEXT_COLOR(GREEN) after it -> %s\n",
      next == NULL ? "failed" : *next == BLUE ? "BLUE" : "another color");
  clnt_destroy(client);
}

/*
 * The "xid-reuse" mode: one client gives three calls in turn the same xid with CLSET_XID, as a
 * program that restores a saved xid would. The same call again (procedure, arguments, credential,
 * sender) cannot be told from a retransmission: a server that caches replies by xid answers it
 * with the first's reply, not running it again; another call under that xid is another call.
 */
void xid_reuse(void) {
  CLIENT *client = connect_to(INTEROP_PROG, INTEROP_V1);
  u_int32_t xid = SHARED_XID + 1, sent = 0, again = 0;
  u_int first = runs_with_xid(client, xid, &sent);
  u_int second = runs_with_xid(client, xid, &again);
  printf("COUNT_RUNS(0) twice with CLSET_XID 0x%08x -> %s\n", xid,
      first == 0 || second == 0 ? "failed"
      : sent != again ? "sent with different xids"
      : second == first + 1 ? "both ran"
      : second == first ? "the second was answered with the first's reply"
      : "another count");
  clnt_control(client, CLSET_XID, (char *) &xid);
  u_int *runs = count_runs_1(1, client);
  printf("COUNT_RUNS(1) with that xid -> %s\n",
      runs == NULL ? "failed" : *runs == second + 1 ? "ran"
      : *runs == first ? "answered with the first's reply" : "another count");
  clnt_control(client, CLSET_XID, (char *) &xid);
  name who = "xid";
  text *greeting = greet_1(who, client);
  printf("GREET(\"xid\") with that xid -> %s%s%s\n", greeting == NULL ? "" : "\"",
      greeting == NULL ? "failed" : *greeting, greeting == NULL ? "" : "\"");
  clnt_destroy(client);
}

/*
 * The "restart" mode: one TCP client handle kept across a restart of the server on the same
 * port. After its first call the client prints a line and waits for one on stdin (the server
 * restarted), then calls three times on the old handle and once on a new one. libtirpc's
 * clnt_vc does not reconnect: the old connection is gone, so the calls fail (SIGPIPE ignored,
 * as a long-lived C client must, so a write to it is an error rather than the process's end).
 */
void restart(void) {
  signal(SIGPIPE, SIG_IGN);
  CLIENT *client = connect_to(INTEROP_PROG, INTEROP_V1);
  struct timeval unused = {10, 0};
  color in = RED, out = RED;
  print_status("NEXT_COLOR(RED) before the restart", client,
      clnt_call(client, NEXT_COLOR, (xdrproc_t) xdr_color, (char *) &in, (xdrproc_t) xdr_color,
          (char *) &out, unused));
  printf("restart the server\n");
  fflush(stdout);
  char line[16];
  if (fgets(line, sizeof line, stdin) == NULL) {
    clnt_destroy(client);
    return;
  }
  for (int i = 1; i <= 3; i++) {
    char label[64];
    snprintf(label, sizeof label, "NEXT_COLOR(RED) %d after it on the old handle", i);
    print_status(label, client,
        clnt_call(client, NEXT_COLOR, (xdrproc_t) xdr_color, (char *) &in, (xdrproc_t) xdr_color,
            (char *) &out, unused));
  }
  clnt_destroy(client);
  client = connect_to(INTEROP_PROG, INTEROP_V1);
  out = RED;
  enum clnt_stat status = clnt_call(client, NEXT_COLOR, (xdrproc_t) xdr_color, (char *) &in,
      (xdrproc_t) xdr_color, (char *) &out, unused);
  printf("NEXT_COLOR(RED) on a new handle -> %s, %s\n", clnt_sperrno(status),
      out == GREEN ? "GREEN" : "not GREEN");
  clnt_destroy(client);
}
