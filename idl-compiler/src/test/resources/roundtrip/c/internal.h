/* Empty stand-in for libvirt's internal.h, which remote_protocol.x %#includes: the XDR
 * routines rpcgen writes need nothing from it on Linux with libtirpc. */
