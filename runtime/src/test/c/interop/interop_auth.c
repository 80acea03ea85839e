/*
 * Credentials for interop_client: an authenticator that sends any credential as given, and the
 * "credentials" mode, which calls WHOAMI with AUTH_SYS at its bounds (RFC 5531 appendix A:
 * machinename<255>, gids<16>) and one over, with no gids, with authsys_create_default's
 * credential for a process in more than 16 groups, with AUTH_NONE credentials and verifiers that
 * carry a body, with flavors a server that lacks them must refuse, and last with
 * authunix_create_default's after the process became uid 1000 (setuid).
 *
 * The mode changes the process's groups and user, which needs root (CAP_SETGID, CAP_SETUID).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>
#include <unistd.h>

#include "interop_client.h"

/*
 * A client-side authenticator that sends any credential as given, for the credentials libtirpc
 * will not make: a flavor nobody registered, an AUTH_SYS body that does not decode.
 */
static int raw_marshal(AUTH *auth, XDR *xdrs) {
  return xdr_opaque_auth(xdrs, &auth->ah_cred) && xdr_opaque_auth(xdrs, &auth->ah_verf);
}
static int raw_validate(AUTH *auth, struct opaque_auth *verifier) { return TRUE; }
static int raw_refresh(AUTH *auth, void *message) { return FALSE; /* no second attempt */ }
static void raw_nextverf(AUTH *auth) {}
static void raw_destroy(AUTH *auth) {}
static int raw_wrap(AUTH *auth, XDR *xdrs, xdrproc_t proc, caddr_t where) {
  return (*proc)(xdrs, where);
}
static struct auth_ops raw_ops = {
    raw_nextverf, raw_marshal, raw_validate, raw_refresh, raw_destroy, raw_wrap, raw_wrap};

AUTH raw_credential(enum_t flavor, char *body, u_int length) {
  AUTH auth;
  memset(&auth, 0, sizeof auth);
  auth.ah_cred.oa_flavor = flavor;
  auth.ah_cred.oa_base = body;
  auth.ah_cred.oa_length = length;
  auth.ah_verf.oa_flavor = AUTH_NONE;
  auth.ah_ops = &raw_ops;
  return auth;
}

const char *auth_stat_name(enum auth_stat why) {
  switch (why) {
    case AUTH_BADCRED: return "AUTH_BADCRED";
    case AUTH_REJECTEDCRED: return "AUTH_REJECTEDCRED";
    case AUTH_TOOWEAK: return "AUTH_TOOWEAK";
    case AUTH_FAILED: return "AUTH_FAILED";
    default: return "another auth_stat";
  }
}

/* Stores value big-endian at p; returns its size. */
static u_int put_word(char *p, uint32_t value) {
  value = htonl(value);
  memcpy(p, &value, sizeof value);
  return sizeof value;
}

/* An AUTH_SYS body of any machine name length and number of gids, which authsys_create refuses. */
static u_int auth_sys_body(char *body, u_int name_length, u_int gids) {
  u_int n = put_word(body, 1); /* stamp */
  n += put_word(body + n, name_length);
  memset(body + n, 'h', name_length);
  n += name_length;
  while (n % 4 != 0) {
    body[n++] = 0;
  }
  n += put_word(body + n, 0); /* uid */
  n += put_word(body + n, 0); /* gid */
  n += put_word(body + n, gids);
  for (u_int i = 0; i < gids; i++) {
    n += put_word(body + n, i);
  }
  return n;
}

/* Calls WHOAMI with credential; on success *result holds what the server saw. */
static enum clnt_stat whoami_with(AUTH *credential, text *result, struct rpc_err *error) {
  CLIENT *client = connect_to(INTEROP_PROG, INTEROP_V1);
  AUTH *none = client->cl_auth;
  client->cl_auth = credential;
  struct timeval unused = {10, 0};
  *result = NULL;
  enum clnt_stat status = clnt_call(client, WHOAMI, (xdrproc_t) xdr_void, NULL,
      (xdrproc_t) xdr_text, (char *) result, unused);
  clnt_geterr(client, error);
  client->cl_auth = none;
  auth_destroy(none);
  clnt_destroy(client);
  return status;
}

/* Prints what WHOAMI answered with credential, or the refusal (and its auth_stat if reason). */
static void whoami_as(const char *label, AUTH *credential, int reason) {
  text result;
  struct rpc_err error;
  enum clnt_stat status = whoami_with(credential, &result, &error);
  printf("%s -> ", label);
  if (status == RPC_SUCCESS) {
    printf("\"%s\"\n", result);
    xdr_free((xdrproc_t) xdr_text, (char *) &result);
    return;
  }
  printf("%s", clnt_sperrno(status));
  if (reason && status == RPC_AUTHERROR) {
    printf(" (%s)", auth_stat_name(error.re_why));
  }
  printf("\n");
}

/* The longest credential AUTH_SYS allows, made by libtirpc's own authsys_create. */
static void longest_auth_sys(void) {
  char machine[256];
  for (int i = 0; i < 255; i++) {
    machine[i] = (char) ('a' + i % 26);
  }
  machine[255] = '\0';
  gid_t gids[16];
  for (int i = 0; i < 16; i++) {
    gids[i] = 100 + i;
  }
  AUTH *sys = authsys_create(machine, 4294967294u, 65534, 16, gids);
  whoami_as("WHOAMI with a 255-byte machine name and 16 gids", sys, 1);
  auth_destroy(sys);
}

/*
 * Calls WHOAMI with the credential `sys` (authsys_create_default's, which it destroys) and prints
 * `matched` if the server saw this process's host name, effective uid and gid, and the `count`
 * groups given, or what it saw instead.
 */
static void whoami_as_this_process(const char *label, AUTH *sys, const gid_t *groups, int count,
    const char *matched) {
  char host[MAXHOSTNAMELEN + 1];
  if (gethostname(host, sizeof host) != 0) {
    perror("gethostname");
    exit(2);
  }
  host[MAXHOSTNAMELEN] = '\0';
  char expected[1024];
  int n = snprintf(expected, sizeof expected, "AUTH_SYS machine=%s uid=%u gid=%u gids=[", host,
      (unsigned) geteuid(), (unsigned) getegid());
  for (int i = 0; i < count; i++) {
    n += snprintf(expected + n, sizeof expected - n, "%s%u", i == 0 ? "" : ", ",
        (unsigned) groups[i]);
  }
  snprintf(expected + n, sizeof expected - n, "]");

  text result;
  struct rpc_err error;
  enum clnt_stat status = whoami_with(sys, &result, &error);
  auth_destroy(sys);
  printf("%s -> ", label);
  if (status != RPC_SUCCESS) {
    printf("%s\n", clnt_sperrno(status));
    return;
  }
  if (strcmp(result, expected) == 0) {
    printf("%s\n", matched);
  } else {
    printf("\"%s\", not \"%s\"\n", result, expected);
  }
  xdr_free((xdrproc_t) xdr_text, (char *) &result);
}

/*
 * authsys_create_default in 20 supplementary groups: the credential holds the first 16, and the
 * server must see this process's host name, uid, gid and those groups.
 */
static void default_auth_sys(void) {
  const char *label = "WHOAMI with authsys_create_default in 20 groups";
  gid_t groups[20];
  for (int i = 0; i < 20; i++) {
    groups[i] = 1000 + i;
  }
  if (setgroups(20, groups) != 0) {
    printf("%s -> cannot setgroups: %s\n", label, strerror(errno));
    return;
  }
  whoami_as_this_process(label, authsys_create_default(), groups, 16,
      "this process's host, uid, gid and first 16 groups");
}

/* AUTH_SYS with no supplementary groups, as authsys_create makes it for a caller in none. */
static void no_gids_auth_sys(void) {
  AUTH *sys = authsys_create("interop-host", 1234, 5678, 0, NULL);
  whoami_as("WHOAMI with authsys_create and no gids", sys, 1);
  auth_destroy(sys);
}

/*
 * authunix_create_default (libtirpc's old name of authsys_create_default) in a process that
 * gave up root, as a daemon started by root does (setgroups, setgid, then setuid): the server
 * must see that user's ids and groups, not root's. Irreversible, so the mode's last call.
 */
static void default_auth_sys_as_user(void) {
  const char *label = "WHOAMI with authunix_create_default as uid 1000, gid 1001 in 3 groups";
  gid_t groups[3] = {2000, 2001, 2002};
  if (setgroups(3, groups) != 0 || setgid(1001) != 0 || setuid(1000) != 0
      || geteuid() != 1000 || getegid() != 1001) {
    printf("%s -> cannot become that user: %s\n", label, strerror(errno));
    return;
  }
  whoami_as_this_process(label, authunix_create_default(), groups, 3,
      "this process's host, uid 1000, gid 1001 and its 3 groups");
}

/* Calls WHOAMI with a credential and a verifier of flavor and body as given. */
static void whoami_verified(const char *label, enum_t flavor, char *body, u_int length,
    enum_t verifier_flavor, char *verifier, u_int verifier_length, int reason) {
  AUTH raw = raw_credential(flavor, body, length);
  raw.ah_verf.oa_flavor = verifier_flavor;
  raw.ah_verf.oa_base = verifier;
  raw.ah_verf.oa_length = verifier_length;
  CLIENT *client = connect_to(INTEROP_PROG, INTEROP_V1);
  AUTH *none = client->cl_auth;
  client->cl_auth = &raw;
  struct timeval unused = {10, 0};
  text result = NULL;
  enum clnt_stat status = clnt_call(client, WHOAMI, (xdrproc_t) xdr_void, NULL,
      (xdrproc_t) xdr_text, (char *) &result, unused);
  struct rpc_err error;
  clnt_geterr(client, &error);
  printf("%s -> %s", label, status == RPC_SUCCESS ? result : clnt_sperrno(status));
  if (reason && status == RPC_AUTHERROR) {
    printf(" (%s)", auth_stat_name(error.re_why));
  }
  printf("\n");
  if (status == RPC_SUCCESS) {
    xdr_free((xdrproc_t) xdr_text, (char *) &result);
  }
  client->cl_auth = none;
  auth_destroy(none);
  clnt_destroy(client);
}

/* Calls WHOAMI with a credential of flavor and body as given, and an empty AUTH_NONE verifier. */
static void whoami_raw(const char *label, enum_t flavor, char *body, u_int length, int reason) {
  whoami_verified(label, flavor, body, length, AUTH_NONE, NULL, 0, reason);
}

void credentials(void) {
  longest_auth_sys();
  no_gids_auth_sys();
  default_auth_sys();

  char body[400];
  whoami_raw("WHOAMI with a 256-byte machine name", AUTH_SYS, body, auth_sys_body(body, 256, 0), 1);
  whoami_raw("WHOAMI with 17 gids", AUTH_SYS, body, auth_sys_body(body, 4, 17), 1);

  /*
   * AUTH_NONE with a body (RFC 5531 section 8.2 leaves it undefined and recommends none), up to
   * the 400 bytes of an opaque_auth: libtirpc's _svcauth_null takes any; so does an Onyx server,
   * whose own clients tag calls in the verifier's body (a body without the tag's magic is none).
   */
  char undefined[400];
  memset(undefined, 0xa5, sizeof undefined);
  whoami_raw("WHOAMI with a 400-byte AUTH_NONE credential", AUTH_NONE, undefined, 400, 1);
  whoami_raw("WHOAMI with a 1-byte AUTH_NONE credential", AUTH_NONE, undefined, 1, 1);
  whoami_verified("WHOAMI with a 400-byte AUTH_NONE verifier", AUTH_NONE, NULL, 0, AUTH_NONE,
      undefined, 400, 1);
  whoami_verified("WHOAMI with AUTH_SYS and a 400-byte AUTH_NONE verifier", AUTH_SYS, body,
      auth_sys_body(body, 4, 16), AUTH_NONE, undefined, 400, 1);
  /* A verifier of another flavor than AUTH_NONE's, which AUTH_NONE and AUTH_SYS calls carry. */
  whoami_verified("WHOAMI with AUTH_NONE and an AUTH_SYS verifier", AUTH_NONE, NULL, 0, AUTH_SYS,
      body, auth_sys_body(body, 4, 0), 1);
  whoami_verified("WHOAMI with AUTH_SYS and an AUTH_SHORT verifier", AUTH_SYS, body,
      auth_sys_body(body, 4, 1), AUTH_SHORT, undefined, 8, 1);

  /* AUTH_SHORT (RFC 5531 section 9.2): a handle this server never gave out. */
  u_int n = put_word(body, 0x0badcafe);
  n += put_word(body + n, 0x0badf00d);
  whoami_raw("WHOAMI with AUTH_SHORT", AUTH_SHORT, body, n, 1);

  /*
   * Flavors neither server accepts, with well-formed bodies. libtirpc's server knows them and
   * says AUTH_FAILED or RPCSEC_GSS_CREDPROBLEM, a server without them AUTH_REJECTEDCRED: either
   * way the C client sees an authentication error, which is all these lines print.
   */
  n = put_word(body, 0); /* AUTH_DES (RFC 2695) ADN_FULLNAME */
  n += put_word(body + n, 8);
  memcpy(body + n, "unix.0@x", 8);
  n += 8;
  memset(body + n, 1, 12); /* the encrypted key and window verifier's room */
  n += 12;
  whoami_raw("WHOAMI with AUTH_DES", AUTH_DES, body, n, 0);
  n = put_word(body, 1); /* RPCSEC_GSS (RFC 2203) version 1, RPCSEC_GSS_DATA */
  n += put_word(body + n, 0);
  n += put_word(body + n, 1); /* sequence number */
  n += put_word(body + n, 1); /* rpc_gss_svc_none */
  n += put_word(body + n, 4); /* a context handle nobody made */
  n += put_word(body + n, 0xdeadbeef);
  whoami_raw("WHOAMI with RPCSEC_GSS", RPCSEC_GSS, body, n, 0);

  default_auth_sys_as_user();
}

/*
 * The "refusals" mode, against a server that requires AUTH_SYS and refuses some uids (the strict
 * server of interop_faulty_server.c, or an Onyx server whose authenticator does the same): each
 * call on one CLIENT, its credential swapped between calls as a client that retries with
 * stronger ones does, and each refusal as clnt_sperror prints it, the auth_stat's words included.
 */
static void refused_or_served(CLIENT *client, const char *label, AUTH *credential, u_long procedure) {
  client->cl_auth = credential;
  struct timeval unused = {10, 0};
  text result = NULL;
  enum clnt_stat status = procedure == NULLPROC
      ? clnt_call(client, NULLPROC, (xdrproc_t) xdr_void, NULL, (xdrproc_t) xdr_void, NULL, unused)
      : clnt_call(client, procedure, (xdrproc_t) xdr_void, NULL, (xdrproc_t) xdr_text,
          (char *) &result, unused);
  if (status != RPC_SUCCESS) {
    const char *said = clnt_sperror(client, label); /* some libtirpc versions end it with \n */
    printf("%.*s\n", (int) strcspn(said, "\n"), said);
    return;
  }
  if (result == NULL) {
    printf("%s: served\n", label);
  } else {
    printf("%s: \"%s\"\n", label, result);
    xdr_free((xdrproc_t) xdr_text, (char *) &result);
  }
}

void refusals(void) {
  CLIENT *client = connect_to(INTEROP_PROG, INTEROP_V1);
  AUTH *none = client->cl_auth;
  AUTH *rejected = authsys_create("strict-host", 666, 100, 0, NULL);
  AUTH *bad = authsys_create("strict-host", 667, 100, 0, NULL);
  AUTH *admitted = authsys_create("strict-host", 1000, 100, 0, NULL);
  refused_or_served(client, "NULL with AUTH_NONE", none, NULLPROC);
  refused_or_served(client, "WHOAMI with AUTH_NONE", none, WHOAMI);
  refused_or_served(client, "WHOAMI with AUTH_SYS uid 666", rejected, WHOAMI);
  refused_or_served(client, "WHOAMI with AUTH_SYS uid 667", bad, WHOAMI);
  refused_or_served(client, "WHOAMI with AUTH_SYS uid 1000", admitted, WHOAMI);
  refused_or_served(client, "NULL with AUTH_SYS uid 666", rejected, NULLPROC);
  refused_or_served(client, "NULL with AUTH_SYS uid 1000", admitted, NULLPROC);
  refused_or_served(client, "WHOAMI with AUTH_NONE again", none, WHOAMI);
  refused_or_served(client, "WHOAMI with AUTH_SYS uid 1000 again", admitted, WHOAMI);
  client->cl_auth = none;
  auth_destroy(rejected);
  auth_destroy(bad);
  auth_destroy(admitted);
  auth_destroy(none);
  clnt_destroy(client);
}
