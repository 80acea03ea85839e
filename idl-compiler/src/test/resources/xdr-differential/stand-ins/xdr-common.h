/*
 * In place of GlusterFS' rpc/xdr/src/xdr-common.h, which nlm4-xdr.x includes in a % line for
 * its C helpers (the DUMP procedure's numbers, xdr_sizeof's macros): no type of the file uses it.
 */
