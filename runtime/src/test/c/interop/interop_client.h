/* What the files of interop_client share. */
#ifndef INTEROP_CLIENT_H
#define INTEROP_CLIENT_H

#include "interop.h"

/* The transport given on the command line: tcp, udp, tcp6, udp6 or local. */
const char *protocol_name(void);

/* A client of program and version on the server given on the command line; exits if it cannot. */
CLIENT *connect_to(u_long program, u_long version);

/*
 * connect_to without CLSET_TIMEOUT: each clnt_call's own timeout counts (libtirpc's UDP client
 * uses CLSET_TIMEOUT's, once set, in place of the one a call passes).
 */
CLIENT *connect_untimed(u_long program, u_long version);

/* A credential sent as given, with an AUTH_NONE verifier (interop_auth.c). */
AUTH raw_credential(enum_t flavor, char *body, u_int length);

/* The name of an auth_stat the tests expect, or "another auth_stat". */
const char *auth_stat_name(enum auth_stat why);

/* The profile every TRANSFORM starts from, its list in items and its values in values. */
void sample(profile *p, node items[3], int values[MAX_VALUES]);

/* The "errors" mode (interop_errors.c). */
void errors(void);

/* The "credentials" mode (interop_auth.c). */
void credentials(void);

/* The "refusals" mode: a server that requires AUTH_SYS refuses calls (interop_auth.c). */
void refusals(void);

/* The "batch" mode (interop_oneway.c). */
void batch(void);

/* The "abandon" mode (interop_oneway.c). */
void abandon(void);

/* The "oneway" mode, or "oneway-close" if let_go (interop_oneway.c). */
void oneway(int let_go);

/* The "xid-reuse" mode (interop_controls.c). */
void xid_reuse(void);

/* The "controls" mode (interop_controls.c), the server being at port. */
void controls(u_short port);

/* The "edges" mode (interop_edges.c). */
void edges(void);

/* The "restart" mode: one TCP handle kept across a server restart (interop_controls.c). */
void restart(void);

#endif
