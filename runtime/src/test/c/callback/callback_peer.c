/*
 * A C client that is also a server, as NLM and rstat clients are: it serves a callback program
 * on a TCP port of its own (svctcp_create, svc_run in a second thread, registered with no
 * portmapper) and gives that port to an Onyx server, which calls back.
 *
 *   callback_peer tcp|udp PORT
 *
 * Calls, to 127.0.0.1:PORT over the transport given (program 0x20000778 version 1):
 *   1 SUBSCRIBE(u_int port) -> int: the server calls NOTIFY("during") back before it answers,
 *     and answers with what NOTIFY returned;
 *   2 SUBSCRIBE_LATER(u_int port) -> int: the server answers 0 at once and calls
 *     NOTIFY("later") back afterwards.
 * The callback program 0x40000778 version 1 has NOTIFY(string) = 1 -> int: 100 + its length.
 * Prints one line per result and one per callback heard, in a fixed order.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <rpc/rpc.h>

#define ONYX_PROG 0x20000778
#define CB_PROG 0x40000778
#define SUBSCRIBE 1
#define SUBSCRIBE_LATER 2
#define NOTIFY 1

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t heard_cond = PTHREAD_COND_INITIALIZER;
static char heard[64];

static void callback_dispatch(struct svc_req *request, SVCXPRT *transport) {
  if (request->rq_proc == NULLPROC) {
    svc_sendreply(transport, (xdrproc_t) xdr_void, NULL);
    return;
  }
  if (request->rq_proc != NOTIFY) {
    svcerr_noproc(transport);
    return;
  }
  char *what = NULL;
  if (!svc_getargs(transport, (xdrproc_t) xdr_wrapstring, (char *) &what)) {
    svcerr_decode(transport);
    return;
  }
  int answer = 100 + (int) strlen(what);
  pthread_mutex_lock(&lock);
  snprintf(heard, sizeof heard, "%s", what);
  pthread_cond_signal(&heard_cond);
  pthread_mutex_unlock(&lock);
  svc_sendreply(transport, (xdrproc_t) xdr_int, (char *) &answer);
  svc_freeargs(transport, (xdrproc_t) xdr_wrapstring, (char *) &what);
}

static void *serve(void *unused) {
  svc_run();
  return NULL;
}

/* Waits (at most 60 s) until a callback has been heard; prints it and forgets it. */
static void await_callback(void) {
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 60;
  pthread_mutex_lock(&lock);
  while (heard[0] == '\0') {
    if (pthread_cond_timedwait(&heard_cond, &lock, &deadline) != 0) {
      break;
    }
  }
  printf("NOTIFY heard -> %s\n", heard[0] != '\0' ? heard : "nothing in 60 s");
  heard[0] = '\0';
  pthread_mutex_unlock(&lock);
}

static void subscribe(CLIENT *client, u_long procedure, const char *label, u_int port) {
  int result = -1;
  struct timeval timeout = {30, 0};
  enum clnt_stat status = clnt_call(client, procedure, (xdrproc_t) xdr_u_int, (char *) &port,
      (xdrproc_t) xdr_int, (char *) &result, timeout);
  if (status == RPC_SUCCESS) {
    printf("%s -> %d\n", label, result);
  } else {
    printf("%s -> %s\n", label, clnt_sperrno(status));
  }
}

int main(int argc, char **argv) {
  if (argc != 3 || (strcmp(argv[1], "tcp") != 0 && strcmp(argv[1], "udp") != 0)) {
    fprintf(stderr, "usage: callback_peer tcp|udp PORT\n");
    return 2;
  }
  alarm(120); /* never outlive a test that forgot us */
  SVCXPRT *callbacks = svctcp_create(RPC_ANYSOCK, 0, 0);
  if (callbacks == NULL || !svc_register(callbacks, CB_PROG, 1, callback_dispatch, 0)) {
    fprintf(stderr, "callback_peer: cannot serve the callback program\n");
    return 1;
  }
  pthread_t server;
  pthread_create(&server, NULL, serve, NULL);

  struct sockaddr_in onyx;
  memset(&onyx, 0, sizeof onyx);
  onyx.sin_family = AF_INET;
  onyx.sin_port = htons((in_port_t) atoi(argv[2]));
  inet_pton(AF_INET, "127.0.0.1", &onyx.sin_addr);
  int sock = RPC_ANYSOCK;
  struct timeval retry = {1, 0};
  CLIENT *client = strcmp(argv[1], "tcp") == 0
      ? clnttcp_create(&onyx, ONYX_PROG, 1, &sock, 0, 0)
      : clntudp_create(&onyx, ONYX_PROG, 1, retry, &sock);
  if (client == NULL) {
    clnt_pcreateerror("callback_peer");
    return 1;
  }
  u_int port = callbacks->xp_port;
  subscribe(client, SUBSCRIBE, "SUBSCRIBE", port);
  await_callback();
  subscribe(client, SUBSCRIBE_LATER, "SUBSCRIBE_LATER", port);
  await_callback();
  clnt_destroy(client);
  return 0;
}
