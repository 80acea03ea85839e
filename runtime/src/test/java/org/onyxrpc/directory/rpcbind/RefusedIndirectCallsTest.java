package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * The indirect calls rpcbind's check_callit refuses, because a forwarded call comes from this
 * machine and such programs trust the source address: MOUNT's MNT and UMNT (a caller from
 * anywhere would get a file handle of an export open to this machine only), and the like of NFS,
 * NIS and rquota. The directory forwarded them: MNT ran for whoever sent CALLIT. Now CALLIT, BCAST
 * and INDIRECT are all answered AUTH_ERROR AUTH_TOOWEAK, as rpcbind answers them (CALLIT too,
 * though it is otherwise silent when it fails), and the procedure does not run; MOUNT's other
 * procedures are forwarded as before. Debian's rpcbind answers the same:
 * {@link RpcbindDifferentialTest}, and to libtirpc's callers {@link RmtcallInteropTest}.
 */
class RefusedIndirectCallsTest {
  private static final int MOUNT = 100005;
  private static final int MOUNT_V3 = 3;
  private static final int MNT = 1;
  private static final int DUMP = 2;
  private static final byte[] SEVEN = {0, 0, 0, 7};

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void mountsMntIsRefusedAsRpcbindRefusesItAndDoesNotRun(Transport t) throws Exception {
    AtomicInteger mounts = new AtomicInteger();
    Procedure<Integer, Integer> mnt = new Procedure<>(MOUNT, MOUNT_V3, MNT, "MOUNTPROC3_MNT",
        XdrCodecs.INT, XdrCodecs.INT);
    Procedure<Integer, Integer> dump = new Procedure<>(MOUNT, MOUNT_V3, DUMP, "MOUNTPROC3_DUMP",
        XdrCodecs.INT, XdrCodecs.INT);
    try (DirectoryFixture fixture = new DirectoryFixture();
        RpcServer mountd = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(Directory.none())
            .addService(ServiceDefinition.builder(MOUNT, MOUNT_V3)
                .procedure(mnt, (n, ctx) -> {
                  mounts.incrementAndGet();
                  return n;
                })
                .procedure(dump, (n, ctx) -> n)
                .build())
            .build().start();
        RpcClient c = fixture.client(t, 0)) {
      int port = mountd.port();
      for (String netid : new String[] {"udp", "tcp"}) {
        fixture.directory.table().register(new ServiceInstance("", MOUNT, MOUNT_V3, netid,
            "127.0.0.1." + (port >> 8) + "." + (port & 0xFF), "unknown"), Duration.ofMinutes(1));
      }
      Rpcb.CallArgs mount = new Rpcb.CallArgs(MOUNT, MOUNT_V3, MNT, SEVEN);

      refused(() -> c.call(Portmap.CALLIT, mount));
      refused(() -> c.call(Rpcb.callit(3), mount));
      refused(() -> c.call(Rpcb.callit(4), mount)); // BCAST
      refused(() -> c.call(Rpcb.INDIRECT, mount));
      refused(() -> c.call(Portmap.CALLIT, new Rpcb.CallArgs(MOUNT, MOUNT_V3, 3, SEVEN))); // UMNT
      assertEquals(0, mounts.get(), "MNT never ran");

      Rpcb.CallArgs listing = new Rpcb.CallArgs(MOUNT, MOUNT_V3, DUMP, SEVEN);
      assertArrayEquals(SEVEN, c.call(Portmap.CALLIT, listing).results(), "DUMP is forwarded");
      assertArrayEquals(SEVEN, c.call(Rpcb.INDIRECT, listing).results(), "DUMP is forwarded");
    }
  }

  private static void refused(org.junit.jupiter.api.function.Executable call) {
    RpcException e = assertThrows(RpcException.class, call);
    assertEquals(RpcStatus.AUTH_ERROR, e.status(), e::toString);
    assertEquals(AuthStatus.AUTH_TOOWEAK, e.authStatus(), e::toString);
  }
}
