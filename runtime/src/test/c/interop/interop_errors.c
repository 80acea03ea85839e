/*
 * The "errors" mode of interop_client: calls a server must refuse, each on a new client, printing
 * clnt_sperrno of the status (with the versions of a PROG_MISMATCH and the auth_stat of an
 * AUTH_ERROR), for expected-errors.txt.
 */
#include <stdio.h>
#include <string.h>

#include "interop_client.h"

/*
 * rpcgen's xdr_profile with no bound on values and blob, to send one more than interop.x allows
 * (rpcgen's own routine refuses to encode it).
 */
static bool_t xdr_profile_unbounded(XDR *xdrs, profile *p) {
  return xdr_name(xdrs, &p->title) && xdr_color(xdrs, &p->tint) && xdr_bool(xdrs, &p->flag)
      && xdr_u_int(xdrs, &p->count) && xdr_u_quad_t(xdrs, &p->big)
      && xdr_double(xdrs, &p->ratio)
      && xdr_vector(xdrs, (char *) p->fixed, 3, sizeof(int), (xdrproc_t) xdr_int)
      && xdr_array(xdrs, (char **) &p->values.values_val, &p->values.values_len, ~0u,
          sizeof(int), (xdrproc_t) xdr_int)
      && xdr_opaque(xdrs, p->tag, 3)
      && xdr_bytes(xdrs, &p->blob.blob_val, &p->blob.blob_len, ~0u)
      && xdr_point(xdrs, &p->origin) && xdr_list(xdrs, &p->items) && xdr_shape(xdrs, &p->form);
}

/* Makes one call that must fail, with credential (or AUTH_NONE if NULL), and prints why. */
static void expect_failure(const char *label, u_long program, u_long version, u_long procedure,
    xdrproc_t arguments, char *argument, AUTH *credential) {
  CLIENT *client = connect_to(program, version);
  AUTH *none = client->cl_auth;
  if (credential != NULL) {
    client->cl_auth = credential;
  }
  struct timeval unused = {10, 0};
  enum clnt_stat status =
      clnt_call(client, procedure, arguments, argument, (xdrproc_t) xdr_void, NULL, unused);
  printf("%s -> %s", label, clnt_sperrno(status));
  struct rpc_err error;
  clnt_geterr(client, &error);
  if (status == RPC_PROGVERSMISMATCH) {
    printf(" (versions %lu..%lu)", (unsigned long) error.re_vers.low,
        (unsigned long) error.re_vers.high);
  } else if (status == RPC_AUTHERROR) {
    printf(" (%s)", auth_stat_name(error.re_why));
  }
  printf("\n");
  client->cl_auth = none;
  auth_destroy(none);
  clnt_destroy(client);
}

void errors(void) {
  xdrproc_t none = (xdrproc_t) xdr_void;
  expect_failure("procedure 99", INTEROP_PROG, INTEROP_V1, 99, none, NULL, NULL);
  expect_failure("version 2", INTEROP_PROG, 2, NULLPROC, none, NULL, NULL);
  expect_failure("program 0x20000778", 0x20000778, INTEROP_V1, NULLPROC, none, NULL, NULL);
  expect_failure("TRANSFORM(no arguments)", INTEROP_PROG, INTEROP_V1, TRANSFORM, none, NULL, NULL);
  text too_long = "seventeen-bytes!!"; /* name<16> allows 16 */
  expect_failure("GREET(name of 17 bytes)", INTEROP_PROG, INTEROP_V1, GREET, (xdrproc_t) xdr_text,
      (char *) &too_long, NULL);
  /* values<8> and blob<8> one over: sent by an XDR routine with their bounds lifted. */
  node nodes[3];
  int values[MAX_VALUES + 1];
  profile p;
  sample(&p, nodes, values);
  for (int i = 0; i <= MAX_VALUES; i++) {
    values[i] = i;
  }
  p.values.values_len = MAX_VALUES + 1;
  expect_failure("TRANSFORM(9 values)", INTEROP_PROG, INTEROP_V1, TRANSFORM,
      (xdrproc_t) xdr_profile_unbounded, (char *) &p, NULL);
  sample(&p, nodes, values);
  char blob[MAX_VALUES + 1] = {0};
  p.blob.blob_val = blob;
  p.blob.blob_len = sizeof blob;
  expect_failure("TRANSFORM(blob of 9 bytes)", INTEROP_PROG, INTEROP_V1, TRANSFORM,
      (xdrproc_t) xdr_profile_unbounded, (char *) &p, NULL);
  name crash = "crash";
  expect_failure("GREET(\"crash\")", INTEROP_PROG, INTEROP_V1, GREET, (xdrproc_t) xdr_name,
      (char *) &crash, NULL);
  char body[4] = {'o', 'n', 'y', 'x'};
  AUTH foreign = raw_credential(23130, body, sizeof body);
  expect_failure("NULL with flavor 23130", INTEROP_PROG, INTEROP_V1, NULLPROC, none, NULL,
      &foreign);
  AUTH truncated = raw_credential(AUTH_SYS, body, sizeof body); /* a stamp, then nothing */
  expect_failure("NULL with a 4-byte AUTH_SYS body", INTEROP_PROG, INTEROP_V1, NULLPROC, none,
      NULL, &truncated);
}

