package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A call made from an older {@code .idl} than the server's: the message points at the skew
 * between the two IDLs, where the user's fix lies.
 */
class SkewedIdlCallTest {
  private static final XdrCodec<long[]> TWO_HYPERS = XdrCodecs.of(
      (out, v) -> {
        out.writeHyper(v[0]);
        out.writeHyper(v[1]);
      },
      in -> new long[] {in.readHyper(), in.readHyper()});

  /**
   * The server's add takes two hypers, the caller's {@code .idl} two ints: GARBAGE_ARGS. Before,
   * the message blamed the command's own codec ("this client's codec is at fault: it cannot
   * decode the arguments it encodes (arguments are only written)"), which sent the user after a
   * bug in onyx rather than after the older {@code .idl}.
   */
  @Test
  void refusedArgumentsFromAnOlderIdlPointAtTheSkew(@TempDir Path dir) throws Exception {
    Path older = dir.resolve("calculator.idl");
    Files.writeString(older, """
        package org.onyxrpc.examples.calculator;
        @program(0x20000101)
        service Calculator { version 1 { int add(int a, int b) = 1; } }
        """);
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.TCP)
        .directory(Directory.none())
        .addService(ServiceDefinition.builder(0x20000101, 1)
            .procedure(new Procedure<>(0x20000101, 1, 1, "Calculator.add", TWO_HYPERS, XdrCodecs.HYPER),
                (v, ctx) -> v[0] + v[1])
            .build())
        .build().start()) {
      CommandRun r = onyx("call", "127.0.0.1:" + server.port(), "Calculator.add", "--idl", older.toString(),
          "-d", "{\"a\": 1, \"b\": 2}");
      assertEquals(4, r.exit(), r.toString());
      assertTrue(r.out().contains("\"error\" : \"GARBAGE_ARGS\""), r.toString());
      assertTrue(r.out().contains("so the server reads these arguments otherwise: its implementation"
          + " found their values invalid, they are past a limit of its decoder, or it is built from"
          + " another version of the IDL (version skew)"), r.toString());
      assertFalse(r.out().contains("codec is at fault"), r.toString());
    }
  }
}
