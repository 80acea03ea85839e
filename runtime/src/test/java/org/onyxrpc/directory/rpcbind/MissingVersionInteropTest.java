package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Unavailable;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A {@link DirectoryClient} made by program number for a version the directory lacks, where C
 * servers registered versions 1 and 3 (src/test/c/rpcbind/set_versions.c: {@code pmap_set} and
 * {@code rpcb_set} through the directory's local socket, as libtirpc's servers register): the
 * failure names the versions there are, as the server's PROG_MISMATCH would, through the Onyx
 * directory and through Debian's rpcbind, over rpcbind 4, 3 and portmap 2 ({@link OlderRpcbind}).
 * A plain client built with {@code RpcClientBuilder.directory(directory, P, 2)} says the same.
 * Before, only "no instance of program P version 2 over TCP" ("... is not registered over TCP").
 * Still UNAVAILABLE: nothing was sent.
 */
@ResourceLock("port 111")
class MissingVersionInteropTest {
  private static final int PROGRAM = 0x20000997;
  private static final Procedure<Void, Void> SECOND_NULL =
      new Procedure<>(PROGRAM, 2, 0, "NULL", XdrCodecs.VOID, XdrCodecs.VOID);

  @TempDir static Path built;
  private static Path binary;
  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work);

  private NativeTools tools() {
    return port111.tools();
  }

  /** The C program, built once for the class. */
  @BeforeAll
  static void build() throws Exception {
    NativeTools.require("gcc");
    if (!Files.isWritable(NativeTools.RPCBIND_SOCKET.getParent())) {
      Unavailable.because("libtirpc registers through " + NativeTools.RPCBIND_SOCKET + ", which needs root");
    }
    binary = built.resolve("set_versions");
    try (NativeTools gcc = new NativeTools(built)) {
      gcc.run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE, "-o", binary.toString(),
          sources().resolve("set_versions.c").toString(), "-ltirpc");
    }
  }

  @Test
  void theOnyxDirectoryNamesTheVersionsCServersRegistered() throws Exception {
    boolean hadSocket = Files.exists(NativeTools.RPCBIND_SOCKET);
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT, NativeTools.RPCBIND_SOCKET)) {
      registerAndAsk();
    } finally {
      if (!hadSocket) {
        Files.deleteIfExists(NativeTools.RPCBIND_SOCKET);
      }
    }
  }

  @Test
  void debiansRpcbindIsReadTheSameWay() throws Exception {
    NativeTools.require("rpcbind");
    tools().withDebianRpcbind(this::registerAndAsk);
  }

  /** The C registrations, then a version-2 client over each transport and each rpcbind version. */
  private void registerAndAsk() throws Exception {
    assertEquals("pmap_set 1 tcp TRUE\npmap_set 1 udp TRUE\nrpcb_set 3 tcp TRUE\nrpcb_set 3 udp TRUE\n",
        tools().run(binary.toString(), Integer.toString(PROGRAM)));
    for (int highest : new int[] {4, 3, Portmap.VERSION}) {
      try (OlderRpcbind older = new OlderRpcbind(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), Portmap.PORT), highest);
          RemoteDirectory directory = RemoteDirectory.at("127.0.0.1", older.port())) {
        for (Transport transport : List.of(Transport.TCP, Transport.UDP)) {
          String how = "rpcbind versions up to " + highest + ", " + transport;
          try (DirectoryClient c = DirectoryClient.builder().directory(directory)
              .program(PROGRAM, 2).transport(transport).build()) {
            RpcException e = assertThrows(RpcException.class, () -> c.call(SECOND_NULL, null), how);
            assertEquals(RpcStatus.UNAVAILABLE, e.status(), how);
            assertTrue(e.getMessage().startsWith("no instance of program 0x20000997 version 2 over " + transport),
                how + ": " + e.getMessage());
            assertTrue(e.getMessage().endsWith("(calling NULL): the directory has versions 1 and 3 of it over "
                + transport), how + ": " + e.getMessage());
          }
          // A plain client found in the directory, as clnt_create finds its server, says the same.
          RpcException e = assertThrows(RpcException.class,
              () -> RpcClient.builder().directory(directory, PROGRAM, 2).transport(transport).build(), how);
          assertEquals(RpcStatus.UNAVAILABLE, e.status(), how);
          assertTrue(e.getMessage().endsWith(": the directory has versions 1 and 3 of it over " + transport),
              how + ": " + e.getMessage());
        }
      }
    }
  }

  /** src/test/c/rpcbind, from the module or from the repository root. */
  private static Path sources() {
    for (String candidate : List.of("src/test/c/rpcbind", "runtime/src/test/c/rpcbind")) {
      Path dir = Path.of(candidate).toAbsolutePath();
      if (Files.isRegularFile(dir.resolve("set_versions.c"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find src/test/c/rpcbind from " + Path.of("").toAbsolutePath());
  }
}
