/*
 * The "edges" mode of interop_client: XDR values at the edges of what interop.x allows, sent by a
 * C peer as C programs may send them, one call each on a new client, printing what came back
 * (expected-edges.txt for the C server; the Onyx server's differences are asserted beside it).
 *
 * A name<16> and a blob<8> at exactly their bounds; a name one byte past its bound (sent as
 * counted bytes, as C's xdr_string refuses to encode it); a name with an embedded NUL (C's
 * xdr_string cannot send one, so it goes as counted bytes too); a bool of 2 (libtirpc's
 * xdr_bool reads any non-zero as TRUE, RFC 4506 allows 0 and 1 only); a color of 3, which
 * interop.x does not declare (libtirpc's xdr_enum reads any int); and a list of 10,000 nodes
 * through optional data, which rpcgen's xdr_node encodes and decodes by recursion, one level a
 * node. The mode runs over TCP and over UDP, where the list does not fit libtirpc's 8,800-byte
 * datagram.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interop_client.h"

#define LONG_LIST 10000

/* A string of length bytes, NULs and all (xdr_string stops at the first NUL). */
struct counted {
  char *bytes;
  u_int length;
};

static bool_t xdr_counted(XDR *xdrs, struct counted *c) {
  return xdr_bytes(xdrs, &c->bytes, &c->length, ~0u);
}

/* An int sent where interop.x says bool or color. */
static bool_t xdr_profile_raw_flag(XDR *xdrs, profile *p) {
  int raw = p->flag;
  return xdr_name(xdrs, &p->title) && xdr_color(xdrs, &p->tint) && xdr_int(xdrs, &raw)
      && xdr_u_int(xdrs, &p->count) && xdr_u_quad_t(xdrs, &p->big)
      && xdr_double(xdrs, &p->ratio)
      && xdr_vector(xdrs, (char *) p->fixed, 3, sizeof(int), (xdrproc_t) xdr_int)
      && xdr_array(xdrs, (char **) &p->values.values_val, &p->values.values_len, MAX_VALUES,
          sizeof(int), (xdrproc_t) xdr_int)
      && xdr_opaque(xdrs, p->tag, 3)
      && xdr_bytes(xdrs, &p->blob.blob_val, &p->blob.blob_len, MAX_VALUES)
      && xdr_point(xdrs, &p->origin) && xdr_list(xdrs, &p->items) && xdr_shape(xdrs, &p->form);
}

/* Makes a call on a new client and prints its status (the caller prints the result). */
static enum clnt_stat call(const char *label, u_long procedure, xdrproc_t arguments,
    char *argument, xdrproc_t results, char *result) {
  CLIENT *client = connect_to(INTEROP_PROG, INTEROP_V1);
  struct timeval unused = {10, 0};
  enum clnt_stat status = clnt_call(client, procedure, arguments, argument, results, result,
      unused);
  printf("%s -> %s", label, clnt_sperrno(status));
  clnt_destroy(client);
  return status;
}

static void print_bytes(const struct counted *c) {
  printf(" (%u bytes: \"", c->length);
  for (u_int i = 0; i < c->length; i++) {
    if (c->bytes[i] == '\0') {
      printf("\\0");
    } else {
      putchar(c->bytes[i]);
    }
  }
  printf("\")\n");
}

static void greet_bytes(const char *label, char *bytes, u_int length) {
  struct counted who = {bytes, length};
  struct counted greeting = {NULL, 0};
  if (call(label, GREET, (xdrproc_t) xdr_counted, (char *) &who, (xdrproc_t) xdr_counted,
          (char *) &greeting) == RPC_SUCCESS) {
    print_bytes(&greeting);
    free(greeting.bytes);
  } else {
    printf("\n");
  }
}

static void transform(const char *label, profile *p, xdrproc_t arguments) {
  outcome out;
  memset(&out, 0, sizeof out);
  if (call(label, TRANSFORM, arguments, (char *) p, (xdrproc_t) xdr_outcome, (char *) &out)
      == RPC_SUCCESS) {
    if (out.status != 0) {
      printf(", status %d \"%s\"\n", out.status, out.outcome_u.error);
    } else {
      profile *r = &out.outcome_u.value;
      printf(", flag %s, blob of %u bytes\n", r->flag ? "TRUE" : "FALSE", r->blob.blob_len);
    }
    xdr_free((xdrproc_t) xdr_outcome, (char *) &out);
  } else {
    printf("\n");
  }
}

void edges(void) {
  greet_bytes("GREET(name of 16 bytes)", "sixteen-bytes-!!", 16);
  greet_bytes("GREET(name of 17 bytes)", "seventeen-bytes-!", 17);
  greet_bytes("GREET(\"a\\0b\")", "a\0b", 3);

  node nodes[3];
  int values[MAX_VALUES];
  profile p;
  sample(&p, nodes, values);
  char blob[MAX_VALUES] = {1, 2, 3, 4, 5, 6, 7, 8};
  p.blob.blob_val = blob;
  p.blob.blob_len = sizeof blob;
  transform("TRANSFORM(blob of 8 bytes)", &p, (xdrproc_t) xdr_profile);
  sample(&p, nodes, values);
  p.flag = 2;
  transform("TRANSFORM(flag 2)", &p, (xdrproc_t) xdr_profile_raw_flag);

  int undeclared = 3;
  color next = RED;
  if (call("NEXT_COLOR(3)", NEXT_COLOR, (xdrproc_t) xdr_int, (char *) &undeclared,
          (xdrproc_t) xdr_color, (char *) &next) == RPC_SUCCESS) {
    printf(", %d\n", (int) next);
  } else {
    printf("\n");
  }

  node *chain = calloc(LONG_LIST, sizeof *chain);
  for (int i = 0; i < LONG_LIST; i++) {
    chain[i].label = "n";
    chain[i].value = i;
    chain[i].next = i + 1 < LONG_LIST ? &chain[i + 1] : NULL;
  }
  list in = chain;
  list out = NULL;
  if (call("REVERSE(10000 nodes)", REVERSE, (xdrproc_t) xdr_list, (char *) &in,
          (xdrproc_t) xdr_list, (char *) &out) == RPC_SUCCESS) {
    int count = 0, ordered = 1;
    for (node *n = out; n != NULL; n = n->next, count++) {
      ordered &= n->value == 2 * (int64_t) (LONG_LIST - 1 - count) && strcmp(n->label, "N") == 0;
    }
    printf(", %d nodes%s\n", count, ordered ? ", reversed and doubled" : ", wrong");
    xdr_free((xdrproc_t) xdr_list, (char *) &out);
  } else {
    printf("\n");
  }
  free(chain);
}
