/*
 * A C client for bench.x through rpcgen's stubs, connected to an explicit address and port (no
 * rpcbind). One call at a time, as rpcgen's clients make them: a CLIENT handle is one
 * request/response exchange at a time, so there is no C counterpart of 64 calls outstanding.
 *
 *   bench_client tcp|udp HOST PORT check
 *   bench_client tcp|udp HOST PORT latency WARMUP-CALLS CALLS
 *   bench_client tcp     HOST PORT echo WARMUP-CALLS CALLS SIZE
 *
 * check:   a few ADD and ECHO calls whose results are verified; one "ok ..." line each.
 * latency: WARMUP-CALLS untimed ADD(2, 3) calls, then CALLS timed one by one (CLOCK_MONOTONIC);
 *          prints "calls=N mean_us=… p50_us=… p90_us=… p99_us=… p999_us=… max_us=…"
 *          (nearest-rank percentiles). With BENCH_WINDOW_FILE set, also writes there the timed
 *          calls' span, "FIRST-START LAST-END" in CLOCK_MONOTONIC ns, so that a scheduler trace
 *          can be cut to it (benchmarks/sched.sh).
 * echo:    ECHO of SIZE bytes (byte i is i mod 256), WARMUP-CALLS untimed then CALLS timed;
 *          prints "calls=N size=S seconds=… calls_per_s=… mib_per_s=…", MiB/s of payload each
 *          way (calls/s × SIZE / 2^20), as the JMH Echo benchmark counts it.
 *
 * TCP: libtirpc's default 64 KiB record buffers (a 1 MiB call leaves in 64 KiB fragments) and
 * TCP_NODELAY, like every other peer in the benchmarks. UDP: clntudp_create's 8,800-byte buffers,
 * so no bulk echo. Exit status 2: cannot connect; 3: a call failed or returned a wrong result.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static int tcp;
static struct sockaddr_in server;

static CLIENT *connect_to_server(void) {
  CLIENT *client;
  if (tcp) {
    int sock = socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    if (sock < 0 || setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0
        || connect(sock, (struct sockaddr *) &server, sizeof server) != 0) {
      perror("bench_client: connect");
      exit(2);
    }
    client = clnttcp_create(&server, BENCH_PROG, BENCH_V1, &sock, 0, 0);
  } else {
    int sock = RPC_ANYSOCK;
    struct timeval retry = {1, 0};
    client = clntudp_create(&server, BENCH_PROG, BENCH_V1, retry, &sock);
  }
  if (client == NULL) {
    clnt_pcreateerror("bench_client");
    exit(2);
  }
  return client;
}

static void fail_call(CLIENT *client, const char *what) {
  clnt_perror(client, what);
  exit(3);
}

static int add(CLIENT *client, int a, int b) {
  int *sum = add_1(a, b, client);
  if (sum == NULL) {
    fail_call(client, "ADD");
  }
  return *sum;
}

static char *payload(size_t size) {
  char *data = malloc(size > 0 ? size : 1);
  if (data == NULL) {
    perror("malloc");
    exit(1);
  }
  for (size_t i = 0; i < size; i++) {
    data[i] = (char) (unsigned char) i;
  }
  return data;
}

/* One ECHO; returns the length that came back, after checking the bytes if asked to. */
static u_int echo(CLIENT *client, char *data, u_int size, int verify) {
  bench_bytes in = {size, data};
  bench_bytes *out = echo_1(in, client);
  if (out == NULL) {
    fail_call(client, "ECHO");
  }
  u_int length = out->bench_bytes_len;
  if (verify && (length != size || memcmp(out->bench_bytes_val, data, size) != 0)) {
    fprintf(stderr, "ECHO of %u bytes came back different (%u bytes)\n", size, length);
    exit(3);
  }
  clnt_freeres(client, (xdrproc_t) xdr_bench_bytes, (caddr_t) out);
  return length;
}

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec * 1e9 + (double) t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest sample with at least fraction p of the samples at or below it. */
static double percentile(const double *sorted, long n, double p) {
  long rank = (long) (p * (double) n + 0.999999);
  return sorted[rank < 1 ? 0 : rank - 1];
}

static int check(CLIENT *client) {
  int cases[][3] = {{2, 3, 5}, {-7, 1000, 993}, {2147483647, 1, -2147483647 - 1}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int sum = add(client, cases[i][0], cases[i][1]);
    if (sum != cases[i][2]) {
      fprintf(stderr, "ADD(%d, %d) = %d\n", cases[i][0], cases[i][1], sum);
      return 3;
    }
    printf("ok ADD(%d, %d) = %d\n", cases[i][0], cases[i][1], sum);
  }
  u_int sizes[] = {0, 1001, 65539, BENCH_MAX_ECHO};
  size_t echoes = tcp ? sizeof sizes / sizeof sizes[0] : 2;
  for (size_t i = 0; i < echoes; i++) {
    char *data = payload(sizes[i]);
    echo(client, data, sizes[i], 1);
    printf("ok ECHO %u bytes\n", sizes[i]);
    free(data);
  }
  return 0;
}

static int latency(CLIENT *client, long warmup, long calls) {
  double *samples = malloc(sizeof(double) * (size_t) (calls > 0 ? calls : 1));
  if (samples == NULL || calls < 1) {
    fprintf(stderr, "need at least one call\n");
    return 1;
  }
  for (long i = 0; i < warmup; i++) {
    add(client, 2, 3);
  }
  double total = 0;
  double first = now_ns();
  for (long i = 0; i < calls; i++) {
    double start = now_ns();
    int sum = add(client, 2, 3);
    samples[i] = (now_ns() - start) / 1e3;
    total += samples[i];
    if (sum != 5) {
      fprintf(stderr, "ADD(2, 3) = %d\n", sum);
      return 3;
    }
  }
  double last = now_ns();
  const char *window = getenv("BENCH_WINDOW_FILE");
  if (window != NULL) {
    FILE *f = fopen(window, "w");
    if (f == NULL || fprintf(f, "%.0f %.0f\n", first, last) < 0 || fclose(f) != 0) {
      perror(window);
      return 1;
    }
  }
  qsort(samples, (size_t) calls, sizeof(double), by_value);
  printf("calls=%ld mean_us=%.3f p50_us=%.3f p90_us=%.3f p99_us=%.3f p999_us=%.3f max_us=%.3f\n",
      calls, total / (double) calls, percentile(samples, calls, 0.5),
      percentile(samples, calls, 0.9), percentile(samples, calls, 0.99),
      percentile(samples, calls, 0.999), samples[calls - 1]);
  free(samples);
  return 0;
}

static int throughput(CLIENT *client, long warmup, long calls, u_int size) {
  char *data = payload(size);
  for (long i = 0; i < warmup; i++) {
    echo(client, data, size, 0);
  }
  double start = now_ns();
  for (long i = 0; i < calls; i++) {
    if (echo(client, data, size, 0) != size) {
      fprintf(stderr, "ECHO of %u bytes came back with another length\n", size);
      return 3;
    }
  }
  double seconds = (now_ns() - start) / 1e9;
  printf("calls=%ld size=%u seconds=%.6f calls_per_s=%.3f mib_per_s=%.3f\n", calls, size, seconds,
      (double) calls / seconds, (double) calls * size / seconds / (1 << 20));
  free(data);
  return 0;
}

static void usage(void) {
  fprintf(stderr, "usage: bench_client tcp|udp HOST PORT check\n"
      "       bench_client tcp|udp HOST PORT latency WARMUP-CALLS CALLS\n"
      "       bench_client tcp HOST PORT echo WARMUP-CALLS CALLS SIZE\n");
  exit(1);
}

int main(int argc, char **argv) {
  if (argc < 5) {
    usage();
  }
  tcp = strcmp(argv[1], "tcp") == 0;
  if (!tcp && strcmp(argv[1], "udp") != 0) {
    usage();
  }
  memset(&server, 0, sizeof server);
  server.sin_family = AF_INET;
  server.sin_port = htons((in_port_t) atoi(argv[3]));
  if (inet_pton(AF_INET, argv[2], &server.sin_addr) != 1) {
    fprintf(stderr, "not an IPv4 address: %s\n", argv[2]);
    return 1;
  }
  const char *mode = argv[4];
  CLIENT *client = connect_to_server();
  int status;
  if (strcmp(mode, "check") == 0 && argc == 5) {
    status = check(client);
  } else if (strcmp(mode, "latency") == 0 && argc == 7) {
    status = latency(client, atol(argv[5]), atol(argv[6]));
  } else if (strcmp(mode, "echo") == 0 && argc == 8 && tcp) {
    status = throughput(client, atol(argv[5]), atol(argv[6]), (u_int) strtoul(argv[7], NULL, 10));
  } else {
    usage();
    status = 1;
  }
  clnt_destroy(client);
  return status;
}
