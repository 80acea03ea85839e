package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import org.dcache.oncrpc4j.rpc.IoStrategy;
import org.dcache.oncrpc4j.rpc.OncRpcClient;
import org.dcache.oncrpc4j.rpc.OncRpcProgram;
import org.dcache.oncrpc4j.rpc.OncRpcSvc;
import org.dcache.oncrpc4j.rpc.OncRpcSvcBuilder;
import org.dcache.oncrpc4j.rpc.RpcAuthTypeNone;
import org.dcache.oncrpc4j.rpc.RpcCall;
import org.dcache.oncrpc4j.rpc.net.IpProtocolType;
import org.dcache.oncrpc4j.xdr.XdrAble;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;
import org.dcache.oncrpc4j.xdr.XdrEncodingStream;
import org.dcache.oncrpc4j.xdr.XdrInt;
import org.dcache.oncrpc4j.xdr.XdrOpaque;
import org.dcache.oncrpc4j.xdr.XdrVoid;

/**
 * Peer: dCache oncrpc4j, the other ONC RPC library for Java (Grizzly NIO), serving and calling the
 * very {@link AddProgram#ADD} procedure (same program, version, procedure and bytes: it is ONC RPC
 * too), and {@link AddProgram#ECHO}, {@code opaque<>} in and out ({@code XdrOpaque}). Both ends
 * use the same-thread I/O strategy, its fastest for short handlers (the handler runs on the
 * selector thread, like Onyx's {@code directExecutor()}), one selector thread asked for each
 * (oncrpc4j starts at least two), TCP_NODELAY, no portmap registration. Grizzly names the
 * server's threads after its service name: "server-oncrpc4j(1) SelectorRunner".
 */
final class Oncrpc4jPeers implements AutoCloseable {
  final OncRpcSvc server;
  final OncRpcClient clientSide;
  /** The client's call object for the program: thread-safe, one per connection. */
  final RpcCall client;

  Oncrpc4jPeers() throws IOException {
    server = new OncRpcSvcBuilder()
        .withTCP()
        .withBindAddress(InetAddress.getLoopbackAddress().getHostAddress())
        .withPort(0)
        .withoutAutoPublish()
        .withSameThreadIoStrategy()
        .withSelectorThreadPoolSize(1)
        .withTcpNoDelay(true)
        .withServiceName(ServerThreads.named("oncrpc4j"))
        .withRpcService(new OncRpcProgram(AddProgram.PROGRAM, AddProgram.VERSION), call -> {
          switch (call.getProcedure()) {
            case 0 -> call.reply(XdrVoid.XDR_VOID);
            case 1 -> {
              Pair args = new Pair();
              call.retrieveCall(args);
              call.reply(new XdrInt(args.a + args.b));
            }
            case 2 -> {
              XdrOpaque data = new XdrOpaque();
              call.retrieveCall(data);
              call.reply(data); // the bytes received
            }
            default -> call.failProcedureUnavailable();
          }
        })
        .build();
    server.start();
    int port = server.getInetSocketAddress(IpProtocolType.TCP).getPort();
    clientSide = OncRpcClient.newBuilder()
        .withTCP()
        .withIoStrategy(IoStrategy.SAME_THREAD)
        .withSelectorThreadPoolSize(1)
        .withTcpNoDelay(true)
        .withServiceName("oncrpc4j-client")
        .build(InetAddress.getLoopbackAddress(), port);
    client = new RpcCall(AddProgram.PROGRAM, AddProgram.VERSION, new RpcAuthTypeNone(), clientSide.connect());
    if (add() != 5) {
      throw new IllegalStateException("2 + 3 != 5");
    }
  }

  /** One blocking call. */
  int add() throws IOException {
    XdrInt sum = new XdrInt();
    client.call(AddProgram.ADD.number(), ARGS, sum);
    return sum.intValue();
  }

  /** One blocking {@link AddProgram#ECHO} call; returns the bytes that came back. */
  byte[] echo(XdrOpaque data) throws IOException {
    XdrOpaque result = new XdrOpaque();
    client.call(AddProgram.ECHO.number(), data, result);
    return result.getOpaque();
  }

  /** {@link AddProgram#ARGS} as oncrpc4j encodes it (immutable once built, so shared). */
  static final Pair ARGS = new Pair(AddProgram.ARGS.a(), AddProgram.ARGS.b());

  @Override
  public void close() throws IOException {
    clientSide.close();
    server.stop();
  }

  /** The arguments: two XDR ints, written the way oncrpc4j's {@code jrpcgen} writes structs. */
  static final class Pair implements XdrAble {
    int a;
    int b;

    Pair() {}

    Pair(int a, int b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void xdrEncode(XdrEncodingStream out) {
      out.xdrEncodeInt(a);
      out.xdrEncodeInt(b);
    }

    @Override
    public void xdrDecode(XdrDecodingStream in) throws IOException {
      a = in.xdrDecodeInt();
      b = in.xdrDecodeInt();
    }
  }
}
