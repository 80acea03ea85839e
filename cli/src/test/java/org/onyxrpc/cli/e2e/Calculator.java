package org.onyxrpc.cli.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.util.function.UnaryOperator;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.health.HealthService;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.RpcServerBuilder;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.Await;
import org.onyxrpc.xdr.Xdr;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * The calculator of calculator.idl served by Onyx, its codecs written by hand from the IDL (so
 * the command is checked against an encoding it did not make), with the health service beside it.
 */
final class Calculator {
  static final int PROGRAM = 0x20000101;
  static final String NAME = "org.onyxrpc.examples.calculator.Calculator";

  record Operands(long a, long b) {}

  /** divide's reply union: arm 0 the quotient, arm 1 DivideByZero { string message<>; }. */
  record Quotient(long value, String divideByZero) {}

  private static final XdrCodec<Operands> OPERANDS = XdrCodecs.of(
      (out, o) -> {
        out.writeHyper(o.a());
        out.writeHyper(o.b());
      },
      in -> {
        in.countObject(2); // as generated codecs charge each record they build
        return new Operands(in.readHyper(), in.readHyper());
      });

  private static final XdrCodec<Quotient> QUOTIENT = XdrCodecs.of(
      (out, q) -> {
        if (q.divideByZero() == null) {
          out.writeInt(0);
          out.writeHyper(q.value());
        } else {
          out.writeInt(1);
          out.writeString(q.divideByZero(), Xdr.UNBOUNDED);
        }
      },
      in -> {
        in.countObject(2);
        return in.readInt() == 0 ? new Quotient(in.readHyper(), null) : new Quotient(0, in.readString(Xdr.UNBOUNDED));
      });

  static final Procedure<Operands, Long> ADD =
      new Procedure<>(PROGRAM, 1, 1, "Calculator.add", OPERANDS, XdrCodecs.HYPER);
  static final Procedure<Operands, Quotient> DIVIDE =
      new Procedure<>(PROGRAM, 1, 2, "Calculator.divide", OPERANDS, QUOTIENT);
  static final Procedure<Long, Integer> PARITY =
      new Procedure<>(PROGRAM, 1, 3, "Calculator.parity", XdrCodecs.HYPER, XdrCodecs.INT);

  private Calculator() {}

  /** Serves the calculator and {@code health} on a free loopback port, registered in {@code directory}. */
  static RpcServer start(Directory directory, HealthService health) throws IOException {
    return serve(directory, health, b -> b);
  }

  /** The same server, further configured by {@code more} (TLS, an authenticator). */
  static RpcServer serve(Directory directory, HealthService health, UnaryOperator<RpcServerBuilder> more)
      throws IOException {
    return more.apply(RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .directory(directory)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .name(NAME)
            .procedure(ADD, (o, ctx) -> o.a() + o.b())
            .procedure(DIVIDE, (o, ctx) -> o.b() == 0
                ? new Quotient(0, "cannot divide " + o.a() + " by zero") : new Quotient(o.a() / o.b(), null))
            .procedure(PARITY, (v, ctx) -> (int) Math.abs(v % 2))
            .build())
        .addService(health.definition()))
        .build()
        .start();
  }

  /**
   * Returns once {@code directory} lists every program version {@code server} serves, once for
   * each of its transports. A server waits at most 2 s for its first registration and finishes it
   * in the background: a directory just started, on a loaded machine, may take longer, and a test
   * that looks the calculator up first would find nothing.
   */
  static void awaitListed(RpcServer server, Directory directory) {
    Await.until(() -> server.programVersions().stream().allMatch(pv -> listed(directory, pv.program(), pv.version())
        >= server.transports().size()));
  }

  private static int listed(Directory directory, int program, int version) {
    try {
      return directory.lookup(program, version).size();
    } catch (RpcException e) {
      return 0; // not answering yet
    }
  }
}
