package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.Authenticator;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;

/**
 * A server that requires AUTH_SYS, as C clients and Onyx clients meet it: AUTH_NONE refused
 * AUTH_TOOWEAK (libtirpc's svcerr_weakauth), uid 666 AUTH_REJECTEDCRED and uid 667 AUTH_BADCRED
 * (svcerr_auth), the NULL procedure included, everyone else served. The C server is
 * interop_faulty_server's "strict" mode, the Onyx server the same rules in an {@link
 * Authenticator}. libtirpc's client prints each refusal with clnt_sperror, and must print the same
 * words against both (expected-refusals.txt), on one CLIENT whose credential changes between
 * calls; an Onyx client sees the same statuses from both, its messages naming the auth_stat.
 */
class AuthRefusalsInteropTest {
  /** interop_faulty_server.c's strict_dispatch, in Java. */
  private static final Authenticator STRICT = call -> {
    Credentials credentials = Authenticator.DEFAULT.authenticate(call);
    if (!(credentials instanceof AuthSys sys)) {
      throw RpcException.authError(AuthStatus.AUTH_TOOWEAK, "AUTH_SYS required");
    }
    if (sys.uid() == 666) {
      throw RpcException.authError(AuthStatus.AUTH_REJECTEDCRED, "uid 666 is not admitted");
    }
    if (sys.uid() == 667) {
      throw RpcException.authError(AuthStatus.AUTH_BADCRED, "uid 667 is not believed");
    }
    return credentials;
  };

  @TempDir static Path work;
  private static NativeInterop c;
  private static NativeInterop strictC;
  private static int cPort;
  private static RpcServer onyx;

  @BeforeAll
  static void startServers() throws Exception {
    c = NativeInterop.build(work);
    strictC = NativeInterop.buildFaultyServer(work);
    cPort = strictC.startFaultyServer("strict");
    onyx = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP, Transport.UDP)
        .authenticator(STRICT)
        .addService(InteropService.definition())
        .build()
        .start();
  }

  @AfterAll
  static void stopServers() throws InterruptedException {
    OnyxServers.stop(onyx, c);
    if (strictC != null) {
      strictC.stopProcesses();
    }
  }

  /** clnt_sperror's words for each refusal, the same from the C server and the Onyx server. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void cClientSeesTheSameRefusalsFromBothServers(Transport transport) throws Exception {
    String expected = NativeInterop.expected("expected-refusals.txt");
    assertEquals(expected, c.runClient(transport, cPort, "refusals"), "C server");
    assertEquals(expected, c.runClient(transport, onyx.port(), "refusals"), "Onyx server");
  }

  /** An Onyx client refused by either server: AUTH_ERROR with the auth_stat, named in its message. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void onyxClientSeesTheAuthStatFromBothServers(Transport transport) {
    for (int port : new int[] {cPort, onyx.port()}) {
      String server = port == cPort ? "C server" : "Onyx server";
      RpcException weak = refused(transport, port, Credentials.NONE);
      assertEquals(AuthStatus.AUTH_TOOWEAK, weak.authStatus(), server + ": " + weak);
      assertTrue(weak.getMessage().contains("AUTH_TOOWEAK")
          && weak.getMessage().contains("AUTH_SYS rather than AUTH_NONE"), server + ": " + weak);
      RpcException rejected = refused(transport, port, uid(666));
      assertEquals(AuthStatus.AUTH_REJECTEDCRED, rejected.authStatus(), server + ": " + rejected);
      assertTrue(rejected.getMessage().contains("AUTH_REJECTEDCRED"), server + ": " + rejected);
      RpcException bad = refused(transport, port, uid(667));
      assertEquals(AuthStatus.AUTH_BADCRED, bad.authStatus(), server + ": " + bad);
      assertTrue(bad.getMessage().contains("AUTH_BADCRED"), server + ": " + bad);
      try (RpcClient admitted = client(transport, port, uid(1000))) {
        assertEquals("AUTH_SYS machine=strict-host uid=1000 gid=100 gids=[]",
            admitted.call(InteropProgram.WHOAMI, null), server);
      }
    }
  }

  private static RpcException refused(Transport transport, int port, Credentials credentials) {
    try (RpcClient client = client(transport, port, credentials)) {
      RpcException e = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.WHOAMI, null));
      assertEquals(RpcStatus.AUTH_ERROR, e.status(), e::toString);
      return e;
    }
  }

  private static AuthSys uid(int uid) {
    return new AuthSys(0, "strict-host", uid, 100, new int[0]);
  }

  private static RpcClient client(Transport transport, int port, Credentials credentials) {
    return RpcClient.builder()
        .address("127.0.0.1", port)
        .transport(transport)
        .credentials(credentials)
        .timeout(Duration.ofSeconds(10))
        .build();
  }
}
