package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;

/**
 * The C client of {@link CClientCallsOnyxServerTest} built from rpcgen's K&R C output
 * ({@code rpcgen -k -N}: stubs and XDR routines without prototypes) calls the Onyx server and
 * prints the same transcripts, calls and refusals, as the ANSI build.
 */
class KAndRClientCallsOnyxServerTest {
  @TempDir static Path work;

  private static NativeInterop c;
  private static RpcServer server;

  @BeforeAll
  static void start() throws Exception {
    c = NativeInterop.buildKAndRClient(work);
    server = OnyxServers.onLoopback(InteropService.definition());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    OnyxServers.stop(server, c);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void kAndRClientCallsEveryProcedureAndSeesEachRefusal(Transport transport) throws Exception {
    assertEquals(NativeInterop.expected("expected-calls.txt"),
        c.runClient(transport, server.port(), "calls"));
    assertEquals(NativeInterop.expected("expected-errors.txt"),
        c.runClient(transport, server.port(), "errors"));
  }
}
