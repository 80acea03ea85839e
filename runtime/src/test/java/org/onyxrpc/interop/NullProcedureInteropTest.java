package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * Procedure 0 with a result ({@code string NULLRES_NULL(void) = 0;}, as OpenSolaris' metacl.x
 * declares one) between Onyx and rpcgen's C over TCP: rpcgen's dispatcher runs the C function for
 * it, and so does an Onyx server its handler; each side's client decodes the other's result, and
 * Onyx's pings still work against the C server although its reply carries a body.
 */
@Timeout(180)
class NullProcedureInteropTest {
  private static final int PROGRAM = 0x20000540;
  private static final Procedure<Void, String> NULLRES_NULL = new Procedure<>(PROGRAM, 1, 0,
      "NULLRES_PROG.NULLRES_NULL", XdrCodecs.VOID, XdrCodecs.STRING);
  private static final Procedure<Integer, Integer> NULLRES_TWICE = new Procedure<>(PROGRAM, 1, 1,
      "NULLRES_PROG.NULLRES_TWICE", XdrCodecs.INT, XdrCodecs.INT);

  @TempDir Path work;
  private NativeCommands commands;
  private Path peer;

  @BeforeEach
  void buildCPeer() throws Exception {
    InteropEnvironment.requireToolchain();
    commands = new NativeCommands(work);
    Path sources = NativeInterop.SOURCES.resolveSibling("null-result");
    Files.copy(sources.resolve("null_result.x"), work.resolve("null_result.x"));
    commands.run("rpcgen", "-h", "-o", "null_result.h", "null_result.x");
    commands.run("rpcgen", "-c", "-o", "null_result_xdr.c", "null_result.x");
    commands.run("rpcgen", "-l", "-o", "null_result_clnt.c", "null_result.x");
    commands.run("rpcgen", "-m", "-o", "null_result_svc.c", "null_result.x");
    commands.run("gcc", "-std=gnu11", "-O1", "-I/usr/include/tirpc", "-I" + work,
        "-I" + NativeInterop.COMMON, "-o", "null_result_peer",
        sources.resolve("null_result_peer.c").toString(),
        NativeInterop.COMMON.resolve("same_port.c").toString(), "null_result_svc.c",
        "null_result_clnt.c", "null_result_xdr.c", "-ltirpc");
    peer = work.resolve("null_result_peer");
  }

  @AfterEach
  void stopProcesses() throws InterruptedException {
    if (commands != null) {
      commands.close();
    }
  }

  @Test
  void onyxClientDecodesTheCServersResultAndItsPingsStillWork() throws Exception {
    Process server = start(peer.toString(), "server");
    String port = new BufferedReader(new InputStreamReader(server.getInputStream(),
        StandardCharsets.US_ASCII)).readLine();
    assertTrue(port != null && port.matches("\\d+"), "C server printed no port: " + port);
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", Integer.parseInt(port))
        .transport(Transport.TCP).build()) {
      assertEquals("c-bound 1", client.call(NULLRES_NULL.withSemantics(CallSemantics.MAYBE), null));
      client.ping(PROGRAM, 1); // runs the C function too ("c-bound 2"): its body is not read
      // An at-most-once call pings first, to learn whether the server reads tags (it does not).
      assertEquals(42, client.call(NULLRES_TWICE, 21));
      assertEquals("c-bound 4", client.call(NULLRES_NULL.withSemantics(CallSemantics.MAYBE), null));
    }
  }

  @Test
  void cClientDecodesTheOnyxServersResult() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    try (RpcServer server = RpcServer.builder().port(0)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(NULLRES_NULL, (args, context) -> "onyx-bound " + runs.incrementAndGet())
            .procedure(NULLRES_TWICE, (n, context) -> 2 * n)
            .build())
        .build().start()) {
      Path out = work.resolve("client.stdout");
      Process client = commands.start(
          new ProcessBuilder(peer.toString(), "client", Integer.toString(server.port()))
          .redirectOutput(out.toFile()).redirectError(work.resolve("client.stderr").toFile()));
      NativeCommands.finish(client, "C client", work.resolve("client.stderr"));
      assertEquals("onyx-bound 1\nonyx-bound 2\n42\n", Files.readString(out));
    }
  }

  private Process start(String... command) throws IOException {
    return commands.start(new ProcessBuilder(command)
        .redirectError(work.resolve("server.stderr").toFile()));
  }
}
