package org.onyxrpc.internal.rpcbind;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Credentials;

/**
 * Who owns a registration, in rpcbind's words: "superuser" for uid 0, the uid in decimal for
 * anyone else, "unknown" when only the caller says. As in rpcbind, only the kernel's word makes an
 * owner: the uid it reports for a caller on the local socket. An AUTH_SYS uid is a claim any
 * process can make, so a caller over TCP or UDP is "unknown", whatever its credentials say: it
 * cannot remove or replace an entry that the kernel vouched for.
 */
public final class Owners {
  /** The owner of what a caller registered that the kernel did not vouch for. */
  public static final String UNKNOWN = "unknown";
  /** The owner uid 0 registers as; it may replace or remove any entry. */
  public static final String SUPERUSER = "superuser";

  private Owners() {}

  /**
   * The owner a call speaks for: {@code kernelUid}, the uid the kernel reports for a call that
   * came through a local socket, if there is one (not negative); else "unknown".
   */
  public static String of(int kernelUid) {
    return kernelUid >= 0 ? ofUid(kernelUid) : UNKNOWN;
  }

  static String ofUid(int uid) {
    return uid == 0 ? SUPERUSER : Integer.toUnsignedString(uid);
  }

  /** The owner this process registers as: its uid, as {@link #of} names it. */
  public static String self() {
    int uid = processId("uid");
    return uid < 0 ? UNKNOWN : ofUid(uid);
  }

  /**
   * AUTH_SYS credentials of this process (uid, gid, host name), or AUTH_NONE if unknown: what a
   * process calls a directory with, as rpcbind's clients do. A directory takes them as a claim
   * only; over TCP or UDP what it registers is owned by "unknown" (see {@link #of}).
   */
  public static Credentials processCredentials() {
    int uid = processId("uid");
    int gid = processId("gid");
    if (uid < 0 || gid < 0) {
      return Credentials.NONE;
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    if (host.length() > AuthSys.MAX_MACHINE_NAME) {
      host = host.substring(0, AuthSys.MAX_MACHINE_NAME);
    }
    return new AuthSys(0, host, uid, gid, new int[0]);
  }

  /** The process's uid or gid through /proc (Linux), or -1 where there is none. */
  private static int processId(String which) {
    try {
      Object id = Files.getAttribute(Path.of("/proc/self"), "unix:" + which);
      return id instanceof Integer i ? i : -1;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1;
    }
  }
}
