/*
 * A C client of cpeers.x, compiled twice: with rpcgen -N stubs (results in the stubs' static
 * memory) and with rpcgen -M -N stubs (-DCP_MT: results in the caller's memory). It prints what
 * it sent and what came back, one call a line, so that its transcripts against a C server and an
 * Onyx server can be compared; floating-point values are printed exactly (%a).
 *
 *   cpeers_client tcp|udp PORT calls|errors|who|bytes|idle
 *   cpeers_client tcp|udp PORT fill N
 *
 * It connects as clnt_create does once rpcbind has named the port: clnt_tli_create on the
 * netconfig entry "tcp" or "udp", with the transport's default buffers (8800 bytes for UDP).
 * Exit status 0 unless the client could not be made or the arguments are wrong.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpeers.h"

static const char *netid;
static struct sockaddr_in server;

static CLIENT *connect_to(u_long version) {
  struct netconfig *nconf = getnetconfigent(netid);
  if (nconf == NULL) {
    fprintf(stderr, "cpeers_client: no netconfig entry %s\n", netid);
    exit(2);
  }
  struct netbuf address = {sizeof server, sizeof server, &server};
  CLIENT *client = clnt_tli_create(RPC_ANYFD, nconf, &address, CPEERS_PROG, version, 0, 0);
  freenetconfigent(nconf);
  if (client == NULL) {
    clnt_pcreateerror("cpeers_client");
    exit(2);
  }
  struct timeval total = {10, 0};
  clnt_control(client, CLSET_TIMEOUT, (char *) &total);
  if (strcmp(netid, "udp") == 0) {
    struct timeval retry = {1, 0};
    clnt_control(client, CLSET_RETRY_TIMEOUT, (char *) &retry);
  }
  return client;
}

/*
 * CALL(status, result, procedure, arguments...) and CALL0 (no arguments) call the stub of either
 * style, leaving its status in status and, when it succeeded, its result in result.
 */
#ifdef CP_MT
#define CALL(status, result, procedure, ...) \
  ((status) = procedure(__VA_ARGS__, &(result), client))
#define CALL0(status, result, procedure) ((status) = procedure(&(result), client))
#else
#define CALL(status, result, procedure, ...) do { \
    __typeof__(result) *answer_ = procedure(__VA_ARGS__, client); \
    (status) = answer_ == NULL ? last_status(client) : RPC_SUCCESS; \
    if (answer_ != NULL) { (result) = *answer_; } \
  } while (0)
#define CALL0(status, result, procedure) do { \
    __typeof__(result) *answer_ = procedure(client); \
    (status) = answer_ == NULL ? last_status(client) : RPC_SUCCESS; \
    if (answer_ != NULL) { (result) = *answer_; } \
  } while (0)
#endif

#ifndef CP_MT
/* Why a classic stub returned NULL. */
static enum clnt_stat last_status(CLIENT *client) {
  struct rpc_err error;
  clnt_geterr(client, &error);
  return error.re_status;
}
#endif

static const char *level_name(level l) {
  switch (l) {
    case LEVEL_LOW: return "LOW";
    case LEVEL_MID: return "MID";
    case LEVEL_HIGH: return "HIGH";
    default: return "?";
  }
}

static void print_item(const item *it) {
  printf("{\"%s\" %s %s h=%lld uh=%llu f=%a d=%a digest=", it->name, level_name(it->lvl),
      it->on ? "on" : "off", (long long) it->h, (unsigned long long) it->uh, (double) it->f, it->d);
  for (int i = 0; i < 5; i++) {
    printf("%02x", (unsigned char) it->digest[i]);
  }
  printf("}");
}

static void print_verdict(const verdict *v) {
  switch (v->lvl) {
    case LEVEL_LOW:
      printf("LOW(%d)", v->verdict_u.code);
      break;
    case LEVEL_HIGH:
      printf("HIGH");
      print_item(&v->verdict_u.best);
      break;
    default:
      printf("%s(\"%s\")", level_name(v->lvl), v->verdict_u.why);
      break;
  }
}

static void print_bundle(const bundle *b) {
  printf("pair=[");
  print_item(&b->pair[0]);
  printf(", ");
  print_item(&b->pair[1]);
  printf("] items=[");
  for (u_int i = 0; i < b->items.cp_items_len; i++) {
    printf("%s", i ? ", " : "");
    print_item(&b->items.cp_items_val[i]);
  }
  printf("] cells=(");
  for (cell *c = b->cells; c != NULL; c = c->next) {
    printf("%d%s", c->value, c->next ? " " : "");
  }
  printf(") v=");
  print_verdict(&b->v);
}

static item make_item(char *name, level l, bool_t on, quad_t h, u_quad_t uh, float f, double d) {
  item it = {name, l, on, h, uh, f, d, {1, 2, 3, (char) 0xfe, (char) 0xff}};
  return it;
}

static void calls(void) {
  CLIENT *client = connect_to(CPEERS_V1);
  enum clnt_stat status;

  /* ECHO: every type of the file in one value, the items at their bound and names at theirs. */
  cell c3 = {2147483647, NULL}, c2 = {-2, &c3}, c1 = {1, &c2};
  item items[CP_MAX_ITEMS] = {
      make_item("abcdefgh", LEVEL_LOW, TRUE, 0, 0, 0.0f, 0.0),
      make_item("gr\xc3\xbc\xc3\x9f" "e", LEVEL_MID, FALSE, -1, 1, -0.0f, -0.0),
      make_item("", LEVEL_HIGH, TRUE, 1, 18446744073709551615ULL, 3.4028235e38f, 1e308),
      make_item("z", LEVEL_LOW, FALSE, 123456789012345LL, 9223372036854775808ULL, 1e-45f, 5e-324)};
  bundle sample;
  memset(&sample, 0, sizeof sample);
  sample.pair[0] = make_item("alpha", LEVEL_LOW, TRUE, -9223372036854775807LL - 1, 0, -1.5f, 0.1);
  sample.pair[1] = make_item("beta", LEVEL_HIGH, FALSE, 9223372036854775807LL, 42, 0.25f, -2.5);
  sample.items.cp_items_len = CP_MAX_ITEMS;
  sample.items.cp_items_val = items;
  sample.cells = &c1;
  sample.v.lvl = LEVEL_HIGH;
  sample.v.verdict_u.best = make_item("best", LEVEL_MID, TRUE, 7, 7, 7.0f, 7.0);

  bundle echoed;
  memset(&echoed, 0, sizeof echoed);
  CALL(status, echoed, echo_1, sample);
  printf("ECHO(sample) -> ");
  if (status == RPC_SUCCESS) {
    print_bundle(&echoed);
    printf("\n");
  } else {
    printf("%s\n", clnt_sperrno(status));
  }

  /* The other arms of the union, no items and no cells. */
  level levels[] = {LEVEL_LOW, LEVEL_MID};
  for (int i = 0; i < 2; i++) {
    bundle small;
    memset(&small, 0, sizeof small);
    small.pair[0] = make_item("a", LEVEL_MID, FALSE, 0, 0, 0, 0);
    small.pair[1] = make_item("b", LEVEL_MID, FALSE, 0, 0, 0, 0);
    small.v.lvl = levels[i];
    if (levels[i] == LEVEL_LOW) {
      small.v.verdict_u.code = -2147483647;
    } else {
      small.v.verdict_u.why = "why not";
    }
    memset(&echoed, 0, sizeof echoed);
    CALL(status, echoed, echo_1, small);
    printf("ECHO(%s arm, no items, no cells) -> ", level_name(levels[i]));
    if (status == RPC_SUCCESS) {
      print_bundle(&echoed);
      printf("\n");
    } else {
      printf("%s\n", clnt_sperrno(status));
    }
  }

  /* JUDGE: several arguments (-N), each arm of the union on a negative, zero and positive enum. */
  struct { level l; int n; char *name; } judged[] = {
      {LEVEL_LOW, -7, "x"}, {LEVEL_MID, 5, "mid"}, {LEVEL_HIGH, -3, "negative"},
      {LEVEL_HIGH, 2147483647, ""}};
  for (int i = 0; i < 4; i++) {
    verdict v;
    memset(&v, 0, sizeof v);
    CALL(status, v, judge_1, judged[i].l, judged[i].n, judged[i].name);
    printf("JUDGE(%s, %d, \"%s\") -> ", level_name(judged[i].l), judged[i].n, judged[i].name);
    if (status == RPC_SUCCESS) {
      print_verdict(&v);
      printf("\n");
    } else {
      printf("%s\n", clnt_sperrno(status));
    }
  }

  char *who = NULL;
  CALL0(status, who, who_1);
  printf("WHO -> %s\n", status == RPC_SUCCESS ? who : clnt_sperrno(status));

  char *names[] = {"abcdefgh", "", "mixed Up"};
  for (int i = 0; i < 3; i++) {
    cp_name shouted = NULL;
    CALL(status, shouted, shout_1, names[i]);
    printf("SHOUT(\"%s\") -> %s%s%s\n", names[i], status == RPC_SUCCESS ? "\"" : "",
        status == RPC_SUCCESS ? shouted : clnt_sperrno(status), status == RPC_SUCCESS ? "\"" : "");
  }

  u_int sizes[] = {0, 1, 5, 1000};
  for (int i = 0; i < 4; i++) {
    cp_blob blob;
    memset(&blob, 0, sizeof blob);
    CALL(status, blob, fill_1, sizes[i]);
    if (status != RPC_SUCCESS) {
      printf("FILL(%u) -> %s\n", sizes[i], clnt_sperrno(status));
      continue;
    }
    int right = 1;
    for (u_int j = 0; j < blob.cp_blob_len; j++) {
      right &= (unsigned char) blob.cp_blob_val[j] == j % 251;
    }
    printf("FILL(%u) -> %u bytes%s\n", sizes[i], blob.cp_blob_len, right ? ", as filled" : ", wrong");
  }
  clnt_destroy(client);

  /* Version 3 of the same program: a linked list argument, a hyper result past 32 bits. */
  client = connect_to(CPEERS_V3);
  cell d2 = {2147483647, NULL}, d1 = {2147483647, &d2}, d0 = {-1, &d1};
  quad_t sum = 0;
  CALL(status, sum, sum_3, &d0);
  printf("v3 SUM(-1 2147483647 2147483647) -> ");
  if (status == RPC_SUCCESS) {
    printf("%lld\n", (long long) sum);
  } else {
    printf("%s\n", clnt_sperrno(status));
  }
  CALL(status, sum, sum_3, NULL);
  printf("v3 SUM() -> ");
  if (status == RPC_SUCCESS) {
    printf("%lld\n", (long long) sum);
  } else {
    printf("%s\n", clnt_sperrno(status));
  }
  clnt_destroy(client);
}

/* A bundle written with a bound of items one above cp_items's, which rpcgen's encoder refuses. */
static bool_t xdr_bundle_unbounded(XDR *xdrs, bundle *b) {
  return xdr_cp_pair(xdrs, b->pair)
      && xdr_array(xdrs, (char **) &b->items.cp_items_val, &b->items.cp_items_len,
          CP_MAX_ITEMS + 1, sizeof(item), (xdrproc_t) xdr_item)
      && xdr_cp_cells(xdrs, &b->cells) && xdr_verdict(xdrs, &b->v);
}

static void print_status(const char *what, CLIENT *client, enum clnt_stat status) {
  printf("%s -> %s", what, clnt_sperrno(status));
  if (status == RPC_PROGVERSMISMATCH) {
    struct rpc_err error;
    clnt_geterr(client, &error);
    printf(" (versions %lu..%lu)", (unsigned long) error.re_vers.low,
        (unsigned long) error.re_vers.high);
  }
  printf("\n");
}

static void errors(void) {
  struct timeval timeout = {10, 0};
  CLIENT *client = connect_to(CPEERS_V1);
  enum clnt_stat status = clnt_call(client, 99, (xdrproc_t) xdr_void, NULL,
      (xdrproc_t) xdr_void, NULL, timeout);
  print_status("procedure 99", client, status);

  char *nine = "ninebytes";
  char *shouted = NULL;
  status = clnt_call(client, SHOUT, (xdrproc_t) xdr_wrapstring, (char *) &nine,
      (xdrproc_t) xdr_wrapstring, (char *) &shouted, timeout);
  print_status("SHOUT(\"ninebytes\"), one byte over the bound", client, status);

  item five[CP_MAX_ITEMS + 1];
  for (int i = 0; i < CP_MAX_ITEMS + 1; i++) {
    five[i] = make_item("i", LEVEL_LOW, FALSE, 0, 0, 0, 0);
  }
  bundle over;
  memset(&over, 0, sizeof over);
  over.pair[0] = five[0];
  over.pair[1] = five[1];
  over.items.cp_items_len = CP_MAX_ITEMS + 1;
  over.items.cp_items_val = five;
  over.v.lvl = LEVEL_LOW;
  bundle echoed;
  memset(&echoed, 0, sizeof echoed);
  status = clnt_call(client, ECHO, (xdrproc_t) xdr_bundle_unbounded, (char *) &over,
      (xdrproc_t) xdr_bundle, (char *) &echoed, timeout);
  print_status("ECHO(5 items), one over the bound", client, status);
  clnt_destroy(client);

  u_long versions[] = {2, 4};
  for (int i = 0; i < 2; i++) {
    client = connect_to(versions[i]);
    status = clnt_call(client, NULLPROC, (xdrproc_t) xdr_void, NULL, (xdrproc_t) xdr_void, NULL,
        timeout);
    char what[32];
    snprintf(what, sizeof what, "version %lu", versions[i]);
    print_status(what, client, status);
    clnt_destroy(client);
  }
}

/* A string's bytes in hex, so that bytes that are not UTF-8 show as they are. */
static void print_hex(const char *label, const char *s, enum clnt_stat status) {
  printf("%s -> ", label);
  if (status != RPC_SUCCESS) {
    printf("%s\n", clnt_sperrno(status));
    return;
  }
  for (const char *p = s; *p; p++) {
    printf("%02x", (unsigned char) *p);
  }
  printf("\n");
}

/*
 * Strings whose bytes are not UTF-8 (Latin-1, as many C programs send them; rpcgen's strings are
 * bytes): SHOUT upper-cases ASCII letters only and JUDGE(MID) answers the name as it came.
 */
static void bytes(void) {
  CLIENT *client = connect_to(CPEERS_V1);
  enum clnt_stat status;
  char *names[] = {"caf\xe9", "caf\xe8", "\xe9\xe9\xe9\xe9\xe9\xe9\xe9\xe9"};
  char *labels[] = {"caf\\xe9", "caf\\xe8", "8 x \\xe9"};
  for (int i = 0; i < 3; i++) {
    char label[64];
    cp_name shouted = NULL;
    CALL(status, shouted, shout_1, names[i]);
    snprintf(label, sizeof label, "SHOUT(\"%s\")", labels[i]);
    print_hex(label, shouted, status);
    verdict v;
    memset(&v, 0, sizeof v);
    CALL(status, v, judge_1, LEVEL_MID, 0, names[i]);
    snprintf(label, sizeof label, "JUDGE(MID, 0, \"%s\")", labels[i]);
    print_hex(label, v.verdict_u.why, status);
  }
  clnt_destroy(client);
}

/* WHO with the credential of this process (authunix_create_default). */
static void who(void) {
  CLIENT *client = connect_to(CPEERS_V1);
  client->cl_auth = authunix_create_default();
  enum clnt_stat status;
  char *me = NULL;
  CALL0(status, me, who_1);
  printf("%s\n", status == RPC_SUCCESS ? me : clnt_sperrno(status));
  auth_destroy(client->cl_auth);
  clnt_destroy(client);
}

/*
 * Two calls on one client (one connection over TCP), the second once a line has come on stdin,
 * so that whoever runs it decides how long the connection stays idle.
 */
static void idle(void) {
  CLIENT *client = connect_to(CPEERS_V1);
  enum clnt_stat status;
  for (int i = 0; i < 2; i++) {
    char line[16];
    if (i == 1 && fgets(line, sizeof line, stdin) == NULL) {
      fprintf(stderr, "cpeers_client: stdin closed before the second call\n");
      exit(2);
    }
    cp_name shouted = NULL;
    CALL(status, shouted, shout_1, "idle");
    printf("SHOUT(\"idle\") %s -> %s\n", i == 0 ? "first" : "after the idle time",
        status == RPC_SUCCESS ? shouted : clnt_sperrno(status));
    fflush(stdout);
  }
  clnt_destroy(client);
}

static void fill(u_int n) {
  CLIENT *client = connect_to(CPEERS_V1);
  enum clnt_stat status;
  cp_blob blob;
  memset(&blob, 0, sizeof blob);
  CALL(status, blob, fill_1, n);
  if (status != RPC_SUCCESS) {
    printf("FILL(%u) -> %s\n", n, clnt_sperrno(status));
  } else {
    int right = blob.cp_blob_len == n;
    for (u_int j = 0; right && j < blob.cp_blob_len; j++) {
      right = (unsigned char) blob.cp_blob_val[j] == j % 251;
    }
    printf("FILL(%u) -> %u bytes%s\n", n, blob.cp_blob_len, right ? ", as filled" : ", wrong");
  }
  clnt_destroy(client);
}

int main(int argc, char **argv) {
  if (argc < 4 || (strcmp(argv[1], "tcp") != 0 && strcmp(argv[1], "udp") != 0)) {
    fprintf(stderr, "usage: cpeers_client tcp|udp PORT calls|errors|who|bytes|idle|fill N\n");
    return 2;
  }
  netid = argv[1];
  memset(&server, 0, sizeof server);
  server.sin_family = AF_INET;
  server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  server.sin_port = htons((in_port_t) atoi(argv[2]));
  if (strcmp(argv[3], "calls") == 0) {
    calls();
  } else if (strcmp(argv[3], "errors") == 0) {
    errors();
  } else if (strcmp(argv[3], "who") == 0) {
    who();
  } else if (strcmp(argv[3], "bytes") == 0) {
    bytes();
  } else if (strcmp(argv[3], "idle") == 0) {
    idle();
  } else if (strcmp(argv[3], "fill") == 0 && argc == 5) {
    fill((u_int) strtoul(argv[4], NULL, 10));
  } else {
    fprintf(stderr, "usage: cpeers_client tcp|udp PORT calls|errors|who|bytes|idle|fill N\n");
    return 2;
  }
  return 0;
}
