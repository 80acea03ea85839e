/*
 * The modes of interop_client whose replies are not awaited: "batch" and "abandon" (below), and
 * "oneway" and "oneway-close", libtirpc's message passing (the "hack to provide rpc-based
 * message passing" of its clnt_vc_call and clnt_dg_call). Over TCP a
 * clnt_call with a result routine and a zero timeout sends the call at once and returns
 * RPC_TIMEDOUT without waiting for a reply. libtirpc's UDP client sends nothing with a zero
 * timeout (it has used up its time before the first send), so over UDP the one-way calls wait
 * 1 ms instead. The server still runs each call and answers it.
 *
 * "oneway" sends GREET("oneway-1") to GREET("oneway-5") so, then GREET("after") with a timeout,
 * whose reply the client must tell from the five before it (other xids); over TCP it then
 * half-closes as "oneway-close" does, as the one-way calls may not have started yet. "oneway-close" sends the
 * five and lets go of the server at once: over UDP it destroys the client, whose socket closes
 * before any reply can come; over TCP it shuts down its sending side (shutdown SHUT_WR on
 * CLGET_FD's descriptor), which tells the server no more calls come, and reads what comes until
 * the server closes the connection. (clnt_destroy alone would close the socket: the first reply
 * to reach it is answered with a reset, and an Onyx server drops the calls of a reset connection
 * that it had not started: README, "closed connections".)
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "interop_client.h"

#define ONE_WAY_CALLS 5

/* The status of the last call on client, as clnt_sperrno words it. */
static const char *last_failure(CLIENT *client) {
  struct rpc_err error;
  clnt_geterr(client, &error);
  return clnt_sperrno(error.re_status);
}

static void send_one_way(CLIENT *client, int udp) {
  struct timeval no_wait = {0, udp ? 1000 : 0};
  for (int i = 1; i <= ONE_WAY_CALLS; i++) {
    char label[MAX_NAME + 1];
    snprintf(label, sizeof label, "oneway-%d", i);
    name who = label;
    text greeting = NULL;
    enum clnt_stat status = clnt_call(client, GREET, (xdrproc_t) xdr_name, (char *) &who,
        (xdrproc_t) xdr_text, (char *) &greeting, no_wait);
    /* Over UDP a reply may come within the millisecond; either way the call went. */
    printf("GREET(\"%s\") one-way -> %s\n", label,
        status == RPC_TIMEDOUT || (udp && status == RPC_SUCCESS) ? "sent"
        : clnt_sperrno(status));
    if (greeting != NULL) {
      xdr_free((xdrproc_t) xdr_text, (char *) &greeting);
    }
  }
}

/*
 * Half-closes the connection and reads until the server closes it; prints the bytes read when
 * count_bytes (how many replies are left to read depends on timing otherwise).
 */
static void half_close(CLIENT *client, int count_bytes) {
  int fd = -1;
  if (!clnt_control(client, CLGET_FD, (char *) &fd) || shutdown(fd, SHUT_WR) != 0) {
    printf("shutdown(SHUT_WR) -> failed\n");
    return;
  }
  char buffer[4096];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) {
    total += n;
  }
  printf("shutdown(SHUT_WR), then read to the end -> %s", n == 0 ? "closed by the server" : "read failed");
  if (count_bytes) {
    printf(", %ld bytes", total);
  }
  printf("\n");
}

void oneway(int let_go) {
  int udp = strncmp(protocol_name(), "udp", 3) == 0;
  /* Untimed: libtirpc's UDP client would wait CLSET_TIMEOUT's time in place of the call's. */
  CLIENT *client = connect_untimed(INTEROP_PROG, INTEROP_V1);
  send_one_way(client, udp);
  if (let_go && !udp) {
    half_close(client, 1);
  } else if (!let_go) {
    name who = "after";
    text *greeting = greet_1(who, client); /* rpcgen's 25 s timeout */
    if (greeting != NULL) {
      printf("GREET(\"after\") -> \"%s\"\n", *greeting);
    } else {
      struct rpc_err error;
      clnt_geterr(client, &error);
      printf("GREET(\"after\") -> %s\n", clnt_sperrno(error.re_status));
    }
    if (!udp) {
      /*
       * An Onyx server runs a connection's calls side by side, so a one-way call may not have
       * started when "after" is answered; closing now would drop it ("closed connections").
       */
      half_close(client, 0);
    }
  }
  clnt_destroy(client);
}

/*
 * Batching (RFC 5531 section 7.4.1 and libtirpc's clnt_vc_call): calls with no result routine and
 * a zero timeout are only buffered, with no reply awaited; the next ordinary call sends them with
 * it and skips their replies. A server that runs each connection's calls in order has run every
 * batched call when that call's reply comes.
 */
void batch(void) {
  CLIENT *client = connect_to(INTEROP_PROG, INTEROP_V1);
  u_int *runs = count_runs_1(0, client);
  if (runs == NULL) {
    printf("COUNT_RUNS(0) -> %s\n", last_failure(client));
    clnt_destroy(client);
    return;
  }
  u_int before = *runs;
  struct timeval zero = {0, 0};
  u_int delay_ms = 0;
  enum clnt_stat status = RPC_SUCCESS;
  for (int i = 0; i < 50 && status == RPC_SUCCESS; i++) {
    status = clnt_call(client, COUNT_RUNS, (xdrproc_t) xdr_u_int, (char *) &delay_ms, NULL, NULL,
        zero);
  }
  printf("50 batched COUNT_RUNS(0) -> %s\n", clnt_sperrno(status));
  runs = count_runs_1(0, client);
  printf("COUNT_RUNS(0) after them -> ");
  if (runs) {
    printf("%u runs since the first COUNT_RUNS(0)\n", *runs - before);
  } else {
    printf("%s\n", last_failure(client));
  }
  clnt_destroy(client);
}

/*
 * A caller that gives up: GREET("abandon") with a 200 ms timeout, then clnt_destroy, which closes
 * the connection (or the UDP socket) while the server still works on the call.
 */
void abandon(void) {
  CLIENT *client = connect_to(INTEROP_PROG, INTEROP_V1);
  struct timeval short_timeout = {0, 200 * 1000};
  clnt_control(client, CLSET_TIMEOUT, (char *) &short_timeout);
  name who = "abandon";
  text *greeting = greet_1(who, client);
  printf("GREET(\"abandon\") with a 200 ms timeout -> %s\n",
      greeting != NULL ? "answered" : last_failure(client));
  clnt_destroy(client);
}
