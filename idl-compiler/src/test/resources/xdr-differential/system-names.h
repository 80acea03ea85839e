/*
 * Names that the system headers of the files' own platforms give and libtirpc's do not, or
 * gives only in the <rpc/rpc.h> that the files which build on XDR's headers alone (xdr-only/:
 * they declare what <rpc/rpc.h> declares) cannot include. The harness includes this only when
 * both builds without it failed: a file that declares these names itself needs them unset.
 *
 * RFC 5531's numbers of the authentication flavors, as libtirpc's <rpc/auth.h> #defines them:
 * NFSv4's callback_sec_parms4 has "case AUTH_NONE:" and "case AUTH_SYS:".
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

/*
 * The BSDs' routines of their <rpc/types.h>'s rpcprog_t, rpcvers_t ... (each a uint32_t, as in
 * libtirpc, which has no routine for them), which their rpcb_prot.x's structs call.
 */
#define xdr_rpcprog_t xdr_u_int32_t
#define xdr_rpcvers_t xdr_u_int32_t
#define xdr_rpcproc_t xdr_u_int32_t
#define xdr_rpcprot_t xdr_u_int32_t
#define xdr_rpcport_t xdr_u_int32_t
