/*
 * A C client for interop.x that needs no rpcbind: it connects to an explicit address and port
 * and calls the stubs rpcgen generated, printing each call and its result as one deterministic
 * line (a profile takes several) that the Java tests compare with expected-calls.txt.
 *
 *   interop_client tcp|udp HOST PORT calls|errors|retransmit|retransmit-fast|credentials|batch|controls|abandon
 *     |oneway|oneway-close|xid-reuse|edges|refusals
 *   interop_client tcp6|udp6 HOST6 PORT calls|errors|retransmit|retransmit-fast|credentials|batch
 *   interop_client local PATH - calls|errors|credentials|batch
 *
 * "calls" makes every call of the contract, with AUTH_NONE and then AUTH_SYS credentials;
 * "errors" makes calls that must fail and prints clnt_sperrno of each status; "retransmit" calls
 * COUNT_RUNS(2500), then COUNT_RUNS(0). Over UDP a call is sent again every second until its
 * reply comes, as libtirpc's clntudp_create does (10 s in all). TCP calls are cut into record fragments of
 * at most 96 bytes, so servers must reassemble multi-fragment records (RFC 5531 section 11).
 * "local" is the same record-marked stream over a Unix-domain socket at PATH (clnt_vc_create, as
 * libtirpc's "local" netid uses it). "tcp6" and "udp6" reach an IPv6 address through
 * clnt_tli_create on those netconfig entries, as transport-independent C clients do, in the same
 * fragments and, over UDP, with the same resends (CLSET_RETRY_TIMEOUT). "credentials" is in
 * interop_auth.c, and so is "refusals" (calls a server that requires AUTH_SYS refuses); "batch" (stream transports only) sends 50 batched COUNT_RUNS(0) and then one
 * ordinary COUNT_RUNS(0); "retransmit-fast" (UDP) sends COUNT_RUNS(1000) again after 20 ms,
 * 40 ms, and so on; "controls" and "xid-reuse" (tcp and udp) are in interop_controls.c;
 * "abandon" calls GREET("abandon") with a 200 ms timeout and destroys the client, closing its
 * socket, before the reply comes. "batch", "abandon", "oneway" and "oneway-close" (tcp and udp)
 * are in interop_oneway.c; "edges" (XDR values at their bounds and beyond) in interop_edges.c.
 * With INTEROP_UDP_CONNECT in the environment, the UDP clients (udp, udp6) connect their socket.
 */
#include <arpa/inet.h>
#include <netconfig.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "interop_client.h"

/* libtirpc's xdrrec: 100 is the smallest buffer it accepts; 4 bytes go to the record mark. */
#define TCP_BUFFER 100

static const char *protocol;
/* How long a UDP call waits before it is sent again; libtirpc doubles it each time. */
static long retry_ms = 1000;
static struct sockaddr_in server;
static struct sockaddr_in6 server6;
static struct sockaddr_un local_server;

/* clnt_tli_create on the netconfig entry "tcp6" or "udp6" (the protocol's name). */
static CLIENT *connect_ipv6(u_long program, u_long version) {
  struct netconfig *nconf = getnetconfigent(protocol);
  if (nconf == NULL) {
    fprintf(stderr, "interop_client: no netconfig entry %s\n", protocol);
    exit(2);
  }
  struct netbuf address = {sizeof server6, sizeof server6, &server6};
  int udp = strcmp(protocol, "udp6") == 0;
  /* A send size of 0 is the transport's default: libtirpc's 8800 bytes for UDP. */
  CLIENT *client = clnt_tli_create(RPC_ANYFD, nconf, &address, program, version,
      udp ? 0 : TCP_BUFFER, 0);
  freenetconfigent(nconf);
  if (client != NULL && udp) {
    struct timeval retry = {retry_ms / 1000, (retry_ms % 1000) * 1000};
    clnt_control(client, CLSET_RETRY_TIMEOUT, (char *) &retry);
  }
  return client;
}

/* A record-marked client on a new connection to the Unix-domain socket. */
static CLIENT *connect_local(u_long program, u_long version) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *) &local_server, sizeof local_server) != 0) {
    perror("interop_client: connect");
    exit(2);
  }
  struct netbuf address = {sizeof local_server, sizeof local_server, &local_server};
  CLIENT *client = clnt_vc_create(fd, &address, program, version, TCP_BUFFER, 0);
  if (client != NULL) {
    clnt_control(client, CLSET_FD_CLOSE, NULL);
  }
  return client;
}

const char *protocol_name(void) { return protocol; }

CLIENT *connect_to(u_long program, u_long version) {
  CLIENT *client = connect_untimed(program, version);
  struct timeval total = {10, 0};
  clnt_control(client, CLSET_TIMEOUT, (char *) &total);
  return client;
}

CLIENT *connect_untimed(u_long program, u_long version) {
  int sock = RPC_ANYSOCK;
  CLIENT *client;
  if (strcmp(protocol, "local") == 0) {
    client = connect_local(program, version);
  } else if (strcmp(protocol, "tcp6") == 0 || strcmp(protocol, "udp6") == 0) {
    client = connect_ipv6(program, version);
  } else if (strcmp(protocol, "tcp") == 0) {
    client = clnttcp_create(&server, program, version, &sock, TCP_BUFFER, 0);
  } else {
    struct timeval retry = {retry_ms / 1000, (retry_ms % 1000) * 1000};
    client = clntudp_create(&server, program, version, retry, &sock);
  }
  if (client == NULL) {
    clnt_pcreateerror("interop_client");
    exit(2);
  }
  /* INTEROP_UDP_CONNECT set: the UDP socket is connected at the first call (CLSET_CONNECT), so the
     kernel gives it replies from the address called alone, as any connected UDP client takes them. */
  if (getenv("INTEROP_UDP_CONNECT") != NULL && strncmp(protocol, "udp", 3) == 0) {
    int on = 1;
    clnt_control(client, CLSET_CONNECT, (char *) &on);
  }
  return client;
}

/* The status of the last call on client, as clnt_sperrno words it. */
static const char *failure(CLIENT *client) {
  struct rpc_err error;
  clnt_geterr(client, &error);
  return clnt_sperrno(error.re_status);
}

static const char *color_name(color c) {
  switch (c) {
    case RED: return "RED";
    case GREEN: return "GREEN";
    case BLUE: return "BLUE";
    default: return "?";
  }
}

static void print_list(const node *list) {
  printf("list(");
  for (const node *n = list; n != NULL; n = n->next) {
    printf("%s%s=%lld", n == list ? "" : ", ", n->label, (long long) n->value);
  }
  printf(")");
}

static void print_shape(const shape *s) {
  switch (s->kind) {
    case RED:
      printf("RED(%d)", s->shape_u.radius);
      break;
    case GREEN:
      printf("GREEN((%d,%d),(%d,%d))", s->shape_u.corners[0].x, s->shape_u.corners[0].y,
          s->shape_u.corners[1].x, s->shape_u.corners[1].y);
      break;
    default:
      printf("%s", color_name(s->kind));
      break;
  }
}

static void print_ints(const int *values, u_int length) {
  printf("[");
  for (u_int i = 0; i < length; i++) {
    printf("%s%d", i == 0 ? "" : ", ", values[i]);
  }
  printf("]");
}

static void print_bytes(const char *bytes, u_int length) {
  printf("0x");
  for (u_int i = 0; i < length; i++) {
    printf("%02x", (unsigned char) bytes[i]);
  }
}

static void print_outcome(const char *call, const outcome *result) {
  if (result->status != 0) {
    printf("%s -> error %d \"%s\"\n", call, result->status, result->outcome_u.error);
    return;
  }
  const profile *p = &result->outcome_u.value;
  printf("%s -> profile\n", call);
  printf("  title = \"%s\"\n", p->title);
  printf("  tint = %s\n", color_name(p->tint));
  printf("  flag = %s\n", p->flag ? "true" : "false");
  printf("  count = %u\n", p->count);
  printf("  big = %llu\n", (unsigned long long) p->big);
  printf("  ratio = %.3f\n", p->ratio);
  printf("  fixed = ");
  print_ints(p->fixed, 3);
  printf("\n  values = ");
  print_ints(p->values.values_val, p->values.values_len);
  printf("\n  tag = ");
  print_bytes(p->tag, 3);
  printf("\n  blob = ");
  print_bytes(p->blob.blob_val, p->blob.blob_len);
  printf("\n  origin = (%d,%d)\n", p->origin.x, p->origin.y);
  printf("  items = ");
  print_list(p->items);
  printf("\n  form = ");
  print_shape(&p->form);
  printf("\n");
}

/* The profile every TRANSFORM call starts from; "gr\xc3\xbc\xc3\x9f" "e" is "grüße" in UTF-8. */
void sample(profile *p, node items[3], int values[MAX_VALUES]) {
  static char tag[3] = {0x01, 0x02, (char) 0xff};
  static char blob[5] = {1, 2, 3, 4, 5};
  memset(p, 0, sizeof *p);
  items[0] = (node) {"one", 1, &items[1]};
  items[1] = (node) {"three", -2, &items[2]};
  items[2] = (node) {"eleven", 1099511627776LL, NULL};
  values[0] = 10;
  values[1] = -20;
  values[2] = 30;
  p->title = "gr\xc3\xbc\xc3\x9f" "e";
  p->tint = RED;
  p->flag = TRUE;
  p->count = 4294967294u;
  p->big = 18446744073709551614ull;
  p->ratio = 0.75;
  p->fixed[0] = 1;
  p->fixed[1] = 2;
  p->fixed[2] = 3;
  p->values.values_len = 3;
  p->values.values_val = values;
  memcpy(p->tag, tag, 3);
  p->blob.blob_len = 5;
  p->blob.blob_val = blob;
  p->origin = (point) {1, -2};
  p->items = &items[0];
  p->form.kind = RED;
  p->form.shape_u.radius = 5;
}

static void next_color_call(CLIENT *client, color c) {
  color *result = next_color_1(c, client);
  printf("NEXT_COLOR(%s) -> %s\n", color_name(c), result ? color_name(*result) : failure(client));
}

/* A list long enough for many TCP fragments yet one UDP datagram (libtirpc's 8800 bytes). */
#define LONG_LIST 300

static void long_reverse_call(CLIENT *client) {
  static node nodes[LONG_LIST];
  static char labels[LONG_LIST][8];
  for (int i = 0; i < LONG_LIST; i++) {
    snprintf(labels[i], sizeof labels[i], "n%d", i);
    nodes[i] = (node) {labels[i], i, i + 1 < LONG_LIST ? &nodes[i + 1] : NULL};
  }
  list *result = reverse_1(&nodes[0], client);
  printf("REVERSE(list(n0=0, ..., n%d=%d)) -> ", LONG_LIST - 1, LONG_LIST - 1);
  if (result == NULL) {
    printf("%s\n", failure(client));
    return;
  }
  long long count = 0, sum = 0;
  const node *last = NULL;
  for (const node *n = *result; n != NULL; n = n->next) {
    count++;
    sum += n->value;
    last = n;
  }
  printf("%lld nodes from %s=%lld to %s=%lld, sum %lld\n", count, (*result)->label,
      (long long) (*result)->value, last->label, (long long) last->value, sum);
}

static void morph_call(CLIENT *client, const char *label, shape s) {
  shape *result = morph_1(s, client);
  printf("MORPH(%s) -> ", label);
  if (result) {
    print_shape(result);
    printf("\n");
  } else {
    printf("%s\n", failure(client));
  }
}

static void reverse_call(CLIENT *client, const char *label, list l) {
  list *result = reverse_1(l, client);
  printf("REVERSE(%s) -> ", label);
  if (result) {
    print_list(*result);
    printf("\n");
  } else {
    printf("%s\n", failure(client));
  }
}

static void greet_call(CLIENT *client, name who) {
  text *greeting = greet_1(who, client);
  printf("GREET(\"%s\") -> ", who);
  if (greeting) {
    printf("\"%s\"\n", *greeting);
  } else {
    printf("%s\n", failure(client));
  }
}

static void whoami_call(CLIENT *client, const char *label) {
  text *result = whoami_1(client);
  printf("%s -> ", label);
  if (result) {
    printf("\"%s\"\n", *result);
  } else {
    printf("%s\n", failure(client));
  }
}

static void transform_call(CLIENT *client, const char *label, profile p) {
  outcome *result = transform_1(p, client);
  if (result) {
    print_outcome(label, result);
  } else {
    printf("%s -> %s\n", label, failure(client));
  }
}

static void calls(void) {
  CLIENT *client = connect_to(INTEROP_PROG, INTEROP_V1);
  struct timeval unused = {10, 0};
  enum clnt_stat status =
      clnt_call(client, NULLPROC, (xdrproc_t) xdr_void, NULL, (xdrproc_t) xdr_void, NULL, unused);
  printf("NULL -> %s\n", status == RPC_SUCCESS ? "ok" : clnt_sperrno(status));

  next_color_call(client, RED);
  next_color_call(client, GREEN);
  next_color_call(client, BLUE);

  quad_t *sum = add3_1(-5, 1099511627776LL, 4000000000u, client);
  printf("ADD3(-5, 1099511627776, 4000000000) -> ");
  if (sum) {
    printf("%lld\n", (long long) *sum);
  } else {
    printf("%s\n", failure(client));
  }

  node nodes[3];
  int values[MAX_VALUES];
  profile p;
  sample(&p, nodes, values);
  reverse_call(client, "list(one=1, three=-2, eleven=1099511627776)", &nodes[0]);
  reverse_call(client, "list()", NULL);
  long_reverse_call(client);

  shape s = {.kind = RED, .shape_u.radius = 5};
  morph_call(client, "RED(5)", s);
  s.kind = GREEN;
  s.shape_u.corners[0] = (point) {1, 2};
  s.shape_u.corners[1] = (point) {3, 4};
  morph_call(client, "GREEN((1,2),(3,4))", s);
  s.kind = BLUE;
  morph_call(client, "BLUE", s);

  greet_call(client, "w\xc3\xb6rld");
  /* name<16> at its bound: 16 bytes of UTF-8 in 8 characters ("\xc3\x9f" is "ß"). */
  greet_call(client, "\xc3\x9f\xc3\x9f\xc3\x9f\xc3\x9f\xc3\x9f\xc3\x9f\xc3\x9f\xc3\x9f");

  whoami_call(client, "WHOAMI");
  /* From here on, calls carry AUTH_SYS credentials (RFC 5531 appendix A). */
  gid_t gids[2] = {7, 8};
  auth_destroy(client->cl_auth);
  client->cl_auth = authsys_create("interop-host", 1234, 5678, 2, gids);
  whoami_call(client, "WHOAMI as interop-host");

  transform_call(client, "TRANSFORM(sample)", p);
  p.title = "";
  transform_call(client, "TRANSFORM(sample, title \"\")", p);
  sample(&p, nodes, values);
  for (int i = 0; i < MAX_VALUES; i++) {
    values[i] = i;
  }
  p.values.values_len = MAX_VALUES;
  transform_call(client, "TRANSFORM(sample, 8 values)", p);
  auth_destroy(client->cl_auth);
  clnt_destroy(client);
}

static void count_runs_call(CLIENT *client, u_int delay_ms) {
  u_int *runs = count_runs_1(delay_ms, client);
  printf("COUNT_RUNS(%u) -> ", delay_ms);
  if (runs) {
    printf("%u\n", *runs);
  } else {
    printf("%s\n", failure(client));
  }
}

/* Over UDP the first call is sent about three times; the server must run it once. */
static void retransmit(void) {
  CLIENT *client = connect_to(INTEROP_PROG, INTEROP_V1);
  count_runs_call(client, 2500);
  count_runs_call(client, 0);
  clnt_destroy(client);
}

/*
 * A UDP call sent again after 20 ms, then 40, 80, ...: several copies of COUNT_RUNS(1000) reach
 * the server while it runs. Prints how much each call moved the count: 1 if the call ran once.
 */
static void retransmit_fast(void) {
  retry_ms = 20;
  CLIENT *client = connect_to(INTEROP_PROG, INTEROP_V1);
  u_int counts[3];
  u_int delays[3] = {0, 1000, 0};
  for (int i = 0; i < 3; i++) {
    u_int *runs = count_runs_1(delays[i], client);
    if (runs == NULL) {
      printf("COUNT_RUNS(%u) -> %s\n", delays[i], failure(client));
      clnt_destroy(client);
      return;
    }
    counts[i] = *runs;
  }
  printf("COUNT_RUNS(1000) resent from 20 ms on -> runs: %u, then %u for the next call\n",
      counts[1] - counts[0], counts[2] - counts[1]);
  clnt_destroy(client);
}

int main(int argc, char **argv) {
  if (argc != 5 || (strcmp(argv[1], "tcp") != 0 && strcmp(argv[1], "udp") != 0
                    && strcmp(argv[1], "tcp6") != 0 && strcmp(argv[1], "udp6") != 0
                    && strcmp(argv[1], "local") != 0)
      || (strcmp(argv[4], "calls") != 0 && strcmp(argv[4], "errors") != 0
          && strcmp(argv[4], "retransmit") != 0 && strcmp(argv[4], "credentials") != 0
          && strcmp(argv[4], "batch") != 0 && strcmp(argv[4], "retransmit-fast") != 0
          && strcmp(argv[4], "controls") != 0 && strcmp(argv[4], "abandon") != 0
          && strcmp(argv[4], "oneway") != 0 && strcmp(argv[4], "oneway-close") != 0
          && strcmp(argv[4], "xid-reuse") != 0 && strcmp(argv[4], "edges") != 0
          && strcmp(argv[4], "restart") != 0 && strcmp(argv[4], "refusals") != 0)) {
    fprintf(stderr, "usage: interop_client tcp|udp HOST PORT "
                    "calls|errors|retransmit|retransmit-fast|credentials|batch|controls|abandon|"
                    "oneway|oneway-close|xid-reuse|edges|restart|refusals\n"
                    "       interop_client tcp6|udp6 HOST6 PORT (the same modes)\n"
                    "       interop_client local PATH - calls|errors|credentials|batch\n");
    return 2;
  }
  alarm(120); /* never outlive a test that forgot us */
  protocol = argv[1];
  if (strcmp(protocol, "local") == 0) {
    memset(&local_server, 0, sizeof local_server);
    local_server.sun_family = AF_UNIX;
    if (strlen(argv[2]) >= sizeof local_server.sun_path) {
      fprintf(stderr, "interop_client: socket path too long: %s\n", argv[2]);
      return 2;
    }
    strcpy(local_server.sun_path, argv[2]);
  } else if (strchr(protocol, '6') != NULL) {
    memset(&server6, 0, sizeof server6);
    server6.sin6_family = AF_INET6;
    server6.sin6_port = htons((in_port_t) atoi(argv[3]));
    if (inet_pton(AF_INET6, argv[2], &server6.sin6_addr) != 1) {
      fprintf(stderr, "interop_client: bad IPv6 address %s\n", argv[2]);
      return 2;
    }
  } else {
    memset(&server, 0, sizeof server);
    server.sin_family = AF_INET;
    server.sin_port = htons((in_port_t) atoi(argv[3]));
    if (inet_pton(AF_INET, argv[2], &server.sin_addr) != 1) {
      fprintf(stderr, "interop_client: bad IPv4 address %s\n", argv[2]);
      return 2;
    }
  }
  if (strcmp(argv[4], "calls") == 0) {
    calls();
  } else if (strcmp(argv[4], "errors") == 0) {
    errors();
  } else if (strcmp(argv[4], "credentials") == 0) {
    credentials();
  } else if (strcmp(argv[4], "refusals") == 0) {
    refusals();
  } else if (strcmp(argv[4], "batch") == 0) {
    batch();
  } else if (strcmp(argv[4], "retransmit-fast") == 0) {
    retransmit_fast();
  } else if (strcmp(argv[4], "controls") == 0) {
    controls((u_short) atoi(argv[3]));
  } else if (strcmp(argv[4], "abandon") == 0) {
    abandon();
  } else if (strcmp(argv[4], "oneway") == 0) {
    oneway(0);
  } else if (strcmp(argv[4], "oneway-close") == 0) {
    oneway(1);
  } else if (strcmp(argv[4], "xid-reuse") == 0) {
    xid_reuse();
  } else if (strcmp(argv[4], "restart") == 0) {
    restart();
  } else if (strcmp(argv[4], "edges") == 0) {
    edges();
  } else {
    retransmit();
  }
  return 0;
}
