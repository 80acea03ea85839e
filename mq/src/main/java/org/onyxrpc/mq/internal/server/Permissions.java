package org.onyxrpc.mq.internal.server;

import org.onyxrpc.mq.internal.wire.Access;

/**
 * Unix permission bits checked as the kernel checks them for a file: the owner's bits if the
 * caller is the owner, else the group's if the caller is in the group, else the others'. The
 * superuser gets nothing extra: a uid of 0 in AUTH_SYS is a claim anyone can make (NFS's
 * root squash reasons the same way).
 */
final class Permissions {
  private static final int READ = 4;
  private static final int WRITE = 2;

  private Permissions() {}

  static boolean allows(QueueOwner owner, Caller caller, Access access) {
    int bits;
    if (caller.uid() == owner.uid()) {
      bits = owner.mode() >> 6;
    } else if (caller.inGroup(owner.gid())) {
      bits = owner.mode() >> 3;
    } else {
      bits = owner.mode();
    }
    int needed = switch (access) {
      case READ_ONLY -> READ;
      case WRITE_ONLY -> WRITE;
      case READ_WRITE -> READ | WRITE;
    };
    return (bits & needed) == needed;
  }
}
