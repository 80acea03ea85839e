package org.onyxrpc.directory.rpcbind;

import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.RpcException;

/**
 * The indirect calls (CALLIT, BCAST, INDIRECT) the directory refuses before looking their program
 * up, as rpcbind's {@code check_callit} refuses them: a forwarded call comes from this machine,
 * so a caller from anywhere could otherwise have the directory mount an export (MOUNT's MNT),
 * bind a NIS domain, change a NIS password, call NFS or rquota, or dump a NIS map for it, where
 * those programs trust the source address; nor may it call the directory's own programs
 * (portmap/rpcbind and the names program), which would register for it what only local callers
 * may. Their NULL procedures are always called. A refusal is answered, AUTH_ERROR AUTH_TOOWEAK,
 * even to CALLIT, which is otherwise silent when it fails, as rpcbind answers it: a C caller
 * ({@code pmap_rmtcall}, {@code rpcb_rmtcall}, {@code clnt_broadcast}) gets "Authentication
 * error" at once rather than waiting out its timeout.
 */
final class RefusedIndirectCalls {
  private static final int NFS = 100003;
  private static final int NIS = 100004; // YPPROG
  private static final int MOUNT = 100005;
  private static final int NIS_BIND = 100007; // YPBINDPROG
  private static final int NIS_PASSWD = 100009; // YPPASSWDPROG
  private static final int RQUOTA = 100011;

  private static final int MOUNT_MNT = 1;
  private static final int MOUNT_UMNT = 3;
  private static final int NIS_BIND_SETDOM = 2;
  private static final int NIS_MATCH = 3;
  private static final int NIS_FIRST = 4;
  private static final int NIS_NEXT = 5;
  private static final int NIS_ALL = 8;

  private RefusedIndirectCalls() {}

  /** The AUTH_ERROR that answers {@code args}, or null when the call may be forwarded. */
  static RpcException refusal(Rpcb.CallArgs args) {
    return refused(args.program(), args.procedure())
        ? RpcException.authError(AuthStatus.AUTH_TOOWEAK, "procedure " + Integer.toUnsignedString(args.procedure())
            + " of program " + Integer.toUnsignedString(args.program()) + " is not called indirectly")
        : null;
  }

  /** True if procedure {@code procedure} of {@code program} is never forwarded. */
  static boolean refused(int program, int procedure) {
    if (procedure == 0) {
      return false;
    }
    return switch (program) {
      case Portmap.PROGRAM, Names.PROGRAM, NIS_PASSWD, NFS, RQUOTA -> true;
      case MOUNT -> procedure == MOUNT_MNT || procedure == MOUNT_UMNT;
      case NIS_BIND -> procedure == NIS_BIND_SETDOM;
      case NIS -> procedure == NIS_MATCH || procedure == NIS_FIRST || procedure == NIS_NEXT
          || procedure == NIS_ALL;
      default -> false;
    };
  }
}
