/*
 * In place of GlusterFS' <glusterfs/compat.h>, which its .x files include in a % line for the
 * portability macros of its C: the one their types use is UNIX_PATH_MAX (changelog-xdr.x's
 * sock[UNIX_PATH_MAX]), 108 as <linux/un.h> has it and as corpus/headers/glusterfs-headers.x
 * gives it to Onyx.
 */
#ifndef HARNESS_GLUSTERFS_COMPAT_H
#define HARNESS_GLUSTERFS_COMPAT_H
#define UNIX_PATH_MAX 108
#endif
