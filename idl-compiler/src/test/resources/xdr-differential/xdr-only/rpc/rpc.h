/*
 * In place of libtirpc's <rpc/rpc.h> for the .x files that declare what it declares (the
 * portmapper's and rpcbind's types, RFC 5531's messages): rpcgen's XDR routines need only XDR,
 * and the stubs' prototypes in its header only the names of the client and transport types.
 */
#ifndef HARNESS_XDR_ONLY_RPC_H
#define HARNESS_XDR_ONLY_RPC_H
#include <rpc/types.h>
#include <rpc/xdr.h>
typedef struct harness_client CLIENT;
typedef struct harness_svcxprt SVCXPRT;
struct svc_req;
#endif
