/*
 * A multithreaded C client for bulk.x from rpcgen -M -N stubs (results through a pointer the
 * caller owns, so the stubs share nothing between threads): THREADS threads, each with a CLIENT
 * of its own as libtirpc requires (a CLIENT is not for two threads at once), each making CALLS
 * calls at once with the others: FILL and ECHO in turn, of sizes drawn from the thread's own
 * sequence, up to MAX bytes. Prints one line: how many results came back whole, and the first
 * failure's clnt_sperrno if any did not.
 *
 *   bulk_threads tcp|udp HOST PORT THREADS CALLS MAX
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulk.h"

static struct sockaddr_in server;
static int udp;
static u_int calls;
static u_int max_size;
static pthread_barrier_t start;

struct outcome {
  u_int intact;
  enum clnt_stat first_failure;
};

static void *run(void *arg) {
  struct outcome *outcome = arg;
  unsigned seed = (unsigned) outcome->intact; /* the thread's number, passed in */
  outcome->intact = 0;
  outcome->first_failure = RPC_SUCCESS;
  struct sockaddr_in address = server;
  int sock = RPC_ANYSOCK;
  struct timeval retry = {1, 0};
  CLIENT *client = udp ? clntudp_create(&address, BULK_PROG, BULK_V1, retry, &sock)
                       : clnttcp_create(&address, BULK_PROG, BULK_V1, &sock, 0, 0);
  pthread_barrier_wait(&start);
  if (client == NULL) {
    outcome->first_failure = rpc_createerr.cf_stat;
    return NULL;
  }
  struct timeval total = {30, 0};
  clnt_control(client, CLSET_TIMEOUT, (char *) &total);
  for (u_int i = 0; i < calls; i++) {
    u_int size = (u_int) rand_r(&seed) % (max_size + 1);
    blob result;
    memset(&result, 0, sizeof result);
    enum clnt_stat status;
    if (i % 2 == 0) {
      status = fill_1(size, &result, client);
    } else {
      blob data = {size, malloc(size + 1)};
      for (u_int b = 0; b < size; b++) {
        data.blob_val[b] = (char) (b % 251);
      }
      status = echo_1(data, &result, client);
      free(data.blob_val);
    }
    if (status != RPC_SUCCESS) {
      if (outcome->first_failure == RPC_SUCCESS) {
        outcome->first_failure = status;
      }
      continue;
    }
    int whole = result.blob_len == size;
    for (u_int b = 0; whole && b < result.blob_len; b++) {
      whole = result.blob_val[b] == (char) (b % 251);
    }
    outcome->intact += whole;
    xdr_free((xdrproc_t) xdr_blob, (char *) &result);
  }
  clnt_destroy(client);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 7 || (strcmp(argv[1], "tcp") != 0 && strcmp(argv[1], "udp") != 0)) {
    fprintf(stderr, "usage: bulk_threads tcp|udp HOST PORT THREADS CALLS MAX\n");
    return 2;
  }
  alarm(120); /* never outlive a test that forgot us */
  udp = strcmp(argv[1], "udp") == 0;
  memset(&server, 0, sizeof server);
  server.sin_family = AF_INET;
  server.sin_port = htons((in_port_t) atoi(argv[3]));
  if (inet_pton(AF_INET, argv[2], &server.sin_addr) != 1) {
    fprintf(stderr, "bulk_threads: bad IPv4 address %s\n", argv[2]);
    return 2;
  }
  u_int threads = (u_int) atoi(argv[4]);
  calls = (u_int) atoi(argv[5]);
  max_size = (u_int) atoi(argv[6]);
  pthread_t *ids = calloc(threads, sizeof *ids);
  struct outcome *outcomes = calloc(threads, sizeof *outcomes);
  pthread_barrier_init(&start, NULL, threads);
  for (u_int t = 0; t < threads; t++) {
    outcomes[t].intact = t + 1; /* the thread's seed */
    if (pthread_create(&ids[t], NULL, run, &outcomes[t]) != 0) {
      perror("bulk_threads: pthread_create");
      return 2;
    }
  }
  u_int intact = 0;
  enum clnt_stat failure = RPC_SUCCESS;
  for (u_int t = 0; t < threads; t++) {
    pthread_join(ids[t], NULL);
    intact += outcomes[t].intact;
    if (failure == RPC_SUCCESS) {
      failure = outcomes[t].first_failure;
    }
  }
  printf("%u threads x %u calls over %s: %u intact", threads, calls, argv[1], intact);
  if (failure != RPC_SUCCESS) {
    printf(", first failure %s", clnt_sperrno(failure));
  }
  printf("\n");
  return 0;
}
