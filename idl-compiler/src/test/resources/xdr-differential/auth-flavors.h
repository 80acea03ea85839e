/*
 * RFC 5531's numbers of the authentication flavors, as libtirpc's <rpc/auth.h> #defines them,
 * for the files that build only on XDR's headers (xdr-only/: they declare what <rpc/rpc.h>
 * declares) and use a flavor as a union's case label (NFSv4's callback_sec_parms4 has
 * "case AUTH_NONE:" and "case AUTH_SYS:"). The harness includes this only when both builds
 * without it failed: a file that declares the flavors itself, as an enum, needs them unset.
 */
#define AUTH_NONE 0
#define AUTH_NULL 0
#define AUTH_SYS 1
#define AUTH_UNIX 1
#define AUTH_SHORT 2
#define AUTH_DH 3
#define AUTH_DES 3
#define AUTH_KERB 4
#define RPCSEC_GSS 6
