/*
 * In place of GlusterFS' rpc/xdr/src/rpc-pragmas.h, which each of its .x files includes in a
 * % line: it only silences gcc's warnings about rpcgen's C, and the harness builds with -w.
 */
