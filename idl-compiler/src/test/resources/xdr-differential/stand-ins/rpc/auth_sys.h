/*
 * In place of Solaris' <rpc/auth_sys.h>, which NFSv4 files include in a % line for struct
 * authsys_parms (RFC 5531's AUTH_SYS credentials) and its xdr_authsys_parms: libtirpc's
 * <rpc/rpc.h> has both as authunix_parms (its <rpc/auth_unix.h> #defines the struct's name, not
 * the routine's), the same XDR. A file that declares the struct itself builds on XDR's headers
 * alone (xdr-only/), where <rpc/auth_unix.h> is not read and its own routine is kept.
 */
#ifdef _TIRPC_AUTH_UNIX_H
#define xdr_authsys_parms xdr_authunix_parms
#endif
